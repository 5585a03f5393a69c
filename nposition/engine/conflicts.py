"""Conflicts and concessions: every minimal unsatisfiable set and minimal correction set of rules.

Rules are given as bitsets over the outcome space; a set of rules (itself a bitmask over rule
positions) is satisfiable when the AND of their bitsets is non-zero. Enumeration uses the
hitting-set duality of the two families (Bailey & Stuckey's dualize-and-advance): the minimal
unsatisfiable sets (MUSes) are exactly the minimal hitting sets of the minimal correction sets
(MCSes). Every unsatisfiable minimal hitting set of the MCSes found so far is a MUS; every
satisfiable one grows into a maximal satisfiable set whose complement is a new MCS.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

DEFAULT_MAX_SETS = 5000


class Dual(NamedTuple):
    """Both families as bitmasks over rule positions, and whether enumeration finished."""

    conflicts: tuple[int, ...]  # MUSes
    corrections: tuple[int, ...]  # MCSes
    complete: bool


def members(mask: int) -> Iterator[int]:
    """The positions set in a bitmask, in increasing order."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


class _Oracle:
    def __init__(self, bits: Sequence[int], full: int) -> None:
        self.bits = bits
        self.full = full
        self._cache: dict[int, bool] = {}

    def sat(self, mask: int) -> bool:
        cached = self._cache.get(mask)
        if cached is None:
            acc = self.full
            for r in members(mask):
                acc &= self.bits[r]
                if not acc:
                    break
            cached = self._cache[mask] = acc != 0
        return cached

    def grow(self, mask: int) -> int:
        """A maximal satisfiable superset of a satisfiable `mask`."""
        acc = self.full
        for r in members(mask):
            acc &= self.bits[r]
        for r in range(len(self.bits)):
            if not mask >> r & 1 and acc & self.bits[r]:
                acc &= self.bits[r]
                mask |= 1 << r
        return mask


def shrink(bits: Sequence[int], full: int, mask: int) -> int:
    """A minimal unsatisfiable subset of an unsatisfiable `mask` (deletion-based)."""
    oracle = _Oracle(bits, full)
    for r in members(mask):
        if not oracle.sat(mask & ~(1 << r)):
            mask &= ~(1 << r)
    return mask


def dualize(bits: Sequence[int], full: int, max_sets: int = DEFAULT_MAX_SETS) -> Dual:
    """Every MUS and MCS of the rules whose bitsets are `bits` (empty when all hold together)."""
    oracle = _Oracle(bits, full)
    everything = (1 << len(bits)) - 1
    if oracle.sat(everything):
        return Dual((), (), True)
    corrections = [everything & ~oracle.grow(0)]
    hitting = [1 << r for r in members(corrections[0])]
    conflicts: set[int] = set()
    while True:
        seed = next((h for h in sorted(hitting) if h not in conflicts and oracle.sat(h)), None)
        for h in hitting:
            if h not in conflicts and not oracle.sat(h):
                conflicts.add(h)
        if seed is None:
            break
        if len(corrections) >= max_sets or len(hitting) > max_sets:
            return Dual(_ordered(conflicts), _ordered(corrections), False)
        correction = everything & ~oracle.grow(seed)
        corrections.append(correction)
        hitting = _add_to_hitting_sets(hitting, correction)
    return Dual(_ordered(conflicts), _ordered(corrections), True)


def _add_to_hitting_sets(hitting: list[int], new: int) -> list[int]:
    """Berge's step: the minimal hitting sets of a family after adding the set `new`."""
    kept = [h for h in hitting if h & new]
    extended = {h | (1 << r) for h in hitting if not h & new for r in members(new)}
    candidates = kept + sorted(extended - set(kept))
    candidates.sort(key=lambda m: (m.bit_count(), m))
    minimal: list[int] = []
    for c in candidates:
        if not any(m & c == m for m in minimal):
            minimal.append(c)
    return minimal


def _ordered(masks: set[int] | list[int]) -> tuple[int, ...]:
    return tuple(sorted(set(masks), key=lambda m: (m.bit_count(), m)))
