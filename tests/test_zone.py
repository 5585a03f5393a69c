"""Property tests for acceptable sets, per-issue overlap and the zone's boxes, against brute force."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nposition.engine import space as space_module
from nposition.engine.space import Space
from nposition.engine.zone import IssueStatus, acceptable, box_bits, boxes, overlap
from nposition.errors import Location
from nposition.model.case import Issue, Option, Party, RuleKind
from nposition.model.tree import Expression, Member
from tests.oracle import World, all_packages, bit_positions, passing, rule_holds
from tests.strategies import CASES, FAST, issue_lists, make_case, make_rule, random_cases


def _zone(space, case):
    bits = space.full
    for party in case.parties:
        bits &= acceptable(space, party)
    return bits


def _box_packages(space, box):
    """The packages of a box, expanded with itertools.product (no bitsets)."""
    assert len(box) == len(space.sizes)
    return {space.index(p) for p in itertools.product(*(sorted(opts) for opts in box))}


@CASES
@given(random_cases())
def test_acceptable_sets_match_brute_force(case):
    """Each party's acceptable set is the packages that pass all of its red lines."""
    space = Space(case.issues)
    packages = all_packages(case.issues)
    for party in case.parties:
        assert bit_positions(acceptable(space, party)) == sorted(passing(party.red_lines, packages))


@CASES
@given(random_cases())
def test_zone_matches_brute_force(case):
    """The zone is the packages passing every red line of every party, and only those."""
    space = Space(case.issues)
    packages = all_packages(case.issues)
    zone = bit_positions(_zone(space, case))
    assert zone == sorted(passing(case.red_lines, packages))
    for k in zone:
        package = space.package(k)
        assert all(rule_holds(r, package) for r in case.red_lines)


@CASES
@given(random_cases())
def test_zone_boxes_partition_the_zone(case):
    """The boxes are non-empty, pairwise disjoint, and their union is exactly the zone."""
    space = Space(case.issues)
    zone = set(passing(case.red_lines, all_packages(case.issues)))
    found, complete = boxes(space, _zone(space, case))
    assert complete
    seen: set[int] = set()
    for box in found:
        inside = _box_packages(space, box)
        assert inside, box
        assert not inside & seen, box
        assert bit_positions(box_bits(space, box)) == sorted(inside)
        seen |= inside
    assert seen == zone


@FAST
@given(issue_lists(), st.data())
def test_boxes_of_any_set(issues, data):
    """Any bitset splits into disjoint boxes inside it; complete ones cover it exactly."""
    space = Space(issues)
    bits = data.draw(st.integers(0, space.full))
    max_boxes = data.draw(st.sampled_from([1, 2, 3, 5, 200]))
    found, complete = boxes(space, bits, max_boxes)
    target = set(bit_positions(bits))
    assert len(found) <= max_boxes
    seen: set[int] = set()
    for box in found:
        inside = _box_packages(space, box)
        assert inside
        assert inside <= target
        assert not inside & seen
        seen |= inside
    if complete:
        assert seen == target
    else:
        assert len(found) == max_boxes
        assert seen < target
    if max_boxes == 200:
        assert complete  # at most 4**4 / 2 boxes are ever needed here


@CASES
@given(random_cases())
def test_issue_overlap_is_the_projection(case):
    """Per issue: each party's options are the projection of its set; common and status follow."""
    space = Space(case.issues)
    packages = all_packages(case.issues)
    sets = [acceptable(space, p) for p in case.parties]
    brute = [passing(p.red_lines, packages) for p in case.parties]
    result = overlap(space, case, sets)
    assert [o.issue for o in result] == list(range(len(case.issues)))
    for i, o in enumerate(result):
        per_party = tuple(frozenset(packages[k][i] for k in s) for s in brute)
        assert o.acceptable == per_party
        common = frozenset.intersection(*per_party)
        assert o.common == common
        if not common:
            assert o.status is IssueStatus.CONFLICT
        elif len(set(per_party)) == 1:
            assert o.status is IssueStatus.AGREED
        else:
            assert o.status is IssueStatus.OVERLAP


@FAST
@given(issue_lists())
def test_party_without_red_lines_accepts_everything(issues):
    """A party with no red lines (preferences only) accepts every package."""
    pref = make_rule("p0", "w", RuleKind.PREFERENCE, f"{issues[0].id} == o0", issues)
    space = Space(issues)
    assert acceptable(space, Party("p0", "P0", (pref,))) == space.full
    assert acceptable(space, Party("p1", "P1", ())) == space.full
    case = make_case(issues, {"p0": [pref], "p1": []})
    assert all(o.status is IssueStatus.AGREED for o in overlap(space, case, [space.full] * 2))
    assert boxes(space, space.full) == ([tuple(frozenset(range(n)) for n in space.sizes)], True)


def test_zone_of_a_three_party_case():
    """Three parties narrow one issue each; the zone is their intersection, in two boxes."""
    issues = tuple(
        Issue(f"i{i}", f"Issue {i}", tuple(Option(f"o{j}", f"o{j}") for j in range(3)), True)
        for i in range(3)
    )
    case = make_case(
        issues,
        {
            "p0": [make_rule("p0", "a", RuleKind.RED_LINE, "i0 >= o1", issues)],
            "p1": [make_rule("p1", "b", RuleKind.RED_LINE, "i1 != o2", issues)],
            "p2": [
                make_rule("p2", "c", RuleKind.RED_LINE, "i2 in [o0, o2]", issues, when="i0 == o2")
            ],
        },
    )
    space = Space(issues)
    zone = _zone(space, case)
    assert set(bit_positions(zone)) == passing(case.red_lines, all_packages(issues))
    assert zone.bit_count() == 2 * 3 + 2 * 2
    found, complete = boxes(space, zone)
    assert complete
    f = frozenset
    assert sorted(found, key=lambda b: sorted(b[0])) == [
        (f({1}), f({0, 1}), f({0, 1, 2})),
        (f({2}), f({0, 1}), f({0, 2})),
    ]
    result = overlap(space, case, [acceptable(space, p) for p in case.parties])
    assert [o.status for o in result] == [
        IssueStatus.OVERLAP,
        IssueStatus.OVERLAP,
        IssueStatus.AGREED,
    ]
    assert [o.common for o in result] == [f({1, 2}), f({0, 1}), f({0, 1, 2})]


# --- version 2: only existing packages count --------------------------------------------------


@CASES
@given(random_cases(v2=True))
def test_v2_acceptable_sets_and_zone_match_brute_force(case):
    """Acceptable sets and the zone hold exactly the existing packages passing the red lines."""
    world = World(case)
    space = Space.of(case)
    for party in case.parties:
        assert bit_positions(acceptable(space, party)) == sorted(world.zone(party.red_lines))
    assert bit_positions(_zone(space, case)) == sorted(world.zone(case.red_lines))


@CASES
@given(random_cases(v2=True))
def test_v2_boxes_partition_the_zone(case):
    """The zone's boxes are disjoint, hold existing packages only, and cover the zone exactly."""
    world = World(case)
    space = Space.of(case)
    zone = set(world.zone(case.red_lines))
    found, complete = boxes(space, _zone(space, case))
    assert complete
    seen: set[int] = set()
    for box in found:
        inside = _box_packages(space, box)
        assert inside
        assert inside <= world.existing, box
        assert not inside & seen
        assert bit_positions(box_bits(space, box)) == sorted(inside)
        seen |= inside
    assert seen == zone


@CASES
@given(random_cases(v2=True))
def test_v2_overlap_reports_the_na_digit_like_an_option(case):
    """Per issue, each party's digits (n/a too) are the projection of its existing acceptable set."""
    world = World(case)
    space = Space.of(case)
    sets = [acceptable(space, p) for p in case.parties]
    for o in overlap(space, case, sets):
        per_party = tuple(
            frozenset(world.packages[k][o.issue] for k in world.zone(p.red_lines))
            for p in case.parties
        )
        assert o.acceptable == per_party
        assert o.common == frozenset.intersection(*per_party)


def test_boxes_of_a_conditional_issue():
    """Where `b` applies only when `a` is o1, the whole space is two boxes: (o0, n/a) and (o1, any)."""
    a = Issue("a", "A", (Option("o0", "o0"), Option("o1", "o1")))
    b = Issue("b", "B", (Option("x", "x"), Option("y", "y")), applies_when=_when_a_is_o1())
    space = Space((a, b))
    f = frozenset
    found, complete = boxes(space, space.full)
    assert complete
    assert sorted(found, key=lambda box: sorted(box[0])) == [(f({0}), f({2})), (f({1}), f({0, 1}))]
    result = overlap(space, make_case((a, b), {"p": []}), [space.full])
    assert result[1].acceptable == (f({0, 1, 2}),)


def _when_a_is_o1():
    return Expression("a == o1", Member(0, frozenset({1})), Location("test"))


@CASES
@given(issues=issue_lists(v2=True), data=st.data())
def test_projection_is_every_occurring_digit(issues, data):
    """Per issue, the digits that occur in some package of a set, computed in one cascade."""
    space = Space(issues)
    bits = data.draw(st.integers(0, space.full), label="bits") & space.full
    packages = [space.package(k) for k in bit_positions(bits)]
    assert space.projection(bits) == tuple(
        frozenset(p[i] for p in packages) for i in range(len(space.sizes))
    )


@CASES
@given(issues=issue_lists(v2=True), data=st.data())
def test_boxes_of_a_listed_set_are_the_bitset_boxes(issues, data):
    """A small set handled as a list of packages gets exactly the boxes (and cut) of its bitset."""
    space = Space(issues)
    bits = data.draw(st.integers(0, space.full), label="bits") & space.full
    limit = data.draw(st.integers(1, 6), label="max_boxes")
    want = boxes(space, bits, limit)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(space_module, "SPARSE_SPACE", 0)
        listed = Space(issues)
        assert listed.sparse(bits) is not None
        assert boxes(listed, bits, limit) == want
        assert list(listed.indices(bits, limit)) == bit_positions(bits)[:limit]
