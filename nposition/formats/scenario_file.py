"""Scenarios: named what-if overlays that drop, soften, add or change rules of a case."""

from __future__ import annotations

from pathlib import Path

import yaml

from nposition.errors import Location, Problem, Severity
from nposition.formats import spec
from nposition.formats.party_file import check_kind_fields, read_expression, read_rule
from nposition.formats.yamlio import Reader, text_of
from nposition.model import expr
from nposition.model.case import Case, Rule, RuleKind
from nposition.model.changes import Action, Change, Scenario, apply_change


def read_scenario(path: Path, case: Case) -> tuple[Scenario | None, list[Problem]]:
    """A scenario file checked against the case: every unknown party, rule or option."""
    problems: list[Problem] = []
    reader = Reader(path, problems)
    root = reader.load()
    if root is None:
        return None, problems
    keys = reader.record(root, spec.SCENARIO, "scenario")
    if keys is None:
        return None, problems
    values = reader.scalars(keys, spec.SCENARIO)
    sid = text_of(values, "scenario") or None
    if sid is not None and sid != path.stem:
        reader.error(
            keys["scenario"], f"scenario id '{sid}' must match the file name '{path.stem}'"
        )
    title, rationale = text_of(values, "title"), text_of(values, "rationale")
    changes = []
    rules = {r.key: r for r in case.rules}
    for item in reader.sequence(keys["changes"], "changes") if "changes" in keys else []:
        change = _read_change(reader, item, case, rules)
        if change is not None:
            changes.append(change)
            apply_change(rules, change)
    if any(p.severity is Severity.ERROR for p in problems) or sid is None:
        return None, problems
    as_of = text_of(values, "as_of")
    return Scenario(sid, title or sid, rationale, tuple(changes), as_of, str(path)), problems


def _read_change(
    reader: Reader, node: yaml.Node, case: Case, rules: dict[str, Rule]
) -> Change | None:
    keys = reader.record(node, spec.CHANGE, "change")
    if keys is None:
        return None
    actions = [k for k in spec.CHANGE.exactly_one if k in keys]
    if len(actions) != 1:
        reader.error(node, f"a change needs exactly one of {', '.join(spec.CHANGE.exactly_one)}")
        return None
    action = actions[0]
    for field in spec.CHANGE.fields:
        if field.goes_with and field.name in keys and field.goes_with != action:
            reader.error(
                keys[field.name], f"'{field.name}' goes with {field.goes_with}, not {action}"
            )
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
    weight: float | None = 1.0
    if "weight" in keys:
        weight = reader.number(keys["weight"], "weight", spec.CHANGE.field("weight").bounds)
    if weight is None:
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
    keys = reader.record(node, spec.SET, "set")
    if keys is None or "rule" not in keys:
        return None
    key = _rule_ref(reader, keys["rule"], rules)
    if key is None:
        return None
    what = f"set '{key}'"
    if not any(name in keys for name in spec.SET.at_least_one):
        reader.error(node, f"{what}: name at least one of {', '.join(spec.SET.at_least_one)}")
        return None
    fields: list[tuple[str, object]] = []
    kind = rules[key].kind
    if "kind" in keys:
        value = reader.choice(keys["kind"], f"{what}: kind", spec.RULE_KIND)
        if value is None:
            return None
        kind = RuleKind(value)
        fields.append(("kind", kind))
    if not check_kind_fields(reader, keys, kind, what):
        return None
    for field in (spec.COST, spec.WEIGHT):
        if field.name in keys:
            number = reader.number(keys[field.name], f"{what}: {field.name}", field.bounds)
            if number is None:
                return None
            fields.append((field.name, number))
    if "text" in keys:
        fields.append(("text", reader.text(keys["text"], "text") or ""))
    for name in ("require", "when"):
        if name in keys:
            parsed = read_expression(reader, keys[name], what, case.issues)
            if parsed is None:
                return None
            fields.append((name, parsed))
    return Change(Action.SET, key, loc, fields=tuple(fields))


def split_key(node: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """A mapping's value at `key`, and the mapping without it; None when either is missing."""
    if not isinstance(node, yaml.MappingNode):
        return None
    value = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
    if value is None:
        return None
    rest = [(k, v) for k, v in node.value if getattr(k, "value", None) != key]
    return value, yaml.MappingNode(node.tag, rest, node.start_mark, node.end_mark)
