"""Markdown reports, fit for a pull-request comment."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from nposition.render.blocks import Cell, Heading, Para, Pre, Table, clean
from nposition.render.doc import blocks

if TYPE_CHECKING:
    from nposition.render import Report


def write(report: Report, out: TextIO) -> None:
    """Write a report as Markdown."""
    out.write(dumps(report))


def dumps(report: Report) -> str:
    """A report as Markdown: headings, paragraphs and pipe tables."""
    parts: list[str] = []
    for block in map(clean, blocks(report)):
        if isinstance(block, Heading):
            parts.append(f"## {block.text}")
        elif isinstance(block, Para):
            parts.append(f"**{block.text}**" if block.tone == "bad" else block.text)
        elif isinstance(block, Pre):
            parts.append(f"```\n{block.text}\n```")
        elif isinstance(block, Table):
            parts.append(_table(block))
    return "\n\n".join(parts) + "\n"


def _table(block: Table) -> str:
    lines = [f"### {block.title}", ""]
    lines.append("| " + " | ".join(block.columns) + " |")
    lines.append("|" + "---|" * len(block.columns))
    for row in block.rows:
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return "\n".join(lines)


def _cell(cell: Cell) -> str:
    text = cell.text.replace("|", "\\|").replace("\n", "<br>")
    return f"**{text}**" if cell.tone == "bad" and text else text
