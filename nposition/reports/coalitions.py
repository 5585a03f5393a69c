"""Coalitions among three or more parties: the zone of each group's red lines, and who blocks.

With three or more parties the first question after "is there a zone?" is "who stands in the
way?": the zone each group of parties would have on its own red lines, and the parties without
whose red lines the others would agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import NamedTuple

MAX_GROUPS = 1024  # groups of two or more parties listed; past this, the smallest groups first


class Coalition(NamedTuple):
    """A group of parties and how many packages all of them accept."""

    parties: tuple[str, ...]
    zone_size: int


class Coalitions(NamedTuple):
    """Every group of two or more parties (up to MAX_GROUPS), and the parties that block."""

    groups: tuple[Coalition, ...]
    blocking: tuple[str, ...]  # parties without whose red lines the others have a zone
    complete: bool  # False when there were more groups than MAX_GROUPS


def coalitions(parties: Sequence[str], acceptable: Sequence[int], full: int) -> Coalitions:
    """The groups' zones from each party's acceptable set, smallest groups first."""
    n = len(parties)
    groups: list[Coalition] = []
    complete = True
    for size in range(2, n + 1):
        for members in combinations(range(n), size):
            if len(groups) == MAX_GROUPS:
                complete = False
                break
            bits = full
            for k in members:
                bits &= acceptable[k]
            groups.append(Coalition(tuple(parties[k] for k in members), bits.bit_count()))
        if not complete:
            break
    return Coalitions(tuple(groups), blocking(parties, acceptable, full), complete)


def blocking(parties: Sequence[str], acceptable: Sequence[int], full: int) -> tuple[str, ...]:
    """The parties whose red lines alone keep the others from a zone (none when there is one)."""
    everyone = full
    for bits in acceptable:
        everyone &= bits
    if everyone:
        return ()
    out = []
    for k, party in enumerate(parties):
        others = full
        for j, bits in enumerate(acceptable):
            if j != k:
                others &= bits
        if others:
            out.append(party)
    return tuple(out)
