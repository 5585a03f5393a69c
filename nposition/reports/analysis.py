"""The full analysis of a case: acceptable sets, overlap, zone, conflicts, concessions, bargaining."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from nposition.engine import conflicts as dual
from nposition.engine.bargaining import MAX_LISTED, Point, Solution, bargain, disagreement
from nposition.engine.space import Space
from nposition.engine.utility import Valuation
from nposition.engine.zone import Box, IssueOverlap, IssueStatus, acceptable, boxes, overlap
from nposition.model.case import Case, Rule, number
from nposition.model.expr import touched_issues
from nposition.reports.results import (
    Allowed,
    Basis,
    Citation,
    Concession,
    Conflict,
    IssueView,
    PartySummary,
    SolutionsView,
    UtilityPoint,
    ZoneView,
    option_id,
    package_of,
)
from nposition.reports.results import (
    Analysis as Analysis,  # re-exported: the result of `analyze`, typed where it is used
)

if TYPE_CHECKING:
    from nposition.model.changes import Scenario
    from nposition.reports.coalitions import Coalitions
    from nposition.reports.sensitivity import Sensitivity

DEFAULT_LIMIT = 10


def analyze(
    case: Case,
    scenario: Scenario | None = None,
    *,
    space: Space | None = None,
    limit: int = DEFAULT_LIMIT,
    sensitivity_runs: int = 0,
    seed: int = 0,
    step: Callable[[], None] | None = None,
) -> Analysis:
    """Everything `nposition analyze` reports for one case."""
    space = space or Space(case.issues)
    sets = [acceptable(space, p) for p in case.parties]
    zone_bits = space.all_of(case.red_lines)
    valuation = Valuation(space, case.parties)
    conflicts, concessions, complete = _enumerate(case, space, valuation, limit)
    zone = view(case, space, zone_bits, limit)
    basis = _basis(case, space, zone_bits, concessions)
    solutions = (
        _solutions(case, space, valuation, basis, () if zone_bits else concessions[0].drop)
        if basis
        else None
    )
    overlaps = overlap(space, case, sets)
    return Analysis(
        case=case.id,
        title=case.title,
        scenario=scenario.id if scenario else None,
        scenario_title=scenario.title if scenario else None,
        space_issues=case.issues,
        space_size=space.size,
        parties=tuple(
            PartySummary(p.id, p.name, bits.bit_count(), len(p.red_lines), len(p.preferences))
            for p, bits in zip(case.parties, sets, strict=True)
        ),
        issues=tuple(_issue_view(case, o) for o in overlaps),
        zone=zone,
        conflicts=conflicts,
        concessions=concessions,
        complete=complete,
        verdict=_verdict(case, zone, conflicts, concessions, overlaps),
        solutions=solutions,
        sensitivity=(
            _sensitivity(case, space, basis, sensitivity_runs, seed, step)
            if sensitivity_runs and solutions
            else None
        ),
        coalitions=_coalitions(case, space, sets) if len(case.parties) >= 3 else None,
    )


def _coalitions(case: Case, space: Space, sets: list[int]) -> Coalitions:
    from nposition.reports.coalitions import coalitions  # only with three or more parties

    return coalitions([p.id for p in case.parties], sets, space.full)


def _enumerate(
    case: Case, space: Space, valuation: Valuation, limit: int
) -> tuple[tuple[Conflict, ...], tuple[Concession, ...], bool]:
    """The conflicts and the concessions, each in report order, and whether both are complete."""
    red = list(case.red_lines)
    found = dual.dualize([space.rule_bits(r) for r in red], space.full)
    conflicts = sorted(
        (_conflict(case, [red[i] for i in dual.members(m)]) for m in found.conflicts),
        key=lambda c: (len(c.rules), c.rules),
    )
    concessions = sorted(
        (_concession(case, space, valuation, red, m, limit) for m in found.corrections),
        key=lambda c: rank(c.cost, c.drop),
    )
    return tuple(conflicts), tuple(concessions), found.complete


def _sensitivity(
    case: Case, space: Space, basis: int, runs: int, seed: int, step: Callable[[], None] | None
) -> Sensitivity:
    from nposition.reports.sensitivity import sensitivity  # only when asked: it imports `random`

    return sensitivity(case, space, basis, runs, seed, step)


def rank(cost: float, drop: tuple[str, ...]) -> tuple[float, int, tuple[str, ...]]:
    """How concessions are ordered: by total cost, then number of rules, then names."""
    return (cost, len(drop), drop)


def _basis(case: Case, space: Space, zone_bits: int, concessions: tuple[Concession, ...]) -> int:
    """What bargaining is over: the zone, or when it is empty the cheapest concession's zone."""
    if zone_bits or not concessions:
        return zone_bits
    return space.all_of([r for r in case.red_lines if r.key not in concessions[0].drop])


def _solutions(
    case: Case, space: Space, valuation: Valuation, basis: int, dropped: tuple[str, ...]
) -> SolutionsView:
    """Bargaining over `basis`: the zone, or the zone that dropping `dropped` opens."""
    point = disagreement(case, space, valuation)
    found = bargain(valuation, basis, point)
    return SolutionsView(
        basis=Basis.CONCESSION if dropped else Basis.ZONE,
        concession=dropped,
        disagreement={p.id: d for p, d in zip(case.parties, point, strict=True)},
        candidates=found.candidates,
        pareto_size=len(found.frontier),
        pareto_distinct=len({p.utilities for p in found.frontier}),
        pareto=tuple(utility_point(case, space, p) for p in found.frontier[:MAX_LISTED]),
        points={
            Solution(name): None if p is None else utility_point(case, space, p)
            for name, p in found.solutions.items()
        },
    )


def utility_point(case: Case, space: Space, point: Point) -> UtilityPoint:
    """A package of the space and every party's utility of it."""
    return UtilityPoint(
        package_of(case, space.package(point.index)),
        {p.id: u for p, u in zip(case.parties, point.utilities, strict=True)},
    )


def view(case: Case, space: Space, bits: int, limit: int) -> ZoneView:
    """A set of packages as sizes, boxes and the first `limit` packages."""
    found, complete = boxes(space, bits)
    return ZoneView(
        size=bits.bit_count(),
        boxes=tuple(_box(case, b) for b in found),
        boxes_complete=complete,
        packages=tuple(package_of(case, space.package(i)) for i in space.indices(bits, limit)),
    )


def _box(case: Case, box: Box) -> tuple[Allowed, ...]:
    """A box by the issues it restricts and the options it allows on each."""
    return tuple(
        Allowed(issue.id, tuple(option_id(issue, o) for o in sorted(allowed)))
        for issue, allowed in zip(case.issues, box, strict=True)
        if len(allowed) < len(issue.options) + (issue.na is not None)
    )


def citation(rule: Rule) -> Citation:
    """A rule's statement and source, as a conflict cites it."""
    s = rule.source
    return Citation(rule.key, rule.text, s.who, s.date, s.where, s.quote, s.paraphrase)


def rule_issues(case: Case, rules: list[Rule]) -> tuple[str, ...]:
    """The issues a set of rules mentions, in case order."""
    used: set[int] = set()
    for rule in rules:
        for node in (rule.require, rule.when):
            if node is not None:
                used.update(touched_issues(node.node))
    return tuple(case.issues[i].id for i in sorted(used))


def _conflict(case: Case, rules: list[Rule]) -> Conflict:
    rules = sorted(rules, key=lambda r: r.key)
    return Conflict(
        rules=tuple(r.key for r in rules),
        parties=tuple(sorted({r.party for r in rules})),
        issues=rule_issues(case, rules),
        citations=tuple(citation(r) for r in rules),
    )


def _concession(
    case: Case, space: Space, valuation: Valuation, red: list[Rule], mask: int, limit: int
) -> Concession:
    dropped = sorted((red[i] for i in dual.members(mask)), key=lambda r: r.key)
    kept = [r for i, r in enumerate(red) if not mask >> i & 1]
    bits = space.all_of(kept)
    index = best_package(valuation, bits)
    best = None if index is None else Point(index, valuation.of(index))
    return Concession(
        drop=tuple(r.key for r in dropped),
        cost=sum(r.cost for r in dropped),
        parties=tuple(sorted({r.party for r in dropped})),
        zone=view(case, space, bits, limit),
        best=None if best is None else utility_point(case, space, best),
    )


def best_package(valuation: Valuation, bits: int) -> int | None:
    """The package of `bits` with the highest total utility; ties go to the lowest index."""
    values = valuation.values(bits)
    if not values.size:
        return None
    totals = [sum(us) for us in zip(*values.by_party, strict=True)]
    best = max(range(len(totals)), key=lambda k: (totals[k], -k))
    return int(values.indices[best])


def _issue_view(case: Case, o: IssueOverlap) -> IssueView:
    issue = case.issues[o.issue]
    return IssueView(
        id=issue.id,
        title=issue.title,
        acceptable={
            p.id: tuple(option_id(issue, i) for i in sorted(opts))
            for p, opts in zip(case.parties, o.acceptable, strict=True)
        },
        common=tuple(option_id(issue, i) for i in sorted(o.common)),
        status=o.status,
    )


def _verdict(
    case: Case,
    zone: ZoneView,
    conflicts: tuple[Conflict, ...],
    concessions: tuple[Concession, ...],
    overlaps: list[IssueOverlap],
) -> str:
    names = [p.name for p in case.parties]
    who = "the red lines of " + (" and ".join(names) if len(names) <= 2 else "every party")
    if zone.size:
        verb = "package satisfies" if zone.size == 1 else "packages satisfy"
        return f"{zone.size:,} {verb} {who} (the zone of agreement)."
    clashing = [case.issues[o.issue].id for o in overlaps if o.status is IssueStatus.CONFLICT]
    text = (
        f"No package satisfies {who}; {len(conflicts)} conflict{'s' if len(conflicts) != 1 else ''}"
    )
    if clashing:
        text += f", no common option on {', '.join(clashing)}"
    else:
        text += ", although every issue has common options (the clash is across issues)"
    if concessions:
        c = concessions[0]
        text += (
            f". The cheapest concession is dropping {', '.join(c.drop)} "
            f"(cost {number(c.cost)}), which opens {c.zone.size:,} package"
            f"{'s' if c.zone.size != 1 else ''}."
        )
    return text + ("" if text.endswith(".") else ".")
