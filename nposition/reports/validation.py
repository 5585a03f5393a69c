"""`nposition validate`: every file of a case checked at once: case, parties, scenarios, checks."""

from __future__ import annotations

from typing import NamedTuple

from nposition.errors import Problem, Severity


class Validation(NamedTuple):
    """The outcome of `nposition validate`: the case and every problem found in its files."""

    case: str
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors
