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
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from nposition.engine.space import Space
from nposition.engine.utility import GRAIN, Valuation
from nposition.model.case import Case
from nposition.model.record import Record

if TYPE_CHECKING:
    from nposition.engine.grid import Basis


class Solution(StrEnum):
    """The bargaining solutions, in the order reports list them."""

    NASH = "nash"
    KALAI_SMORODINSKY = "kalai_smorodinsky"
    EGALITARIAN = "egalitarian"
    UTILITARIAN = "utilitarian"


SOLUTIONS = tuple(Solution)
MAX_LISTED = 200  # frontier packages listed in reports (all are counted)


class Point(Record):
    """A package and every party's utility of it (a frozen dataclass, cheap to define)."""

    index: int
    utilities: tuple[float, ...]


class Distinct(NamedTuple):
    """A frontier's distinct utility vectors: each with its first package and how many share it."""

    vectors: Any  # per party, a list or array of utilities
    first: Any  # the lowest package number with each vector
    counts: Any  # the frontier packages with each vector

    @property
    def size(self) -> int:
        return len(self.first)


class Frontier:
    """The Pareto frontier of a set of packages, in package order.

    Held as a list of points on small spaces and as numpy arrays on large ones, where it may
    run to millions of packages: only the packages asked for (`points`) become Python objects.
    """

    __slots__ = ("_distinct", "indices", "utilities")

    def __init__(self, indices: Any, utilities: Sequence[Any]) -> None:
        self.indices = indices  # ascending package numbers: a list, or an int64 array
        self.utilities = tuple(utilities)  # per party, aligned with `indices`
        self._distinct: Distinct | None = None

    @classmethod
    def of(cls, points: Sequence[Point], parties: int) -> Frontier:
        """A frontier from points in package order."""
        return cls(
            [p.index for p in points], [[p.utilities[k] for p in points] for k in range(parties)]
        )

    def __len__(self) -> int:
        return len(self.indices)

    def __iter__(self) -> Iterator[Point]:
        return iter(self.points())

    def points(self, limit: int | None = None) -> list[Point]:
        """The first `limit` packages (all by default) with their utilities."""
        indices = self.indices[:limit]
        columns = [u[:limit] for u in self.utilities]
        if not isinstance(indices, list):
            indices, columns = indices.tolist(), [c.tolist() for c in columns]
        return [Point(i, tuple(u)) for i, *u in zip(indices, *columns, strict=True)]

    def distinct(self) -> Distinct:
        """The distinct utility vectors, in the order of their first packages."""
        if self._distinct is None:
            if isinstance(self.indices, list):
                found: dict[tuple[float, ...], list[int]] = {}
                for p in self.points():
                    entry = found.setdefault(p.utilities, [p.index, 0])
                    entry[1] += 1
                vectors = list(found)
                self._distinct = Distinct(
                    [[v[k] for v in vectors] for k in range(len(self.utilities))],
                    [found[v][0] for v in vectors],
                    [found[v][1] for v in vectors],
                )
            else:
                from nposition.engine.frontier import first_of_each

                self._distinct = first_of_each(self.indices, self.utilities)
        return self._distinct

    def ties(self, utilities: Sequence[float]) -> int:
        """How many frontier packages have exactly these utilities."""
        found = self.distinct()
        columns = found.vectors
        if isinstance(found.first, list):
            for k in range(found.size):
                if all(col[k] == u for col, u in zip(columns, utilities, strict=True)):
                    return int(found.counts[k])
            return 0
        same = columns[0] == utilities[0]
        for col, u in zip(columns[1:], utilities[1:], strict=True):
            same &= col == u
        return int(found.counts[same].sum())


class Bargain(NamedTuple):
    """The frontier and the solutions over one set of packages."""

    disagreement: tuple[float, ...]
    candidates: int  # individually rational packages
    frontier: Frontier  # in package order
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


def bargain(valuation: Valuation, bits: int | Basis, point: Sequence[float]) -> Bargain:
    """Frontier and solutions over the packages of `bits`, with disagreement `point`."""
    if valuation.large:
        from nposition.engine.frontier import rational_frontier

        candidates, indices, utilities = rational_frontier(valuation.batches(bits), point)
        frontier = Frontier(indices, utilities)
    else:
        assert isinstance(bits, int)
        values = valuation.values(bits)
        candidates, points = _frontier_python(values.indices, values.by_party, point)
        frontier = Frontier.of(points, len(point))
    return Bargain(tuple(point), candidates, frontier, solve(frontier, point))


def solve(frontier: Frontier, point: Sequence[float]) -> dict[str, Point | None]:
    """The four solutions on a frontier (None for each when it is empty)."""
    if not len(frontier):
        return dict.fromkeys(SOLUTIONS)
    # Packages with equal utilities tie on every criterion: judge each vector once, keeping its
    # lowest-index package (the tie-break). On a large frontier numpy first sets aside the
    # vectors that cannot win (see `frontier.contenders`); the rest are judged exactly.
    found = frontier.distinct()
    base = tuple(_Q.of(d) for d in point)
    # `_Q.of` never decreases (a larger grid value reads as at least as large a fraction), so
    # the exact ideal is the fraction of the largest float.
    ideal = [
        _Q.of(float(max(col) if isinstance(col, list) else col.max())) for col in found.vectors
    ]
    if isinstance(found.first, list) or found.size <= EXACT_ALL:
        candidates = {name: _points(found, range(found.size)) for name in SOLUTIONS}
    else:
        from nposition.engine.frontier import contenders

        spans = [float(i - d) if i > d else 0.0 for i, d in zip(ideal, base, strict=True)]
        chosen = contenders(found.vectors, point, spans)
        candidates = {name: _points(found, chosen[name]) for name in SOLUTIONS}
    exact: dict[int, tuple[_Q, ...]] = {}
    for ps in candidates.values():
        for p in ps:
            if p.index not in exact:
                exact[p.index] = tuple(_Q.of(u) for u in p.utilities)

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
        name: max(candidates[name], key=lambda p, f=f: (f(p), total(p), -p.index))  # type: ignore[misc]
        for name, f in criteria.items()
    }


EXACT_ALL = 64  # distinct frontier vectors judged exactly without a numpy pre-selection


def _points(found: Distinct, which: Iterable[int]) -> list[Point]:
    """The distinct vectors `which`, each as its first package."""
    columns = found.vectors
    return [Point(int(found.first[k]), tuple(float(col[k]) for col in columns)) for k in which]


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

    def __float__(self) -> float:
        return self.num / self.den

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
