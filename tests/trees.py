"""Random expression trees for the tests: drawn, rendered to text, given meaning, resolved.

A tree is a tiny syntax of our own: `("const", bool)`, `("test", issue, op, options)`, a numeric
`("lin", ((issue, coef), ...), constant, op)` meaning `sum(coef x value) + constant <op> 0`, and
connectives `("not" | "paren", child)`, `("and" | "or" | "->", left, right)`. `tree_holds` says
what a tree means on a package straight from the definitions (an n/a issue makes a test false,
except `!=` and `not in`), and `tree_node` builds the resolved node nposition evaluates, by hand
from the contract, without the parser, so each side can be checked against the other.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from nposition.model.case import Issue
from nposition.model.tree import And, Const, Implies, Linear, Member, Node, Not, Or

Package = tuple[int, ...]
Tree = tuple[Any, ...]

ORDERED_OPS = ("<", "<=", ">", ">=")
PLAIN_OPS = ("==", "!=", "in", "not in")
NUMERIC_OPS = ("==", "!=", "<", "<=", ">", ">=")
COEFFICIENTS = (1, 2, -1, 3, -2)
# How tightly each construct binds; an atom (test, constant, parenthesised) binds tightest.
_PREC = {"->": 1, "or": 2, "and": 3, "not": 4}
_ATOM = 5


@dataclass(frozen=True)
class Spec:
    """A generated expression: its text and the tree it was rendered from."""

    text: str
    tree: Tree


@functools.cache
def ints(lo: int, hi: int) -> st.SearchStrategy[int]:
    """An integer strategy, built once and reused: building one costs more than drawing from it."""
    return st.integers(lo, hi)


# --- drawing -----------------------------------------------------------------------------------


def _draw_test(draw: st.DrawFn, issues: Sequence[Issue]) -> Tree:
    # Several choices are packed into one integer: each draw costs tens of microseconds, and an
    # integer still shrinks towards the simplest test (`i0 == o0`).
    i = draw(ints(0, len(issues) - 1))
    k = len(issues[i].options)
    ops = PLAIN_OPS + (ORDERED_OPS if issues[i].ordered else ())
    code = draw(ints(0, len(ops) * (2 << k) - 1))
    op, rest = ops[code % len(ops)], code // len(ops)
    if op not in ("in", "not in"):
        return ("test", i, op, (rest % k,))
    mask = (rest >> 1) % ((1 << k) - 1) + 1
    options = [o for o in range(k) if mask >> o & 1]
    if rest & 1:  # listed out of order, with a repeat: `[o2, o0, o2]`
        options = [*options[::-1], options[-1]]
    return ("test", i, op, tuple(options))


def _draw_linear(draw: st.DrawFn, valued: Sequence[int]) -> Tree:
    """A numeric test over one or two issues with values, small coefficients and constant."""
    code = draw(ints(0, 2 * len(COEFFICIENTS) ** 2 * len(NUMERIC_OPS) * 13 - 1))
    count, code = code % 2 + 1, code // 2
    terms = []
    for _ in range(count):
        terms.append((valued[draw(ints(0, len(valued) - 1))], COEFFICIENTS[code % 5]))
        code //= 5
    op, code = NUMERIC_OPS[code % len(NUMERIC_OPS)], code // len(NUMERIC_OPS)
    return ("lin", tuple(terms), code % 13 - 6, op)


def draw_tree(draw: st.DrawFn, issues: Sequence[Issue], max_leaves: int = 4) -> Tree:
    """A random small expression tree over `issues`: tests, rarely constants, and connectives.

    Issues whose options carry values also get numeric tests. Hand-rolled rather than
    `st.recursive`, which is several times slower to draw from.
    """
    valued = [i for i, issue in enumerate(issues) if issue.has_values]

    def build(leaves: int) -> Tree:
        node: Tree
        if leaves > 1:
            code = draw(ints(0, 3 * (leaves - 1) * 8 - 1))
            rest = code // 8
            split = rest // 3 + 1
            node = (("and", "or", "->")[rest % 3], build(split), build(leaves - split))
        else:
            code = draw(ints(0, 79))
            if code >= 72:
                node = ("const", code >= 76)
            elif valued and code >= 56:
                node = _draw_linear(draw, valued)
            else:
                node = _draw_test(draw, issues)
        wrapper = code % 8  # mostly none; sometimes `not`, rarely parentheses
        if wrapper >= 6:
            node = ("not", node)
        elif wrapper == 5:
            node = ("paren", node)
        return node

    return build(draw(ints(1, max_leaves)))


def draw_spec(draw: st.DrawFn, issues: Sequence[Issue], max_leaves: int = 4) -> Spec:
    """A random expression over `issues`, as text and tree."""
    tree = draw_tree(draw, issues, max_leaves)
    return Spec(render(tree, issues)[0], tree)


# --- text --------------------------------------------------------------------------------------


def render(tree: Tree, issues: Sequence[Issue]) -> tuple[str, int]:
    """The text of a tree and how tightly it binds, parenthesising only where precedence needs."""
    match tree:
        case ("const", value):
            return ("true" if value else "false"), _ATOM
        case ("test", i, op, options):
            issue = issues[i]
            names = [issue.options[o].id for o in options]
            if op in ("in", "not in"):
                return f"{issue.id} {op} [{', '.join(names)}]", _ATOM
            return f"{issue.id} {op} {names[0]}", _ATOM
        case ("lin", terms, constant, op):
            parts = [f"{'-' if c < 0 else '+'} {abs(c)} * {issues[i].id}" for i, c in terms]
            left = " ".join(parts).removeprefix("+ ")
            return f"{left} {op} {-constant}", _ATOM
        case ("paren", child):
            return f"({render(child, issues)[0]})", _ATOM
        case ("not", child):
            return f"not {_wrap(child, issues, _PREC['not'])}", _PREC["not"]
        case ("->", left, right):
            # right-associative: `a -> b -> c` is `a -> (b -> c)`
            lhs = _wrap(left, issues, _PREC["->"] + 1)
            return f"{lhs} -> {_wrap(right, issues, _PREC['->'])}", _PREC["->"]
        case (("and" | "or") as op, left, right):
            prec = _PREC[op]
            return f"{_wrap(left, issues, prec)} {op} {_wrap(right, issues, prec)}", prec
    raise AssertionError(tree)


def _wrap(tree: Tree, issues: Sequence[Issue], needed: int) -> str:
    text, prec = render(tree, issues)
    return text if prec >= needed else f"({text})"


# --- meaning -----------------------------------------------------------------------------------

_COMPARE = {
    "==": lambda x, o: x == o,
    "!=": lambda x, o: x != o,
    "<": lambda x, o: x < o,
    "<=": lambda x, o: x <= o,
    ">": lambda x, o: x > o,
    ">=": lambda x, o: x >= o,
}


def tree_holds(tree: Tree, package: Package, issues: Sequence[Issue] = ()) -> bool:
    """Evaluate a tree on a package of digits, straight from the meaning of each operator.

    `issues` tell which digit is n/a and the options' values; without them no issue is n/a.
    """
    match tree:
        case ("const", value):
            return bool(value)
        case ("test", i, op, options):
            if issues and package[i] == issues[i].na:
                return op in ("!=", "not in")
            if op in ("in", "not in"):
                return (package[i] in options) == (op == "in")
            return bool(_COMPARE[op](package[i], options[0]))
        case ("lin", terms, constant, op):
            digits = [package[i] for i, _ in terms]
            if any(d == issues[i].na for (i, _), d in zip(terms, digits, strict=True)):
                return op == "!="
            total = constant + sum(
                c * issues[i].options[d].value for (i, c), d in zip(terms, digits, strict=True)
            )
            return bool(_COMPARE[op](total, 0))
        case ("paren", child):
            return tree_holds(child, package, issues)
        case ("not", child):
            return not tree_holds(child, package, issues)
        case ("and", left, right):
            return tree_holds(left, package, issues) and tree_holds(right, package, issues)
        case ("or", left, right):
            return tree_holds(left, package, issues) or tree_holds(right, package, issues)
        case ("->", left, right):
            return not tree_holds(left, package, issues) or tree_holds(right, package, issues)
    raise AssertionError(tree)


def tree_node(tree: Tree, issues: Sequence[Issue]) -> Node:
    """The resolved node of a tree, built from the contract (n/a digits, integer tables)."""
    match tree:
        case ("const", value):
            return Const(bool(value))
        case ("test", i, op, options):
            issue = issues[i]
            every = range(len(issue.options))
            if op in ("in", "not in"):
                chosen = {o for o in every if (o in options) == (op == "in")}
            else:
                chosen = {o for o in every if _COMPARE[op](o, options[0])}
            if issue.na is not None and op in ("!=", "not in"):
                chosen.add(issue.na)
            return Member(i, frozenset(chosen))
        case ("lin", terms, constant, op):
            return Linear(tuple((i, c, value_table(issues[i])) for i, c in terms), constant, op)
        case ("paren", child):
            return tree_node(child, issues)
        case ("not", child):
            return Not(tree_node(child, issues))
        case ("and", left, right):
            return And((tree_node(left, issues), tree_node(right, issues)))
        case ("or", left, right):
            return Or((tree_node(left, issues), tree_node(right, issues)))
        case ("->", left, right):
            return Implies(tree_node(left, issues), tree_node(right, issues))
    raise AssertionError(tree)


def value_table(issue: Issue) -> tuple[int | None, ...]:
    """An issue's option values as integers by digit, None for its n/a digit (if it has one)."""
    values = tuple(int(o.value) for o in issue.options if o.value is not None)
    return values + ((None,) if issue.na is not None else ())
