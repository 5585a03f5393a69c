"""Baseline and scenarios side by side, and what changes between two of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nposition.engine.bargaining import SOLUTIONS
from nposition.engine.space import Space
from nposition.formats.layout import BASELINE
from nposition.model.case import Case, Rule
from nposition.reports.analysis import Analysis, Concession, Conflict, ZoneView, view


@dataclass(frozen=True, slots=True)
class Comparison:
    """One analysis per scenario, baseline first."""

    case: str
    analyses: tuple[Analysis, ...]

    def to_dict(self) -> list[dict[str, Any]]:
        return [a.to_dict() for a in self.analyses]


@dataclass(frozen=True, slots=True)
class RuleChange:
    rule: str
    change: str  # added | removed | changed
    before: str
    after: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "change": self.change,
            "before": self.before,
            "after": self.after,
        }


@dataclass(frozen=True, slots=True)
class Diff:
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "a": self.a.scenario or BASELINE,
            "b": self.b.scenario or BASELINE,
            "rules": [r.to_dict() for r in self.rules],
            "zone_size": {"a": self.a.zone.size, "b": self.b.zone.size},
            "entering": self.entering.to_dict(),
            "leaving": self.leaving.to_dict(),
            "conflicts_resolved": [c.to_dict() for c in self.conflicts_resolved],
            "conflicts_new": [c.to_dict() for c in self.conflicts_new],
            "concessions_gone": [c.to_dict() for c in self.concessions_gone],
            "concessions_new": [c.to_dict() for c in self.concessions_new],
            "solutions": self.solutions(),
        }

    def solutions(self) -> dict[str, dict[str, Any]]:
        """Each bargaining solution under `a` and under `b`, and whether it changed."""
        out: dict[str, dict[str, Any]] = {}
        for name in SOLUTIONS:
            before = self.a.solutions.points.get(name) if self.a.solutions else None
            after = self.b.solutions.points.get(name) if self.b.solutions else None
            out[name] = {"a": before, "b": after, "changed": before != after}
        return out


def diff(
    case_a: Case, result_a: Analysis, case_b: Case, result_b: Analysis, space: Space, limit: int
) -> Diff:
    """Rules, zone packages, conflicts and concessions that differ between two analyses."""
    zone_a = space.all_of(case_a.red_lines)
    zone_b = space.all_of(case_b.red_lines)
    conflicts_a = {c.rules: c for c in result_a.conflicts}
    conflicts_b = {c.rules: c for c in result_b.conflicts}
    concessions_a = {c.drop: c for c in result_a.concessions}
    concessions_b = {c.drop: c for c in result_b.concessions}
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
    )


def describe(rule: Rule) -> str:
    """A rule in one line: kind, strength, condition and requirement."""
    when = f"when {rule.when.text}: " if rule.when else ""
    return f"{rule.kind.value} ({rule.strength}) {when}{rule.require.text}"


def _rule_changes(a: Case, b: Case) -> tuple[RuleChange, ...]:
    rules_a = {r.key: r for r in a.rules}
    rules_b = {r.key: r for r in b.rules}
    out = []
    for key in sorted(rules_a.keys() | rules_b.keys()):
        ra, rb = rules_a.get(key), rules_b.get(key)
        if ra is None and rb is not None:
            out.append(RuleChange(key, "added", "", describe(rb)))
        elif rb is None and ra is not None:
            out.append(RuleChange(key, "removed", describe(ra), ""))
        elif (
            ra is not None
            and rb is not None
            and (describe(ra) != describe(rb) or ra.text != rb.text)
        ):
            before, after = describe(ra), describe(rb)
            if ra.text != rb.text:
                before, after = f"{before}\ntext: {ra.text}", f"{after}\ntext: {rb.text}"
            out.append(RuleChange(key, "changed", before, after))
    return tuple(out)
