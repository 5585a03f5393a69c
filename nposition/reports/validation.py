"""`nposition validate`: every file of a case checked at once: case, parties, scenarios, checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nposition.errors import Problem, Severity


@dataclass(frozen=True, slots=True)
class Validation:
    """The outcome of `nposition validate`: the case and every problem found in its files."""

    case: str
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "ok": self.errors == 0,
            "errors": self.errors,
            "warnings": self.warnings,
            "problems": [
                {
                    "file": p.location.path,
                    "line": p.location.line,
                    "column": p.location.column,
                    "severity": p.severity.value,
                    "message": p.message,
                    "detail": p.detail,
                }
                for p in self.problems
            ],
        }
