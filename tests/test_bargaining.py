"""Bargaining against a plain brute force: utilities, individual rationality, frontier, solutions."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nposition.engine.bargaining import SOLUTIONS, bargain, disagreement
from nposition.engine.space import Space
from nposition.engine.utility import Valuation
from nposition.errors import Location
from nposition.model.case import Case, Issue, Option
from nposition.model.tree import Expression, Member

from .oracle import World, all_packages, raw_utility, rule_holds
from .squeeze import PATHS, taking
from .strategies import make_case, random_cases

Vector = tuple[Fraction, ...]


def brute_utilities(case: Case) -> list[Vector]:
    """Each package's utility per party, straight from the definition, in exact fractions."""
    packages = all_packages(case.issues)
    raw = [
        [
            sum((Fraction(r.weight) for r in party.preferences if rule_holds(r, pkg)), Fraction(0))
            for pkg in packages
        ]
        for party in case.parties
    ]
    best = [max(values) for values in raw]
    return [
        tuple(raw[k][i] / best[k] if best[k] else Fraction(1) for k in range(len(case.parties)))
        for i in range(len(packages))
    ]


def brute_frontier(points: dict[int, Vector]) -> list[int]:
    """Packages not weakly dominated by any other, by comparing every pair."""

    def dominates(a: Vector, b: Vector) -> bool:
        return all(x >= y for x, y in zip(a, b, strict=True)) and a != b

    return sorted(i for i, u in points.items() if not any(dominates(v, u) for v in points.values()))


def brute_solution(name: str, frontier: Sequence[int], u: dict[int, Vector], d: Vector) -> int:
    """The maximiser of a solution's criterion over all candidates (ties: larger sum, lower index)."""
    ideal = [max(u[i][k] for i in frontier) for k in range(len(d))]

    def gains(i: int) -> list[float]:
        return [a - b for a, b in zip(u[i], d, strict=True)]

    criterion = {
        "nash": lambda i: math.prod(gains(i)),
        "kalai_smorodinsky": lambda i: min(
            g / (m - b) if m > b else Fraction(1)
            for g, m, b in zip(gains(i), ideal, d, strict=True)
        ),
        "egalitarian": lambda i: sorted(gains(i)),
        "utilitarian": lambda i: sum(u[i]),
    }[name]
    return max(u, key=lambda i: (criterion(i), sum(u[i]), -i))


@st.composite
def cases_with_reservations(draw: st.DrawFn) -> Case:
    case = draw(random_cases())
    parties = tuple(
        dataclasses.replace(p, reservation=draw(st.sampled_from([None, 0.0, 0.25, 0.5])))
        for p in case.parties
    )
    return dataclasses.replace(case, parties=parties)


@PATHS
@settings(max_examples=120, deadline=None)
@given(case=cases_with_reservations())
def test_bargaining_matches_brute_force(path: str, case: Case) -> None:
    """Frontier and all four solutions equal a brute force, on every code path (plain, numpy,
    chunked, sparse, listed: `tests.squeeze`)."""
    with taking(path):
        space = Space(case.issues)
        valuation = Valuation(space, case.parties)
        zone = space.all_of(case.red_lines)
        d = disagreement(case, space, valuation)
        found = bargain(valuation, zone, d)

    utilities = brute_utilities(case)
    exact_d = tuple(
        Fraction(x) for x in d
    )  # reservations of these cases are exact binary fractions
    zone_indices = [i for i in range(space.size) if zone >> i & 1]
    rational = {
        i: utilities[i]
        for i in zone_indices
        if all(x >= y for x, y in zip(utilities[i], exact_d, strict=True))
    }
    assert found.candidates == len(rational)
    frontier = brute_frontier(rational)
    assert [p.index for p in found.frontier] == frontier
    for p in found.frontier:
        assert p.utilities == pytest.approx([float(u) for u in utilities[p.index]], abs=1e-12)
    for name in SOLUTIONS:
        point = found.solutions[name]
        if not frontier:
            assert point is None
            continue
        assert point is not None
        expected = brute_solution(name, frontier, rational, exact_d)
        assert point.index == expected, name


def test_disagreement_uses_reservation_then_status_quo() -> None:
    """A party's reservation wins; without it, its utility of the status quo package; else 0."""
    from nposition.formats.case_file import load_case

    from .conftest import CASES

    case = load_case(CASES / "mini")
    space = Space(case.issues)
    assert disagreement(case, space, Valuation(space, case.parties)) == (0.0, 0.0)
    with_sq = dataclasses.replace(case, status_quo=(2, 0, 0))  # high price, fast, no warranty
    buyer = dataclasses.replace(with_sq.parties[0], reservation=0.4)
    with_both = dataclasses.replace(with_sq, parties=(buyer, with_sq.parties[1]))
    valuation = Valuation(space, with_both.parties)
    seller_sq = valuation.of(space.index((2, 0, 0)))[1]
    assert seller_sq == 1.0  # the seller's only preference is the high price
    assert disagreement(with_both, space, valuation) == (0.4, seller_sq)


@PATHS
@settings(max_examples=60, deadline=None)
@given(case=random_cases(v2=True))
def test_v2_bargaining_is_over_existing_packages(path: str, case: Case) -> None:
    """With n/a digits, constraints and value functions, bargaining over the zone equals brute
    force, on every code path."""
    with taking(path):
        space = Space.of(case)
        found = bargain(
            Valuation(space, case.parties), space.all_of(case.red_lines), (0.0,) * len(case.parties)
        )
    world = World(case)
    raw = [[raw_utility(p, pkg) for pkg in world.packages] for p in case.parties]
    best = [max((r[k] for k in world.existing), default=Fraction(0)) for r in raw]
    utilities = {
        k: tuple(r[k] / b if b else Fraction(1) for r, b in zip(raw, best, strict=True))
        for k in world.zone(case.red_lines)
    }
    d = (Fraction(0),) * len(case.parties)
    frontier = brute_frontier(utilities)
    assert found.candidates == len(utilities)
    assert [p.index for p in found.frontier] == frontier
    for name in SOLUTIONS:
        point = found.solutions[name]
        assert (point is None) == (not frontier)
        if point is not None:
            assert point.index == brute_solution(name, frontier, utilities, d), name


def test_status_quo_must_exist() -> None:
    """A status quo that gives an option to an issue that does not apply is refused."""
    deal = Issue("deal", "Deal", (Option("no", "no"), Option("yes", "yes")))
    when = Expression("deal == yes", Member(0, frozenset({1})), Location("case.yaml", 7, 20))
    wage = Issue("wage", "Wage", (Option("low", "low"), Option("high", "high")), applies_when=when)
    case = make_case((deal, wage), {"a": [], "b": []}, status_quo=(0, 1))
    space = Space.of(case)
    with pytest.raises(ValueError, match="not a package"):
        disagreement(case, space, Valuation(space, case.parties))
    fine = make_case((deal, wage), {"a": [], "b": []}, status_quo=(0, 2))
    assert disagreement(fine, space, Valuation(space, fine.parties)) == (1.0, 1.0)
