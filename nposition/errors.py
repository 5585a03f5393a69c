"""Errors raised by nposition; the CLI catches `NPositionError` once and exits 2.

`Location` and `Problem` are `NamedTuple`s, not dataclasses: every command loads this module and
builds a location per rule, and a dataclass costs about half a millisecond to generate at import.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import NamedTuple


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Location(NamedTuple):
    """A place in an input file; line and column are 1-based, 0 when unknown."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path

    def shifted(self, columns: int) -> Location:
        """The same line, `columns` characters further right."""
        return Location(self.path, self.line, self.column + columns)


class Problem(NamedTuple):
    """One located finding of validation: an error or a warning."""

    location: Location
    severity: Severity
    message: str
    detail: str = ""  # e.g. the expression with a caret under the offending character

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        text = f"{self.location}: {prefix}{self.message}"
        return f"{text}\n{self.detail}" if self.detail else text

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.path, self.location.line, self.location.column, self.message)


class NPositionError(Exception):
    """Base of every error nposition reports to a user."""


class LoadError(NPositionError):
    """A case, scenario or expectation file could not be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(str(p) for p in self.problems if p.severity is Severity.ERROR))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


class UsageError(NPositionError):
    """A command was given arguments that do not fit the case (unknown party, bad KEY=OPTION...)."""


class SpaceTooLargeError(NPositionError):
    """The outcome space exceeds the configured limit."""


def suggest(name: str, known: Sequence[str]) -> str:
    """`did you mean 'x'?` text for a misspelt name, or the list of known names."""
    import difflib  # only on the error path: keeps start-up cheap

    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
    return f"known: {shown}"


# Control characters a position file may carry into names and messages (C0 but tab and newline,
# DEL, C1): shown as `\x1b` so that no terminal, CI log or XML reader acts on them.
_VISIBLE = {c: f"\\x{c:02x}" for c in (*range(9), *range(11, 32), *range(0x7F, 0xA0))}
_VISIBLE |= {c: f"\\u{c:04x}" for c in (0xFFFE, 0xFFFF, *range(0xD800, 0xE000))}


def visible(text: str) -> str:
    """The text with every control character (but tab and newline) written as `\\xNN`."""
    return text.translate(_VISIBLE)
