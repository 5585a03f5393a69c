"""Each party's utility of a package: what its preferences add up to, scaled to [0, 1].

A preference with a `require` adds its weight where it holds; a value function (`scores`) adds
`weight x score` of the package's option on its issue (0 for unlisted options and for n/a). A
party's utility is that sum divided by the largest sum over the existing packages, so its best
package scores 1. A party whose preferences score nothing anywhere (or that has none) is
indifferent: every package scores 1.

Small spaces are summed in plain Python (no numpy import, so the CLI starts fast); from
`NUMPY_FROM` raw packages on, numpy (imported lazily) sums unpacked bitsets into arrays indexed by
raw package number. Both produce the same numbers in the same order of additions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from nposition.engine.space import Space
from nposition.model.case import Party, Rule

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
        self.large = space.raw_size >= NUMPY_FROM
        self._raw = [self._raw_sums(p) for p in self.parties]
        self.scale = tuple(_max(raw, self.large) for raw in self._raw)

    def _raw_sums(self, party: Party) -> Any:
        """Large spaces: an array of raw sums. Small: the existing packages grouped by raw sum."""
        if self.large:
            return self._array_sums(party)
        # Split the space by each preference in turn, merging equal sums: a handful of bitsets
        # instead of a loop over packages. The additions happen in the numpy path's order.
        groups: dict[float, int] = {0.0: self.space.full}
        for rule in party.preferences:
            split: dict[float, int] = {}
            for raw, members in groups.items():
                for amount, bits in self._parts(rule):
                    part = members & bits
                    if part:
                        split[raw + amount] = split.get(raw + amount, 0) | part
            groups = split
        return groups

    def _parts(self, rule: Rule) -> list[tuple[float, int]]:
        """What one preference adds, and where: pairs (amount, packages) partitioning the space."""
        weight = self.weights.get(rule.key, rule.weight)
        full = self.space.full
        if rule.scores is None:
            bits = self.space.rule_bits(rule)
            return [(weight, bits), (0.0, full & ~bits)]
        issue = rule.scores.issue
        return [
            (weight * rule.scores.of(d), self.space.option_bits(issue, d))
            for d in range(self.space.sizes[issue])
        ]

    def _array_sums(self, party: Party) -> Any:
        """Every raw package's raw sum (0 where a package does not exist), as a numpy array."""
        import numpy as np

        n = self.space.raw_size
        sums = np.zeros(n, dtype=np.float64)
        for rule in party.preferences:
            weight = self.weights.get(rule.key, rule.weight)
            if rule.scores is None:
                sums += weight * unpack(self.space.rule_bits(rule), n)
                continue
            # One addition per package, as in the plain path: the option's amount, laid out by
            # the issue's stride (a digit repeats `stride` times, the pattern every period).
            issue = rule.scores.issue
            size, stride = self.space.sizes[issue], self.space.strides[issue]
            amounts = np.array([weight * rule.scores.of(d) for d in range(size)])
            sums += np.tile(np.repeat(amounts, stride), n // (size * stride))
        sums *= unpack(self.space.full, n)
        return sums

    def values(self, candidates: int, limit: int | None = None) -> Values:
        """The utilities of the packages in `candidates` (the first `limit`), in index order."""
        if self.large:
            import numpy as np

            idx = np.flatnonzero(unpack(candidates, self.space.raw_size))
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
        """Every party's utility of one package, which must exist."""
        if not self.space.full >> index & 1:
            raise ValueError(f"package {index} does not exist")
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
