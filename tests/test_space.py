"""Property tests for the bitset outcome space against a brute-force enumeration of packages."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nposition.engine.space import Space
from nposition.errors import SpaceTooLargeError
from nposition.model import expr
from nposition.model.case import Issue, Option
from tests.strategies import (
    CASES,
    FAST,
    all_packages,
    bit_positions,
    expression,
    issue_lists,
    random_cases,
    satisfying,
    specs,
    tree_holds,
)


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
