"""`nposition validate`: load and lint every file of the case, reporting all problems at once."""

import sys
from typing import Annotated

import typer

from nposition.cli.common import STATE, FormatOption, handle_errors, output
from nposition.errors import visible
from nposition.render import Format


def register(app: typer.Typer) -> None:
    app.command("validate")(handle_errors(validate))


def validate(
    fmt: FormatOption = Format.TABLE,
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat warnings as errors (exit 2).")
    ] = False,
) -> None:
    """Check every file of the case (syntax, names, sources, contradictions); exit 2 on errors."""
    report = STATE.workspace().validate(strict=strict)
    if fmt is Format.TABLE:  # located problems are diagnostics: stderr, where CI logs expect them
        for problem in report.problems:
            print(visible(str(problem)), file=sys.stderr)
        report = report._replace(problems=())
    output(report, fmt)
    if report.errors or (strict and report.warnings):
        raise typer.Exit(2)
