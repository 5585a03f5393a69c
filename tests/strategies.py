"""Hypothesis strategies for small random cases, and the plain brute-force oracle the tests use.

Expressions are generated as a tiny syntax tree of our own (`Spec.tree`), rendered to TEXT with the
fewest parentheses the precedence rules allow (plus some redundant ones), and only then parsed and
resolved by nposition, so the parser and the resolver are exercised by every case. The tree gives an
evaluator independent of `nposition.model.expr`; the brute force below otherwise evaluates rules with
`expr.holds` on packages enumerated by `itertools.product`, never with `Space` bitsets.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from nposition.errors import Location
from nposition.model import expr
from nposition.model.case import Case, Issue, Option, Party, Rule, RuleKind, Source
from nposition.model.tree import Expression

Package = tuple[int, ...]
Tree = tuple[Any, ...]  # ("const", bool) | ("test", issue, op, options) | (op, *children)

ORDERED_OPS = ("<", "<=", ">", ">=")
PLAIN_OPS = ("==", "!=", "in", "not in")
COSTS = (1, 2, 3, 0.5, 1.5, 4)
WEIGHTS = (1, 2, 3, 0.5, 1.5, 0.25)
# How tightly each construct binds; an atom (test, constant, parenthesised) binds tightest.
_PREC = {"->": 1, "or": 2, "and": 3, "not": 4}
_ATOM = 5


@dataclass(frozen=True)
class Spec:
    """A generated expression: its text and the tree it was rendered from."""

    text: str
    tree: Tree


@functools.cache
def _ints(lo: int, hi: int) -> st.SearchStrategy[int]:
    # Strategies are built once and reused: building one costs more than drawing from it.
    return st.integers(lo, hi)


# --- issues ------------------------------------------------------------------------------------


FAST = settings(max_examples=60, deadline=None)  # cheap examples: bare issues or bitsets
CASES = settings(max_examples=40, deadline=None)  # whole random cases


@st.composite
def issue_lists(
    draw: st.DrawFn, min_issues: int = 2, max_issues: int = 4, max_options: int = 4
) -> tuple[Issue, ...]:
    """Issues `i0, i1, ...` (2-4 by default) with 2-4 options `o0, o1, ...`, some ordered."""
    n = draw(_ints(min_issues, max_issues))
    out = []
    for i in range(n):
        k = draw(_ints(2, max_options))
        options = tuple(Option(f"o{j}", f"Option {j} of issue {i}") for j in range(k))
        out.append(Issue(f"i{i}", f"Issue {i}", options, ordered=draw(_ints(0, 1)) == 1))
    return tuple(out)


# --- expressions -------------------------------------------------------------------------------


def _draw_test(draw: st.DrawFn, issues: Sequence[Issue]) -> Tree:
    # Several choices are packed into one integer: each draw costs tens of microseconds, and an
    # integer still shrinks towards the simplest test (`i0 == o0`).
    i = draw(_ints(0, len(issues) - 1))
    k = len(issues[i].options)
    ops = PLAIN_OPS + (ORDERED_OPS if issues[i].ordered else ())
    code = draw(_ints(0, len(ops) * (2 << k) - 1))
    op, rest = ops[code % len(ops)], code // len(ops)
    if op not in ("in", "not in"):
        return ("test", i, op, (rest % k,))
    mask = (rest >> 1) % ((1 << k) - 1) + 1
    options = [o for o in range(k) if mask >> o & 1]
    if rest & 1:  # listed out of order, with a repeat: `[o2, o0, o2]`
        options = [*options[::-1], options[-1]]
    return ("test", i, op, tuple(options))


def draw_tree(draw: st.DrawFn, issues: Sequence[Issue], max_leaves: int = 4) -> Tree:
    """A random small expression tree over `issues`: tests, rarely constants, and connectives.

    Hand-rolled rather than `st.recursive`, which is several times slower to draw from.
    """

    def build(leaves: int) -> Tree:
        node: Tree
        if leaves > 1:
            code = draw(_ints(0, 3 * (leaves - 1) * 8 - 1))
            rest = code // 8
            split = rest // 3 + 1
            node = (("and", "or", "->")[rest % 3], build(split), build(leaves - split))
        else:
            code = draw(_ints(0, 79))
            node = ("const", code >= 76) if code >= 72 else _draw_test(draw, issues)
        wrapper = code % 8  # mostly none; sometimes `not`, rarely parentheses
        if wrapper >= 6:
            node = ("not", node)
        elif wrapper == 5:
            node = ("paren", node)
        return node

    return build(draw(_ints(1, max_leaves)))


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


def tree_holds(tree: Tree, package: Package) -> bool:
    """Evaluate a generated tree on a package, straight from the meaning of each operator."""
    match tree:
        case ("const", value):
            return bool(value)
        case ("test", i, op, options):
            x, o = package[i], options[0]
            return {
                "==": x == o,
                "!=": x != o,
                "<": x < o,
                "<=": x <= o,
                ">": x > o,
                ">=": x >= o,
                "in": x in options,
                "not in": x not in options,
            }[op]
        case ("paren", child):
            return tree_holds(child, package)
        case ("not", child):
            return not tree_holds(child, package)
        case ("and", left, right):
            return tree_holds(left, package) and tree_holds(right, package)
        case ("or", left, right):
            return tree_holds(left, package) or tree_holds(right, package)
        case ("->", left, right):
            return not tree_holds(left, package) or tree_holds(right, package)
    raise AssertionError(tree)


def draw_spec(draw: st.DrawFn, issues: Sequence[Issue], max_leaves: int = 4) -> Spec:
    """A random expression over `issues`, as text and tree."""
    tree = draw_tree(draw, issues, max_leaves)
    return Spec(render(tree, issues)[0], tree)


@st.composite
def specs(draw: st.DrawFn, issues: Sequence[Issue], max_leaves: int = 4) -> Spec:
    """Random expressions over `issues`, as text and tree."""
    return draw_spec(draw, issues, max_leaves)


def expression(text: str, issues: Sequence[Issue]) -> Expression:
    """Parse and resolve an expression; generated expressions must resolve without errors."""
    node, errors = expr.resolve(expr.parse(text), issues)
    assert not errors, (text, [e.message for e in errors])
    return Expression(text, node, Location("test"))


# --- cases -------------------------------------------------------------------------------------

SOURCE = Source(who="Test Speaker", date="2024-01-01", where="test", quote="a quote")


def make_rule(
    party: str,
    rule_id: str,
    kind: RuleKind,
    require: str,
    issues: Sequence[Issue],
    when: str | None = None,
    cost: float = 1.0,
    weight: float = 1.0,
) -> Rule:
    """A rule built from expression texts."""
    return Rule(
        party=party,
        id=rule_id,
        kind=kind,
        text=f"{kind.value} {rule_id} of {party}",
        require=expression(require, issues),
        source=SOURCE,
        when=None if when is None else expression(when, issues),
        cost=cost,
        weight=weight,
    )


def make_case(issues: Sequence[Issue], parties: dict[str, list[Rule]]) -> Case:
    """A case from its issues and `{party id: rules}`."""
    return Case(
        id="random",
        title="A random case",
        issues=tuple(issues),
        parties=tuple(
            Party(pid, f"Party {pid.upper()}", tuple(rules)) for pid, rules in parties.items()
        ),
    )


def _draw_rules(
    draw: st.DrawFn, party: str, issues: Sequence[Issue], max_red_lines: int, max_preferences: int
) -> list[Rule]:
    counts = draw(_ints(0, (max_red_lines + 1) * (max_preferences + 1) - 1))
    red, prefs = counts % (max_red_lines + 1), counts // (max_red_lines + 1)
    out = []
    for k in range(red + prefs):
        kind = RuleKind.RED_LINE if k < red else RuleKind.PREFERENCE
        code = draw(_ints(0, 9 * len(COSTS) * len(WEIGHTS) - 1))
        # a letter in front so that sorting by id differs from the order of the rules
        rule_id = f"{'amz'[code % 3]}-{k}"
        has_when = code // 3 % 3 == 2
        cost = COSTS[code // 9 % len(COSTS)]
        weight = WEIGHTS[code // 9 // len(COSTS)]
        require = draw_spec(draw, issues).text
        when = draw_spec(draw, issues, max_leaves=2).text if has_when else None
        out.append(make_rule(party, rule_id, kind, require, issues, when, cost, weight))
    if len(out) > 1:  # interleave the kinds: rotate, and maybe reverse
        order = draw(_ints(0, 2 * len(out) - 1))
        out = out[order // 2 :] + out[: order // 2]
        out = out[::-1] if order % 2 else out
    return out


@st.composite
def random_cases(
    draw: st.DrawFn,
    min_parties: int = 2,
    max_parties: int = 3,
    max_red_lines: int = 5,
    max_preferences: int = 3,
) -> Case:
    """A small random case: 2-4 issues, 2-3 parties with 0-5 red lines and 0-3 preferences each."""
    issues = draw(issue_lists())
    n = draw(_ints(min_parties, max_parties))
    parties = {
        f"p{k}": _draw_rules(draw, f"p{k}", issues, max_red_lines, max_preferences)
        for k in range(n)
    }
    return make_case(issues, parties)


# --- the brute-force oracle --------------------------------------------------------------------


def all_packages(issues: Sequence[Issue]) -> list[Package]:
    """Every package in lexicographic order (issue 0 most significant): package i is entry i."""
    return list(itertools.product(*(range(len(i.options)) for i in issues)))


def rule_holds(rule: Rule, package: Package) -> bool:
    """A rule holds where its `when` is false or its `require` is true."""
    if rule.when is not None and not expr.holds(rule.when.node, package):
        return True
    return expr.holds(rule.require.node, package)


def satisfying(rule: Rule, packages: Sequence[Package]) -> frozenset[int]:
    """The positions of the packages where a rule holds."""
    return frozenset(k for k, p in enumerate(packages) if rule_holds(rule, p))


def passing(rules: Iterable[Rule], packages: Sequence[Package]) -> frozenset[int]:
    """The positions of the packages where every rule holds."""
    rules = list(rules)
    return frozenset(k for k, p in enumerate(packages) if all(rule_holds(r, p) for r in rules))


def bit_positions(bits: int) -> list[int]:
    """The set bits of an integer, increasing, one test at a time (no engine code)."""
    return [k for k in range(bits.bit_length()) if bits >> k & 1]


def to_bits(positions: Iterable[int]) -> int:
    """A set of positions as an integer bitset."""
    out = 0
    for k in positions:
        out |= 1 << k
    return out


def brute_utilities(party: Party, packages: Sequence[Package]) -> list[float]:
    """A party's scaled utility of every package, summed the slow way."""
    raw = [sum(r.weight for r in party.preferences if rule_holds(r, p)) for p in packages]
    top = max(raw)
    return [x / top if top else 1.0 for x in raw]


def subsets(n: int) -> Iterable[int]:
    """Every subset of n positions as a bitmask."""
    return range(1 << n)
