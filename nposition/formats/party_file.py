"""Reading a party file: its rules, their expressions and their sources, every problem located.

Rules are read here for party files and for a scenario's `add`; expressions for both as well.
"""

from __future__ import annotations

from collections.abc import Callable

import yaml

from nposition.errors import Location, Problem, Severity
from nposition.formats import spec
from nposition.formats.yamlio import Reader, text_of
from nposition.model import expr
from nposition.model.case import Issue, Party, Rule, RuleKind, Source
from nposition.model.tree import Expression


def read_party(
    reader: Reader, issues: tuple[Issue, ...], documents: frozenset[str] | None = None
) -> Party | None:
    """One party file; None when it has errors (they are recorded on the reader)."""
    root = reader.load()
    if root is None:
        return None
    before = reader.error_count()
    keys = reader.record(root, spec.PARTY, "party file")
    if keys is None or "party" not in keys:
        return None
    party_id = reader.name(keys["party"], "party id", spec.ID)
    name = reader.text(keys["name"], "name") if "name" in keys else None
    as_of = reader.date(keys["as_of"]) if "as_of" in keys else ""
    reservation = None
    if "reservation" in keys:
        bounds = spec.PARTY.field("reservation").bounds
        reservation = reader.number(keys["reservation"], "reservation", bounds)
    rules: list[Rule] = []
    for item in reader.sequence(keys["rules"], "rules") if "rules" in keys else []:
        rule = read_rule(reader, item, party_id or "?", issues, documents)
        if rule is None:
            continue
        if rule.id in (r.id for r in rules):
            reader.error(item, f"duplicate rule id '{rule.id}' in party '{party_id}'")
            continue
        rules.append(rule)
    if reader.error_count() > before or party_id is None:
        return None
    return Party(
        party_id,
        name or party_id,
        tuple(rules),
        as_of or "",
        reservation,
        reader.loc(keys["party"]),
    )


def read_rule(
    reader: Reader,
    node: yaml.Node,
    party: str,
    issues: tuple[Issue, ...],
    documents: frozenset[str] | None = None,
) -> Rule | None:
    """One rule mapping of a party file or a scenario's `add`."""
    what = _rule_label(node)
    keys = reader.record(node, spec.RULE, what)
    if keys is None or "id" not in keys:
        return None
    before = reader.error_count()
    rule_id = reader.name(keys["id"], "rule id", spec.ID)
    kind = _read_kind(reader, keys, what)
    cost = reader.number(keys["cost"], f"{what}: cost", spec.COST.bounds) if "cost" in keys else 1.0
    weight: float | None = 1.0
    if "weight" in keys:
        weight = reader.number(keys["weight"], f"{what}: weight", spec.WEIGHT.bounds)
    text = reader.text(keys["text"], f"{what}: text") if "text" in keys else ""
    require = read_expression(reader, keys["require"], what, issues) if "require" in keys else None
    when = read_expression(reader, keys["when"], what, issues) if "when" in keys else None
    source = read_source(reader, keys["source"], what, documents) if "source" in keys else None
    if reader.error_count() > before or rule_id is None or kind is None:
        return None
    if require is None or source is None or cost is None or weight is None:
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
    )


def _read_kind(reader: Reader, keys: dict[str, yaml.Node], what: str) -> RuleKind | None:
    """A rule's kind; a field that the kind does not take (a red line's weight) is a problem."""
    if "kind" not in keys:
        return None
    value = reader.choice(keys["kind"], f"{what}: kind", spec.RULE_KIND)
    if value is None:
        return None
    kind = RuleKind(value)
    check_kind_fields(reader, keys, kind, what)
    return kind


def check_kind_fields(
    reader: Reader, keys: dict[str, yaml.Node], kind: RuleKind, what: str
) -> bool:
    """Report every given field that this kind of rule does not take; True when there is none."""
    clean = True
    for field in spec.RULE.fields:
        problem = spec.kind_mismatch(field, kind.value) if field.name in keys else None
        if problem is not None:
            reader.error(keys[field.name], f"{what}: {problem}")
            clean = False
    return clean


def _rule_label(node: yaml.Node) -> str:
    """`rule 'id'` for messages about a rule mapping, read before the mapping is checked."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == "id" and isinstance(value, yaml.ScalarNode):
                return f"rule '{value.value}'"
    return "rule"


def read_expression(
    reader: Reader, node: yaml.Node, what: str, issues: tuple[Issue, ...]
) -> Expression | None:
    """Parse and resolve one expression; errors point at the character inside it."""
    text = reader.text(node, f"{what}: expression")
    if text is None:
        return None
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        text = text.lower() if text.lower() in ("true", "false") else text
    locate = scalar_locator(reader, node, text)
    try:
        tree = expr.parse(text)
    except expr.ExprError as e:
        _expr_problem(reader, locate(e.start), what, text, e)
        return None
    resolved, errors = expr.resolve(tree, issues)
    for error in errors:
        _expr_problem(reader, locate(error.start), what, text, error)
    if errors:
        return None
    return Expression(text, resolved, locate(0))


def scalar_locator(reader: Reader, node: yaml.Node, value: str) -> Callable[[int], Location]:
    """Map a character offset in a scalar's (folded, stripped) value to its place in the file.

    YAML folds line breaks and indentation of multi-line scalars into single spaces, so offsets
    are aligned with the raw text: each character of the value is matched to the next equal
    character of the raw text, and each space to a run of whitespace.
    """
    start = reader.loc(node)
    raw = reader.text_between(node)
    if raw is None:
        return start.shifted
    if getattr(node, "style", None) == '"' and "\\" in raw:
        return lambda offset: start  # escapes make offsets unreliable: point at the value
    positions: list[int] = []
    r = 0
    for ch in value:
        if ch.isspace():
            positions.append(r)
            while r < len(raw) and raw[r].isspace():
                r += 1
            continue
        while r < len(raw) and raw[r] != ch:
            r += 1
        positions.append(min(r, len(raw)))
        r += 1
    base = node.start_mark.index

    def locate(offset: int) -> Location:
        index = base + (positions[offset] if offset < len(positions) else r)
        return reader.location_of(index)

    return locate


def _expr_problem(reader: Reader, where: Location, what: str, text: str, e: expr.ExprError) -> None:
    reader.problems.append(
        Problem(where, Severity.ERROR, f"{what}: {e.message}", expr.caret(text, e.start, e.end))
    )


def read_source(
    reader: Reader, node: yaml.Node, what: str, documents: frozenset[str] | None = None
) -> Source | None:
    """A rule's source: who said it, when, and a quote (or a paraphrase)."""
    label = f"{what}: source"
    keys = reader.record(node, spec.SOURCE, label)
    if keys is None:
        return None
    before = reader.error_count()
    values = reader.scalars(keys, spec.SOURCE, label)
    cited = text_of(values, "document")
    if cited and documents is not None and cited not in documents:
        reader.error(
            keys["document"],
            f"{what}: source cites unknown document '{cited}' ({expr.suggest(cited, sorted(documents))})",
        )
    if reader.error_count() > before or not {"who", "date", "quote"} <= keys.keys():
        return None
    return Source(
        who=text_of(values, "who"),
        date=text_of(values, "date"),
        where=text_of(values, "where"),
        quote=text_of(values, "quote"),
        paraphrase=values.get("paraphrase") is True,
        document=cited,
        url=text_of(values, "url"),
    )
