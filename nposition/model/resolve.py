"""Name resolution and evaluation of expressions: tests become `Member`s, members hold or not.

`resolve` checks the names of a parsed tree against the case's issues and turns every test into a
`Member` (an issue and the set of option indices that satisfy it), the only form the engine
evaluates; `holds` evaluates a resolved tree on one package.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from nposition.errors import suggest
from nposition.model.tree import And, Const, ExprError, Implies, Member, Node, Not, Or, Test

if TYPE_CHECKING:
    from nposition.model.case import Issue

_ORDERED = ("<", "<=", ">", ">=")


def resolve(node: Node, issues: Sequence[Issue]) -> tuple[Node, list[ExprError]]:
    """Check names against `issues` and replace tests by `Member`s; collect every name error."""
    by_id = {issue.id: i for i, issue in enumerate(issues)}
    errors: list[ExprError] = []

    def go(n: Node) -> Node:
        match n:
            case Test():
                return _resolve_test(n, issues, by_id, errors)
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


def _resolve_test(
    test: Test, issues: Sequence[Issue], by_id: dict[str, int], errors: list[ExprError]
) -> Node:
    index = by_id.get(test.issue)
    if index is None:
        errors.append(
            ExprError(
                f"unknown issue '{test.issue}' ({suggest(test.issue, list(by_id))})",
                test.issue_start,
                test.issue_start + len(test.issue),
            )
        )
        return Const(True)
    issue = issues[index]
    option_ids = [o.id for o in issue.options]
    positions: list[int] = []
    for name, start in zip(test.options, test.option_starts, strict=True):
        if name in option_ids:
            positions.append(option_ids.index(name))
        else:
            errors.append(
                ExprError(
                    f"unknown option '{name}' for issue '{issue.id}' ({suggest(name, option_ids)})",
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
    return Member(index, _allowed(test.op, positions, len(option_ids)))


def _allowed(op: str, positions: list[int], count: int) -> frozenset[int]:
    """The option indices (of `count`) that satisfy `op` against the options at `positions`."""
    every = frozenset(range(count))
    pivot = positions[0]
    return {
        "==": frozenset({pivot}),
        "!=": every - {pivot},
        "<": frozenset(range(pivot)),
        "<=": frozenset(range(pivot + 1)),
        ">": frozenset(range(pivot + 1, count)),
        ">=": frozenset(range(pivot, count)),
        "in": frozenset(positions),
        "not in": every - set(positions),
    }[op]


def holds(node: Node, package: Sequence[int]) -> bool:
    """Evaluate a resolved expression on one package (a tuple of option indices)."""
    match node:
        case Member(issue, allowed):
            return package[issue] in allowed
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
    """Every resolved test in an expression."""
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
