"""Scenario overlays: loading, applying, inverting, and their errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nposition.engine.space import Space
from nposition.errors import LoadError, Location
from nposition.formats.case_file import load_case
from nposition.model import changes as scenarios
from nposition.model.case import Case, RuleKind
from nposition.render import json as render_json
from nposition.reports.analysis import analyze
from nposition.workspace import Workspace

from .conftest import CASES, REPO


def _mini() -> Case:
    return load_case(CASES / "mini")


def test_apply_seller_flexible() -> None:
    """`drop` removes a rule and `set` changes a cost; the rest is untouched."""
    case = _mini()
    ws = Workspace.at(CASES / "mini")
    changed, scenario = ws.case("seller-flexible"), ws.scenario("seller-flexible")
    assert scenario is not None
    assert scenario.title == "The seller gives a basic warranty with fast delivery"
    keys = [r.key for r in changed.rules]
    assert "seller/basic-means-slow" not in keys
    assert changed.rule("seller/not-low").cost == 4
    assert changed.rule("buyer/not-high") == case.rule("buyer/not-high")


def test_apply_buyer_hardline() -> None:
    """`add` appends a new rule to its party and `soften` makes a red line a weighted preference."""
    _mini()
    changed = Workspace.at(CASES / "mini").case("buyer-hardline")
    added = changed.rule("buyer/low-only")
    assert (added.kind, added.cost, added.require.text) == (RuleKind.RED_LINE, 5, "price == low")
    softened = changed.rule("buyer/warranty-needed")
    assert (softened.kind, softened.weight) == (RuleKind.PREFERENCE, 2)


def test_baseline_name_is_the_case() -> None:
    """`baseline` (or no scenario) gives the case unchanged."""
    case = _mini()
    ws = Workspace.at(CASES / "mini")
    assert (ws.case("baseline"), ws.scenario("baseline")) == (case, None)


def _change_strategy(case: Case) -> st.SearchStrategy[scenarios.Change]:
    here = Location("test")
    keys = sorted(r.key for r in case.rules)
    red = sorted(r.key for r in case.red_lines)
    return st.one_of(
        st.sampled_from(keys).map(lambda k: scenarios.Change("drop", k, here)),
        st.tuples(st.sampled_from(red), st.integers(1, 5)).map(
            lambda kw: scenarios.Change("soften", kw[0], here, weight=kw[1])
        ),
        st.tuples(st.sampled_from(red), st.integers(0, 9)).map(
            lambda kc: scenarios.Change("set", kc[0], here, fields=(("cost", float(kc[1])),))
        ),
    )


def _valid(case: Case, changes: list[scenarios.Change]) -> list[scenarios.Change]:
    """Keep only changes that still make sense after the earlier ones (as the loader requires)."""
    rules = {r.key: r for r in case.rules}
    out = []
    for c in changes:
        rule = rules.get(c.key)
        if rule is None or (c.action in ("soften", "set") and rule.kind is not RuleKind.RED_LINE):
            continue
        out.append(c)
        scenarios.apply_change(rules, c)
    return out


@pytest.mark.parametrize("folder", [CASES / "mini", REPO / "positions" / "kuril"])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_scenario_then_inverse_is_baseline(folder: Path, data: st.DataObject) -> None:
    """Applying a scenario and then its inverse gives back the baseline analysis."""
    case = load_case(folder)
    space = Space(case.issues)
    changes = _valid(case, data.draw(st.lists(_change_strategy(case), max_size=4)))
    scenario = scenarios.Scenario("random", "random", "", tuple(changes))
    changed = scenarios.apply(case, scenario)
    back = scenarios.apply(changed, scenarios.inverse(case, scenario))
    assert sorted(r.key for r in back.rules) == sorted(r.key for r in case.rules)
    assert {r.key: r for r in back.rules} == {r.key: r for r in case.rules}
    assert render_json.data(analyze(back, space=space)) == render_json.data(
        analyze(case, space=space)
    )


def _broken_scenario(tmp_path: Path, text: str) -> LoadError:
    shutil.copytree(CASES / "mini", tmp_path / "mini")
    (tmp_path / "mini" / "scenarios" / "bad.yaml").write_text(text)
    load_case(tmp_path / "mini")
    with pytest.raises(LoadError) as info:
        Workspace.at(tmp_path / "mini").case("bad")
    return info.value


HEAD = "scenario: bad\ntitle: Bad\nrationale: Testing.\nchanges:\n"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            "  - drop: buyr/not-high\n",
            "bad.yaml:5:11: unknown party 'buyr' in 'buyr/not-high' (did you mean 'buyer'?)",
        ),
        (
            "  - drop: buyer/not-hihg\n",
            "bad.yaml:5:11: unknown rule 'buyer/not-hihg' (did you mean 'buyer/not-high'",
        ),
        (
            "  - soften: buyer/low-price\n",
            "bad.yaml:5:13: cannot soften 'buyer/low-price': it is already a preference",
        ),
        (
            "  - set: {rule: seller/not-low, require: price == cheap}\n",
            "bad.yaml:5:51: set 'seller/not-low': unknown option 'cheap' for issue 'price' (known: low, mid, high)",
        ),
        (
            "  - drop: buyer/not-high\n    weight: 2\n",
            "bad.yaml:6:13: 'weight' goes with soften, not drop",
        ),
        (
            "  - add: {party: sellr, id: x, kind: red_line, require: 'true', source: {who: a, date: 2020, quote: b}}\n",
            "bad.yaml:5:18: add: unknown party 'sellr' (did you mean 'seller'?)",
        ),
        ("  - {}\n", "bad.yaml:5:5: a change needs exactly one of drop, soften, add, set"),
        (
            "  - set: {rule: seller/not-low, require: price == low and price == high}\n",
            "scenario 'bad': party 'seller' contradicts itself",
        ),
    ],
)
def test_scenario_errors(tmp_path: Path, changes: str, message: str) -> None:
    """A bad scenario is a located load error with a precise message."""
    error = _broken_scenario(tmp_path, HEAD + changes)
    assert any(message in str(p) for p in error.problems), [str(p) for p in error.problems]


def test_scenario_id_must_match_file(tmp_path: Path) -> None:
    """The `scenario:` id must equal the file name."""
    error = _broken_scenario(
        tmp_path, HEAD.replace("scenario: bad", "scenario: other") + "  - drop: buyer/not-high\n"
    )
    assert "bad.yaml:1:11: scenario id 'other' must match the file name 'bad'" in str(error)


def test_unknown_scenario_name() -> None:
    """An unknown scenario name is a usage error with a suggestion."""
    _mini()
    with pytest.raises(
        Exception, match=r"unknown scenario 'seller-flexibel' \(did you mean 'seller-flexible'\?\)"
    ):
        Workspace.at(CASES / "mini").case("seller-flexibel")
