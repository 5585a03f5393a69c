"""JSON output: the one serializer of every report, the contract of DESIGN.md section 5.

Results hold domain values; only the `json` modules turn them into JSON: enums become their values,
packages `{issue: option}` objects, and every number goes through `number` (integral values
without a fraction, others rounded to 6 decimals). Output is byte-identical across runs.
`json_analysis` serializes analyze, compare and diff; `json_case` the other reports.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TextIO

from nposition.model.case import number
from nposition.render import drawer

if TYPE_CHECKING:
    from nposition.render import Report
    from nposition.reports.results import Package, UtilityPoint

SCHEMA_VERSION = 1

Json = dict[str, Any]

# report class -> (module, function)
_BUILDERS = {
    "Analysis": ("nposition.render.json_analysis", "analysis"),
    "Reach": ("nposition.render.json_analysis", "reach"),
    "Comparison": ("nposition.render.json_analysis", "comparison"),
    "Diff": ("nposition.render.json_analysis", "diff"),
    "Explanation": ("nposition.render.json_case", "explanation"),
    "IssuesView": ("nposition.render.json_case", "issues_view"),
    "PartyView": ("nposition.render.json_case", "party_view"),
    "CheckReport": ("nposition.render.json_case", "check_report"),
    "Validation": ("nposition.render.json_case", "validation"),
    "ImportSummary": ("nposition.render.json_case", "import_summary"),
}


# JSON escapes C0 controls itself; these are escaped too, so that no terminal acts on them (C1,
# DEL) and no JavaScript reader splits a string at them (the line and paragraph separators).
_ESCAPED = {c: f"\\u{c:04x}" for c in (*range(0x7F, 0xA0), 0x2028, 0x2029)}


def dumps(report: Report, ascii_only: bool = False) -> str:
    """A report as indented JSON text, non-ASCII characters kept unless `ascii_only`."""
    return (encode(data(report), ascii_only) + "\n").translate(_ESCAPED)


def encode(value: Any, ascii_only: bool = False) -> str:
    """JSON text exactly as `json.dumps(value, indent=2, ensure_ascii=ascii_only)` writes it.

    Written here because the `json` package costs about 2 ms of every start (its decoder and
    scanner come with it), and its encoder with `indent` is pure Python anyway.
    """
    string = _ascii_string if ascii_only else _string

    def key(k: object) -> str:
        if isinstance(k, str):
            return string(k)
        if isinstance(k, bool) or k is None or isinstance(k, int | float):
            return f'"{scalar(k)}"'
        raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")

    def scalar(v: object) -> str:
        if v is None:
            return "null"
        if v is True:
            return "true"
        if v is False:
            return "false"
        if isinstance(v, int):
            return int.__repr__(v)
        if isinstance(v, float):
            if v != v:
                return "NaN"
            if v in (_INFINITY, -_INFINITY):
                return "Infinity" if v > 0 else "-Infinity"
            return float.__repr__(v)
        raise TypeError(f"Object of type {type(v).__name__} is not JSON serializable")

    def text(v: object, indent: str) -> str:
        if isinstance(v, str):
            return string(v)
        inner = indent + "  "
        if isinstance(v, dict):
            if not v:
                return "{}"
            items = f",\n{inner}".join(f"{key(k)}: {text(x, inner)}" for k, x in v.items())
            return f"{{\n{inner}{items}\n{indent}}}"
        if isinstance(v, list | tuple):
            if not v:
                return "[]"
            items = f",\n{inner}".join(text(x, inner) for x in v)
            return f"[\n{inner}{items}\n{indent}]"
        return scalar(v)

    return text(value, "")


_INFINITY = float("inf")
_SPECIAL = re.compile(r'[\x00-\x1f\\"]')
_NOT_ASCII = re.compile(r'[\\"]|[^\ -~]')
_SHORT = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    c = match.group(0)
    found = _SHORT.get(c)
    if found is not None:
        return found
    n = ord(c)
    if n < 0x10000:
        return f"\\u{n:04x}"
    n -= 0x10000  # beyond the basic plane: a surrogate pair, as JSON spells it
    return f"\\u{0xD800 | (n >> 10) & 0x3FF:04x}\\u{0xDC00 | n & 0x3FF:04x}"


def _string(s: str) -> str:
    return '"' + _SPECIAL.sub(_escape, s) + '"'


def _ascii_string(s: str) -> str:
    return '"' + _NOT_ASCII.sub(_escape, s) + '"'


def write(report: Report, out: TextIO) -> None:
    """Write a report as JSON; as pure ASCII escapes when the output cannot encode the text."""
    text = dumps(report)
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        text = dumps(report, ascii_only=True)
    out.write(text)


def data(report: Report) -> Any:
    """A report as plain JSON data (dicts, lists, strings, numbers, booleans, None)."""
    return drawer(report, _BUILDERS, "JSON form")(report)


def package(p: Package) -> dict[str, str | None]:
    """A package as `{issue: option}`, in case order."""
    return dict(p.items())


def point(p: UtilityPoint | None) -> Json | None:
    """A package and each party's utility of it."""
    if p is None:
        return None
    return {"package": package(p.package), "utilities": numbers(p.utilities)}


def numbers(values: dict[str, float]) -> dict[str, float | int]:
    """Numbers by party (utilities, reservations) as JSON shows numbers."""
    return {k: number(v) for k, v in values.items()}
