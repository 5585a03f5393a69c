"""Limits that keep every command bounded: the size of an outcome space, the size of a file."""

from __future__ import annotations

import os

from nposition.errors import UsageError

MAX_FILE_BYTES = 5 * 1024 * 1024
# The largest outcome space analysed by default: 5^12 (244 million packages, 30 red lines) takes
# under 10 s and 1.3 GiB on a 2-core machine (see README, "Development"); a space twice as large,
# or one with many more rules, would not stay within a minute and 4 GiB.
DEFAULT_MAX_PACKAGES = 250_000_000


def max_packages() -> int:
    """The configured size limit: NPOSITION_MAX_PACKAGES, or the default."""
    raw = os.environ.get("NPOSITION_MAX_PACKAGES", "").strip()
    if not raw:
        return DEFAULT_MAX_PACKAGES
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18 or int(raw) == 0:
        raise UsageError(f"NPOSITION_MAX_PACKAGES={raw!r}: expected a positive whole number")
    return int(raw)
