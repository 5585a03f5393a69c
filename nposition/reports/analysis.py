"""The full analysis of a case: acceptable sets, overlap, zone, conflicts and concessions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nposition.engine import conflicts as dual
from nposition.engine.bargaining import MAX_LISTED, bargain, disagreement, point_dict
from nposition.engine.space import Space
from nposition.engine.utility import Valuation
from nposition.engine.zone import Box, IssueOverlap, acceptable, boxes, overlap
from nposition.model.case import Case, Rule
from nposition.model.case import number as number
from nposition.model.expr import members

if TYPE_CHECKING:
    from nposition.model.changes import Scenario
    from nposition.reports.sensitivity import Sensitivity

SCHEMA_VERSION = 1
DEFAULT_LIMIT = 10


@dataclass(frozen=True, slots=True)
class Citation:
    rule: str
    text: str
    who: str
    date: str
    where: str
    quote: str
    paraphrase: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "text": self.text,
            "who": self.who,
            "date": self.date,
            "where": self.where,
            "quote": self.quote,
            "paraphrase": self.paraphrase,
        }


@dataclass(frozen=True, slots=True)
class ZoneView:
    """A set of packages: its size, its boxes and its first packages."""

    size: int
    boxes: tuple[dict[str, tuple[str, ...]], ...]
    boxes_complete: bool
    packages: tuple[dict[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "boxes": [{k: list(v) for k, v in b.items()} for b in self.boxes],
            "boxes_complete": self.boxes_complete,
            "packages": [dict(p) for p in self.packages],
        }


@dataclass(frozen=True, slots=True)
class Conflict:
    rules: tuple[str, ...]
    parties: tuple[str, ...]
    issues: tuple[str, ...]
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules": list(self.rules),
            "parties": list(self.parties),
            "issues": list(self.issues),
            "sources": [c.to_dict() for c in self.citations],
        }


@dataclass(frozen=True, slots=True)
class Concession:
    drop: tuple[str, ...]
    cost: float
    parties: tuple[str, ...]
    zone: ZoneView
    best: dict[str, str] | None
    best_utilities: dict[str, float] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "drop": list(self.drop),
            "cost": number(self.cost),
            "parties": list(self.parties),
            "zone_size": self.zone.size,
            "boxes": [{k: list(v) for k, v in b.items()} for b in self.zone.boxes],
            "best_package": self.best,
            "best_utilities": self.best_utilities,
        }


@dataclass(frozen=True, slots=True)
class SolutionsView:
    """Bargaining over the zone, or over the cheapest concession's zone when it is empty."""

    basis: str  # "zone" or "concession"
    concession: tuple[str, ...]  # the rules dropped, when the basis is a concession
    disagreement: dict[str, float | int]
    candidates: int  # individually rational packages
    pareto_size: int
    pareto_distinct: int  # distinct utility vectors on the frontier
    pareto: tuple[dict[str, Any], ...]  # the first MAX_LISTED frontier packages, in package order
    points: dict[str, dict[str, Any] | None]  # nash, kalai_smorodinsky, egalitarian, utilitarian

    def to_dict(self) -> dict[str, Any]:
        return {
            "basis": self.basis,
            "concession": list(self.concession),
            "disagreement": dict(self.disagreement),
            "candidates": self.candidates,
            "pareto_size": self.pareto_size,
            "pareto_distinct": self.pareto_distinct,
            "pareto": list(self.pareto),
            **self.points,
        }


@dataclass(frozen=True, slots=True)
class PartySummary:
    id: str
    name: str
    acceptable: int
    red_lines: int
    preferences: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "acceptable": self.acceptable,
            "red_lines": self.red_lines,
            "preferences": self.preferences,
        }


@dataclass(frozen=True, slots=True)
class IssueView:
    id: str
    title: str
    acceptable: dict[str, tuple[str, ...]]
    common: tuple[str, ...]
    status: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "acceptable": {k: list(v) for k, v in self.acceptable.items()},
            "common": list(self.common),
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class Analysis:
    case: str
    title: str
    scenario: str | None
    scenario_title: str | None
    space_issues: tuple[tuple[str, tuple[str, ...]], ...]
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "case": self.case,
            "scenario": self.scenario,
            "scenario_title": self.scenario_title,
            "verdict": self.verdict,
            "space": {
                "issues": [{"id": i, "options": list(o)} for i, o in self.space_issues],
                "size": self.space_size,
            },
            "parties": [p.to_dict() for p in self.parties],
            "issues": [i.to_dict() for i in self.issues],
            "zone": self.zone.to_dict(),
            "conflicts": [c.to_dict() for c in self.conflicts],
            "concessions": [c.to_dict() for c in self.concessions],
            "complete": self.complete,
            "solutions": self.solutions.to_dict() if self.solutions else None,
            "sensitivity": self.sensitivity.to_dict() if self.sensitivity else None,
        }


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
    red = list(case.red_lines)
    found = dual.dualize([space.rule_bits(r) for r in red], space.full)
    valuation = Valuation(space, case.parties)
    found_conflicts = tuple(
        sorted(
            (_conflict(case, [red[i] for i in dual.members(m)]) for m in found.conflicts),
            key=lambda c: (len(c.rules), c.rules),
        )
    )
    concessions = sorted(
        (_concession(case, space, valuation, red, m, limit) for m in found.corrections),
        key=lambda c: rank(c.cost, c.drop),
    )
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
        space_issues=tuple((i.id, tuple(i.option_ids())) for i in case.issues),
        space_size=space.size,
        parties=tuple(
            PartySummary(p.id, p.name, bits.bit_count(), len(p.red_lines), len(p.preferences))
            for p, bits in zip(case.parties, sets, strict=True)
        ),
        issues=tuple(_issue_view(case, o) for o in overlaps),
        zone=zone,
        conflicts=found_conflicts,
        concessions=tuple(concessions),
        complete=found.complete,
        verdict=_verdict(case, zone, found_conflicts, concessions, overlaps),
        solutions=solutions,
        sensitivity=(
            _sensitivity(case, space, basis, sensitivity_runs, seed, step)
            if sensitivity_runs and solutions
            else None
        ),
    )


def _sensitivity(
    case: Case, space: Space, basis: int, runs: int, seed: int, step: Callable[[], None] | None
) -> Sensitivity:
    from nposition.reports.sensitivity import sensitivity  # only when asked: it imports `random`

    return sensitivity(case, space, basis, runs, seed, step)


def rank(cost: float, drop: tuple[str, ...]) -> tuple[float, int, tuple[str, ...]]:
    """How concessions are ordered: by total cost, then number of rules, then names."""
    return (cost, len(drop), drop)


def _basis(case: Case, space: Space, zone_bits: int, concessions: list[Concession]) -> int:
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
        basis="concession" if dropped else "zone",
        concession=dropped,
        disagreement={p.id: number(d) for p, d in zip(case.parties, point, strict=True)},
        candidates=found.candidates,
        pareto_size=len(found.frontier),
        pareto_distinct=len({p.utilities for p in found.frontier}),
        pareto=tuple(
            d for p in found.frontier[:MAX_LISTED] if (d := point_dict(case, space, p)) is not None
        ),
        points={name: point_dict(case, space, p) for name, p in found.solutions.items()},
    )


def view(case: Case, space: Space, bits: int, limit: int) -> ZoneView:
    """A set of packages as sizes, boxes and the first `limit` packages."""
    found, complete = boxes(space, bits)
    return ZoneView(
        size=bits.bit_count(),
        boxes=tuple(box_dict(case, b) for b in found),
        boxes_complete=complete,
        packages=tuple(case.package_dict(space.package(i)) for i in space.indices(bits, limit)),
    )


def box_dict(case: Case, box: Box) -> dict[str, tuple[str, ...]]:
    """A box as `{issue: options}`, naming only the issues it restricts."""
    return {
        issue.id: tuple(issue.options[o].id for o in sorted(allowed))
        for issue, allowed in zip(case.issues, box, strict=True)
        if len(allowed) < len(issue.options)
    }


def citation(rule: Rule) -> Citation:
    s = rule.source
    return Citation(rule.key, rule.text, s.who, s.date, s.where, s.quote, s.paraphrase)


def rule_issues(case: Case, rules: list[Rule]) -> tuple[str, ...]:
    """The issues a set of rules mentions, in case order."""
    used: set[int] = set()
    for rule in rules:
        for node in (rule.require, rule.when):
            if node is not None:
                used.update(m.issue for m in members(node.node))
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
    best = best_utilities = None
    index = best_package(valuation, bits)
    if index is not None:
        best = case.package_dict(space.package(index))
        best_utilities = {
            p.id: number(u) for p, u in zip(case.parties, valuation.of(index), strict=True)
        }
    return Concession(
        drop=tuple(r.key for r in dropped),
        cost=sum(r.cost for r in dropped),
        parties=tuple(sorted({r.party for r in dropped})),
        zone=view(case, space, bits, limit),
        best=best,
        best_utilities=best_utilities,
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
    ids = issue.option_ids()
    return IssueView(
        id=issue.id,
        title=issue.title,
        acceptable={
            p.id: tuple(ids[i] for i in sorted(opts))
            for p, opts in zip(case.parties, o.acceptable, strict=True)
        },
        common=tuple(ids[i] for i in sorted(o.common)),
        status=o.status.value,
    )


def _verdict(
    case: Case,
    zone: ZoneView,
    conflicts: tuple[Conflict, ...],
    concessions: list[Concession],
    overlaps: list[IssueOverlap],
) -> str:
    names = [p.name for p in case.parties]
    who = "the red lines of " + (" and ".join(names) if len(names) <= 2 else "every party")
    if zone.size:
        verb = "package satisfies" if zone.size == 1 else "packages satisfy"
        return f"{zone.size:,} {verb} {who} (the zone of agreement)."
    clashing = [case.issues[o.issue].id for o in overlaps if o.status == "conflict"]
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
