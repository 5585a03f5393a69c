"""The bundled three-party case: the Northern Ireland backstop, as the positions stood in spring 2019.

Each finding is traced to the documents the case cites (see positions/backstop/case.yaml).
"""

from __future__ import annotations

from nposition.workspace import Workspace

from .conftest import REPO

BACKSTOP = REPO / "positions" / "backstop"


def test_validates_without_warnings() -> None:
    """The bundled case has no errors and no warnings."""
    result = Workspace.at(BACKSTOP).validate()
    assert result.problems == (), [str(p) for p in result.problems]


def test_the_eu_and_ireland_against_the_uk() -> None:
    """Spring 2019: the EU and Ireland share a zone (the 2018 Protocol); the UK alone blocks."""
    found = Workspace.at(BACKSTOP).analysis().coalitions
    assert found is not None
    zones = {g.parties: g.zone_size for g in found.groups}
    assert zones[("eu", "ireland")] > 0
    assert zones[("eu", "uk")] == zones[("ireland", "uk")] == zones[("eu", "ireland", "uk")] == 0
    assert found.blocking == ("uk",)


def test_a_time_limit_would_make_ireland_pivotal() -> None:
    """Had the EU accepted a time-limited backstop, Ireland's red lines alone would block a deal."""
    found = Workspace.at(BACKSTOP).analysis("time-limited-backstop").coalitions
    assert found is not None
    assert "ireland" in found.blocking


def test_every_expectation_holds() -> None:
    """The case's checks.yaml passes."""
    report = Workspace.at(BACKSTOP).check()
    assert report.failed == 0, [o for o in report.outcomes if not o.passed]
