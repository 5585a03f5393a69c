"""The layout of `explain`: one package, or every completion of a partial one, rule by rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nposition.render.blocks import (
    STATUS_TONE,
    Block,
    Cell,
    Heading,
    Para,
    num,
    package_line,
    plural,
    table,
    utility,
)
from nposition.render.show_views import expression, kind
from nposition.reports.explain import RuleStatus

if TYPE_CHECKING:
    from nposition.reports.explain import Explanation, PartyExplanation, RuleCheck


def explanation(e: Explanation) -> list[Block]:
    """A (partial) package and, per party, every rule held or broken."""
    given = package_line(e.package) or "(no issue fixed)"
    where = f"case {e.case}" + (f", scenario {e.scenario}" if e.scenario else "")
    out: list[Block] = [Heading(f"Package: {given} ({where})")]
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
    out += [_party_rules(e, p) for p in e.parties]
    if e.not_applicable:
        out.append(Para(f"Does not apply here: {', '.join(e.not_applicable)}."))
    if any(c.status is RuleStatus.NOT_APPLICABLE for p in e.parties for c in p.checks):
        out.append(Para("n/a: the red line's `when` is false here, so it is not broken."))
    return out


def _status(c: RuleCheck) -> str:
    """The status, with the fallback level a red line is met at, or a value function's score."""
    if c.score is not None:
        return f"score {num(c.score)}"
    if c.level is None or c.level == 0:
        return c.status.value
    fallbacks = len(c.rule.fallbacks)
    if c.level > fallbacks:
        return f"{c.status.value} (at every fallback)"
    return f"{c.status.value} (meets fallback {c.level})"


def _party_rules(e: Explanation, p: PartyExplanation) -> Block:
    if e.free:
        title = f"{p.name} ({p.id}): accepts {p.accepted:,} of {e.completions:,} completions"
    else:
        ok = "accepts" if p.accepted else "rejects"
        util = f", utility {utility(p.utility)}" if p.utility is not None else ""
        title = f"{p.name} ({p.id}): {ok}{util}"
    partial = bool(e.free)
    return table(
        title,
        (
            "rule",
            "kind",
            "status",
            *(("broken in",) if partial else ()),
            "rule and expression",
            "source",
        ),
        (
            (
                c.rule.id,
                kind(c.rule),
                Cell(_status(c), STATUS_TONE.get(c.status.value, "")),
                *((f"{c.broken_in:,}",) if partial else ()),
                "\n".join(x for x in (c.rule.text, expression(c.rule, ": ")) if x),
                c.rule.source.cite(),
            )
            for c in p.checks
        ),
    )
