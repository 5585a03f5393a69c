"""Raw utility sums of large spaces with numpy, chunk by chunk, never over the whole space at once.

A preference adds, to every package, an amount that depends only on the digits of the few issues
its rule tests: a value function on one issue, or a `require` whose test touches one or a handful
of issues, is a small table of amounts indexed by those digits (`Term`). A rule that touches too
many issues for a table is kept as its bitset (a mask). A party's raw sum is a fold of its terms
in preference order, `((0 + a1) + a2) + ...`, the order the plain path adds in, so both give the
same floats.

The raw space is cut into chunks of at most `CHUNK` packages: a chunk fixes the digits of the
leading (`outer`) issues and runs over every combination of the trailing (`inner`) ones, so
within a chunk an outer term is one number and an inner term a table that numpy broadcasts over
the chunk's grid of inner digits, the grid growing one axis at a time as in an outer sum. Sparse
packages (a zone much smaller than its chunk) are looked up by their digits instead.

Every function here imports numpy, so only large spaces reach this module.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np

from nposition.engine.space import Space
from nposition.model.case import Rule
from nposition.model.resolve import holds, touched_issues

CHUNK = 1 << 20  # packages per chunk: a few MiB per array, reused from chunk to chunk
MAX_TABLE = 4096  # entries of a term's table; a rule touching more combinations is a mask
MAX_SHARED = 1 << 22  # combinations of shared issues the exact maximum may enumerate
DENSE = 8  # a set filling 1/DENSE of the space is summed in whole chunks, then selected


class Term(NamedTuple):
    """What one preference adds, before its weight: a table over `issues`, or a mask."""

    issues: tuple[int, ...]  # ascending; () with a mask
    unit: Any  # float array shaped by the issues' sizes: 1/0 (require) or the score
    mask: Any  # for a rule over too many issues: its bitset as a uint8 array (little-endian)


def term(space: Space, rule: Rule) -> Term:
    """The weightless term of a preference over `space` (made once per space)."""
    key = ("term", rule)
    found = space.memo.get(key)
    if found is None:
        found = space.memo[key] = _term(space, rule)
    return found


def _term(space: Space, rule: Rule) -> Term:
    if rule.scores is not None:
        issue = rule.scores.issue
        unit = np.array([rule.scores.of(d) for d in range(space.sizes[issue])], dtype=np.float64)
        return Term((issue,), unit, None)
    assert rule.require is not None
    # Where a rule's `when` is false, it holds (as `Space.rule_bits` reads it).
    nodes = (rule.require.node,) if rule.when is None else (rule.require.node, rule.when.node)
    issues = tuple(sorted({i for node in nodes for i in touched_issues(node)})) or (0,)
    shape = tuple(space.sizes[i] for i in issues)
    if math.prod(shape) > MAX_TABLE:
        bits = space.rule_bits(rule)
        return Term((), None, packed(bits, space.raw_size))
    package = [0] * len(space.sizes)
    unit = np.empty(shape, dtype=np.float64)
    for digits in itertools.product(*(range(n) for n in shape)):
        for i, d in zip(issues, digits, strict=True):
            package[i] = d
        held = holds(nodes[0], package) or (len(nodes) > 1 and not holds(nodes[1], package))
        unit[digits] = 1.0 if held else 0.0
    return Term(issues, unit, None)


class Layout(NamedTuple):
    """How a raw space is cut into chunks."""

    inner: int  # the first inner issue
    length: int  # packages per chunk: the product of the inner sizes
    chunks: int  # how many
    shape: tuple[int, ...]  # the inner sizes

    def outer(self, space: Space, chunk: int) -> tuple[int, ...]:
        """The digits of the outer issues in a chunk."""
        return space.package(chunk * self.length)[: self.inner]


def layout(space: Space, chunk: int | None = None) -> Layout:
    """The chunks of a space: as many trailing issues as fit in `CHUNK` packages (at least one)."""
    limit = CHUNK if chunk is None else chunk
    sizes = space.sizes
    inner, length = len(sizes), 1
    while inner > 0 and length * sizes[inner - 1] <= limit:
        inner -= 1
        length *= sizes[inner]
    if inner == len(sizes):  # the last issue alone is larger than a chunk
        inner, length = inner - 1, sizes[-1]
    return Layout(inner, length, space.raw_size // length, tuple(sizes[inner:]))


class Sums:
    """One party's raw sums over a space, for given weights."""

    def __init__(self, space: Space, terms: Sequence[Term], weights: Sequence[float]) -> None:
        self.space = space
        self.grid = layout(space)
        # (issues, weighted table) or ((), (mask, weight)): `weight * unit` as the plain path's
        # `weight * score`, and `weight * mask` as its `weight * held`.
        self.steps: list[tuple[tuple[int, ...], Any]] = [
            (t.issues, weight * t.unit) if t.mask is None else ((), (t.mask, weight))
            for t, weight in zip(terms, weights, strict=True)
        ]

    def chunk(self, number: int) -> Any:
        """The raw sums of every raw package in a chunk, in index order (a flat array)."""
        grid = self.grid
        outer = grid.outer(self.space, number)
        inner = grid.inner
        acc: Any = 0.0
        for issues, step in self.steps:
            if not issues:
                mask, weight = step
                bits = unpack_range(mask, number * grid.length, grid.length)
                acc = _add(acc, weight * bits.reshape(grid.shape))
                continue
            at = tuple(outer[i] if i < inner else slice(None) for i in issues)
            shape = [1] * len(grid.shape)
            for i in issues:
                if i >= inner:
                    shape[i - inner] = self.space.sizes[i]
            acc = _add(acc, step[at].reshape(shape))
        if isinstance(acc, np.ndarray) and acc.shape == grid.shape:
            return acc.reshape(-1)
        return np.broadcast_to(acc, grid.shape).reshape(-1).copy()

    def of(self, batch: Batch) -> Any:
        """The raw sums of a batch's packages."""
        if batch.digits is not None:
            return self.gather(batch.indices, batch.digits)
        raw = self.chunk(batch.chunk)
        return raw if batch.select is None else raw[batch.select]

    def gather(self, indices: Any, digits: Digits) -> Any:
        """The raw sums of the packages `indices` (ascending), by looking their digits up."""
        acc: Any = 0.0
        for issues, step in self.steps:
            if not issues:
                mask, weight = step
                held = (mask[indices >> 3] >> (indices & 7).astype(np.uint8)) & 1
                acc = acc + weight * held.astype(bool)
                continue
            flat = digits.of(issues[0])
            for i in issues[1:]:
                flat = flat * self.space.sizes[i] + digits.of(i)
            acc = acc + step.reshape(-1)[flat]
        if isinstance(acc, np.ndarray):
            return acc
        return np.full(len(indices), acc, dtype=np.float64)

    def at(self, index: int) -> float:
        """The raw sum of one package, added in the same order as everywhere else."""
        package = self.space.package(index)
        acc = 0.0
        for issues, step in self.steps:
            if not issues:
                mask, weight = step
                acc = acc + (weight if mask[index >> 3] >> (index & 7) & 1 else 0.0)
            else:
                acc = acc + float(step[tuple(package[i] for i in issues)])
        return acc

    def maximum(self) -> float:
        """The largest raw sum over the existing packages (0 when none exists)."""
        space = self.space
        if space.full == space.everything and all(issues for issues, _ in self.steps):
            best = self._max_by_tables()
            if best is not None:
                return best
        full = None if space.full == space.everything else packed(space.full, space.raw_size)
        best = 0.0
        for number in range(self.grid.chunks):
            raw = self.chunk(number)
            if full is not None:
                raw = raw[unpack_range(full, number * self.grid.length, self.grid.length)]
            if len(raw):
                best = max(best, float(raw.max()))
        return best

    def _max_by_tables(self) -> float | None:
        """The exact maximum of a fold of tables over the whole product space, or None when the
        issues that several terms share have too many combinations to enumerate.

        Addition is monotone, so a fold is largest where each term is: an issue that only one term
        reads is set to that term's best digit, independently of the rest. Only the issues read by
        several terms are enumerated (a grid over them), each term maximised over its own others.
        """
        counts: dict[int, int] = {}
        for issues, _ in self.steps:
            for i in issues:
                counts[i] = counts.get(i, 0) + 1
        shared = sorted(i for i, n in counts.items() if n > 1)
        sizes = self.space.sizes
        if math.prod(sizes[i] for i in shared) > MAX_SHARED:
            return None
        acc: Any = 0.0
        for issues, table in self.steps:
            own = tuple(k for k, i in enumerate(issues) if i not in shared)
            best = table.max(axis=own) if own else table
            shape = [1] * len(shared)
            for i in issues:
                if i in shared:
                    shape[shared.index(i)] = sizes[i]
            acc = acc + np.reshape(best, shape)
        return float(np.max(acc))


class Digits:
    """The digits of some packages, per issue, computed once and kept."""

    def __init__(self, space: Space, indices: Any) -> None:
        self.space = space
        self.indices = indices
        self._of: dict[int, Any] = {}

    def of(self, issue: int) -> Any:
        found = self._of.get(issue)
        if found is None:
            stride, size = self.space.strides[issue], self.space.sizes[issue]
            found = self._of[issue] = (self.indices // stride) % size
        return found


class Batch(NamedTuple):
    """Some packages, in index order, and how to sum them."""

    indices: Any  # int64, ascending
    chunk: int  # dense: the chunk they all lie in; sparse: -1
    select: Any  # dense: a boolean mask over the chunk (None: the whole chunk)
    digits: Digits | None  # sparse: the packages' digits, to look the terms up


class Basis:
    """The packages of a bitset in batches; with `keep`, the batches are made once and reused
    (indices, masks and digits), for bargaining over the same packages again and again."""

    def __init__(self, space: Space, bits: int, keep: bool = False) -> None:
        self.space = space
        self.bits = bits
        self.keep = keep
        self._kept: list[Batch] | None = None

    def __iter__(self) -> Iterator[Batch]:
        if self._kept is not None:
            return iter(self._kept)
        if not self.keep:
            return batches(self.space, self.bits)
        self._kept = list(batches(self.space, self.bits))
        return iter(self._kept)


def batches(space: Space, bits: int) -> Iterator[Batch]:
    """The packages of `bits` (a subset of the existing ones) in batches, in index order.

    A set that fills at least 1/DENSE of the space is summed chunk by chunk, whole chunks at a
    time; a sparser one is looked up package by package, at most `CHUNK` packages a batch.
    """
    grid = layout(space)
    listed = space.sparse(bits)
    if listed is not None:
        if len(listed):
            yield Batch(listed, -1, None, Digits(space, listed))
        return
    if bits == space.everything:
        for number in range(grid.chunks):
            start = number * grid.length
            yield Batch(np.arange(start, start + grid.length), number, None, None)
        return
    data = packed(bits, space.raw_size)
    if bits.bit_count() * DENSE >= space.raw_size:
        for number in range(grid.chunks):
            start = number * grid.length
            select = unpack_range(data, start, grid.length)
            local = np.flatnonzero(select)
            if len(local):
                yield Batch(local + start, number, select, None)
        return
    words = np.flatnonzero(data.view(np.uint64))  # 64 packages a word: a quick scan
    step = max(1, CHUNK // 64)
    for at in range(0, len(words), step):
        indices = positions(data, words[at : at + step])
        yield Batch(indices, -1, None, Digits(space, indices))


def packed(bits: int, n: int) -> Any:
    """A bitset as a uint8 array, bit i at byte i // 8, bit i % 8 (whole 64-bit words)."""
    return np.frombuffer(bits.to_bytes((n + 63) // 64 * 8, "little"), dtype=np.uint8)


def positions(data: Any, words: Any | None = None) -> Any:
    """The set bits of a packed bitset, ascending (int64), from its non-zero 64-bit `words`."""
    if words is None:
        words = np.flatnonzero(data.view(np.uint64))
    held = np.unpackbits(data.reshape(-1, 8)[words], axis=1, bitorder="little").view(np.bool_)
    return (words[:, None] * 64 + np.arange(64))[held]


def unpack_range(data: Any, start: int, length: int) -> Any:
    """Bits [start, start + length) of a packed bitset, as a boolean array."""
    first = start >> 3
    last = (start + length + 7) >> 3
    bits = np.unpackbits(data[first:last], bitorder="little")
    offset = start - first * 8
    return bits[offset : offset + length].view(np.bool_)


def _add(acc: Any, term: Any) -> Any:
    """`acc + term`, in place when `acc` is already an array of the result's shape."""
    if isinstance(acc, np.ndarray) and acc.shape == np.broadcast_shapes(acc.shape, term.shape):
        return np.add(acc, term, out=acc)
    return acc + term
