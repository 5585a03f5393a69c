"""Tests of loading and validating a case: the valid mini case, and every bad input's exact message.

Each folder under `tests/data/invalid/` is a small case with one mistake (or, for
`multiple-errors`, three) and an `expected.txt` holding the problems exactly as `str(problem)`
prints them, with paths relative to `tests/data/invalid/`. The mistake may be in a scenario or in
the checks file, which `validate` reads too.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

from nposition.errors import LoadError, Location, Problem, Severity
from nposition.formats.case_file import load_case, read_case
from nposition.limits import MAX_FILE_BYTES
from nposition.model import expr
from nposition.model.case import RuleKind
from nposition.model.tree import Expression
from nposition.workspace import Workspace

DATA = Path(__file__).parent / "data"
INVALID = DATA / "invalid"
MINI = DATA / "cases" / "mini"
FOLDERS = sorted(p.name for p in INVALID.iterdir() if p.is_dir())

# Folders whose current output is wrong; each test below fails on them until the bug is fixed.
KNOWN_BUGS: dict[str, str] = {}
# Bugs that also change how many problems are reported (a crash, or a missing error).
COUNT_BUGS: set[str] = set()
# The wording of these messages comes from libyaml (PyYAML's pure-Python parser words them apart).
LIBYAML_WORDING = {"malformed-yaml", "unclosed-quote"}
# Cases that load; their findings come from the semantic lints of `validate`.
LINT_FINDINGS = {
    "self-contradiction",
    "when-never-holds",
    "always-holds",
    "constraints-clash",
    "fallback-not-weaker",
    "red-line-tests-issue-where-na",
}


def _params(names: list[str], bugs: set[str] | dict[str, str]) -> list[object]:
    """One pytest param per folder; strict xfail where a known bug breaks this test."""
    params: list[object] = []
    for name in names:
        marks: list[pytest.MarkDecorator] = []
        if name in bugs:
            marks.append(pytest.mark.xfail(reason=KNOWN_BUGS[name], strict=True))
        if name in LIBYAML_WORDING:
            marks.append(
                pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="needs libyaml")
            )
        params.append(pytest.param(name, marks=marks, id=name))
    return params


def expected_problems(name: str) -> list[str]:
    """The problems of `expected.txt`: a line, plus the indented caret lines that follow it."""
    blocks: list[str] = []
    for line in (INVALID / name / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("    ") and blocks:
            blocks[-1] += "\n" + line
        elif line:
            blocks.append(line)
    return blocks


def is_warning(text: str) -> bool:
    return re.match(r"\S+:\d+:\d+: warning: ", text) is not None


def _in_overlay(name: str) -> bool:
    """The folder's mistakes are all in its scenarios or its checks file, not in the case."""
    return all(
        re.match(r"[^:]*/(scenarios/[^/:]+|checks\.yaml):", p) for p in expected_problems(name)
    )


# Cases that load; the mistake is in a scenario or a checks file.
OVERLAY_MISTAKES = {n for n in FOLDERS if _in_overlay(n)}


@pytest.fixture
def in_invalid(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run inside tests/data/invalid so that problems print as `<case>/<file>:line:col`."""
    monkeypatch.chdir(INVALID)


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("in_invalid")
@pytest.mark.parametrize("name", _params(FOLDERS, KNOWN_BUGS))
def test_bad_input_reports_exact_message(name: str) -> None:
    """`validate` reports each expected problem exactly as written in the folder's expected.txt."""
    validation = Workspace.at(Path(name)).validate()
    printed = [str(p) for p in validation.problems]
    for problem in expected_problems(name):
        assert problem in printed, "\n".join(printed)
    if all(is_warning(p) for p in expected_problems(name)):
        assert validation.errors == 0
    else:
        assert validation.errors > 0


@pytest.mark.usefixtures("in_invalid")
@pytest.mark.parametrize(
    "name",
    _params([n for n in FOLDERS if n not in LINT_FINDINGS | OVERLAY_MISTAKES], KNOWN_BUGS),
)
def test_bad_input_fails_to_load(name: str) -> None:
    """`load_case` raises LoadError carrying the expected problems, and `read_case` gives no case."""
    with pytest.raises(LoadError) as info:
        load_case(Path(name))
    printed = [str(p) for p in info.value.errors]
    assert set(expected_problems(name)) <= set(printed), "\n".join(printed)
    assert str(info.value) == "\n".join(printed)
    assert read_case(Path(name))[0] is None


@pytest.mark.usefixtures("in_invalid")
@pytest.mark.parametrize("name", _params(FOLDERS, COUNT_BUGS))
def test_one_mistake_gives_one_problem(name: str) -> None:
    """A mistake is reported once, with no follow-on errors or warnings caused by it."""
    validation = Workspace.at(Path(name)).validate()
    assert len(validation.problems) == len(expected_problems(name)), "\n".join(
        str(p) for p in validation.problems
    )


@pytest.mark.usefixtures("in_invalid")
@pytest.mark.parametrize("name", sorted(OVERLAY_MISTAKES))
def test_a_broken_scenario_or_check_leaves_the_case_loadable(name: str) -> None:
    """A mistake in a scenario or the checks file fails `validate`, but the case itself loads."""
    assert load_case(Path(name)).parties
    assert Workspace.at(Path(name)).validate().errors == len(expected_problems(name))


def _has_caret(detail: str) -> bool:
    """The detail is an expression with carets under it (not a hint of another kind)."""
    lines = detail.splitlines()
    return len(lines) == 2 and "^" in lines[1] and not lines[1].replace("^", "").strip()


def _caret_cases() -> list[str]:
    return [
        n
        for n in FOLDERS
        if any("\n" in p and _has_caret(p.split("\n", 1)[1]) for p in expected_problems(n))
    ]


@pytest.mark.usefixtures("in_invalid")
@pytest.mark.parametrize("name", _params(_caret_cases(), KNOWN_BUGS))
def test_expression_error_column_points_into_the_file(name: str) -> None:
    """The line:col of an expression error is the file position of the first underlined character."""
    problems = [p for p in Workspace.at(Path(name)).validate().problems if _has_caret(p.detail)]
    assert problems
    for problem in problems:
        text_line, caret_line = problem.detail.splitlines()
        start = caret_line.index("^")
        underlined = text_line[start : start + caret_line.count("^")]
        loc = problem.location
        file_line = Path(loc.path).read_text(encoding="utf-8").splitlines()[loc.line - 1]
        if underlined:
            assert file_line[loc.column - 1 :].startswith(underlined), (file_line, str(problem))
        else:  # the caret stands just past the end of the expression
            assert file_line[: loc.column - 1].rstrip("'\"").endswith(text_line[4:].rstrip())


@pytest.mark.usefixtures("in_invalid")
def test_every_problem_of_a_case_is_reported_at_once() -> None:
    """Three independent errors in two files give three problems, in file and line order."""
    with pytest.raises(LoadError) as info:
        load_case(Path("multiple-errors"))
    errors = info.value.errors
    assert [(p.location.path, p.location.line) for p in errors] == [
        ("multiple-errors/buyer.yaml", 8),
        ("multiple-errors/buyer.yaml", 13),
        ("multiple-errors/case.yaml", 19),
    ]
    assert all(p.severity is Severity.ERROR for p in errors)


@pytest.mark.usefixtures("in_invalid")
def test_self_contradiction_loads_but_fails_validation() -> None:
    """A party whose red lines clash loads; `validate` names a minimal clashing set as an error."""
    case = load_case(Path("self-contradiction"))
    assert [r.id for r in case.party("buyer").red_lines] == [
        "not-high",
        "premium-only",
        "some-warranty",
    ]
    validation = Workspace.at(Path("self-contradiction")).validate()
    assert validation.errors == 1
    assert "'some-warranty'" not in validation.problems[0].message


def test_oversized_file_is_refused_quickly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 10 MB party file is refused by its size, before any parsing, with the size and the limit."""
    case_dir = tmp_path / "big"
    case_dir.mkdir()
    (case_dir / "case.yaml").write_text((MINI / "case.yaml").read_text())
    (case_dir / "buyer.yaml").write_text("party: buyer\n" + "# padding\n" * (1024 * 1024))
    monkeypatch.chdir(tmp_path)
    began = time.perf_counter()
    with pytest.raises(LoadError) as info:
        load_case(Path("big"))
    assert time.perf_counter() - began < 1.0
    assert [str(p) for p in info.value.problems] == [
        f"big/buyer.yaml: file is 10,485,773 bytes; the limit is {MAX_FILE_BYTES:,}"
    ]


def test_missing_case_file_is_a_located_problem(tmp_path: Path) -> None:
    """A folder without case.yaml gives a problem naming the file, not a traceback."""
    case, problems = read_case(tmp_path)
    assert case is None
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'case.yaml'}: cannot read file: No such file or directory"
    ]


def test_problem_prints_location_message_and_caret() -> None:
    """`str(problem)` is `path:line:col: message`, `warning: ` for warnings, then the detail lines."""
    loc = Location("p/r.yaml", 14, 14)
    assert (
        str(Problem(loc, Severity.ERROR, "bad", "    a\n    ^"))
        == "p/r.yaml:14:14: bad\n    a\n    ^"
    )
    assert str(Problem(loc, Severity.WARNING, "odd")) == "p/r.yaml:14:14: warning: odd"
    assert str(Problem(Location("p/r.yaml"), Severity.ERROR, "empty")) == "p/r.yaml: empty"


# --- a valid case -------------------------------------------------------------------------------


def test_mini_case_loads_with_its_issues_and_options_in_order() -> None:
    """The mini case loads: issue ids, option order, ordered flags, documents, no status quo."""
    case = load_case(MINI)
    assert case.id == "mini"
    assert [(i.id, i.option_ids(), i.ordered) for i in case.issues] == [
        ("price", ["low", "mid", "high"], True),
        ("delivery", ["fast", "slow"], True),
        ("warranty", ["none", "basic", "full"], False),
    ]
    assert case.issue("price").options[1].label == "Medium"
    assert [(d.id, d.date) for d in case.documents] == [("framework-2020", "2020-03-01")]
    assert case.status_quo is None
    assert [p.id for p in case.parties] == ["buyer", "seller"]


def test_mini_case_rules_keep_kind_cost_weight_and_when() -> None:
    """Rules keep file order, kind, cost and weight (1 by default), `when` and the expression text."""
    case = load_case(MINI)
    rows = [
        (r.key, r.kind, r.cost, r.weight, r.when.text if r.when else None, r.require.text)
        for r in case.rules
    ]
    red, pref = RuleKind.RED_LINE, RuleKind.PREFERENCE
    assert rows == [
        ("buyer/not-high", red, 2.0, 1.0, None, "price < high"),
        ("buyer/warranty-needed", red, 1.0, 1.0, None, "warranty != none"),
        ("buyer/fast-delivery", pref, 1.0, 2.0, None, "delivery == fast"),
        ("buyer/low-price", pref, 1.0, 1.0, None, "price == low"),
        ("seller/not-low", red, 3.0, 1.0, None, "price >= mid"),
        ("seller/full-warranty-costs", red, 1.0, 1.0, "warranty == full", "price == high"),
        ("seller/basic-means-slow", red, 0.5, 1.0, "warranty == basic", "delivery == slow"),
        ("seller/high-price", pref, 1.0, 3.0, None, "price == high"),
    ]


def test_mini_case_expressions_are_resolved_and_located() -> None:
    """Expressions are resolved to option index sets and located at their first character."""
    case = load_case(MINI)
    not_high = case.rule("buyer/not-high")
    assert not_high.require.node == expr.Member(0, frozenset({0, 1}))
    assert str(not_high.require.location) == f"{MINI / 'buyer.yaml'}:8:14"
    basic = case.rule("seller/basic-means-slow")
    assert basic.when is not None
    assert basic.when.node == expr.Member(2, frozenset({1}))
    assert str(basic.when.location) == f"{MINI / 'seller.yaml'}:20:11"
    source = case.rule("buyer/fast-delivery").source
    assert (source.who, source.date, source.paraphrase) == ("Logistics", "2024-01-02", True)
    assert case.rule("buyer/warranty-needed").source.document == "framework-2020"


def test_mini_case_validates_cleanly() -> None:
    """The mini case has no errors and no warnings."""
    assert Workspace.at(MINI).validate().problems == ()


# --- a valid case of file format version 2 ------------------------------------------------------

WAGES = DATA / "cases" / "wages"


def test_option_values_and_applies_when_are_read() -> None:
    """Option values load as numbers; an issue's `applies_when` is resolved and gives it an n/a digit."""
    case = load_case(WAGES)
    wage, _, term, reopener = case.issues
    assert [o.value for o in wage.options] == [0, 2, 4, 6]
    assert (wage.has_values, term.has_values) == (True, False)
    assert [i.na for i in case.issues] == [None, None, None, 2]
    assert reopener.applies_when is not None
    assert reopener.applies_when.text == "term == two_years"
    assert reopener.applies_when.node == expr.Member(2, frozenset({1}))
    assert str(reopener.applies_when.location) == f"{WAGES / 'case.yaml'}:27:19"


def test_applies_when_may_test_another_conditional_issue(tmp_path: Path) -> None:
    """`applies_when` resolves against every issue, later ones and conditional ones included."""
    text = (WAGES / "case.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "  - id: term\n", "  - id: term\n    applies_when: wage_increase != pct_6\n", 1
    ).replace(
        "  - id: pension_rise\n", "  - id: pension_rise\n    applies_when: term == one_year\n", 1
    )
    case_dir = Path(shutil.copytree(WAGES, tmp_path / "wages"))
    (case_dir / "case.yaml").write_text(text, encoding="utf-8")
    case = load_case(case_dir)
    assert [i.id for i in case.issues if i.applies_when is not None] == [
        "pension_rise",
        "term",
        "reopener",
    ]
    assert case.issue("pension_rise").applies_when == Expression(
        "term == one_year",
        expr.Member(2, frozenset({0})),
        Location(str(case_dir / "case.yaml"), 14, 19),
    )


def test_constraints_are_read_with_their_sources() -> None:
    """A constraint keeps its id, text, resolved requirement, optional source and location."""
    (budget,) = load_case(WAGES).constraints
    assert (budget.id, budget.require.text) == (
        "budget",
        "wage_increase == pct_6 -> pension_rise == pen_0",
    )
    assert budget.text.startswith("The budget cannot fund")
    assert budget.source is not None
    assert budget.source.who == "Finance director"
    assert str(budget.location) == f"{WAGES / 'case.yaml'}:32:5"


def test_status_quo_leaves_out_an_issue_that_does_not_apply() -> None:
    """An issue left out of the status quo where it does not apply gets its n/a digit."""
    assert load_case(WAGES).status_quo == (0, 0, 0, 2)


def test_status_quo_may_write_na(tmp_path: Path) -> None:
    """`n/a` in the status quo is the same package as leaving the issue out."""
    case_dir = Path(shutil.copytree(WAGES, tmp_path / "wages"))
    path = case_dir / "case.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "term: one_year}", "term: one_year, reopener: n/a}"
        ),
        encoding="utf-8",
    )
    assert load_case(case_dir).status_quo == (0, 0, 0, 2)


def test_value_function_preferences_are_read() -> None:
    """`scores` gives a per-option tuple (unlisted options 0), the text as written, and no require."""
    rule = load_case(WAGES).rule("union/higher-wage")
    assert rule.require is None
    assert rule.scores is not None
    assert rule.scores.issue == 0
    assert rule.scores.scores == (0.0, 0.4, 0.8, 1.0)
    assert rule.statement == "scores wage_increase: pct_2 0.4, pct_4 0.8, pct_6 1"


def test_fallbacks_are_read_strongest_first() -> None:
    """A red line's fallbacks keep their requirement, cost, text and source; level costs follow."""
    rule = load_case(WAGES).rule("union/match-inflation")
    (fallback,) = rule.fallbacks
    assert (fallback.require.text, fallback.cost) == ("wage_increase >= pct_2", 2)
    assert fallback.text == "Two percent now, with a reopener"
    assert fallback.source is not None
    assert fallback.source.date == "2024-01-04"
    assert [rule.level_cost(k) for k in range(3)] == [0, 2, 5]


def test_a_fallback_cost_may_equal_the_rule_cost(tmp_path: Path) -> None:
    """Dropping a rule may cost exactly as much as retreating to its last fallback."""
    case_dir = Path(shutil.copytree(WAGES, tmp_path / "wages"))
    path = case_dir / "union.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("cost: 5", "cost: 2"), encoding="utf-8"
    )
    assert load_case(case_dir).rule("union/match-inflation").cost == 2


def test_the_preference_when_hint_uses_the_rule_own_expressions() -> None:
    """The hint for a preference's `when` rewrites the rule as written, both ways, parenthesised."""
    problems = read_case(INVALID / "preference-when")[1]
    (problem,) = problems
    assert problem.detail.splitlines() == [
        "    require: (warranty == full) and (price == low)    # counts only where the when holds",
        "    require: (warranty == full) -> (price == low)    # met wherever the when is false",
    ]


def test_cycles_follow_numeric_tests_too() -> None:
    """The issues an `applies_when` refers to include those of numeric (`Linear`) tests."""
    from nposition.model.resolve import touched_issues as referenced
    from nposition.model.tree import And, Linear, Member

    numeric = Linear(((0, 1, (0, 2)), (2, -1, (0, 1, None))), 0, "<=")
    assert sorted(referenced(And((numeric, Member(1, frozenset({0})))))) == [0, 1, 2]
