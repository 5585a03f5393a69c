"""The sensitivity loop: the same tallies on every code path, and over GENIUS domains."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

from nposition.engine.space import Space
from nposition.formats.case_file import load_case
from nposition.formats.genius_import import import_genius
from nposition.reports.sensitivity import sensitivity
from tests.squeeze import PATHS, taking
from tests.strategies import random_cases

from .test_genius import LARGE


@PATHS
@settings(max_examples=25, deadline=None)
@given(case=random_cases(v2=True))
def test_tallies_are_the_same_on_every_code_path(path, case):
    """Batches and cells made once and reused across runs give the plain path's tallies."""
    with taking("plain"):
        space = Space.of(case)
        want = sensitivity(case, space, space.full, 8, 3)
    with taking(path):
        space = Space.of(case)
        assert sensitivity(case, space, space.full, 8, 3) == want


def test_genius_tallies_are_the_same_on_every_code_path(shared: Path, tmp_path: Path) -> None:
    """On CameraB (3,600 packages, from ../shared), every code path tallies the same packages."""
    domain, profiles, _ = LARGE["CameraB"]
    folder = shared / "genius" / "CameraB"
    import_genius(folder / domain, [folder / p for p in profiles], tmp_path / "case")
    case = load_case(tmp_path / "case")
    found = set()
    for path in ("plain", "numpy", "chunks", "sparse", "listed"):
        with taking(path):
            space = Space.of(case)
            found.add(sensitivity(case, space, space.full, 6, 5))
    assert len(found) == 1


@pytest.mark.parametrize("runs", [0, 1])
def test_no_run_no_tally(runs: int) -> None:
    """With no run there is nothing to count; with one, exactly one package or no solution."""
    case = load_case(Path(__file__).parent / "data" / "cases" / "mini")
    space = Space.of(case)
    result = sensitivity(case, space, space.full, runs, 1)
    assert sum(t.runs for t in result.nash) + result.no_solution == runs
