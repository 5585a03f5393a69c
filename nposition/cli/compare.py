"""`nposition compare [S ...]` and `nposition diff A B`: scenarios side by side, and what changes."""

from typing import Annotated

import typer

from nposition.cli.common import STATE, FormatOption, handle_errors, output
from nposition.render import Format


def register(app: typer.Typer) -> None:
    app.command("compare")(handle_errors(compare))
    app.command("diff")(handle_errors(diff))


def compare(
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(
            help="Scenarios to compare (default: all of the case's).", show_default=False
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The baseline and scenarios side by side: acceptable counts, zone, conflicts, concessions."""
    output(STATE.workspace().compare(scenarios or []), fmt)


def diff(
    a: Annotated[
        str, typer.Argument(help="The first scenario ('baseline' for the case as written).")
    ],
    b: Annotated[str, typer.Argument(help="The second scenario.")],
    fmt: FormatOption = Format.TABLE,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help="How many entering/leaving packages to list.")
    ] = 10,
) -> None:
    """What changes from scenario A to B: rules, zone packages entering or leaving, conflicts, concessions."""
    output(STATE.workspace().diff(a, b, limit), fmt)
