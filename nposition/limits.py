"""Limits that keep every command bounded: the size of an outcome space, the size of a file."""

from __future__ import annotations

import os

from nposition.errors import UsageError

MAX_FILE_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_PACKAGES = 50_000_000


def max_packages() -> int:
    """The configured size limit: NPOSITION_MAX_PACKAGES, or the default."""
    raw = os.environ.get("NPOSITION_MAX_PACKAGES", "").strip()
    if not raw:
        return DEFAULT_MAX_PACKAGES
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18 or int(raw) == 0:
        raise UsageError(f"NPOSITION_MAX_PACKAGES={raw!r}: expected a positive whole number")
    return int(raw)
