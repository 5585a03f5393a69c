"""Coalitions among three or more parties: each group's zone and the blocking parties, by brute force."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given

from nposition.engine.space import Space
from nposition.model.case import Case
from nposition.reports.analysis import analyze
from nposition.reports.coalitions import MAX_GROUPS, coalitions

from .strategies import CASES, all_packages, passing, random_cases


@CASES
@given(case=random_cases(min_parties=3, max_parties=4))
def test_group_zones_and_blocking_match_brute_force(case: Case) -> None:
    """Every group of 2+ parties has the zone of its red lines; a party blocks iff the others agree."""
    packages = all_packages(case.issues)
    accepted = {p.id: passing(p.red_lines, packages) for p in case.parties}
    ids = [p.id for p in case.parties]
    found = analyze(case, space=Space(case.issues)).coalitions
    assert found is not None
    expected = [
        (group, len(frozenset.intersection(*(accepted[p] for p in group))))
        for size in range(2, len(ids) + 1)
        for group in combinations(ids, size)
    ]
    assert [(g.parties, g.zone_size) for g in found.groups] == expected
    everyone = frozenset.intersection(*accepted.values())
    blockers = [
        p
        for p in ids
        if not everyone and frozenset.intersection(*(accepted[q] for q in ids if q != p))
    ]
    assert list(found.blocking) == blockers
    assert found.complete


@CASES
@given(case=random_cases(min_parties=2, max_parties=2))
def test_two_parties_have_no_coalition_table(case: Case) -> None:
    """With two parties the zone says it all: no coalitions are reported."""
    assert analyze(case, space=Space(case.issues)).coalitions is None


def test_many_parties_are_capped_and_say_so() -> None:
    """Past MAX_GROUPS groups the list stops, smallest groups first, and says it is partial."""
    parties = [f"p{k}" for k in range(12)]
    found = coalitions(parties, [1] * 12, 1)
    assert len(found.groups) == MAX_GROUPS
    assert not found.complete
    assert len(found.groups[0].parties) == 2


@CASES
@given(case=random_cases(v2=True, max_red_lines=3))
def test_conflicts_name_the_constraints_they_run_through(case: Case) -> None:
    """A conflict lists no constraint when its red lines clash on their own; otherwise every
    constraint it lists is one whose absence alone (or, when none is, all of whose absence)
    lets some package respect the issues' applies_when and satisfy the red lines."""
    import dataclasses

    from tests.oracle import all_packages, exists, rule_holds

    packages = all_packages(case.issues)
    loose = dataclasses.replace(case, constraints=())
    for conflict in analyze(case, space=Space.of(case)).conflicts:
        rules = [case.rule(k) for k in conflict.rules]
        held = [p for p in packages if exists(loose, p) and all(rule_holds(r, p) for r in rules)]
        if not held:
            assert conflict.constraints == ()
            continue
        assert conflict.constraints
        for cid in conflict.constraints:
            others = (
                [c for c in case.constraints if c.id != cid]
                if len(conflict.constraints) < len(case.constraints)
                else []
            )
            without = dataclasses.replace(case, constraints=tuple(others))
            assert any(exists(without, p) for p in held)
