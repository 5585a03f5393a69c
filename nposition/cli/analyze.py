"""`nposition analyze`: overlap, conflicts, concessions and the zone of agreement."""

from __future__ import annotations

from typing import Annotated

import typer

from nposition.cli.common import FormatOption, ScenarioOption, handle_errors, output, prepare
from nposition.render import Format

LimitOption = Annotated[int, typer.Option("--limit", min=0, help="How many zone packages to list.")]


def register(app: typer.Typer) -> None:
    app.command("analyze")(handle_errors(analyze))


def analyze(
    scenario: ScenarioOption = None,
    fmt: FormatOption = Format.TABLE,
    limit: LimitOption = 10,
    fail_on_conflict: Annotated[
        bool,
        typer.Option("--fail-on-conflict", help="Exit 1 when no package satisfies every party."),
    ] = False,
) -> None:
    """The full report: per-issue overlap, conflicts, concessions and the zone of agreement."""
    from nposition.analysis import analyze as run

    case, chosen, space = prepare(scenario)
    result = run(case, chosen, space=space, limit=limit)
    output(result, fmt)
    if fail_on_conflict and result.zone.size == 0:
        raise typer.Exit(1)
