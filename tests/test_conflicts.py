"""Property tests for conflicts (MUSes) and concessions (MCSes) against brute force over subsets."""

from __future__ import annotations

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nposition.engine.conflicts import dualize, members, shrink
from nposition.engine.levels import conflicts_and_relaxations
from nposition.engine.space import Space
from nposition.model.case import Issue, Option, RuleKind
from nposition.reports.analysis import analyze
from tests.oracle import World, all_packages, bit_positions, satisfying, subsets, to_bits
from tests.strategies import CASES, FAST, make_case, make_rule, random_cases

ISSUE_NAME = re.compile(r"\bi\d\b")


class Brute:
    """Satisfiability of sets of rules (bitmasks over positions) from plain package sets."""

    def __init__(self, sets: list[frozenset[int]], universe: frozenset[int]) -> None:
        self.sets = sets
        self.universe = universe
        self.everything = (1 << len(sets)) - 1
        # common[mask]: the packages every rule of `mask` allows, for all 2**n masks at once
        plain = [to_bits(s) for s in sets]
        common = [to_bits(universe)]
        for mask in range(1, 1 << len(sets)):
            low = mask & -mask
            common.append(common[mask ^ low] & plain[low.bit_length() - 1])
        self.common = common

    def sat(self, mask: int) -> bool:
        return self.common[mask] != 0

    def is_mus(self, mask: int) -> bool:
        return not self.sat(mask) and all(self.sat(mask & ~(1 << r)) for r in bit_positions(mask))

    def is_mcs(self, mask: int) -> bool:
        kept = self.everything & ~mask
        return self.sat(kept) and all(not self.sat(kept | 1 << r) for r in bit_positions(mask))

    def muses(self) -> set[int]:
        return {m for m in subsets(len(self.sets)) if self.is_mus(m)}

    def mcses(self) -> set[int]:
        # With nothing to correct, nposition reports no concession (not the empty one).
        if self.sat(self.everything):
            return set()
        return {m for m in subsets(len(self.sets)) if self.is_mcs(m)}


def _case_brute(case):
    packages = all_packages(case.issues)
    red = list(case.red_lines)
    brute = Brute([satisfying(r, packages) for r in red], frozenset(range(len(packages))))
    position = {r.key: k for k, r in enumerate(red)}
    return red, brute, position


def _mask(keys, position):
    out = 0
    for key in keys:
        out |= 1 << position[key]
    return out


@st.composite
def families(draw: st.DrawFn):
    """A universe of 1-8 points and 0-9 random subsets of it, as bitsets."""
    u = draw(st.integers(1, 8))
    full = (1 << u) - 1
    bits = draw(st.lists(st.integers(0, full), max_size=9))
    return bits, full


def _brute_of(bits, full):
    return Brute([frozenset(bit_positions(b)) for b in bits], frozenset(bit_positions(full)))


@settings(max_examples=150, deadline=None)
@given(families())
def test_dualize_finds_exactly_all_muses_and_mcses(family):
    """On random set families, dualize returns every MUS and every MCS, each once, and nothing else."""
    bits, full = family
    brute = _brute_of(bits, full)
    found = dualize(bits, full)
    assert found.complete
    assert len(set(found.conflicts)) == len(found.conflicts)
    assert len(set(found.corrections)) == len(found.corrections)
    assert set(found.conflicts) == brute.muses()
    assert set(found.corrections) == brute.mcses()
    if brute.sat(brute.everything):
        assert found == (found.__class__((), (), True))


@FAST
@given(families(), st.integers(1, 6))
def test_dualize_cut_short_reports_only_true_sets(family, max_sets):
    """With a small `max_sets`, whatever dualize reports is a true MUS or MCS; complete means all."""
    bits, full = family
    brute = _brute_of(bits, full)
    found = dualize(bits, full, max_sets=max_sets)
    assert set(found.conflicts) <= brute.muses()
    assert set(found.corrections) <= brute.mcses()
    if found.complete:
        assert set(found.conflicts) == brute.muses()
        assert set(found.corrections) == brute.mcses()


@FAST
@given(families(), st.data())
def test_shrink_returns_a_mus_inside_the_mask(family, data):
    """`shrink` of an unsatisfiable set is a minimal unsatisfiable subset of it."""
    bits, full = family
    brute = _brute_of(bits, full)
    mask = data.draw(st.integers(0, brute.everything))
    assume(not brute.sat(mask))
    core = shrink(bits, full, mask)
    assert core & ~mask == 0
    assert brute.is_mus(core)


@FAST
@given(st.integers(0, 1 << 70))
def test_members_lists_set_positions_in_order(mask):
    """`members` yields the set bit positions of a mask in increasing order."""
    assert list(members(mask)) == bit_positions(mask)


@CASES
@given(random_cases())
def test_reported_conflicts_are_minimal_unsatisfiable(case):
    """Every conflict is unsatisfiable and each set with one rule removed is satisfiable."""
    _, brute, position = _case_brute(case)
    result = analyze(case)
    for conflict in result.conflicts:
        mask = _mask(conflict.rules, position)
        assert len(conflict.rules) == mask.bit_count()
        assert not brute.sat(mask), conflict.rules
        for r in bit_positions(mask):
            assert brute.sat(mask & ~(1 << r)), conflict.rules


@CASES
@given(random_cases())
def test_no_conflict_is_missing(case):
    """With at most 10 red lines, the conflicts are exactly the brute-force MUSes."""
    red, brute, position = _case_brute(case)
    assume(len(red) <= 10)
    result = analyze(case)
    assert result.complete
    assert {_mask(c.rules, position) for c in result.conflicts} == brute.muses()
    assert len(result.conflicts) == len(brute.muses())


@CASES
@given(random_cases())
def test_conflict_details(case):
    """A conflict lists its rules sorted, their parties, the issues they mention and their sources."""
    red, _, position = _case_brute(case)
    result = analyze(case)
    for conflict in result.conflicts:
        assert list(conflict.rules) == sorted(conflict.rules)
        rules = [red[position[k]] for k in conflict.rules]
        assert conflict.parties == tuple(sorted({r.party for r in rules}))
        texts = [e.text for r in rules for e in (r.require, r.when) if e is not None]
        mentioned = {m for t in texts for m in ISSUE_NAME.findall(t)}
        assert conflict.issues == tuple(i.id for i in case.issues if i.id in mentioned)
        assert [c.rule for c in conflict.citations] == list(conflict.rules)
        assert all(c.who == r.source.who for c, r in zip(conflict.citations, rules, strict=True))


@CASES
@given(random_cases())
def test_concessions_open_the_zone_minimally(case):
    """Dropping a concession's rules opens the zone, and putting back any one of them closes it."""
    _, brute, position = _case_brute(case)
    result = analyze(case)
    for concession in result.concessions:
        mask = _mask(concession.drop, position)
        kept = brute.everything & ~mask
        assert brute.sat(kept), concession.drop
        for r in bit_positions(mask):
            assert not brute.sat(kept | 1 << r), concession.drop


@CASES
@given(random_cases())
def test_no_concession_is_missing(case):
    """With at most 10 red lines, the concessions are exactly the brute-force MCSes."""
    red, brute, position = _case_brute(case)
    assume(len(red) <= 10)
    result = analyze(case)
    found = [_mask(c.drop, position) for c in result.concessions]
    assert len(set(found)) == len(found)
    assert set(found) == brute.mcses()


@CASES
@given(random_cases())
def test_every_concession_hits_every_conflict(case):
    """Each concession drops at least one rule of every conflict."""
    result = analyze(case)
    for concession in result.concessions:
        for conflict in result.conflicts:
            assert set(concession.drop) & set(conflict.rules), (concession.drop, conflict.rules)


@CASES
@given(random_cases())
def test_concession_cost_parties_and_order(case):
    """A concession costs the sum of its rules' costs; concessions sort by (cost, size, ids)."""
    red, brute, position = _case_brute(case)
    result = analyze(case)
    for c in result.concessions:
        rules = [red[position[k]] for k in c.drop]
        assert list(c.drop) == sorted(c.drop)
        assert abs(c.cost - sum(r.cost for r in rules)) < 1e-9
        assert c.parties == tuple(sorted({r.party for r in rules}))
        kept = brute.everything & ~_mask(c.drop, position)
        assert c.zone.size == brute.common[kept].bit_count()
    keys = [(c.cost, len(c.drop), c.drop) for c in result.concessions]
    assert keys == sorted(keys)


@CASES
@given(random_cases())
def test_zone_decides_whether_there_are_conflicts(case):
    """A non-empty zone has no conflicts and no concessions; an empty one has both."""
    _, brute, _ = _case_brute(case)
    result = analyze(case)
    if brute.sat(brute.everything):
        assert result.zone.size > 0
        assert result.conflicts == ()
        assert result.concessions == ()
    else:
        assert result.zone.size == 0
        assert result.conflicts
        assert result.concessions


def test_three_party_cycle():
    """Three parties pairwise compatible but jointly impossible: one conflict, three concessions."""
    issues = (
        Issue("i0", "Issue 0", (Option("o0", "o0"), Option("o1", "o1"))),
        Issue("i1", "Issue 1", (Option("o0", "o0"), Option("o1", "o1"))),
    )
    red = RuleKind.RED_LINE
    case = make_case(
        issues,
        {
            "p0": [make_rule("p0", "a", red, "i0 == o1", issues, cost=3)],
            "p1": [make_rule("p1", "b", red, "i1 == o1", issues, cost=1)],
            "p2": [make_rule("p2", "c", red, "not (i0 == o1 and i1 == o1)", issues, cost=2)],
        },
    )
    result = analyze(case)
    assert [c.rules for c in result.conflicts] == [("p0/a", "p1/b", "p2/c")]
    assert result.conflicts[0].parties == ("p0", "p1", "p2")
    assert result.conflicts[0].issues == ("i0", "i1")
    assert [c.drop for c in result.concessions] == [("p1/b",), ("p2/c",), ("p0/a",)]
    assert [c.zone.size for c in result.concessions] == [1, 1, 1]
    assert "every party" in result.verdict


@CASES
@given(random_cases(v2=True))
def test_v2_conflicts_are_the_muses_of_the_stated_levels(case):
    """Over existing packages, the conflicts are exactly the MUSes of the red lines as stated."""
    red = case.red_lines
    assume(len(red) <= 10)
    world = World(case)
    assume(world.existing)  # with no package at all, there is nothing to conflict over
    brute = Brute([world.accepts(r) for r in red], world.existing)
    found = conflicts_and_relaxations(Space.of(case), red)
    assert found.complete
    assert set(found.conflicts) == brute.muses()
    assert len(found.conflicts) == len(brute.muses())


@st.composite
def nested_families(draw: st.DrawFn):
    """A universe of 1-8 points and 1-6 chains of 1-3 nested subsets, strongest first."""
    full = (1 << draw(st.integers(1, 8))) - 1
    bits, up = [], []
    for _ in range(draw(st.integers(1, 6))):
        chain = [draw(st.integers(0, full))]
        for _ in range(draw(st.integers(0, 2))):
            chain.append(chain[-1] | draw(st.integers(0, full)))
        first = len(bits)
        for _ in chain:
            up.append((1 << (first + len(chain))) - (1 << len(bits)))
            bits.append(chain[len(bits) - first])
    return bits, full, up


@settings(max_examples=150, deadline=None)
@given(nested_families(), st.booleans())
def test_dualize_over_nested_chains_finds_every_mcs(family, find_conflicts):
    """With the chains' closures given, dualize still finds exactly the MCSes of the whole family."""
    bits, full, up = family
    brute = _brute_of(bits, full)
    found = dualize(bits, full, up=up, find_conflicts=find_conflicts)
    assert found.complete
    assert set(found.corrections) == brute.mcses()
    assert len(set(found.corrections)) == len(found.corrections)
    if not find_conflicts:
        assert found.conflicts == ()
    for conflict in found.conflicts:  # minimal unsatisfiable among the closed sets
        assert not brute.sat(conflict)
        assert all(conflict & up[r] == up[r] for r in bit_positions(conflict))
