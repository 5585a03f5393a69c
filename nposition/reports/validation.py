"""`nposition validate`: every file of a case checked at once: case, parties, scenarios, checks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nposition.engine.lint import contradictions, lint
from nposition.engine.space import Space
from nposition.errors import LoadError, Location, Problem, Severity, SpaceTooLargeError
from nposition.formats.case_file import CASE_FILE, CHECKS_FILE, read_case
from nposition.model.case import Case


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


def validate(case_dir: Path, limit: int | None = None) -> Validation:
    """Load a case, its scenarios and its checks file, and lint them; problems sorted by place."""
    case, problems = read_case(case_dir)
    if case is not None:
        try:
            space = Space(case.issues, limit)
        except SpaceTooLargeError as e:
            problems.append(Problem(Location(str(case_dir / CASE_FILE)), Severity.ERROR, str(e)))
        else:
            problems += lint(case, space)
            problems += _scenarios_and_checks(case, case_dir, space)
    name = case.id if case is not None else case_dir.name
    return Validation(name, tuple(sorted(problems, key=Problem.sort_key)))


def _scenarios_and_checks(case: Case, case_dir: Path, space: Space) -> list[Problem]:
    from nposition.formats import scenario_file as scenarios
    from nposition.reports.checks import read_checks

    problems: list[Problem] = []
    cases: dict[str, Case] = {scenarios.BASELINE: case}
    names = scenarios.scenario_names(case_dir)
    for name in names:
        path = scenarios.scenario_path(case_dir, name)
        found, trouble = scenarios.read_scenario(path, case)
        problems += trouble
        if found is None:
            continue
        changed = scenarios.apply(case, found)
        clashes = contradictions(changed, space)
        problems += [
            Problem(Location(str(path)), Severity.ERROR, f"scenario '{name}': {p.message}")
            for p in clashes
        ]
        if not clashes:
            cases[name] = changed
    checks = case_dir / CHECKS_FILE
    if checks.is_file():
        try:
            # A broken scenario is reported above; its checks are read against the baseline.
            read_checks(checks, lambda name: cases.get(name, case), names)
        except LoadError as e:
            problems += e.problems
    return problems
