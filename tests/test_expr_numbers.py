"""Tests of numbers in rule expressions (version 2): terms, `Linear` tests, n/a digits, exactness."""

from __future__ import annotations

import itertools
import subprocess
import sys
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nposition.errors import Location
from nposition.model import expr
from nposition.model.case import Issue, Option
from nposition.model.tree import Expression

ALWAYS = Expression("true", expr.Const(True), Location("case.yaml"))


def _issue(
    issue_id: str,
    options: str,
    values: list[float] | None = None,
    *,
    ordered: bool = True,
    conditional: bool = False,
) -> Issue:
    """An issue whose options are the words of `options`, with values, maybe applying sometimes."""
    names = options.split()
    shown = values if values is not None else [None] * len(names)
    return Issue(
        issue_id,
        issue_id,
        tuple(Option(n, n, v) for n, v in zip(names, shown, strict=True)),
        ordered,
        applies_when=ALWAYS if conditional else None,
    )


WAGE = _issue("wage", "pct_0 pct_2 pct_4", [0, 2, 4])
PENSION = _issue("pension", "p0 p1 p2", [0.1, 0.2, 1.5], conditional=True)
YEAR = _issue("year", "1956 2000")  # ordered, without values: digits name options
BAND = _issue("band", "b1 2 3", [1, 2, 5])  # option '3' has the value 5
COLOUR = _issue("colour", "red blue", ordered=False)
TRACK = _issue("track", "fast slow", conditional=True)  # conditional, without values
ISSUES = (WAGE, PENSION, YEAR, BAND, COLOUR, TRACK)
NA = 3  # the n/a digit of PENSION, and TRACK's is 2


def resolved(text: str, issues: tuple[Issue, ...] = ISSUES) -> expr.Node:
    """Parse and resolve, failing the test on any error."""
    node, errors = expr.resolve(expr.parse(text), issues)
    assert errors == [], [e.message for e in errors]
    return node


def term_text(term: expr.Term) -> str:
    """A term as a compact s-expression, offsets left out."""
    match term:
        case expr.Num(text):
            return text
        case expr.Ref(issue):
            return issue
        case expr.Scale(factor, inner):
            return f"(* {factor.text} {term_text(inner)})"
        case expr.Sum(terms, signs):
            parts = [term_text(terms[0])] + [
                f"{s}{term_text(t)}" for t, s in zip(terms[1:], signs[1:], strict=True)
            ]
            return "(" + " ".join(parts) + ")"
    raise AssertionError(term)


def shape(node: expr.Node) -> str:
    """A parsed tree as a compact s-expression: tests as `a==x`, comparisons as `(op l r)`."""
    match node:
        case expr.Compare(left, op, right):
            return f"({op} {term_text(left)} {term_text(right)})"
        case expr.Test(issue, op, options):
            if op in ("in", "not in"):
                return f"{issue} {op} [{','.join(options)}]"
            return f"{issue}{op}{options[0]}"
        case expr.Not(arg):
            return f"(not {shape(arg)})"
        case expr.And(args) | expr.Or(args):
            kind = "and" if isinstance(node, expr.And) else "or"
            return f"({kind} " + " ".join(shape(a) for a in args) + ")"
        case expr.Implies(left, right):
            return f"(-> {shape(left)} {shape(right)})"
    raise AssertionError(node)


# --- parsing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a + b <= 5", "(<= (a +b) 5)"),
        ("a+b<=5", "(<= (a +b) 5)"),
        ("(a + b) <= 5", "(<= (a +b) 5)"),
        ("((a + b)) <= 5", "(<= (a +b) 5)"),
        ("(a + b <= 5)", "(<= (a +b) 5)"),
        ("2 * a - b > 1", "(> ((* 2 a) -b) 1)"),
        ("2 * 3 * a == 1", "(== (* 2 (* 3 a)) 1)"),
        ("2 * (a + b) >= 0.5", "(>= (* 2 (a +b)) 0.5)"),
        ("a - -1 == 0", "(== (a --1) 0)"),
        ("-2.5 * a >= - 1", "(>= (* -2.5 a) -1)"),
        ("a - 1 + b != c", "(!= (a -1 +b) c)"),
        ("a >= 2.5", "(>= a 2.5)"),
        ("a >= -2", "(>= a -2)"),
        ("a == (b)", "(== a b)"),
        ("(a) == b", "(== a b)"),
        ("a == 2 * b", "(== a (* 2 b))"),
        ("a >= 2", "a>=2"),  # the version-1 shape: resolution decides
        ("5 <= a", "5<=a"),
        ("a == b", "a==b"),
    ],
)
def test_numeric_comparisons_parse_to_terms(text: str, expected: str) -> None:
    """Sums, number-times-term products, negative and decimal literals parse to the right terms."""
    assert shape(expr.parse(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(a == x) or b == y", "(or a==x b==y)"),
        ("(a + b) <= 5 or b == y", "(or (<= (a +b) 5) b==y)"),
        ("(a == x) -> (a + 1) < 3", "(-> a==x (< (a +1) 3))"),
        ("not a + 1 <= 2 and b == y", "(and (not (<= (a +1) 2)) b==y)"),
        ("((a == x) or (b - 1 > 0)) and (c) != 2", "(and (or a==x (> (b -1) 0)) (!= c 2))"),
        ("a <= 1 -> b in [x, y]", "(-> a<=1 b in [x,y])"),
    ],
)
def test_term_parentheses_and_group_parentheses_both_parse(text: str, expected: str) -> None:
    """A '(' is a term when its ')' is followed by arithmetic or a comparison, else a group."""
    assert shape(expr.parse(text)) == expected


def test_terms_keep_the_offset_of_every_name_and_number() -> None:
    """Each issue reference and number literal remembers where it starts; '-1' starts at its '-'."""
    assert expr.parse("x + 2.5 * y >= -10") == expr.Compare(
        expr.Sum(
            (expr.Ref("x", 0), expr.Scale(expr.Num("2.5", 4), expr.Ref("y", 10))),
            ("+", "+"),
        ),
        ">=",
        expr.Num("-10", 15),
    )


# Each case: the expression, carets under the offending characters, the message.
# Checked, with version 1's syntax errors, by test_expr.test_syntax_error_message_and_offsets.
ARITHMETIC_SYNTAX_ERRORS = [
    (
        "a + b",
        "     ^",
        "expected '==', '!=', '<', '<=', '>' or '>=' after 'a + b', found the end of the expression",
    ),
    (
        "2 * a or b == y",
        "      ^^",
        "expected '==', '!=', '<', '<=', '>' or '>=' after '2 * a', found 'or'",
    ),
    (
        "a +",
        "   ^",
        "expected a number, an issue name or '(' after '+', found the end of the expression",
    ),
    ("a + and == 1", "    ^^^", "expected a number, an issue name or '(' after '+', found 'and'"),
    ("2 * == 1", "    ^^", "expected a number, an issue name or '(' after '*', found '=='"),
    (
        "a == 1 + ",
        "         ^",
        "expected a number, an issue name or '(' after '+', found the end of the expression",
    ),
    ("(a + ) <= 5", "     ^", "expected a number, an issue name or '(' after '+', found ')'"),
    ("() <= 5", " ^", "expected a number, an issue name or '(' after '(', found ')'"),
    ("a * 2 == 1", "  ^", "'*' multiplies by a number written before it (as in '2 * a')"),
    (
        "(a + b) * 2 <= 1",
        "        ^",
        "'*' multiplies by a number written before it (as in '2 * a')",
    ),
    (
        "1 <= a <= 3",
        "       ^^",
        "'<=' cannot follow a comparison: join two comparisons with 'and'",
    ),
    (
        "a == x == y",
        "       ^^",
        "'==' cannot follow a comparison: join two comparisons with 'and'",
    ),
    (
        "- a == 1",
        "  ^",
        "expected a number after '-', found 'a' (write '-1 * a' to negate an issue)",
    ),
    ("a == --1", "      ^", "expected a number after '-', found '-'"),
    (".5 <= a", "^", "unexpected character '.' (write a digit before the point, as in '0.5')"),
    ("a <= 2.", "      ^", "unexpected character '.'"),
    (
        "(a + b <= 5",
        "           ^",
        "missing ')' for the '(' that opens at character 1 of the expression; found the end of the expression",
    ),
    (
        "(a + b) + (c <= 5",
        "             ^^",
        "missing ')' for the '(' that opens at character 11 of the expression; found '<='",
    ),
]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2 * " * 300 + "a == 1", "expression nested too deeply (more than 200 levels)"),
        (
            "(" * 51 + "a" + ")" * 51 + " <= 1",
            "expression nested too deeply (more than 50 parentheses)",
        ),
    ],
    ids=["products", "parentheses"],
)
def test_deep_terms_are_refused_not_crashed_on(text: str, message: str) -> None:
    """Long product chains and deeply parenthesised terms give an ExprError, not a RecursionError."""
    with pytest.raises(expr.ExprError, match="nested too deeply") as info:
        expr.parse(text)
    assert info.value.message == message


def test_a_long_sum_is_flat() -> None:
    """A sum of many terms is one node, so its length never counts as nesting."""
    node = expr.parse(" + ".join(["wage"] * 500) + " <= 1")
    assert isinstance(node, expr.Compare)
    assert isinstance(node.left, expr.Sum)
    assert len(node.left.terms) == 500


# --- resolution ----------------------------------------------------------------------------------

WAGE_T = (0, 2, 4)  # wage's values at scale 0 (alone)
WAGE_T1 = (0, 20, 40)  # at scale 1, beside pension's
PENSION_T = (1, 2, 15, None)  # pension's values at scale 1, then n/a


@pytest.mark.parametrize(
    ("text", "linear"),
    [
        ("wage >= 2", expr.Linear(((0, 1, WAGE_T),), -2, ">=")),
        ("wage >= 2.5", expr.Linear(((0, 10, WAGE_T),), -25, ">=")),
        ("5 <= wage", expr.Linear(((0, -1, WAGE_T),), 5, "<=")),
        ("wage + pension <= 0.3", expr.Linear(((0, 1, WAGE_T1), (1, 1, PENSION_T)), -3, "<=")),
        ("(pension + wage) <= 0.3", expr.Linear(((0, 1, WAGE_T1), (1, 1, PENSION_T)), -3, "<=")),
        ("2 * wage - pension > -1", expr.Linear(((0, 2, WAGE_T1), (1, -1, PENSION_T)), 10, ">")),
        (
            "0.5 * wage + 0.25 <= pension",
            expr.Linear(((0, 5, WAGE_T1), (1, -10, PENSION_T)), 25, "<="),
        ),
        ("wage == (pension)", expr.Linear(((0, 1, WAGE_T1), (1, -1, PENSION_T)), 0, "==")),
        ("wage - wage != 0", expr.Linear(((0, 0, WAGE_T),), 0, "!=")),
        ("band == 2", expr.Linear(((3, 1, (1, 2, 5)),), -2, "==")),
    ],
)
def test_numeric_comparisons_resolve_to_exact_linear_tests(text: str, linear: expr.Linear) -> None:
    """Values and literals share one decimal scale; terms merge by issue, keep zero coefficients."""
    assert resolved(text) == linear


@pytest.mark.parametrize(
    ("text", "value"),
    [("5 == 5", True), ("2 > 3", False), ("0.1 + 0.2 == 0.3", True), ("2 * 1.5 != 3", False)],
)
def test_comparisons_of_numbers_alone_are_constants(text: str, value: bool) -> None:
    """A comparison without any issue is decided at resolution, exactly."""
    assert resolved(text) == expr.Const(value)


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("year == 1956", expr.Member(2, frozenset({0}))),  # no values: digits name an option
        ("year > 1956", expr.Member(2, frozenset({1}))),
        ("wage >= pct_2", expr.Member(0, frozenset({1, 2}))),  # values, a word: an option
        ("band in [3]", expr.Member(3, frozenset({2}))),  # a list always names options
        ("band == 2", expr.Linear(((3, 1, (1, 2, 5)),), -2, "==")),  # values: a number
    ],
)
def test_digits_are_options_or_numbers_by_the_issue(text: str, node: expr.Node) -> None:
    """`ISSUE op DIGITS` names an option when the issue has no values and is a number when it has."""
    assert resolved(text) == node


@pytest.mark.parametrize(
    ("text", "message", "span"),
    [
        (
            "colour + 1 == 2",
            "issue 'colour' has no values: give its options `value:` to compare it with numbers",
            (0, 6),
        ),
        (
            "2 * (wage - year) >= 1",
            "issue 'year' has no values: give its options `value:` to compare it with numbers",
            (12, 16),
        ),
        (
            "wage >= 2.5 and track < 1.5",
            "issue 'track' has no values: give its options `value:` to compare it with numbers",
            (16, 21),
        ),
        (
            "year == 1957",
            "issue 'year' has no values: give its options `value:` to compare it with numbers "
            "(did you mean '1956'?)",
            (8, 12),
        ),
        (
            "1956 == year",
            "issue 'year' has no values: give its options `value:` to compare it with numbers",
            (8, 12),
        ),
        (
            "band >= 3",
            "'3' is a number here (issue 'band' has values) and also an option of 'band' whose "
            "value is 5: compare with 5 to mean the option, or write 'band in [3]'",
            (8, 9),
        ),
        ("wages + 1 > 2", "unknown issue 'wages' (did you mean 'wage'?)", (0, 5)),
        ("3 < wages", "unknown issue 'wages' (did you mean 'wage'?)", (4, 9)),
        (
            "wage >= pension",
            "unknown option 'pension' for issue 'wage' (known: pct_0, pct_2, pct_4; to compare "
            "the values of two issues, write 'wage - pension >= 0')",
            (8, 15),
        ),
        (
            "wage <= 1e3",
            "unknown option '1e3' for issue 'wage' (known: pct_0, pct_2, pct_4)",
            (8, 11),
        ),
        (
            "colour < blue",
            "'<' needs an ordered issue, and 'colour' is not "
            "(add `ordered: true` to it, or use '==', '!=', 'in')",
            (0, 13),
        ),
    ],
)
def test_numeric_resolution_errors(text: str, message: str, span: tuple[int, int]) -> None:
    """Numbers on an issue without values, ambiguous digits and unknown names are located errors."""
    node, errors = expr.resolve(expr.parse(text), ISSUES)
    assert [(e.message, e.start, e.end) for e in errors] == [(message, *span)]
    assert expr.Const(True) in (node, *getattr(node, "args", ()))  # the broken test is neutral


def test_every_numeric_error_of_an_expression_is_collected() -> None:
    """All errors inside one comparison, and across comparisons, are reported in order."""
    text = "colour + wag <= 1 or year - 1 > 0"
    _, errors = expr.resolve(expr.parse(text), ISSUES)
    assert [(e.start, e.end) for e in errors] == [(0, 6), (9, 12), (21, 25)]


# --- evaluation ----------------------------------------------------------------------------------

EXACT = (
    _issue("a", "a1 a2", [0.1, 0.7]),
    _issue("b", "b1 b2", [0.2, 0.3]),
)


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("a + b <= 0.3", True),
        ("a + b == 0.3", True),
        ("a + b >= 0.3", True),
        ("a + b < 0.3", False),
        ("a + b > 0.3", False),
        ("a + b != 0.3", False),
        ("3 * a == 0.3", True),
        ("a + b - 0.3 == 0", True),
    ],
)
def test_arithmetic_is_exact(text: str, held: bool) -> None:
    """0.1 + 0.2 is 0.3 exactly, where float arithmetic would make it 0.30000000000000004."""
    assert expr.holds(resolved(text, EXACT), (0, 0)) is held


@pytest.mark.parametrize(
    ("op", "held"),
    [("==", False), ("!=", True), ("<", False), ("<=", False), (">", False), (">=", False)],
)
def test_a_numeric_test_on_an_na_issue_is_false_except_not_equal(op: str, held: bool) -> None:
    """Where pension does not apply, every numeric comparison with it is false, `!=` true."""
    for text in (
        f"pension {op} 0.2",
        f"wage + pension {op} 100",
        f"wage - pension + pension {op} 2",
    ):
        node = resolved(text)
        assert isinstance(node, expr.Linear)
        assert expr.holds(node, (1, NA, 0, 0, 0, 0)) is held, text


def test_an_issue_cancelled_out_still_makes_its_test_false_where_na() -> None:
    """`pension - pension == 0` holds wherever pension applies and nowhere it is n/a."""
    node = resolved("pension - pension == 0")
    assert [expr.holds(node, (0, d, 0, 0, 0, 0)) for d in range(4)] == [True, True, True, False]


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("track == fast", {0}),
        ("track != fast", {1, 2}),
        ("track in [fast, slow]", {0, 1}),
        ("track not in [fast]", {1, 2}),
        ("track not in [fast, slow]", {2}),
        ("track < slow", {0}),
        ("track <= slow", {0, 1}),
        ("track > fast", {1}),
        ("track >= fast", {0, 1}),
        ("pension != p1", {0, 2, NA}),
        ("pension >= p0", {0, 1, 2}),
    ],
)
def test_member_includes_na_only_for_not_equal_and_not_in(text: str, allowed: set[int]) -> None:
    """On a conditional issue, `!=` and `not in` hold where it is n/a; the other tests do not."""
    node = resolved(text)
    assert isinstance(node, expr.Member)
    assert node.allowed == frozenset(allowed)


def test_a_member_of_an_issue_that_always_applies_has_no_na_digit() -> None:
    """An issue without `applies_when` has no n/a digit, so `!=` allows only its options."""
    assert resolved("wage != pct_0") == expr.Member(0, frozenset({1, 2}))


def test_touched_issues_sees_members_and_linear_terms() -> None:
    """`touched_issues` yields the issues of Members and of Linear terms; `members` only Members."""
    node = resolved("colour == red -> wage + 2 * pension >= 1 or not track == fast")
    assert list(expr.touched_issues(node)) == [4, 0, 1, 5]
    assert [m.issue for m in expr.members(node)] == [4, 5]


def test_holds_refuses_an_unresolved_comparison() -> None:
    """Evaluating a `Compare` that was never resolved is a programming error."""
    with pytest.raises(TypeError, match="unresolved expression node"):
        expr.holds(expr.parse("wage + 1 >= 2"), (0,))


def test_numbers_cost_no_import_at_start_up() -> None:
    """Resolving a test without numbers loads no arithmetic; with numbers, still no `fractions`."""
    code = (
        "import sys\n"
        "from nposition.model import expr\n"
        "from nposition.model.case import Issue, Option\n"
        "issues = (Issue('w', 'w', (Option('a', 'a', 0.5), Option('b', 'b', 1.0)), True),)\n"
        "expr.resolve(expr.parse('w == a'), issues)\n"
        "print('nposition.model.linear' in sys.modules)\n"
        "expr.resolve(expr.parse('w + 1 > 1.25'), issues)\n"
        "print('nposition.model.linear' in sys.modules, 'fractions' in sys.modules, "
        "'decimal' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True", "False", "False"]


# --- property: random numeric comparisons against exact fractions ------------------------------

Term = tuple[
    Any, ...
]  # ("num", text) | ("ref", issue) | ("scale", text, term) | ("sum", signs, terms)
PROP_ISSUES_COUNT = 3


@st.composite
def decimals(draw: st.DrawFn, negative: bool = True) -> str:
    """A decimal literal as an analyst writes it: `7`, `0.25`, `-12.5`."""
    mantissa = draw(st.integers(-2000 if negative else 0, 2000))
    scale = draw(st.integers(0, 3))
    digits = str(abs(mantissa)).rjust(scale + 1, "0")
    text = digits if scale == 0 else f"{digits[:-scale]}.{digits[-scale:]}"
    return f"-{text}" if mantissa < 0 else text


Values = tuple[tuple[str, ...], ...]  # each issue's values as written


@st.composite
def prop_issues(draw: st.DrawFn) -> tuple[tuple[Issue, ...], Values]:
    """Issues x0, x1, x2 with 1-3 strictly increasing decimal values; some apply sometimes."""
    issues, written = [], []
    for i in range(PROP_ISSUES_COUNT):
        values = draw(st.lists(decimals(), min_size=1, max_size=3, unique_by=Fraction))
        values.sort(key=Fraction)
        names = " ".join(f"o{k}" for k in range(len(values)))
        floats = [float(v) for v in values]  # as the loader reads them
        issues.append(_issue(f"x{i}", names, floats, conditional=draw(st.booleans())))
        written.append(tuple(values))
    return tuple(issues), tuple(written)


def _leaves() -> st.SearchStrategy[Term]:
    return st.one_of(
        st.tuples(st.just("num"), decimals()),
        st.tuples(st.just("ref"), st.integers(0, PROP_ISSUES_COUNT - 1)),
    )


def _compound(children: st.SearchStrategy[Term]) -> st.SearchStrategy[Term]:
    signs = st.lists(st.sampled_from("+-"), min_size=1, max_size=3)
    return st.one_of(
        st.tuples(st.just("scale"), decimals(), children),
        signs.flatmap(
            lambda s: st.tuples(
                st.just("sum"), st.just(("+", *s)), st.tuples(*[children] * (len(s) + 1))
            )
        ),
    )


terms = st.recursive(_leaves(), _compound, max_leaves=8)


def render(term: Term, wrap: bool = False) -> str:
    """A term as text; sums are parenthesised where a product or a '-' needs them."""
    kind = term[0]
    if kind == "num":
        return str(term[1])
    if kind == "ref":
        return f"(x{term[1]})" if wrap else f"x{term[1]}"
    if kind == "scale":
        return f"{term[1]} * {render(term[2], wrap=True)}"
    parts = [render(term[2][0])]
    parts += [
        f"{sign} {render(t, wrap=sign == '-')}"
        for sign, t in zip(term[1][1:], term[2][1:], strict=True)
    ]
    text = " ".join(parts)
    return f"({text})" if wrap else text


class _NotApplicable(Exception):
    """An issue of the term is n/a in the package."""


def value(term: Term, written: Values, package: tuple[int, ...]) -> Fraction:
    """The exact value of a term on a package, from the values as written, apart from nposition."""
    kind = term[0]
    if kind == "num":
        return Fraction(term[1])
    if kind == "ref":
        digit = package[term[1]]
        if digit == len(written[term[1]]):
            raise _NotApplicable
        return Fraction(written[term[1]][digit])
    if kind == "scale":
        return Fraction(term[1]) * value(term[2], written, package)
    total = Fraction(0)
    for sign, t in zip(term[1], term[2], strict=True):
        total += value(t, written, package) if sign == "+" else -value(t, written, package)
    return total


def meaning(left: Term, op: str, right: Term, written: Values, package: tuple[int, ...]) -> bool:
    """Whether `left op right` holds on a package; a test touching an n/a issue is false, `!=` true."""
    try:
        diff = value(left, written, package) - value(right, written, package)
    except _NotApplicable:
        return op == "!="
    return {
        "==": diff == 0,
        "!=": diff != 0,
        "<": diff < 0,
        "<=": diff <= 0,
        ">": diff > 0,
        ">=": diff >= 0,
    }[op]


@settings(max_examples=200, deadline=None)
@given(
    prop_issues(), terms, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), terms, st.booleans()
)
def test_holds_equals_exact_fraction_arithmetic(
    case: tuple[tuple[Issue, ...], Values], left: Term, op: str, right: Term, wrap: bool
) -> None:
    """On every package, n/a digits included, `holds` of a random comparison matches fractions."""
    issues, written = case
    right_text = render(right)
    if left[0] == "ref" and right[0] == "ref":
        right_text = f"({right_text})"  # `x0 == x1` would name an option of x0
    text = f"{render(left, wrap)} {op} {right_text}"
    node = resolved(text, issues)
    digits = [range(len(i.options) + (1 if i.na is not None else 0)) for i in issues]
    for package in itertools.product(*digits):
        assert expr.holds(node, package) == meaning(left, op, right, written, package), (
            text,
            package,
        )
