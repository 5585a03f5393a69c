"""Reading the issues of case.yaml: options, their values, and where each issue applies.

`applies_when` is read in two phases: first every issue with its options and values (an issue
with `applies_when` marked by a placeholder, so that tests on it know it may be n/a), then each
`applies_when` resolved against that full list, and the references between them checked for
cycles.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

import yaml

from nposition.errors import Problem, Severity
from nposition.formats import spec
from nposition.formats.expressions import read_expression, scalar_locator
from nposition.formats.rules import written
from nposition.formats.yamlio import Reader
from nposition.model import expr
from nposition.model.case import Issue, Option
from nposition.model.resolve import touched_issues
from nposition.model.tree import Const, Expression


def read_issues(reader: Reader, node: yaml.Node) -> tuple[Issue, ...]:
    """Every issue of the list, its `applies_when` resolved and free of cycles."""
    drafts: list[tuple[Issue, yaml.Node | None]] = []
    seen: set[str] = set()
    for item in reader.sequence(node, "issues"):
        draft = _read_issue(reader, item, seen)
        if draft is not None:
            seen.add(draft[0].id)
            drafts.append(draft)
    if not drafts and isinstance(node, yaml.SequenceNode) and not node.value:
        reader.error(node, "the case needs at least one issue")
    marked = tuple(issue if when is None else _mark(reader, issue, when) for issue, when in drafts)
    issues = []
    for issue, when in zip(marked, (w for _, w in drafts), strict=True):
        if when is not None:
            what = f"issue '{issue.id}': applies_when"
            found = read_expression(reader, when, what, marked)
            issue = dataclasses.replace(issue, applies_when=found or issue.applies_when)
        issues.append(issue)
    _check_cycles(reader, issues, [w for _, w in drafts])
    return tuple(issues)


def _mark(reader: Reader, issue: Issue, when: yaml.Node) -> Issue:
    """The issue with a placeholder `applies_when`, until the real one is resolved."""
    placeholder = Expression(written(when) or "", Const(True), reader.loc(when))
    return dataclasses.replace(issue, applies_when=placeholder)


def _read_issue(
    reader: Reader, node: yaml.Node, seen: set[str]
) -> tuple[Issue, yaml.Node | None] | None:
    keys = reader.record(node, spec.ISSUE, "issue")
    if keys is None or "id" not in keys or "options" not in keys:
        return None
    issue_id = reader.name(keys["id"], "issue id", spec.NAME)
    if issue_id is None:
        return None
    if issue_id in seen:
        reader.error(keys["id"], f"duplicate issue id '{issue_id}'")
        return None
    ordered = reader.boolean(keys["ordered"], "ordered") if "ordered" in keys else False
    options = _read_options(reader, keys["options"], issue_id, bool(ordered))
    title = reader.text(keys["title"], "issue title") if "title" in keys else issue_id
    description = reader.text(keys["description"], "description") if "description" in keys else ""
    if not options:
        return None
    issue = Issue(issue_id, title or issue_id, options, bool(ordered), description or "")
    return issue, keys.get("applies_when")


def _read_options(
    reader: Reader, node: yaml.Node, issue_id: str, ordered: bool
) -> tuple[Option, ...]:
    options: list[Option] = []
    places: list[tuple[yaml.Node, yaml.Node | None]] = []  # each option's item and value nodes
    before = reader.error_count()
    seen: set[str] = set()
    for item in reader.sequence(node, f"options of issue '{issue_id}'"):
        keys = reader.record(item, spec.OPTION, f"option of issue '{issue_id}'")
        if keys is None or "id" not in keys:
            continue
        option_id = reader.name(keys["id"], "option id", spec.NAME)
        if option_id is None:
            continue
        if option_id in seen:
            reader.error(keys["id"], f"issue '{issue_id}': duplicate option id '{option_id}'")
            continue
        label = reader.text(keys["label"], "label") if "label" in keys else None
        value = None
        if "value" in keys:
            value = reader.number(keys["value"], f"issue '{issue_id}': value of '{option_id}'")
            if value is not None and _digits(keys["value"]) > MAX_DIGITS:
                reader.error(
                    keys["value"],
                    f"issue '{issue_id}': value of '{option_id}' has more than {MAX_DIGITS} "
                    "significant digits, which a number here cannot hold exactly",
                )
                value = None
        seen.add(option_id)
        options.append(Option(option_id, label or option_id, value))
        places.append((item, keys.get("value")))
    if not options and isinstance(node, yaml.SequenceNode):
        reader.error(node, f"issue '{issue_id}' needs at least one option")
    valued = any(value is not None for _, value in places)
    if valued and reader.error_count() == before:
        problem = _values_problem(issue_id, ordered, options, places)
        if problem is not None:
            reader.error(*problem)
    if valued and reader.error_count() > before:
        return tuple(dataclasses.replace(o, value=None) for o in options)
    return tuple(options)


def _values_problem(
    issue_id: str,
    ordered: bool,
    options: Sequence[Option],
    places: Sequence[tuple[yaml.Node, yaml.Node | None]],
) -> tuple[yaml.Node, str] | None:
    """The first problem with an issue's option values, where to report it and what to say:
    values go on all options or none, strictly increasing, of an ordered issue."""
    what = f"issue '{issue_id}'"
    if not ordered:
        first = next(value for _, value in places if value is not None)
        return first, f"{what}: option values need `ordered: true` (options from least to most)"
    missing = [k for k, (_, value) in enumerate(places) if value is None]
    if missing:
        names = ", ".join(f"'{options[k].id}'" for k in missing)
        many = len(missing) > 1
        return (
            places[missing[0]][0],
            f"{what}: option{'s' if many else ''} {names} {'have' if many else 'has'} no value; "
            "give every option of the issue a value, or none",
        )
    for k in range(1, len(options)):
        low, high = options[k - 1], options[k]
        if high.value is not None and low.value is not None and high.value <= low.value:
            return (
                places[k][1] or places[k][0],
                f"{what}: value {high.value:g} of option '{high.id}' is not above the value of "
                f"'{low.id}' before it ({low.value:g}): values strictly increase down the list",
            )
    return None


# --- cycles of applies_when ----------------------------------------------------------------------


def _check_cycles(
    reader: Reader, issues: Sequence[Issue], nodes: Sequence[yaml.Node | None]
) -> None:
    """One error for each cycle of `applies_when` references, at the cycle's first issue."""
    refs = [
        sorted(set(touched_issues(i.applies_when.node))) if i.applies_when is not None else []
        for i in issues
    ]
    reported: set[frozenset[int]] = set()
    for start, issue in enumerate(issues):
        path = _path_back(refs, start)
        node = nodes[start]
        if path is None or min(path) < start or frozenset(path) in reported or node is None:
            continue
        reported.add(frozenset(path))
        if path == [start]:
            message = f"issue '{issue.id}' applies_when refers to itself"
        else:
            chain = " -> ".join(f"'{issues[k].id}'" for k in path)
            message = f"issue '{issue.id}' applies_when refers back to itself through {chain}"
        assert issue.applies_when is not None
        text = issue.applies_when.text
        name = issues[path[0]].id
        found = re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", text)
        at = found.start() if found else 0
        where = scalar_locator(reader, node, text)(at)
        detail = expr.caret(text, at, at + len(name))
        reader.problems.append(Problem(where, Severity.ERROR, message, detail))


def _path_back(refs: Sequence[Sequence[int]], start: int) -> list[int] | None:
    """The shortest chain of references from `start` back to itself, `start` last; or None."""
    parent: dict[int, int] = {}
    frontier = [start]
    while frontier:
        following = []
        for k in frontier:
            for nxt in refs[k]:
                if nxt == start:
                    path = [start]
                    while k != start:
                        path.append(k)
                        k = parent[k]
                    return path[::-1]
                if nxt not in parent:
                    parent[nxt] = k
                    following.append(nxt)
        frontier = following
    return None


MAX_DIGITS = 15  # what a double holds exactly, so that a value compares as written


def _digits(node: yaml.Node) -> int:
    """The significant digits of a number as written (`0.0012` has 2, `1200` has 2)."""
    mantissa = str(getattr(node, "value", "")).lower().split("e")[0]
    return len(mantissa.replace("-", "").replace("+", "").replace(".", "").strip("0"))
