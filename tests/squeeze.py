"""The code paths of large spaces, forced on small ones by shrinking every threshold.

A small random case is checked against the brute force in milliseconds; the paths that only
spaces of millions of packages take (numpy, several chunks, sparse batches, masks, the streamed
frontier, the pre-selection of solution candidates, lists for small sets) are reached by setting
the thresholds that choose them to their extremes. Each entry of `PATHS` is one such setting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from nposition.engine import bargaining, frontier, grid, space, utility

# name: {module attribute: value}; "plain" keeps everything as shipped (small spaces: plain Python)
SETTINGS: dict[str, dict[tuple[object, str], object]] = {
    "plain": {},
    "numpy": {(utility, "NUMPY_FROM"): 1},
    "chunks": {
        (utility, "NUMPY_FROM"): 1,
        (grid, "CHUNK"): 3,  # several chunks, the outer issues fixed per chunk
        (grid, "DENSE"): 1 << 30,  # every set summed in whole chunks
        (frontier, "SEED_FROM"): 2,  # two parties: seeded from a sample, filtered batch by batch
        (frontier, "SAMPLE"): 2,
        (frontier, "POOL"): 2,  # the pool reduced after nearly every batch
        (frontier, "ALL_PAIRS"): 0,  # more parties: elimination one vector at a time
        (bargaining, "EXACT_ALL"): 0,  # solutions: numpy picks the contenders first
    },
    "sparse": {
        (utility, "NUMPY_FROM"): 1,
        (grid, "CHUNK"): 2,  # sparse batches of at most two packages
        (grid, "DENSE"): 1,  # no set is dense
        (grid, "MAX_TABLE"): 1,  # every `require` preference a mask
        (grid, "MAX_SHARED"): 0,  # the scale by a scan, chunk by chunk
        (bargaining, "EXACT_ALL"): 0,
    },
    "listed": {
        (utility, "NUMPY_FROM"): 1,
        (space, "SPARSE_SPACE"): 0,  # small sets as lists: boxes, first packages, utilities
        (space, "CACHE_DIGITS"): 0,  # and digit bitsets made again rather than all kept
        (space, "KEEP_DIGITS"): 1,
        (utility, "MAX_CELLS"): 0,
        (bargaining, "EXACT_ALL"): 0,
    },
}
PATHS = pytest.mark.parametrize("path", list(SETTINGS))


@contextmanager
def taking(path: str) -> Iterator[None]:
    """Within the block, the code paths of `path` (a key of SETTINGS)."""
    with pytest.MonkeyPatch.context() as patch:
        for (module, name), value in SETTINGS[path].items():
            patch.setattr(module, name, value)
        yield
