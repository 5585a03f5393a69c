"""Property tests for the parties' scaled utilities, on both the plain and the numpy code path."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nposition.engine import utility
from nposition.engine.space import Space
from nposition.engine.utility import Valuation
from nposition.errors import Location
from nposition.model.case import Issue, Option, Party, Rule, RuleKind, Scores
from nposition.model.tree import Expression, Member
from tests import squeeze
from tests.oracle import World, all_packages, bit_positions, brute_utilities
from tests.strategies import SOURCE, issue_lists, make_rule, random_cases

FAST = settings(max_examples=30, deadline=None)
# NUMPY_FROM values that force each code path on the small spaces generated here
PATHS = pytest.mark.parametrize("numpy_from", [1 << 30, 0], ids=["plain", "numpy"])
TOL = 1e-9
SQUEEZED = pytest.mark.parametrize("path", [p for p in squeeze.SETTINGS if p != "plain"])


def _valuation(case, numpy_from):
    with mock.patch.object(utility, "NUMPY_FROM", numpy_from):
        space = Space.of(case)
        return space, Valuation(space, case.parties)


@PATHS
@FAST
@given(case=random_cases(), data=st.data())
def test_values_match_brute_force(numpy_from, case, data):
    """`values` gives, for the candidates in index order, each party's brute-force utility."""
    packages = all_packages(case.issues)
    expected = [brute_utilities(p, packages) for p in case.parties]
    with mock.patch.object(utility, "NUMPY_FROM", numpy_from):
        space = Space(case.issues)
        valuation = Valuation(space, case.parties)
        candidates = data.draw(st.integers(0, space.full), label="candidates")
        limit = data.draw(st.none() | st.integers(0, space.size), label="limit")
        values = valuation.values(candidates, limit)
    chosen = bit_positions(candidates)[:limit]
    assert isinstance(values.indices, np.ndarray) == (numpy_from == 0)  # the path really taken
    assert [int(i) for i in values.indices] == chosen
    assert values.size == len(chosen)
    assert len(values.by_party) == len(case.parties)
    for got, want in zip(values.by_party, expected, strict=True):
        assert len(got) == len(chosen)
        for k, u in zip(chosen, got, strict=True):
            assert abs(float(u) - want[k]) <= TOL


@PATHS
@FAST
@given(case=random_cases())
def test_of_matches_brute_force(numpy_from, case):
    """`of(i)` gives every party's brute-force utility of package i, as floats."""
    packages = all_packages(case.issues)
    expected = [brute_utilities(p, packages) for p in case.parties]
    with mock.patch.object(utility, "NUMPY_FROM", numpy_from):
        valuation = Valuation(Space(case.issues), case.parties)
        for k in range(len(packages)):
            got = valuation.of(k)
            assert all(type(u) is float for u in got)
            assert got == pytest.approx(tuple(e[k] for e in expected), abs=TOL)


@PATHS
@FAST
@given(case=random_cases())
def test_best_package_scores_one(numpy_from, case):
    """Every party's utilities lie in [0, 1] and its best package in the space scores exactly 1."""
    with mock.patch.object(utility, "NUMPY_FROM", numpy_from):
        space = Space(case.issues)
        values = Valuation(space, case.parties).values(space.full)
    for party, us in zip(case.parties, values.by_party, strict=True):
        us = [float(u) for u in us]
        assert all(-TOL <= u <= 1 + TOL for u in us)
        assert abs(max(us) - 1.0) <= TOL, party.id
        if not party.preferences:
            assert us == [1.0] * space.size


@FAST
@given(case=random_cases(), data=st.data())
def test_both_code_paths_agree(case, data):
    """The plain and the numpy code paths give identical utilities (same additions, same order)."""
    plain_space, plain = _valuation(case, 1 << 30)
    _, fast = _valuation(case, 0)
    candidates = data.draw(st.integers(0, plain_space.full), label="candidates")
    with mock.patch.object(utility, "NUMPY_FROM", 1 << 30):
        a = plain.values(candidates)
    with mock.patch.object(utility, "NUMPY_FROM", 0):
        b = fast.values(candidates)
    assert [int(i) for i in b.indices] == list(a.indices)
    for x, y in zip(a.by_party, b.by_party, strict=True):
        assert [float(u) for u in y] == list(x)


@PATHS
@FAST
@given(issues=issue_lists())
def test_party_without_preferences_is_indifferent(numpy_from, issues):
    """A party with no preferences (or none ever satisfiable) scores 1 on every package."""
    never = make_rule("p1", "never", RuleKind.PREFERENCE, "false", issues, weight=2)
    red = make_rule("p0", "red", RuleKind.RED_LINE, f"{issues[0].id} == o0", issues)
    parties = (Party("p0", "P0", (red,)), Party("p1", "P1", (never,)))
    with mock.patch.object(utility, "NUMPY_FROM", numpy_from):
        space = Space(issues)
        valuation = Valuation(space, parties)
        values = valuation.values(space.full)
        assert [float(u) for u in values.by_party[0]] == [1.0] * space.size
        assert [float(u) for u in values.by_party[1]] == [1.0] * space.size
        assert valuation.of(0) == (1.0, 1.0)


@PATHS
def test_weights_are_summed_and_scaled(numpy_from):
    """Two preferences of weights 1 and 3: utilities 0, 1/4, 3/4 and 1 where they hold."""
    issues = tuple(
        Issue(f"i{i}", f"Issue {i}", (Option("o0", "o0"), Option("o1", "o1"))) for i in range(2)
    )
    prefs = (
        make_rule("p", "one", RuleKind.PREFERENCE, "i0 == o1", issues, weight=1),
        make_rule("p", "three", RuleKind.PREFERENCE, "i1 == o1", issues, weight=3),
    )
    with mock.patch.object(utility, "NUMPY_FROM", numpy_from):
        space = Space(issues)
        values = Valuation(space, (Party("p", "P", prefs),)).values(space.full)
    # packages in order (o0,o0) (o0,o1) (o1,o0) (o1,o1)
    assert [float(u) for u in values.by_party[0]] == [0.0, 0.75, 0.25, 1.0]


@pytest.mark.parametrize(
    ("sizes", "numpy"),
    [([4] * 8, True), ([3, 5, 17, 257], False)],
    ids=["at-threshold", "just-below"],
)
def test_numpy_threshold(sizes, numpy):
    """Spaces of NUMPY_FROM packages use numpy, one package fewer the plain path; both are right."""
    issues = tuple(
        Issue(f"i{i}", f"Issue {i}", tuple(Option(f"o{j}", f"o{j}") for j in range(n)), True)
        for i, n in enumerate(sizes)
    )
    assert (len(all_packages(issues)) >= utility.NUMPY_FROM) == numpy
    prefs = (
        make_rule("p", "a", RuleKind.PREFERENCE, "i0 == o1 or i1 > o1", issues, weight=1.5),
        make_rule("p", "b", RuleKind.PREFERENCE, "i2 != o0", issues, when="i3 <= o1", weight=0.5),
    )
    party = Party("p", "P", prefs)
    space = Space(issues)
    values = Valuation(space, (party, Party("q", "Q", ()))).values(space.full)
    assert isinstance(values.indices, np.ndarray) == numpy
    expected = brute_utilities(party, all_packages(issues))
    assert np.allclose(np.asarray(values.by_party[0], dtype=float), expected, rtol=0, atol=TOL)
    assert np.all(np.asarray(values.by_party[1]) == 1.0)


# --- version 2: value functions, existing packages only ---------------------------------------


@PATHS
@FAST
@given(case=random_cases(v2=True), data=st.data())
def test_v2_values_match_brute_force(numpy_from, case, data):
    """Value functions add `weight x score`; utilities are scaled over the existing packages."""
    world = World(case)
    expected = [world.utilities(p) for p in case.parties]
    with mock.patch.object(utility, "NUMPY_FROM", numpy_from):
        space = Space.of(case)
        valuation = Valuation(space, case.parties)
        candidates = data.draw(st.integers(0, space.everything), label="candidates") & space.full
        values = valuation.values(candidates)
        chosen = bit_positions(candidates)
        assert [int(i) for i in values.indices] == chosen
        for got, want in zip(values.by_party, expected, strict=True):
            assert [float(u) for u in got] == pytest.approx([want[k] for k in chosen], abs=TOL)
        for k in chosen[:5]:
            assert valuation.of(k) == pytest.approx(tuple(e[k] for e in expected), abs=TOL)


@FAST
@given(case=random_cases(v2=True))
def test_v2_both_code_paths_agree(case):
    """The plain and the numpy code paths give identical utilities with value functions and n/a."""
    plain_space, plain = _valuation(case, 1 << 30)
    _, fast = _valuation(case, 0)
    with mock.patch.object(utility, "NUMPY_FROM", 1 << 30):
        a = plain.values(plain_space.full)
    with mock.patch.object(utility, "NUMPY_FROM", 0):
        b = fast.values(plain_space.full)
    assert plain.scale == fast.scale
    assert [int(i) for i in b.indices] == list(a.indices)
    for x, y in zip(a.by_party, b.by_party, strict=True):
        assert [float(u) for u in y] == list(x)


@PATHS
@FAST
@given(case=random_cases(v2=True))
def test_v2_best_existing_package_scores_one(numpy_from, case):
    """Each party's best existing package scores 1; one whose preferences score nothing, 1 throughout."""
    with mock.patch.object(utility, "NUMPY_FROM", numpy_from):
        space = Space.of(case)
        values = Valuation(space, case.parties).values(space.full)
    for party, us in zip(case.parties, values.by_party, strict=True):
        us = [float(u) for u in us]
        assert all(-TOL <= u <= 1 + TOL for u in us)
        if us:
            assert abs(max(us) - 1.0) <= TOL, party.id
        if us and min(us) == max(us):
            assert us == [1.0] * space.size


@PATHS
def test_value_function_scores_options_and_na_scores_zero(numpy_from):
    """`scores` adds weight x score of the option; n/a and unlisted options score 0."""
    deal = Issue("deal", "Deal", (Option("no", "no"), Option("yes", "yes")))
    wage = Issue(
        "wage",
        "Wage",
        tuple(Option(f"pct_{p}", f"{p}%", float(p)) for p in (0, 2, 4)),
        ordered=True,
        applies_when=_when(0, {1}),
    )
    scores = Scores(1, (0.0, 0.5, 1.0), "wage: pct_0 0, pct_2 0.5, pct_4 1")
    higher = Rule(
        "union", "higher-wage", RuleKind.PREFERENCE, "", None, SOURCE, weight=3, scores=scores
    )
    deal_pref = make_rule(
        "union", "deal", RuleKind.PREFERENCE, "deal == yes", (deal, wage), weight=1
    )
    with mock.patch.object(utility, "NUMPY_FROM", numpy_from):
        space = Space((deal, wage))
        values = Valuation(space, (Party("union", "Union", (higher, deal_pref)),)).values(
            space.full
        )
    # existing packages: (no, n/a), (yes, pct_0), (yes, pct_2), (yes, pct_4); raw sums 0, 1, 2.5, 4
    assert [space.package(int(i)) for i in values.indices] == [(0, 3), (1, 0), (1, 1), (1, 2)]
    assert [float(u) for u in values.by_party[0]] == [0.0, 0.25, 0.625, 1.0]


def _when(issue, allowed):
    return Expression("(built)", Member(issue, frozenset(allowed)), Location("test"))


@SQUEEZED
@FAST
@given(case=random_cases(v2=True), data=st.data())
def test_every_code_path_gives_the_same_floats(path, case, data):
    """Chunked, sparse, masked and listed sums give the plain path's floats exactly (the same
    additions in the same order): utilities of any set, the scale, and `of`."""
    with squeeze.taking("plain"):
        space = Space.of(case)
        plain = Valuation(space, case.parties)
        candidates = data.draw(st.integers(0, space.full), label="candidates") & space.full
        want = plain.values(candidates)
        want_of = [plain.of(i) for i in space.indices(space.full)]
    with squeeze.taking(path):
        space = Space.of(case)
        valuation = Valuation(space, case.parties)
        got = valuation.values(candidates)
        got_of = [valuation.of(i) for i in space.indices(space.full)]
    assert valuation.scale == plain.scale
    assert [int(i) for i in got.indices] == list(want.indices)
    for x, y in zip(want.by_party, got.by_party, strict=True):
        assert [float(u) for u in y] == list(x)
    assert got_of == want_of


@FAST
@given(case=random_cases(v2=True), data=st.data())
def test_reweighting_reuses_the_cells(case, data):
    """New weights over the same space give what a fresh space gives (cells reused, not stale)."""
    weights = {
        r.key: data.draw(st.sampled_from([0.5, 1.0, 2.5, 3.0]), label=r.key)
        for p in case.parties
        for r in p.preferences
    }
    space = Space.of(case)
    Valuation(space, case.parties).values(space.full)  # fills the caches with the stated weights
    again = Valuation(space, case.parties, weights).values(space.full)
    fresh_space = Space.of(case)
    fresh = Valuation(fresh_space, case.parties, weights).values(fresh_space.full)
    assert again == fresh
