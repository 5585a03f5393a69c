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
from nposition.model import expr
from nposition.model.case import Case, Fallback, RuleKind, Scores, Source
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


def _rule_fields(case: Case) -> st.SearchStrategy[tuple[str, object]]:
    """One new value for any settable field of a rule, drawn from what the case already says."""
    pool = sorted(
        {e for r in case.rules for e in (r.require, r.when) if e is not None}, key=lambda e: e.text
    )
    expressions = st.sampled_from(pool)
    issues = st.sampled_from(range(len(case.issues)))
    scores = issues.flatmap(
        lambda i: st.lists(
            st.sampled_from((0.0, 0.25, 0.5, 1.0)),
            min_size=len(case.issues[i].options),
            max_size=len(case.issues[i].options),
        ).map(lambda s, i=i: Scores(i, tuple(s), f"{case.issues[i].id}: ..."))
    )
    fallbacks = st.lists(expressions, max_size=2).map(
        lambda rs: tuple(Fallback(r, float(k + 1), f"level {k + 1}") for k, r in enumerate(rs))
    )
    source = Source("Someone else", "2020-05-01", quote="Another quote.")
    return st.one_of(
        st.sampled_from(list(RuleKind)).map(lambda k: ("kind", k)),
        st.integers(0, 9).map(lambda c: ("cost", float(c))),
        st.integers(1, 5).map(lambda w: ("weight", float(w))),
        st.sampled_from(("", "new words")).map(lambda t: ("text", t)),
        expressions.map(lambda e: ("require", e)),
        expressions.map(lambda e: ("when", e)),
        scores.map(lambda s: ("scores", s)),
        fallbacks.map(lambda f: ("fallbacks", f)),
        st.just(("source", source)),
    )


def _party_fields() -> st.SearchStrategy[tuple[str, object]]:
    return st.one_of(
        st.sampled_from(("Someone", "Another name")).map(lambda n: ("name", n)),
        st.sampled_from(("2001-03-25", "2024", "")).map(lambda d: ("as_of", d)),
        st.sampled_from((0.0, 0.2, 0.5, 1.0)).map(lambda r: ("reservation", r)),
    )


def _change_strategy(case: Case) -> st.SearchStrategy[scenarios.Change]:
    here = Location("test")
    keys = sorted(r.key for r in case.rules)
    red = sorted(r.key for r in case.red_lines)
    parties = sorted(p.id for p in case.parties)
    first = lambda field: field[0]  # noqa: E731 -- one field once per set
    return st.one_of(
        st.sampled_from(keys).map(lambda k: scenarios.Change("drop", k, here)),
        st.tuples(st.sampled_from(red), st.integers(1, 5)).map(
            lambda kw: scenarios.Change("soften", kw[0], here, weight=kw[1])
        ),
        st.tuples(
            st.sampled_from(keys),
            st.lists(_rule_fields(case), min_size=1, max_size=3, unique_by=first),
        ).map(lambda kf: scenarios.Change("set", kf[0], here, fields=tuple(kf[1]))),
        st.tuples(
            st.sampled_from(parties),
            st.lists(_party_fields(), min_size=1, max_size=3, unique_by=first),
        ).map(
            lambda pf: scenarios.Change(
                "set", pf[0], here, fields=tuple(pf[1]), target=scenarios.Target.PARTY
            )
        ),
    )


# A field given in a `set` that a rule of the other kind does not take (the loader refuses it).
_KIND_ONLY = {
    "cost": RuleKind.RED_LINE,
    "when": RuleKind.RED_LINE,
    "fallbacks": RuleKind.RED_LINE,
    "weight": RuleKind.PREFERENCE,
    "scores": RuleKind.PREFERENCE,
}


def _loadable(before: scenarios.Tables, change: scenarios.Change) -> bool:
    """Whether the loader would accept the change at this point of the scenario."""
    if change.target is scenarios.Target.PARTY:
        return True
    rule = before.rules.get(change.key)
    if rule is None or change.action == "drop":
        return rule is not None
    if change.action == "soften":
        return rule.kind is RuleKind.RED_LINE
    given = dict(change.fields)
    kind = given.get("kind", rule.kind)
    if any(_KIND_ONLY[n] is not kind for n in given if n in _KIND_ONLY):
        return False
    if "require" in given and "scores" in given:
        return False
    trial = scenarios.Tables({change.key: rule})
    scenarios.apply_change(trial, change)
    after = trial.rules[change.key]
    if after.kind is RuleKind.PREFERENCE:
        return True
    return after.require is not None and (
        not after.fallbacks or after.cost >= after.fallbacks[-1].cost
    )


def _valid(case: Case, changes: list[scenarios.Change]) -> list[scenarios.Change]:
    """Keep only changes that still make sense after the earlier ones (as the loader requires)."""
    tables = scenarios.Tables.of(case)
    out = []
    for c in changes:
        if _loadable(tables, c):
            out.append(c)
            scenarios.apply_change(tables, c)
    return out


def _own_fields(case: Case) -> list[tuple[str, str, str, float | None]]:
    return [(p.id, p.name, p.as_of, p.reservation) for p in case.parties]


@pytest.mark.parametrize("folder", [CASES / "mini", REPO / "positions" / "kuril"])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_scenario_then_inverse_is_baseline(folder: Path, data: st.DataObject) -> None:
    """A scenario changing any rule field or party field, then its inverse, gives back the baseline:
    the same rules, the same parties, the same analysis."""
    case = load_case(folder)
    space = Space(case.issues)
    changes = _valid(case, data.draw(st.lists(_change_strategy(case), max_size=4)))
    scenario = scenarios.Scenario("random", "random", "", tuple(changes))
    changed = scenarios.apply(case, scenario)
    back = scenarios.apply(changed, scenarios.inverse(case, scenario))
    assert sorted(r.key for r in back.rules) == sorted(r.key for r in case.rules)
    assert {r.key: r for r in back.rules} == {r.key: r for r in case.rules}
    assert _own_fields(back) == _own_fields(case)
    assert render_json.data(analyze(back, space=space)) == render_json.data(
        analyze(case, space=space)
    )


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_inverse_restores_a_version_2_case(data: st.DataObject) -> None:
    """On a case with values, n/a, constraints, scores and fallbacks, a random scenario and its
    inverse give back every rule and every party field exactly."""
    case = load_case(WAGES)
    changes = _valid(case, data.draw(st.lists(_change_strategy(case), max_size=5)))
    scenario = scenarios.Scenario("random", "random", "", tuple(changes))
    back = scenarios.apply(scenarios.apply(case, scenario), scenarios.inverse(case, scenario))
    assert {r.key: r for r in back.rules} == {r.key: r for r in case.rules}
    assert _own_fields(back) == _own_fields(case)


WAGES = CASES / "wages"


def _wages_scenario() -> scenarios.Scenario:
    """The scenario of the wage case that uses set on a party and on new rule fields."""
    scenario = Workspace.at(WAGES).scenario("new-chief-executive")
    assert scenario is not None
    return scenario


def test_set_changes_a_party_and_any_rule_field() -> None:
    """A scenario sets a party's name, as_of and reservation, a rule's fallbacks, scores and source."""
    ws = Workspace.at(WAGES)
    changed = scenarios.apply(ws.base, _wages_scenario())
    employer = changed.party("employer")
    assert (employer.name, employer.as_of, employer.reservation) == (
        "Employer (new management)",
        "2024-03-01",
        0.1,
    )
    assert [(f.require.text, f.cost) for f in changed.rule("employer/cap").fallbacks] == [
        ("wage_increase <= pct_4 or term == two_years", 3)
    ]
    wage = changed.rule("union/higher-wage")
    assert wage.scores is not None
    assert wage.scores.scores == (0.0, 0.0, 0.9, 1.0)
    assert wage.source.date == "2024-02-20"
    assert _own_fields(changed)[1] == _own_fields(ws.base)[1]  # the union's own fields


def test_soften_folds_when_into_the_requirement() -> None:
    """A softened red line with `when` is met wherever the when is false: `(when) -> (require)`."""
    case = load_case(WAGES)
    soft = scenarios.apply(case, _wages_scenario()).rule("employer/no-reopener")
    before = case.rule("employer/no-reopener")
    assert before.when is not None
    assert before.require is not None
    assert (soft.kind, soft.weight, soft.when, soft.fallbacks) == (RuleKind.PREFERENCE, 2, None, ())
    assert soft.require is not None
    assert soft.require.text == "(term == two_years) -> (reopener == none)"
    assert soft.require.node == expr.Implies(before.when.node, before.require.node)


def test_setting_a_red_line_to_preference_softens_it() -> None:
    """`set: {kind: preference}` on a red line with `when` and fallbacks folds the when and drops
    the fallbacks, as `soften` does."""
    case = load_case(WAGES)
    here = Location("test")
    to_soft = scenarios.Change(
        "set", "employer/no-reopener", here, fields=(("kind", RuleKind.PREFERENCE),)
    )
    by_set = scenarios.apply(case, scenarios.Scenario("s", "s", "", (to_soft,)))
    soften = scenarios.Change("soften", "employer/no-reopener", here, weight=1.0)
    by_soften = scenarios.apply(case, scenarios.Scenario("s", "s", "", (soften,)))
    assert by_set.rule("employer/no-reopener") == by_soften.rule("employer/no-reopener")
    relaxed = scenarios.Change(
        "set", "union/match-inflation", here, fields=(("kind", RuleKind.PREFERENCE),)
    )
    rule = scenarios.apply(case, scenarios.Scenario("s", "s", "", (relaxed,))).rule(
        "union/match-inflation"
    )
    assert (rule.fallbacks, rule.require.text if rule.require else None) == (
        (),
        "wage_increase >= pct_4",
    )


def test_set_require_replaces_scores() -> None:
    """`require` and `scores` are one requirement in two forms: setting one clears the other."""
    case = load_case(WAGES)
    here = Location("test")
    require = case.rule("union/reopener-wanted").require
    change = scenarios.Change("set", "union/higher-wage", here, fields=(("require", require),))
    rule = scenarios.apply(case, scenarios.Scenario("s", "s", "", (change,))).rule(
        "union/higher-wage"
    )
    assert (rule.require, rule.scores) == (require, None)


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
