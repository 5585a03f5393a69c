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

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from nposition.engine.space import Space
from nposition.model.case import Party, Rule

if TYPE_CHECKING:
    from nposition.engine.grid import Basis

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
        if self.large:
            from nposition.engine.grid import Sums  # numpy: large spaces only

            self._sums = [
                Sums(space, [space.term(r) for r in p.preferences], self._weights(p))
                for p in self.parties
            ]
            self.scale = tuple(s.maximum() for s in self._sums)
        else:
            # Per party: pairs (raw sum, packages) partitioning `full`, one per cell of its
            # preferences when `Space.cells` has them (a re-run with new weights only re-adds).
            self._cells = [space.cells(p.preferences) for p in self.parties]
            self._raw = [
                self._raw_sums(p, cells) for p, cells in zip(self.parties, self._cells, strict=True)
            ]
            self.scale = tuple(max((raw for raw, _ in pairs), default=0.0) for pairs in self._raw)

    def _weights(self, party: Party) -> list[float]:
        return [self.weights.get(r.key, r.weight) for r in party.preferences]

    def _raw_sums(
        self, party: Party, cells: list[tuple[tuple[int, ...], int]] | None
    ) -> list[tuple[float, int]]:
        """The existing packages as pairs (raw sum, packages), added in preference order."""
        amounts = [self._amounts(rule) for rule in party.preferences]
        if cells is not None:
            sums = []
            for key, members in cells:
                raw = 0.0
                for amount, k in zip(amounts, key):  # noqa: B905 (as long, by construction)
                    raw += amount[k]
                sums.append((raw, members))
            return sums
        # Too many cells: split the space by each preference in turn, merging equal sums.
        groups = {0.0: self.space.full}
        for rule, amount in zip(party.preferences, amounts, strict=True):
            parts = list(zip(amount, self.space.parts(rule), strict=True))
            split: dict[float, int] = {}
            for raw, members in groups.items():
                for add, bits in parts:
                    part = members & bits
                    if part:
                        split[raw + add] = split.get(raw + add, 0) | part
            groups = split
        return list(groups.items())

    def _amounts(self, rule: Rule) -> list[float]:
        """What one preference adds on each of its parts (`Space.parts`)."""
        weight = self.weights.get(rule.key, rule.weight)
        if rule.scores is None:
            return [weight, 0.0]
        return [weight * rule.scores.of(d) for d in range(self.space.sizes[rule.scores.issue])]

    def batches(self, candidates: int | Basis) -> Iterator[Values]:
        """The utilities of the packages in `candidates`, a batch at a time, in index order.

        Large spaces only: each batch holds numpy arrays, at most a chunk of packages, so no array
        ever spans the whole space. A `Basis` keeps the batches' indices and digits for reuse.
        """
        from nposition.engine.grid import Basis as Batched

        basis = candidates if isinstance(candidates, Batched) else Batched(self.space, candidates)
        for batch in basis:
            yield Values(
                batch.indices,
                tuple(
                    _scaled(sums.of(batch), scale)
                    for sums, scale in zip(self._sums, self.scale, strict=True)
                ),
            )

    def values(self, candidates: int, limit: int | None = None) -> Values:
        """The utilities of the packages in `candidates` (the first `limit`), in index order."""
        if self.large:
            import numpy as np

            parts = []
            count = 0
            for values in self.batches(candidates):
                parts.append(values)
                count += values.size
                if limit is not None and count >= limit:
                    break
            if not parts:
                empty = np.zeros(0, dtype=np.int64)
                return Values(empty, tuple(np.zeros(0) for _ in self.parties))
            return Values(
                np.concatenate([v.indices for v in parts])[:limit],
                tuple(
                    np.concatenate([v.by_party[k] for v in parts])[:limit]
                    for k in range(len(self.parties))
                ),
            )
        indices = list(self.space.indices(candidates, limit))
        by_party = []
        for party, pairs, scale in zip(self.parties, self._raw, self.scale, strict=True):
            where = self.space.locate(party.preferences, candidates)
            if where is not None:
                by_party.append(
                    [snap(pairs[where[i]][0] / scale) if scale else 1.0 for i in indices]
                )
                continue
            found: dict[int, float] = {}
            for raw, members in pairs:
                for i in self.space.indices(members & candidates):
                    found[i] = snap(raw / scale) if scale else 1.0
            by_party.append([found[i] for i in indices])
        return Values(indices, tuple(by_party))

    def of(self, index: int) -> tuple[float, ...]:
        """Every party's utility of one package, which must exist."""
        if not self.space.full >> index & 1:
            raise ValueError(f"package {index} does not exist")
        out = []
        for k, scale in enumerate(self.scale):
            if self.large:
                value = self._sums[k].at(index)
            else:
                value = next(v for v, members in self._raw[k] if members >> index & 1)
            out.append(snap(value / scale) if scale else 1.0)
        return tuple(out)


def _scaled(raw: Any, scale: float) -> Any:
    """Raw sums as utilities on the grid, computed in place: `rint(raw / scale * GRAIN) / GRAIN`."""
    import numpy as np

    if not scale:
        return np.ones(len(raw))
    out = np.divide(raw, scale)
    np.multiply(out, GRAIN, out=out)
    np.rint(out, out=out)
    return np.divide(out, GRAIN, out=out)


def snap(value: float) -> float:
    """A utility on the 1e-12 grid, so sums that are equal on paper compare equal (as numpy's)."""
    return round(value * GRAIN) / GRAIN
