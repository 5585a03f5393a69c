"""`nposition check [FILE]`: verify expectations about the case; exit 1 when any fails."""

from pathlib import Path
from typing import Annotated

import typer

from nposition.cli.common import (
    STATE,
    FormatOption,
    handle_errors,
    output,
    output_path,
)
from nposition.render import Format


def register(app: typer.Typer) -> None:
    app.command("check")(handle_errors(check))


def check(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Expectations file (default: checks.yaml of the case).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    junit: Annotated[
        Path | None,
        typer.Option(
            "--junit", help="Also write the results as JUnit XML to this file.", dir_okay=False
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Verify the expectations of a checks file; exit 1 when any fails, 2 when the file is wrong."""
    from nposition.formats.files import write_atomically
    from nposition.render.junit import junit_xml

    workspace = STATE.workspace()
    if junit is not None:
        output_path(junit, (".xml",), "the JUnit report", workspace.inputs(file))
    report = workspace.check(file)
    output(report, fmt)  # first, so an unwritable --junit path still shows the results
    if junit is not None:
        write_atomically(junit, junit_xml(report))
    if report.failed:
        raise typer.Exit(1)
