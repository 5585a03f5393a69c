"""Limits that keep every command bounded: the size of an outcome space, the size of a file."""

from __future__ import annotations

import os

from nposition.errors import UsageError

MAX_FILE_BYTES = 5 * 1024 * 1024
# The largest outcome space analysed by default: 5^12 (244 million packages, 30 red lines) takes
# 9-11 s and 1.5 GiB on a 2-core machine (see README, "Development"); a space twice as large, or
# one with many more rules, would not stay within 20 s and 4 GiB.
DEFAULT_MAX_PACKAGES = 250_000_000


def max_packages() -> int:
    """The configured size limit: NPOSITION_MAX_PACKAGES, or the default."""
    raw = os.environ.get("NPOSITION_MAX_PACKAGES", "").strip()
    if not raw:
        return DEFAULT_MAX_PACKAGES
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18 or int(raw) == 0:
        raise UsageError(f"NPOSITION_MAX_PACKAGES={raw!r}: expected a positive whole number")
    return int(raw)


def memory_needed(raw_size: int, rules: int) -> int:
    """Roughly the peak memory, in bytes, of analysing a space of `raw_size` raw packages with
    `rules` red lines, fallback levels and constraints.

    Each of them is a bitset of one bit a package, held for the whole analysis; the search for
    conflicts and concessions holds about half as many again (intersections, each red line over
    the raw space for the constraints), and digits, zones and numpy's chunks a few more; the
    interpreter, numpy and the case take about 100 MiB. Measured with `bench/scale.py` at 5^12
    (244 million packages): 30 red lines, 1.50 GiB (49 bits a package over the base; estimated
    51); with `--v2` (293 million raw, 30 red lines, 10 fallbacks, 1 constraint), 2.52 GiB (71
    bits; estimated 67); no red lines, 2 or 3 parties bargaining over every package, 0.13-0.18
    GiB (estimated 0.27).
    """
    return raw_size * (3 * rules + 12) // 16 + (100 << 20)
