"""`nposition show [PARTY]`: the case's issues and options, or one party's rules and citations."""

from typing import Annotated

import typer

from nposition.cli.common import STATE, FormatOption, handle_errors, output
from nposition.render import Format


def register(app: typer.Typer) -> None:
    app.command("show")(handle_errors(show))


def show(
    party: Annotated[
        str | None, typer.Argument(help="A party id; without it, the issues and parties.")
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Show the issues and options of the case, or a party's rules with kind, expression and citation."""
    output(STATE.workspace().show(party), fmt)
