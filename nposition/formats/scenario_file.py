"""Scenarios: named what-if overlays that drop, soften, add or change rules of a case."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nposition.engine.lint import contradictions
from nposition.engine.space import Space
from nposition.errors import LoadError, Location, Problem, Severity, UsageError
from nposition.formats.case_file import SCENARIO_DIR, read_expression, read_rule
from nposition.formats.yamlio import Reader, split_key
from nposition.model import expr
from nposition.model.case import Case, Party, Rule, RuleKind

if TYPE_CHECKING:
    import yaml

BASELINE = "baseline"
_SET_FIELDS = ("cost", "weight", "text", "require", "when", "kind")


@dataclass(frozen=True, slots=True)
class Change:
    """One change: `drop`, `soften`, `add` or `set`, on the rule `key` (`party/rule-id`)."""

    action: str
    key: str
    location: Location
    rule: Rule | None = None  # add: the new rule
    weight: float = 1.0  # soften: the preference's weight
    fields: tuple[tuple[str, object], ...] = ()  # set: (field, new value) pairs


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: str
    rationale: str
    changes: tuple[Change, ...]
    as_of: str = ""
    path: str = ""


def scenario_names(case_dir: Path) -> list[str]:
    """The scenarios of a case, by file name."""
    folder = case_dir / SCENARIO_DIR
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))


def scenario_path(case_dir: Path, name: str) -> Path:
    names = scenario_names(case_dir)
    if name not in names:
        raise UsageError(f"unknown scenario '{name}' ({expr.suggest(name, names or ['(none)'])})")
    folder = case_dir / SCENARIO_DIR
    return next(p for p in sorted(folder.iterdir()) if p.stem == name)


def read_scenario(path: Path, case: Case) -> tuple[Scenario | None, list[Problem]]:
    """A scenario file checked against the case: every unknown party, rule or option."""
    problems: list[Problem] = []
    reader = Reader(path, problems)
    root = reader.load()
    if root is None:
        return None, problems
    keys = reader.mapping(
        root, "scenario", ("scenario", "title", "rationale", "changes"), ("as_of", "description")
    )
    if keys is None:
        return None, problems
    sid = reader.text(keys["scenario"], "scenario") if "scenario" in keys else None
    if sid is not None and sid != path.stem:
        reader.error(
            keys["scenario"], f"scenario id '{sid}' must match the file name '{path.stem}'"
        )
    title = reader.text(keys["title"], "title") if "title" in keys else ""
    rationale = reader.text(keys["rationale"], "rationale") if "rationale" in keys else ""
    as_of = reader.text(keys["as_of"], "as_of") if "as_of" in keys else ""
    changes = []
    rules = {r.key: r for r in case.rules}
    for item in reader.sequence(keys["changes"], "changes") if "changes" in keys else []:
        change = _read_change(reader, item, case, rules)
        if change is not None:
            changes.append(change)
            _track(rules, change)
    if any(p.severity is Severity.ERROR for p in problems) or sid is None:
        return None, problems
    return Scenario(
        sid, title or sid, rationale or "", tuple(changes), as_of or "", str(path)
    ), problems


def _track(rules: dict[str, Rule], change: Change) -> None:
    """Keep the rule table current so later changes of the same file see earlier ones."""
    if change.action == "drop":
        rules.pop(change.key, None)
    elif change.action == "add" and change.rule is not None:
        rules[change.key] = change.rule
    elif change.action == "soften":
        rules[change.key] = dataclasses.replace(
            rules[change.key], kind=RuleKind.PREFERENCE, weight=change.weight
        )
    elif change.action == "set":
        rules[change.key] = dataclasses.replace(rules[change.key], **dict(change.fields))  # type: ignore[arg-type]


def _read_change(
    reader: Reader, node: yaml.Node, case: Case, rules: dict[str, Rule]
) -> Change | None:
    keys = reader.mapping(node, "change", (), ("drop", "soften", "weight", "add", "set"))
    if keys is None:
        return None
    actions = [k for k in ("drop", "soften", "add", "set") if k in keys]
    if len(actions) != 1:
        reader.error(node, "a change needs exactly one of drop, soften, add, set")
        return None
    action = actions[0]
    if "weight" in keys and action != "soften":
        reader.error(keys["weight"], f"'weight' goes with soften, not {action}")
        return None
    loc = reader.loc(node)
    if action == "add":
        return _read_add(reader, keys["add"], case, rules, loc)
    if action == "set":
        return _read_set(reader, keys["set"], case, rules, loc)
    key = _rule_ref(reader, keys[action], rules)
    if key is None:
        return None
    if action == "drop":
        return Change("drop", key, loc)
    if rules[key].kind is not RuleKind.RED_LINE:
        reader.error(keys[action], f"cannot soften '{key}': it is already a preference")
        return None
    weight = reader.number(keys["weight"], "weight") if "weight" in keys else 1.0
    if weight is None or weight <= 0:
        if weight is not None:
            reader.error(keys["weight"], f"weight {weight:g} must be > 0")
        return None
    return Change("soften", key, loc, weight=weight)


def _rule_ref(reader: Reader, node: yaml.Node, rules: dict[str, Rule]) -> str | None:
    key = reader.text(node, "rule reference")
    if key is None:
        return None
    if key not in rules:
        party = key.partition("/")[0]
        parties = sorted({k.partition("/")[0] for k in rules})
        if "/" not in key:
            reader.error(node, f"'{key}': refer to rules as party/rule-id")
        elif party not in parties:
            reader.error(
                node, f"unknown party '{party}' in '{key}' ({expr.suggest(party, parties)})"
            )
        else:
            reader.error(node, f"unknown rule '{key}' ({expr.suggest(key, sorted(rules))})")
        return None
    return key


def _read_add(
    reader: Reader, node: yaml.Node, case: Case, rules: dict[str, Rule], loc: Location
) -> Change | None:
    split = split_key(node, "party")
    if split is None:
        reader.error(node, "add: expects a rule mapping with a 'party'")
        return None
    party_node, body = split
    party = reader.text(party_node, "party")
    parties = [p.id for p in case.parties]
    if party not in parties:
        reader.error(
            party_node, f"add: unknown party '{party}' ({expr.suggest(party or '', parties)})"
        )
        return None
    documents = frozenset(d.id for d in case.documents)
    rule = read_rule(reader, body, party or "", case.issues, documents)
    if rule is None:
        return None
    if rule.key in rules:
        reader.error(node, f"add: rule '{rule.key}' already exists (use set to change it)")
        return None
    return Change("add", rule.key, loc, rule=rule)


def _read_set(
    reader: Reader, node: yaml.Node, case: Case, rules: dict[str, Rule], loc: Location
) -> Change | None:
    keys = reader.mapping(node, "set", ("rule",), _SET_FIELDS)
    if keys is None or "rule" not in keys:
        return None
    key = _rule_ref(reader, keys["rule"], rules)
    if key is None:
        return None
    rule = rules[key]
    fields: list[tuple[str, object]] = []
    what = f"set '{key}'"
    kind = rule.kind
    if "kind" in keys:
        value = reader.text(keys["kind"], "kind")
        if value not in ("red_line", "preference"):
            reader.error(keys["kind"], f"{what}: kind must be red_line or preference")
            return None
        kind = RuleKind(value)
        fields.append(("kind", kind))
    for name in ("cost", "weight"):
        if name in keys:
            number = reader.number(keys[name], f"{what}: {name}")
            if number is None:
                return None
            if (name == "cost") != (kind is RuleKind.RED_LINE):
                reader.error(keys[name], f"{what}: '{name}' does not apply to a {kind.value}")
                return None
            if number < 0 or (name == "weight" and number == 0):
                reader.error(keys[name], f"{what}: {name} {number:g} is out of range")
                return None
            fields.append((name, number))
    if "text" in keys:
        fields.append(("text", reader.text(keys["text"], "text") or ""))
    for name in ("require", "when"):
        if name in keys:
            parsed = read_expression(reader, keys[name], what, case.issues)
            if parsed is None:
                return None
            fields.append((name, parsed))
    if len(fields) == 0:
        reader.error(node, f"{what}: name at least one of {', '.join(_SET_FIELDS)}")
        return None
    return Change("set", key, loc, fields=tuple(fields))


def apply(case: Case, scenario: Scenario) -> Case:
    """The case with the scenario's changes made, in order."""
    parties = {p.id: list(p.rules) for p in case.parties}
    for change in scenario.changes:
        party, _, rule_id = change.key.partition("/")
        rules = parties[party]
        at = next((i for i, r in enumerate(rules) if r.id == rule_id), None)
        if change.action == "add" and change.rule is not None:
            rules.append(change.rule)
        elif at is None:
            continue
        elif change.action == "drop":
            del rules[at]
        elif change.action == "soften":
            rules[at] = dataclasses.replace(
                rules[at], kind=RuleKind.PREFERENCE, weight=change.weight
            )
        elif change.action == "set":
            rules[at] = dataclasses.replace(rules[at], **dict(change.fields))  # type: ignore[arg-type]
    return dataclasses.replace(
        case,
        parties=tuple(
            Party(p.id, p.name, tuple(parties[p.id]), p.as_of, p.reservation, p.location)
            for p in case.parties
        ),
    )


def inverse(case: Case, scenario: Scenario) -> Scenario:
    """The scenario that undoes `scenario` applied to `case` (its changes reversed, in reverse)."""
    undo: list[Change] = []
    rules = {r.key: r for r in case.rules}
    for change in scenario.changes:
        before = rules.get(change.key)
        if change.action == "add":
            undo.append(Change("drop", change.key, change.location))
        elif before is not None and change.action == "drop":
            undo.append(Change("add", change.key, change.location, rule=before))
        elif before is not None:
            names = [n for n, _ in change.fields] if change.action == "set" else ["kind", "weight"]
            if change.action == "soften" or "kind" in names:
                names = [*names, "cost", "weight"]
            old = tuple((n, getattr(before, n)) for n in dict.fromkeys(names))
            undo.append(Change("set", change.key, change.location, fields=old))
        _track(rules, change)
    return Scenario(f"undo-{scenario.id}", f"Undo {scenario.title}", "", tuple(reversed(undo)))


def load(
    case: Case, case_dir: Path, name: str | None, space: Space
) -> tuple[Case, Scenario | None]:
    """The case under a named scenario (None or 'baseline' for the case as written)."""
    if name is None or name == BASELINE:
        return case, None
    scenario, problems = read_scenario(scenario_path(case_dir, name), case)
    if scenario is None:
        raise LoadError(problems)
    changed = apply(case, scenario)
    clashes = contradictions(changed, space)
    if clashes:
        where = Location(scenario.path)
        raise LoadError(
            [
                Problem(where, Severity.ERROR, f"scenario '{scenario.id}': {p.message}")
                for p in clashes
            ]
        )
    return changed, scenario
