"""Each party's utility of a package: what its preferences add up to, scaled to [0, 1].

A preference with a `require` adds its weight where it holds; a value function (`scores`) adds
`weight x score` of the package's option on its issue (0 for unlisted options and for n/a). A
party's utility is that sum divided by the largest sum over the existing packages, so its best
package scores 1. A party whose preferences score nothing anywhere (or that has none) is
indifferent: every package scores 1.

Small spaces are summed in plain Python (no numpy import, so the CLI starts fast), one addition
per cell of the space that every preference treats alike; from `NUMPY_FROM` raw packages on,
numpy (imported lazily) folds each preference's table over the digits it reads, chunk by chunk,
never over the whole space at once (`grid`). Both produce the same numbers in the same order of
additions.
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
            from nposition.engine.grid import Sums, term  # numpy: large spaces only

            self._sums = [
                Sums(space, [term(space, r) for r in p.preferences], self._weights(p))
                for p in self.parties
            ]
            self.scale = tuple(s.maximum() for s in self._sums)
        else:
            # Per party: pairs (raw sum, packages) partitioning `full`, one per cell of its
            # preferences when `Space.cells` has them (a re-run with new weights only re-adds).
            self._cells = [cells(space, p.preferences) for p in self.parties]
            self._raw = [
                self._raw_sums(p, made) for p, made in zip(self.parties, self._cells, strict=True)
            ]
            self.scale = tuple(max((raw for raw, _ in pairs), default=0.0) for pairs in self._raw)

    def _weights(self, party: Party) -> list[float]:
        return [self.weights.get(r.key, r.weight) for r in party.preferences]

    def _raw_sums(self, party: Party, made: list[Cell] | None) -> list[tuple[float, int]]:
        """The existing packages as pairs (raw sum, packages), added in preference order."""
        amounts = [self._amounts(rule) for rule in party.preferences]
        if made is not None:
            sums = []
            for key, members in made:
                raw = 0.0
                for amount, k in zip(amounts, key):  # noqa: B905 (as long, by construction)
                    raw += amount[k]
                sums.append((raw, members))
            return sums
        # Too many cells: split the space by each preference in turn, merging equal sums.
        groups = {0.0: self.space.full}
        for rule, amount in zip(party.preferences, amounts, strict=True):
            pieces = list(zip(amount, parts(self.space, rule), strict=True))
            split: dict[float, int] = {}
            for raw, members in groups.items():
                for add, bits in pieces:
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
            where = locate(self.space, party.preferences, candidates)
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


# --- a party's preferences as cells of a small space --------------------------------------------
# A preference splits the existing packages into parts, each with one amount: where its `require`
# holds and where it does not, or, for a value function, one part per option of its issue. The
# cells are the non-empty intersections of one part of each preference: every package of a cell
# gets the same raw sum. They do not depend on the weights, so a re-weighting (a sensitivity run)
# only re-adds the amounts per cell. They are bitsets, kept on the space (`Space.memo`).

Cell = tuple[tuple[int, ...], int]  # which part of each preference, and the packages
MAX_CELLS = 4096  # cells beyond which a party's sums are split by preference instead
KEEP_LOCATED = 16  # sets whose packages' cells are kept (`locate`)


def parts(space: Space, rule: Rule) -> list[int]:
    """Where a preference adds what: its packages where it holds and where it does not, or, for
    a value function, the packages of each option of its issue (a partition of `full`)."""
    if rule.scores is None:
        bits = space.rule_bits(rule)
        return [bits, space.full & ~bits]
    issue = rule.scores.issue
    return [space.option_bits(issue, d) for d in range(space.sizes[issue])]


def cells(space: Space, rules: tuple[Rule, ...]) -> list[Cell] | None:
    """The existing packages split by which part of each rule they fall in, or None past
    MAX_CELLS cells; made once per space and list of rules."""
    key = ("cells", *map(id, rules))  # rules hash slowly (dataclasses); kept alive below
    found = space.memo.get(key)
    if found is not None and found[0] == rules:
        return found[1]  # type: ignore[no-any-return]
    made: list[Cell] | None = [((), space.full)]
    for rule in rules:
        assert made is not None
        split = parts(space, rule)
        made = [
            ((*which, k), part)
            for which, members in made
            for k, bits in enumerate(split)
            if (part := members & bits)
        ]
        if len(made) > MAX_CELLS:
            made = None
            break
    space.memo[key] = (rules, made)
    return made


def locate(space: Space, rules: tuple[Rule, ...], bits: int) -> dict[int, int] | None:
    """For each package of `bits`, the position of its cell in `cells(space, rules)` (None when
    there are too many cells); the last KEEP_LOCATED sets asked are kept, for re-runs."""
    made = cells(space, rules)
    if made is None:
        return None
    located: dict[tuple[tuple[int, ...], int], dict[int, int]] = space.memo.setdefault(
        "located", {}
    )
    key = (tuple(map(id, rules)), bits)
    found = located.get(key)
    if found is None:
        found = {}
        for position, (_, members) in enumerate(made):
            for i in space.indices(members & bits):
                found[i] = position
        if len(located) >= KEEP_LOCATED:
            del located[next(iter(located))]
        located[key] = found
    return found
