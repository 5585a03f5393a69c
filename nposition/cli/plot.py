"""`nposition plot --out FILE`: the utility space as an SVG or PNG picture."""

from pathlib import Path
from typing import Annotated

import typer

from nposition.cli.common import STATE, ScenarioOption, handle_errors, output_path


def register(app: typer.Typer) -> None:
    app.command("plot")(handle_errors(plot))


def plot(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="The picture to write: FILE.svg, or FILE.png (needs cairosvg).",
            dir_okay=False,
        ),
    ],
    scenario: ScenarioOption = None,
) -> None:
    """Draw the utility space: every package, the zone, the Pareto frontier, the solutions, no agreement."""
    from nposition.errors import UsageError
    from nposition.formats.files import write_atomically
    from nposition.render.svg import svg

    workspace = STATE.workspace()
    suffix = output_path(out, (".svg", ".png"), "the picture", workspace.inputs())
    document = svg(workspace.plot(scenario))
    if suffix == ".svg":
        write_atomically(out, document)
        return
    try:
        import cairosvg  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except (ImportError, OSError) as e:
        raise UsageError(
            f"{out}: PNG output needs cairosvg and the cairo library ({e}); "
            "install it with `pip install 'nposition[png]'`, or write .svg"
        ) from e
    write_atomically(out, cairosvg.svg2png(bytestring=document.encode("utf-8"), scale=1.5))
