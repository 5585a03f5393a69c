"""Hypothesis strategies for small random cases; the brute force they are checked against.

Version-1 cases (`random_cases()`) have expressions rendered to text and then parsed and resolved
by nposition, so the parser and the resolver are exercised by every case. Version-2 cases
(`random_cases(v2=True)`) add issues that apply only sometimes (`applies_when` over earlier
issues), option values with numeric tests, constraints, value-function preferences and red lines
with fallbacks (each `the level above or something more`); their expressions are resolved by hand
from the contract (`trees.tree_node`), since the parser for numbers lives elsewhere.

The brute-force oracle is `tests.oracle`; the names older tests import from here are re-exported.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import settings
from hypothesis import strategies as st

from nposition.errors import Location
from nposition.model import expr
from nposition.model.case import (
    Case,
    Constraint,
    Fallback,
    Issue,
    Option,
    Party,
    Rule,
    RuleKind,
    Scores,
    Source,
)
from nposition.model.tree import Expression
from tests.oracle import (
    all_packages,
    bit_positions,
    brute_utilities,
    passing,
    rule_holds,
    satisfying,
    subsets,
    to_bits,
)
from tests.trees import Spec, Tree, draw_spec, draw_tree, ints, render, tree_holds, tree_node

__all__ = [  # the brute force and the trees, re-exported for the tests that import them from here
    "all_packages",
    "bit_positions",
    "brute_utilities",
    "passing",
    "render",
    "rule_holds",
    "satisfying",
    "subsets",
    "to_bits",
    "tree_holds",
]

COSTS = (1, 2, 3, 0.5, 1.5, 4)
WEIGHTS = (1, 2, 3, 0.5, 1.5, 0.25)
SCORES = (0, 0.25, 0.5, 1, 0, 1)
FAST = settings(max_examples=60, deadline=None)  # cheap examples: bare issues or bitsets
CASES = settings(max_examples=40, deadline=None)  # whole random cases
SOURCE = Source(who="Test Speaker", date="2024-01-01", where="test", quote="a quote")
HERE = Location("test")


# --- issues ------------------------------------------------------------------------------------


@st.composite
def issue_lists(
    draw: st.DrawFn,
    min_issues: int = 2,
    max_issues: int = 4,
    max_options: int = 4,
    v2: bool = False,
) -> tuple[Issue, ...]:
    """Issues `i0, i1, ...` (2-4 by default) with 2-4 options `o0, o1, ...`, some ordered.

    With `v2`, some ordered issues carry integer values, and some issues after the first apply
    only when a random expression over the earlier issues holds.
    """
    n = draw(ints(min_issues, max_issues))
    out: list[Issue] = []
    for i in range(n):
        k = draw(ints(2, max_options))
        code = draw(ints(0, 11)) if v2 else 0
        ordered = draw(ints(0, 1)) == 1
        values: list[float | None] = [None] * k
        if v2 and ordered and code % 2:  # integer values, rising by 1 or 2
            values = [
                float(code // 2 % 3 - 1 + j + sum((code + m) % 2 for m in range(j)))
                for j in range(k)
            ]
        options = tuple(Option(f"o{j}", f"Option {j} of issue {i}", values[j]) for j in range(k))
        issue = Issue(f"i{i}", f"Issue {i}", options, ordered=ordered)
        if i and code >= 8:
            spec = draw_spec(draw, out, max_leaves=2)
            applies = Expression(spec.text, tree_node(spec.tree, out), HERE)
            issue = Issue(issue.id, issue.title, options, ordered, applies_when=applies)
        out.append(issue)
    return tuple(out)


# --- expressions -------------------------------------------------------------------------------


@st.composite
def specs(draw: st.DrawFn, issues: Sequence[Issue], max_leaves: int = 4) -> Spec:
    """Random expressions over `issues`, as text and tree."""
    return draw_spec(draw, issues, max_leaves)


def expression(text: str, issues: Sequence[Issue]) -> Expression:
    """Parse and resolve an expression; generated expressions must resolve without errors."""
    node, errors = expr.resolve(expr.parse(text), issues)
    assert not errors, (text, [e.message for e in errors])
    return Expression(text, node, HERE)


def built(tree: Tree, issues: Sequence[Issue]) -> Expression:
    """An expression resolved by hand from a tree (no parser), with its rendered text."""
    return Expression(render(tree, issues)[0], tree_node(tree, issues), HERE)


# --- cases -------------------------------------------------------------------------------------


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


def make_case(
    issues: Sequence[Issue],
    parties: dict[str, list[Rule]],
    constraints: Sequence[Constraint] = (),
    status_quo: tuple[int, ...] | None = None,
) -> Case:
    """A case from its issues and `{party id: rules}`."""
    return Case(
        id="random",
        title="A random case",
        issues=tuple(issues),
        parties=tuple(
            Party(pid, f"Party {pid.upper()}", tuple(rules)) for pid, rules in parties.items()
        ),
        status_quo=status_quo,
        constraints=tuple(constraints),
    )


def _draw_fallbacks(
    draw: st.DrawFn, issues: Sequence[Issue], tree: Tree, cost: float
) -> tuple[Fallback, ...]:
    """0-2 fallbacks, each `(the level above) or something more`, costs rising up to `cost`."""
    count = draw(ints(0, 5)) // 2 % 3  # none half the time
    shares = ((), (0.5,), (0.25, 1.0))[count]
    out = []
    for share in shares:
        tree = ("or", ("paren", tree), draw_tree(draw, issues, max_leaves=2))
        out.append(Fallback(built(tree, issues), cost * share, text=f"fallback of cost {share}"))
    return tuple(out)


def _draw_v2_rule(
    draw: st.DrawFn, party: str, rule_id: str, kind: RuleKind, issues: Sequence[Issue]
) -> Rule:
    code = draw(ints(0, 3 * len(COSTS) * len(WEIGHTS) - 1))
    cost, weight = COSTS[code % len(COSTS)], WEIGHTS[code // len(COSTS) % len(WEIGHTS)]
    text = f"{kind.value} {rule_id} of {party}"
    if kind is RuleKind.PREFERENCE and code // 36 == 2:  # a value function
        i = draw(ints(0, len(issues) - 1))
        picks = [draw(ints(0, len(SCORES) - 1)) for _ in issues[i].options]
        scores = Scores(i, tuple(float(SCORES[p]) for p in picks), f"i{i}: scores {picks}")
        return Rule(party, rule_id, kind, text, None, SOURCE, weight=weight, scores=scores)
    tree = draw_tree(draw, issues)
    when = None
    if kind is RuleKind.RED_LINE and code // 36 == 1:
        when = built(draw_tree(draw, issues, max_leaves=2), issues)
    fallbacks = _draw_fallbacks(draw, issues, tree, cost) if kind is RuleKind.RED_LINE else ()
    return Rule(
        party, rule_id, kind, text, built(tree, issues), SOURCE, when, cost, weight,
        fallbacks=fallbacks,
    )  # fmt: skip


def _draw_rules(
    draw: st.DrawFn,
    party: str,
    issues: Sequence[Issue],
    max_red_lines: int,
    max_preferences: int,
    v2: bool,
) -> list[Rule]:
    counts = draw(ints(0, (max_red_lines + 1) * (max_preferences + 1) - 1))
    red, prefs = counts % (max_red_lines + 1), counts // (max_red_lines + 1)
    out = []
    for k in range(red + prefs):
        kind = RuleKind.RED_LINE if k < red else RuleKind.PREFERENCE
        code = draw(ints(0, 9 * len(COSTS) * len(WEIGHTS) - 1))
        # a letter in front so that sorting by id differs from the order of the rules
        rule_id = f"{'amz'[code % 3]}-{k}"
        if v2:
            out.append(_draw_v2_rule(draw, party, rule_id, kind, issues))
            continue
        has_when = code // 3 % 3 == 2
        cost = COSTS[code // 9 % len(COSTS)]
        weight = WEIGHTS[code // 9 // len(COSTS)]
        require = draw_spec(draw, issues).text
        when = draw_spec(draw, issues, max_leaves=2).text if has_when else None
        out.append(make_rule(party, rule_id, kind, require, issues, when, cost, weight))
    if len(out) > 1:  # interleave the kinds: rotate, and maybe reverse
        order = draw(ints(0, 2 * len(out) - 1))
        out = out[order // 2 :] + out[: order // 2]
        out = out[::-1] if order % 2 else out
    return out


def _draw_constraints(draw: st.DrawFn, issues: Sequence[Issue]) -> tuple[Constraint, ...]:
    """0-2 constraints, mostly of a shape that leaves some packages: `a -> b`, `not (a and b)`."""
    out = []
    for k in range(draw(ints(0, 4)) // 2):
        tree = draw_tree(draw, issues, max_leaves=2)
        if tree[0] in ("and", "or", "->") and draw(ints(0, 1)):
            tree = ("not", ("and", tree[1], tree[2]))
        out.append(Constraint(f"c{k}", f"constraint {k}", built(tree, issues), location=HERE))
    return tuple(out)


@st.composite
def random_cases(
    draw: st.DrawFn,
    min_parties: int = 2,
    max_parties: int = 3,
    max_red_lines: int = 5,
    max_preferences: int = 3,
    v2: bool = False,
) -> Case:
    """A small random case: 2-4 issues, 2-3 parties with 0-5 red lines and 0-3 preferences each.

    With `v2`, every feature of file format version 2 may appear (see the module docstring).
    """
    issues = draw(issue_lists(v2=v2))
    n = draw(ints(min_parties, max_parties))
    parties = {
        f"p{k}": _draw_rules(draw, f"p{k}", issues, max_red_lines, max_preferences, v2)
        for k in range(n)
    }
    constraints = _draw_constraints(draw, issues) if v2 else ()
    return make_case(issues, parties, constraints)
