"""`nposition analyze`: overlap, conflicts, concessions and the zone of agreement."""

from typing import Annotated

import typer

from nposition.cli.common import (
    STATE,
    ByOption,
    FormatOption,
    LimitOption,
    ScenarioOption,
    handle_errors,
    output,
)
from nposition.render import Format
from nposition.render.progress import progress

MAX_SENSITIVITY_RUNS = 100_000


def register(app: typer.Typer) -> None:
    app.command("analyze")(handle_errors(analyze))


def analyze(
    scenario: ScenarioOption = None,
    fmt: FormatOption = Format.TABLE,
    limit: LimitOption = 10,
    by: ByOption = None,
    fail_on_conflict: Annotated[
        bool,
        typer.Option("--fail-on-conflict", help="Exit 1 when no package satisfies every party."),
    ] = False,
    sensitivity: Annotated[
        int,
        typer.Option(
            "--sensitivity",
            min=0,
            max=MAX_SENSITIVITY_RUNS,
            help="Re-solve N times (at most 100,000; split larger sweeps by --seed) with every preference weight times a factor in [0.5, 1.5]; report how often each package is the Nash solution.",
        ),
    ] = 0,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed for --sensitivity (same seed, same result).")
    ] = 0,
) -> None:
    """The full report: overlap per issue, conflicts, concessions, the zone, bargaining solutions."""
    if seed and not sensitivity:
        from nposition.errors import UsageError

        raise UsageError("--seed only applies with --sensitivity N")
    workspace = STATE.workspace()
    workspace.case(scenario)  # load errors before the progress bar starts
    with progress("perturbing weights", sensitivity) as step:
        result = workspace.analysis(
            scenario, limit=limit, sensitivity_runs=sensitivity, seed=seed, step=step, by=by or ()
        )
    output(result, fmt)
    if fail_on_conflict and result.zone.size == 0:
        raise typer.Exit(1)
