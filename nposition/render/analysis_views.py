"""Layouts of the analysis reports: analyze, compare and diff."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nposition.model.case import number
from nposition.render.blocks import (
    Block,
    Cell,
    Heading,
    Para,
    package_text,
    plural,
    table,
    tone,
)

if TYPE_CHECKING:
    from nposition.reports.analysis import Analysis, Conflict, SolutionsView, ZoneView
    from nposition.reports.compare import Comparison, Diff


def zone_blocks(title: str, zone: ZoneView) -> list[Block]:
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
        columns = tuple(zone.packages[0])
        shown = (
            f"first {len(zone.packages)} of {zone.size:,}"
            if zone.size > len(zone.packages)
            else f"all {zone.size:,}"
        )
        out.append(
            table(
                f"{title}: packages ({shown})", columns, (tuple(p.values()) for p in zone.packages)
            )
        )
    return out


def _box_text(box: dict[str, tuple[str, ...]]) -> str:
    return "\n".join(
        f"{issue} in {', '.join(opts)}" if len(opts) > 1 else f"{issue} = {opts[0]}"
        for issue, opts in box.items()
    )


def analysis(a: Analysis) -> list[Block]:
    head = f"{a.title} ({a.case})" + (f", scenario {a.scenario}" if a.scenario else "")
    out: list[Block] = [Heading(head), Para(a.verdict, "good" if a.zone.size else "bad")]
    if not a.complete:
        out.append(
            Para("Enumeration stopped at its limit: conflicts and concessions are partial.", "warn")
        )
    party_ids = [p.id for p in a.parties]
    out.append(
        table(
            f"Parties ({a.space_size:,} packages in all)",
            ("party", "name", "red lines", "preferences", "acceptable packages"),
            (
                (p.id, p.name, str(p.red_lines), str(p.preferences), f"{p.acceptable:,}")
                for p in a.parties
            ),
        )
    )
    out.append(
        table(
            "Per-issue overlap",
            ("issue", *party_ids, "common", "status"),
            (
                (
                    i.id,
                    *(", ".join(i.acceptable[p]) or "-" for p in party_ids),
                    ", ".join(i.common) or "-",
                    tone(i.status),
                )
                for i in a.issues
            ),
        )
    )
    if a.conflicts:
        out.append(
            table(
                f"Conflicts ({len(a.conflicts)}): red lines no package satisfies together",
                ("#", "rule", "said by", "date", "issues touched"),
                (
                    (
                        str(k + 1) if j == 0 else "",
                        Cell(s.rule, "bad"),
                        s.who,
                        s.date,
                        ", ".join(c.issues) if j == 0 else "",
                    )
                    for k, c in enumerate(a.conflicts)
                    for j, s in enumerate(c.citations)
                ),
            )
        )
    if a.concessions:
        out.append(
            table(
                f"Concessions ({len(a.concessions)}): minimal sets of red lines whose removal opens a zone",
                ("#", "drop", "cost", "opens", "best package in it"),
                (
                    (
                        str(k + 1),
                        "\n".join(c.drop),
                        str(number(c.cost)),
                        f"{c.zone.size:,}",
                        package_text(c.best) if c.best else "-",
                    )
                    for k, c in enumerate(a.concessions)
                ),
            )
        )
    out.extend(zone_blocks("Zone of agreement", a.zone))
    if a.solutions is not None:
        out.extend(_solution_blocks(a, a.solutions))
    if a.sensitivity is not None:
        sens = a.sensitivity
        out.append(
            table(
                f"Sensitivity: the Nash package over {plural(sens.runs, 'run')} with perturbed weights (seed {sens.seed})",
                ("share", "runs", "package"),
                ((f"{n / sens.runs:.0%}", str(n), package_text(pkg)) for pkg, n in sens.nash),
            )
        )
    return out


SOLUTION_NAMES = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai-Smorodinsky",
    "egalitarian": "egalitarian",
    "utilitarian": "utilitarian",
}


def _solution_blocks(a: Analysis, s: SolutionsView) -> list[Block]:
    parties = [p.id for p in a.parties]
    over = (
        "the zone of agreement"
        if s.basis == "zone"
        else f"the zone that the cheapest concession would open (dropping {', '.join(s.concession)})"
    )
    d = ", ".join(f"{p} {s.disagreement[p]}" for p in parties)
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
    rows = []
    for key, label in SOLUTION_NAMES.items():
        point = s.points.get(key)
        if point is not None:
            rows.append(
                (
                    label,
                    *(f"{point['utilities'][p]:.3f}" for p in parties),
                    package_text(point["package"]),
                )
            )
    if rows:
        out.append(
            table(
                "Bargaining solutions",
                ("solution", *parties, "package"),
                rows,
            )
        )
    return out


def comparison(c: Comparison) -> list[Block]:
    parties = [p.id for p in c.analyses[0].parties]
    rows: list[tuple[str | Cell, ...]] = []
    for a in c.analyses:
        cheapest = a.concessions[0] if a.concessions else None
        rows.append(
            (
                Cell(a.scenario or "baseline", "good" if a.zone.size else "bad"),
                *(f"{p.acceptable:,}" for p in a.parties),
                f"{a.zone.size:,}",
                str(len(a.conflicts)),
                "\n".join(cheapest.drop) if cheapest else "-",
                str(number(cheapest.cost)) if cheapest else "-",
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
        (a.scenario or "baseline", a.solutions.points.get("nash"))
        for a in c.analyses
        if a.solutions
    ]
    if nash:
        out.append(
            table(
                "Nash package by scenario (after the cheapest concession where the zone is empty)",
                ("scenario", "Nash package and utilities"),
                ((name, _point_text(point)) for name, point in nash),
            )
        )
    return out


def _point_text(point: dict[str, Any] | None) -> str:
    """A solution as its package (issue=option) and each party's utility."""
    if point is None:
        return "-"
    package = package_text(point["package"])
    utilities = ", ".join(f"{p} {u:.3f}" for p, u in point["utilities"].items())
    return f"{package}\n({utilities})"


def _nash_text(a: Analysis) -> str:
    nash = a.solutions.points.get("nash") if a.solutions else None
    if a.solutions is None or nash is None:
        return "-"
    where = "" if a.solutions.basis == "zone" else " (after concession)"
    return ", ".join(f"{p} {u}" for p, u in nash["utilities"].items()) + where


def _conflict_rows(conflicts: tuple[Conflict, ...]) -> list[tuple[str, str]]:
    return [(" + ".join(c.rules), ", ".join(c.issues)) for c in conflicts]


def diff(d: Diff) -> list[Block]:
    a, b = d.a.scenario or "baseline", d.b.scenario or "baseline"
    out: list[Block] = [
        Heading(f"{a} -> {b}"),
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
                ((r.rule, tone(r.change), r.before, r.after) for r in d.rules),
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
            out.append(table(title, ("rules", "issues"), _conflict_rows(conflicts)))
    rows = [
        (SOLUTION_NAMES[name], _point_text(v["a"]), _point_text(v["b"]))
        for name, v in d.solutions().items()
        if v["changed"]
    ]
    if rows:
        out.append(table("Bargaining solutions that change", ("solution", a, b), rows))
    for title, concessions in (
        ("Concessions no longer listed", d.concessions_gone),
        ("New concessions", d.concessions_new),
    ):
        if concessions:
            out.append(
                table(
                    title,
                    ("drop", "cost", "opens"),
                    (
                        (" + ".join(c.drop), str(number(c.cost)), f"{c.zone.size:,}")
                        for c in concessions
                    ),
                )
            )
    return out
