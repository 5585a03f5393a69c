"""The pieces of a report layout: headings, paragraphs, preformatted text and tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple


class Cell(NamedTuple):
    text: str
    tone: str = ""  # "", "good", "bad", "warn" or "dim"


class Heading(NamedTuple):
    text: str


class Para(NamedTuple):
    text: str
    tone: str = ""


class Pre(NamedTuple):
    """Preformatted text, printed as it is (no wrapping)."""

    text: str
    tone: str = ""


class Table(NamedTuple):
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


Block = Heading | Para | Pre | Table


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[str | Cell]]) -> Table:
    return Table(
        title,
        tuple(columns),
        tuple(tuple(c if isinstance(c, Cell) else Cell(c) for c in row) for row in rows),
    )


STATUS_TONE = {
    "agreed": "good",
    "overlap": "warn",
    "conflict": "bad",
    "held": "good",
    "broken": "bad",
    "depends": "warn",
    "n/a": "dim",
    "error": "bad",
    "warning": "warn",
    "pass": "good",
    "fail": "bad",
    "added": "good",
    "removed": "bad",
    "changed": "warn",
}


def tone(text: str) -> Cell:
    return Cell(text, STATUS_TONE.get(text, ""))


def plural(n: int, word: str) -> str:
    """`1 package`, `2,000 packages`."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def package_text(package: dict[str, str]) -> str:
    """A package as `issue=option` lines, readable whatever the options are called."""
    return "\n".join(f"{issue}={option}" for issue, option in package.items())
