"""The chunked layout and the batches of large spaces, on small spaces with tiny chunks."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nposition.engine import grid
from nposition.engine.grid import batches, layout
from nposition.engine.space import Space
from tests.oracle import bit_positions
from tests.strategies import issue_lists

FAST = settings(max_examples=60, deadline=None)


@FAST
@given(issues=issue_lists(v2=True), chunk=st.integers(1, 40))
def test_chunks_tile_the_space(issues, chunk):
    """Chunks are whole blocks of the trailing issues, at most `chunk` packages unless the last
    issue alone is larger, and they tile the raw space."""
    space = Space(issues)
    cut = layout(space, chunk)
    assert cut.length == math.prod(space.sizes[cut.inner :])
    assert cut.length * cut.chunks == space.raw_size
    assert cut.length <= chunk or cut.inner == len(space.sizes) - 1
    for number in range(cut.chunks):
        first = space.package(number * cut.length)
        assert cut.outer(space, number) == first[: cut.inner]
        assert space.package((number + 1) * cut.length - 1)[: cut.inner] == first[: cut.inner]


@FAST
@given(issues=issue_lists(v2=True), data=st.data())
def test_batches_hold_every_package_once_in_order(issues, data):
    """Dense or sparse, chunk by chunk or listed, batches give each package of a set once, in
    index order, with masks and digits that match it."""
    space = Space(issues)
    bits = data.draw(st.integers(0, space.full), label="bits") & space.full
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(grid, "CHUNK", data.draw(st.integers(1, 30), label="chunk"))
        patch.setattr(grid, "DENSE", data.draw(st.sampled_from([1, 4, 1 << 30]), label="dense"))
        found = []
        for batch in batches(space, bits):
            indices = batch.indices.tolist()
            found += indices
            if batch.digits is not None:
                for i in range(len(space.sizes)):
                    assert batch.digits.of(i).tolist() == [space.package(k)[i] for k in indices]
            elif batch.select is not None:
                start = batch.chunk * layout(space).length
                assert [start + k for k in batch.select.nonzero()[0].tolist()] == indices
    assert found == bit_positions(bits)
