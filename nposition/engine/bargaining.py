"""Bargaining over a set of packages: the Pareto frontier and four classic solutions.

Utilities come from `utility.Valuation`; the disagreement point is each party's reservation
(its `reservation`, else its utility of the case's status quo, which must exist, else 0). Only
existing packages are ever candidates: the sets bargained over lie within `Space.full`. Only individually
rational packages count (every party gets at least its reservation). The frontier leaves out
weakly dominated packages: y dominates x when every party gets at least as much from y and some
party strictly more. Packages with identical utilities are all kept.

Solutions, each over the frontier (where every maximiser lies):
- Nash: the largest product of gains over the disagreement point.
- Kalai-Smorodinsky: the largest smallest gain as a share of the party's ideal gain.
- egalitarian: the leximin gains (largest smallest gain, then second smallest, ...).
- utilitarian: the largest sum of utilities.
Ties go to the larger utility sum, then to the first package in option order (lowest index).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from nposition.engine.space import Space
from nposition.engine.utility import GRAIN, NUMPY_FROM, Valuation
from nposition.model.case import Case


class Solution(StrEnum):
    """The bargaining solutions, in the order reports list them."""

    NASH = "nash"
    KALAI_SMORODINSKY = "kalai_smorodinsky"
    EGALITARIAN = "egalitarian"
    UTILITARIAN = "utilitarian"


SOLUTIONS = tuple(Solution)
MAX_LISTED = 200  # frontier packages listed in reports (all are counted)


@dataclass(frozen=True, slots=True)
class Point:
    """A package and every party's utility of it."""

    index: int
    utilities: tuple[float, ...]


class Bargain(NamedTuple):
    """The frontier and the solutions over one set of packages."""

    disagreement: tuple[float, ...]
    candidates: int  # individually rational packages
    frontier: tuple[Point, ...]  # in package order
    solutions: dict[str, Point | None]


def disagreement(case: Case, space: Space, valuation: Valuation) -> tuple[float, ...]:
    """Each party's utility of no agreement; the status quo must exist (the loader checks it)."""
    sq = None
    if case.status_quo is not None:
        if not space.exists(case.status_quo):
            raise ValueError(f"the status quo {case.status_quo} is not a package of the space")
        sq = valuation.of(space.index(case.status_quo))
    return tuple(
        p.reservation if p.reservation is not None else (sq[k] if sq is not None else 0.0)
        for k, p in enumerate(case.parties)
    )


def bargain(valuation: Valuation, bits: int, point: Sequence[float]) -> Bargain:
    """Frontier and solutions over the packages of `bits`, with disagreement `point`."""
    values = valuation.values(bits)
    if values.size >= NUMPY_FROM:
        candidates, frontier = _frontier_numpy(values.indices, values.by_party, point)
    else:
        candidates, frontier = _frontier_python(values.indices, values.by_party, point)
    return Bargain(tuple(point), candidates, frontier, solve(frontier, point))


def solve(frontier: Sequence[Point], point: Sequence[float]) -> dict[str, Point | None]:
    """The four solutions on a frontier (None for each when it is empty)."""
    if not frontier:
        return dict.fromkeys(SOLUTIONS)
    # Packages with equal utilities tie on every criterion: judge each vector once, keeping its
    # lowest-index package (the tie-break), which makes large frontiers cheap to solve.
    first: dict[tuple[float, ...], Point] = {}
    for p in frontier:
        if p.utilities not in first or p.index < first[p.utilities].index:
            first[p.utilities] = p
    frontier = list(first.values())
    exact = {p.index: tuple(_Q.of(u) for u in p.utilities) for p in frontier}
    base = tuple(_Q.of(d) for d in point)
    ideal = [max(exact[p.index][k] for p in frontier) for k in range(len(point))]

    def gains(p: Point) -> list[_Q]:
        return [u - d for u, d in zip(exact[p.index], base, strict=True)]

    def ks(p: Point) -> _Q:
        return min(
            g / (i - d) if i > d else _Q(1, 1)
            for g, i, d in zip(gains(p), ideal, base, strict=True)
        )

    def total(p: Point) -> _Q:
        return sum(exact[p.index], _Q(0, 1))

    criteria: dict[Solution, Callable[[Point], Any]] = {
        Solution.NASH: lambda p: _Q.product(gains(p)),
        Solution.KALAI_SMORODINSKY: ks,
        Solution.EGALITARIAN: lambda p: sorted(gains(p)),
        Solution.UTILITARIAN: total,
    }
    return {
        name: max(frontier, key=lambda p, f=f: (f(p), total(p), -p.index))  # type: ignore[misc]
        for name, f in criteria.items()
    }


class _Q:
    """An exact rational for judging solutions, so that ties on paper are ties.

    Utilities are ratios of weight sums, kept on a 1e-12 grid; a utility is read back as the
    simplest fraction within half a grid step (denominator at most a million), which recovers
    the value on paper for hand-written weights (5/6, 7/9) and is the grid value otherwise.
    (`fractions` is not used: it imports `decimal`, 40 ms of start-up.)
    """

    __slots__ = ("den", "num")

    def __init__(self, num: int, den: int) -> None:
        self.num, self.den = (num, den) if den > 0 else (-num, -den)

    @classmethod
    def of(cls, value: float) -> _Q:
        k = round(value * GRAIN)
        p0, q0, p1, q1 = 0, 1, 1, 0
        n, d = k, int(GRAIN)
        while d:
            a = n // d
            if q0 + a * q1 > _MAX_DENOMINATOR:
                break
            p0, q0, p1, q1 = p1, q1, p0 + a * p1, q0 + a * q1
            n, d = d, n - a * d
        if q1 and 2 * abs(p1 * int(GRAIN) - k * q1) <= q1:
            return cls(p1, q1)
        return cls(k, int(GRAIN))

    @classmethod
    def product(cls, values: Sequence[_Q]) -> _Q:
        return cls(math.prod(v.num for v in values), math.prod(v.den for v in values))

    def __add__(self, other: _Q) -> _Q:
        return _Q(self.num * other.den + other.num * self.den, self.den * other.den)

    def __sub__(self, other: _Q) -> _Q:
        return _Q(self.num * other.den - other.num * self.den, self.den * other.den)

    def __truediv__(self, other: _Q) -> _Q:
        return _Q(self.num * other.den, self.den * other.num)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Q) and self.num * other.den == other.num * self.den

    def __lt__(self, other: _Q) -> bool:
        return self.num * other.den < other.num * self.den

    def __gt__(self, other: _Q) -> bool:
        return self.num * other.den > other.num * self.den

    def __le__(self, other: _Q) -> bool:
        return not self > other

    def __ge__(self, other: _Q) -> bool:
        return not self < other

    __hash__ = None  # type: ignore[assignment]


_MAX_DENOMINATOR = 10**6


def _frontier_python(
    indices: Sequence[int], by_party: Sequence[Sequence[float]], point: Sequence[float]
) -> tuple[int, tuple[Point, ...]]:
    points = [
        Point(int(i), tuple(float(u[k]) for u in by_party))
        for k, i in enumerate(indices)
        if all(u[k] >= d for u, d in zip(by_party, point, strict=True))
    ]
    # Many packages share a utility vector: decide each distinct vector once. Best sum first:
    # nothing later can dominate an earlier vector, so one pass suffices.
    vectors = sorted({p.utilities for p in points}, key=lambda u: -sum(u))
    kept: list[tuple[float, ...]] = []
    for u in vectors:
        if not any(_dominates(f, u) for f in kept):
            kept.append(u)
    on_frontier = set(kept)
    return len(points), tuple(p for p in points if p.utilities in on_frontier)


def _dominates(a: Sequence[float], b: Sequence[float]) -> bool:
    return all(x >= y for x, y in zip(a, b, strict=True)) and any(
        x > y for x, y in zip(a, b, strict=True)
    )


def _frontier_numpy(
    indices: Any, by_party: Sequence[Any], point: Sequence[float]
) -> tuple[int, tuple[Point, ...]]:
    import numpy as np

    utilities = np.column_stack(by_party)
    rational = np.all(utilities >= np.asarray(point), axis=1)
    utilities, indices = utilities[rational], np.asarray(indices)[rational]
    keep = _frontier_2d(utilities) if utilities.shape[1] == 2 else _frontier_nd(utilities)
    chosen = utilities[keep]
    points = [
        Point(i, tuple(row)) for i, row in zip(indices[keep].tolist(), chosen.tolist(), strict=True)
    ]
    return int(rational.sum()), tuple(points)  # `indices` ascend, so this is package order


def _frontier_nd(utilities: Any) -> Any:
    """The non-dominated rows of an (n, d) array, as a boolean mask.

    Packages share utility vectors massively (sums of a few weights), so the distinct vectors are
    found first with one sort. Among them, the highest sum is never dominated by a remaining
    vector, nor by a removed one (dominance is transitive), so it is on the frontier; it removes
    every vector it dominates, and the next highest follows.
    """
    import numpy as np

    if not len(utilities):
        return np.zeros(0, dtype=bool)
    order = np.lexsort(utilities.T[::-1])
    ordered = utilities[order]
    starts = np.r_[True, np.any(ordered[1:] != ordered[:-1], axis=1)]
    distinct = ordered[starts]
    group = np.empty(len(utilities), dtype=np.int64)
    group[order] = np.cumsum(starts) - 1
    by_sum = np.argsort(-distinct.sum(axis=1), kind="stable")
    rest, rest_id = distinct[by_sum], by_sum
    on_frontier = np.zeros(len(distinct), dtype=bool)
    while len(rest):
        top = rest[0]
        on_frontier[rest_id[0]] = True
        alive = ~(np.all(rest <= top, axis=1) & np.any(rest < top, axis=1))
        alive[0] = False
        rest, rest_id = rest[alive], rest_id[alive]
    return on_frontier[group]


def _frontier_2d(utilities: Any) -> Any:
    """The non-dominated rows of an (n, 2) array, as a boolean mask, by one sort and a sweep."""
    import numpy as np

    if not len(utilities):
        return np.zeros(0, dtype=bool)
    order = np.lexsort((-utilities[:, 1], -utilities[:, 0]))  # first party's best first
    first, second = utilities[order, 0], utilities[order, 1]
    starts = np.flatnonzero(np.r_[True, first[1:] != first[:-1]])  # groups of equal `first`
    group = np.cumsum(np.r_[True, first[1:] != first[:-1]]) - 1
    best_so_far = np.maximum.accumulate(second)
    # The best `second` among packages with a strictly larger `first`.
    before = np.where(starts > 0, best_so_far[np.maximum(starts - 1, 0)], -np.inf)[group]
    top_of_group = second[starts][group]
    dominated = (before >= second) | (top_of_group > second)
    mask = np.zeros(len(utilities), dtype=bool)
    mask[order[~dominated]] = True
    return mask
