"""`nposition show [PARTY]`: the case's issues and options, or one party's rules and citations."""

from typing import Annotated

import typer

from nposition.cli.common import STATE, FormatOption, handle_errors, output
from nposition.errors import UsageError
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
    from nposition.formats.case_file import load_case
    from nposition.model.expr import suggest
    from nposition.reports.show import IssuesView, PartyView

    case = load_case(STATE.case_dir())
    if party is None:
        output(IssuesView(case), fmt)
        return
    ids = [p.id for p in case.parties]
    if party not in ids:
        raise UsageError(f"unknown party '{party}' ({suggest(party, ids)})")
    output(PartyView(case.party(party)), fmt)
