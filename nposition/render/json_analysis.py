"""The JSON of `analyze`, `compare` and `diff` (DESIGN.md section 5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nposition.formats.layout import BASELINE
from nposition.model.case import number
from nposition.render.json import SCHEMA_VERSION, Json, numbers, package, point

if TYPE_CHECKING:
    from nposition.reports.coalitions import Coalitions
    from nposition.reports.compare import Comparison, Diff
    from nposition.reports.reach import Reach
    from nposition.reports.results import (
        Analysis,
        Box,
        Citation,
        Concession,
        Conflict,
        IssueView,
        PartySummary,
        SolutionsView,
        ZoneView,
    )
    from nposition.reports.sensitivity import Sensitivity


def analysis(a: Analysis) -> Json:
    """The `analyze` JSON (DESIGN.md section 5)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "case": a.case,
        "title": a.title,
        "scenario": a.scenario,
        "scenario_title": a.scenario_title,
        "verdict": a.verdict,
        "space": {
            "issues": [{"id": i.id, "options": i.option_ids()} for i in a.space_issues],
            "size": a.space_size,
        },
        "parties": [_party_summary(p) for p in a.parties],
        "issues": [_issue_view(i) for i in a.issues],
        "zone": zone(a.zone),
        "conflicts": [conflict(c) for c in a.conflicts],
        "concessions": [concession(c) for c in a.concessions],
        "by": list(a.by),
        "costs": a.costs,
        "complete": a.complete,
        "solutions": None if a.solutions is None else _solutions(a.solutions),
        "sensitivity": None if a.sensitivity is None else _sensitivity(a.sensitivity),
        **({} if a.coalitions is None else _coalitions(a.coalitions)),
    }


def reach(r: Reach) -> Json:
    """The `reach` JSON (DESIGN.md section 5): the target and the concessions that reach it."""
    return {
        "schema_version": SCHEMA_VERSION,
        "case": r.case,
        "scenario": r.scenario,
        "target": package(r.target),
        "completions": r.completions,
        "in_zone": r.in_zone,
        "by": list(r.by),
        "others_block": r.others_block,
        "complete": r.complete,
        "concessions": [concession(c) for c in r.concessions],
    }


def _coalitions(c: Coalitions) -> Json:
    """Each group's zone, the blocking parties, and whether every group is listed."""
    return {
        "coalitions": [{"parties": list(g.parties), "zone_size": g.zone_size} for g in c.groups],
        "coalitions_complete": c.complete,
        "blocking": list(c.blocking),
    }


def _box(box: Box) -> dict[str, list[str | None]]:
    return {a.issue: list(a.options) for a in box}


def _party_summary(p: PartySummary) -> Json:
    return {
        "id": p.id,
        "name": p.name,
        "acceptable": p.acceptable,
        "red_lines": p.red_lines,
        "preferences": p.preferences,
    }


def _issue_view(i: IssueView) -> Json:
    return {
        "id": i.id,
        "title": i.title,
        "acceptable": {party: list(options) for party, options in i.acceptable.items()},
        "common": list(i.common),
        "status": i.status.value,
    }


def zone(z: ZoneView) -> Json:
    """A set of packages: size, boxes and first packages."""
    return {
        "size": z.size,
        "boxes": [_box(b) for b in z.boxes],
        "boxes_complete": z.boxes_complete,
        "packages": [package(p) for p in z.packages],
    }


def conflict(c: Conflict) -> Json:
    """A conflict with its rules, parties, issues and sources."""
    return {
        "rules": list(c.rules),
        "parties": list(c.parties),
        "issues": list(c.issues),
        "constraints": list(c.constraints),
        "sources": [_citation(s) for s in c.citations],
    }


def _citation(c: Citation) -> Json:
    return {
        "rule": c.rule,
        "text": c.text,
        "who": c.who,
        "date": c.date,
        "where": c.where,
        "quote": c.quote,
        "paraphrase": c.paraphrase,
    }


def concession(c: Concession) -> Json:
    """A concession with its cost, the zone it opens and its best package."""
    return {
        "drop": list(c.drop),
        "relax": [
            {"rule": r.rule, "level": r.level, "require": r.require, "cost": number(r.cost)}
            for r in c.relax
        ],
        "cost": number(c.cost),
        "parties": list(c.parties),
        "shares": numbers(c.shares),
        "zone_size": c.zone.size,
        "boxes": [_box(b) for b in c.zone.boxes],
        "best_package": None if c.best is None else package(c.best.package),
        "best_utilities": None if c.best is None else numbers(c.best.utilities),
    }


def _solutions(s: SolutionsView) -> Json:
    return {
        "basis": s.basis.value,
        "concession": list(s.concession),
        "disagreement": numbers(s.disagreement),
        "candidates": s.candidates,
        "pareto_size": s.pareto_size,
        "pareto_distinct": s.pareto_distinct,
        "pareto": [point(p) for p in s.pareto],
        **{name.value: point(p) for name, p in s.points.items()},
        "ties": {name.value: n for name, n in s.ties.items()},
    }


def _sensitivity(s: Sensitivity) -> Json:
    return {
        "runs": s.runs,
        "seed": s.seed,
        "perturbation": f"each preference weight times a factor uniform in [{s.low}, {s.high}]",
        "nash": [
            # A share is a fraction, shown as one even when it is 1.0.
            {"package": package(t.package), "count": t.runs, "share": round(t.runs / s.runs, 6)}
            for t in s.nash
        ],
        "no_solution": s.no_solution,
    }


def comparison(c: Comparison) -> list[Json]:
    """One `analyze` JSON per scenario, baseline first."""
    return [analysis(a) for a in c.analyses]


def diff(d: Diff) -> Json:
    """What changes from scenario a to scenario b."""
    return {
        "case": d.case,
        "a": d.a.scenario or BASELINE,
        "b": d.b.scenario or BASELINE,
        "rules": [
            {"rule": r.rule, "change": r.change.value, "before": r.before, "after": r.after}
            for r in d.rules
        ],
        "zone_size": {"a": d.a.zone.size, "b": d.b.zone.size},
        "conflict_count": {"a": len(d.a.conflicts), "b": len(d.b.conflicts)},
        "entering": zone(d.entering),
        "leaving": zone(d.leaving),
        "conflicts_resolved": [conflict(c) for c in d.conflicts_resolved],
        "conflicts_new": [conflict(c) for c in d.conflicts_new],
        "concessions_gone": [concession(c) for c in d.concessions_gone],
        "concessions_new": [concession(c) for c in d.concessions_new],
        "solutions": {
            s.solution.value: {"a": point(s.a), "b": point(s.b), "changed": s.changed}
            for s in d.solutions
        },
    }
