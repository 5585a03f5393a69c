"""Expectations about a case, which `nposition check` verifies."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from nposition.model.record import Record


class CheckKind(StrEnum):
    """What an expectation asserts; a checks file gives exactly one per check."""

    ZONE = "zone"
    ZONE_SIZE_AT_LEAST = "zone_size_at_least"
    ACCEPTABLE = "acceptable"
    UNACCEPTABLE = "unacceptable"
    CONFLICT = "conflict"
    NO_CONFLICT = "no_conflict"
    CONCESSION_COST_AT_MOST = "concession_cost_at_most"
    REACHABLE = "reachable"
    BLOCKING = "blocking"


class Expectation(Record):
    """One check of a checks file: what an analysis must find."""

    id: str
    scenario: str
    kind: CheckKind
    because: str
    value: Any  # 'empty'/'nonempty', a number, (party or None, {issue: option}) or rule keys
