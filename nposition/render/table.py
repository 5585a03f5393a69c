"""Tables for people: rich at a terminal, plain aligned text when written to a file or a pipe.

The only module (besides the CLI's progress bar) that imports rich, and only at a terminal, where
colour and fitting the window are worth its import cost; scripts and CI logs get plain text.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, TextIO

from nposition.render.blocks import Block, Cell, Heading, Para, Pre, Table, clean
from nposition.render.doc import blocks

if TYPE_CHECKING:
    from rich.table import Table as RichTable
    from rich.text import Text

    from nposition.render import Report

STYLES = {"good": "green", "bad": "bold red", "warn": "yellow", "dim": "dim", "": ""}


MAX_CELL = 48  # plain tables wrap cells at this width


def write(report: Report, out: TextIO) -> None:
    """Write a report as tables: rich at a terminal, plain text elsewhere."""
    layout = [clean(b) for b in blocks(report)]
    if out.isatty():
        _rich(layout, out)
    else:
        out.write(plain(layout))


def plain(layout: list[Block]) -> str:
    """The layout as plain text: aligned columns, cells wrapped at MAX_CELL characters."""
    parts: list[str] = []
    for block in layout:
        if isinstance(block, Table):
            parts.append(_plain_table(block))
        else:
            parts.append(block.text + "\n")
    return "".join(parts)


def _plain_table(block: Table) -> str:
    rows = [
        [_wrap(c) for c in block.columns],
        *([_wrap(c.text) for c in row] for row in block.rows),
    ]
    widths = [max(len(line) for row in rows for line in row[k]) for k in range(len(block.columns))]
    rule = ["-" * w for w in widths]
    out = [block.title]
    for k, row in enumerate(rows):
        for i in range(max(len(cell) for cell in row)):
            line = [cell[i] if i < len(cell) else "" for cell in row]
            out.append(
                "  " + "  ".join(t.ljust(w) for t, w in zip(line, widths, strict=True)).rstrip()
            )
        if k == 0:
            out.append("  " + "  ".join(rule))
    return "\n".join(out) + "\n\n"


def _wrap(text: str) -> list[str]:
    lines: list[str] = []
    for line in text.splitlines() or [""]:
        lines.extend(
            textwrap.wrap(line, MAX_CELL, break_long_words=False, break_on_hyphens=False) or [""]
        )
    return lines


def _rich(layout: list[Block], out: TextIO) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False, soft_wrap=False)
    for block in layout:
        if isinstance(block, Heading):
            console.print(Text(block.text, style="bold"))
        elif isinstance(block, Para):
            console.print(Text(block.text, style=STYLES[block.tone]))
        elif isinstance(block, Pre):
            console.print(Text(block.text, style=STYLES[block.tone]), soft_wrap=True)
        elif isinstance(block, Table):
            console.print(_table(block))


def _table(block: Table) -> RichTable:
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    # Text objects throughout: a name like "[/oops]" is text, never rich markup.
    t = RichTable(
        title=Text(block.title), title_justify="left", box=box.SIMPLE_HEAD, show_lines=False
    )
    for k, column in enumerate(block.columns):
        # The first column names the row (an id): keep it whole.
        t.add_column(Text(column), overflow="fold", no_wrap=k == 0)
    for row in block.rows:
        t.add_row(*(_cell(c) for c in row))
    return t


def _cell(cell: Cell) -> Text:
    from rich.text import Text

    return Text(cell.text, style=STYLES[cell.tone])
