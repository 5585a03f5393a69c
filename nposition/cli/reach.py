"""`nposition reach ISSUE=OPTION ...`: what it would take for a package of that form to be agreed."""

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


def register(app: typer.Typer) -> None:
    app.command("reach")(handle_errors(reach))


def reach(
    assignments: Annotated[
        list[str],
        typer.Argument(
            help="ISSUE=OPTION pairs: the deal to reach; issues left out may take any option.",
            show_default=False,
        ),
    ],
    scenario: ScenarioOption = None,
    by: ByOption = None,
    limit: LimitOption = 10,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The cheapest concessions (fallbacks or drops) under which a deal of this form is acceptable to every party, and who pays."""
    output(STATE.workspace().reach(assignments, scenario, by or [], limit), fmt)
