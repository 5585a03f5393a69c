"""Scenarios: named what-if overlays that drop, soften, add or change rules of a case."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from nposition.errors import Location, Problem, Severity
from nposition.formats.case_file import read_expression, read_rule
from nposition.formats.yamlio import Reader, split_key
from nposition.model import expr
from nposition.model.case import Case, Rule, RuleKind
from nposition.model.changes import Action, Change, Scenario, apply_change

if TYPE_CHECKING:
    import yaml

_SET_FIELDS = ("cost", "weight", "text", "require", "when", "kind")


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
            apply_change(rules, change)
    if any(p.severity is Severity.ERROR for p in problems) or sid is None:
        return None, problems
    return Scenario(
        sid, title or sid, rationale or "", tuple(changes), as_of or "", str(path)
    ), problems


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
        return Change(Action.DROP, key, loc)
    if rules[key].kind is not RuleKind.RED_LINE:
        reader.error(keys[action], f"cannot soften '{key}': it is already a preference")
        return None
    weight = reader.number(keys["weight"], "weight") if "weight" in keys else 1.0
    if weight is None or weight <= 0:
        if weight is not None:
            reader.error(keys["weight"], f"weight {weight:g} must be > 0")
        return None
    return Change(Action.SOFTEN, key, loc, weight=weight)


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
    return Change(Action.ADD, rule.key, loc, rule=rule)


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
    return Change(Action.SET, key, loc, fields=tuple(fields))
