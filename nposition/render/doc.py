"""Report layouts: each report becomes headings, paragraphs and tables, which the table and
Markdown formats draw. The small layouts live here; the others in a module per report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nposition.render import drawer
from nposition.render.blocks import STATUS_TONE, Block, Para, Pre, plural, table, tone

if TYPE_CHECKING:
    from nposition.formats.genius_import import ImportSummary
    from nposition.render import Report
    from nposition.reports.checks import CheckReport
    from nposition.reports.validation import Validation

# report class -> (layout module, function)
_VIEWS = {
    "Validation": (__name__, "validation"),
    "CheckReport": (__name__, "checks"),
    "ImportSummary": (__name__, "import_summary"),
    "IssuesView": ("nposition.render.show_views", "issues"),
    "PartyView": ("nposition.render.show_views", "party"),
    "Explanation": ("nposition.render.explain_views", "explanation"),
    "Analysis": ("nposition.render.analysis_views", "analysis"),
    "Reach": ("nposition.render.analysis_views", "reach"),
    "Comparison": ("nposition.render.compare_views", "comparison"),
    "Diff": ("nposition.render.compare_views", "diff"),
}


def blocks(report: Report) -> list[Block]:
    """The layout of any report nposition prints."""
    layout: list[Block] = drawer(report, _VIEWS, "layout")(report)
    return layout


def validation(v: Validation) -> list[Block]:
    """Every problem, compiler-style, then the verdict."""
    # Compiler-style lines (path:line:col: message), which editors and CI logs make clickable.
    out: list[Block] = [Pre(str(p), tone=STATUS_TONE[p.severity.value]) for p in v.problems]
    errors, warnings = plural(v.errors, "error"), plural(v.warnings, "warning")
    verdict = "invalid" if v.errors else "valid"
    out.append(
        Para(f"case '{v.case}': {verdict} ({errors}, {warnings})", "bad" if v.errors else "good")
    )
    return out


def checks(r: CheckReport) -> list[Block]:
    """One row per expectation, then the counts."""
    rows = (
        (
            o.expectation.id,
            o.expectation.scenario,
            tone("pass" if o.passed else "fail"),
            o.expected,
            o.found,
        )
        for o in r.outcomes
    )
    return [
        table(
            f"Checks of case '{r.case}' ({r.file})",
            ("check", "scenario", "result", "expected", "found"),
            rows,
        ),
        Para(f"{r.passed} passed, {r.failed} failed", "bad" if r.failed else "good"),
    ]


def import_summary(s: ImportSummary) -> list[Block]:
    """What import-genius wrote, and its notes about the input."""
    parties = "part" + ("ies" if len(s.parties) != 1 else "y")
    out: list[Block] = [
        Para(
            f"wrote case '{s.case}' to {s.out}: {len(s.issues)} issues, "
            f"{len(s.parties)} {parties} ({', '.join(s.parties)}), {s.size:,} packages"
        )
    ]
    out += [Para(f"note: {note}", "warn") for note in s.notes]
    return out
