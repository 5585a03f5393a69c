"""`nposition schema KIND`: a JSON Schema for case, party, scenario or checks files, for editors."""

import json
from typing import Annotated

import typer

from nposition.cli.common import handle_errors
from nposition.formats.schema import Kind


def register(app: typer.Typer) -> None:
    app.command("schema")(handle_errors(schema))


def schema(
    kind: Annotated[Kind, typer.Argument(help="Which file the schema describes.")],
) -> None:
    """Print a JSON Schema for one kind of position file (point your YAML editor at it)."""
    from nposition.formats.schema import schema_for

    print(json.dumps(schema_for(kind), indent=2))
