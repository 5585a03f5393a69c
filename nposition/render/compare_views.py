"""The layouts of `compare` (scenarios side by side) and `diff` (what changes from one to another)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nposition.engine.bargaining import Solution
from nposition.formats.layout import BASELINE
from nposition.render.analysis_views import (
    concession_table,
    conflict_table,
    moves_text,
    shares_text,
    zone_blocks,
)
from nposition.render.blocks import (
    SOLUTION_NAMES,
    Block,
    Cell,
    Heading,
    Para,
    num,
    plural,
    point_text,
    table,
    tone,
    utility,
)
from nposition.reports.results import Basis

if TYPE_CHECKING:
    from nposition.reports.compare import Comparison, Diff
    from nposition.reports.results import Analysis


def comparison(c: Comparison) -> list[Block]:
    """Baseline and scenarios side by side, with their titles and Nash packages."""
    parties = [p.id for p in c.analyses[0].parties]
    rows: list[tuple[str | Cell, ...]] = []
    for a in c.analyses:
        cheapest = a.concessions[0] if a.concessions else None
        rows.append(
            (
                Cell(a.scenario or BASELINE, "good" if a.zone.size else "bad"),
                *(f"{p.acceptable:,}" for p in a.parties),
                f"{a.zone.size:,}",
                str(len(a.conflicts)),
                moves_text(cheapest) if cheapest else "-",
                f"{num(cheapest.cost)}\n({shares_text(cheapest)})" if cheapest else "-",
                _nash_text(a),
            )
        )
    columns = (
        "scenario",
        *(f"{p} accepts" for p in parties),
        "zone",
        "conflicts",
        "cheapest concession",
        "cost",
        "Nash utilities",
    )
    out: list[Block] = [table(f"Scenarios of case '{c.case}'", columns, rows)]
    titled = [a for a in c.analyses if a.scenario]
    if titled:
        out.append(
            table(
                "Scenario titles",
                ("scenario", "title"),
                ((a.scenario or "", a.scenario_title or "") for a in titled),
            )
        )
    nash = [
        (a.scenario or BASELINE, a.solutions.points.get(Solution.NASH))
        for a in c.analyses
        if a.solutions
    ]
    if nash:
        out.append(
            table(
                "Nash package by scenario (after the cheapest concession where the zone is empty)",
                ("scenario", "Nash package and utilities"),
                ((name, point_text(point)) for name, point in nash),
            )
        )
    return out


def _nash_text(a: Analysis) -> str:
    nash = a.solutions.points.get(Solution.NASH) if a.solutions else None
    if a.solutions is None or nash is None:
        return "-"
    where = "" if a.solutions.basis is Basis.ZONE else " (after concession)"
    return ", ".join(f"{p} {utility(u)}" for p, u in nash.utilities.items()) + where


def _basis_words(a: Analysis) -> str:
    """What an analysis bargains over, in words."""
    if a.solutions is None:
        return "nothing (no zone and no concession)"
    if a.solutions.basis is Basis.ZONE:
        return "the zone"
    return f"the zone of its cheapest concession ({', '.join(a.solutions.concession)})"


def diff(d: Diff) -> list[Block]:
    """What changes from scenario a to scenario b."""
    a, b = d.a.scenario or BASELINE, d.b.scenario or BASELINE
    out: list[Block] = [
        Heading(f"{a} -> {b} (case {d.case})"),
        Para(
            f"zone: {plural(d.a.zone.size, 'package')} -> {plural(d.b.zone.size, 'package')}; "
            f"conflicts: {len(d.a.conflicts)} -> {len(d.b.conflicts)}"
        ),
    ]
    if d.rules:
        out.append(
            table(
                "Rules",
                ("rule", "change", a, b),
                ((r.rule, tone(r.change.value), r.before, r.after) for r in d.rules),
            )
        )
    else:
        out.append(Para("No rule differs."))
    out.extend(zone_blocks("Entering the zone", d.entering))
    out.extend(zone_blocks("Leaving the zone", d.leaving))
    for title, conflicts in (
        ("Conflicts resolved", d.conflicts_resolved),
        ("New conflicts", d.conflicts_new),
    ):
        if conflicts:
            out.append(conflict_table(title, conflicts))
    rows = [
        (SOLUTION_NAMES[s.solution], point_text(s.a), point_text(s.b))
        for s in d.solutions
        if s.changed
    ]
    if rows:
        over = "; ".join(f"{name}: over {_basis_words(r)}" for name, r in ((a, d.a), (b, d.b)))
        out.append(table(f"Bargaining solutions that change ({over})", ("solution", a, b), rows))
    for title, concessions in (
        ("Concessions no longer listed", d.concessions_gone),
        ("New concessions", d.concessions_new),
    ):
        if concessions:
            out.append(concession_table(title, concessions))
    return out
