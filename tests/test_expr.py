"""Tests of the rule expression language: parsing, syntax errors, name resolution, evaluation."""

from __future__ import annotations

import contextlib
import copy
import itertools
import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nposition.model import expr
from nposition.model.case import Issue, Option
from tests.test_expr_numbers import ARITHMETIC_SYNTAX_ERRORS


def _issue(issue_id: str, options: str, ordered: bool = False) -> Issue:
    return Issue(issue_id, issue_id, tuple(Option(o, o) for o in options.split()), ordered)


PRICE = _issue("price", "low mid high top", ordered=True)
WARRANTY = _issue("warranty", "none basic full")
ISSUES = (PRICE, WARRANTY)
PACKAGES = list(itertools.product(range(4), range(3)))


def sexpr(node: expr.Node) -> str:
    """The tree as a compact s-expression, offsets left out, so shapes are easy to compare."""
    match node:
        case expr.Const(value):
            return str(value).lower()
        case expr.Test(issue, op, options):
            if op in ("in", "not in"):
                return f"{issue} {op} [{','.join(options)}]"
            return f"{issue}{op}{options[0]}"
        case expr.Not(arg):
            return f"(not {sexpr(arg)})"
        case expr.And(args):
            return "(and " + " ".join(sexpr(a) for a in args) + ")"
        case expr.Or(args):
            return "(or " + " ".join(sexpr(a) for a in args) + ")"
        case expr.Implies(left, right):
            return f"(-> {sexpr(left)} {sexpr(right)})"
    raise AssertionError(node)


def resolved(text: str) -> expr.Node:
    """Parse and resolve against ISSUES, failing the test on any name error."""
    node, errors = expr.resolve(expr.parse(text), ISSUES)
    assert errors == []
    return node


def accepted(text: str) -> set[tuple[int, int]]:
    """The packages (price index, warranty index) on which the expression holds."""
    node = resolved(text)
    return {p for p in PACKAGES if expr.holds(node, p)}


# --- structure and precedence ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("a == x or b == y and c == z", "(or a==x (and b==y c==z))"),
        ("a == x and b == y or c == z", "(or (and a==x b==y) c==z)"),
        ("not a == x and b == y", "(and (not a==x) b==y)"),
        ("not a == x or b == y", "(or (not a==x) b==y)"),
        ("not not a == x", "a==x"),  # double negation cancels
        ("a == x -> b == y -> c == z", "(-> a==x (-> b==y c==z))"),
        ("(a == x -> b == y) -> c == z", "(-> (-> a==x b==y) c==z)"),
        ("a == x or b == y -> c == z", "(-> (or a==x b==y) c==z)"),
        ("a == x -> b == y or c == z", "(-> a==x (or b==y c==z))"),
        ("a == x and b == y -> c == z", "(-> (and a==x b==y) c==z)"),
        ("not a == x -> b == y", "(-> (not a==x) b==y)"),
        ("a == x and b == y and c == z", "(and a==x b==y c==z)"),
        ("a == x or b == y or c == z", "(or a==x b==y c==z)"),
        ("(a == x or b == y) and c == z", "(and (or a==x b==y) c==z)"),
        ("not (a == x and b == y)", "(not (and a==x b==y))"),
        ("((a == x))", "a==x"),
        ("a == x and (b == y or c == z) and d == w", "(and a==x (or b==y c==z) d==w)"),
    ],
)
def test_precedence_and_grouping(text: str, shape: str) -> None:
    """`not` binds tighter than `and`, `and` than `or`, `or` than `->`; `->` groups to the right."""
    assert sexpr(expr.parse(text)) == shape


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("a == x", "a==x"),
        ("a != x", "a!=x"),
        ("a < x", "a<x"),
        ("a <= x", "a<=x"),
        ("a > x", "a>x"),
        ("a >= x", "a>=x"),
        ("a in [x]", "a in [x]"),
        ("a in [x, y, z]", "a in [x,y,z]"),
        ("a not in [x, y]", "a not in [x,y]"),
        ("not a in [x, y]", "(not a in [x,y])"),
        ("a==x", "a==x"),
        ("a\tin\n[x,y]", "a in [x,y]"),
        ("year_1 == 1956", "year_1==1956"),
        ("true", "true"),
        ("false", "false"),
        ("not false or true", "(or (not false) true)"),
    ],
)
def test_tests_and_constants(text: str, shape: str) -> None:
    """Every comparison form, `in`/`not in` lists, and `true`/`false` parse to the right node."""
    assert sexpr(expr.parse(text)) == shape


def test_test_nodes_keep_character_offsets() -> None:
    """A test remembers where its issue and each of its options start in the text."""
    node = expr.parse("not  price in [low,  mid]")
    assert node == expr.Not(expr.Test("price", "in", ("low", "mid"), 5, (15, 21)))


def test_nodes_are_equal_by_class_and_fields() -> None:
    """Nodes compare and hash by class and fields: an `And` is never equal to the same `Or`."""
    args = (expr.Member(0, frozenset({1})), expr.Const(True))
    assert expr.And(args) == expr.And(tuple(args))
    assert hash(expr.And(args)) == hash(expr.And(tuple(args)))
    assert expr.And(args) != expr.Or(args)
    assert expr.Not(expr.Const(True)) != expr.Not(expr.Const(False))
    assert expr.Const(True) != (True,)


def test_nodes_are_immutable() -> None:
    """A node's fields cannot be reassigned or deleted, so its cached hash stays right."""
    node = expr.Member(0, frozenset({1}))
    with pytest.raises(AttributeError, match="Member is immutable"):
        node.issue = 1
    with pytest.raises(AttributeError, match="Member is immutable"):
        del node.allowed


def test_nodes_pickle_copy_and_repr() -> None:
    """A tree survives pickling and deep copies, and its repr names every field."""
    tree = expr.parse("price == low -> not warranty in [none, basic]")
    assert pickle.loads(pickle.dumps(tree)) == tree
    assert copy.deepcopy(tree) == tree
    assert repr(expr.Member(1, frozenset({2}))) == "Member(issue=1, allowed=frozenset({2}))"


# --- syntax errors -----------------------------------------------------------------------------

# Each case: the expression, a line of carets under the offending characters, the message.
SYNTAX_ERRORS = [
    ("", "^", "empty expression"),
    ("   ", "^", "empty expression"),
    ("price == low &", "             ^", "unexpected character '&'"),
    ("price == 'low'", "         ^", 'unexpected character "\'"'),
    ("price == low.5", "            ^", "unexpected character '.'"),
    ("price === low", "        ^", "unexpected character '=' (did you mean '=='?)"),
    ("price == low)", "            ^", "unexpected ')' after a complete expression"),
    (
        "price == low warranty == full",
        "             ^^^^^^^^",
        "unexpected 'warranty' after a complete expression",
    ),
    ("true false", "     ^^^^^", "unexpected 'false' after a complete expression"),
    ("true == low", "     ^^", "unexpected '==' after a complete expression"),
    (
        "(price == low",
        "             ^",
        "missing ')' for the '(' that opens at character 1 of the expression; found the end of the expression",
    ),
    (
        "price == low and (warranty == full or price == mid",
        "                                                  ^",
        "missing ')' for the '(' that opens at character 18 of the expression; found the end of the expression",
    ),
    (
        "((price == low) or warranty == full",
        "                                   ^",
        "missing ')' for the '(' that opens at character 1 of the expression; found the end of the expression",
    ),
    (
        "(price == low warranty == full)",
        "              ^^^^^^^^",
        "missing ')' for the '(' that opens at character 1 of the expression; found 'warranty'",
    ),
    (
        "price ==",
        "        ^",
        "expected an option name or a number after '==', found the end of the expression",
    ),
    ("price == )", "         ^", "expected an option name or a number after '==', found ')'"),
    ("price < == low", "        ^^", "expected an option name or a number after '<', found '=='"),
    ("price != and", "         ^^^", "expected an option name or a number after '!=', found 'and'"),
    (
        "price == true",
        "         ^^^^",
        "expected an option name or a number after '==', found 'true'",
    ),
    (
        "price in [low mid]",
        "              ^^^",
        "expected ',' or ']' in the option list, found 'mid'",
    ),
    (
        "price in [low",
        "             ^",
        "expected ',' or ']' in the option list, found the end of the expression",
    ),
    ("price in [low,]", "              ^", "expected an option name after ',', found ']'"),
    ("price in [low, or]", "               ^^", "expected an option name after ',', found 'or'"),
    ("price in []", "          ^", "expected an option name in the list, found ']'"),
    ("price in [not]", "          ^^^", "expected an option name in the list, found 'not'"),
    (
        "price in low",
        "         ^^^",
        "expected '[' to start the option list after 'in', found 'low'",
    ),
    (
        "price not in (low)",
        "             ^",
        "expected '[' to start the option list after 'not in', found '('",
    ),
    (
        "price",
        "     ^",
        "expected '==', '!=', 'in', 'not in', '<', '<=', '>' or '>=' after issue 'price', "
        "found the end of the expression",
    ),
    (
        "price low",
        "      ^^^",
        "expected '==', '!=', 'in', 'not in', '<', '<=', '>' or '>=' after issue 'price', "
        "found 'low'",
    ),
    (
        "price not == low",
        "      ^^^",
        "expected '==', '!=', 'in', 'not in', '<', '<=', '>' or '>=' after issue 'price', "
        "found 'not'",
    ),
    (
        "price -> low",
        "      ^^",
        "expected '==', '!=', 'in', 'not in', '<', '<=', '>' or '>=' after issue 'price', "
        "found '->'",
    ),
    (
        "and == low",
        "^^^",
        "expected an issue name, 'not', 'true', 'false' or '(', found 'and'",
    ),
    (
        "in == low",
        "^^",
        "expected an issue name, 'not', 'true', 'false' or '(', found 'in'",
    ),
    (
        "price == low or or warranty == full",
        "                ^^",
        "expected an issue name, 'not', 'true', 'false' or '(', found 'or'",
    ),
    (
        "price == low and",
        "                ^",
        "expected an issue name, 'not', 'true', 'false' or '(', found the end of the expression",
    ),
    (
        "price == low ->",
        "               ^",
        "expected an issue name, 'not', 'true', 'false' or '(', found the end of the expression",
    ),
    (
        "-> price == low",
        "^^",
        "expected an issue name, 'not', 'true', 'false' or '(', found '->'",
    ),
    (
        "not",
        "   ^",
        "expected an issue name, 'not', 'true', 'false' or '(', found the end of the expression",
    ),
    (
        "()",
        " ^",
        "expected an issue name, 'not', 'true', 'false' or '(', found ')'",
    ),
    (
        "price == low ->-> warranty == full",
        "               ^^",
        "expected an issue name, 'not', 'true', 'false' or '(', found '->'",
    ),
]


@pytest.mark.parametrize(("text", "carets", "message"), SYNTAX_ERRORS + ARITHMETIC_SYNTAX_ERRORS)
def test_syntax_error_message_and_offsets(text: str, carets: str, message: str) -> None:
    """Each syntax error has its exact message and underlines exactly the offending characters."""
    with pytest.raises(expr.ExprError) as info:
        expr.parse(text)
    start = carets.index("^")
    assert (info.value.message, info.value.start, info.value.end) == (
        message,
        start,
        start + carets.count("^"),
    )
    assert str(info.value) == message


def test_syntax_error_caret_snippet() -> None:
    """The caret snippet shows the expression and carets under the offending token, indented."""
    text = "price in [low mid]"
    with pytest.raises(expr.ExprError) as info:
        expr.parse(text)
    assert expr.caret(text, info.value.start, info.value.end) == (
        "    price in [low mid]\n                  ^^^"
    )


def test_error_in_multiline_expression_aligns_caret() -> None:
    """A newline inside an expression is drawn as a space so the caret stays under its token."""
    text = "price == low\n  or warranty full"
    with pytest.raises(expr.ExprError) as info:
        expr.parse(text)
    assert (info.value.start, info.value.end) == (27, 31)
    assert expr.caret(text, 27, 31) == (
        "    price == low   or warranty full\n                               ^^^^"
    )


def test_caret_at_end_of_expression_is_one_wide() -> None:
    """A caret past the end of the text is drawn one character wide, just after the text."""
    assert expr.caret("a ==", 4, 9) == "    a ==\n        ^"


def test_expr_error_is_at_least_one_character_wide() -> None:
    """An ExprError without an end, or with an empty span, covers one character."""
    assert (expr.ExprError("m", 3).start, expr.ExprError("m", 3).end) == (3, 4)
    assert expr.ExprError("m", 3, 3).end == 4


def test_caret_stays_aligned_after_a_tab() -> None:
    """A tab in the expression is drawn as one space so the caret stays under its token."""
    assert expr.caret("price\t== low $", 13, 14) == "    price == low $\n                 ^"


def test_single_equals_suggests_double_equals() -> None:
    """`price = low` (a lone '=') says which operator was meant."""
    with pytest.raises(expr.ExprError) as info:
        expr.parse("price = low")
    assert (info.value.start, info.value.end) == (6, 7)
    assert "did you mean '=='?" in info.value.message


@pytest.mark.parametrize(
    "text",
    ["(" * 400 + "price == low" + ")" * 400, "not " * 2000 + "price == low"],
    ids=["parentheses", "not"],
)
def test_deep_nesting_never_crashes(text: str) -> None:
    """A deeply nested expression either parses or gives an ExprError, never a RecursionError."""
    with contextlib.suppress(expr.ExprError):
        expr.parse(text)


# --- resolution ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("price == mid", {1}),
        ("price != mid", {0, 2, 3}),
        ("price < mid", {0}),
        ("price <= mid", {0, 1}),
        ("price > mid", {2, 3}),
        ("price >= mid", {1, 2, 3}),
        ("price < low", set()),
        ("price <= low", {0}),
        ("price >= low", {0, 1, 2, 3}),
        ("price > top", set()),
        ("price <= top", {0, 1, 2, 3}),
        ("price >= top", {3}),
        ("price in [top, low]", {0, 3}),
        ("price not in [top, low]", {1, 2}),
        ("price in [mid, mid]", {1}),
        ("warranty == full", {2}),
        ("warranty != none", {1, 2}),
        ("warranty in [none, basic]", {0, 1}),
        ("warranty not in [none]", {1, 2}),
    ],
)
def test_tests_resolve_to_option_index_sets(text: str, allowed: set[int]) -> None:
    """Each test becomes a Member of its issue's index with the option indices that satisfy it."""
    issue = 0 if text.startswith("price") else 1
    assert resolved(text) == expr.Member(issue, frozenset(allowed))


def test_resolve_keeps_structure_and_constants() -> None:
    """Resolution rewrites only the tests; connectives and constants stay as they were."""
    node = resolved("not price == low and (warranty == full -> false) or true")
    assert node == expr.Or(
        (
            expr.And(
                (
                    expr.Not(expr.Member(0, frozenset({0}))),
                    expr.Implies(expr.Member(1, frozenset({2})), expr.Const(False)),
                )
            ),
            expr.Const(True),
        )
    )


@pytest.mark.parametrize(
    ("text", "message", "span"),
    [
        ("prise == low", "unknown issue 'prise' (did you mean 'price'?)", (0, 5)),
        ("colour == red", "unknown issue 'colour' (known: price, warranty)", (0, 6)),
        (
            "price == lo",
            "unknown option 'lo' for issue 'price' (did you mean 'low'?)",
            (9, 11),
        ),
        (
            "warranty in [none, fulll]",
            "unknown option 'fulll' for issue 'warranty' (did you mean 'full'?)",
            (19, 24),
        ),
        (
            "warranty == gold",
            "unknown option 'gold' for issue 'warranty' (known: none, basic, full)",
            (12, 16),
        ),
        (
            "warranty < full",
            "'<' needs an ordered issue, and 'warranty' is not "
            "(add `ordered: true` to it, or use '==', '!=', 'in')",
            (0, 15),
        ),
        (
            "warranty >= basic",
            "'>=' needs an ordered issue, and 'warranty' is not "
            "(add `ordered: true` to it, or use '==', '!=', 'in')",
            (0, 17),
        ),
    ],
)
def test_name_errors(text: str, message: str, span: tuple[int, int]) -> None:
    """Unknown names (with a suggestion) and ordered comparisons on unordered issues are errors."""
    node, errors = expr.resolve(expr.parse(text), ISSUES)
    assert [(e.message, e.start, e.end) for e in errors] == [(message, *span)]
    assert not list(expr.members(node))


@pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
def test_every_ordered_comparison_needs_an_ordered_issue(op: str) -> None:
    """`<`, `<=`, `>` and `>=` on an unordered issue are each refused."""
    _, errors = expr.resolve(expr.parse(f"warranty {op} basic"), ISSUES)
    assert [e.message.split(" needs")[0] for e in errors] == [f"'{op}'"]


def test_resolve_collects_every_name_error() -> None:
    """All name errors of one expression are reported, in the order they appear."""
    text = "prise == low or warranty in [gold, ful] or price < nope"
    _, errors = expr.resolve(expr.parse(text), ISSUES)
    assert [(e.start, e.end) for e in errors] == [(0, 5), (29, 33), (35, 38), (51, 55)]


def test_suggest_lists_several_close_names_or_the_known_ones() -> None:
    """`suggest` offers up to three close names, or else the first twelve known names."""
    assert expr.suggest("mdi", ["low", "mid", "high", "mud"]) == "did you mean 'mud' or 'mid'?"
    many = [f"o{i}" for i in range(14)]
    assert expr.suggest("zzz", many) == "known: " + ", ".join(many[:12]) + ", ..."


# --- evaluation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "packages"),
    [
        (
            "price == low -> warranty == full",
            {(0, 2)} | {(p, w) for p in (1, 2, 3) for w in (0, 1, 2)},
        ),
        ("true", set(PACKAGES)),
        ("false", set()),
        ("not true or false", set()),
        ("price > mid and warranty != none", {(p, w) for p in (2, 3) for w in (1, 2)}),
        (
            "price < mid or warranty == none",
            {(0, w) for w in range(3)} | {(p, 0) for p in range(4)},
        ),
    ],
)
def test_holds(text: str, packages: set[tuple[int, int]]) -> None:
    """`holds` evaluates implications, constants and connectives on packages."""
    assert accepted(text) == packages


def test_holds_refuses_unresolved_tests() -> None:
    """Evaluating a tree that still has raw tests is a programming error, not a silent result."""
    with pytest.raises(TypeError, match="unresolved expression node"):
        expr.holds(expr.parse("price == low"), (0, 0))


# --- property: print, parse, resolve, evaluate -------------------------------------------------

PROP_ISSUES = (
    _issue("size", "s m l", ordered=True),
    _issue("colour", "red blue"),
    _issue("speed", "slow fast", ordered=True),
)
PROP_PACKAGES = list(itertools.product(*(range(len(i.options)) for i in PROP_ISSUES)))
Tree = tuple[Any, ...]


@st.composite
def _tests(draw: st.DrawFn) -> Tree:
    index = draw(st.integers(0, len(PROP_ISSUES) - 1))
    issue = PROP_ISSUES[index]
    ops = ["==", "!=", "in", "not in"] + (["<", "<=", ">", ">="] if issue.ordered else [])
    op = draw(st.sampled_from(ops))
    n = len(issue.options)
    if op in ("in", "not in"):
        chosen = tuple(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n)))
    else:
        chosen = (draw(st.integers(0, n - 1)),)
    return ("test", index, op, chosen)


def _compound(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    return st.one_of(
        st.tuples(st.just("not"), children),
        st.tuples(st.just("and"), children, children),
        st.tuples(st.just("and"), children, children, children),
        st.tuples(st.just("or"), children, children),
        st.tuples(st.just("->"), children, children),
    )


trees = st.recursive(
    st.one_of(_tests(), st.tuples(st.just("const"), st.booleans())), _compound, max_leaves=12
)


def evaluate(tree: Tree, package: tuple[int, ...]) -> bool:
    """The meaning of a tree, written independently of nposition.model.expr."""
    kind = tree[0]
    if kind == "const":
        return bool(tree[1])
    if kind == "test":
        _, index, op, chosen = tree
        value, pivot = package[index], chosen[0]
        meaning: dict[str, bool] = {
            "==": value == pivot,
            "!=": value != pivot,
            "<": value < pivot,
            "<=": value <= pivot,
            ">": value > pivot,
            ">=": value >= pivot,
            "in": value in chosen,
            "not in": value not in chosen,
        }
        return meaning[op]
    if kind == "not":
        return not evaluate(tree[1], package)
    if kind == "and":
        return all(evaluate(t, package) for t in tree[1:])
    if kind == "or":
        return any(evaluate(t, package) for t in tree[1:])
    return not evaluate(tree[1], package) or evaluate(tree[2], package)


def _test_text(tree: Tree) -> str:
    _, index, op, chosen = tree
    issue = PROP_ISSUES[index]
    names = [issue.options[i].id for i in chosen]
    rhs = f"[{', '.join(names)}]" if op in ("in", "not in") else names[0]
    return f"{issue.id} {op} {rhs}"


def full_text(tree: Tree) -> str:
    """The tree printed with every compound wrapped in parentheses."""
    kind = tree[0]
    if kind == "const":
        return "true" if tree[1] else "false"
    if kind == "test":
        return _test_text(tree)
    if kind == "not":
        return f"(not {full_text(tree[1])})"
    return "(" + f" {kind} ".join(full_text(t) for t in tree[1:]) + ")"


_BINDING = {"->": 1, "or": 2, "and": 3, "not": 4, "test": 5, "const": 5}


def lean_text(tree: Tree, context: int = 0) -> str:
    """The tree printed with only the parentheses the precedence rules require."""
    kind = tree[0]
    if kind in ("const", "test"):
        return full_text(tree)
    binding = _BINDING[kind]
    if kind == "not":
        text = f"not {lean_text(tree[1], binding)}"
    elif kind == "->":
        # right-associative: a `->` on the left needs parentheses, one on the right does not
        text = f"{lean_text(tree[1], binding + 1)} -> {lean_text(tree[2], binding)}"
    else:
        text = f" {kind} ".join(lean_text(t, binding + 1) for t in tree[1:])
    return f"({text})" if binding < context else text


def _check(tree: Tree, text: str) -> None:
    node, errors = expr.resolve(expr.parse(text), PROP_ISSUES)
    assert errors == []
    for package in PROP_PACKAGES:
        assert expr.holds(node, package) == evaluate(tree, package), (text, package)


@settings(max_examples=150, deadline=None)
@given(trees)
def test_fully_parenthesised_round_trip(tree: Tree) -> None:
    """A fully parenthesised printout parses to an expression that holds where the tree does."""
    _check(tree, full_text(tree))


@settings(max_examples=150, deadline=None)
@given(trees)
def test_minimally_parenthesised_round_trip(tree: Tree) -> None:
    """With only the parentheses precedence requires, the parse still means what the tree means."""
    _check(tree, lean_text(tree))
