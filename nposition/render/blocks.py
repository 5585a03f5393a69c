"""The pieces of a report layout: headings, paragraphs, preformatted text and tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from nposition.engine.bargaining import Solution
from nposition.errors import visible
from nposition.model.case import number

if TYPE_CHECKING:
    from nposition.reports.results import Package, UtilityPoint


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
    """A table block; plain strings become untoned cells."""
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
    """A status word coloured by what it means (`held` good, `broken` bad, ...)."""
    return Cell(text, STATUS_TONE.get(text, ""))


def plural(n: int, word: str) -> str:
    """`1 package`, `2,000 packages`."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def num(x: float) -> str:
    """A cost, weight or utility as reports print it: as JSON shows it."""
    return str(number(x))


def package_text(package: Package) -> str:
    """A package as `issue=option` lines, readable whatever the options are called."""
    return "\n".join(f"{issue}={option}" for issue, option in package.items() if option)


def package_line(package: Package) -> str:
    """A package on one line: `issue=option, issue=option`."""
    return ", ".join(f"{issue}={option}" for issue, option in package.items() if option)


def option_text(option: str | None) -> str:
    """An option as tables print it; `n/a` where the issue does not apply."""
    return option or NA


NA = "n/a"


def utilities_text(utilities: Mapping[str, float]) -> str:
    """Each party's utility to three decimals: `japan 0.500, russia 0.750`."""
    return ", ".join(f"{party} {utility(u)}" for party, u in utilities.items())


def utility(u: float) -> str:
    """A utility or reservation as every table prints it: three decimals."""
    return f"{u:.3f}"


def point_text(point: UtilityPoint | None) -> str:
    """A package (issue=option lines) and each party's utility of it."""
    if point is None:
        return "-"
    return f"{package_text(point.package)}\n({utilities_text(point.utilities)})"


# How reports name the bargaining solutions.
SOLUTION_NAMES = {
    Solution.NASH: "Nash",
    Solution.KALAI_SMORODINSKY: "Kalai-Smorodinsky",
    Solution.EGALITARIAN: "egalitarian",
    Solution.UTILITARIAN: "utilitarian",
}


def clean(block: Block) -> Block:
    """A block with every control character of its texts made visible (see `errors.visible`)."""
    if isinstance(block, Table):
        return Table(
            visible(block.title),
            tuple(visible(c) for c in block.columns),
            tuple(tuple(Cell(visible(c.text), c.tone) for c in row) for row in block.rows),
        )
    return block._replace(text=visible(block.text))
