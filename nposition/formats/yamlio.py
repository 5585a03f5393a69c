"""Reading YAML safely, keeping node positions so every problem can be located.

Only the loaders (`loader`, `scenario`, `checks`) use this module. Files are composed into nodes
(no Python objects are constructed from tags), aliases are refused, and oversized files are
refused before parsing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

from nposition.errors import Location, Problem, Severity
from nposition.limits import MAX_FILE_BYTES

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


class Reader:
    """Reads the nodes of one file and collects located problems instead of raising."""

    def __init__(self, path: Path | str, problems: list[Problem], display: str | None = None):
        self.path = Path(path)
        self.display = display or str(path)
        self.problems = problems
        self.source = ""

    # --- problems ---------------------------------------------------------------------------
    def loc(self, node: yaml.Node | None) -> Location:
        if node is None:
            return Location(self.display)
        mark = node.start_mark
        return Location(self.display, mark.line + 1, mark.column + 1)

    def error(self, node: yaml.Node | None, message: str, detail: str = "") -> None:
        self.problems.append(Problem(self.loc(node), Severity.ERROR, message, detail))

    def warning(self, node: yaml.Node | None, message: str, detail: str = "") -> None:
        self.problems.append(Problem(self.loc(node), Severity.WARNING, message, detail))

    # --- the file ---------------------------------------------------------------------------
    def load(self) -> yaml.Node | None:
        """The file's root node, or None (with a problem recorded) when it cannot be read."""
        try:
            size = self.path.stat().st_size
            if size > MAX_FILE_BYTES:
                self.error(None, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
                return None
            text = self.source = self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            self.error(None, f"not UTF-8 text ({e.reason} at byte {e.start})")
            return None
        except OSError as e:
            self.error(None, f"cannot read file: {e.strerror or e}")
            return None
        try:
            root: yaml.Node | None = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            where = (
                Location(self.display, mark.line + 1, mark.column + 1) if mark else self.loc(None)
            )
            what = str(e.problem or e.context)
            if e.context and e.problem:
                opened = e.context_mark
                at = f" at {opened.line + 1}:{opened.column + 1}" if opened else ""
                what += f" ({e.context}{at})"
            self.problems.append(Problem(where, Severity.ERROR, f"invalid YAML: {what}"))
            return None
        except yaml.YAMLError as e:
            self.error(None, f"invalid YAML: {e}")
            return None
        if root is None:
            self.error(None, "file is empty")
            return None
        shared = _first_shared_node(root)
        if shared is not None:
            self.error(shared, "YAML anchors and aliases are not supported in position files")
            return None
        return root

    def text_between(self, node: yaml.Node) -> str | None:
        """The raw text of a node in the file, when known."""
        start, end = node.start_mark.index, node.end_mark.index
        if not self.source or end > len(self.source) or self.source[start:end].count("\n") > 200:
            return None
        return self.source[start:end]

    def location_of(self, index: int) -> Location:
        """The line and column of a character index of the file."""
        line_start = self.source.rfind("\n", 0, index) + 1
        return Location(self.display, self.source.count("\n", 0, index) + 1, index - line_start + 1)

    # --- typed access -----------------------------------------------------------------------
    def mapping(
        self,
        node: yaml.Node,
        what: str,
        required: tuple[str, ...] = (),
        optional: tuple[str, ...] = (),
    ) -> dict[str, yaml.Node] | None:
        """The keys of a mapping node; unknown, duplicate and missing keys are problems."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be a mapping, not {describe(node)}")
            return None
        known = required + optional
        out: dict[str, yaml.Node] = {}
        for key_node, value in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.error(key_node, f"{what}: keys must be plain names")
                continue
            if key in out:
                self.error(key_node, f"{what}: duplicate key '{key}'")
                continue
            if key not in known:
                import difflib  # only on the error path: keeps start-up cheap

                hint = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                tail = f"did you mean '{hint[0]}'?" if hint else "known: " + ", ".join(known)
                self.error(key_node, f"{what}: unknown key '{key}' ({tail})")
                continue
            out[key] = value
        for key in required:
            if key not in out:
                self.error(node, f"{what}: missing required key '{key}'")
        return out

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{what} must be a list, not {describe(node)}")
            return []
        return list(node.value)

    def text(self, node: yaml.Node, what: str) -> str | None:
        """A scalar as text (numbers and dates are taken as written)."""
        if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL:
            self.error(node, f"{what} must be text, not {describe(node)}")
            return None
        return str(node.value).strip()

    def number(self, node: yaml.Node, what: str) -> float | None:
        if isinstance(node, yaml.ScalarNode) and node.tag in (_INT, _FLOAT):
            value = _to_float(str(node.value))
            if value is not None and value == value and abs(value) != float("inf"):  # finite
                return value
        hint = ""
        if (
            isinstance(node, yaml.ScalarNode)
            and node.tag == _STR
            and _to_float(node.value) is not None
        ):
            if node.style in ("'", '"'):
                hint = " (remove the quotes)"
            else:
                hint = (
                    " (YAML reads it as text: write it with a decimal point, e.g. 1.0e+3 or 1000)"
                )
        self.error(node, f"{what} must be a finite number, not {describe(node)}{hint}")
        return None

    def boolean(self, node: yaml.Node, what: str) -> bool | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL:
            return str(node.value).lower() in ("true", "yes", "on")
        self.error(node, f"{what} must be true or false, not {describe(node)}")
        return None


def _to_float(text: str) -> float | None:
    try:
        return float(text.replace("_", ""))
    except ValueError:
        try:
            return float(int(text.replace("_", ""), 0))
        except ValueError:
            return None


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


def split_key(node: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """A mapping's value at `key`, and the mapping without it; None when either is missing."""
    if not isinstance(node, yaml.MappingNode):
        return None
    value = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
    if value is None:
        return None
    rest = [(k, v) for k, v in node.value if getattr(k, "value", None) != key]
    return value, yaml.MappingNode(node.tag, rest, node.start_mark, node.end_mark)


def describe(node: yaml.Node) -> str:
    """A short description of a node for error messages."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "empty"
    if node.tag == _STR:
        return f"'{node.value}'"
    return f"{node.value}"


def _first_shared_node(root: yaml.Node) -> yaml.Node | None:
    """The first node reached twice (an alias), without ever expanding aliases."""
    seen: set[int] = set()
    for node in _walk(root):
        if id(node) in seen:
            return node
        seen.add(id(node))
    return None


def _walk(root: yaml.Node) -> Iterator[yaml.Node]:
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for k, v in reversed(node.value):
                stack.extend((v, k))
