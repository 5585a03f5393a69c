"""Build the case model from a case folder, reporting every problem with its file, line and column."""

from __future__ import annotations

import re
from datetime import date as Date
from pathlib import Path

import yaml

from nposition.errors import LoadError, Location, Problem, Severity
from nposition.formats.layout import CASE_FILE, party_files
from nposition.formats.yamlio import Reader, scalar_locator
from nposition.model import expr
from nposition.model.case import (
    Case,
    Document,
    Expression,
    Issue,
    Option,
    Party,
    Rule,
    RuleKind,
    Source,
)

_RULE_ID = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?\Z")
_RULE_KEYS = ("id", "kind", "text", "require", "when", "cost", "weight", "source")
_SOURCE_KEYS = ("who", "date", "where", "quote", "paraphrase", "document", "url")


def read_case(case_dir: Path) -> tuple[Case | None, list[Problem]]:
    """The case and every load problem; the case is None when an error makes it unusable."""
    problems: list[Problem] = []
    reader = Reader(case_dir / CASE_FILE, problems)
    header = _read_case_header(reader)
    if header is None:
        return None, problems
    issues = header.issues
    parties: list[Party] = []
    seen: dict[str, Path] = {}
    documents = frozenset(d.id for d in header.documents)
    for path in party_files(case_dir):
        party = read_party(Reader(path, problems), issues, documents)
        if party is None:
            continue
        if party.id in seen:
            problems.append(
                Problem(
                    party.location,
                    Severity.ERROR,
                    f"party '{party.id}' is already defined in {seen[party.id]}",
                )
            )
            continue
        seen[party.id] = path
        parties.append(party)
    if not parties and not any(p.severity is Severity.ERROR for p in problems):
        problems.append(
            Problem(reader.loc(None), Severity.ERROR, "the case has no party files beside it")
        )
    if any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    case = Case(
        id=header.id,
        title=header.title,
        issues=issues,
        parties=tuple(sorted(parties, key=lambda p: p.id)),
        documents=header.documents,
        status_quo=header.status_quo,
        description=header.description,
        path=str(case_dir),
    )
    return case, problems


def load_case(case_dir: Path) -> Case:
    """The case, or `LoadError` with every problem."""
    case, problems = read_case(case_dir)
    if case is None:
        raise LoadError(problems)
    return case


def _read_case_header(reader: Reader) -> Case | None:
    root = reader.load()
    if root is None:
        return None
    keys = reader.mapping(
        root,
        "case",
        required=("case", "title", "issues"),
        optional=("description", "status_quo", "documents", "source"),
    )
    if keys is None or "issues" not in keys:
        return None
    issues = _read_issues(reader, keys["issues"])
    documents = _read_documents(reader, keys["documents"]) if "documents" in keys else ()
    if "source" in keys:
        reader.mapping(keys["source"], "case source", optional=("title", "date", "url", "author"))
    status_quo = (
        _read_status_quo(reader, keys["status_quo"], issues) if "status_quo" in keys else None
    )
    case_id = reader.text(keys["case"], "case") if "case" in keys else None
    title = reader.text(keys["title"], "title") if "title" in keys else None
    description = reader.text(keys["description"], "description") if "description" in keys else ""
    if case_id is None or title is None or not issues:
        return None
    return Case(case_id, title, issues, (), documents, status_quo, description or "")


def _read_issues(reader: Reader, node: yaml.Node) -> tuple[Issue, ...]:
    issues: list[Issue] = []
    ids: set[str] = set()
    for item in reader.sequence(node, "issues"):
        keys = reader.mapping(
            item, "issue", required=("id", "title", "options"), optional=("ordered", "description")
        )
        if keys is None or "id" not in keys or "options" not in keys:
            continue
        issue_id = _name(reader, keys["id"], "issue id")
        if issue_id is None:
            continue
        if issue_id in ids:
            reader.error(keys["id"], f"duplicate issue id '{issue_id}'")
            continue
        ids.add(issue_id)
        options = _read_options(reader, keys["options"], issue_id)
        ordered = reader.boolean(keys["ordered"], "ordered") if "ordered" in keys else False
        title = reader.text(keys["title"], "issue title") if "title" in keys else issue_id
        description = (
            reader.text(keys["description"], "description") if "description" in keys else ""
        )
        if options:
            issues.append(
                Issue(issue_id, title or issue_id, options, bool(ordered), description or "")
            )
    if not issues and isinstance(node, yaml.SequenceNode) and not node.value:
        reader.error(node, "the case needs at least one issue")
    return tuple(issues)


def _read_options(reader: Reader, node: yaml.Node, issue_id: str) -> tuple[Option, ...]:
    options: list[Option] = []
    for item in reader.sequence(node, f"options of issue '{issue_id}'"):
        keys = reader.mapping(item, f"option of issue '{issue_id}'", ("id",), ("label",))
        if keys is None or "id" not in keys:
            continue
        option_id = _name(reader, keys["id"], "option id")
        if option_id is None:
            continue
        if option_id in (o.id for o in options):
            reader.error(keys["id"], f"issue '{issue_id}': duplicate option id '{option_id}'")
            continue
        label = reader.text(keys["label"], "label") if "label" in keys else None
        options.append(Option(option_id, label or option_id))
    if not options and isinstance(node, yaml.SequenceNode):
        reader.error(node, f"issue '{issue_id}' needs at least one option")
    return tuple(options)


def _name(reader: Reader, node: yaml.Node, what: str) -> str | None:
    """An issue or option id: letters, digits and underscores, not a keyword of the language."""
    value = reader.text(node, what)
    if value is None:
        return None
    if value in expr.KEYWORDS:
        reader.error(node, f"{what} '{value}' is a keyword of rule expressions; choose another id")
        return None
    if not expr.NAME_RE.match(value):
        reader.error(
            node,
            f"{what} '{value}' must use only letters, digits and '_' (it is used inside rule expressions)",
        )
        return None
    return value


def _read_documents(reader: Reader, node: yaml.Node) -> tuple[Document, ...]:
    docs: list[Document] = []
    for item in reader.sequence(node, "documents"):
        keys = reader.mapping(item, "document", ("id", "title"), ("date", "note", "url"))
        if keys is None or "id" not in keys or "title" not in keys:
            continue
        doc_id = reader.text(keys["id"], "document id")
        title = reader.text(keys["title"], "document title")
        date = _date(reader, keys["date"]) if "date" in keys else ""
        note = reader.text(keys["note"], "note") if "note" in keys else ""
        if doc_id is None or title is None:
            continue
        if doc_id in (d.id for d in docs):
            reader.error(keys["id"], f"duplicate document id '{doc_id}'")
            continue
        docs.append(Document(doc_id, title, date or "", note or ""))
    return tuple(docs)


def _date(reader: Reader, node: yaml.Node) -> str | None:
    value = reader.text(node, "date")
    if value is None:
        return None
    if not _DATE.match(value):
        reader.error(node, f"date '{value}' must be YYYY-MM-DD, YYYY-MM or YYYY")
        return None
    try:
        Date.fromisoformat(value + "-01-01"[len(value) - 4 :])
    except ValueError:
        reader.error(node, f"date '{value}' is not a real calendar date")
        return None
    return value


def _read_status_quo(
    reader: Reader, node: yaml.Node, issues: tuple[Issue, ...]
) -> tuple[int, ...] | None:
    if isinstance(node, yaml.ScalarNode) and node.value == "no_agreement":
        return None
    names = tuple(i.id for i in issues)
    keys = reader.mapping(node, "status_quo (a package, or no_agreement)", (), names)
    if keys is None:
        return None
    missing = [n for n in names if n not in keys]
    for name in missing:
        reader.error(node, f"status_quo gives no option for issue '{name}'")
    if missing:
        return None
    package: list[int] = []
    for issue in issues:
        value = reader.text(keys[issue.id], f"status_quo option for '{issue.id}'")
        ids = issue.option_ids()
        if value not in ids:
            reader.error(
                keys[issue.id],
                f"status_quo: unknown option '{value}' for issue '{issue.id}' "
                f"({expr.suggest(value or '', ids)})",
            )
            return None
        package.append(ids.index(value))
    return tuple(package)


def read_party(
    reader: Reader, issues: tuple[Issue, ...], documents: frozenset[str] | None = None
) -> Party | None:
    """One party file; None when it has errors (they are recorded on the reader)."""
    root = reader.load()
    if root is None:
        return None
    before = _error_count(reader)
    keys = reader.mapping(
        root, "party file", required=("party", "name", "rules"), optional=("as_of", "reservation")
    )
    if keys is None or "party" not in keys:
        return None
    party_id = reader.text(keys["party"], "party")
    if party_id is not None and not _RULE_ID.match(party_id):
        reader.error(
            keys["party"], f"party id '{party_id}' must be lowercase letters, digits, '-' or '_'"
        )
    name = reader.text(keys["name"], "name") if "name" in keys else None
    as_of = _date(reader, keys["as_of"]) if "as_of" in keys else ""
    reservation = None
    if "reservation" in keys:
        reservation = reader.number(keys["reservation"], "reservation")
        if reservation is not None and not 0 <= reservation <= 1:
            reader.error(
                keys["reservation"], f"reservation {reservation:g} must be between 0 and 1"
            )
    rules: list[Rule] = []
    for item in reader.sequence(keys["rules"], "rules") if "rules" in keys else []:
        rule = read_rule(reader, item, party_id or "?", issues, documents)
        if rule is None:
            continue
        if rule.id in (r.id for r in rules):
            reader.error(item, f"duplicate rule id '{rule.id}' in party '{party_id}'")
            continue
        rules.append(rule)
    if _error_count(reader) > before or party_id is None:
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
    keys = reader.mapping(
        node, _rule_label(node), required=("id", "kind", "require", "source"), optional=_RULE_KEYS
    )
    if keys is None or "id" not in keys:
        return None
    before = _error_count(reader)
    rule_id = reader.text(keys["id"], "rule id") or "?"
    what = f"rule '{rule_id}'"
    if not _RULE_ID.match(rule_id):
        reader.error(keys["id"], f"{what}: rule ids use lowercase letters, digits, '-' and '_'")
    kind = _kind(reader, keys["kind"], what) if "kind" in keys else None
    if kind is RuleKind.RED_LINE and "weight" in keys:
        reader.error(
            keys["weight"], f"{what}: 'weight' is for preferences; a red line takes 'cost'"
        )
    if kind is RuleKind.PREFERENCE and "cost" in keys:
        reader.error(keys["cost"], f"{what}: 'cost' is for red lines; a preference takes 'weight'")
    cost = reader.number(keys["cost"], f"{what}: cost") if "cost" in keys else 1.0
    if cost is not None and cost < 0:
        reader.error(keys["cost"], f"{what}: cost {cost:g} must be >= 0")
    weight = reader.number(keys["weight"], f"{what}: weight") if "weight" in keys else 1.0
    if weight is not None and weight <= 0:
        reader.error(keys["weight"], f"{what}: weight {weight:g} must be > 0")
    text = reader.text(keys["text"], f"{what}: text") if "text" in keys else ""
    require = read_expression(reader, keys["require"], what, issues) if "require" in keys else None
    when = read_expression(reader, keys["when"], what, issues) if "when" in keys else None
    source = read_source(reader, keys["source"], what, documents) if "source" in keys else None
    if _error_count(reader) > before or kind is None or require is None or source is None:
        return None
    if "when" in keys and when is None:
        return None
    return Rule(
        party=party,
        id=rule_id,
        kind=kind,
        text=text or "",
        require=require,
        source=source,
        when=when,
        cost=cost if cost is not None else 1.0,
        weight=weight if weight is not None else 1.0,
        location=reader.loc(node),
    )


def _rule_label(node: yaml.Node) -> str:
    """`rule 'id'` for messages about a rule mapping, read before the mapping is checked."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == "id" and isinstance(value, yaml.ScalarNode):
                return f"rule '{value.value}'"
    return "rule"


def _kind(reader: Reader, node: yaml.Node, what: str) -> RuleKind | None:
    value = reader.text(node, f"{what}: kind")
    try:
        return RuleKind(value or "")
    except ValueError:
        reader.error(node, f"{what}: kind '{value}' must be red_line or preference")
        return None


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


def _expr_problem(reader: Reader, where: Location, what: str, text: str, e: expr.ExprError) -> None:
    reader.problems.append(
        Problem(where, Severity.ERROR, f"{what}: {e.message}", expr.caret(text, e.start, e.end))
    )


def read_source(
    reader: Reader, node: yaml.Node, what: str, documents: frozenset[str] | None = None
) -> Source | None:
    keys = reader.mapping(node, f"{what}: source", ("who", "date"), _SOURCE_KEYS)
    if keys is None or "who" not in keys or "date" not in keys:
        return None
    who = reader.text(keys["who"], "source who")
    date = _date(reader, keys["date"])
    values = {
        k: reader.text(keys[k], f"source {k}")
        for k in ("where", "quote", "document", "url")
        if k in keys
    }
    paraphrase = reader.boolean(keys["paraphrase"], "paraphrase") if "paraphrase" in keys else False
    if not values.get("quote"):
        reader.error(
            node, f"{what}: source needs a short 'quote' (or a paraphrase with 'paraphrase: true')"
        )
        return None
    cited = values.get("document")
    if cited and documents is not None and cited not in documents:
        reader.error(
            keys["document"],
            f"{what}: source cites unknown document '{cited}' ({expr.suggest(cited, sorted(documents))})",
        )
        return None
    if who is None or date is None:
        return None
    return Source(
        who=who,
        date=date,
        where=values.get("where") or "",
        quote=values.get("quote") or "",
        paraphrase=bool(paraphrase),
        document=values.get("document") or "",
        url=values.get("url") or "",
    )


def _error_count(reader: Reader) -> int:
    return sum(1 for p in reader.problems if p.severity is Severity.ERROR)
