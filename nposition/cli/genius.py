"""`nposition import-genius`: turn a GENIUS/ANAC domain and its utility profiles into a case folder."""

from pathlib import Path
from typing import Annotated

import typer

from nposition.cli.common import STATE, FormatOption, handle_errors, output
from nposition.render import Format


def register(app: typer.Typer) -> None:
    app.command("import-genius")(handle_errors(import_genius, "nothing was written"))


def import_genius(
    domain: Annotated[
        Path,
        typer.Argument(
            metavar="DOMAIN.xml", help="The GENIUS domain file (the negotiation template XML)."
        ),
    ],
    profiles: Annotated[
        list[Path],
        typer.Argument(metavar="PROFILE.xml...", help="One GENIUS utility profile XML per party."),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="The case folder to write; its name is the default case id."
        ),
    ],
    case_id: Annotated[
        str | None,
        typer.Option(
            "--id", help="The case id written into case.yaml (default: the --out folder's name)."
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace an existing case folder at --out, all its files."),
    ] = False,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Turn a GENIUS/ANAC domain and its utility profiles into a case folder."""
    from nposition.formats.genius_import import import_genius as run
    from nposition.limits import max_packages

    summary = run(domain, profiles, out, case_id, force, STATE.max_packages or max_packages())
    output(summary, fmt)
