"""Ids for names written elsewhere (GENIUS issues and values): what rule expressions accept."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from nposition.model import expr


def slug(text: str) -> str:
    """Lowercase ASCII letters, digits and single underscores: a name rule expressions accept."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def ids(names: Sequence[str], fallback: str) -> tuple[str, ...]:
    """Distinct ids for names, in order; `fallback` + position for a name with no letter or digit."""
    ids: list[str] = []
    taken: set[str] = set()
    for n, name in enumerate(names, 1):
        ids.append(unique(slug(name) or f"{fallback}{n}", taken))
        taken.add(ids[-1])
    return tuple(ids)


def unique(base: str, taken: set[str] | frozenset[str]) -> str:
    """`base`, made no keyword of the expression language and distinct from `taken`."""
    if base in expr.KEYWORDS:
        base += "_"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name
