"""Renderers: every report is data first; each output format is one module that draws it."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol, TextIO


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


class Report(Protocol):
    def to_dict(self) -> Any: ...


def emit(report: Report, fmt: Format, out: TextIO) -> None:
    """Write a report (any result object with `to_dict`) in the chosen format."""
    if fmt is Format.JSON:
        from nposition.render.json import write
    elif fmt is Format.MARKDOWN:
        from nposition.render.markdown import write
    else:
        from nposition.render.table import write
    write(report, out)
