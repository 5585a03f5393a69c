"""`nposition explain KEY=OPTION ...`: every rule of every party, held or broken, for one package."""

from typing import Annotated

import typer

from nposition.cli.common import STATE, FormatOption, ScenarioOption, handle_errors, output
from nposition.render import Format


def register(app: typer.Typer) -> None:
    app.command("explain")(handle_errors(explain))


def explain(
    assignments: Annotated[
        list[str] | None,
        typer.Argument(
            help="ISSUE=OPTION pairs; issues left out are explained over all their options.",
            show_default=False,
        ),
    ] = None,
    scenario: ScenarioOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Check a package (full or partial) against every rule of every party, with sources."""
    output(STATE.workspace().explain(assignments or [], scenario), fmt)
