"""What `nposition show` reports: the case's issues, or one party's rules with their citations."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from nposition.model.case import Case, Issue, Party
    from nposition.reports.results import Package


class IssuesView(NamedTuple):
    """The case's issues and options, parties and documents."""

    case: Case
    size: int  # packages in the outcome space
    status_quo: Package | None  # what the parties get when talks fail; None for no agreement


class PartyView(NamedTuple):
    """One party's rules, each with its kind, expression and citation."""

    party: Party
    issues: tuple[Issue, ...]  # the case's, to name what value functions score


def issues_view(case: Case, size: Callable[[], int]) -> IssuesView:
    """The case as `show` prints it; the outcome space is built only when some packages do not
    exist (issues that apply only sometimes, constraints), to count the ones that do."""
    from nposition.reports.results import package_of  # not needed by `show PARTY`

    plain = not case.constraints and all(i.applies_when is None for i in case.issues)
    return IssuesView(
        case,
        math.prod(len(issue.options) for issue in case.issues) if plain else size(),
        None if case.status_quo is None else package_of(case, case.status_quo),
    )
