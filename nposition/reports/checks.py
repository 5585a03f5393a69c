"""Running expectations against analyses: what `nposition check` reports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from nposition.engine.space import Space
from nposition.engine.zone import acceptable
from nposition.model.case import Case, number
from nposition.model.expectations import CheckKind, Expectation

if TYPE_CHECKING:
    from nposition.reports.results import Analysis


class Outcome(NamedTuple):
    """One expectation evaluated: whether it held, what it wanted and what was found."""

    expectation: Expectation
    passed: bool
    expected: str
    found: str


class CheckReport(NamedTuple):
    """What `nposition check` reports: every expectation of a checks file, evaluated."""

    case: str
    file: str
    outcomes: tuple[Outcome, ...]

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if not o.passed)

    @property
    def passed(self) -> int:
        return len(self.outcomes) - self.failed


def run_checks(
    case_id: str,
    file: str,
    expectations: Sequence[Expectation],
    case_for: Callable[[str], Case],
    analysis_for: Callable[[str], Analysis],
    space: Space,
) -> CheckReport:
    """Evaluate every expectation: `case_for(scenario)` gives the case under a scenario, and
    `analysis_for(scenario)` its analysis, asked only by the expectations that need one (the
    search for concessions), so that a zone check never waits on it."""
    outcomes = []
    for e in expectations:
        case = case_for(e.scenario)
        if e.kind is CheckKind.CONCESSION_COST_AT_MOST:
            outcomes.append(_concession(e, analysis_for(e.scenario)))
        else:
            outcomes.append(_evaluate(e, case, space))
    return CheckReport(case_id, file, tuple(outcomes))


def _evaluate(e: Expectation, case: Case, space: Space) -> Outcome:
    size = space.all_of(case.red_lines).bit_count()
    if e.kind is CheckKind.ZONE:
        passed = (size == 0) == (e.value == "empty")
        return Outcome(e, passed, f"zone {e.value}", _zone(size))
    if e.kind is CheckKind.ZONE_SIZE_AT_LEAST:
        return Outcome(e, size >= e.value, f"zone of at least {number(e.value)}", _zone(size))
    if e.kind in (CheckKind.CONFLICT, CheckKind.NO_CONFLICT):
        return _conflict(e, case, space)
    if e.kind is CheckKind.REACHABLE:
        return _reachable(e, case, space)
    if e.kind is CheckKind.BLOCKING:
        return _blocking(e, case, space)
    return _package(e, case, space)


def _reachable(e: Expectation, case: Case, space: Space) -> Outcome:
    """Some package of the form is agreed already, or the cheapest way there is within budget."""
    from nposition.reports.reach import reach

    fixed, cost, by = e.value
    if not space.fixing(fixed):
        return _no_such_package(e, case, space, fixed)
    found = reach(case, space, fixed, by=by, limit=0)
    who = f" by {', '.join(by)}" if by else ""
    want = f"reachable{who}" + ("" if cost is None else f" at a cost of at most {number(cost)}")
    if found.in_zone:
        return Outcome(e, True, want, f"{found.in_zone:,} packages of this form already agreed")
    cheapest = found.concessions[0] if found.concessions else None
    if cheapest is None:
        return Outcome(e, False, want, f"no concession{who} reaches it")
    passed = cost is None or cheapest.cost <= cost
    if not passed and not found.complete:
        return Outcome(e, False, want, "unknown: the search stopped at its limit")
    return Outcome(
        e, passed, want, f"cheapest: {cheapest.describe()} (cost {number(cheapest.cost)})"
    )


def _no_such_package(e: Expectation, case: Case, space: Space, fixed: dict[int, int]) -> Outcome:
    """An expectation about packages that cannot exist fails and says why: never a vacuous pass."""
    from nposition.reports.explain import impossible
    from nposition.reports.results import package_of

    return Outcome(
        e, False, "a package of this form", impossible(case, space, fixed, package_of(case, fixed))
    )


def _blocking(e: Expectation, case: Case, space: Space) -> Outcome:
    """Exactly the listed parties block: without any one's red lines, the others would agree."""
    from nposition.reports.coalitions import blocking

    sets = [acceptable(space, p) for p in case.parties]
    found = blocking([p.id for p in case.parties], sets, space.full)
    want = f"blocking: {', '.join(e.value)}"
    return Outcome(
        e, tuple(sorted(found)) == e.value, want, f"blocking: {', '.join(found) or 'none'}"
    )


def _conflict(e: Expectation, case: Case, space: Space) -> Outcome:
    """`conflict: RULES` holds when those red lines cannot all hold together; `no_conflict` when
    they can. Decided directly on the space: no enumeration, so nothing can be cut short."""
    rules = [case.rule(key) for key in e.value]
    together = space.all_of(rules).bit_count()
    want = " + ".join(e.value)
    found = (
        "no package satisfies them together"
        if not together
        else f"{together:,} package{' satisfies' if together == 1 else 's satisfy'} them together"
    )
    if e.kind is CheckKind.CONFLICT:
        return Outcome(e, together == 0, f"conflict among {want}", found)
    return Outcome(e, together > 0, f"no conflict among {want}", found)


def _concession(e: Expectation, result: Analysis) -> Outcome:
    """The cheapest concession's cost, which a cut-short enumeration cannot vouch for."""
    want = f"concession of cost <= {number(e.value)}"
    if result.zone.size:
        return Outcome(e, True, want, "zone already open")
    cheapest = min((c.cost for c in result.concessions), default=None)
    if cheapest is not None and cheapest <= e.value:
        return Outcome(e, True, want, f"cheapest found costs {number(cheapest)}")
    if not result.complete:
        return Outcome(
            e,
            False,
            want,
            "unknown: the search for concessions stopped at its limit, so a cheaper one may exist",
        )
    cheapest = min((c.cost for c in result.concessions), default=None)
    found = "no concession" if cheapest is None else f"cheapest costs {number(cheapest)}"
    return Outcome(e, cheapest is not None and cheapest <= e.value, want, found)


def _package(e: Expectation, case: Case, space: Space) -> Outcome:
    party, fixed = e.value
    if not space.fixing(fixed):
        return _no_such_package(e, case, space, fixed)
    parties = [p for p in case.parties if party is None or p.id == party]
    bits = space.fixing(fixed)
    for p in parties:
        bits &= acceptable(space, p)
    completions = space.fixing(fixed).bit_count()
    count = bits.bit_count()
    # Without a party, acceptable means to all of them at once: in the zone of agreement.
    who = party or "all parties together"
    found = f"{count:,} of {completions:,} completions acceptable to {who}"
    if e.kind is CheckKind.ACCEPTABLE:
        return Outcome(e, count > 0, f"acceptable to {who}", found)
    if party is None:
        return Outcome(e, count == 0, "not acceptable to all parties together", found)
    return Outcome(e, count == 0, f"unacceptable to {who}", found)


def _zone(size: int) -> str:
    return f"zone of {size:,} package{'' if size == 1 else 's'}"
