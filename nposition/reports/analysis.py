"""The full analysis of a case: acceptable sets, overlap, zone, conflicts, concessions, bargaining."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from nposition.engine import conflicts as dual
from nposition.engine.bargaining import MAX_LISTED, Point, Solution, bargain, disagreement
from nposition.engine.levels import (
    Relaxation,
    dropping,
    relaxations,
    relaxed_zone,
    relaxed_zones,
)
from nposition.engine.space import Space
from nposition.engine.utility import Valuation
from nposition.engine.zone import (
    Box,
    IssueOverlap,
    IssueStatus,
    acceptable,
    boxes,
    overlap,
)
from nposition.model.case import Case, Rule, number
from nposition.model.resolve import touched_issues
from nposition.reports.results import (
    Allowed,
    Basis,
    Citation,
    Concession,
    Conflict,
    IssueView,
    PartySummary,
    Relaxed,
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
    by: Sequence[str] = (),
) -> Analysis:
    """Everything `nposition analyze` reports for one case; `by` restricts concessions to the
    red lines of those parties."""
    space = space or Space(case.issues, constraints=case.constraints)
    sets = [acceptable(space, p) for p in case.parties]
    zone_bits = space.all_of(case.red_lines)
    valuation = Valuation(space, case.parties)
    conflicts, found, cheapest, complete = _enumerate(case, space, valuation, limit, by)
    zone = view(case, space, zone_bits, limit)
    basis = zone_bits or cheapest
    solutions = (
        _solutions(case, space, valuation, basis, () if zone_bits else found[0].rules)
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
        concessions=found,
        complete=complete,
        verdict=_verdict(case, space, zone, conflicts, found, cheapest, overlaps, complete, by),
        solutions=solutions,
        sensitivity=(
            _sensitivity(case, space, basis, sensitivity_runs, seed, step)
            if sensitivity_runs and solutions
            else None
        ),
        coalitions=_coalitions(case, space, sets) if len(case.parties) >= 3 else None,
        by=tuple(by),
        costs=case.costs,
    )


def _coalitions(case: Case, space: Space, sets: list[int]) -> Coalitions:
    from nposition.reports.coalitions import coalitions  # only with three or more parties

    return coalitions([p.id for p in case.parties], sets, space.full)


def _enumerate(
    case: Case, space: Space, valuation: Valuation, limit: int, by: Sequence[str]
) -> tuple[tuple[Conflict, ...], tuple[Concession, ...], int, bool]:
    """The conflicts and the concessions, each in report order, the packages the first
    concession opens (kept for bargaining over it), and whether both lists are complete."""
    red = list(case.red_lines)
    movable = [r for r in red if not by or r.party in by]
    fixed = space.all_of([r for r in red if by and r.party not in by])
    stated = dual.dualize([space.rule_bits(r) for r in red], space.full)
    if not by and space.full and not any(r.fallbacks for r in red):
        # Without fallbacks the minimal relaxations are the minimal correction sets the same
        # enumeration found: one enumeration serves both.
        found, complete = dropping(stated.corrections, red), stated.complete
    else:
        found, done = relaxations(space, movable, within=fixed)
        complete = stated.complete and done
    raw: dict[Rule, int] = {}  # each red line over the raw space, for `_through`
    conflicts = sorted(
        (_conflict(case, space, [red[i] for i in dual.members(m)], raw) for m in stated.conflicts),
        key=lambda c: (len(c.rules), c.rules),
    )
    raw.clear()
    # One opened zone at a time: only the first in report order is kept, for bargaining.
    opened: list[Concession] = []
    first: tuple[Concession, int] | None = None
    zones = relaxed_zones(space, movable, (r.levels for r in found), fixed)
    for relaxation, bits in zip(found, zones, strict=True):
        concession = _concession(case, space, valuation, movable, relaxation, limit, bits)
        opened.append(concession)
        if first is None or rank(concession) < rank(first[0]):
            first = (concession, bits)
    opened.sort(key=rank)  # stable: equal ranks keep the order found, as `first` does
    return tuple(conflicts), tuple(opened), first[1] if first else 0, complete


def rank(c: Concession) -> tuple[float, int, tuple[str, ...]]:
    """How concessions are ordered: by total cost, then number of rules, then their names."""
    return (c.cost, len(c.rules), c.rules)


def concession_of(
    case: Case,
    red: Sequence[Rule],
    relaxation: Relaxation,
    zone: ZoneView,
    best: UtilityPoint | None,
) -> Concession:
    """A relaxation in the report's terms: rules relaxed (to which fallback) or dropped, shares."""
    shares: dict[str, float] = {}
    for i, k in relaxation.levels.items():
        shares[red[i].party] = shares.get(red[i].party, 0.0) + red[i].level_cost(k)
    order = [p.id for p in case.parties]
    return Concession(
        drop=tuple(sorted(r.key for r in relaxation.dropped(red))),
        relax=tuple(
            sorted(
                (
                    Relaxed(r.key, k, r.level(k).text, r.level_cost(k))
                    for r, k in relaxation.relaxed(red)
                ),
                key=lambda x: x.rule,
            )
        ),
        cost=relaxation.cost,
        shares={p: shares[p] for p in order if p in shares},
        zone=zone,
        best=best,
    )


def _sensitivity(
    case: Case, space: Space, basis: int, runs: int, seed: int, step: Callable[[], None] | None
) -> Sensitivity:
    from nposition.reports.sensitivity import sensitivity  # only when asked: it imports `random`

    return sensitivity(case, space, basis, runs, seed, step)


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
        pareto_distinct=found.frontier.distinct().size,
        pareto=tuple(utility_point(case, space, p) for p in found.frontier.points(MAX_LISTED)),
        points={
            Solution(name): None if p is None else utility_point(case, space, p)
            for name, p in found.solutions.items()
        },
        ties={
            Solution(name): found.frontier.ties(p.utilities)
            for name, p in found.solutions.items()
            if p is not None
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


def _conflict(case: Case, space: Space, rules: list[Rule], raw: dict[Rule, int]) -> Conflict:
    rules = sorted(rules, key=lambda r: r.key)
    return Conflict(
        rules=tuple(r.key for r in rules),
        parties=tuple(sorted({r.party for r in rules})),
        issues=rule_issues(case, rules),
        citations=tuple(citation(r) for r in rules),
        constraints=_through(case, space, rules, raw),
    )


def _through(case: Case, space: Space, rules: list[Rule], raw: dict[Rule, int]) -> tuple[str, ...]:
    """The constraints that make these red lines clash: each one that, alone left out, lets some
    package satisfy them (all of them when only leaving several out would). `raw` keeps each
    rule's raw bitset from one conflict to the next."""
    if not case.constraints:
        return ()
    held = space.structure  # packages that respect every applies_when, constraints aside
    for rule in rules:
        ok = raw.get(rule)
        if ok is None:
            ok = space.eval_raw(rule.require.node) if rule.require is not None else space.everything
            if rule.when is not None:
                ok |= space.everything ^ space.eval_raw(rule.when.node)
            raw[rule] = ok
        held &= ok
    if not held:
        return ()  # they clash whatever the constraints
    bits = space.constraint_bits
    needed = []
    for k, constraint in enumerate(case.constraints):
        rest = held
        for j, other in enumerate(bits):
            if j != k:
                rest &= other
        if rest:
            needed.append(constraint.id)
    return tuple(needed) or tuple(c.id for c in case.constraints)


def _concession(
    case: Case,
    space: Space,
    valuation: Valuation,
    red: Sequence[Rule],
    relaxation: Relaxation,
    limit: int,
    bits: int,
) -> Concession:
    """A relaxation in the report's terms, with the zone it opens (`bits`) and its best package."""
    index = best_package(valuation, bits)
    best = None if index is None else utility_point(case, space, Point(index, valuation.of(index)))
    return concession_of(case, red, relaxation, view(case, space, bits, limit), best)


def best_package(valuation: Valuation, bits: int) -> int | None:
    """The package of `bits` with the highest total utility; ties go to the lowest index."""
    if valuation.large:
        from nposition.engine.frontier import best_total

        return best_total(valuation.batches(bits))
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
    space: Space,
    zone: ZoneView,
    conflicts: tuple[Conflict, ...],
    concessions: tuple[Concession, ...],
    cheapest: int,
    overlaps: list[IssueOverlap],
    complete: bool = True,
    by: Sequence[str] = (),
) -> str:
    names = [p.name for p in case.parties]
    alone = f" by {' and '.join(by)} alone" if by else ""  # --by: only their concessions count
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
        tied = [o for o in concessions if rank(o)[:2] == rank(c)[:2]]
        if len(tied) > 1:
            shown = "; or ".join(t.describe() for t in tied[:3])
            more = f"; and {len(tied) - 3:,} more" if len(tied) > 3 else ""
            count = f"{len(tied):,}" if complete else f"at least {len(tied):,}"
            text += (
                f". {count} concessions{alone} tie as the cheapest{'' if complete else ' found'} "
                f"(cost {number(c.cost)}): "
                f"{shown}{more}. The first in name order is used below: to {c.describe()}, "
                "which opens "
            )
        else:
            text += (
                f". The cheapest concession{alone} is to {c.describe()} "
                f"(cost {number(c.cost)}), which opens "
            )
        text += f"{c.zone.size:,} package{'s' if c.zone.size != 1 else ''}"
        settled = common_options(case, space, cheapest)
        if settled:
            text += f", all with {', '.join(settled)}"
    return text + ("" if text.endswith(".") else ".")


def concession_zone(case: Case, space: Space, concession: Concession) -> int:
    """The packages a reported concession opens: each red line at the level it leaves it."""
    levels = {r.rule: r.level for r in concession.relax}
    red = [r for r in case.red_lines if r.key not in concession.drop]
    return relaxed_zone(space, red, {i: levels.get(r.key, 0) for i, r in enumerate(red)})


def common_options(case: Case, space: Space, bits: int) -> list[str]:
    """`issue=option` for each issue on which every package of `bits` has the same option."""
    out = []
    projection = space.projection(bits)
    for i, issue in enumerate(case.issues):
        options = projection[i]
        if len(options) == 1:
            (digit,) = options
            out.append(f"{issue.id}={option_id(issue, digit) or 'n/a'}")
    return out
