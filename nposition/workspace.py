"""The one entry point: a case folder opened once, its files read once, every question asked of it.

    >>> ws = Workspace(case="kuril")
    >>> ws.analysis("russia-accepts-assurances").zone.size

The workspace reads the case, each scenario and the checks file at most once, keeps the outcome
space and every analysis it has computed, and hands typed results to whoever renders them.
Nothing else in nposition reads a case folder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from nposition.errors import LoadError, Location, Problem, Severity, UsageError
from nposition.formats import layout
from nposition.formats.layout import BASELINE
from nposition.limits import max_packages

if TYPE_CHECKING:
    from nposition.engine.space import Space
    from nposition.model.case import Case
    from nposition.model.changes import Scenario
    from nposition.model.expectations import Expectation
    from nposition.reports.checks import CheckReport
    from nposition.reports.compare import Comparison, Diff
    from nposition.reports.explain import Explanation
    from nposition.reports.plot import Picture
    from nposition.reports.reach import Reach
    from nposition.reports.results import Analysis
    from nposition.reports.show import IssuesView, PartyView
    from nposition.reports.validation import Validation


class Workspace:
    """A case of a positions folder, opened with a limit on the size of its outcome space."""

    def __init__(
        self,
        positions: Path | None = None,
        case: str = "kuril",
        max_packages: int | None = None,
        cache: bool = True,
    ) -> None:
        """`cache=False` reads every file afresh, ignoring the cache of parsed files."""
        self.folder = layout.find_case_dir(positions, case)
        self._limit = max_packages
        self._cache = cache

    @classmethod
    def at(cls, folder: Path, max_packages: int | None = None, cache: bool = True) -> Workspace:
        """A workspace on one case folder, wherever it is."""
        return cls(folder.parent, folder.name, max_packages, cache)

    # --- loading, once ----------------------------------------------------------------------
    @cached_property
    def limit(self) -> int:
        """The largest outcome space this workspace analyses."""
        return self._limit or max_packages()

    @cached_property
    def _case_files(self) -> list[Path]:
        """The files the case is read from: case.yaml and the party files."""
        return [self.folder / layout.CASE_FILE, *layout.party_files(self.folder)]

    @cached_property
    def _read(self) -> tuple[Case | None, list[Problem]]:
        from nposition.formats.cache import cached

        def build() -> tuple[Case | None, list[Problem]]:
            from nposition.formats.case_file import read_case

            return read_case(self.folder)

        return cached("case", self._case_files, build, bytes(self.folder), enabled=self._cache)

    @property
    def base(self) -> Case:
        """The case as written; `LoadError` with every problem when it has errors."""
        case, problems = self._read
        if case is None:
            raise LoadError(problems)
        return case

    @cached_property
    def space(self) -> Space:
        """The outcome space of the case: its issues and constraints (refused over the limit)."""
        from nposition.engine.space import Space

        return Space.of(self.base, self.limit)

    @cached_property
    def _scenario_listing(self) -> tuple[dict[str, Path], list[Problem]]:
        return layout.scenario_files(self.folder)

    @property
    def scenario_files(self) -> dict[str, Path]:
        """The scenario files by name; `LoadError` when a file cannot be a scenario."""
        files, problems = self._scenario_listing
        if problems:
            raise LoadError(problems)
        return files

    def inputs(self, checks: Path | None = None) -> frozenset[Path]:
        """Every file of the case (resolved), which no output may overwrite."""
        files = [self.folder / layout.CASE_FILE, self.folder / layout.CHECKS_FILE]
        files += layout.party_files(self.folder) + list(self.scenario_files.values())
        if checks is not None:
            files.append(checks)
        return frozenset(p.resolve() for p in files)

    @property
    def scenario_names(self) -> list[str]:
        return list(self.scenario_files)

    @cached_property
    def _scenarios(self) -> dict[str, tuple[Scenario | None, Case | None, list[Problem]]]:
        return {}

    def _scenario(self, name: str) -> tuple[Scenario | None, Case | None, list[Problem]]:
        """A scenario file read and applied once: the scenario, the changed case, the problems."""
        found = self._scenarios.get(name)
        if found is None:
            found = self._scenarios[name] = self._load_scenario(name)
        return found

    def _load_scenario(self, name: str) -> tuple[Scenario | None, Case | None, list[Problem]]:
        from nposition.formats.cache import cached
        from nposition.model.changes import apply

        path = self.scenario_files[name]
        scenario, clean, problems = cached(
            "scenario",
            [*self._case_files, path],
            lambda: self._read_scenario(name, path),
            bytes(self.folder),
            str(self.limit).encode(),
            enabled=self._cache,
        )
        if scenario is None:
            return None, None, problems
        return scenario, apply(self.base, scenario) if clean else None, problems

    def _read_scenario(self, name: str, path: Path) -> tuple[Scenario | None, bool, list[Problem]]:
        """A scenario file read, and whether it applies to the case without contradictions."""
        from nposition.engine.lint import contradictions
        from nposition.engine.structure import fallbacks
        from nposition.formats.scenario_file import read_scenario
        from nposition.model.changes import apply

        scenario, problems = read_scenario(path, self.base)
        if scenario is None:
            return None, False, problems
        changed = apply(self.base, scenario)
        before = set(self.base.rules)
        clashes = contradictions(changed, self.space) + [
            p
            for rule in changed.rules
            if rule not in before
            for p in fallbacks(rule, self.space, changed)
        ]
        problems += [
            Problem(Location(str(path)), Severity.ERROR, f"scenario '{name}': {p.message}")
            for p in clashes
        ]
        return scenario, not clashes, problems

    def _known(self, name: str) -> None:
        if name != BASELINE and name not in self.scenario_files:
            from nposition.errors import suggest

            names = self.scenario_names
            raise UsageError(f"unknown scenario '{name}' ({suggest(name, names or ['(none)'])})")

    def scenario(self, name: str | None) -> Scenario | None:
        """A scenario of the case by name; None for the baseline."""
        if name is None or name == BASELINE:
            return None
        self._known(name)
        scenario, _, problems = self._scenario(name)
        if scenario is None:
            raise LoadError(problems)
        return scenario

    def case(self, scenario: str | None = None) -> Case:
        """The case under a scenario (None or 'baseline' for the case as written); `LoadError`
        when the case's constraints and issues leave no package at all."""
        if not self.space.full:
            from nposition.engine.structure import constraint_clashes

            raise LoadError(
                constraint_clashes(self.base, self.space)
                or [Problem(Location(str(self.folder)), Severity.ERROR, "no package exists")]
            )
        if scenario is None or scenario == BASELINE:
            return self.base
        self._known(scenario)
        _, changed, problems = self._scenario(scenario)
        if changed is None:
            raise LoadError(problems)
        return changed

    # --- questions --------------------------------------------------------------------------
    @cached_property
    def _analyses(self) -> dict[tuple[str | None, int, tuple[str, ...]], Analysis]:
        return {}

    def analysis(
        self,
        scenario: str | None = None,
        *,
        limit: int = 10,
        sensitivity_runs: int = 0,
        seed: int = 0,
        step: Callable[[], None] | None = None,
        by: Sequence[str] = (),
    ) -> Analysis:
        """The full analysis of the case under a scenario (computed once per scenario and limit)."""
        from nposition.reports.analysis import analyze

        name = None if scenario == BASELINE else scenario
        self._parties(by)
        key = (name, limit, tuple(by))
        if not sensitivity_runs and key in self._analyses:
            return self._analyses[key]
        result = analyze(
            self.case(name),
            self.scenario(name),
            space=self.space,
            limit=limit,
            sensitivity_runs=sensitivity_runs,
            seed=seed,
            step=step,
            by=by,
        )
        if not sensitivity_runs:
            self._analyses[key] = result
        return result

    def explain(self, assignments: Sequence[str], scenario: str | None = None) -> Explanation:
        """Every rule of every party checked against a (partial) package given as ISSUE=OPTION."""
        from nposition.reports.explain import explain, parse_package

        case = self.case(scenario)
        chosen = self.scenario(scenario)
        return explain(
            case, parse_package(case, assignments), chosen.id if chosen else None, self.space
        )

    def reach(
        self,
        assignments: Sequence[str],
        scenario: str | None = None,
        by: Sequence[str] = (),
        limit: int = 10,
    ) -> Reach:
        """The cheapest concessions under which a package of the given form is agreed."""
        from nposition.reports.explain import parse_package
        from nposition.reports.reach import reach

        case = self.case(scenario)
        self._parties(by)
        if not assignments:
            raise UsageError("give the deal to reach as ISSUE=OPTION pairs")
        chosen = self.scenario(scenario)
        fixed = parse_package(case, assignments)
        return reach(case, self.space, fixed, chosen.id if chosen else None, by, limit)

    def _parties(self, ids: Sequence[str]) -> None:
        """Refuse party ids the case does not have (a typo must never pass silently)."""
        known = [p.id for p in self.base.parties]
        for party in ids:
            if party not in known:
                from nposition.model.expr import suggest

                raise UsageError(f"unknown party '{party}' ({suggest(party, known)})")

    def compare(self, names: Sequence[str] = (), limit: int = 0) -> Comparison:
        """The baseline and each named scenario (all of the case's when none are named)."""
        from nposition.reports.compare import Comparison

        chosen = [n for n in dict.fromkeys(names or self.scenario_names) if n != BASELINE]
        for name in chosen:
            self._known(name)
        results = [self.analysis(limit=limit)]
        problems: list[Problem] = []
        for name in chosen:
            try:
                results.append(self.analysis(name, limit=limit))
            except LoadError as e:  # report every broken scenario, not just the first
                problems += e.problems
        if problems:
            raise LoadError(problems)
        return Comparison(self.base.id, tuple(results))

    def diff(self, a: str, b: str, limit: int = 10) -> Diff:
        """Rules, zone packages, conflicts, concessions and solutions that differ from a to b."""
        from nposition.reports.compare import diff

        return diff(
            self.case(a),
            self.analysis(a, limit=limit),
            self.case(b),
            self.analysis(b, limit=limit),
            self.space,
            limit,
        )

    def expectations(self, file: Path | None = None) -> tuple[Path, list[Expectation]]:
        """The expectations of a checks file (default: the case's), every typo a located error."""
        from nposition.formats.checks_file import read_checks

        path = file or self.folder / layout.CHECKS_FILE
        if not path.is_file():
            raise UsageError(f"{path}: no such checks file")
        return path, read_checks(path, self.case, self.scenario_names)

    def check(self, file: Path | None = None) -> CheckReport:
        """Every expectation of a checks file evaluated (one analysis per scenario named)."""
        from nposition.reports.checks import run_checks

        path, expectations = self.expectations(file)
        return run_checks(
            self.base.id,
            str(path),
            expectations,
            self.case,
            lambda name: self.analysis(name, limit=0),
            self.space,
        )

    def plot(self, scenario: str | None = None) -> Picture:
        """What `plot` draws: the zone, or the zone of the cheapest concession when it is empty."""
        from nposition.reports.plot import plot_case

        return plot_case(self.case(scenario), self.space, self.analysis(scenario, limit=0))

    def show(self, party: str | None = None) -> IssuesView | PartyView:
        """The issues and parties, or one party's rules with their citations."""
        from nposition.reports.show import PartyView, issues_view

        case = self.base
        if party is None:
            return issues_view(case, lambda: self.space.size)
        ids = [p.id for p in case.parties]
        if party not in ids:
            from nposition.errors import suggest

            raise UsageError(f"unknown party '{party}' ({suggest(party, ids)})")
        return PartyView(case.party(party), case.issues)

    def validate(self, strict: bool = False) -> Validation:
        """Every file of the case loaded and linted: all problems at once, sorted by place;
        `strict` makes every warning an error."""
        from nposition.formats.cache import cached
        from nposition.reports.validation import Validation

        scenarios, unusable = self._scenario_listing
        checks = self.folder / layout.CHECKS_FILE
        files = [*self._case_files, *scenarios.values(), *([checks] if checks.is_file() else [])]
        name, problems = cached(
            "validation",
            files,
            self._problems,
            bytes(self.folder),
            repr((list(scenarios), unusable)).encode(),  # unusable: files named, not read
            str(self.limit).encode(),
            enabled=self._cache,
        )
        if strict:
            problems = [p._replace(severity=Severity.ERROR) for p in problems]
        return Validation.of(name, problems)

    def _problems(self) -> tuple[str, list[Problem]]:
        """The case's name and every problem of its files."""
        from nposition.errors import SpaceTooLargeError

        case, problems = self._read
        problems = list(problems)
        if case is not None:
            try:
                problems += self._lint(case)
            except SpaceTooLargeError as e:
                where = Location(str(self.folder / layout.CASE_FILE))
                problems.append(Problem(where, Severity.ERROR, str(e)))
        return (case.id if case is not None else self.folder.name), problems

    def _lint(self, case: Case) -> list[Problem]:
        from nposition.engine.lint import lint, scenario_lint, unused_documents
        from nposition.formats.checks_file import read_checks
        from nposition.model.changes import cited_documents

        files, problems = self._scenario_listing
        problems = list(problems)
        cases: dict[str, Case] = {}
        cited: set[str] = set()
        for name, path in files.items():
            scenario, changed, trouble = self._scenario(name)
            problems += trouble
            if scenario is not None:
                cited |= cited_documents(scenario)
            if changed is not None and scenario is not None:
                cases[name] = changed
                problems += scenario_lint(scenario, changed, case, self.space, str(path))
        problems += lint(case, self.space) + unused_documents(case, cited)
        checks = self.folder / layout.CHECKS_FILE
        if checks.is_file():
            try:
                # A broken scenario is reported above; its checks are read against the baseline.
                read_checks(checks, lambda name: cases.get(name, case), list(files))
            except LoadError as e:
                problems += e.problems
        return problems
