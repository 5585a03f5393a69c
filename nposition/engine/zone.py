"""Acceptable sets, per-issue overlap, and the zone of agreement described as boxes.

Everything here is over existing packages only (the bitsets of `Space` lie within `Space.full`).
An issue that does not apply shows as its n/a digit, like an option: in a party's acceptable
digits, the common ones, and a box.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import NamedTuple

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
    and each distinct slice is split recursively (memoised on the slice itself).
    """
    listed = space.sparse(bits)
    if listed is not None:
        return _boxes_listed(space, tuple(listed.tolist()), max_boxes)
    n = len(space.sizes)
    memo: dict[tuple[int, int], list[Box]] = {}
    complete = True

    def go(level: int, sub: int) -> list[Box]:
        nonlocal complete
        if sub == 0:
            return []
        if level == n:
            return [()]
        key = (level, sub)
        if key in memo:
            return memo[key]
        size, stride = space.sizes[level], space.strides[level]
        mask = (1 << stride) - 1
        if sub == (1 << (size * stride)) - 1:
            result: list[Box] = [tuple(frozenset(range(k)) for k in space.sizes[level:])]
            memo[key] = result
            return result
        groups: dict[int, list[int]] = {}
        for o in range(size):
            part = (sub >> (o * stride)) & mask
            if part:
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

    found = go(0, bits)
    return found[:max_boxes], complete and len(found) <= max_boxes


def _boxes_listed(
    space: Space, packages: tuple[int, ...], max_boxes: int
) -> tuple[list[Box], bool]:
    """`boxes` of a set given as its ascending package numbers: the same splits, on lists.

    A slice is the tuple of the set's package numbers within one digit's block, counted from the
    block's start, so two slices are equal exactly when their bitsets are, and every step (the
    grouping, the memo, the cut at `max_boxes`) is the bitset version's.
    """
    n = len(space.sizes)
    memo: dict[tuple[int, tuple[int, ...]], list[Box]] = {}
    complete = True

    def go(level: int, sub: tuple[int, ...]) -> list[Box]:
        nonlocal complete
        if not sub:
            return []
        if level == n:
            return [()]
        key = (level, sub)
        if key in memo:
            return memo[key]
        size, stride = space.sizes[level], space.strides[level]
        if len(sub) == size * stride:
            result: list[Box] = [tuple(frozenset(range(k)) for k in space.sizes[level:])]
            memo[key] = result
            return result
        parts: dict[int, list[int]] = {}
        for i in sub:
            parts.setdefault(i // stride, []).append(i % stride)
        groups: dict[tuple[int, ...], list[int]] = {}
        for o in sorted(parts):
            groups.setdefault(tuple(parts[o]), []).append(o)
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

    found = go(0, packages)
    return found[:max_boxes], complete and len(found) <= max_boxes


def box_bits(space: Space, box: Box) -> int:
    """The packages in a box."""
    bits = space.full
    for issue, allowed in enumerate(box):
        if len(allowed) < space.sizes[issue]:
            bits &= space.member_bits(issue, allowed)
    return bits
