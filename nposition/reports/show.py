"""What `nposition show` reports: the case's issues, or one party's rules with their citations."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from nposition.model.case import Case, Party
    from nposition.reports.results import Package


class IssuesView(NamedTuple):
    """The case's issues and options, parties and documents."""

    case: Case
    size: int  # packages in the outcome space
    status_quo: Package | None  # what the parties get when talks fail; None for no agreement


class PartyView(NamedTuple):
    """One party's rules, each with its kind, expression and citation."""

    party: Party


def issues_view(case: Case) -> IssuesView:
    """The case as `show` prints it, without building its outcome space."""
    from nposition.reports.results import package_of  # not needed by `show PARTY`

    return IssuesView(
        case,
        math.prod(len(issue.options) for issue in case.issues),
        None if case.status_quo is None else package_of(case, case.status_quo),
    )
