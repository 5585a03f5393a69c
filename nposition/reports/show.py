"""What `nposition show` reports: the case's issues, or one party's rules with their citations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nposition.model.case import Case, Party


@dataclass(frozen=True, slots=True)
class IssuesView:
    case: Case

    def to_dict(self) -> dict[str, Any]:
        return self.case.to_dict()


@dataclass(frozen=True, slots=True)
class PartyView:
    party: Party

    def to_dict(self) -> dict[str, Any]:
        return self.party.to_dict()
