"""Why a package (or a partial one) is acceptable or not: every rule of every party, held or broken."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nposition.engine.space import Space
from nposition.engine.utility import Valuation
from nposition.errors import UsageError
from nposition.model.case import Case, Rule, number
from nposition.model.expr import suggest


@dataclass(frozen=True, slots=True)
class RuleCheck:
    rule: Rule
    status: str  # held | broken | depends (partial packages) | n/a (its `when` never holds here)
    broken_in: int  # completions that break it

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule.key,
            "kind": self.rule.kind.value,
            "text": self.rule.text,
            "require": self.rule.require.text,
            "when": self.rule.when.text if self.rule.when else None,
            "status": self.status,
            "broken_in": self.broken_in,
            "source": self.rule.source.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class PartyExplanation:
    id: str
    name: str
    accepted: int  # completions that break none of its red lines
    utility: float | None  # for a full package
    checks: tuple[RuleCheck, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "accepted": self.accepted,
            "utility": None if self.utility is None else number(self.utility),
            "rules": [c.to_dict() for c in self.checks],
        }


@dataclass(frozen=True, slots=True)
class Explanation:
    case: str
    scenario: str | None
    package: dict[str, str]
    free: tuple[str, ...]  # issues the package leaves open
    completions: int
    accepted_by_all: int
    parties: tuple[PartyExplanation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "scenario": self.scenario,
            "package": dict(self.package),
            "free": list(self.free),
            "completions": self.completions,
            "accepted_by_all": self.accepted_by_all,
            "parties": [p.to_dict() for p in self.parties],
        }


def parse_package(case: Case, assignments: Sequence[str]) -> dict[int, int]:
    """`KEY=OPTION` arguments as `{issue index: option index}`; unknown names are usage errors."""
    ids = [i.id for i in case.issues]
    fixed: dict[int, int] = {}
    for item in assignments:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise UsageError(f"'{item}': expected ISSUE=OPTION")
        if key not in ids:
            raise UsageError(f"'{item}': unknown issue '{key}' ({suggest(key, ids)})")
        issue = ids.index(key)
        options = case.issues[issue].option_ids()
        if value not in options:
            raise UsageError(
                f"'{item}': unknown option '{value}' for issue '{key}' ({suggest(value, options)})"
            )
        if issue in fixed and fixed[issue] != options.index(value):
            raise UsageError(f"'{item}': issue '{key}' is given twice")
        fixed[issue] = options.index(value)
    return fixed


def explain(
    case: Case, fixed: dict[int, int], scenario: str | None = None, space: Space | None = None
) -> Explanation:
    """Every rule of every party checked against a package or against all its completions."""
    space = space or Space(case.issues)
    completions = space.fixing(fixed)
    count = completions.bit_count()
    full = len(fixed) == len(case.issues)
    valuation = Valuation(space, case.parties) if full else None
    utilities = (
        valuation.of(space.index([fixed[i] for i in range(len(case.issues))]))
        if valuation
        else None
    )
    everyone = completions
    parties = []
    for k, party in enumerate(case.parties):
        checks = tuple(_check(space, rule, completions, count) for rule in party.rules)
        accepted = completions & space.all_of(party.red_lines)
        everyone &= accepted
        parties.append(
            PartyExplanation(
                party.id,
                party.name,
                accepted.bit_count(),
                None if utilities is None else utilities[k],
                checks,
            )
        )
    return Explanation(
        case=case.id,
        scenario=scenario,
        package={case.issues[i].id: case.issues[i].options[o].id for i, o in sorted(fixed.items())},
        free=tuple(issue.id for i, issue in enumerate(case.issues) if i not in fixed),
        completions=count,
        accepted_by_all=everyone.bit_count(),
        parties=tuple(parties),
    )


def _check(space: Space, rule: Rule, completions: int, count: int) -> RuleCheck:
    broken = (completions & ~space.rule_bits(rule)).bit_count()
    if not completions & space.applies_bits(rule):
        status = "n/a"
    elif broken == 0:
        status = "held"
    elif broken == count:
        status = "broken"
    else:
        status = "depends"
    return RuleCheck(rule, status, broken)
