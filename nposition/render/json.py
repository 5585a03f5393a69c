"""JSON output: the one serializer of every report, the contract of DESIGN.md section 5.

Results hold domain values; only the `json` modules turn them into JSON: enums become their values,
packages `{issue: option}` objects, and every number goes through `number` (integral values
without a fraction, others rounded to 6 decimals). Output is byte-identical across runs.
`json_analysis` serializes analyze, compare and diff; `json_case` the other reports.
"""

from __future__ import annotations

import json
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
    text = json.dumps(data(report), indent=2, ensure_ascii=ascii_only) + "\n"
    return text.translate(_ESCAPED)


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
