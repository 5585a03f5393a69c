"""The bundled Kuril case: it validates cleanly, and the report keeps the column's key findings.

Each finding cites the section of the column (2019-01-23) it comes from.
"""

from __future__ import annotations

from functools import cache

from nposition.formats.case_file import load_case
from nposition.reports.analysis import Analysis
from nposition.workspace import Workspace

from .conftest import REPO

KURIL = REPO / "positions" / "kuril"


@cache
def report(scenario: str | None = None) -> Analysis:
    return Workspace.at(KURIL).analysis(scenario)


def test_validates_without_warnings() -> None:
    """The bundled case has no errors and no warnings."""
    result = Workspace.at(KURIL).validate()
    assert result.problems == (), [str(p) for p in result.problems]


def test_required_issues_and_parties() -> None:
    """The case has the issues and parties the design requires."""
    case = load_case(KURIL)
    ids = {i.id for i in case.issues}
    assert {
        "sovereignty_recognition",
        "islands_transferred",
        "transfer_nature",
        "base_restrictions",
    } <= ids
    assert [p.id for p in case.parties] == ["japan", "russia"]
    assert all(r.source.who and r.source.date and r.source.quote for r in case.rules)


def test_no_zone_as_of_january_2019() -> None:
    """Section 5: Russia's three conditions against Japan's claims leave no common package."""
    assert report().zone.size == 0


def test_recognition_demand_clashes_with_japan() -> None:
    """Section 5: the recognition demand 'fundamentally overturns Japan's claims' (a two-rule conflict)."""
    assert ("japan/no-ww2-framing", "russia/recognition-first") in {
        c.rules for c in report().conflicts
    }


def test_two_islands_against_four() -> None:
    """Sections 2, 4, 5: Japan claims all four islands; Russia offers two and keeps title to the rest."""
    rules = {c.rules for c in report().conflicts}
    assert (
        "japan/four-island-affiliation",
        "russia/no-title-beyond-two",
        "russia/two-islands-only",
    ) in rules


def test_the_cheapest_opening_asks_something_of_both_sides() -> None:
    """Sections 5 and 6: no side can open a zone alone at the lowest cost; both give something."""
    cheapest = report().concessions[0]
    assert {key.partition("/")[0] for key in cheapest.drop} == {"japan", "russia"}


def test_sovereignty_recognition_has_no_common_option() -> None:
    """Section 5: on recognising the war's outcome there is no option both sides accept."""
    status = {i.id: i.status for i in report().issues}
    assert status["sovereignty_recognition"] == "conflict"


def test_japan_accepts_a_phased_transfer() -> None:
    """Section 5: Japan is flexible on the timing and nature of the return (phased sovereignty)."""
    issue = next(i for i in report().issues if i.id == "transfer_nature")
    assert "phased_sovereignty" in issue.acceptable["japan"]


def test_cheapest_way_out_starts_with_the_precondition() -> None:
    """Section 5: the recognition demand raises the hurdle; dropping it is part of the cheapest opening."""
    cheapest = report().concessions[0]
    assert "russia/recognition-first" in cheapest.drop
    assert cheapest.zone.size > 0


def test_every_concession_touches_every_conflict() -> None:
    """No concession leaves a conflict standing (each hits every minimal conflict)."""
    a = report()
    for concession in a.concessions:
        for conflict in a.conflicts:
            assert set(concession.drop) & set(conflict.rules)


def test_tokyo_declaration_era_had_room() -> None:
    """Section 3: under the 1993 Tokyo Declaration both sides' positions overlapped."""
    assert report("snapshot-1993").zone.size > 0


def test_russia_dropping_the_precondition_is_not_enough() -> None:
    """Section 5: without the recognition demand, the islands and sovereignty conditions still clash."""
    a = report("russia-drops-precondition")
    assert a.zone.size == 0
    assert ("japan/no-ww2-framing", "russia/recognition-first") not in {
        c.rules for c in a.conflicts
    }
