"""Build the case model from a case folder, reporting every problem with its file, line and column."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import yaml

from nposition.errors import LoadError, Problem, Severity
from nposition.formats import spec
from nposition.formats.expressions import read_expression
from nposition.formats.issues import read_issues
from nposition.formats.layout import CASE_FILE, party_files
from nposition.formats.party_file import read_party
from nposition.formats.sources import read_source
from nposition.formats.yamlio import Reader, text_of
from nposition.model import expr
from nposition.model.case import Case, Constraint, Document, Issue, Party


def read_case(case_dir: Path) -> tuple[Case | None, list[Problem]]:
    """The case and every load problem; the case is None when an error makes it unusable."""
    problems: list[Problem] = []
    reader = Reader(case_dir / CASE_FILE, problems)
    header = _read_case_header(reader)
    if header is None:
        return None, problems
    parties: list[Party] = []
    seen: dict[str, Path] = {}
    documents = frozenset(d.id for d in header.documents)
    for path in party_files(case_dir):
        party = read_party(Reader(path, problems), header.issues, documents)
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
    parties.sort(key=lambda p: p.id)
    return dataclasses.replace(header, parties=tuple(parties), path=str(case_dir)), problems


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
    issues = read_issues(reader, keys["issues"])
    documents = _read_documents(reader, keys["documents"]) if "documents" in keys else ()
    source = (
        reader.record(keys["source"], spec.CASE_SOURCE, "case source") if "source" in keys else None
    )
    if source is not None:
        reader.scalars(source, spec.CASE_SOURCE, "case source")
    constraints: tuple[Constraint, ...] = ()
    if "constraints" in keys:
        cited = frozenset(d.id for d in documents)
        constraints = _read_constraints(reader, keys["constraints"], issues, cited)
    status_quo = None
    if "status_quo" in keys:
        status_quo = _read_status_quo(reader, keys["status_quo"], issues, constraints)
    values = reader.scalars(keys, spec.CASE)
    case_id, title = values.get("case"), values.get("title")
    if not isinstance(case_id, str) or not isinstance(title, str) or not issues:
        return None
    description = text_of(values, "description")
    return Case(
        case_id,
        title,
        issues,
        (),
        documents,
        status_quo,
        description,
        constraints=constraints,
        costs=text_of(values, "costs"),
    )


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


def _read_constraints(
    reader: Reader, node: yaml.Node, issues: Sequence[Issue], documents: frozenset[str]
) -> tuple[Constraint, ...]:
    out: list[Constraint] = []
    for item in reader.sequence(node, "constraints"):
        keys = reader.record(item, spec.CONSTRAINT, "constraint")
        if keys is None or not {"id", "text", "require"} <= keys.keys():
            continue
        constraint_id = reader.name(keys["id"], "constraint id", spec.ID)
        if constraint_id is None:
            continue
        if constraint_id in (c.id for c in out):
            reader.error(keys["id"], f"duplicate constraint id '{constraint_id}'")
            continue
        what = f"constraint '{constraint_id}'"
        text = reader.text(keys["text"], f"{what}: text")
        require = read_expression(reader, keys["require"], what, issues)
        source = None
        if "source" in keys:
            source = read_source(reader, keys["source"], what, documents)
            if source is None:
                continue
        if text is not None and require is not None:
            out.append(Constraint(constraint_id, text, require, source, reader.loc(item)))
    return tuple(out)


def _read_status_quo(
    reader: Reader,
    node: yaml.Node,
    issues: Sequence[Issue],
    constraints: Sequence[Constraint],
) -> tuple[int, ...] | None:
    """A package: every issue that applies there has an option; the others are left out or n/a."""
    if isinstance(node, yaml.ScalarNode) and node.value in spec.NO_AGREEMENT.values:
        return None
    names = tuple(i.id for i in issues)
    keys = reader.mapping(node, "status_quo (a package, or no_agreement)", (), names)
    if keys is None:
        return None
    missing = [i.id for i in issues if i.id not in keys and i.na is None]
    for name in missing:
        reader.error(node, f"status_quo gives no option for issue '{name}'")
    if missing:
        return None
    package: list[int] = []
    for issue in issues:
        if issue.id not in keys:
            package.append(len(issue.options))  # the n/a digit of a conditional issue
            continue
        digit = read_digit(reader, keys[issue.id], issue, "status_quo")
        if digit is None:
            return None
        package.append(digit)
    if not _status_quo_exists(reader, node, keys, issues, constraints, tuple(package)):
        return None
    return tuple(package)


def _status_quo_exists(
    reader: Reader,
    node: yaml.Node,
    keys: dict[str, yaml.Node],
    issues: Sequence[Issue],
    constraints: Sequence[Constraint],
    package: tuple[int, ...],
) -> bool:
    """The status quo is n/a exactly where an issue does not apply, and breaks no constraint."""
    before = reader.error_count()
    for issue, digit in zip(issues, package, strict=True):
        if issue.applies_when is None:
            continue
        applies = expr.holds(issue.applies_when.node, package)
        where = f"its applies_when `{issue.applies_when.text}`"
        if applies and digit == issue.na:
            reader.error(
                keys.get(issue.id, node),
                f"status_quo gives no option for issue '{issue.id}', which applies there "
                f"({where} holds)",
            )
        elif not applies and digit != issue.na:
            option = issue.options[digit].id
            reader.error(
                keys[issue.id],
                f"status_quo gives issue '{issue.id}' option '{option}', but the issue does not "
                f"apply there ({where} is false): leave it out or write n/a",
            )
    for constraint in constraints:
        if reader.error_count() == before and not expr.holds(constraint.require.node, package):
            reader.error(
                node,
                f"status_quo breaks constraint '{constraint.id}': such a package does not exist",
            )
    return reader.error_count() == before


def read_digit(reader: Reader, node: yaml.Node, issue: Issue, what: str) -> int | None:
    """A package's digit for one issue: an option's index, or the n/a digit (`n/a`)."""
    value = reader.text(node, f"{what} option for '{issue.id}'")
    if value is None:
        return None
    ids = issue.option_ids()
    if value == spec.NA:
        if issue.na is None:
            reader.error(
                node,
                f"{what}: issue '{issue.id}' always applies (it has no applies_when); give one of its options",
            )
        return issue.na
    if value not in ids:
        reader.error(
            node,
            f"{what}: unknown option '{value}' for issue '{issue.id}' ({expr.suggest(value, ids)})",
        )
        return None
    return ids.index(value)
