"""`nposition check [FILE]`: verify expectations about the case; exit 1 when any fails."""

from pathlib import Path
from typing import Annotated

import typer

from nposition.cli.common import (
    STATE,
    FormatOption,
    handle_errors,
    output,
    prepare,
    write_atomically,
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
    from nposition.errors import UsageError
    from nposition.formats.case_file import CHECKS_FILE
    from nposition.formats.scenario_file import load, scenario_names
    from nposition.reports.checks import junit_xml, read_checks, run_checks

    case, _, space = prepare()
    case_dir = STATE.case_dir()
    path = file or case_dir / CHECKS_FILE
    if not path.is_file():
        raise UsageError(f"{path}: no such checks file")
    expectations = read_checks(
        path, lambda name: load(case, case_dir, name, space)[0], scenario_names(case_dir)
    )
    report = run_checks(case, case_dir, expectations, space, str(path))
    output(report, fmt)  # first, so an unwritable --junit path still shows the results
    if junit is not None:
        write_atomically(junit, junit_xml(report))
    if report.failed:
        raise typer.Exit(1)
