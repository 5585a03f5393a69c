"""Scenarios: named what-if overlays that drop, soften, add or change rules and parties of a case."""

from __future__ import annotations

from pathlib import Path

import yaml

from nposition.errors import Location, Problem, Severity
from nposition.formats import spec
from nposition.formats.expressions import read_expression
from nposition.formats.rules import (
    check_cost,
    check_kind_fields,
    read_fallbacks,
    read_rule,
    read_scores,
    written,
)
from nposition.formats.sources import read_source
from nposition.formats.yamlio import Reader, text_of
from nposition.model import expr
from nposition.model.case import Case, Rule, RuleKind
from nposition.model.changes import Action, Change, Scenario, Tables, Target, apply_change


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
    tables = Tables.of(case)
    for item in reader.sequence(keys["changes"], "changes") if "changes" in keys else []:
        change = _read_change(reader, item, case, tables)
        if change is not None:
            changes.append(change)
            apply_change(tables, change)
    if any(p.severity is Severity.ERROR for p in problems) or sid is None:
        return None, problems
    as_of = text_of(values, "as_of")
    return Scenario(sid, title or sid, rationale, tuple(changes), as_of, str(path)), problems


def _read_change(reader: Reader, node: yaml.Node, case: Case, tables: Tables) -> Change | None:
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
        return _read_add(reader, keys["add"], case, tables.rules, loc)
    if action == "set":
        return _read_set(reader, keys["set"], case, tables, loc)
    key = _rule_ref(reader, keys[action], tables.rules)
    if key is None:
        return None
    if action == "drop":
        return Change(Action.DROP, key, loc)
    if tables.rules[key].kind is not RuleKind.RED_LINE:
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
    reader: Reader, node: yaml.Node, case: Case, tables: Tables, loc: Location
) -> Change | None:
    """`set: {rule: party/rule-id, ...}` changes a rule; `set: {party: id, ...}` a party."""
    names = (
        {getattr(k, "value", None) for k, _ in node.value}
        if isinstance(node, yaml.MappingNode)
        else set()
    )
    if {"rule", "party"} <= names:
        reader.error(
            node,
            "set: give 'rule' (to change a rule) or 'party' (to change a party's name, as_of "
            "or reservation), not both",
        )
        return None
    if "party" in names:
        return _read_set_party(reader, node, tables, loc)
    return _read_set_rule(reader, node, case, tables, loc)


def _read_set_party(
    reader: Reader, node: yaml.Node, tables: Tables, loc: Location
) -> Change | None:
    keys = reader.record(node, spec.SET_PARTY, "set")
    if keys is None or "party" not in keys:
        return None
    party = reader.text(keys["party"], "party")
    if party is None:
        return None
    if party not in tables.parties:
        known = sorted(tables.parties)
        reader.error(keys["party"], f"set: unknown party '{party}' ({expr.suggest(party, known)})")
        return None
    what = f"set party '{party}'"
    settable = spec.SET_PARTY.at_least_one
    if not any(name in keys for name in settable):
        reader.error(node, f"{what}: name at least one of {', '.join(settable)}")
        return None
    values = reader.scalars({k: v for k, v in keys.items() if k in settable}, spec.SET_PARTY, what)
    if any(value is None for value in values.values()):
        return None
    fields = tuple((name, values[name]) for name in settable if name in values)
    return Change(Action.SET, party, loc, fields=fields, target=Target.PARTY)


def _read_set_rule(
    reader: Reader, node: yaml.Node, case: Case, tables: Tables, loc: Location
) -> Change | None:
    keys = reader.record(node, spec.SET, "set")
    if keys is None or "rule" not in keys:
        return None
    key = _rule_ref(reader, keys["rule"], tables.rules)
    if key is None:
        return None
    what = f"set '{key}'"
    if not any(name in keys for name in spec.SET.at_least_one):
        reader.error(node, f"{what}: name at least one of {', '.join(spec.SET.at_least_one)}")
        return None
    rule = tables.rules[key]
    kind = rule.kind
    if "kind" in keys:
        value = reader.choice(keys["kind"], f"{what}: kind", spec.RULE_KIND)
        if value is None:
            return None
        kind = RuleKind(value)
    require = written(keys.get("require")) or (rule.require.text if rule.require else None)
    if not check_kind_fields(reader, keys, kind, what, require):
        return None
    if "require" in keys and "scores" in keys:
        reader.error(keys["scores"], f"{what}: give 'require' or 'scores', not both")
        return None
    fields = _set_fields(reader, keys, case, what)
    if fields is None:
        return None
    change = Change(
        Action.SET, key, loc, fields=(("kind", kind), *fields) if "kind" in keys else fields
    )
    return change if _whole_after(reader, node, keys, tables, change, what) else None


def _set_fields(
    reader: Reader, keys: dict[str, yaml.Node], case: Case, what: str
) -> tuple[tuple[str, object], ...] | None:
    """The new values of a rule's fields other than its kind; None after any problem."""
    before = reader.error_count()
    documents = frozenset(d.id for d in case.documents)
    fields: list[tuple[str, object]] = []
    for field in (spec.COST, spec.WEIGHT):
        if field.name in keys:
            fields.append(
                (field.name, reader.number(keys[field.name], f"{what}: {field.name}", field.bounds))
            )
    if "text" in keys:
        fields.append(("text", reader.text(keys["text"], "text") or ""))
    for name in ("require", "when"):
        if name in keys:
            fields.append((name, read_expression(reader, keys[name], what, case.issues)))
    if "scores" in keys:
        fields.append(("scores", read_scores(reader, keys["scores"], what, case.issues)))
    if "fallbacks" in keys:
        found = read_fallbacks(reader, keys["fallbacks"], what, case.issues, documents)
        fields.append(("fallbacks", found))
    if "source" in keys:
        fields.append(("source", read_source(reader, keys["source"], what, documents)))
    if reader.error_count() > before or any(value is None for _, value in fields):
        return None
    return tuple(fields)


def _whole_after(
    reader: Reader,
    node: yaml.Node,
    keys: dict[str, yaml.Node],
    tables: Tables,
    change: Change,
    what: str,
) -> bool:
    """The rule after the change is whole: a red line has a requirement, and dropping it costs
    at least as much as retreating to its last fallback."""
    trial = Tables({change.key: tables.rules[change.key]})
    apply_change(trial, change)
    after = trial.rules[change.key]
    if after.kind is RuleKind.RED_LINE and after.require is None:
        reader.error(
            keys.get("kind", node),
            f"{what}: a red line needs a 'require' (this rule scores options)",
        )
        return False
    if after.kind is RuleKind.RED_LINE and after.fallbacks:
        at = keys.get("cost") or keys.get("fallbacks") or node
        return check_cost(reader, at, what, after.cost, after.fallbacks)
    return True


def split_key(node: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """A mapping's value at `key`, and the mapping without it; None when either is missing."""
    if not isinstance(node, yaml.MappingNode):
        return None
    value = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
    if value is None:
        return None
    rest = [(k, v) for k, v in node.value if getattr(k, "value", None) != key]
    return value, yaml.MappingNode(node.tag, rest, node.start_mark, node.end_mark)
