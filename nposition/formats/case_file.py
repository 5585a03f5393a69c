"""Build the case model from a case folder, reporting every problem with its file, line and column."""

from __future__ import annotations

from pathlib import Path

import yaml

from nposition.errors import LoadError, Problem, Severity
from nposition.formats import spec
from nposition.formats.layout import CASE_FILE, party_files
from nposition.formats.party_file import read_party
from nposition.formats.yamlio import Reader, text_of
from nposition.model import expr
from nposition.model.case import Case, Document, Issue, Option, Party


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
    keys = reader.record(root, spec.CASE, "case")
    if keys is None or "issues" not in keys:
        return None
    issues = _read_issues(reader, keys["issues"])
    documents = _read_documents(reader, keys["documents"]) if "documents" in keys else ()
    source = (
        reader.record(keys["source"], spec.CASE_SOURCE, "case source") if "source" in keys else None
    )
    if source is not None:
        reader.scalars(source, spec.CASE_SOURCE, "case source")
    status_quo = (
        _read_status_quo(reader, keys["status_quo"], issues) if "status_quo" in keys else None
    )
    values = reader.scalars(keys, spec.CASE)
    case_id, title = values.get("case"), values.get("title")
    if not isinstance(case_id, str) or not isinstance(title, str) or not issues:
        return None
    return Case(case_id, title, issues, (), documents, status_quo, text_of(values, "description"))


def _read_issues(reader: Reader, node: yaml.Node) -> tuple[Issue, ...]:
    issues: list[Issue] = []
    ids: set[str] = set()
    for item in reader.sequence(node, "issues"):
        keys = reader.record(item, spec.ISSUE, "issue")
        if keys is None or "id" not in keys or "options" not in keys:
            continue
        issue_id = reader.name(keys["id"], "issue id", spec.NAME)
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
        keys = reader.record(item, spec.OPTION, f"option of issue '{issue_id}'")
        if keys is None or "id" not in keys:
            continue
        option_id = reader.name(keys["id"], "option id", spec.NAME)
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


def _read_documents(reader: Reader, node: yaml.Node) -> tuple[Document, ...]:
    docs: list[Document] = []
    for item in reader.sequence(node, "documents"):
        keys = reader.record(item, spec.DOCUMENT, "document")
        if keys is None or "id" not in keys or "title" not in keys:
            continue
        values = reader.scalars(keys, spec.DOCUMENT, "document")
        doc_id, title = values["id"], values["title"]
        if not isinstance(doc_id, str) or not isinstance(title, str):
            continue
        if doc_id in (d.id for d in docs):
            reader.error(keys["id"], f"duplicate document id '{doc_id}'")
            continue
        docs.append(Document(doc_id, title, text_of(values, "date"), text_of(values, "note")))
    return tuple(docs)


def _read_status_quo(
    reader: Reader, node: yaml.Node, issues: tuple[Issue, ...]
) -> tuple[int, ...] | None:
    if isinstance(node, yaml.ScalarNode) and node.value in spec.NO_AGREEMENT.values:
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
