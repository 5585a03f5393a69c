"""Name resolution and evaluation of expressions: tests become `Member`s and `Linear`s, which hold or not.

`resolve` checks the names of a parsed tree against the case's issues and turns every test into a
`Member` (an issue and the set of digits that satisfy it) and every numeric comparison into a
`Linear` (exact integer arithmetic on the options' values), the forms the engine evaluates; `holds`
evaluates a resolved tree on one package.

A package gives each issue a digit: an option index, or `issue.na` (one past the options) where a
conditional issue does not apply. A test on an n/a issue is false, except `!=` and `not in`, which
are true: their `Member` includes the n/a digit, and a `Linear` with `!=` holds where any of its
issues is n/a.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from nposition.errors import suggest
from nposition.model.tree import (
    And,
    Compare,
    Const,
    ExprError,
    Implies,
    Linear,
    Member,
    Node,
    Not,
    Num,
    Or,
    Ref,
    Test,
)

if TYPE_CHECKING:
    from nposition.model.case import Issue

_ORDERED = ("<", "<=", ">", ">=")
_COMPARISONS = ("==", "!=", *_ORDERED)


def resolve(node: Node, issues: Sequence[Issue]) -> tuple[Node, list[ExprError]]:
    """Check names against `issues`, replace tests by `Member`s and `Linear`s; collect every error."""
    by_id = {issue.id: i for i, issue in enumerate(issues)}
    errors: list[ExprError] = []

    def go(n: Node) -> Node:
        match n:
            case Test():
                return _resolve_test(n, issues, by_id, errors)
            case Compare():
                return _numeric(n, issues, by_id, errors)
            case Not(arg):
                return Not(go(arg))
            case And(args):
                return And(tuple(go(a) for a in args))
            case Or(args):
                return Or(tuple(go(a) for a in args))
            case Implies(left, right):
                return Implies(go(left), go(right))
        return n

    return go(node), errors


def _numeric(
    compare: Compare, issues: Sequence[Issue], by_id: dict[str, int], errors: list[ExprError]
) -> Node:
    # Imported here: only cases that compare numbers pay for loading the arithmetic.
    from nposition.model.linear import linear

    return linear(compare, issues, by_id, errors)


def _as_compare(test: Test) -> Compare:
    """A version-1-shaped comparison read as numbers: digits alone are a number, a name an issue."""
    sides = [(test.issue, test.issue_start), (test.options[0], test.option_starts[0])]
    left, right = (Num(t, s) if t.isdigit() else Ref(t, s) for t, s in sides)
    return Compare(left, test.op, right)


def _resolve_test(
    test: Test, issues: Sequence[Issue], by_id: dict[str, int], errors: list[ExprError]
) -> Node:
    index = by_id.get(test.issue)
    compares = test.op in _COMPARISONS
    if index is None and compares and test.issue.isdigit():  # `5 <= wage`
        return _numeric(_as_compare(test), issues, by_id, errors)
    if index is None:
        errors.append(unknown_issue(test.issue, test.issue_start, by_id))
        return Const(True)
    issue = issues[index]
    if compares and issue.has_values and test.options[0].isdigit():  # `wage >= 2`
        return _number(test, issue, issues, by_id, errors)
    index_of = option_index(issue)
    positions: list[int] = []
    for name, start in zip(test.options, test.option_starts, strict=True):
        if name in index_of:
            positions.append(index_of[name])
        elif compares and name.isdigit():  # `year == 2000`: no such option, and no values
            message = f"{no_values(issue.id, start).message} ({suggest(name, list(index_of))})"
            errors.append(ExprError(message, start, start + len(name)))
        else:
            hint = f"; to compare the values of two issues, write '{issue.id} - {name} {test.op} 0'"
            known = suggest(name, list(index_of)) + (hint if compares and name in by_id else "")
            errors.append(
                ExprError(
                    f"unknown option '{name}' for issue '{issue.id}' ({known})",
                    start,
                    start + len(name),
                )
            )
    if len(positions) != len(test.options):
        return Const(True)
    if test.op in _ORDERED and not issue.ordered:
        errors.append(
            ExprError(
                f"'{test.op}' needs an ordered issue, and '{issue.id}' is not "
                "(add `ordered: true` to it, or use '==', '!=', 'in')",
                test.issue_start,
                test.option_starts[0] + len(test.options[0]),
            )
        )
        return Const(True)
    return Member(index, _allowed(test.op, positions, len(index_of), issue.na))


def _number(
    test: Test,
    issue: Issue,
    issues: Sequence[Issue],
    by_id: dict[str, int],
    errors: list[ExprError],
) -> Node:
    """`ISSUE op DIGITS` on an issue with values: a number, unless an option says otherwise."""
    text, start = test.options[0], test.option_starts[0]
    option = next((o for o in issue.options if o.id == text), None)
    if option is not None and option.value != int(text):
        shown = repr(option.value).removesuffix(".0")
        errors.append(
            ExprError(
                f"'{text}' is a number here (issue '{issue.id}' has values) and also an option "
                f"of '{issue.id}' whose value is {shown}: compare with {shown} "
                f"to mean the option, or write '{issue.id} in [{text}]'",
                start,
                start + len(text),
            )
        )
        return Const(True)
    return _numeric(_as_compare(test), issues, by_id, errors)


def unknown_issue(name: str, start: int, by_id: Mapping[str, int]) -> ExprError:
    """The error for a name that is no issue of the case, with a suggestion."""
    return ExprError(
        f"unknown issue '{name}' ({suggest(name, list(by_id))})", start, start + len(name)
    )


def no_values(issue_id: str, start: int) -> ExprError:
    """The error for arithmetic on, or a numeric comparison of, an issue without values."""
    return ExprError(
        f"issue '{issue_id}' has no values: give its options `value:` to compare it with numbers",
        start,
        start + len(issue_id),
    )


def _allowed(op: str, positions: list[int], count: int, na: int | None) -> frozenset[int]:
    """The digits (of `count` options, and `na`) that satisfy `op` against those at `positions`.

    Only the set asked for is built: `==` and `in` cost their own size, not the issue's.
    """
    pivot = positions[0]
    if op == "==":
        return frozenset((pivot,))
    if op == "in":
        return frozenset(positions)
    if op in ("<", "<=", ">", ">="):
        low, high = {"<": (0, pivot), "<=": (0, pivot + 1), ">": (pivot + 1, count)}.get(
            op, (pivot, count)
        )
        return frozenset(range(low, high))
    out = set(range(count)) - set(positions)  # '!=' and 'not in': also true where n/a
    if na is not None:
        out.add(na)
    return frozenset(out)


_INDEXES: dict[int, tuple[Issue, dict[str, int]]] = {}


def option_index(issue: Issue) -> dict[str, int]:
    """`{option id: index}` of an issue, built once per issue object (rules test it often)."""
    found = _INDEXES.get(id(issue))
    if found is None or found[0] is not issue:
        if len(_INDEXES) > 4096:
            _INDEXES.clear()
        found = _INDEXES[id(issue)] = (issue, {o.id: k for k, o in enumerate(issue.options)})
    return found[1]


def holds(node: Node, package: Sequence[int]) -> bool:
    """Evaluate a resolved expression on one package (a digit per issue, n/a digits included)."""
    match node:
        case Member(issue, allowed):
            return package[issue] in allowed
        case Linear(terms, constant):
            total = constant
            for issue, coef, table in terms:
                value = table[package[issue]]
                if value is None:  # the issue is n/a
                    return node.op == "!="
                total += coef * value
            return node.test(total)
        case Const(value):
            return value
        case Not(arg):
            return not holds(arg, package)
        case And(args):
            return all(holds(a, package) for a in args)
        case Or(args):
            return any(holds(a, package) for a in args)
        case Implies(left, right):
            return not holds(left, package) or holds(right, package)
    raise TypeError(f"unresolved expression node {node!r}")


def members(node: Node) -> Iterator[Member]:
    """Every `Member` in a resolved expression (numeric tests are `Linear`s, not yielded)."""
    match node:
        case Member():
            yield node
        case Not(arg):
            yield from members(arg)
        case And(args) | Or(args):
            for a in args:
                yield from members(a)
        case Implies(left, right):
            yield from members(left)
            yield from members(right)


def touched_issues(node: Node) -> Iterator[int]:
    """The index of every issue a resolved expression tests, through `Member`s and `Linear`s.

    An issue is yielded once per test that touches it, in the order of the tests.
    """
    match node:
        case Member(issue):
            yield issue
        case Linear(terms):
            yield from (issue for issue, _, _ in terms)
        case Not(arg):
            yield from touched_issues(arg)
        case And(args) | Or(args):
            for a in args:
                yield from touched_issues(a)
        case Implies(left, right):
            yield from touched_issues(left)
            yield from touched_issues(right)
