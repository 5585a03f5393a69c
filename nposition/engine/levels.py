"""Concessions over fallback levels: every minimal relaxation of the red lines that opens the zone.

A red line with fallbacks has levels 0 (as stated), 1..L (its fallbacks, each weaker than the one
above) and L + 1 (dropped, which holds everywhere). Each level is its own constraint in one
family, and the levels of a rule nest, so a maximal satisfiable subfamily keeps, of each rule, every
level from some k on: its complement, a minimal correction set, removes the prefix 0..k-1. That k
is the level the rule retreats to. So the minimal correction sets of the family (enumerated by
`conflicts.dualize`) are exactly the minimal relaxations: none of their rules could be kept one
level stronger with the zone still open.

The engine reads level k as accepting whatever a stronger level accepts (the union of levels 0..k),
so the levels nest even in a case where a fallback is not weaker than the level above, which
`validate` reports as an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

from nposition.engine.conflicts import DEFAULT_MAX_SETS, dualize, members
from nposition.engine.space import Space
from nposition.model.case import Rule


class Relaxation(NamedTuple):
    """A minimal relaxation: the level each rule it touches retreats to, and the total cost.

    `levels` maps a position in the red lines given to `relaxations` to a level k >= 1: the k-th
    fallback for k <= len(fallbacks), dropped for k = len(fallbacks) + 1.
    """

    levels: dict[int, int]
    cost: float

    def relaxed(self, red_lines: Sequence[Rule]) -> list[tuple[Rule, int]]:
        """The rules moved to a fallback, with the fallback's number, in position order."""
        return [
            (red_lines[i], k)
            for i, k in sorted(self.levels.items())
            if k <= len(red_lines[i].fallbacks)
        ]

    def dropped(self, red_lines: Sequence[Rule]) -> list[Rule]:
        """The rules given up altogether, in position order."""
        return [
            red_lines[i] for i, k in sorted(self.levels.items()) if k > len(red_lines[i].fallbacks)
        ]


def nested_bits(space: Space, rule: Rule, k: int) -> int:
    """The packages that level k of a red line accepts: those that it or a stronger level does."""
    bits = space.level_bits(rule, 0)  # the cached bitset itself, not a copy, for level 0
    for j in range(1, min(k, len(rule.fallbacks) + 1) + 1):
        bits |= space.level_bits(rule, j)
    return bits


def relaxations(
    space: Space,
    red_lines: Sequence[Rule],
    max_sets: int = DEFAULT_MAX_SETS,
    within: int | None = None,
) -> tuple[tuple[Relaxation, ...], bool]:
    """Every minimal relaxation of `red_lines` that opens the zone, and whether all were found.

    `within` narrows the packages the zone must reach (for `reach`: a target's completions); by
    default every existing package counts. There are none when the zone is already open, or when
    no package of `within` exists. They come sorted by cost, then number of rules, then levels.
    """
    universe = space.full if within is None else within & space.full
    if not universe:  # nothing to open: no relaxation can reach a package
        return (), True
    if not any(rule.fallbacks for rule in red_lines):
        found = dualize(
            [space.rule_bits(r) for r in red_lines], universe, max_sets, find_conflicts=False
        )
        return _translate(found.corrections, red_lines, list(range(len(red_lines)))), found.complete
    family: list[int] = []
    owner: list[int] = []  # the position of the rule each level of the family belongs to
    up: list[int] = []  # each level with the weaker levels of its rule
    for i, rule in enumerate(red_lines):
        last = len(family) + len(rule.fallbacks)
        for k in range(len(rule.fallbacks) + 1):
            up.append((1 << (last + 1)) - (1 << len(family)))
            family.append(nested_bits(space, rule, k))
            owner.append(i)
    found = dualize(family, universe, max_sets, up=up, find_conflicts=False)
    return _translate(found.corrections, red_lines, owner), found.complete


def dropping(corrections: Sequence[int], red_lines: Sequence[Rule]) -> tuple[Relaxation, ...]:
    """The relaxations of red lines without fallbacks, from the minimal correction sets of the
    stated rules (as `dualize` finds them with the conflicts): each drops its rules."""
    return _translate(corrections, red_lines, list(range(len(red_lines))))


def _translate(
    corrections: Sequence[int], red_lines: Sequence[Rule], owner: Sequence[int]
) -> tuple[Relaxation, ...]:
    """Minimal correction sets of the family of levels as relaxations, in report order."""
    out = []
    for mask in corrections:
        levels: dict[int, int] = {}
        for position in members(mask):
            levels[owner[position]] = levels.get(owner[position], 0) + 1
        cost = sum(red_lines[i].level_cost(k) for i, k in levels.items())
        out.append(Relaxation(dict(sorted(levels.items())), cost))
    out.sort(key=lambda r: (r.cost, len(r.levels), sorted(r.levels.items())))
    return tuple(out)


class Dual(NamedTuple):
    """The conflicts (as stated) and the relaxations (over every level) of a set of red lines."""

    conflicts: tuple[int, ...]  # minimal unsatisfiable sets, as bitmasks over the positions
    relaxations: tuple[Relaxation, ...]
    complete: bool  # both enumerations finished within `max_sets`


def conflicts_and_relaxations(
    space: Space, red_lines: Sequence[Rule], max_sets: int = DEFAULT_MAX_SETS
) -> Dual:
    """Both at once, with one enumeration when no red line has a fallback.

    Neither exists when no package does: there is no zone to open, and no rule to blame.
    """
    if not space.full:
        return Dual((), (), True)
    stated = dualize([space.rule_bits(r) for r in red_lines], space.full, max_sets)
    if not any(rule.fallbacks for rule in red_lines):
        relaxed = _translate(stated.corrections, red_lines, list(range(len(red_lines))))
        return Dual(stated.conflicts, relaxed, stated.complete)
    relaxed, complete = relaxations(space, red_lines, max_sets)
    return Dual(stated.conflicts, relaxed, stated.complete and complete)


def relaxed_zones(
    space: Space,
    red_lines: Sequence[Rule],
    found: Iterable[Mapping[int, int]],
    within: int | None = None,
) -> Iterator[int]:
    """`relaxed_zone` of each of many relaxations (`levels` maps), one at a time.

    The red lines that none of them touches hold as stated in every zone: they are ANDed once,
    and each zone only adds the rules it touches, so many concessions over a large space cost
    a few whole-space operations each rather than one per red line.
    """
    found = list(found)
    touched = sorted({i for levels in found for i in levels})
    base = space.full if within is None else within & space.full
    for i, rule in enumerate(red_lines):
        if i not in touched:
            base &= nested_bits(space, rule, 0)
    fallen: dict[tuple[int, int], int] = {}  # the union of levels 0..k, made once per level
    for levels in found:
        bits = base
        for i in touched:
            k = levels.get(i, 0)
            if k > len(red_lines[i].fallbacks):
                continue  # dropped: holds everywhere
            if k == 0:
                bits &= nested_bits(space, red_lines[i], 0)
                continue
            if (i, k) not in fallen:
                fallen[i, k] = nested_bits(space, red_lines[i], k)
            bits &= fallen[i, k]
        yield bits


def relaxed_zone(
    space: Space, red_lines: Sequence[Rule], levels: Mapping[int, int], within: int | None = None
) -> int:
    """The packages every red line accepts, each at its level in `levels` (0 where absent)."""
    bits = space.full if within is None else within & space.full
    for i, rule in enumerate(red_lines):
        bits &= nested_bits(space, rule, levels.get(i, 0))
    return bits
