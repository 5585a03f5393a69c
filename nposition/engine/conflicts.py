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
# Hitting sets carried over all rounds, summed: bounds the work of one enumeration (a deterministic
# budget, so that a search cut short is cut at the same place on every run).
MAX_WORK = 2_000_000


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
            if not mask >> r & 1:
                kept = acc & self.bits[r]  # one whole-space AND serves the test and the update
                if kept:
                    acc = kept
                    mask |= 1 << r
        return mask


def shrink(bits: Sequence[int], full: int, mask: int) -> int:
    """A minimal unsatisfiable subset of an unsatisfiable `mask` (deletion-based)."""
    oracle = _Oracle(bits, full)
    for r in members(mask):
        if not oracle.sat(mask & ~(1 << r)):
            mask &= ~(1 << r)
    return mask


def dualize(
    bits: Sequence[int],
    full: int,
    max_sets: int = DEFAULT_MAX_SETS,
    *,
    up: Sequence[int] | None = None,
    find_conflicts: bool = True,
) -> Dual:
    """Every MUS and MCS of the rules whose bitsets are `bits` (empty when all hold together).

    `up[r]` (a bitmask with r in it) names the positions that come with r: for a family of nested
    levels, r and every weaker level of the same rule, whose bitsets contain r's. The enumeration
    then only considers sets closed under `up`, which keeps the hitting sets few: a set that keeps
    a level and drops a weaker one is never maximal. The corrections are still every MCS of the
    family (their complements, the maximal satisfiable sets, are closed); the conflicts are then
    the minimal unsatisfiable closed sets. Without `find_conflicts` they are not collected (none
    are returned), which spares testing every hitting set on every round: only the corrections.
    """
    up = [1 << r for r in range(len(bits))] if up is None else up
    oracle = _Oracle(bits, full)
    everything = (1 << len(bits)) - 1
    if oracle.sat(everything):
        return Dual((), (), True)
    corrections = [everything & ~oracle.grow(0)]
    hitting = _add_to_hitting_sets([0], corrections[0], up) or []
    conflicts: set[int] = set()
    work = 0
    while True:
        seed = next((h for h in sorted(hitting) if h not in conflicts and oracle.sat(h)), None)
        for h in hitting if find_conflicts else ():
            if h not in conflicts and not oracle.sat(h):
                conflicts.add(h)
        if seed is None:
            break
        if len(corrections) >= max_sets or len(hitting) > max_sets:
            return Dual(tuple(_ordered(conflicts)), tuple(_ordered(corrections)), False)
        correction = everything & ~oracle.grow(seed)
        corrections.append(correction)
        work += len(hitting)
        grown = _add_to_hitting_sets(hitting, correction, up, max_sets * 4)
        if grown is None or work > MAX_WORK:  # the hitting sets explode: stop, and say so
            return Dual(tuple(_ordered(conflicts)), tuple(_ordered(corrections)), False)
        hitting = grown
    return Dual(tuple(_ordered(conflicts)), tuple(_ordered(corrections)), True)


def _add_to_hitting_sets(
    hitting: list[int], new: int, up: Sequence[int], cap: int | None = None
) -> list[int] | None:
    """Berge's step: the minimal (closed) hitting sets of a family after adding the set `new`.

    A closed set hits `new` exactly when it holds a position of `new` whose closure leaves `new`
    (the weakest level `new` removes of some rule), so only those closures `u` extend the sets
    `h` that miss it. A candidate `h | u` can only contain another hitting set that meets `u`:
    one disjoint from `u` would lie inside `h`, which is minimal and misses `new`. So each
    candidate is checked against the sets meeting its `u`, not against all of them.
    """
    kept = [h for h in hitting if h & new]
    missed = [h for h in hitting if not h & new]
    if not missed:
        return hitting
    source: dict[int, int] = {}
    for u in (up[r] for r in members(new) if up[r] & new == 1 << r):
        for h in missed:
            source.setdefault(h | u, u)
    if cap is not None and len(source) > cap:
        return None  # more candidates than the enumeration may hold: the caller stops
    everything = kept + list(source)
    minimal = list(kept)
    for u in sorted(set(source.values())):
        rivals = sorted((s.bit_count(), s) for s in everything if s & u)
        for c in (c for c, v in source.items() if v == u):
            if not _contains_one(c, rivals):
                minimal.append(c)
    return _ordered(minimal)


def _contains_one(c: int, rivals: list[tuple[int, int]]) -> bool:
    """Whether `c` strictly contains one of `rivals` (pairs of size and set, smallest first)."""
    size = c.bit_count()
    for n, r in rivals:
        if n >= size:
            return False
        if r & c == r:
            return True
    return False


def _ordered(masks: set[int] | list[int]) -> list[int]:
    return sorted(set(masks), key=lambda m: (m.bit_count(), m))
