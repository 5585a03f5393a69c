"""Bargaining on real GENIUS domains equals a brute force with GENIUS semantics, straight from the XML."""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from nposition.engine.bargaining import SOLUTIONS, bargain, disagreement
from nposition.engine.space import Space
from nposition.engine.utility import Valuation
from nposition.formats.case_file import load_case
from nposition.formats.genius_import import import_genius

from .squeeze import SETTINGS, taking
from .test_genius import GENIUS, LARGE, SMALL, genius_utility

Vector = tuple[float, ...]
DIGITS = 9  # utilities are compared after rounding: the two sums may differ in the last bit


def reservation(profile: Path) -> float:
    node = ET.parse(profile).getroot().find(".//reservation")
    return float(node.get("value", "0")) if node is not None else 0.0


def brute_force(
    folder: Path, domain: str, profiles: tuple[str, ...]
) -> tuple[set[Vector], dict[str, Vector]]:
    """The frontier (as utility vectors) and each solution's utilities, by enumeration."""
    root = ET.parse(folder / domain).getroot()
    issues = []
    for issue in root.iter("issue"):
        if issue.get("type", "discrete") == "integer":
            values = [
                str(x)
                for x in range(
                    int(issue.get("lowerbound", "")), int(issue.get("upperbound", "")) + 1
                )
            ]
        else:
            values = [i.get("value", "") for i in issue.findall("item")]
        issues.append((issue.get("name", ""), values))
    refs = [genius_utility(folder / p) for p in profiles]
    d = tuple(reservation(folder / p) for p in profiles)
    points: set[Vector] = set()
    for combo in itertools.product(*(values for _, values in issues)):
        package = dict(zip((name for name, _ in issues), combo, strict=True))
        u = tuple(round(ref(package), DIGITS) for ref in refs)
        if all(a >= b for a, b in zip(u, d, strict=True)):
            points.add(u)

    def dominated(u: Vector) -> bool:
        return any(all(x >= y for x, y in zip(v, u, strict=True)) and v != u for v in points)

    frontier = {u for u in points if not dominated(u)}
    ideal = [max(u[k] for u in frontier) for k in range(len(d))]

    def gains(u: Vector) -> list[float]:
        return [a - b for a, b in zip(u, d, strict=True)]

    criteria = {
        "nash": lambda u: math.prod(gains(u)),
        "kalai_smorodinsky": lambda u: min(
            g / (m - b) if m > b else 1.0 for g, m, b in zip(gains(u), ideal, d, strict=True)
        ),
        "egalitarian": lambda u: sorted(gains(u)),
        "utilitarian": lambda u: sum(u),
    }
    best = {name: max(frontier, key=lambda u, f=f: (f(u), sum(u))) for name, f in criteria.items()}
    return frontier, best


def check(folder: Path, domain: str, profiles: tuple[str, ...], out: Path) -> None:
    import_genius(folder / domain, [folder / p for p in profiles], out)
    case = load_case(out)
    space = Space(case.issues)
    valuation = Valuation(space, case.parties)
    found = bargain(valuation, space.full, disagreement(case, space, valuation))
    frontier, best = brute_force(folder, domain, profiles)
    # Parties are sorted by id in nposition; reorder the reference to match.
    order = [profiles.index(f"{p.name}.xml") for p in case.parties]
    frontier = {tuple(u[k] for k in order) for u in frontier}
    got = {tuple(round(x, DIGITS) for x in p.utilities) for p in found.frontier}
    assert got == frontier
    for name in SOLUTIONS:
        point = found.solutions[name]
        assert point is not None
        want = tuple(best[name][k] for k in order)
        assert tuple(round(x, DIGITS) for x in point.utilities) == want, name


@pytest.mark.parametrize("name", sorted(SMALL))
def test_small_domains(name: str, tmp_path: Path) -> None:
    """Frontier and the four solutions on the small GENIUS domains equal the brute force."""
    domain, profiles, _ = SMALL[name]
    check(GENIUS / name, domain, profiles, tmp_path / "case")


def test_camera_b(shared: Path, tmp_path: Path) -> None:
    """The same on CameraB (3,600 packages), from ../shared when present."""
    domain, profiles, _ = LARGE["CameraB"]
    check(shared / "genius" / "CameraB", domain, profiles, tmp_path / "case")


def test_every_code_path_bargains_alike(shared: Path, tmp_path: Path) -> None:
    """On CameraB (from ../shared), every code path finds the same frontier, package for package,
    with the same floats, and the same four solutions (`tests.squeeze`)."""
    domain, profiles, _ = LARGE["CameraB"]
    folder = shared / "genius" / "CameraB"
    import_genius(folder / domain, [folder / p for p in profiles], tmp_path / "case")
    case = load_case(tmp_path / "case")
    found = []
    for path in SETTINGS:
        with taking(path):
            space = Space.of(case)
            valuation = Valuation(space, case.parties)
            result = bargain(valuation, space.full, disagreement(case, space, valuation))
            found.append(
                (
                    result.candidates,
                    result.frontier.points(),
                    result.solutions,
                    len(result.frontier),
                )
            )
    assert all(f == found[0] for f in found[1:])
