"""Reading a checks file: the expectations that `nposition check` verifies, for CI.

A checks file is a list of expectations, each with an id, an optional scenario (default the
baseline), an optional `because`, and exactly one assertion:

    zone: empty | nonempty
    zone_size_at_least: N
    acceptable: {party: P, package: {issue: option, ...}}     # party optional: every party;
                                                              # option `n/a` where an issue does not apply
    unacceptable: {party: P, package: {...}}
    conflict: [party/rule, ...]        # exactly this minimal conflict is reported
    no_conflict: [party/rule, ...]
    concession_cost_at_most: N
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from nposition.errors import LoadError, Problem, Severity
from nposition.formats import fields, spec
from nposition.formats.case_file import read_digit
from nposition.formats.layout import BASELINE
from nposition.formats.yamlio import Reader
from nposition.model import expr
from nposition.model.case import Case
from nposition.model.expectations import CheckKind, Expectation


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
        keys = reader.record(root, spec.checks(), "checks file")
        if keys is not None:
            reader.scalars(keys, spec.checks())
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
    record = spec.check()
    keys = reader.record(node, record, "check")
    if keys is None or "id" not in keys:
        return None
    check_id = reader.text(keys["id"], "check id") or "?"
    what = f"check '{check_id}'"
    kinds = [CheckKind(k) for k in record.exactly_one if k in keys]
    if len(kinds) != 1:
        reader.error(node, f"{what}: give exactly one of {', '.join(record.exactly_one)}")
        return None
    kind = kinds[0]
    scenario = BASELINE
    if "scenario" in keys:
        scenario = reader.text(keys["scenario"], "scenario") or ""
        known = [BASELINE, *scenario_names]
        if scenario not in known:
            reader.error(
                keys["scenario"],
                f"{what}: unknown scenario '{scenario}' ({expr.suggest(scenario, known)})",
            )
            return None
    because = reader.text(keys["because"], "because") if "because" in keys else ""
    case = case_for(scenario)
    if kind in ("conflict", "no_conflict"):
        base = case_for(BASELINE)
        value = _read_red_lines(reader, keys[kind], kind, what, case, base, scenario)
    else:
        value = _read_value(reader, keys[kind], record.field(kind), what, case)
    if value is None:
        return None
    return Expectation(check_id, scenario, kind, because or "", value)


def _read_value(reader: Reader, node: yaml.Node, field: fields.Field, what: str, case: Case) -> Any:
    kind = field.name
    if isinstance(field.type, fields.Choice | fields.Number):
        return reader.scalar(node, field.type, f"{what}: {kind}")
    if kind == "blocking":
        return _read_parties(reader, node, f"{what}: blocking", case)
    if kind == "reachable":
        return _read_reachable(reader, node, what, case)
    return _read_package_check(reader, node, what, case)


def _read_red_lines(
    reader: Reader, node: yaml.Node, kind: str, what: str, case: Case, base: Case, scenario: str
) -> tuple[str, ...] | None:
    keys = [reader.text(n, "rule") or "" for n in reader.sequence(node, f"{what}: {kind}")]
    if not keys:
        reader.error(node, f"{what}: {kind} needs at least one rule (party/rule-id)")
        return None
    red = sorted(r.key for r in case.red_lines)
    preferences = {r.key for r in case.rules} - set(red)
    bad = [k for k in keys if k not in red]
    for k in bad:
        if k in preferences:
            reader.error(node, f"{what}: '{k}' is a preference; {kind} is about red lines")
        elif any(r.key == k for r in base.rules):
            reader.error(node, f"{what}: scenario '{scenario}' drops '{k}'; it has no such rule")
        else:
            reader.error(node, f"{what}: unknown red line '{k}' ({expr.suggest(k, red)})")
    return None if bad else tuple(sorted(keys))


def _read_parties(reader: Reader, node: yaml.Node, what: str, case: Case) -> tuple[str, ...] | None:
    ids = [p.id for p in case.parties]
    items = reader.sequence(node, what)
    named = [reader.text(n, "party") or "" for n in items]
    bad = [p for p in named if p not in ids]
    for p in bad:
        reader.error(node, f"{what}: unknown party '{p}' ({expr.suggest(p, ids)})")
    if not named and not what.endswith("blocking") and isinstance(node, yaml.SequenceNode):
        reader.error(node, f"{what}: name at least one party (leave `by` out for every party)")
        return None
    return None if bad or not isinstance(node, yaml.SequenceNode) else tuple(sorted(set(named)))


def _read_reachable(
    reader: Reader, node: yaml.Node, what: str, case: Case
) -> tuple[dict[int, int], float | None, tuple[str, ...]] | None:
    keys = reader.record(node, spec.REACHABLE, what)
    if keys is None or "package" not in keys:
        return None
    fixed = _read_fixed(reader, keys["package"], what, case)
    cost = (
        reader.number(keys["cost_at_most"], f"{what}: cost_at_most", spec.NON_NEGATIVE.range)
        if "cost_at_most" in keys
        else None
    )
    by = _read_parties(reader, keys["by"], f"{what}: by", case) if "by" in keys else ()
    if fixed is None or by is None or ("cost_at_most" in keys and cost is None):
        return None
    return fixed, cost, by


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
    fixed = _read_fixed(reader, keys["package"], what, case)
    return None if fixed is None else (party, fixed)


def _read_fixed(reader: Reader, node: yaml.Node, what: str, case: Case) -> dict[int, int] | None:
    """A (partial) package `{issue: option}` as `{issue index: digit}`."""
    issue_ids = tuple(i.id for i in case.issues)
    package = reader.mapping(node, f"{what}: package", (), issue_ids)
    if package is None:
        return None
    fixed: dict[int, int] = {}
    for issue_id, value_node in package.items():
        index = issue_ids.index(issue_id)
        digit = read_digit(reader, value_node, case.issues[index], what)
        if digit is None:
            return None
        fixed[index] = digit
    return fixed
