"""The layout of `analyze`: verdict, parties, overlap, conflicts, concessions, zone, bargaining."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from nposition.render.blocks import (
    SOLUTION_NAMES,
    Block,
    Cell,
    Heading,
    Para,
    Table,
    num,
    option_text,
    package_text,
    plural,
    point_text,
    table,
    tone,
    utility,
)
from nposition.reports.results import Basis

if TYPE_CHECKING:
    from nposition.reports.coalitions import Coalitions
    from nposition.reports.reach import Reach
    from nposition.reports.results import (
        Analysis,
        Box,
        Concession,
        Conflict,
        SolutionsView,
        ZoneView,
    )
    from nposition.reports.sensitivity import Sensitivity


def analysis(a: Analysis) -> list[Block]:
    """The `analyze` report, verdict first."""
    head = f"{a.title} ({a.case})" + (f", scenario {a.scenario}" if a.scenario else "")
    out: list[Block] = [Heading(head)]
    if a.scenario_title:
        out.append(Para(f"Scenario: {a.scenario_title}"))
    out.append(Para(a.verdict, "good" if a.zone.size else "bad"))
    if not a.complete:
        out.append(
            Para("Enumeration stopped at its limit: conflicts and concessions are partial.", "warn")
        )
    out += _parties_and_issues(a)
    if a.coalitions is not None:
        out.append(_coalitions(a.coalitions))
    out += _conflicts_and_concessions(a)
    out.extend(zone_blocks("Zone of agreement", a.zone))
    if a.solutions is not None:
        out.extend(_solution_blocks(a, a.solutions))
    if a.sensitivity is not None:
        out.append(_sensitivity(a.sensitivity))
    return out


def reach(r: Reach) -> list[Block]:
    """The target, how far it is, and every minimal way to reach it with who pays."""
    target = ", ".join(f"{i}={option_text(o)}" for i, o in r.target.items())
    head = f"What it would take: {target} ({r.case}" + (
        f", scenario {r.scenario})" if r.scenario else ")"
    )
    out: list[Block] = [Heading(head)]
    by = f" by {', '.join(r.by)} alone" if r.by else ""
    if r.in_zone:
        out.append(
            Para(
                f"{plural(r.in_zone, 'package')} of this form (of {r.completions:,}) already "
                f"{'satisfies' if r.in_zone == 1 else 'satisfy'} every party's red lines: "
                "nothing needs to give.",
                "good",
            )
        )
    elif r.others_block:
        out.append(
            Para(
                f"None of the {r.completions:,} packages of this form can be reached{by}: the "
                "other parties' red lines exclude all of them.",
                "bad",
            )
        )
    elif not r.concessions:
        out.append(Para(f"No concession{by} reaches a package of this form.", "bad"))
    else:
        out.append(
            Para(
                f"None of the {r.completions:,} packages of this form satisfies every party's "
                f"red lines; {plural(len(r.concessions), 'minimal concession')}{by} would open "
                "some, cheapest first.",
                "warn",
            )
        )
        out.append(concession_table("Concessions that reach it", r.concessions))
    if not r.complete:
        out.append(Para("The search stopped at its limit: the list is partial.", "warn"))
    return out


def _coalitions(c: Coalitions) -> Block:
    """Each group's zone on its own red lines; the parties whose red lines alone block."""
    blocking = ", ".join(c.blocking) or "none alone"
    more = "" if c.complete else f" (the first {len(c.groups):,} groups, smallest first)"
    return table(
        f"Coalitions: the zone of each group's red lines{more}; blocking: {blocking}",
        ("parties", "zone"),
        ((", ".join(g.parties), f"{g.zone_size:,}") for g in c.groups),
    )


def _parties_and_issues(a: Analysis) -> list[Block]:
    party_ids = [p.id for p in a.parties]
    return [
        table(
            f"Parties ({a.space_size:,} packages in all)",
            ("party", "name", "red lines", "preferences", "acceptable packages"),
            (
                (p.id, p.name, str(p.red_lines), str(p.preferences), f"{p.acceptable:,}")
                for p in a.parties
            ),
        ),
        table(
            "Per-issue overlap",
            ("issue", *party_ids, "common", "status"),
            (
                (
                    i.id,
                    *(", ".join(map(option_text, i.acceptable[p])) or "-" for p in party_ids),
                    ", ".join(map(option_text, i.common)) or "-",
                    tone(i.status.value),
                )
                for i in a.issues
            ),
        ),
    ]


def _conflicts_and_concessions(a: Analysis) -> list[Block]:
    out: list[Block] = []
    if a.conflicts:
        title = f"Conflicts ({len(a.conflicts)}): red lines no package satisfies together"
        out.append(conflict_table(title, a.conflicts))
    by = f" by {', '.join(a.by)} alone" if a.by else ""
    if a.concessions:
        title = (
            f"Concessions{by} ({len(a.concessions)}): minimal ways to open a zone, each red line "
            "relaxed to a fallback or dropped"
        )
        out.append(concession_table(title, a.concessions))
        if a.costs:
            out.append(Para(f"Costs: {a.costs}"))
    elif a.by and not a.zone.size:
        out.append(
            Para(f"No concession{by} opens a zone: the others' red lines alone exclude it.", "bad")
        )
    return out


def conflict_table(title: str, conflicts: Sequence[Conflict]) -> Table:
    """Conflicts, one row per rule with who said it and when."""
    return table(
        title,
        ("#", "rule", "said by", "date", "issues touched"),
        (
            (
                str(k + 1) if j == 0 else "",
                Cell(s.rule, "bad"),
                s.who,
                s.date,
                (
                    ", ".join(c.issues)
                    + (f"\nthrough constraint {', '.join(c.constraints)}" if c.constraints else "")
                    if j == 0
                    else ""
                ),
            )
            for k, c in enumerate(conflicts)
            for j, s in enumerate(c.citations)
        ),
    )


def concession_table(title: str, concessions: Sequence[Concession]) -> Table:
    """Concessions with their cost, the zone each opens and its best package."""
    return table(
        title,
        ("#", "relax or drop", "cost (who pays)", "opens", "best package in it"),
        (
            (
                str(k + 1),
                moves_text(c),
                f"{num(c.cost)} ({shares_text(c)})",
                f"{c.zone.size:,}\n{boxes_text(c.zone)}",
                point_text(c.best),
            )
            for k, c in enumerate(concessions)
        ),
    )


def moves_text(c: Concession) -> str:
    """One line per move: `relax r to fallback 1: REQUIRE` or `drop r`."""
    return "\n".join(
        [f"relax {r.rule} to fallback {r.level}: {r.require}" for r in c.relax]
        + [f"drop {k}" for k in c.drop]
    )


def shares_text(c: Concession) -> str:
    """Each paying party's part of the cost: `japan 2, russia 3`."""
    return ", ".join(f"{party} {num(cost)}" for party, cost in c.shares.items())


def boxes_text(zone: ZoneView, shown: int = 3) -> str:
    """The first boxes of a zone on a few lines, for a table cell."""
    lines = [
        f"[{_box_text(b).replace(chr(10), '; ') or 'any package'}]" for b in zone.boxes[:shown]
    ]
    if len(zone.boxes) > shown:
        lines.append(f"(+{len(zone.boxes) - shown} more boxes)")
    return "\n".join(lines)


def zone_blocks(title: str, zone: ZoneView) -> list[Block]:
    """A set of packages as its boxes and its first packages."""
    out: list[Block] = []
    if zone.boxes:
        note = "" if zone.boxes_complete else " (first boxes only)"
        out.append(
            table(
                f"{title}: {plural(zone.size, 'package')} as {len(zone.boxes)} box{'es' if len(zone.boxes) != 1 else ''}{note}",
                ("box", "restricted issues (others free)"),
                ((str(k + 1), _box_text(b) or "any package") for k, b in enumerate(zone.boxes)),
            )
        )
    if zone.packages:
        columns = zone.packages[0].issues
        shown = (
            f"first {len(zone.packages)} of {zone.size:,}"
            if zone.size > len(zone.packages)
            else f"all {zone.size:,}"
        )
        out.append(
            table(
                f"{title}: packages ({shown})",
                columns,
                (tuple(map(option_text, p.options)) for p in zone.packages),
            )
        )
    return out


def _box_text(box: Box) -> str:
    return "\n".join(
        f"{a.issue} in {', '.join(map(option_text, a.options))}"
        if len(a.options) > 1
        else f"{a.issue} = {option_text(a.options[0])}"
        for a in box
    )


def _solution_blocks(a: Analysis, s: SolutionsView) -> list[Block]:
    parties = [p.id for p in a.parties]
    over = (
        "the zone of agreement"
        if s.basis is Basis.ZONE
        else f"the zone that the cheapest concession would open (giving way on {', '.join(s.concession)})"
    )
    d = ", ".join(f"{p} {utility(s.disagreement[p])}" for p in parties)
    give = "gives" if s.candidates == 1 else "give"
    distinct = (
        f" ({plural(s.pareto_distinct, 'distinct utility point')})"
        if s.pareto_distinct != s.pareto_size
        else ""
    )
    out: list[Block] = [
        Para(
            f"Bargaining over {over}: {plural(s.candidates, 'package')} {give} every party at least "
            f"its reservation ({d}); {plural(s.pareto_size, 'package')} on the Pareto frontier{distinct}."
        )
    ]
    rows = [
        (
            label,
            *(utility(point.utilities[p]) for p in parties),
            package_text(point.package),
        )
        for name, label in SOLUTION_NAMES.items()
        if (point := s.points.get(name)) is not None
    ]
    if rows:
        out.append(table("Bargaining solutions", ("solution", *parties, "package"), rows))
    tied = {s.ties[name] for name in s.points if s.points[name] is not None and s.ties[name] > 1}
    if tied:
        if s.pareto_distinct == 1:
            note = (
                f"Every package on the frontier gives the same utilities: the solutions are a "
                f"{s.pareto_size}-way tie"
            )
        else:
            note = (
                f"A solution's utilities are shared by up to {max(tied)} frontier packages (a tie)"
            )
        out.append(
            Para(
                f"{note}, broken by the larger utility sum and then the first package in option "
                "order, which is the one shown.",
                "warn",
            )
        )
    return out


def _sensitivity(s: Sensitivity) -> Block:
    """Every run accounted for: each listed package, the others together, and no solution."""
    rows = [(share(t.runs, s.runs), str(t.runs), package_text(t.package)) for t in s.nash]
    others = s.runs - s.no_solution - sum(t.runs for t in s.nash)
    if others:
        rows.append((share(others, s.runs), str(others), "other packages"))
    if s.no_solution:
        rows.append((share(s.no_solution, s.runs), str(s.no_solution), "no solution"))
    return table(
        f"Sensitivity: the Nash package over {plural(s.runs, 'run')} with each preference weight "
        f"times a factor in [{s.low}, {s.high}] (seed {s.seed})",
        ("share", "runs", "package"),
        rows,
    )


def share(part: int, whole: int) -> str:
    """A share of runs as a percentage that never shows a non-zero part as 0%."""
    value = 100 * part / whole if whole else 0.0
    if part and value < 1:
        return f"{value:.1f}%" if value >= 0.1 else "<0.1%"
    return f"{value:.0f}%"
