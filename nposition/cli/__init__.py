"""The command-line interface: the only place that imports typer, wires layers, and exits.

The command modules do without `from __future__ import annotations`: typer would otherwise have
to evaluate every annotation string of every command at each start.
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from nposition import __version__
from nposition.cli import analyze, check, compare, explain, genius, plot, schema, show, validate
from nposition.cli.common import STATE

app = typer.Typer(
    name="nposition",
    help=(
        "Analyze negotiation positions written as cited YAML rules: where they overlap, which "
        "red lines conflict, which minimal concessions open a zone of agreement."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"nposition {__version__}")
        raise typer.Exit()


@app.callback()
def configure(
    positions: Annotated[
        Path | None,
        typer.Option(
            "--positions",
            help="Folder of cases. Default: ./positions when it exists, else the bundled cases.",
            file_okay=False,
        ),
    ] = None,
    case: Annotated[
        str, typer.Option("--case", help="The case folder inside the positions folder.")
    ] = "kuril",
    max_packages: Annotated[
        int | None,
        typer.Option(
            "--max-packages",
            min=1,
            help="Refuse outcome spaces larger than this (default 50,000,000; env NPOSITION_MAX_PACKAGES).",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback for errors.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Global options, given before the command."""
    STATE.positions = positions
    STATE.case = case
    STATE.max_packages = max_packages
    STATE.debug = debug
    STATE.opened = None


for module in (validate, show, analyze, explain, compare, check, plot, schema, genius):
    module.register(app)


def main() -> None:
    """Entry point of the `nposition` script."""
    try:
        app()
    except Exception as e:  # a bug, not bad input: say so briefly unless --debug
        if STATE.debug:
            raise
        print(
            f"internal error: {type(e).__name__}: {e} (run with --debug for a traceback)",
            file=sys.stderr,
        )
        sys.exit(3)
