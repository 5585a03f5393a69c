"""Tests for the structural checks `validate` runs: constraints, status quo, fallbacks, n/a tests."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from nposition.engine.lint import lint
from nposition.engine.space import Space
from nposition.engine.structure import (
    constraint_clashes,
    describe,
    fallbacks,
    outside,
)
from nposition.errors import Location, Severity
from nposition.model.case import Constraint, Fallback, Issue, Option, Rule, RuleKind, Scores
from nposition.model.tree import And, Expression, Member, Node
from tests.oracle import World, node_holds, rule_holds
from tests.strategies import CASES, SOURCE, built, make_case, random_cases
from tests.trees import draw_tree

ISLANDS = Issue(
    "islands",
    "Islands transferred",
    tuple(Option(o, o) for o in ("none", "two", "four")),
    ordered=True,
)


def _expr(text: str, node: Node, line: int = 1) -> Expression:
    return Expression(text, node, Location("russia.yaml", line, 14))


NATURE = Issue(
    "nature",
    "Nature of the transfer",
    tuple(Option(o, o) for o in ("administrative", "phased", "full")),
    ordered=True,
    applies_when=Expression(
        "islands != none", Member(0, frozenset({1, 2})), Location("case.yaml", 9, 19)
    ),
)


def _red_line(rule_id: str, require: Expression, **fields) -> Rule:
    return Rule("russia", rule_id, RuleKind.RED_LINE, rule_id, require, SOURCE, **fields)


def _lint_one(rule: Rule):
    case = make_case((ISLANDS, NATURE), {"russia": [rule]})
    return [p for p in lint(case, Space.of(case)) if "quote" not in p.message]


# --- constraints -------------------------------------------------------------------------------


@CASES
@given(random_cases(v2=True))
def test_constraint_clash_names_a_minimal_clashing_set(case):
    """No package left: one error naming constraints that clash, each needed for the clash."""
    world = World(case)
    space = Space.of(case)
    found = constraint_clashes(case, space)
    if world.existing or not case.constraints:
        assert found == []
        return
    (problem,) = found
    assert problem.severity is Severity.ERROR
    named = [c for c in case.constraints if f"'{c.id}'" in problem.message]
    assert problem.location == named[0].location

    def feasible(constraints):
        shape = dataclasses.replace(case, constraints=tuple(constraints))
        return bool(World(shape).existing)

    assert not feasible(named)
    for c in named:
        assert feasible([d for d in named if d is not c])
    assert [p.message for p in lint(case, space) if p.severity is Severity.ERROR] == [
        problem.message
    ]


def test_constraint_clash_messages():
    """One constraint that never holds, and two that clash, are named as such."""
    two = _expr("islands == two", Member(0, frozenset({1})))
    none_ = _expr("islands == none", Member(0, frozenset({0})))
    never = _expr("nature == full and islands == none", Member(1, frozenset()))
    case = make_case((ISLANDS, NATURE), {}, [Constraint("a", "", two), Constraint("b", "", none_)])
    (problem,) = constraint_clashes(case, Space.of(case))
    assert problem.message == "constraints 'a', 'b' clash: no package satisfies them together"
    case = make_case(
        (ISLANDS, NATURE), {}, [Constraint("n", "", never, location=Location("x", 3, 1))]
    )
    (problem,) = constraint_clashes(case, Space.of(case))
    assert str(problem) == "x:3:1: constraint 'n' holds for no package"


# --- fallbacks ---------------------------------------------------------------------------------


@CASES
@given(random_cases(v2=True), st.data())
def test_a_fallback_that_is_not_weaker_is_an_error_naming_a_package(case, data):
    """An error exactly for fallbacks refusing an existing package that the level above accepts."""
    world = World(case)
    space = Space.of(case)
    for rule in case.red_lines:
        # random fallbacks, weaker or not
        trees = [draw_tree(data.draw, case.issues, max_leaves=3) for _ in rule.fallbacks]
        loose = tuple(
            Fallback(_at(built(t, case.issues), k), f.cost)
            for k, (t, f) in enumerate(zip(trees, rule.fallbacks, strict=True), start=1)
        )
        rule = dataclasses.replace(rule, fallbacks=loose)
        found = {p.location: p.message for p in fallbacks(rule, space, case)}
        for k, fallback in enumerate(loose, start=1):
            refused = world.accepts(rule, k - 1) - world.accepts(rule, k)
            assert (fallback.require.location in found) == bool(refused)
            if refused:
                message = found.pop(fallback.require.location)
                shown = {describe(case, world.packages[p]) for p in refused}
                assert message.split(" and refuses ")[1] in shown


def test_fallback_error_message():
    """The message says which level the fallback must not be stronger than, and a package."""
    rule = _red_line(
        "two-only",
        _expr("islands <= two", Member(0, frozenset({0, 1}))),
        fallbacks=(Fallback(_expr("islands == four", Member(0, frozenset({2})), 4), 2),),
    )
    (problem,) = [p for p in _lint_one(rule) if p.severity is Severity.ERROR]
    assert str(problem) == (
        "russia.yaml:4:14: rule 'two-only' of russia: fallback 1 must accept every package the "
        "stated rule accepts, and refuses islands=none, nature=n/a"
    )


def _at(expression: Expression, line: int) -> Expression:
    return Expression(expression.text, expression.node, Location("random.yaml", line, 1))


# --- tests on issues that do not apply ---------------------------------------------------------


PHASED = _expr("nature >= phased", Member(1, frozenset({1, 2})), 5)


def test_warning_for_a_test_outside_applies_when():
    """`nature >= phased` refuses every package without islands: warn, naming the `when`."""
    (problem,) = _lint_one(_red_line("phased", PHASED))
    assert problem.severity is Severity.WARNING
    assert str(problem) == (
        "russia.yaml:5:14: warning: rule 'phased' of russia tests issue 'nature', which is n/a "
        "where `islands != none` is false, so the rule refuses those packages; if it should only "
        "bite where 'nature' applies, give it `when: islands != none`"
    )


def test_no_warning_when_the_when_covers_the_issue():
    """With `when: islands != none` the rule no longer bites where the issue is n/a."""
    when = _expr("islands != none", Member(0, frozenset({1, 2})))
    assert _lint_one(_red_line("phased", PHASED, when=when)) == []


def test_no_warning_when_the_rule_breaks_there_anyway():
    """`islands != none and nature >= phased` asks for islands too: the n/a test is not the cause."""
    node = And((Member(0, frozenset({1, 2})), PHASED.node))
    both = _expr("islands != none and nature >= phased", node)
    assert outside(_red_line("both", both), Space.of(_case()), _case()) == []


def test_no_warning_for_a_test_true_where_na():
    """`nature != full` holds where the issue is n/a: nothing to warn about."""
    not_full = _expr("nature != full", Member(1, frozenset({0, 1, 3})))
    assert outside(_red_line("not-full", not_full), Space.of(_case()), _case()) == []


def test_warning_names_the_combined_when_and_checks_fallbacks():
    """With its own `when`, the fix joins both; a fallback's test is checked at its location."""
    when = _expr("islands != four", Member(0, frozenset({0, 1})))
    stated = _expr("islands == two", Member(0, frozenset({1})), 6)
    rule = _red_line("r", stated, when=when, fallbacks=(Fallback(PHASED, 1),))
    (problem,) = outside(rule, Space.of(_case()), _case())
    assert problem.location == PHASED.location
    assert problem.message.endswith("give it `when: (islands != four) and (islands != none)`")


def test_value_function_that_scores_nothing_is_dead():
    """A value function scoring 0 on every existing package is warned about; one that scores is not."""
    zero = Scores(1, (0.0, 0.0, 0.0), "nature: all 0")
    some = Scores(1, (0.0, 1.0, 0.0), "nature: phased 1")
    rules = [
        Rule("japan", rid, RuleKind.PREFERENCE, rid, None, SOURCE, scores=s)
        for rid, s in (("zero", zero), ("some", some))
    ]
    case = make_case((ISLANDS, NATURE), {"japan": rules})
    messages = [p.message for p in lint(case, Space.of(case))]
    assert messages == ["rule 'zero' of japan scores 0 on every package"]


def _case():
    return make_case((ISLANDS, NATURE), {})


def test_describe_prints_na():
    """Packages in messages are `issue=option` pairs, with `n/a` for an issue that does not apply."""
    assert describe(_case(), (0, 3)) == "islands=none, nature=n/a"
    assert node_holds(PHASED.node, (1, 1))


@CASES
@given(random_cases(v2=True))
def test_warnings_for_tests_on_na_issues_match_brute_force(case):
    """A red line is warned about for an issue exactly where it breaks because that issue is n/a."""
    world = World(case)
    space = Space.of(case)
    for rule in case.red_lines:
        warned = {
            p.message.split("tests issue '")[1].split("'")[0] for p in outside(rule, space, case)
        }
        expected = set()
        for i, issue in enumerate(case.issues):
            na = [world.packages[k] for k in world.existing if world.packages[k][i] == issue.na]
            for k in range(len(rule.fallbacks) + 1):
                if any(
                    not rule_holds(rule, p, k) and node_holds(rule.level(k).node, p, true_on=i)
                    for p in na
                ):
                    expected.add(issue.id)
        assert warned == expected, rule


@CASES
@given(random_cases(v2=True))
def test_lint_of_random_cases(case):
    """Lint runs on any case; its errors are a constraint clash, or contradictions and fallbacks."""
    space = Space.of(case)
    errors = [p.message for p in lint(case, space) if p.severity is Severity.ERROR]
    if not space.full and case.constraints:
        assert len(errors) == 1
        assert errors[0].startswith("constraint")
        return
    contradicting = {p.id for p in case.parties if not space.all_of(p.red_lines)}
    assert {m.split("'")[1] for m in errors if "contradicts itself" in m} == contradicting
    assert all("contradicts itself" in m or "fallback" in m for m in errors)
