"""Numeric tests as bitsets: the recursion over partial sums and the numpy sums, against brute force."""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nposition.engine import linear
from nposition.engine.space import Space
from nposition.model.case import Issue, Option
from nposition.model.tree import Linear
from tests.oracle import all_packages, bit_positions, node_holds
from tests.strategies import expression


def _issues(sizes):
    return tuple(
        Issue(f"i{i}", f"Issue {i}", tuple(Option(f"o{j}", f"o{j}") for j in range(n)))
        for i, n in enumerate(sizes)
    )


@st.composite
def linear_tests(draw: st.DrawFn):
    """Issues (some with an n/a digit) and a numeric test with up to 4 terms on random tables."""
    sizes = draw(st.lists(st.integers(1, 5), min_size=1, max_size=4))
    conditional = draw(st.lists(st.booleans(), min_size=len(sizes), max_size=len(sizes)))
    issues = tuple(
        Issue(
            f"i{i}",
            f"Issue {i}",
            tuple(Option(f"o{j}", f"o{j}") for j in range(n)),
            applies_when=expression("true", ()) if c else None,
        )
        for i, (n, c) in enumerate(zip(sizes, conditional, strict=True))
    )
    terms = []
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(issues) - 1))
        table = draw(st.lists(st.integers(-4, 4), min_size=sizes[i], max_size=sizes[i]))
        na = (None,) if conditional[i] else ()
        terms.append((i, draw(st.sampled_from([1, -1, 2, -3])), (*table, *na)))
    op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]))
    return issues, Linear(tuple(terms), draw(st.integers(-8, 8)), op)


@pytest.mark.parametrize(
    ("numpy_from", "max_steps"), [(1 << 30, 1 << 30), (0, 0)], ids=["recursion", "numpy"]
)
@settings(max_examples=200, deadline=None)
@given(case=linear_tests())
def test_numeric_tests_match_brute_force(numpy_from, max_steps, case):
    """A numeric test holds on exactly the raw packages brute force finds (n/a: only `!=`)."""
    issues, node = case
    packages = all_packages(issues)
    expected = [k for k, p in enumerate(packages) if node_holds(node, p)]
    with mock.patch.multiple(linear, NUMPY_FROM=numpy_from, MAX_STEPS=max_steps):
        assert bit_positions(Space(issues).eval_raw(node)) == expected


def test_numeric_test_with_huge_values_sums_exactly():
    """Totals beyond 64 bits are summed exactly on the numpy path too."""
    issues = _issues([2, 3])
    big = 1 << 70
    node = Linear(((0, 1, (0, big)), (1, -1, (0, big, big + 1))), 0, ">=")
    with mock.patch.multiple(linear, NUMPY_FROM=0, MAX_STEPS=0):
        found = bit_positions(Space(issues).eval_raw(node))
    assert found == [0, 3, 4]
