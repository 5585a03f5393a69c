"""Renderers: every report is data first; each output format is one module that draws it."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from typing import TypeAlias

    from nposition.formats.genius_import import ImportSummary
    from nposition.reports.checks import CheckReport
    from nposition.reports.compare import Comparison, Diff
    from nposition.reports.explain import Explanation
    from nposition.reports.reach import Reach
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
        | Reach
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


def drawer(report: Report, table: Mapping[str, tuple[str, str]], what: str) -> Callable[..., Any]:
    """The function that `table` names for the report's class, `{class: (module, function)}`.

    Dispatch is by class name and the module is imported on first use, so drawing one report
    imports no other report's modules.
    """
    where = table.get(type(report).__name__)
    if where is None:
        raise TypeError(f"no {what} for {type(report).__name__}")
    module, name = where
    found: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return found
