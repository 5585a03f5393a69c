"""The layouts of `show`: the issues, options, parties and documents, or one party's rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nposition.model.case import RuleKind
from nposition.render.blocks import (
    Block,
    Cell,
    Heading,
    Para,
    num,
    package_line,
    table,
    utility,
)

if TYPE_CHECKING:
    from nposition.model.case import Rule, Source
    from nposition.reports.show import IssuesView, PartyView


def issues(view: IssuesView) -> list[Block]:
    """The issues and options, the status quo, the parties and the documents."""
    case = view.case
    out: list[Block] = [Heading(f"{case.title} ({case.id})")]
    if case.description:
        out.append(Para(case.description))
    out += _issue_tables(view)
    quo = "no agreement" if view.status_quo is None else package_line(view.status_quo)
    out.append(Para(f"Status quo (what the parties get when talks fail): {quo}"))
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
    if case.constraints:
        out.append(
            table(
                "Constraints (packages that break one do not exist)",
                ("id", "requires", "why"),
                ((c.id, c.require.text, c.text) for c in case.constraints),
            )
        )
    if case.documents:
        out.append(
            table(
                "Documents",
                ("id", "date", "title", "note"),
                ((d.id, d.date, d.title, d.note) for d in case.documents),
            )
        )
    return out


def _issue_tables(view: IssuesView) -> list[Block]:
    """The issues with their titles, then every option with its label."""
    case = view.case
    return [
        table(
            f"Issues ({len(case.issues)}; {view.size:,} packages)",
            ("issue", "kind", "title"),
            (
                (
                    issue.id,
                    "ordered" if issue.ordered else "unordered",
                    "\n".join(
                        x
                        for x in (
                            issue.title,
                            issue.description,
                            f"applies when {issue.applies_when.text}" if issue.applies_when else "",
                        )
                        if x
                    ),
                )
                for issue in case.issues
            ),
        ),
        table(
            "Options",
            ("issue", "option", "label"),
            (
                (
                    issue.id if k == 0 else "",
                    Cell(option.id, "good"),
                    option.label
                    + ("" if option.value is None else f" (value {num(option.value)})"),
                )
                for issue in case.issues
                for k, option in enumerate(issue.options)
            ),
        ),
    ]


def party(view: PartyView) -> list[Block]:
    """A party's rules with kind, strength, expression and source."""
    p = view.party
    rows = [
        (
            Cell(r.id, "bad" if r.kind is RuleKind.RED_LINE else "good"),
            f"{kind(r)}\n{r.strength}",
            "\n".join(x for x in (r.text, expression(r, "\n"), *_fallbacks(r)) if x),
            _source(r.source),
        )
        for r in p.rules
    ]
    title = f"{p.name} ({p.id})" + (f", as of {p.as_of}" if p.as_of else "")
    if p.reservation is not None:
        title += f", reservation {utility(p.reservation)}"
    return [table(title, ("rule", "kind", "rule and expression", "source"), rows)]


def _fallbacks(rule: Rule) -> list[str]:
    """`fallback 1 (cost 2): REQUIRE`, one line each."""
    return [
        f"fallback {k} (cost {num(f.cost)}): {f.require.text}" + (f" ({f.text})" if f.text else "")
        for k, f in enumerate(rule.fallbacks, 1)
    ]


def kind(rule: Rule) -> str:
    """`red line` or `preference`."""
    return rule.kind.value.replace("_", " ")


def expression(rule: Rule, sep: str) -> str:
    """`when C` + separator + `R`, or `R` alone."""
    return (f"when {rule.when.text}{sep}" if rule.when else "") + rule.statement


def _source(s: Source) -> str:
    quote = f"(paraphrase) {s.quote}" if s.paraphrase else f"\u201c{s.quote}\u201d"
    extra = (f"\ndocument: {s.document}" if s.document else "") + (f"\n{s.url}" if s.url else "")
    return f"{s.cite()}\n{quote}{extra}"
