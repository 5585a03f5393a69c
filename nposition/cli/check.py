"""`nposition check [FILE]`: verify expectations about the case; exit 1 when any fails."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from nposition.cli.common import STATE, FormatOption, handle_errors, output, prepare
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
    from nposition.checks import junit_xml, read_checks, run_checks
    from nposition.errors import UsageError
    from nposition.loader import CHECKS_FILE
    from nposition.scenario import load, scenario_names

    case, _, space = prepare()
    case_dir = STATE.case_dir()
    path = file or case_dir / CHECKS_FILE
    if not path.is_file():
        raise UsageError(f"{path}: no such checks file")
    expectations = read_checks(
        path, lambda name: load(case, case_dir, name, space)[0], scenario_names(case_dir)
    )
    report = run_checks(case, case_dir, expectations, space, str(path))
    if junit is not None:
        write_atomically(junit, junit_xml(report))
    output(report, fmt)
    if report.failed:
        raise typer.Exit(1)


def write_atomically(path: Path, text: str) -> None:
    """Write a file whole or not at all (no partial file after an error)."""
    from nposition.errors import UsageError

    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as e:
        raise UsageError(f"{path}: cannot write: {e.strerror or e}") from e
