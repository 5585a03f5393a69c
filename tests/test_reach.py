"""`reach` against brute force: exactly the minimal relaxations that open a package of the target's
form, with their costs and each party's share; `--by` keeps the other parties' red lines."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from nposition.engine.space import Space
from nposition.errors import UsageError
from nposition.model.case import Case
from nposition.reports.reach import reach
from tests.oracle import World
from tests.strategies import CASES, random_cases
from tests.test_levels import MAX_ASSIGNMENTS, _assignments, brute_relaxations


@st.composite
def targets(draw: st.DrawFn, case: Case) -> dict[int, int]:
    """A partial package: some issues fixed to an option or (where it may not apply) n/a."""
    fixed = {}
    for i, issue in enumerate(case.issues):
        if draw(st.booleans()):
            digits = len(issue.options) + (issue.na is not None)
            fixed[i] = draw(st.integers(0, digits - 1))
    return fixed


@CASES
@given(case=random_cases(v2=True, max_red_lines=3), data=st.data())
def test_reach_reports_exactly_the_minimal_relaxations(case: Case, data: st.DataObject) -> None:
    """Every reported concession is a minimal relaxation reaching the target, none is missing,
    and costs and shares add up; with `--by`, only those parties' red lines move."""
    red = case.red_lines
    fixed = data.draw(targets(case))
    by = tuple(data.draw(st.sets(st.sampled_from([p.id for p in case.parties]))))
    world = World(case)
    target = frozenset(
        k for k in world.existing if all(world.packages[k][i] == d for i, d in fixed.items())
    )
    space = Space.of(case)
    if not target:
        with pytest.raises(UsageError, match="no package has"):
            reach(case, space, fixed, by=sorted(by))
        return
    movable = [r for r in red if not by or r.party in by]
    assume(_assignments(movable) <= MAX_ASSIGNMENTS)
    found = reach(case, space, fixed, by=sorted(by))
    assert found.completions == len(target)
    assert found.in_zone == len(world.zone(red) & target)
    within = target & world.zone([r for r in red if by and r.party not in by])
    if found.in_zone or not within:
        assert found.concessions == ()
        assert found.others_block == (bool(by) and not found.in_zone and not within)
        return
    expected = set()
    for levels in brute_relaxations(world, movable, within):
        expected.add(tuple(sorted((movable[i].key, k) for i, k in levels)))
    reported = set()
    for c in found.concessions:
        moves = [(r.rule, r.level) for r in c.relax]
        moves += [(key, len(case.rule(key).fallbacks) + 1) for key in c.drop]
        reported.add(tuple(sorted(moves)))
        cost = sum(case.rule(k).level_cost(level) for k, level in moves)
        assert c.cost == pytest.approx(cost)
        assert sum(c.shares.values()) == pytest.approx(cost)
        assert set(c.shares) == {case.rule(k).party for k, _ in moves}
        assert not by or set(c.shares) <= set(by)
        assert c.zone.size > 0
    assert reported == expected
    costs = [(c.cost, len(c.rules)) for c in found.concessions]
    assert costs == sorted(costs)
