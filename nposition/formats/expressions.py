"""Reading one expression from a YAML scalar: parsed, resolved, and every problem located inside it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import yaml

from nposition.errors import Location, Problem, Severity
from nposition.formats.yamlio import Reader
from nposition.model import expr
from nposition.model.case import Issue
from nposition.model.tree import Expression


def read_expression(
    reader: Reader, node: yaml.Node, what: str, issues: Sequence[Issue]
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
