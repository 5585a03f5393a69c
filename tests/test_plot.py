"""`nposition plot`: a well-formed SVG that shows the packages, the zone, the frontier and the solutions."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nposition.cli import app
from nposition.engine.bargaining import Solution
from nposition.reports.plot import solution_points, svg
from nposition.workspace import Workspace

from .conftest import CASES, REPO

runner = CliRunner()
SVG = "{http://www.w3.org/2000/svg}"


def test_svg_shows_every_layer(tmp_path: Path) -> None:
    """The SVG parses and labels both axes, the legend entries and every solution."""
    out = tmp_path / "kuril.svg"
    result = runner.invoke(app, ["--positions", str(REPO / "positions"), "plot", "--out", str(out)])
    assert result.exit_code == 0, result.output
    root = ET.parse(out).getroot()
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    for label in (
        "utility of Japan",
        "utility of Russian Federation",
        "Nash",
        "Kalai-Smorodinsky",
        "egalitarian",
        "utilitarian",
        "no agreement",
        "Pareto frontier (48)",
    ):
        assert any(label in t for t in texts), label
    assert any(t.startswith("all packages (3,888)") for t in texts)


def test_plot_points_match_the_analysis() -> None:
    """The solutions drawn are the ones the analysis reports, over the cheapest concession's zone."""
    from nposition.reports.analysis import analyze

    ws = Workspace.at(REPO / "positions" / "kuril")
    pic = ws.plot()
    solutions = analyze(ws.base, space=ws.space).solutions
    assert solutions is not None
    assert pic.zone_label == f"zone if {', '.join(solutions.concession)} were dropped"
    nash = solutions.points[Solution.NASH]
    assert nash is not None
    drawn = {p.utilities for p in solution_points(pic)}
    assert tuple(nash.utilities.values()) in drawn
    assert pic.zone.size == solutions.candidates


def test_three_parties_draw_three_panels(tmp_path: Path) -> None:
    """A three-party case draws one panel per pair of parties."""
    import shutil

    shutil.copytree(CASES / "mini", tmp_path / "mini")
    third = (
        (tmp_path / "mini" / "seller.yaml").read_text().replace("party: seller", "party: broker")
    )
    (tmp_path / "mini" / "broker.yaml").write_text(third.replace("name: Seller", "name: Broker"))
    document = svg(Workspace.at(tmp_path / "mini").plot())
    root = ET.fromstring(document)
    panels = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#fafafa"]
    assert len(panels) == 3


def test_bad_suffix_is_refused(tmp_path: Path) -> None:
    """Only .svg and .png are written; anything else exits 2 and writes nothing."""
    out = tmp_path / "picture.gif"
    result = runner.invoke(
        app, ["--positions", str(CASES), "--case", "mini", "plot", "--out", str(out)]
    )
    assert result.exit_code == 2
    assert "must be .svg or .png" in result.stderr
    assert not out.exists()


def test_png(tmp_path: Path) -> None:
    """A .png is a PNG image (when cairosvg and the cairo library are available)."""
    try:
        import cairosvg  # noqa: F401
    except (ImportError, OSError):
        pytest.skip("cairosvg or the cairo library is not available")
    out = tmp_path / "mini.png"
    result = runner.invoke(
        app, ["--positions", str(CASES), "--case", "mini", "plot", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
