"""Property tests for the bitset outcome space against a brute-force enumeration of packages."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nposition.engine import space as space_module
from nposition.engine.space import Space, _doubled, _repeat
from nposition.errors import Location, SpaceTooLargeError
from nposition.limits import memory_needed
from nposition.model import expr
from nposition.model.case import Constraint, Issue, Option
from nposition.model.tree import Const, Expression, Member
from tests.oracle import World, all_packages, bit_positions, node_holds, satisfying
from tests.strategies import CASES, FAST, expression, issue_lists, random_cases, specs
from tests.trees import draw_tree, tree_holds, tree_node


@st.composite
def issues_and_spec(draw: st.DrawFn):
    issues = draw(issue_lists())
    return issues, draw(specs(issues, max_leaves=6))


@FAST
@given(issue_lists())
def test_option_bits_match_brute_force(issues):
    """Bit i of an option's bitset is set iff the i-th package in product order has that option."""
    space = Space(issues)
    packages = all_packages(issues)
    assert space.size == len(packages)
    assert space.full == (1 << len(packages)) - 1
    for i, issue in enumerate(issues):
        for o in range(len(issue.options)):
            expected = [k for k, p in enumerate(packages) if p[i] == o]
            assert bit_positions(space.option_bits(i, o)) == expected


@FAST
@given(issues_and_spec())
def test_parsed_expression_means_what_its_text_says(case):
    """Parsing and resolving a rendered expression gives the meaning of the tree it came from."""
    issues, spec = case
    node = expression(spec.text, issues).node
    space = Space(issues)
    packages = all_packages(issues)
    expected = [k for k, p in enumerate(packages) if tree_holds(spec.tree, p)]
    assert [k for k, p in enumerate(packages) if expr.holds(node, p)] == expected, spec.text
    assert bit_positions(space.eval(node)) == expected, spec.text


@CASES
@given(random_cases())
def test_rule_bits_match_brute_force(case):
    """Every rule's bitset (when false or require true) equals the brute-force package set."""
    space = Space(case.issues)
    packages = all_packages(case.issues)
    for rule in case.rules:
        assert bit_positions(space.rule_bits(rule)) == sorted(satisfying(rule, packages))
        applies = [
            k for k, p in enumerate(packages) if rule.when is None or expr.holds(rule.when.node, p)
        ]
        assert bit_positions(space.applies_bits(rule)) == applies


@CASES
@given(random_cases(), st.data())
def test_all_of_matches_brute_force(case, data):
    """`all_of` of any subset of rules is the intersection of their brute-force sets."""
    space = Space(case.issues)
    packages = all_packages(case.issues)
    rules = data.draw(st.lists(st.sampled_from(case.rules), unique=True)) if case.rules else []
    expected = set(range(len(packages)))
    for rule in rules:
        expected &= satisfying(rule, packages)
    assert bit_positions(space.all_of(rules)) == sorted(expected)


@settings(max_examples=8, deadline=None)
@given(issue_lists(min_issues=5, max_issues=6, max_options=5), st.data())
def test_bitsets_of_larger_spaces(issues, data):
    """On spaces of up to 15,625 packages, option and rule bitsets still equal brute force."""
    space = Space(issues)
    packages = all_packages(issues)
    i = data.draw(st.integers(0, len(issues) - 1), label="issue")
    o = data.draw(st.integers(0, len(issues[i].options) - 1), label="option")
    assert bit_positions(space.option_bits(i, o)) == [
        k for k, p in enumerate(packages) if p[i] == o
    ]
    spec = data.draw(specs(issues, max_leaves=5), label="expression")
    node = expression(spec.text, issues).node
    assert bit_positions(space.eval(node)) == [
        k for k, p in enumerate(packages) if tree_holds(spec.tree, p)
    ]
    assert space.package(space.size - 1) == packages[-1]
    assert space.index(packages[-1]) == space.size - 1


@FAST
@given(issue_lists())
def test_index_and_package_round_trip(issues):
    """`package(i)` is the i-th package in product order and `index` inverts it."""
    space = Space(issues)
    for k, package in enumerate(all_packages(issues)):
        assert space.package(k) == package
        assert space.index(package) == k


@FAST
@given(issue_lists(), st.data())
def test_indices_are_increasing_and_limited(issues, data):
    """`indices(bits, limit)` yields the set bits in increasing order, at most `limit` of them."""
    space = Space(issues)
    bits = data.draw(st.integers(0, space.full))
    limit = data.draw(st.none() | st.integers(0, space.size + 2))
    expected = bit_positions(bits)
    if limit is not None:
        expected = expected[:limit]
    assert list(space.indices(bits, limit)) == expected


@FAST
@given(issue_lists(), st.data())
def test_fixing_matches_brute_force(issues, data):
    """`fixing` of a partial package is exactly the packages that complete it."""
    space = Space(issues)
    chosen = data.draw(st.lists(st.integers(0, len(issues) - 1), unique=True))
    fixed = {i: data.draw(st.integers(0, len(issues[i].options) - 1)) for i in chosen}
    expected = [
        k for k, p in enumerate(all_packages(issues)) if all(p[i] == o for i, o in fixed.items())
    ]
    assert bit_positions(space.fixing(fixed)) == expected


def _issues(sizes):
    return tuple(
        Issue(f"i{i}", f"Issue {i}", tuple(Option(f"o{j}", f"o{j}") for j in range(n)))
        for i, n in enumerate(sizes)
    )


def test_space_over_the_limit_fails_at_once():
    """A space over the limit raises SpaceTooLargeError before allocating anything per package."""
    issues = _issues([100] * 8)  # 10**16 packages: a bitset would need over a petabyte
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(SpaceTooLargeError, match="10,000,000,000,000,000 packages"):
            Space(issues, limit=1000)
        with pytest.raises(SpaceTooLargeError):
            Space(issues)  # the default limit
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - start < 1.0
    assert peak < 1_000_000


def test_space_limit_is_inclusive():
    """A space exactly at the limit is built; one package more is refused."""
    issues = _issues([3, 4])
    assert Space(issues, limit=12).size == 12
    with pytest.raises(SpaceTooLargeError):
        Space(issues, limit=11)


def test_space_limit_from_environment(monkeypatch):
    """NPOSITION_MAX_PACKAGES sets the default limit."""
    monkeypatch.setenv("NPOSITION_MAX_PACKAGES", "11")
    with pytest.raises(SpaceTooLargeError):
        Space(_issues([3, 4]))
    monkeypatch.setenv("NPOSITION_MAX_PACKAGES", "12")
    assert Space(_issues([3, 4])).size == 12


# --- version 2: issues that apply sometimes, constraints, numbers, fallbacks ---------------------


@st.composite
def v2_issues_and_tree(draw: st.DrawFn):
    issues = draw(issue_lists(v2=True))
    return issues, draw_tree(draw, issues, max_leaves=6)


@FAST
@given(v2_issues_and_tree())
def test_hand_resolved_nodes_mean_what_the_trees_say(case):
    """A tree resolved by hand (n/a digits, value tables) means on every raw package what it says."""
    issues, tree = case
    node = tree_node(tree, issues)
    space = Space(issues)
    packages = all_packages(issues)
    expected = [k for k, p in enumerate(packages) if tree_holds(tree, p, issues)]
    assert [k for k, p in enumerate(packages) if node_holds(node, p)] == expected
    assert bit_positions(space.eval_raw(node)) == expected


@CASES
@given(random_cases(v2=True))
def test_v2_space_matches_brute_force(case):
    """Raw size, digit counts, the existing packages, and every level of every rule, as brute force."""
    world = World(case)
    space = Space.of(case)
    assert space.raw_size == len(world.packages)
    assert space.sizes == tuple(len(i.options) + (i.applies_when is not None) for i in case.issues)
    assert [space.na(i) for i in range(len(case.issues))] == [i.na for i in case.issues]
    assert bit_positions(space.full) == sorted(world.existing)
    assert space.size == len(world.existing)
    for rule in case.rules:
        for k in range(len(rule.fallbacks) + 2):
            assert bit_positions(space.level_bits(rule, k)) == sorted(world.accepts(rule, k))
        assert space.rule_bits(rule) == space.level_bits(rule, 0)
        if rule.when is not None:
            applies = {k for k in world.existing if node_holds(rule.when.node, world.packages[k])}
            assert bit_positions(space.applies_bits(rule)) == sorted(applies)


@CASES
@given(random_cases(v2=True), st.data())
def test_v2_bitsets_lie_within_the_existing_packages(case, data):
    """Every bitset the space hands out (options, members, expressions) lies within `full`."""
    space = Space.of(case)
    tree = draw_tree(data.draw, case.issues)
    assert space.eval(tree_node(tree, case.issues)) & ~space.full == 0
    assert space.eval(Const(True)) == space.full
    for i, size in enumerate(space.sizes):
        options = [space.option_bits(i, d) for d in range(size)]
        assert all(bits & ~space.full == 0 for bits in options)
        union = 0
        for bits in options:
            assert not union & bits
            union |= bits
        assert union == space.full
        assert space.applicable(i) == space.full & ~(
            space.option_bits(i, space.na(i)) if space.na(i) is not None else 0
        )


@FAST
@given(issue_lists(v2=True))
def test_v2_index_and_package_round_trip(issues):
    """`package(i)` gives raw digits (n/a included) in product order; `index` inverts it."""
    space = Space(issues)
    for k, package in enumerate(all_packages(issues)):
        assert space.package(k) == package
        assert space.index(package) == k
        assert space.exists(package) == bool(space.full >> k & 1)


def test_limit_counts_the_na_digit():
    """The limit applies to the raw space, where an issue that applies sometimes has one more digit."""
    issues = (*_issues([3]), Issue("i1", "Issue 1", _issues([4])[0].options, applies_when=TRUE))
    assert Space(issues, limit=15).raw_size == 15
    with pytest.raises(
        SpaceTooLargeError,
        match=r"15 combinations of options \(n/a counted as an option\) \(3 x 5\)",
    ):
        Space(issues, limit=14)


def test_chained_conditions_and_a_constraint():
    """`b` applies when `a` is o1, `c` when `b` is o1; a constraint removes one more package."""
    a, b, c = _issues([2, 2, 2])
    b = Issue(b.id, b.title, b.options, applies_when=_expr(Member(0, frozenset({1}))))
    c = Issue(c.id, c.title, c.options, applies_when=_expr(Member(1, frozenset({1}))))
    limit = Constraint("no-c1", "not c1", _expr(Member(2, frozenset({0, 2}))))
    space = Space((a, b, c), constraints=(limit,))
    named = [space.package(k) for k in space.indices(space.full)]
    # a=o0: b and c n/a; a=o1: b=o0 and c n/a, or b=o1 and c=o0 (c=o1 is ruled out)
    assert named == [(0, 2, 2), (1, 0, 2), (1, 1, 0)]
    assert space.size == 3
    assert space.raw_size == 2 * 3 * 3
    assert Space((a, b, c)).size == 4


TRUE = Expression("true", Const(True), Location("test"))


def _expr(node):
    return Expression("(built)", node, Location("test"))


@CASES
@given(random_cases(v2=True))
def test_absence_says_why_a_package_does_not_exist(case):
    """`absence` is empty exactly for existing packages and names what the others break."""
    world = World(case)
    space = Space.of(case)
    for k, package in enumerate(world.packages):
        why = space.absence(package)
        assert bool(why) == (k not in world.existing)
        for c in case.constraints:
            assert (c.id in why.constraints) == (not node_holds(c.require.node, package))
        for i, issue in enumerate(case.issues):
            applies = issue.applies_when is not None and node_holds(
                issue.applies_when.node, package
            )
            assert (i in why.na_where_applies) == (applies and package[i] == issue.na)
            conditional = issue.applies_when is not None
            assert (i in why.option_where_na) == (
                conditional and not applies and package[i] != issue.na
            )


def test_refusal_says_how_much_memory_the_space_would_need():
    """Over the limit, the message gives a rough memory need that grows with the rules."""
    issues = _issues([5] * 12)
    with pytest.raises(SpaceTooLargeError, match=r"would take roughly 1\.5 GiB of memory"):
        Space(issues, limit=1000, red_lines=30)
    assert memory_needed(5**12, 30) < memory_needed(5**12, 40) < memory_needed(5**13, 40)


@given(block=st.integers(0, (1 << 12) - 1), period=st.integers(12, 40), times=st.integers(0, 200))
def test_periodic_bitsets_by_bytes_equal_doubling(block, period, times):
    """A pattern repeated by bytes is the pattern repeated by doubling, for any period and count."""
    assert _repeat(block, period, times) == _doubled(block, period, times)


@given(issues=issue_lists(v2=True), data=st.data())
def test_first_packages_through_a_narrow_window(issues, data):
    """The first `limit` packages of a set are the same when looked for in a growing window."""
    space = Space(issues)
    bits = data.draw(st.integers(0, space.full), label="bits") & space.full
    limit = data.draw(st.integers(1, 8), label="limit")
    want = bit_positions(bits)[:limit]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(space_module, "_WINDOW", 1)
        assert list(space.indices(bits, limit)) == want
