"""Property tests for `analyze`: its views agree with brute force, and its JSON is deterministic."""

from __future__ import annotations

import itertools
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from nposition.engine import utility
from nposition.model.case import Case, Issue, Option, RuleKind
from nposition.render.json import data
from nposition.reports.analysis import analyze
from nposition.reports.results import Package, UtilityPoint
from tests.strategies import (
    all_packages,
    brute_utilities,
    make_case,
    make_rule,
    passing,
    random_cases,
)

FAST = settings(max_examples=30, deadline=None)
TOL = 1e-9
REPO = Path(__file__).resolve().parents[1]


def _as_dict(case: Case, package) -> dict[str, str]:
    return {i.id: i.options[o].id for i, o in zip(case.issues, package, strict=True)}


def _index_of(case: Case, named: dict[str, str]) -> int:
    """The position in product order of a package given as `{issue: option}`."""
    assert list(named) == [i.id for i in case.issues]
    package = tuple(i.option_ids().index(named[i.id]) for i in case.issues)
    return all_packages(case.issues).index(package)


def _box_indices(case: Case, box: dict[str, list[str]]) -> set[int]:
    """The packages of a box as JSON shows it (issues it leaves out are unrestricted)."""
    choices = [
        [o for o, opt in enumerate(i.options) if i.id not in box or opt.id in box[i.id]]
        for i in case.issues
    ]
    packages = all_packages(case.issues)
    return {packages.index(p) for p in itertools.product(*choices)}


def _check_boxes(case: Case, boxes: list[dict[str, list[str]]], expected: frozenset[int]) -> None:
    """Boxes are non-empty, pairwise disjoint and cover `expected` exactly."""
    covered: set[int] = set()
    for box in boxes:
        inside = _box_indices(case, box)
        assert inside
        assert not inside & covered
        covered |= inside
    assert covered == expected


@FAST
@given(random_cases())
def test_json_is_plain_and_deterministic(case):
    """The JSON of an analysis is plain JSON, byte-identical across runs and equal case objects."""
    first = json.dumps(data(analyze(case)), allow_nan=False)
    again = json.dumps(data(analyze(case)), allow_nan=False)
    rebuilt = Case(case.id, case.title, case.issues, tuple(case.parties))
    third = json.dumps(data(analyze(rebuilt)), allow_nan=False)
    assert first == again == third
    assert json.loads(first)["schema_version"] == 1


_ANALYZE_STDIN = (
    "import json, pickle, sys\n"
    "from nposition.reports.analysis import analyze\n"
    "from nposition.render.json import data\n"
    "for case in pickle.load(sys.stdin.buffer):\n"
    "    print(json.dumps(data(analyze(case))))\n"
)


@settings(max_examples=1, deadline=None, database=None)
@given(st.lists(random_cases(), min_size=8, max_size=8))
def test_json_is_identical_across_processes(cases):
    """The JSON of an analysis does not depend on the process's string-hash seed."""
    payload = pickle.dumps(cases)
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        done = subprocess.run(
            [sys.executable, "-c", _ANALYZE_STDIN],
            input=payload,
            capture_output=True,
            env=env,
            cwd=REPO,
            check=True,
        )
        outputs.append(done.stdout.decode())
    here = "".join(json.dumps(data(analyze(c))) + "\n" for c in cases)
    assert outputs[0] == outputs[1] == here


@FAST
@given(random_cases())
def test_numpy_path_gives_the_same_json(case):
    """Forcing the numpy utility path changes nothing in the analysis JSON."""
    plain = json.dumps(data(analyze(case)), allow_nan=False)
    with mock.patch.object(utility, "NUMPY_FROM", 0):
        fast = json.dumps(data(analyze(case)), allow_nan=False)
    assert fast == plain


@FAST
@given(random_cases(), st.integers(0, 12))
def test_zone_view_matches_brute_force(case, limit):
    """The zone's size, first `limit` packages and boxes agree with brute force."""
    zone = passing(case.red_lines, all_packages(case.issues))
    out = data(analyze(case, limit=limit))
    assert out["space"]["size"] == len(all_packages(case.issues))
    packages = all_packages(case.issues)
    assert out["zone"]["size"] == len(zone)
    assert out["zone"]["packages"] == [_as_dict(case, packages[k]) for k in sorted(zone)[:limit]]
    assert out["zone"]["boxes_complete"]
    _check_boxes(case, out["zone"]["boxes"], zone)


@FAST
@given(random_cases())
def test_parties_and_issues_match_brute_force(case):
    """Per party the acceptable count; per issue the projected options, common ones and status."""
    packages = all_packages(case.issues)
    result = analyze(case)
    sets = [passing(p.red_lines, packages) for p in case.parties]
    for summary, party, s in zip(result.parties, case.parties, sets, strict=True):
        assert summary.id == party.id
        assert summary.acceptable == len(s)
        assert summary.red_lines == len(party.red_lines)
        assert summary.preferences == len(party.preferences)
    for i, (issue, view) in enumerate(zip(case.issues, result.issues, strict=True)):
        assert view.id == issue.id
        per_party = [{packages[k][i] for k in s} for s in sets]
        ids = issue.option_ids()
        for party, opts in zip(case.parties, per_party, strict=True):
            assert view.acceptable[party.id] == tuple(ids[o] for o in sorted(opts))
        common = set.intersection(*per_party)
        assert view.common == tuple(ids[o] for o in sorted(common))
        if not common:
            assert view.status == "conflict"
        elif all(p == per_party[0] for p in per_party):
            assert view.status == "agreed"
        else:
            assert view.status == "overlap"


@FAST
@given(random_cases())
def test_best_package_of_each_concession(case):
    """A concession's best package lies in the zone it opens and has the highest total utility."""
    packages = all_packages(case.issues)
    utilities = [brute_utilities(p, packages) for p in case.parties]
    total = [sum(us) for us in zip(*utilities, strict=True)]
    result = analyze(case, limit=5)
    out = data(result)
    for concession, c in zip(result.concessions, out["concessions"], strict=True):
        dropped = set(c["drop"])
        opened = passing((r for r in case.red_lines if r.key not in dropped), packages)
        assert c["zone_size"] == len(opened)
        first = [_as_dict(case, packages[k]) for k in sorted(opened)[:5]]
        assert [dict(p.items()) for p in concession.zone.packages] == first
        _check_boxes(case, c["boxes"], opened)
        assert opened
        best = _index_of(case, c["best_package"])
        assert best in opened
        assert total[best] >= max(total[k] for k in opened) - TOL
        assert list(c["best_utilities"]) == [p.id for p in case.parties]
        for p, u in zip(case.parties, utilities, strict=True):
            assert abs(c["best_utilities"][p.id] - u[best]) <= 1e-6


def test_three_party_case_with_preferences():
    """Three parties, a cycle of red lines and preferences: the best packages are the expected ones."""
    issues = tuple(
        Issue(f"i{i}", f"Issue {i}", tuple(Option(f"o{j}", f"o{j}") for j in range(3)), True)
        for i in range(2)
    )
    red, pref = RuleKind.RED_LINE, RuleKind.PREFERENCE
    case = make_case(
        issues,
        {
            "p0": [
                make_rule("p0", "high", red, "i0 >= o1", issues, cost=2),
                make_rule("p0", "top", pref, "i0 == o2", issues, weight=1),
            ],
            "p1": [
                make_rule("p1", "low", red, "i0 <= o1 -> i1 == o0", issues, cost=1),
                make_rule("p1", "zero", pref, "i1 == o0", issues, weight=2),
            ],
            "p2": [make_rule("p2", "some", red, "i1 != o0", issues, cost=1)],
        },
    )
    result = analyze(case)
    assert result.zone.size == 2  # i0 == o2, i1 in [o1, o2]
    assert result.conflicts == ()
    assert [p.acceptable for p in result.parties] == [6, 5, 6]
    assert [i.status for i in result.issues] == ["overlap", "overlap"]
    assert result.zone.packages == (
        Package(("i0", "i1"), ("o2", "o1")),
        Package(("i0", "i1"), ("o2", "o2")),
    )
    assert "every party" in result.verdict
    # Now make p2 insist on i0 == o1 as well: the zone closes.
    closed = make_case(
        issues,
        {
            "p0": list(case.parties[0].rules),
            "p1": list(case.parties[1].rules),
            "p2": [
                *case.parties[2].rules,
                make_rule("p2", "mid", red, "i0 == o1", issues, cost=5),
            ],
        },
    )
    result = analyze(closed)
    assert result.zone.size == 0
    assert sorted(c.rules for c in result.conflicts) == [
        ("p1/low", "p2/mid", "p2/some"),
    ]
    assert [c.drop for c in result.concessions] == [("p1/low",), ("p2/some",), ("p2/mid",)]
    cheapest = result.concessions[0]
    assert cheapest.zone.size == 2  # i0 == o1, i1 in [o1, o2]: a tie, so the lower one
    assert cheapest.best is not None
    assert cheapest.best.package == Package(("i0", "i1"), ("o1", "o1"))
    # dropping p2/some opens i0 == o1, i1 == o0, where p1 gets everything it wants
    assert result.concessions[1].best == UtilityPoint(
        Package(("i0", "i1"), ("o1", "o0")), {"p0": 0, "p1": 1, "p2": 1}
    )
