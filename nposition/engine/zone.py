"""Acceptable sets, per-issue overlap, and the zone of agreement described as boxes.

Everything here is over existing packages only (the bitsets of `Space` lie within `Space.full`).
An issue that does not apply shows as its n/a digit, like an option: in a party's acceptable
digits, the common ones, and a box.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from enum import StrEnum
from typing import Any, NamedTuple

from nposition.engine.space import Space
from nposition.model.case import Case, Party

DEFAULT_MAX_BOXES = 200

Box = tuple[frozenset[int], ...]  # per issue, the allowed digits (the n/a digit among them)


class IssueStatus(StrEnum):
    AGREED = "agreed"  # every party finds exactly the same options acceptable
    OVERLAP = "overlap"  # some options are acceptable to all, not all the same
    CONFLICT = "conflict"  # no option of this issue is acceptable to every party


class IssueOverlap(NamedTuple):
    issue: int
    acceptable: tuple[frozenset[int], ...]  # per party, in case order
    common: frozenset[int]
    status: IssueStatus


def acceptable(space: Space, party: Party) -> int:
    """The packages that break none of the party's red lines."""
    return space.all_of(party.red_lines)


def options_in(space: Space, bits: int, issue: int) -> frozenset[int]:
    """The digits of `issue` (n/a too) that occur in some package of `bits`."""
    return space.projection(bits)[issue]


def overlap(space: Space, case: Case, sets: Sequence[int]) -> list[IssueOverlap]:
    """Per issue: each party's acceptable options (projected from its set), and the common ones."""
    out = []
    projections = [space.projection(bits) for bits in sets]
    for i in range(len(case.issues)):
        per_party = tuple(p[i] for p in projections)
        common = frozenset.intersection(*per_party) if per_party else frozenset()
        if not common:
            status = IssueStatus.CONFLICT
        elif all(p == per_party[0] for p in per_party):
            status = IssueStatus.AGREED
        else:
            status = IssueStatus.OVERLAP
        out.append(IssueOverlap(i, per_party, common, status))
    return out


def boxes(space: Space, bits: int, max_boxes: int = DEFAULT_MAX_BOXES) -> tuple[list[Box], bool]:
    """Disjoint boxes whose union is exactly `bits`, and whether all of them fit in `max_boxes`.

    Every package of a box is in `bits`, so boxes of existing packages hold no other. The set is
    split on the first issue; digits whose remaining slices are identical share one box prefix,
    and each distinct slice is split recursively (memoised on the slice itself). A small set in a
    large space is split as the tuple of its package numbers rather than as a bitset: a slice is
    then the numbers within one digit's block, counted from the block's start, equal exactly
    when the bitsets are, so every step (grouping, memo, the cut) is the same.
    """
    listed = space.sparse(bits)
    if listed is not None:
        return _boxes(space, tuple(listed.tolist()), max_boxes, _slices_of_list)
    return _boxes(space, bits, max_boxes, _slices_of_bits)


def _slices_of_bits(bits: int, size: int, stride: int) -> tuple[list[tuple[int, int]], bool]:
    """(digit, the set's slice for it) for each digit with packages, and whether the set is full."""
    if bits == (1 << (size * stride)) - 1:
        return [], True
    mask = (1 << stride) - 1
    found = [(o, (bits >> (o * stride)) & mask) for o in range(size)]
    return [(o, part) for o, part in found if part], False


def _slices_of_list(
    packages: tuple[int, ...], size: int, stride: int
) -> tuple[list[tuple[int, tuple[int, ...]]], bool]:
    """`_slices_of_bits` for a set given as ascending package numbers."""
    if len(packages) == size * stride:
        return [], True
    parts: dict[int, list[int]] = {}
    for i in packages:
        parts.setdefault(i // stride, []).append(i % stride)
    return [(o, tuple(parts[o])) for o in sorted(parts)], False


def _boxes(
    space: Space,
    whole: Hashable,
    max_boxes: int,
    slices: Callable[[Any, int, int], tuple[list[tuple[int, Any]], bool]],
) -> tuple[list[Box], bool]:
    n = len(space.sizes)
    memo: dict[tuple[int, Hashable], list[Box]] = {}
    complete = True

    def go(level: int, sub: Any) -> list[Box]:
        nonlocal complete
        if not sub:
            return []
        if level == n:
            return [()]
        key = (level, sub)
        if key in memo:
            return memo[key]
        found, full = slices(sub, space.sizes[level], space.strides[level])
        if full:
            result: list[Box] = [tuple(frozenset(range(k)) for k in space.sizes[level:])]
            memo[key] = result
            return result
        groups: dict[Any, list[int]] = {}
        for o, part in found:
            groups.setdefault(part, []).append(o)
        result = []
        for part, opts in groups.items():
            for rest in go(level + 1, part):
                result.append((frozenset(opts), *rest))
                if len(result) > max_boxes:
                    complete = False
                    break
            if not complete:
                break
        memo[key] = result
        return result

    found = go(0, whole)
    return found[:max_boxes], complete and len(found) <= max_boxes


def box_bits(space: Space, box: Box) -> int:
    """The packages in a box."""
    bits = space.full
    for issue, allowed in enumerate(box):
        if len(allowed) < space.sizes[issue]:
            bits &= space.member_bits(issue, allowed)
    return bits
