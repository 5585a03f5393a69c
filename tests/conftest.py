"""Shared fixtures: the small test cases and the optional ../shared material."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
CASES = TESTS / "data" / "cases"
REPO = TESTS.parent
SHARED = REPO.parent / "shared"

# The cache of parsed files lives in a folder of this run, never the user's ~/.cache; every
# subprocess the tests start inherits it. The cache stays on, so the suite reads through it.
os.environ["NPOSITION_CACHE_DIR"] = tempfile.mkdtemp(prefix="nposition-cache-")
atexit.register(shutil.rmtree, os.environ["NPOSITION_CACHE_DIR"], ignore_errors=True)
os.environ.pop("NPOSITION_NO_CACHE", None)


@pytest.fixture
def cases() -> Path:
    """The folder of small test cases (mini, ...)."""
    return CASES


@pytest.fixture
def shared() -> Path:
    """The shared material beside the checkout; skips the test when absent (a user's clone)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED
