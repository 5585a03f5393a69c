"""Each party's utility of a package: the weights of the preferences it satisfies, scaled to [0, 1].

A party's utility is the sum of the weights of its preferences that a package satisfies, divided
by the largest such sum over the whole space, so the party's best package scores 1. A party with
no preferences is indifferent: every package scores 1.

Small spaces are summed in plain Python (no numpy import, so the CLI starts fast); from
`NUMPY_FROM` packages on, numpy (imported lazily) sums unpacked bitsets. Both produce the same
numbers in the same order of additions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from nposition.engine.space import Space
from nposition.model.case import Party

NUMPY_FROM = 1 << 16
# Utilities are rounded to this grain: different weight sums that are equal on paper can differ in
# the last bit, and the frontier must not call one of two equal packages dominated.
GRAIN = 1e12


class Values(NamedTuple):
    """Utilities of some packages: `indices[k]` has utility `by_party[p][k]` for party p."""

    indices: Any  # a list of ints, or a numpy integer array for large spaces
    by_party: tuple[Any, ...]  # per party, a list or array of floats aligned with `indices`

    @property
    def size(self) -> int:
        """How many packages these are."""
        return len(self.indices)


class Valuation:
    """The parties' scaled utilities over one space."""

    def __init__(
        self, space: Space, parties: Sequence[Party], weights: Mapping[str, float] | None = None
    ) -> None:
        """`weights` overrides preference weights by rule key (for sensitivity analysis)."""
        self.space = space
        self.parties = tuple(parties)
        self.weights = weights or {}
        self.large = space.size >= NUMPY_FROM
        self._raw = [self._raw_sums(p) for p in self.parties]
        self.scale = tuple(_max(raw, self.large) for raw in self._raw)

    def _raw_sums(self, party: Party) -> Any:
        """Large spaces: an array of raw sums. Small: the packages grouped by raw sum."""
        terms = [
            (self.space.rule_bits(r), self.weights.get(r.key, r.weight)) for r in party.preferences
        ]
        if self.large:
            import numpy as np

            sums = np.zeros(self.space.size, dtype=np.float64)
            for bits, weight in terms:
                sums += weight * unpack(bits, self.space.size)
            return sums
        # Split the space by each preference in turn, merging equal sums: a handful of bitsets
        # instead of a loop over packages. The additions happen in the numpy path's order.
        groups: dict[float, int] = {0.0: self.space.full}
        for bits, weight in terms:
            split: dict[float, int] = {}
            for raw, members in groups.items():
                for value, part in ((raw + weight, members & bits), (raw, members & ~bits)):
                    if part:
                        split[value] = split.get(value, 0) | part
            groups = split
        return groups

    def values(self, candidates: int, limit: int | None = None) -> Values:
        """The utilities of the packages in `candidates` (the first `limit`), in index order."""
        if self.large:
            import numpy as np

            idx = np.flatnonzero(unpack(candidates, self.space.size))
            if limit is not None:
                idx = idx[:limit]
            return Values(
                idx,
                tuple(
                    _scaled(raw[idx], scale)
                    for raw, scale in zip(self._raw, self.scale, strict=True)
                ),
            )
        indices = list(self.space.indices(candidates, limit))
        by_party = []
        for groups, scale in zip(self._raw, self.scale, strict=True):
            found: dict[int, float] = {}
            for raw, members in groups.items():
                for i in self.space.indices(members & candidates):
                    found[i] = snap(raw / scale) if scale else 1.0
            by_party.append([found[i] for i in indices])
        return Values(indices, tuple(by_party))

    def of(self, index: int) -> tuple[float, ...]:
        """Every party's utility of one package."""
        out = []
        for raw, scale in zip(self._raw, self.scale, strict=True):
            if self.large:
                value = float(raw[index])
            else:
                value = next(v for v, members in raw.items() if members >> index & 1)
            out.append(snap(value / scale) if scale else 1.0)
        return tuple(out)


def unpack(bits: int, n: int) -> Any:
    """A bitset as a numpy boolean array of length n."""
    import numpy as np

    data = np.frombuffer(bits.to_bytes((n + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(data, count=n, bitorder="little").view(np.bool_)


def _max(raw: Any, large: bool) -> float:
    if large:
        return float(raw.max()) if len(raw) else 0.0
    return max(raw) if raw else 0.0


def _scaled(raw: Any, scale: float) -> Any:
    import numpy as np

    return np.rint(raw / scale * GRAIN) / GRAIN if scale else np.ones(len(raw))


def snap(value: float) -> float:
    """A utility on the 1e-12 grid, so sums that are equal on paper compare equal (as numpy's)."""
    return round(value * GRAIN) / GRAIN
