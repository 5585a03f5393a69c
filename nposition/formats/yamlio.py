"""Reading YAML safely, keeping node positions so every problem can be located.

Only the loaders (`case_file`, `party_file`, `scenario_file`, `checks_file`) use this module.
Files are composed into nodes (no Python objects are constructed from tags), aliases are refused,
and oversized files are refused before parsing. Keys, ranges, patterns and vocabularies come
from the declarations in `spec` (built of `fields`); this module reads the YAML types.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

from nposition.errors import Location, Problem, Severity, visible
from nposition.formats import fields
from nposition.formats.files import Unreadable, read_bytes
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
        self.display = visible(display or str(path))  # a name's odd bytes never reach a report
        self.problems = problems
        self.source = ""
        self._lines: list[int] | None = None

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

    def error_count(self) -> int:
        """How many errors have been recorded so far (to tell whether a part read cleanly)."""
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    # --- the file ---------------------------------------------------------------------------
    def load(self) -> yaml.Node | None:
        """The file's root node, or None (with a problem recorded) when it cannot be read."""
        try:
            text = self.source = read_bytes(self.path, MAX_FILE_BYTES).decode("utf-8")
        except Unreadable as e:
            self.error(None, str(e))
            return None
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
        # An alias needs an anchor, and an anchor needs `&`: without one the walk is not needed.
        shared = _first_shared_node(root) if "&" in text else None
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
        if self._lines is None:  # where each line starts, found once per file
            self._lines = [0]
            end = self.source.find("\n")
            while end != -1:
                self._lines.append(end + 1)
                end = self.source.find("\n", end + 1)
        line = bisect.bisect_right(self._lines, index)
        return Location(self.display, line, index - self._lines[line - 1] + 1)

    # --- typed access -----------------------------------------------------------------------
    def mapping(
        self,
        node: yaml.Node,
        what: str,
        required: tuple[str, ...] = (),
        optional: tuple[str, ...] = (),
    ) -> dict[str, yaml.Node] | None:
        """The keys of a mapping node; unknown, duplicate and missing keys are problems."""
        out = self._keys(node, what, tuple(dict.fromkeys(required + optional)))
        if out is not None:
            for key in required:
                if key not in out:
                    self.error(node, f"{what}: missing required key '{key}'")
        return out

    def record(
        self, node: yaml.Node, record: fields.Record, what: str
    ) -> dict[str, yaml.Node] | None:
        """The keys of a mapping declared by `record`: unknown, duplicate and missing keys."""
        out = self._keys(node, what, record.names)
        if out is not None:
            for field in record.fields:
                if field.required and field.name not in out:
                    missing = field.missing or f"missing required key '{field.name}'"
                    self.error(node, f"{what}{' ' if field.missing else ': '}{missing}")
        return out

    def _keys(
        self, node: yaml.Node, what: str, known: tuple[str, ...]
    ) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be a mapping, not {describe(node)}")
            return None
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

    def number(
        self, node: yaml.Node, what: str, bounds: fields.Range | None = None
    ) -> float | None:
        """A finite number, within `bounds` when given."""
        if isinstance(node, yaml.ScalarNode) and node.tag in (_INT, _FLOAT):
            value = _to_float(str(node.value))
            if value is not None and value == value and abs(value) != float("inf"):  # finite
                problem = bounds.problem(what, value) if bounds else None
                if problem is None:
                    return value
                self.error(node, problem)
                return None
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

    def date(
        self, node: yaml.Node, what: str = "date", form: fields.Date | None = None
    ) -> str | None:
        """A date as written: YYYY-MM-DD, YYYY-MM or YYYY."""
        return self._checked(node, what, (form or fields.Date()).problem)

    def name(self, node: yaml.Node, what: str, pattern: fields.Pattern) -> str | None:
        """An id matching its pattern."""
        return self._checked(node, what, lambda value: pattern.problem(what, value))

    def choice(self, node: yaml.Node, what: str, choice: fields.Choice) -> str | None:
        """One word of a vocabulary."""
        return self._checked(node, what, lambda value: choice.problem(what, value))

    def _checked(
        self, node: yaml.Node, what: str, problem: Callable[[str], str | None]
    ) -> str | None:
        value = self.text(node, what)
        if value is None:
            return None
        found = problem(value)
        if found is not None:
            self.error(node, found)
            return None
        return value

    def scalars(
        self, keys: dict[str, yaml.Node], record: fields.Record, what: str = ""
    ) -> dict[str, str | float | bool | None]:
        """Every scalar field of a record that is given, read as its declared type."""
        out: dict[str, str | float | bool | None] = {}
        for field in record.fields:
            node = keys.get(field.name)
            if node is None or not isinstance(field.type, fields.SIMPLE_SCALARS):
                continue
            label = f"{what}: {field.name}" if what else field.name
            value = out[field.name] = self.scalar(node, field.type, label)
            if value == "" and isinstance(field.type, fields.Text) and field.type.nonempty:
                self.error(
                    node, f"{what} {field.missing}" if field.missing else f"{label} is empty"
                )
        return out

    def scalar(self, node: yaml.Node, kind: fields.Type, what: str) -> str | float | bool | None:
        """One scalar value of a declared type (text, number, boolean, date, id or word)."""
        if isinstance(kind, fields.Number):
            return self.number(node, what, kind.range)
        if isinstance(kind, fields.Boolean):
            return self.boolean(node, what)
        if isinstance(kind, fields.Date):
            return self.date(node, what, kind)
        if isinstance(kind, fields.Pattern):
            return self.name(node, what, kind)
        if isinstance(kind, fields.Choice):
            return self.choice(node, what, kind)
        if isinstance(kind, fields.Text):
            return self.text(node, what)
        raise TypeError(f"{what}: {type(kind).__name__} is not a scalar type")


def text_of(values: dict[str, str | float | bool | None], key: str) -> str:
    """A text value read by `Reader.scalars`, or "" when absent or unreadable."""
    value = values.get(key)
    return value if isinstance(value, str) else ""


def _to_float(text: str) -> float | None:
    try:
        return float(text.replace("_", ""))
    except ValueError:
        try:
            return float(int(text.replace("_", ""), 0))
        except ValueError:
            return None


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
