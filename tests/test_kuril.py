"""The bundled Kuril case: it validates cleanly, and the report keeps the column's findings.

Each finding cites the section of the column (2019-01-23) it comes from. Costs are the modeller's,
not the column's, so no test pins a cost; the tests pin what the column says: who clashes with whom,
and which islands change hands in the ways out.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from nposition.engine.bargaining import Solution
from nposition.formats.case_file import load_case
from nposition.model.case import Case
from nposition.reports.analysis import Analysis
from nposition.reports.results import Concession, Package
from nposition.workspace import Workspace

from .conftest import REPO

KURIL = REPO / "positions" / "kuril"
COLUMN = Path("seed") / "japan-russia-peace-treaty-column-2019-01-23.txt"
SNAPSHOTS = sorted(p.stem for p in (KURIL / "scenarios").glob("snapshot-*.yaml"))


@cache
def workspace() -> Workspace:
    return Workspace.at(KURIL)


@cache
def report(scenario: str | None = None) -> Analysis:
    return workspace().analysis(scenario)


def conflicts(scenario: str | None = None) -> set[tuple[str, ...]]:
    return {c.rules for c in report(scenario).conflicts}


def islands(concession: Concession) -> set[str | None]:
    """The options of islands_transferred in the zone a concession opens (from its boxes)."""
    found: set[str | None] = set()
    for box in concession.zone.boxes:
        allowed = {a.issue: a.options for a in box}
        assert "islands_transferred" in allowed, "a box leaves the islands free"
        found |= set(allowed["islands_transferred"])
    return found


def option(package: Package, issue: str) -> str | None:
    return dict(package.items())[issue]


# --- the case as written ------------------------------------------------------------------------


def test_validates_without_warnings() -> None:
    """The bundled case has no errors and no warnings."""
    result = workspace().validate()
    assert result.problems == (), [str(p) for p in result.problems]


def test_every_scenario_lints_without_warnings() -> None:
    """`validate` lints the baseline only; each scenario, applied, is as clean (quotes, dates
    against the parties' as_of, dead rules, red lines outside an issue's applies_when)."""
    from nposition.engine.lint import lint

    ws = workspace()
    for name in ws.scenario_names:
        problems = lint(ws.case(name), ws.space)
        assert problems == [], (name, [str(p) for p in problems])


def test_required_issues_and_parties() -> None:
    """The case has the issues and parties the design requires; every rule is cited."""
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


def test_terms_of_a_handover_apply_only_to_a_handover() -> None:
    """Sections 2 and 5: the nature of the transfer, the commitments on US forces and the timing
    of the handover concern islands handed over; with none handed over they do not apply."""
    case = load_case(KURIL)
    conditional = {i.id: i.applies_when.text for i in case.issues if i.applies_when is not None}
    assert conditional == dict.fromkeys(
        ("transfer_nature", "base_restrictions", "handover_timing"), "islands_transferred != none"
    )


def _cited(case: Case) -> set[str]:
    sources = [r.source for r in case.rules]
    sources += [f.source for r in case.rules for f in r.fallbacks if f.source]
    return {s.document for s in sources if s.document}


def test_every_document_is_cited() -> None:
    """Every document case.yaml lists is cited by some rule, in the baseline or a scenario."""
    ws = workspace()
    cited = _cited(ws.base).union(*(_cited(ws.case(n)) for n in ws.scenario_names))
    assert {d.id for d in ws.base.documents} == cited


def test_quotes_are_the_column_s_words(shared: Path) -> None:
    """Every quote not marked as a paraphrase is in the column word for word (`…` marks a cut),
    in the party files, the constraints and the scenarios alike."""
    column = " ".join((shared / COLUMN).read_text(encoding="utf-8").split())

    def quotes(node: object) -> list[str]:
        if isinstance(node, dict):
            own = [node["quote"]] if "quote" in node and not node.get("paraphrase") else []
            return own + [q for k, v in node.items() if k != "quote" for q in quotes(v)]
        if isinstance(node, list):
            return [q for v in node for q in quotes(v)]
        return []

    for path in sorted(KURIL.rglob("*.yaml")):
        for quote in quotes(yaml.safe_load(path.read_text(encoding="utf-8"))):
            at = 0
            for part in re.split(r"\s*…\s*", " ".join(quote.split())):
                found = column.find(part, at)
                assert found >= 0, (path.name, part)
                at = found + len(part)


# --- January 2019: the baseline --------------------------------------------------------------


def test_no_zone_as_of_january_2019() -> None:
    """Sections 5 and 6: Russia's three conditions against Japan's claims leave no common package."""
    assert report().zone.size == 0


def test_the_three_conditions_are_the_issues_in_conflict() -> None:
    """Section 5: recognition of the war's outcome, the nature of the transfer and US forces are
    the issues on which no option suits both sides; on the islands they meet at Habomai and
    Shikotan, "the transfer of just the two islands"."""
    views = {i.id: i for i in report().issues}
    status = {k: str(v.status) for k, v in views.items()}
    assert {k for k, s in status.items() if s == "conflict"} == {
        "sovereignty_recognition",
        "transfer_nature",
        "base_restrictions",
    }
    assert views["islands_transferred"].common == ("habomai_shikotan",)


def test_recognition_demand_clashes_with_japan() -> None:
    """Section 5: the recognition demand "fundamentally overturns Japan's claims" (two rules)."""
    assert ("japan/no-ww2-framing", "russia/recognition-first") in conflicts()


def test_two_islands_against_four() -> None:
    """Sections 4 and 5: Japan's flexibility holds "as long as Russia acknowledges affiliation"
    of the four islands; Russia holds that their affiliation moved to it and offers two."""
    assert ("japan/four-island-affiliation", "russia/no-title-beyond-two") in conflicts()


def test_nature_of_the_transfer_clashes() -> None:
    """Section 5: Russia wants the islands' status reviewed after a transfer ("such as only giving
    administrative powers to Japan"); Japan's flexibility on the nature of the return ends where
    sovereignty would not pass."""
    assert (
        "japan/sovereignty-shift",
        "russia/nature-review",
        "russia/two-islands-only",
    ) in conflicts()


def test_bases_clash() -> None:
    """Section 5: Russia finds a binding guarantee on US forces "essential"; "it is likely to be
    difficult for Japan to accept this Russian demand"."""
    assert (
        "japan/no-binding-bases-pledge",
        "russia/no-us-bases",
        "russia/two-islands-only",
    ) in conflicts()


def test_every_conflict_sets_japan_against_russia() -> None:
    """Sections 5 and 6: the deadlock is between the two sides, never inside one."""
    for conflict in report().conflicts:
        assert set(conflict.parties) == {"japan", "russia"}, conflict.rules


def test_neither_side_accepts_a_treaty_that_hands_over_nothing() -> None:
    """Sections 1, 5 and 6: the treaty is to solve "the territorial problem"; Japan is flexible on
    "the timing and nature of the actual return", not on whether there is one, and Russia
    acknowledges "the obligation to transfer Habomai and Shikotan"."""
    views = {i.id: i for i in report().issues}
    for party in ("japan", "russia"):
        assert "none" not in views["islands_transferred"].acceptable[party]


def test_japan_accepts_a_phased_transfer_after_the_treaty() -> None:
    """Section 5: Japan is flexible on the timing and nature of the return."""
    views = {i.id: i for i in report().issues}
    assert "phased_sovereignty" in views["transfer_nature"].acceptable["japan"]
    assert "after_treaty" in views["handover_timing"].acceptable["japan"]


def test_the_cheapest_ways_out_hand_over_habomai_and_shikotan() -> None:
    """Sections 1, 2 and 5: every way out cheaper than the cheapest treaty that hands over nothing
    hands over Habomai and Shikotan (the column's treaty settles the territory, on the basis of the
    1956 Declaration), and a zero-island treaty is never the cheapest way out."""
    found = report().concessions
    zero = min(c.cost for c in found if "none" in islands(c))
    cheaper = [c for c in found if c.cost < zero]
    assert found[0] in cheaper
    for concession in cheaper:
        assert islands(concession) == {"habomai_shikotan"}, concession.describe()


def test_the_cheapest_way_out_takes_the_column_s_openings_on_russia_s_side() -> None:
    """Section 5: the precondition "raises the hurdle", the "nature of the transfer" leaves "room
    ... for compromise" and Russian concerns on US forces may be defused "in the process of
    fostering trust"; the Russian moves of the cheapest way out are exactly these three."""
    cheapest = report().concessions[0]
    russian = {k for k in cheapest.rules if k.startswith("russia/")}
    assert russian == {"russia/recognition-first", "russia/nature-review", "russia/no-us-bases"}
    assert {r.rule: r.level for r in cheapest.relax} == {
        "russia/nature-review": 1,
        "russia/no-us-bases": 1,
    }
    assert "russia/two-islands-only" not in cheapest.rules


def test_every_bargaining_solution_hands_over_habomai_and_shikotan() -> None:
    """Sections 1, 2 and 5: the packages the bargaining recommends are treaties that hand over
    Habomai and Shikotan, never a treaty that leaves the territory unsettled."""
    solutions = report().solutions
    assert solutions is not None
    for solution in Solution:
        point = solutions.points[solution]
        assert point is not None
        assert option(point.package, "islands_transferred") == "habomai_shikotan", solution
    for point in solutions.pareto:
        assert option(point.package, "islands_transferred") == "habomai_shikotan"


def test_habomai_and_shikotan_within_reach() -> None:
    """Sections 2 and 5: the 1956 transfer is the ground both sides stand nearest to; the cheapest
    way to it is the cheapest way out of the deadlock."""
    reach = workspace().reach(["islands_transferred=habomai_shikotan"])
    assert reach.in_zone == 0
    assert reach.concessions[0].rules == report().concessions[0].rules


def test_all_four_islands_take_russia_s_whole_territorial_position() -> None:
    """Sections 4 and 5: Russia offers "just the two islands" and holds that the four moved to it;
    a four-island treaty needs Russia to drop both lines, and its cheapest way is Russia's alone."""
    reach = workspace().reach(["islands_transferred=all_four"])
    assert reach.in_zone == 0
    for concession in reach.concessions:
        assert {"russia/two-islands-only", "russia/no-title-beyond-two"} <= set(concession.drop)
    assert reach.concessions[0].parties == ("russia",)


# --- scenarios as of January 2019 ------------------------------------------------------------


def test_russia_dropping_the_precondition_is_not_enough() -> None:
    """Section 5: without the recognition demand, the islands, the nature of the transfer and US
    forces still clash."""
    assert report("russia-drops-precondition").zone.size == 0
    assert ("japan/no-ww2-framing", "russia/recognition-first") not in conflicts(
        "russia-drops-precondition"
    )


def test_russia_s_openings_leave_only_the_territory() -> None:
    """Sections 5 and 6: with the three openings the column sees on Russia's side, one conflict
    remains, Etorofu and Kunashiri: the column sees no opening on "just the two islands"."""
    assert conflicts("russian-openings") == {
        ("japan/four-island-affiliation", "russia/no-title-beyond-two")
    }


def test_a_1956_style_settlement_founders_only_on_bases() -> None:
    """Sections 2 and 5: on the 1956 terms as the column reads them, every remaining conflict is
    over US forces, and Russia's move to assurances (trust) opens it without a Japanese move."""
    a = report("settlement-1956")
    assert a.conflicts
    for conflict in a.conflicts:
        assert "base_restrictions" in conflict.issues
    cheapest = a.concessions[0]
    assert cheapest.parties == ("russia",)
    assert islands(cheapest) == {"habomai_shikotan"}


def test_public_hardening_sets_the_publics_against_each_other() -> None:
    """Section 6: demonstrations in Russia against the transfer against a Japan that will not
    conclude a treaty without a return; every way out is dearer than in the baseline."""
    assert ("japan/no-treaty-without-return", "russia/public-blocks-transfer") in conflicts(
        "public-hardening"
    )
    assert report("public-hardening").concessions[0].cost > report().concessions[0].cost


def test_every_solution_of_every_scenario_hands_over_islands() -> None:
    """Sections 1, 2 and 5: no scenario's Nash package is a treaty that hands over nothing."""
    ws = workspace()
    for name in ws.scenario_names:
        solutions = report(name).solutions
        assert solutions is not None, name
        nash = solutions.points[Solution.NASH]
        assert nash is not None
        assert option(nash.package, "islands_transferred") != "none", name


# --- the dated snapshots ---------------------------------------------------------------------


@pytest.mark.parametrize("name", SNAPSHOTS)
def test_snapshots_hold_only_what_was_said_by_their_date(name: str) -> None:
    """A snapshot is dated: both parties take its as_of, and every rule (and fallback) it keeps is
    cited to a source of that date or earlier."""
    ws = workspace()
    scenario = ws.scenario(name)
    assert scenario is not None
    assert scenario.as_of
    case = ws.case(name)
    assert {p.as_of for p in case.parties} == {scenario.as_of}
    for rule in case.rules:
        sources = [rule.source, *(f.source for f in rule.fallbacks if f.source)]
        for source in sources:
            assert source.date <= scenario.as_of, (rule.key, source.date)


def test_1956_two_islands_against_four() -> None:
    """Section 2: the Declaration provided for Habomai and Shikotan after a peace treaty; Japan then
    called for the return of four islands. A way out hands over the Declaration's two."""
    assert conflicts("snapshot-1956") == {("japan/return-of-four", "russia/two-islands-only")}
    cheapest = report("snapshot-1956").concessions[0]
    assert islands(cheapest) == {"habomai_shikotan"}


def test_1960_no_territorial_problem_and_the_forces_condition() -> None:
    """Section 2: from 1960 the Soviet Union held that there was "no territorial problem" and would
    not transfer Habomai and Shikotan unless all foreign forces left Japan."""
    found = conflicts("snapshot-1960")
    assert ("japan/no-ww2-framing", "russia/recognition-first") in found
    assert ("japan/alliance-not-traded", "japan/return-of-four", "russia/no-us-bases") in found


def test_tokyo_frame_keeps_etorofu_and_kunashiri_on_the_table() -> None:
    """Sections 3 and 4: from the Tokyo Declaration to the Action Plan the Russian side confirmed
    that the talks included Etorofu and Kunashiri, the affiliation to be resolved before a treaty."""
    ws = workspace()
    for name in ("snapshot-1993", "snapshot-2001", "snapshot-2003"):
        case = ws.case(name)
        assert "russia/no-title-beyond-two" not in {r.key for r in case.rules}, name
        assert "russia/affiliation-then-treaty" in {r.key for r in case.rules}, name


def test_by_2016_the_territorial_deadlock_is_back() -> None:
    """Section 4: after the 2016 statement "removed mention of the Tokyo Declaration", Japan's claim
    to the four islands and Russia's hold on Etorofu and Kunashiri clash again."""
    assert conflicts("snapshot-2016") == {
        ("japan/four-island-affiliation", "russia/no-title-beyond-two")
    }
