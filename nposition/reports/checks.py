"""Expectations about a case that `nposition check` verifies, for CI.

A checks file is a list of expectations, each with an id, an optional scenario (default the
baseline), an optional `because`, and exactly one assertion:

    zone: empty | nonempty
    zone_size_at_least: N
    acceptable: {party: P, package: {issue: option, ...}}     # party optional: every party
    unacceptable: {party: P, package: {...}}
    conflict: [party/rule, ...]        # exactly this minimal conflict is reported
    no_conflict: [party/rule, ...]
    concession_cost_at_most: N
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nposition.engine.space import Space
from nposition.engine.zone import acceptable
from nposition.errors import LoadError, Problem, Severity
from nposition.formats import scenario_file as scenarios
from nposition.formats.yamlio import Reader
from nposition.model import expr
from nposition.model.case import Case, number

if TYPE_CHECKING:
    import yaml

    from nposition.reports.analysis import Analysis

ASSERTIONS = (
    "zone",
    "zone_size_at_least",
    "acceptable",
    "unacceptable",
    "conflict",
    "no_conflict",
    "concession_cost_at_most",
)


@dataclass(frozen=True, slots=True)
class Expectation:
    id: str
    scenario: str
    kind: str  # one of ASSERTIONS
    because: str
    value: Any  # 'empty'/'nonempty', a number, (party or None, {issue: option}) or rule keys


@dataclass(frozen=True, slots=True)
class Outcome:
    expectation: Expectation
    passed: bool
    expected: str
    found: str

    def to_dict(self) -> dict[str, Any]:
        e = self.expectation
        return {
            "id": e.id,
            "scenario": e.scenario,
            "kind": e.kind,
            "passed": self.passed,
            "expected": self.expected,
            "found": self.found,
            "because": e.because,
        }


@dataclass(frozen=True, slots=True)
class CheckReport:
    case: str
    file: str
    outcomes: tuple[Outcome, ...]

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if not o.passed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "file": self.file,
            "passed": len(self.outcomes) - self.failed,
            "failed": self.failed,
            "checks": [o.to_dict() for o in self.outcomes],
        }


def read_checks(
    path: Path, case_for: Callable[[str], Case], scenario_names: Sequence[str]
) -> list[Expectation]:
    """The expectations of a checks file; every typo is a located error (never a silent pass).

    `case_for(scenario)` gives the case under a scenario, so that rule names are checked
    against the rules that scenario really has.
    """
    problems: list[Problem] = []
    reader = Reader(path, problems)
    root = reader.load()
    out: list[Expectation] = []
    if root is not None:
        keys = reader.mapping(root, "checks file", ("checks",), ("description",))
        items = reader.sequence(keys["checks"], "checks") if keys and "checks" in keys else []
        if keys and "checks" in keys and not items:
            reader.error(keys["checks"], "the checks list is empty: nothing would be verified")
        for item in items:
            found = _read_expectation(reader, item, case_for, scenario_names)
            if found is not None:
                if found.id in (e.id for e in out):
                    reader.error(item, f"duplicate check id '{found.id}'")
                out.append(found)
    if any(p.severity is Severity.ERROR for p in problems):
        raise LoadError(problems)
    return out


def _read_expectation(
    reader: Reader, node: yaml.Node, case_for: Callable[[str], Case], scenario_names: Sequence[str]
) -> Expectation | None:
    keys = reader.mapping(node, "check", ("id",), ("scenario", "because", *ASSERTIONS))
    if keys is None or "id" not in keys:
        return None
    check_id = reader.text(keys["id"], "check id") or "?"
    what = f"check '{check_id}'"
    kinds = [k for k in ASSERTIONS if k in keys]
    if len(kinds) != 1:
        reader.error(node, f"{what}: give exactly one of {', '.join(ASSERTIONS)}")
        return None
    kind = kinds[0]
    scenario = scenarios.BASELINE
    if "scenario" in keys:
        scenario = reader.text(keys["scenario"], "scenario") or ""
        known = [scenarios.BASELINE, *scenario_names]
        if scenario not in known:
            reader.error(
                keys["scenario"],
                f"{what}: unknown scenario '{scenario}' ({expr.suggest(scenario, known)})",
            )
            return None
    because = reader.text(keys["because"], "because") if "because" in keys else ""
    value = _read_value(reader, keys[kind], kind, what, case_for(scenario))
    if value is None:
        return None
    return Expectation(check_id, scenario, kind, because or "", value)


def _read_value(reader: Reader, node: yaml.Node, kind: str, what: str, case: Case) -> Any:
    if kind == "zone":
        value = reader.text(node, "zone")
        if value not in ("empty", "nonempty"):
            reader.error(node, f"{what}: zone must be empty or nonempty, not '{value}'")
            return None
        return value
    if kind in ("zone_size_at_least", "concession_cost_at_most"):
        return reader.number(node, f"{what}: {kind}")
    if kind in ("conflict", "no_conflict"):
        keys = [reader.text(n, "rule") or "" for n in reader.sequence(node, f"{what}: {kind}")]
        if not keys:
            reader.error(node, f"{what}: {kind} needs at least one rule (party/rule-id)")
            return None
        known = sorted(r.key for r in case.red_lines)
        bad = [k for k in keys if k not in known]
        for k in bad:
            reader.error(node, f"{what}: unknown red line '{k}' ({expr.suggest(k, known)})")
        return None if bad else tuple(sorted(keys))
    return _read_package_check(reader, node, what, case)


def _read_package_check(
    reader: Reader, node: yaml.Node, what: str, case: Case
) -> tuple[str | None, dict[int, int]] | None:
    keys = reader.mapping(node, what, ("package",), ("party",))
    if keys is None or "package" not in keys:
        return None
    party = None
    if "party" in keys:
        party = reader.text(keys["party"], "party")
        ids = [p.id for p in case.parties]
        if party not in ids:
            reader.error(
                keys["party"], f"{what}: unknown party '{party}' ({expr.suggest(party or '', ids)})"
            )
            return None
    issue_ids = tuple(i.id for i in case.issues)
    package = reader.mapping(keys["package"], f"{what}: package", (), issue_ids)
    if package is None:
        return None
    fixed: dict[int, int] = {}
    for issue_id, value_node in package.items():
        index = issue_ids.index(issue_id)
        value = reader.text(value_node, "option") or ""
        options = case.issues[index].option_ids()
        if value not in options:
            reader.error(
                value_node,
                f"{what}: unknown option '{value}' for issue '{issue_id}' ({expr.suggest(value, options)})",
            )
            return None
        fixed[index] = options.index(value)
    return party, fixed


def run_checks(
    case: Case, case_dir: Path, expectations: Sequence[Expectation], space: Space, file: str
) -> CheckReport:
    """Evaluate every expectation (one analysis per scenario involved)."""
    from nposition.reports.analysis import (
        analyze,
    )  # only to run checks: validating them needs none of it

    analyses: dict[str, tuple[Case, Analysis]] = {}
    outcomes = []
    for e in expectations:
        if e.scenario not in analyses:
            changed, scenario = scenarios.load(case, case_dir, e.scenario, space)
            analyses[e.scenario] = (changed, analyze(changed, scenario, space=space, limit=0))
        changed, result = analyses[e.scenario]
        outcomes.append(_evaluate(e, changed, result, space))
    return CheckReport(case.id, file, tuple(outcomes))


def _evaluate(e: Expectation, case: Case, result: Analysis, space: Space) -> Outcome:
    size = result.zone.size
    if e.kind == "zone":
        passed = (size == 0) == (e.value == "empty")
        return Outcome(e, passed, f"zone {e.value}", _zone(size))
    if e.kind == "zone_size_at_least":
        return Outcome(e, size >= e.value, f"zone of at least {number(e.value)}", _zone(size))
    if e.kind in ("conflict", "no_conflict"):
        present = any(c.rules == e.value for c in result.conflicts)
        others = "; ".join(" + ".join(c.rules) for c in result.conflicts) or "no conflicts"
        found = "reported" if present else others
        want = " + ".join(e.value)
        if e.kind == "conflict":
            return Outcome(e, present, f"conflict {want}", found)
        return Outcome(
            e, not present, f"no conflict {want}", "reported" if present else "not reported"
        )
    if e.kind == "concession_cost_at_most":
        cheapest = min((c.cost for c in result.concessions), default=None)
        if size:
            return Outcome(e, True, f"concession of cost <= {number(e.value)}", "zone already open")
        found = "no concession" if cheapest is None else f"cheapest costs {number(cheapest)}"
        return Outcome(
            e,
            cheapest is not None and cheapest <= e.value,
            f"concession of cost <= {number(e.value)}",
            found,
        )
    party, fixed = e.value
    parties = [p for p in case.parties if party is None or p.id == party]
    bits = space.fixing(fixed)
    for p in parties:
        bits &= acceptable(space, p)
    completions = space.fixing(fixed).bit_count()
    count = bits.bit_count()
    who = party or "every party"
    found = f"{count:,} of {completions:,} completions acceptable to {who}"
    if e.kind == "acceptable":
        return Outcome(e, count > 0, f"acceptable to {who}", found)
    return Outcome(e, count == 0, f"unacceptable to {who}", found)


def _zone(size: int) -> str:
    return f"zone of {size:,} package{'' if size == 1 else 's'}"


def junit_xml(report: CheckReport) -> str:
    """The report as JUnit XML (one testcase per expectation) for CI systems."""
    from xml.etree import ElementTree as ET

    suite = ET.Element(
        "testsuite",
        name=f"nposition.{report.case}",
        tests=str(len(report.outcomes)),
        failures=str(report.failed),
        errors="0",
        skipped="0",
    )
    for o in report.outcomes:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"{report.case}.{o.expectation.scenario}",
            name=o.expectation.id,
        )
        if not o.passed:
            failure = ET.SubElement(
                case, "failure", message=f"expected {o.expected}; found {o.found}"
            )
            failure.text = o.expectation.because
    suites = ET.Element(
        "testsuites",
        name="nposition check",
        tests=suite.get("tests", "0"),
        failures=suite.get("failures", "0"),
    )
    suites.append(suite)
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )
