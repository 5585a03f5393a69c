"""`nposition validate`: every file of a case checked at once: case, parties, scenarios, checks."""

from __future__ import annotations

from typing import NamedTuple

from nposition.errors import Problem, Severity


class Validation(NamedTuple):
    """The outcome of `nposition validate`: the case, every problem found in its files, and how
    many are errors and warnings (kept when the problems are printed elsewhere)."""

    case: str
    problems: tuple[Problem, ...]
    errors: int
    warnings: int

    @classmethod
    def of(cls, case: str, problems: list[Problem]) -> Validation:
        """The report of these problems, sorted by place."""
        ordered = tuple(sorted(problems, key=Problem.sort_key))
        errors = sum(1 for p in ordered if p.severity is Severity.ERROR)
        return cls(case, ordered, errors, len(ordered) - errors)
