"""Why a package (or a partial one) is acceptable or not: every rule of every party, held or broken."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import NamedTuple

from nposition.engine.levels import nested_bits
from nposition.engine.space import Space
from nposition.engine.utility import Valuation
from nposition.engine.zone import options_in
from nposition.errors import UsageError
from nposition.model.case import Case, Rule
from nposition.model.expr import suggest, touched_issues
from nposition.reports.results import Package, package_of


class RuleStatus(StrEnum):
    """How a rule fares on a package, or on every completion of a partial one."""

    HELD = "held"
    BROKEN = "broken"
    DEPENDS = "depends"  # held by some completions of a partial package, broken by others
    NOT_APPLICABLE = "n/a"  # its `when` holds in no completion


class RuleCheck(NamedTuple):
    rule: Rule
    status: RuleStatus
    broken_in: int  # completions that break it
    level: int | None = None  # red lines with fallbacks: the strongest level every completion meets
    score: float | None = None  # value functions, on a single package: its score in [0, 1]


class PartyExplanation(NamedTuple):
    id: str
    name: str
    accepted: int  # completions that break none of its red lines
    utility: float | None  # for a full package
    checks: tuple[RuleCheck, ...]


class Explanation(NamedTuple):
    """Every rule of every party checked against a (partial) package."""

    case: str
    scenario: str | None
    package: Package  # the issues the package fixes
    free: tuple[str, ...]  # issues the package leaves open (and that apply somewhere)
    not_applicable: tuple[str, ...]  # issues left open that apply in no completion
    completions: int
    accepted_by_all: int
    parties: tuple[PartyExplanation, ...]


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
        if value == "n/a" and case.issues[issue].na is not None:
            options = [*options, value]  # the n/a digit comes after the options
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
    space = space or Space(case.issues, constraints=case.constraints)
    completions = space.fixing(fixed)
    count = completions.bit_count()
    if not count:
        raise UsageError(impossible(case, space, fixed, package_of(case, fixed)))
    single = next(space.indices(completions)) if count == 1 else None
    utilities = None if single is None else Valuation(space, case.parties).of(single)
    everyone = completions
    parties = []
    for k, party in enumerate(case.parties):
        checks = tuple(_check(space, rule, completions, count, single) for rule in party.rules)
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
    open_issues = [i for i in range(len(case.issues)) if i not in fixed]
    projection = space.projection(completions)
    na = {i for i in open_issues if projection[i] == {case.issues[i].na}}
    return Explanation(
        case=case.id,
        scenario=scenario,
        package=package_of(case, fixed),
        free=tuple(case.issues[i].id for i in open_issues if i not in na and count != 1),
        not_applicable=tuple(case.issues[i].id for i in sorted(na)),
        completions=count,
        accepted_by_all=everyone.bit_count(),
        parties=tuple(parties),
    )


def _check(space: Space, rule: Rule, completions: int, count: int, single: int | None) -> RuleCheck:
    if rule.scores is not None:
        digits = options_in(space, completions, rule.scores.issue)
        score = rule.scores.of(next(iter(digits))) if len(digits) == 1 else None
        status = (
            RuleStatus.DEPENDS if score is None else RuleStatus.HELD if score else RuleStatus.BROKEN
        )
        return RuleCheck(rule, status, 0, score=score)
    broken = (completions & ~space.rule_bits(rule)).bit_count()
    if not completions & space.applies_bits(rule):
        status = RuleStatus.NOT_APPLICABLE
    elif broken == 0:
        status = RuleStatus.HELD
    elif broken == count:
        status = RuleStatus.BROKEN
    else:
        status = RuleStatus.DEPENDS
    return RuleCheck(rule, status, broken, level=_level(space, rule, completions))


def _level(space: Space, rule: Rule, completions: int) -> int | None:
    """The strongest level of a red line with fallbacks that every completion meets."""
    if not rule.fallbacks:
        return None
    for k in range(len(rule.fallbacks) + 1):
        if not completions & ~nested_bits(space, rule, k):
            return k
    return len(rule.fallbacks) + 1  # only dropping the rule would accept them


def impossible(case: Case, space: Space, fixed: Mapping[int, int], target: Package) -> str:
    """Why no package has the target's form: an issue that does not apply, or a constraint."""
    named = ", ".join(f"{i}={o or 'n/a'}" for i, o in target.items())
    if len(fixed) == len(case.issues):  # a whole package: say exactly what it breaks
        found = space.absence([fixed[i] for i in range(len(case.issues))])
        issues = case.issues
        exact = [
            f"'{issues[i].id}' applies here and needs an option" for i in found.na_where_applies
        ]
        exact += [
            f"'{issues[i].id}' applies only when {when.text}"
            for i in found.option_where_na
            if (when := issues[i].applies_when) is not None
        ]
        exact += [f"it breaks constraint '{c}'" for c in found.constraints]
        if exact:
            return f"no package has {named}: {'; '.join(exact)}"
    reasons = [
        f"'{issue.id}' applies only when {issue.applies_when.text}"
        for i, issue in enumerate(case.issues)
        if i in fixed and issue.applies_when is not None
    ]
    reasons += [
        f"constraint '{c.id}' ({c.text})"
        for c in case.constraints
        if set(touched_issues(c.require.node)) & set(fixed)
    ]
    why = "; ".join(reasons) or "the case's issues and constraints rule it out"
    return f"no package has {named}: {why}"
