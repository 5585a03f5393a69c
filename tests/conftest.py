"""Shared fixtures: the small test cases and the optional ../shared material."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
CASES = TESTS / "data" / "cases"
REPO = TESTS.parent
SHARED = REPO.parent / "shared"


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
