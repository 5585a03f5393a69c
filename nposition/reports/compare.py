"""Baseline and scenarios side by side, and what changes between two of them."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from nposition.engine.bargaining import Solution
from nposition.engine.space import Space
from nposition.model.case import Case, Party, Rule, number
from nposition.reports.analysis import view
from nposition.reports.results import Analysis, Concession, Conflict, UtilityPoint, ZoneView


class Comparison(NamedTuple):
    """One analysis per scenario, baseline first."""

    case: str
    analyses: tuple[Analysis, ...]


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class RuleChange(NamedTuple):
    rule: str
    change: ChangeKind
    before: str  # the rule in one line (see `describe`), empty when added
    after: str


class SolutionChange(NamedTuple):
    """A bargaining solution under `a` and under `b`."""

    solution: Solution
    a: UtilityPoint | None
    b: UtilityPoint | None

    @property
    def changed(self) -> bool:
        return self.a != self.b


class Diff(NamedTuple):
    """What changes from scenario `a` to scenario `b`."""

    case: str
    a: Analysis
    b: Analysis
    rules: tuple[RuleChange, ...]
    entering: ZoneView  # packages in b's zone and not in a's
    leaving: ZoneView
    conflicts_resolved: tuple[Conflict, ...]
    conflicts_new: tuple[Conflict, ...]
    concessions_gone: tuple[Concession, ...]
    concessions_new: tuple[Concession, ...]
    solutions: tuple[SolutionChange, ...]


def diff(
    case_a: Case, result_a: Analysis, case_b: Case, result_b: Analysis, space: Space, limit: int
) -> Diff:
    """Rules, zone packages, conflicts, concessions and solutions that differ between two analyses."""
    zone_a = space.all_of(case_a.red_lines)
    zone_b = space.all_of(case_b.red_lines)
    conflicts_a = {c.rules: c for c in result_a.conflicts}
    conflicts_b = {c.rules: c for c in result_b.conflicts}
    concessions_a = {(c.drop, c.relax): c for c in result_a.concessions}
    concessions_b = {(c.drop, c.relax): c for c in result_b.concessions}
    return Diff(
        case=case_a.id,
        a=result_a,
        b=result_b,
        rules=_rule_changes(case_a, case_b),
        entering=view(case_a, space, zone_b & ~zone_a, limit),
        leaving=view(case_a, space, zone_a & ~zone_b, limit),
        conflicts_resolved=tuple(c for k, c in conflicts_a.items() if k not in conflicts_b),
        conflicts_new=tuple(c for k, c in conflicts_b.items() if k not in conflicts_a),
        concessions_gone=tuple(c for k, c in concessions_a.items() if k not in concessions_b),
        concessions_new=tuple(c for k, c in concessions_b.items() if k not in concessions_a),
        solutions=tuple(
            SolutionChange(s, _solution(result_a, s), _solution(result_b, s)) for s in Solution
        ),
    )


def _solution(result: Analysis, solution: Solution) -> UtilityPoint | None:
    return result.solutions.points.get(solution) if result.solutions else None


def describe(rule: Rule) -> str:
    """A rule in one line: kind, strength, condition, requirement, fallbacks and citation."""
    when = f"when {rule.when.text}: " if rule.when else ""
    fallbacks = "".join(
        f"; fallback {k} (cost {number(f.cost)}): {f.require.text}"
        for k, f in enumerate(rule.fallbacks, 1)
    )
    cited = f" [{rule.source.cite()}]"
    return f"{rule.kind.value} ({rule.strength}) {when}{rule.statement}{fallbacks}{cited}"


def _rule_changes(a: Case, b: Case) -> tuple[RuleChange, ...]:
    rules_a = {r.key: r for r in a.rules}
    rules_b = {r.key: r for r in b.rules}
    out = []
    for key in sorted(rules_a.keys() | rules_b.keys()):
        ra, rb = rules_a.get(key), rules_b.get(key)
        if ra is None and rb is not None:
            out.append(RuleChange(key, ChangeKind.ADDED, "", describe(rb)))
        elif rb is None and ra is not None:
            out.append(RuleChange(key, ChangeKind.REMOVED, describe(ra), ""))
        elif (
            ra is not None
            and rb is not None
            and (describe(ra) != describe(rb) or ra.text != rb.text)
        ):
            before, after = describe(ra), describe(rb)
            if ra.text != rb.text:
                before, after = f"{before}\ntext: {ra.text}", f"{after}\ntext: {rb.text}"
            out.append(RuleChange(key, ChangeKind.CHANGED, before, after))
    parties_b = {p.id: p for p in b.parties}
    for pa in a.parties:
        pb = parties_b.get(pa.id)
        if pb is not None and _party_fields(pa) != _party_fields(pb):
            out.append(
                RuleChange(
                    f"party {pa.id}", ChangeKind.CHANGED, _party_fields(pa), _party_fields(pb)
                )
            )
    return tuple(out)


def _party_fields(party: Party) -> str:
    """A party's own fields in one line: name, as_of and reservation."""
    reservation = "none" if party.reservation is None else f"{party.reservation:g}"
    return f"name {party.name}; as of {party.as_of or '-'}; reservation {reservation}"
