"""Reading one rule of a party file or of a scenario's `add`: its kind, its requirement or value
function, its fallbacks and its source, every problem located."""

from __future__ import annotations

from collections.abc import Sequence

import yaml

from nposition.formats import spec
from nposition.formats.expressions import read_expression
from nposition.formats.sources import read_source
from nposition.formats.yamlio import Reader, describe
from nposition.model import expr
from nposition.model.case import Fallback, Issue, Rule, RuleKind, Scores, number


def read_rule(
    reader: Reader,
    node: yaml.Node,
    party: str,
    issues: Sequence[Issue],
    documents: frozenset[str] | None = None,
) -> Rule | None:
    """One rule mapping of a party file or a scenario's `add`."""
    what = _rule_label(node)
    given = reader.record(node, spec.RULE, what)
    if given is None or "id" not in given:
        return None
    before = reader.error_count()
    rule_id = reader.name(given["id"], "rule id", spec.ID)
    kind = _read_kind(reader, given, what)
    keys = _usable_fields(given, kind)  # a field the kind does not take is reported, not read
    cost = reader.number(keys["cost"], f"{what}: cost", spec.COST.bounds) if "cost" in keys else 1.0
    weight: float | None = 1.0
    if "weight" in keys:
        weight = reader.number(keys["weight"], f"{what}: weight", spec.WEIGHT.bounds)
    text = reader.text(keys["text"], f"{what}: text") if "text" in keys else ""
    require = read_expression(reader, keys["require"], what, issues) if "require" in keys else None
    when = read_expression(reader, keys["when"], what, issues) if "when" in keys else None
    scores = read_scores(reader, keys["scores"], what, issues) if "scores" in keys else None
    fallbacks: tuple[Fallback, ...] | None = ()
    if "fallbacks" in keys:
        fallbacks = read_fallbacks(reader, keys["fallbacks"], what, issues, documents)
    source = read_source(reader, keys["source"], what, documents) if "source" in keys else None
    _require_or_scores(reader, node, keys, kind, what, "scores" in given)
    if cost is not None and fallbacks:
        at = keys.get("cost") or given["fallbacks"]
        check_cost(reader, at, what, cost, fallbacks, default="cost" not in keys)
    if reader.error_count() > before or rule_id is None or kind is None:
        return None
    if source is None or cost is None or weight is None or fallbacks is None:
        return None
    return Rule(
        party=party,
        id=rule_id,
        kind=kind,
        text=text or "",
        require=require,
        source=source,
        when=when,
        cost=cost,
        weight=weight,
        location=reader.loc(node),
        scores=scores,
        fallbacks=fallbacks,
    )


def _read_kind(reader: Reader, keys: dict[str, yaml.Node], what: str) -> RuleKind | None:
    """A rule's kind; a field that the kind does not take (a red line's weight) is a problem."""
    if "kind" not in keys:
        return None
    value = reader.choice(keys["kind"], f"{what}: kind", spec.RULE_KIND)
    if value is None:
        return None
    kind = RuleKind(value)
    check_kind_fields(reader, keys, kind, what, written(keys.get("require")))
    return kind


def check_kind_fields(
    reader: Reader,
    keys: dict[str, yaml.Node],
    kind: RuleKind,
    what: str,
    require: str | None = None,
) -> bool:
    """Report every given field that this kind of rule does not take; True when there is none.

    `require` is the rule's requirement as written, for the hint on a preference's `when`.
    """
    clean = True
    for field in spec.RULE.fields:
        problem = spec.kind_mismatch(field, kind.value) if field.name in keys else None
        if problem is None:
            continue
        clean = False
        if field.name == spec.WHEN.name:
            when_on_preference(reader, keys[field.name], what, require)
        else:
            reader.error(keys[field.name], f"{what}: {problem}")
    return clean


def _usable_fields(keys: dict[str, yaml.Node], kind: RuleKind | None) -> dict[str, yaml.Node]:
    """The given fields that a rule of this kind takes (all of them when the kind is unknown)."""
    if kind is None:
        return keys
    return {n: v for n, v in keys.items() if not spec.kind_mismatch(spec.RULE.field(n), kind.value)}


def when_on_preference(reader: Reader, node: yaml.Node, what: str, require: str | None) -> None:
    """A preference with `when:` (DESIGN.md 2.2): the error shows both rewrites of the rule."""
    when = written(node) or ""
    if require is None:
        reader.error(
            node, f"{what}: a preference has no 'when'; a value function scores every package"
        )
        return
    both = (
        f"    require: ({when}) and ({require})    # counts only where the when holds\n"
        f"    require: ({when}) -> ({require})    # met wherever the when is false"
    )
    reader.error(
        node, f"{what}: a preference has no 'when'; fold it into 'require' as one of", both
    )


def written(node: yaml.Node | None) -> str | None:
    """A scalar's text as written, on one line (for hints; None for anything else)."""
    if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
        return " ".join(node.value.split())
    return None


def _require_or_scores(
    reader: Reader,
    node: yaml.Node,
    keys: dict[str, yaml.Node],
    kind: RuleKind | None,
    what: str,
    scored: bool,
) -> None:
    """A rule states a `require`, or (a preference) `scores`, never both. `scored`: the rule
    gives `scores`, perhaps where its kind does not take them (which is reported already)."""
    if "require" in keys and "scores" in keys:
        reader.error(keys["scores"], f"{what}: give 'require' or 'scores', not both")
    elif "require" not in keys and not scored:
        tail = " (or 'scores', for a value function)" if kind is RuleKind.PREFERENCE else ""
        reader.error(node, f"{what}: missing required key 'require'{tail}")


def read_scores(
    reader: Reader, node: yaml.Node, what: str, issues: Sequence[Issue]
) -> Scores | None:
    """A value function: `{issue: ID, options: {OPTION: score in [0, 1], ...}}`."""
    keys = reader.record(node, spec.VALUE_FUNCTION, f"{what}: scores")
    if keys is None or "issue" not in keys or "options" not in keys:
        return None
    name = reader.text(keys["issue"], f"{what}: scores issue")
    ids = [i.id for i in issues]
    if name is None or name not in ids:
        if name is not None:
            reader.error(
                keys["issue"], f"{what}: scores: unknown issue '{name}' ({expr.suggest(name, ids)})"
            )
        return None
    issue = issues[ids.index(name)]
    given = _option_scores(reader, keys["options"], what, issue)
    if given is None:
        return None
    scores = tuple(given.get(o.id, 0.0) for o in issue.options)
    text = ", ".join(f"{option} {number(score)}" for option, score in given.items())
    return Scores(ids.index(name), scores, f"{name}: {text}")


def _option_scores(
    reader: Reader, node: yaml.Node, what: str, issue: Issue
) -> dict[str, float] | None:
    """The scores of the options listed, in the order written; None after any problem."""
    if not isinstance(node, yaml.MappingNode):
        reader.error(node, f"{what}: scores options must be a mapping, not {describe(node)}")
        return None
    before = reader.error_count()
    out: dict[str, float] = {}
    known = issue.option_ids()
    bounds = spec.FRACTION.range
    for key_node, value_node in node.value:
        option = reader.text(key_node, f"{what}: scores option")
        if option is None:
            continue
        if option not in known:
            reader.error(
                key_node,
                f"{what}: scores: unknown option '{option}' for issue '{issue.id}' "
                f"({expr.suggest(option, known)})",
            )
        elif option in out:
            reader.error(key_node, f"{what}: scores: option '{option}' is scored twice")
        score = reader.number(value_node, f"{what}: score", bounds)
        if score is not None:
            out[option] = score
    return out if reader.error_count() == before else None


def read_fallbacks(
    reader: Reader,
    node: yaml.Node,
    what: str,
    issues: Sequence[Issue],
    documents: frozenset[str] | None = None,
) -> tuple[Fallback, ...] | None:
    """A red line's fallbacks, strongest first, their costs strictly increasing; None on problems."""
    before = reader.error_count()
    out: list[Fallback] = []
    last: float | None = None
    for n, item in enumerate(reader.sequence(node, f"{what}: fallbacks"), 1):
        label = f"{what}: fallback {n}"
        keys = reader.record(_without_when(reader, item, label), spec.FALLBACK, label)
        if keys is None or "require" not in keys or "cost" not in keys:
            continue
        cost = reader.number(keys["cost"], f"{label}: cost", spec.FALLBACK.field("cost").bounds)
        if cost is not None and last is not None and cost <= last:
            reader.error(
                keys["cost"],
                f"{label} costs {cost:g}, not more than fallback {n - 1} ({last:g}): "
                "costs strictly increase down the list",
            )
        last = cost if cost is not None else last
        require = read_expression(reader, keys["require"], label, issues)
        text = reader.text(keys["text"], f"{label}: text") if "text" in keys else ""
        source = read_source(reader, keys["source"], label, documents) if "source" in keys else None
        if require is not None and cost is not None:
            out.append(Fallback(require, cost, text or "", source))
    return tuple(out) if reader.error_count() == before else None


def _without_when(reader: Reader, node: yaml.Node, label: str) -> yaml.Node:
    """A fallback mapping with its `when` reported (a fallback keeps its rule's) and left out."""
    if not isinstance(node, yaml.MappingNode):
        return node
    rest = []
    for key, value in node.value:
        if getattr(key, "value", None) == spec.WHEN.name:
            reader.error(key, f"{label} keeps the rule's 'when'; it may not give its own")
        else:
            rest.append((key, value))
    return yaml.MappingNode(node.tag, rest, node.start_mark, node.end_mark)


def check_cost(
    reader: Reader,
    node: yaml.Node,
    what: str,
    cost: float,
    fallbacks: Sequence[Fallback],
    default: bool = False,
) -> bool:
    """Dropping a red line costs at least as much as retreating to its last fallback."""
    last = fallbacks[-1].cost
    if cost >= last:
        return True
    reader.error(
        node,
        f"{what}: cost {cost:g}{' (the default)' if default else ''} is below its last fallback's ({last:g}): "
        "dropping the rule costs at least as much as retreating",
    )
    return False


def _rule_label(node: yaml.Node) -> str:
    """`rule 'id'` for messages about a rule mapping, read before the mapping is checked."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == "id" and isinstance(value, yaml.ScalarNode):
                return f"rule '{value.value}'"
    return "rule"
