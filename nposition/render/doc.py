"""Report layouts: each report becomes headings, paragraphs and tables, which the table and
markdown formats draw. Dispatch is by class name, so drawing one report imports no other's module."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nposition.render import analysis_views
from nposition.render.blocks import (
    STATUS_TONE,
    Block,
    Cell,
    Heading,
    Para,
    Pre,
    plural,
    table,
    tone,
)

if TYPE_CHECKING:
    from nposition.reports.checks import CheckReport
    from nposition.reports.explain import Explanation
    from nposition.reports.show import IssuesView, PartyView
    from nposition.reports.validation import Validation


def blocks(report: Any) -> list[Block]:
    """The layout of any report nposition prints."""
    # Dispatch on the class name so that drawing one report imports no other report's module.
    view = _VIEWS.get(type(report).__name__)
    if view is None:
        raise TypeError(f"no layout for {type(report).__name__}")
    return view(report)


def _validation(v: Validation) -> list[Block]:
    # Compiler-style lines (path:line:col: message), which editors and CI logs make clickable.
    out: list[Block] = [Pre(str(p), tone=STATUS_TONE[p.severity.value]) for p in v.problems]
    errors, warnings = plural(v.errors, "error"), plural(v.warnings, "warning")
    verdict = "invalid" if v.errors else "valid"
    out.append(
        Para(f"case '{v.case}': {verdict} ({errors}, {warnings})", "bad" if v.errors else "good")
    )
    return out


def _issues(view: IssuesView) -> list[Block]:
    case = view.case
    out: list[Block] = [Heading(f"{case.title} ({case.id})")]
    if case.description:
        out.append(Para(case.description))
    rows = []
    for issue in case.issues:
        for k, option in enumerate(issue.options):
            first = k == 0
            rows.append(
                (
                    issue.id if first else "",
                    ("ordered" if issue.ordered else "unordered") if first else "",
                    Cell(option.id, "good"),
                    option.label,
                )
            )
    size = math.prod(len(issue.options) for issue in case.issues)
    out.append(
        table(
            f"Issues ({len(case.issues)}; {size:,} packages)",
            ("issue", "kind", "option", "label"),
            rows,
        )
    )
    out.append(
        table(
            "Parties",
            ("party", "name", "as of", "red lines", "preferences"),
            (
                (p.id, p.name, p.as_of, str(len(p.red_lines)), str(len(p.preferences)))
                for p in case.parties
            ),
        )
    )
    if case.documents:
        out.append(
            table(
                "Documents",
                ("id", "date", "title"),
                ((d.id, d.date, d.title) for d in case.documents),
            )
        )
    return out


def _party(view: PartyView) -> list[Block]:
    p = view.party
    rows = []
    for r in p.rules:
        rule_expr = (f"when {r.when.text}\n" if r.when else "") + r.require.text
        quote = (
            f"\u201c{r.source.quote}\u201d"
            if not r.source.paraphrase
            else f"(paraphrase) {r.source.quote}"
        )
        rows.append(
            (
                Cell(r.id, "bad" if r.kind.value == "red_line" else "good"),
                f"{r.kind.value.replace('_', ' ')}\n{r.strength}",
                f"{r.text}\n{rule_expr}" if r.text else rule_expr,
                f"{r.source.cite()}\n{quote}",
            )
        )
    title = f"{p.name} ({p.id})" + (f", as of {p.as_of}" if p.as_of else "")
    return [table(title, ("rule", "kind", "rule and expression", "source"), rows)]


def _explanation(e: Explanation) -> list[Block]:
    given = ", ".join(f"{k}={v}" for k, v in e.package.items()) or "(no issue fixed)"
    out: list[Block] = [Heading(f"Package: {given}")]
    if e.free:
        out.append(
            Para(
                f"Partial package: {plural(len(e.free), 'issue')} left open ({', '.join(e.free)}), "
                f"{plural(e.completions, 'completion')}; {e.accepted_by_all:,} of them satisfy every "
                "party's red lines."
            )
        )
    else:
        verdict = (
            "satisfies every party's red lines"
            if e.accepted_by_all
            else "breaks at least one red line"
        )
        out.append(Para(f"This package {verdict}.", "good" if e.accepted_by_all else "bad"))
    for p in e.parties:
        if e.free:
            title = f"{p.name} ({p.id}): accepts {p.accepted:,} of {e.completions:,} completions"
        else:
            ok = "accepts" if p.accepted else "rejects"
            util = f", utility {p.utility:.3f}" if p.utility is not None else ""
            title = f"{p.name} ({p.id}): {ok}{util}"
        columns = (
            "rule",
            "kind",
            "status",
            *(("broken in",) if e.free else ()),
            "expression",
            "source",
        )
        out.append(
            table(
                title,
                columns,
                (
                    (
                        c.rule.id,
                        c.rule.kind.value.replace("_", " "),
                        tone(c.status),
                        *((f"{c.broken_in:,}",) if e.free else ()),
                        (f"when {c.rule.when.text}: " if c.rule.when else "") + c.rule.require.text,
                        c.rule.source.cite(),
                    )
                    for c in p.checks
                ),
            )
        )
    if any(c.status == "n/a" for p in e.parties for c in p.checks):
        out.append(
            Para(
                "n/a: the rule's `when` is false here, so a red line is not broken and a "
                "preference counts as met (it only tells apart packages where its condition holds)."
            )
        )
    return out


def _checks(r: CheckReport) -> list[Block]:
    rows = (
        (
            o.expectation.id,
            o.expectation.scenario,
            tone("pass" if o.passed else "fail"),
            o.expected,
            o.found,
        )
        for o in r.outcomes
    )
    passed = len(r.outcomes) - r.failed
    return [
        table(
            f"Checks of case '{r.case}' ({r.file})",
            ("check", "scenario", "result", "expected", "found"),
            rows,
        ),
        Para(f"{passed} passed, {r.failed} failed", "bad" if r.failed else "good"),
    ]


_VIEWS: dict[str, Callable[[Any], list[Block]]] = {
    "Validation": _validation,
    "IssuesView": _issues,
    "PartyView": _party,
    "Analysis": analysis_views.analysis,
    "Explanation": _explanation,
    "Comparison": analysis_views.comparison,
    "Diff": analysis_views.diff,
    "CheckReport": _checks,
}
