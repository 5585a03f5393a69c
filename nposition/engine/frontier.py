"""The Pareto frontier of many packages with numpy, without sorting every row.

Utilities arrive as one array per party (floats on the 1e-12 grid, so packages equal on paper are
equal). A row is on the frontier when no other row is at least as good for every party and better
for one; identical rows are all kept.

- Two parties: one sort by the first utility; per distinct first utility, the best second; a
  running maximum over larger first utilities. A row survives when it is the best of its group
  and beats every group above it.
- More parties: the distinct utility vectors (rows hashed on their floats' bits, every row then
  checked against its group's representative, so a hash collision cannot merge two vectors), the
  frontier among them by elimination from the best sum down, and the rows of the vectors kept.

`Pool` streams batches of packages through both, keeping only each batch's frontier, so memory
follows the frontier, not the candidates. Only numpy-path code imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from nposition.engine.bargaining import Distinct

ALL_PAIRS = 1 << 13  # distinct vectors compared all against all (a block of rows at a time)
BLOCK = 1 << 8
POOL = 1 << 21
UTILITY_ERROR = 0.6e-12  # a utility's float against the fraction the exact judge reads
GAIN_ERROR = 3 * UTILITY_ERROR  # a gain's: the utility's, and the reservation's (twice that)
SAMPLE, SEED_FROM = 16, 1 << 16  # two parties: a batch of SEED_FROM packages or more is first
# filtered by the frontier of one package in SAMPLE  # rows the pool may hold before it is reduced to its own frontier
# Odd 64-bit multipliers mixing one party's float bits into a row's hash.
_MIX = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5)


def pareto(cols: Sequence[Any]) -> Any:
    """The rows of `cols` (one float array per party, equal lengths) on the frontier, as a mask."""
    n = len(cols[0])
    if n == 0:
        return np.zeros(0, dtype=bool)
    if len(cols) == 1:
        return cols[0] == cols[0].max()
    if len(cols) == 2:
        return _pareto_2d(cols[0], cols[1])
    group, first = distinct(cols)
    vectors = np.column_stack([c[first] for c in cols])
    return _eliminate(vectors)[group]


def _pareto_2d(a: Any, b: Any) -> Any:
    order = np.argsort(a)[::-1]  # best first utility first
    sa, sb = a[order], b[order]
    new = np.empty(len(sa), dtype=bool)
    new[0] = True
    np.not_equal(sa[1:], sa[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    top = np.maximum.reduceat(sb, starts)  # per distinct first utility, the best second
    above = np.empty(len(top))  # the best second among strictly larger first utilities
    above[0] = -np.inf
    np.maximum.accumulate(top[:-1], out=above[1:])
    group = np.cumsum(new) - 1
    keep = (sb == top[group]) & (sb > above[group])
    mask = np.zeros(len(a), dtype=bool)
    mask[order[keep]] = True
    return mask


def distinct(cols: Sequence[Any]) -> tuple[Any, Any]:
    """(group of every row, one row of every group): the distinct vectors of `cols`."""
    n = len(cols[0])
    h = np.empty(n, dtype=np.uint64)
    mixed = np.empty(n, dtype=np.uint64)
    for k, col in enumerate(cols):
        bits = (col + 0.0).view(np.uint64)  # + 0.0: -0.0 and 0.0 hash alike, as they compare
        np.multiply(bits, np.uint64(_MIX[k % len(_MIX)]), out=h if k == 0 else mixed)
        if k:
            np.bitwise_xor(h, mixed, out=h)
    keys = np.sort(h)
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
    group = np.searchsorted(keys, h)
    first = np.empty(len(keys), dtype=np.int64)
    first[group] = np.arange(n)
    if all(np.array_equal(col, col[first][group]) for col in cols):
        return group, first
    # Two vectors share a hash: group exactly, by sorting the rows.
    order = np.lexsort(tuple(cols)[::-1])
    rows = np.column_stack([c[order] for c in cols])
    starts = np.r_[True, np.any(rows[1:] != rows[:-1], axis=1)]
    group = np.empty(n, dtype=np.intp)
    group[order] = np.cumsum(starts) - 1
    return group, order[starts]


def _eliminate(vectors: Any) -> Any:
    """The non-dominated rows of an (m, d) array of distinct vectors, as a mask.

    A few thousand vectors are compared all against all, a block at a time. Beyond that: the
    highest sum is never dominated by a remaining vector, nor by a removed one (dominance is
    transitive), so it is on the frontier; it removes every vector it dominates, and the next
    highest follows.
    """
    m = len(vectors)
    if m <= ALL_PAIRS:
        cols = [np.ascontiguousarray(vectors[:, k]) for k in range(vectors.shape[1])]
        dominated = np.zeros(m, dtype=bool)
        for at in range(0, m, BLOCK):
            # [i, j]: vector j is at least vector at + i everywhere, and better somewhere
            ge = cols[0] >= cols[0][at : at + BLOCK, None]
            gt = cols[0] > cols[0][at : at + BLOCK, None]
            for col in cols[1:]:
                ge &= col >= col[at : at + BLOCK, None]
                gt |= col > col[at : at + BLOCK, None]
            dominated[at : at + BLOCK] = np.any(ge & gt, axis=1)
        return ~dominated
    by_sum = np.argsort(-vectors.sum(axis=1), kind="stable")
    rest, rest_id = vectors[by_sum], by_sum
    on_frontier = np.zeros(len(vectors), dtype=bool)
    while len(rest):
        top = rest[0].copy()
        on_frontier[rest_id[0]] = True
        alive = ~(np.all(rest <= top, axis=1) & np.any(rest < top, axis=1))
        alive[0] = False
        rest, rest_id = rest[alive], rest_id[alive]
    return on_frontier


def beaten(front: Sequence[Any], a: Any, b: Any) -> Any:
    """Rows (a, b) dominated by a two-party frontier `front` (its first utilities ascending)."""
    fa, fb = front
    j = np.searchsorted(fa, a, side="left")  # the first frontier vector with as much first utility
    inside = j < len(fa)
    j = np.minimum(j, len(fa) - 1)
    return inside & (fb[j] >= b) & ((fa[j] > a) | (fb[j] > b))


class Pool:
    """The frontier of packages that arrive in batches, in index order."""

    def __init__(self, parties: int) -> None:
        self.parties = parties
        self.indices: list[Any] = []
        self.cols: list[list[Any]] = [[] for _ in range(parties)]
        self.rows = 0
        self.front: tuple[Any, Any] | None = None  # two parties: the pool's frontier vectors

    def add(self, indices: Any, cols: Sequence[Any]) -> None:
        """Take a batch (indices ascending, after every earlier batch's)."""
        if self.parties == 2:
            # What the frontier so far dominates is dominated (its vectors are real packages's);
            # when much of the batch is left, so is what one package in SAMPLE of it dominates:
            # most of the batch goes before any sort.
            for _ in range(2):
                if self.front is not None:
                    keep = ~beaten(self.front, cols[0], cols[1])
                    indices, cols = indices[keep], [c[keep] for c in cols]
                if len(indices) < SEED_FROM:
                    break
                self._tighten(cols[0][::SAMPLE], cols[1][::SAMPLE])
        keep = pareto(cols)
        indices, cols = indices[keep], [c[keep] for c in cols]
        self.indices.append(indices)
        for mine, col in zip(self.cols, cols, strict=True):
            mine.append(col)
        self.rows += len(indices)
        if self.parties == 2 and len(indices):
            self._tighten(cols[0], cols[1])
        if self.rows > POOL:
            self._reduce()

    def _tighten(self, a: Any, b: Any) -> None:
        """Two parties: the frontier of the known one and the packages (a, b), first utility up."""
        if self.front is not None:
            a, b = np.concatenate([self.front[0], a]), np.concatenate([self.front[1], b])
        keep = pareto([a, b])
        a, b = a[keep], b[keep]
        order = np.argsort(a, kind="stable")
        a, b = a[order], b[order]
        # One of each vector: on a frontier, packages with the same first utility tie on both.
        once = np.r_[True, a[1:] != a[:-1]]
        self.front = (a[once], b[once])

    def _reduce(self) -> None:
        indices = np.concatenate(self.indices) if self.indices else np.zeros(0, dtype=np.int64)
        cols = [np.concatenate(c) if c else np.zeros(0) for c in self.cols]
        keep = pareto(cols) if len(indices) else np.zeros(0, dtype=bool)
        self.indices = [indices[keep]]
        self.cols = [[c[keep]] for c in cols]
        self.rows = int(keep.sum())

    def result(self) -> tuple[Any, tuple[Any, ...]]:
        """The frontier's indices (ascending) and utilities, one array per party."""
        self._reduce()
        return self.indices[0], tuple(c[0] for c in self.cols)


def rational_frontier(batches: Iterable[Any], point: Sequence[float]) -> tuple[int, Any, Any]:
    """Over batches of `Values`: how many are individually rational, and their frontier
    (indices ascending, utilities one array per party)."""
    pool = Pool(len(point))
    count = 0
    for values in batches:
        cols = values.by_party
        ok = cols[0] >= point[0]
        for col, d in zip(cols[1:], point[1:], strict=True):
            ok &= col >= d
        n = int(np.count_nonzero(ok))
        count += n
        if n == len(ok):
            pool.add(values.indices, cols)
        elif n:
            pool.add(values.indices[ok], [c[ok] for c in cols])
    indices, utilities = pool.result()
    return count, indices, utilities


def first_of_each(indices: Any, utilities: Sequence[Any]) -> Distinct:
    """A frontier's distinct vectors, in the order of their first (lowest-numbered) packages."""
    from nposition.engine.bargaining import Distinct

    if not len(indices):
        return Distinct([u[:0] for u in utilities], indices[:0], np.zeros(0, dtype=np.int64))
    group, _ = distinct(utilities)
    order = np.argsort(group, kind="stable")  # within a group, rows stay in package order
    grouped = group[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    counts = np.diff(np.r_[starts, len(order)])
    rows = order[starts]
    by_first = np.argsort(rows)
    rows, counts = rows[by_first], counts[by_first]
    return Distinct([u[rows] for u in utilities], indices[rows], counts)


def contenders(
    vectors: Sequence[Any], point: Sequence[float], spans: Sequence[float]
) -> dict[str, Any]:
    """Per solution, the distinct frontier vectors that may maximise it, for exact judging.

    The exact judge (`bargaining._Q.of`) reads a utility, which lies on the 1e-12 grid, as a
    fraction within UTILITY_ERROR of its float, and a reservation, rounded to the grid first,
    within twice that; so each gain is within GAIN_ERROR of its float difference. Each criterion
    in floats is then within `err` of the exact one (first-order bounds below, with the float
    rounding of the criterion itself added generously), and a vector whose float criterion falls
    short of the best float by more than 2 `err` is beaten exactly by that best one: it cannot
    win. Only the others go to the exact judge, every exact tie among them. `spans[p]` is party
    p's exact ideal gain as a float (0 when the ideal does not exceed the reservation: that
    party's KS ratio is then 1, exactly).
    """
    cols = [np.asarray(c, dtype=np.float64) for c in vectors]
    parties = len(cols)
    gains = [c - d for c, d in zip(cols, point, strict=True)]
    big = max(1.0, *(float(np.abs(g).max()) for g in gains))  # the largest |gain|, at least 1
    nash = gains[0].copy()
    for g in gains[1:]:
        nash *= g
    total = cols[0].copy()
    for c in cols[1:]:
        total += c
    least = np.minimum.reduce(gains)
    ratios = [g / s if s > 0 else np.ones(len(g)) for g, s in zip(gains, spans, strict=True)]
    ks = np.minimum.reduce(ratios)
    bounds = {
        # a product moves by at most the sum of each factor's error times the others' sizes
        "nash": (nash, parties * GAIN_ERROR * big ** (parties - 1)),
        # a ratio g / s moves by at most the gain's error over the exact span
        "kalai_smorodinsky": (ks, max((GAIN_ERROR / s for s in spans if s > 0), default=0.0)),
        "egalitarian": (least, GAIN_ERROR),
        "utilitarian": (total, parties * UTILITY_ERROR),
    }
    found = {}
    for name, (values, err) in bounds.items():
        rounding = 1e-15 * parties * (1.0 + float(np.abs(values).max())) * big**parties
        found[name] = np.flatnonzero(values >= values.max() - 2 * (err + rounding))
    return found


def best_total(batches: Iterable[Any]) -> int | None:
    """The package with the largest sum of utilities over batches of `Values` (the first of
    equals: the lowest index), summed party by party as `sum` does."""
    best: tuple[float, int] | None = None
    for values in batches:
        if not values.size:
            continue
        total = values.by_party[0] + 0.0
        for col in values.by_party[1:]:
            total += col
        k = int(np.argmax(total))
        if best is None or total[k] > best[0]:
            best = (float(total[k]), int(values.indices[k]))
    return None if best is None else best[1]
