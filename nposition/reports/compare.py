"""Baseline and scenarios side by side, and what changes between two of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nposition.engine.bargaining import SOLUTIONS
from nposition.engine.space import Space
from nposition.errors import LoadError, Problem
from nposition.formats import scenario_file as scenarios
from nposition.model.case import Case, Rule
from nposition.reports.analysis import Analysis, Concession, Conflict, ZoneView, analyze, view


@dataclass(frozen=True, slots=True)
class Comparison:
    """One analysis per scenario, baseline first."""

    case: str
    analyses: tuple[Analysis, ...]

    def to_dict(self) -> list[dict[str, Any]]:
        return [a.to_dict() for a in self.analyses]


def compare(
    case: Case, case_dir: Path, names: Sequence[str], space: Space, limit: int = 0
) -> Comparison:
    """The baseline and each named scenario (all of the case's when none are named)."""
    chosen = [n for n in (names or scenarios.scenario_names(case_dir)) if n != scenarios.BASELINE]
    results = [analyze(case, space=space, limit=limit)]
    problems: list[Problem] = []
    for name in dict.fromkeys(chosen):
        try:
            changed, scenario = scenarios.load(case, case_dir, name, space)
        except LoadError as e:  # report every broken scenario, not just the first
            problems += e.problems
            continue
        results.append(analyze(changed, scenario, space=space, limit=limit))
    if problems:
        raise LoadError(problems)
    return Comparison(case.id, tuple(results))


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
            "a": self.a.scenario or scenarios.BASELINE,
            "b": self.b.scenario or scenarios.BASELINE,
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


def diff(case: Case, case_dir: Path, a: str, b: str, space: Space, limit: int = 10) -> Diff:
    """Rules, zone packages, conflicts and concessions that differ between two scenarios."""
    case_a, scenario_a = scenarios.load(case, case_dir, a, space)
    case_b, scenario_b = scenarios.load(case, case_dir, b, space)
    result_a = analyze(case_a, scenario_a, space=space, limit=limit)
    result_b = analyze(case_b, scenario_b, space=space, limit=limit)
    zone_a = space.all_of(case_a.red_lines)
    zone_b = space.all_of(case_b.red_lines)
    conflicts_a = {c.rules: c for c in result_a.conflicts}
    conflicts_b = {c.rules: c for c in result_b.conflicts}
    concessions_a = {c.drop: c for c in result_a.concessions}
    concessions_b = {c.drop: c for c in result_b.concessions}
    return Diff(
        case=case.id,
        a=result_a,
        b=result_b,
        rules=_rule_changes(case_a, case_b),
        entering=view(case, space, zone_b & ~zone_a, limit),
        leaving=view(case, space, zone_a & ~zone_b, limit),
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
