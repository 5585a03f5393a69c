"""Property tests for concessions over fallback levels, against a brute force over every level."""

from __future__ import annotations

import itertools
import math
from collections import Counter

from hypothesis import assume, given
from hypothesis import strategies as st

from nposition.engine.conflicts import dualize
from nposition.engine.levels import (
    conflicts_and_relaxations,
    nested_bits,
    relaxations,
    relaxed_zone,
    relaxed_zones,
)
from nposition.engine.space import Space
from nposition.errors import Location
from nposition.model.case import Fallback, Issue, Option, Rule, RuleKind
from nposition.model.tree import Expression, Member
from tests.oracle import World, bit_positions, to_bits
from tests.strategies import CASES, SOURCE, make_case, random_cases

MAX_ASSIGNMENTS = 4096  # level assignments the brute force walks through


def _opens(world, red, levels, target=None):
    zone = world.zone(red, levels)
    return bool(zone if target is None else zone & target)


def _minimal(world, red, levels, target=None):
    """Opens the zone, and no rule in it can be kept one level stronger with the zone still open."""
    if not _opens(world, red, levels, target):
        return False
    return all(not _opens(world, red, {**levels, i: k - 1}, target) for i, k in levels.items() if k)


def brute_relaxations(world, red, target=None):
    """Every minimal relaxation as `{rule position: level}`, by walking all level assignments."""
    if _opens(world, red, {}, target):
        return set()
    found = set()
    for combo in itertools.product(*(range(len(r.fallbacks) + 2) for r in red)):
        levels = {i: k for i, k in enumerate(combo) if k}
        if _minimal(world, red, levels, target):
            found.add(tuple(sorted(levels.items())))
    return found


def _assignments(red):
    return math.prod(len(r.fallbacks) + 2 for r in red)


@CASES
@given(random_cases(v2=True, max_red_lines=3))
def test_relaxations_are_exactly_the_minimal_ones(case):
    """With few enough level assignments, the relaxations are exactly brute force's minimal ones."""
    red = case.red_lines
    assume(_assignments(red) <= MAX_ASSIGNMENTS)
    world = World(case)
    found, complete = relaxations(Space.of(case), red)
    assert complete
    keys = [tuple(sorted(r.levels.items())) for r in found]
    assert len(set(keys)) == len(keys)
    assert set(keys) == brute_relaxations(world, red)


@CASES
@given(random_cases(v2=True))
def test_every_relaxation_opens_the_zone_minimally(case):
    """Each relaxation opens the zone, and keeping any of its rules one level stronger closes it."""
    red = case.red_lines
    world = World(case)
    space = Space.of(case)
    found, _ = relaxations(space, red)
    for relaxation in found:
        assert relaxation.levels
        assert all(1 <= k <= len(red[i].fallbacks) + 1 for i, k in relaxation.levels.items())
        assert _minimal(world, red, relaxation.levels)
        zone = relaxed_zone(space, red, relaxation.levels)
        assert bit_positions(zone) == sorted(world.zone(red, relaxation.levels))


@CASES
@given(random_cases(v2=True))
def test_relaxation_cost_split_and_order(case):
    """Cost is the sum of the levels' costs; rules split into relaxed and dropped; sorted by cost."""
    red = case.red_lines
    found, _ = relaxations(Space.of(case), red)
    for r in found:
        assert r.cost == sum(red[i].level_cost(k) for i, k in r.levels.items())
        relaxed = r.relaxed(red)
        dropped = r.dropped(red)
        assert len(relaxed) + len(dropped) == len(r.levels)
        assert all(1 <= k <= len(rule.fallbacks) for rule, k in relaxed)
        assert all(r.levels[red.index(rule)] == len(rule.fallbacks) + 1 for rule in dropped)
    keys = [(r.cost, len(r.levels), sorted(r.levels.items())) for r in found]
    assert keys == sorted(keys)


@CASES
@given(random_cases(v2=True))
def test_without_fallbacks_relaxations_drop_the_minimal_correction_sets(case):
    """With the fallbacks taken away, relaxations are the MCSes of the stated rules, all dropped."""
    red = tuple(Rule(**{**_fields(r), "fallbacks": ()}) for r in case.red_lines)
    space = Space.of(case)
    found, complete = relaxations(space, red)
    if not space.full:  # no package exists: nothing to open
        assert (found, complete) == ((), True)
        return
    stated = dualize([space.rule_bits(r) for r in red], space.full)
    assert complete == stated.complete
    assert {to_bits(r.levels) for r in found} == set(stated.corrections)
    assert all(set(r.levels.values()) == {1} for r in found)


@CASES
@given(random_cases(v2=True, max_red_lines=3), st.data())
def test_relaxations_within_a_target(case, data):
    """Relaxations within a target are the minimal ones that open a package of the target."""
    red = case.red_lines
    assume(_assignments(red) <= MAX_ASSIGNMENTS)
    space = Space.of(case)
    i = data.draw(st.integers(0, len(case.issues) - 1), label="issue")
    digit = data.draw(st.integers(0, space.sizes[i] - 1), label="digit")
    world = World(case)
    target = frozenset(k for k in world.existing if world.packages[k][i] == digit)
    found, complete = relaxations(space, red, within=space.fixing({i: digit}))
    assert complete
    keys = {tuple(sorted(r.levels.items())) for r in found}
    assert keys == (brute_relaxations(world, red, target) if target else set())


@CASES
@given(random_cases(v2=True))
def test_conflicts_and_relaxations_together(case):
    """The combined call gives the stated conflicts and the same relaxations as the separate one."""
    red = case.red_lines
    space = Space.of(case)
    both = conflicts_and_relaxations(space, red)
    stated = dualize([space.rule_bits(r) for r in red], space.full)
    assert both.conflicts == (stated.conflicts if space.full else ())
    assert both.relaxations == relaxations(space, red)[0]


@CASES
@given(random_cases(v2=True), st.integers(1, 4))
def test_relaxations_cut_short_are_still_minimal(case, max_sets):
    """With a small `max_sets`, every relaxation reported is still a minimal one."""
    red = case.red_lines
    world = World(case)
    found, _ = relaxations(Space.of(case), red, max_sets=max_sets)
    assert all(_minimal(world, red, r.levels) for r in found)


def _fields(rule):
    return {name: getattr(rule, name) for name in Rule.__dataclass_fields__}


def _member(issue, allowed, text):
    return Expression(text, Member(issue, frozenset(allowed)), Location("test"))


def test_a_fallback_is_cheaper_than_dropping_the_rule():
    """Russia's "two islands only" retreats to "two now, talks on the others" (cost 2), not dropped."""
    islands = Issue(
        "islands",
        "Islands transferred",
        tuple(Option(o, o) for o in ("none", "two", "two_plus_talks", "four")),
        ordered=True,
    )
    russia = Rule(
        "russia",
        "two-islands-only",
        RuleKind.RED_LINE,
        "Two islands at most",
        _member(0, {0, 1}, "islands <= two"),
        SOURCE,
        cost=5,
        fallbacks=(Fallback(_member(0, {0, 1, 2}, "islands <= two_plus_talks"), 2),),
    )
    japan = Rule(
        "japan", "more-than-two", RuleKind.RED_LINE, "More than two",
        _member(0, {2, 3}, "islands >= two_plus_talks"), SOURCE, cost=4,
    )  # fmt: skip
    case = make_case((islands,), {"japan": [japan], "russia": [russia]})
    space = Space.of(case)
    found, complete = relaxations(space, case.red_lines)
    assert complete
    assert [(r.levels, r.cost) for r in found] == [({1: 1}, 2), ({0: 1}, 4)]
    assert found[0].relaxed(case.red_lines) == [(russia, 1)]
    assert found[1].dropped(case.red_lines) == [japan]
    assert bit_positions(relaxed_zone(space, case.red_lines, found[0].levels)) == [2]
    assert nested_bits(space, russia, 2) == space.full


@CASES
@given(random_cases(v2=True))
def test_relaxations_are_the_mcses_of_the_family_of_levels(case):
    """Each relaxation is a plain MCS of the family of every level, its prefixes read as levels."""
    red = case.red_lines
    space = Space.of(case)
    assume(space.full)
    family, owner = [], []
    for i, rule in enumerate(red):
        for k in range(len(rule.fallbacks) + 1):
            family.append(space.level_bits(rule, k))
            owner.append(i)
    plain = dualize(family, space.full)
    assume(plain.complete)
    expected = set()
    for mask in plain.corrections:
        levels = Counter(owner[p] for p in bit_positions(mask))
        expected.add(tuple(sorted(levels.items())))
    found, complete = relaxations(space, red)
    assert complete
    assert {tuple(sorted(r.levels.items())) for r in found} == expected


@CASES
@given(random_cases(v2=True), st.booleans())
def test_zones_of_many_relaxations_share_their_base(case, within_half):
    """`relaxed_zones` gives each relaxation's `relaxed_zone`, in order, within any set."""
    red = case.red_lines
    space = Space.of(case)
    within = space.full & int("01" * space.raw_size, 2) if within_half else None
    found, _ = relaxations(space, red, within=within)
    zones = list(relaxed_zones(space, red, (r.levels for r in found), within))
    assert zones == [relaxed_zone(space, red, r.levels, within) for r in found]
