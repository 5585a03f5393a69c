"""Property tests for the numpy frontier: every way of finding it against comparing every pair."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nposition.engine import frontier
from nposition.engine.frontier import Pool, best_total, distinct, pareto
from nposition.engine.utility import Values

FAST = settings(max_examples=80, deadline=None)
LEVELS = (0.0, 0.25, 0.5, 0.75, 1.0)  # few values: ties and duplicate rows are the rule


@st.composite
def rows(draw: st.DrawFn, max_parties: int = 4) -> list[tuple[float, ...]]:
    """Up to 60 utility vectors over a few values, so that many tie or repeat."""
    parties = draw(st.integers(1, max_parties))
    vector = st.tuples(*([st.sampled_from(LEVELS)] * parties))
    return draw(st.lists(vector, min_size=1, max_size=60))


def brute(points: list[tuple[float, ...]]) -> list[bool]:
    """On the frontier: no other vector at least as good everywhere and better somewhere."""

    def dominates(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
        return all(x >= y for x, y in zip(a, b, strict=True)) and a != b

    return [not any(dominates(q, p) for q in points) for p in points]


def columns(points: list[tuple[float, ...]]) -> list[np.ndarray]:
    return [np.array(col, dtype=np.float64) for col in zip(*points, strict=True)]


@FAST
@given(points=rows())
def test_pareto_matches_brute_force(points):
    """The mask keeps exactly the non-dominated rows, every copy of a tied vector included."""
    assert pareto(columns(points)).tolist() == brute(points)


@FAST
@given(points=rows(), all_pairs=st.booleans())
def test_both_eliminations_agree(points, all_pairs):
    """All-against-all comparison and elimination from the best sum find the same frontier."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(frontier, "ALL_PAIRS", 1 << 20 if all_pairs else 0)
        assert pareto(columns(points)).tolist() == brute(points)


@FAST
@given(points=rows())
def test_hash_collisions_cannot_merge_vectors(points):
    """With every row hashed alike, the distinct vectors are still exactly the distinct rows."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(frontier, "_MIX", (0,))
        group, first = distinct(columns(points))
    assert len(first) == len(set(points))
    for row, g in zip(points, group.tolist(), strict=True):
        assert points[int(first[g])] == row


@FAST
@given(points=rows(), data=st.data())
def test_streaming_in_batches_finds_the_same_frontier(points, data):
    """Rows fed to a pool in batches (sampled, filtered, reduced) give the one-pass frontier."""
    cuts = sorted(data.draw(st.sets(st.integers(1, len(points)), max_size=5)) | {len(points)})
    cols = columns(points)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(frontier, "SEED_FROM", data.draw(st.sampled_from([1, 4, 1 << 20])))
        patch.setattr(frontier, "SAMPLE", data.draw(st.integers(1, 5)))
        patch.setattr(frontier, "POOL", data.draw(st.sampled_from([0, 3, 1 << 20])))
        pool = Pool(len(points[0]))
        start = 0
        for end in cuts:
            pool.add(np.arange(start, end), [c[start:end] for c in cols])
            start = end
        indices, utilities = pool.result()
    keep = brute(points)
    assert indices.tolist() == [i for i, k in enumerate(keep) if k]
    for col, got in zip(cols, utilities, strict=True):
        assert got.tolist() == col[indices].tolist()


@FAST
@given(points=rows(), data=st.data())
def test_best_total_is_the_first_largest_sum(points, data):
    """The package with the largest sum of utilities; ties go to the lowest index."""
    cut = data.draw(st.integers(0, len(points)))
    cols = columns(points)
    batches = [
        Values(np.arange(a, b), tuple(c[a:b] for c in cols))
        for a, b in ((0, cut), (cut, len(points)))
    ]
    totals = [sum(p) for p in points]
    assert best_total(batches) == totals.index(max(totals))


def test_no_rows_no_frontier():
    """An empty set of rows has an empty frontier, and an empty pool returns nothing."""
    assert pareto([np.zeros(0), np.zeros(0)]).tolist() == []
    indices, utilities = Pool(2).result()
    assert indices.tolist() == []
    assert [u.tolist() for u in utilities] == [[], []]
    assert best_total([]) is None


@pytest.mark.parametrize("parties", [2, 3])
def test_contenders_keep_every_exact_tie(parties):
    """Vectors equal on paper but a grid step apart in floats all reach the exact judge."""
    third = 1 / 3
    near = [third, third + 1e-12, third - 1e-12, 0.2]
    cols = [np.array(near)] + [np.array([0.5] * 4)] * (parties - 1)
    found = frontier.contenders(cols, (0.0,) * parties, [1.0] * parties)
    assert {name: got.tolist() for name, got in found.items()} == {
        "nash": [0, 1, 2],
        "kalai_smorodinsky": [0, 1, 2],
        "egalitarian": [0, 1, 2],
        "utilitarian": [0, 1, 2],
    }
