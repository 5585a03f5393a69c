"""`nposition plot`: a well-formed SVG that shows the packages, the zone, the frontier and the solutions."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nposition.cli import app
from nposition.engine.bargaining import Solution
from nposition.render.svg import svg
from nposition.reports.plot import solution_points
from nposition.workspace import Workspace

from .conftest import CASES, REPO
from .squeeze import PATHS, taking

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
        "Pareto frontier (4)",
    ):
        assert any(label in t for t in texts), label
    assert any(t.startswith("all packages (1,107)") for t in texts)


def test_plot_points_match_the_analysis() -> None:
    """The solutions drawn are the ones the analysis reports, over the cheapest concession's zone."""
    from nposition.reports.analysis import analyze

    ws = Workspace.at(REPO / "positions" / "kuril")
    pic = ws.plot()
    solutions = analyze(ws.base, space=ws.space).solutions
    assert solutions is not None
    cheapest = analyze(ws.base, space=ws.space).concessions[0]
    assert pic.zone_label == f"zone if: {cheapest.describe()}"
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


def _with_parties(tmp_path: Path, names: list[str]) -> Path:
    """The mini case with extra parties copied from the seller, under the given names."""
    import shutil

    folder = Path(shutil.copytree(CASES / "mini", tmp_path / "mini"))
    seller = (folder / "seller.yaml").read_text()
    for k, name in enumerate(names):
        body = seller.replace("party: seller", f"party: extra{k}")
        (folder / f"extra{k}.yaml").write_text(body.replace("name: Seller", f"name: {name}"))
    return folder


def test_four_parties_lay_panels_in_a_grid(tmp_path: Path) -> None:
    """Four parties give six panels in two rows of three, not one row 5,000 px wide."""
    folder = _with_parties(tmp_path, ["Broker", "Regulator"])
    root = ET.fromstring(svg(Workspace.at(folder).plot()))
    panels = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#fafafa"]
    assert len(panels) == 6
    assert len({r.get("y") for r in panels}) == 2
    assert len({r.get("x") for r in panels}) == 3
    assert int(root.get("width", "0")) < 2000


def test_long_names_wrap_and_control_characters_leave_valid_xml(tmp_path: Path) -> None:
    """A long party name wraps within its panel; a control character never reaches the XML."""
    long = "The Union of Very Long Named Associated Public and Private Sector Employers"
    folder = _with_parties(tmp_path, [long, '"Bad\\x01Name"'])
    document = svg(Workspace.at(folder).plot())
    root = ET.fromstring(document)  # parses: no raw control character
    labels = [
        t.text or "" for t in root.iter(f"{SVG}text") if (t.text or "").startswith("utility of")
    ]
    assert labels
    assert all(len(label) <= PANEL_CHARS for label in labels)
    assert "\x01" not in document


def test_no_solution_is_said_on_the_picture(tmp_path: Path) -> None:
    """When no package is individually rational, the picture says why no solution is marked."""
    import shutil

    folder = Path(shutil.copytree(CASES / "mini", tmp_path / "mini"))
    for name in ("buyer.yaml", "seller.yaml"):
        path = folder / name
        path.write_text(path.read_text().replace("rules:", "reservation: 1\nrules:", 1))
    document = svg(Workspace.at(folder).plot())
    assert "no package gives every party at least its reservation" in document


PANEL_CHARS = 460 // 7


@PATHS
@pytest.mark.parametrize("case", ["kuril", "backstop"])
def test_picture_is_the_same_on_every_code_path(path: str, case: str) -> None:
    """The drawing (density cells, frontier, solutions) does not depend on the code path taken."""
    with taking("plain"):
        want = svg(Workspace(REPO / "positions", case).plot(None))
    with taking(path):
        assert svg(Workspace(REPO / "positions", case).plot(None)) == want
