"""Renderers: every report is data first; each output format is one module that draws it."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from typing import TypeAlias

    from nposition.formats.genius_import import ImportSummary
    from nposition.reports.checks import CheckReport
    from nposition.reports.compare import Comparison, Diff
    from nposition.reports.explain import Explanation
    from nposition.reports.results import Analysis
    from nposition.reports.show import IssuesView, PartyView
    from nposition.reports.validation import Validation

    Report: TypeAlias = (
        Analysis
        | Comparison
        | Diff
        | Explanation
        | IssuesView
        | PartyView
        | CheckReport
        | Validation
        | ImportSummary
    )


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


def emit(report: Report, fmt: Format, out: TextIO) -> None:
    """Write a report (any result object of `nposition.reports`) in the chosen format."""
    if fmt is Format.JSON:
        from nposition.render.json import write
    elif fmt is Format.MARKDOWN:
        from nposition.render.markdown import write
    else:
        from nposition.render.table import write
    write(report, out)
