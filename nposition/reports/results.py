"""The typed results of an analysis: packages, utility points, zones, conflicts and concessions.

Results hold domain values (ids, counts, raw utilities and costs, enums), never JSON: the
renderers in `nposition.render` draw every format from them. The records are NamedTuples, cheap
to define at start-up (a frozen dataclass costs far more to create at import).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from nposition.engine.bargaining import Solution
    from nposition.engine.zone import IssueStatus
    from nposition.model.case import Case, Issue
    from nposition.reports.coalitions import Coalitions
    from nposition.reports.sensitivity import Sensitivity


class Package(NamedTuple):
    """An option for each of some issues (every issue, or those a partial package fixes);
    None for an issue that does not apply to this package."""

    issues: tuple[str, ...]  # in case order
    options: tuple[str | None, ...]

    def items(self) -> Iterator[tuple[str, str | None]]:
        """`(issue id, option id or None)` pairs, in case order."""
        return zip(self.issues, self.options, strict=True)


def package_of(case: Case, options: Sequence[int] | Mapping[int, int]) -> Package:
    """A package of `case` from option indices: one per issue, or `{issue index: option}`."""
    chosen = options if isinstance(options, Mapping) else dict(enumerate(options))
    fixed = sorted(chosen.items())
    return Package(
        tuple(case.issues[i].id for i, _ in fixed),
        tuple(option_id(case.issues[i], o) for i, o in fixed),
    )


def option_id(issue: Issue, digit: int) -> str | None:
    """The option a package's digit names on an issue; None for the n/a digit."""
    return issue.options[digit].id if digit < len(issue.options) else None


class UtilityPoint(NamedTuple):
    """A package and every party's utility of it."""

    package: Package
    utilities: dict[str, float]  # party id -> utility, in case order


class Allowed(NamedTuple):
    """The options a box allows on one issue it restricts."""

    issue: str
    options: tuple[str | None, ...]  # None: the issue does not apply


Box = tuple[Allowed, ...]  # the restricted issues of a box; every other issue is free


class ZoneView(NamedTuple):
    """A set of packages: its size, its boxes and its first packages."""

    size: int
    boxes: tuple[Box, ...]
    boxes_complete: bool
    packages: tuple[Package, ...]


class Citation(NamedTuple):
    """A rule's statement and its source, as a conflict cites it."""

    rule: str
    text: str
    who: str
    date: str
    where: str
    quote: str
    paraphrase: bool


class Conflict(NamedTuple):
    """A minimal set of red lines that no package satisfies together."""

    rules: tuple[str, ...]
    parties: tuple[str, ...]
    issues: tuple[str, ...]
    citations: tuple[Citation, ...]
    constraints: tuple[str, ...] = ()  # case constraints without which the rules would not clash


class Relaxed(NamedTuple):
    """A red line moved to one of its fallbacks."""

    rule: str  # party/rule-id
    level: int  # the fallback's number, from 1
    require: str  # what the rule then asks
    cost: float  # the cost of retreating that far


class Concession(NamedTuple):
    """A minimal relaxation that opens a zone: red lines moved to a fallback or dropped."""

    drop: tuple[str, ...]
    relax: tuple[Relaxed, ...]
    cost: float  # the total
    shares: dict[str, float]  # party id -> its part of the cost, for every party that pays
    zone: ZoneView
    best: UtilityPoint | None  # the package of the zone with the highest total utility

    @property
    def parties(self) -> tuple[str, ...]:
        """The parties that give way, in case order."""
        return tuple(self.shares)

    @property
    def rules(self) -> tuple[str, ...]:
        """Every rule the concession touches, relaxed or dropped, sorted."""
        return tuple(sorted((*self.drop, *(r.rule for r in self.relax))))

    def describe(self) -> str:
        """`relax a to fallback 1, drop b`: the moves in words."""
        moves = [f"relax {r.rule} to fallback {r.level}" for r in self.relax]
        return ", ".join(moves + [f"drop {k}" for k in self.drop])


class Basis(StrEnum):
    """What bargaining is over."""

    ZONE = "zone"
    CONCESSION = "concession"  # the zone the cheapest concession would open


class SolutionsView(NamedTuple):
    """Bargaining over the zone, or over the cheapest concession's zone when it is empty."""

    basis: Basis
    concession: tuple[str, ...]  # the rules relaxed or dropped, when the basis is a concession
    disagreement: dict[str, float]  # party id -> utility of no agreement
    candidates: int  # individually rational packages
    pareto_size: int
    pareto_distinct: int  # distinct utility vectors on the frontier
    pareto: tuple[UtilityPoint, ...]  # the first frontier packages, in package order
    points: dict[Solution, UtilityPoint | None]
    ties: dict[Solution, int]  # frontier packages with the same utilities as each solution


class PartySummary(NamedTuple):
    id: str
    name: str
    acceptable: int
    red_lines: int
    preferences: int


class IssueView(NamedTuple):
    """One issue's overlap: each party's acceptable options and the common ones."""

    id: str
    title: str
    acceptable: dict[str, tuple[str | None, ...]]  # party id -> option ids (None: n/a)
    common: tuple[str | None, ...]
    status: IssueStatus


class Analysis(NamedTuple):
    """Everything `nposition analyze` reports for a case under a scenario."""

    case: str
    title: str
    scenario: str | None
    scenario_title: str | None
    space_issues: tuple[Issue, ...]
    space_size: int
    parties: tuple[PartySummary, ...]
    issues: tuple[IssueView, ...]
    zone: ZoneView
    conflicts: tuple[Conflict, ...]
    concessions: tuple[Concession, ...]
    complete: bool
    verdict: str
    solutions: SolutionsView | None
    sensitivity: Sensitivity | None = None
    coalitions: Coalitions | None = None  # with three or more parties
    by: tuple[str, ...] = ()  # concessions only by these parties (all when empty)
    costs: str = ""  # what the case's costs mean
