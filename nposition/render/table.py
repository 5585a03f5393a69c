"""Rich tables for people at a terminal (the only module besides the CLI's help that imports rich)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TextIO

from nposition.render.doc import Block, Cell, Heading, Para, Pre, Table, blocks

if TYPE_CHECKING:
    from rich.table import Table as RichTable
    from rich.text import Text

    from nposition.render import Report

WIDTH_OFF_TERMINAL = 120
STYLES = {"good": "green", "bad": "bold red", "warn": "yellow", "dim": "dim", "": ""}


def write(report: Report, out: TextIO) -> None:
    layout = blocks(report)
    if not any(isinstance(b, Table) for b in layout) and not out.isatty():
        # Plain lines need no rich: keeps `validate` in scripts and CI as fast as possible.
        out.write("".join(f"{b.text}\n" for b in layout if not isinstance(b, Table)))
        return
    _rich(layout, out)


def _rich(layout: list[Block], out: TextIO) -> None:
    from rich.console import Console
    from rich.text import Text

    # Off a terminal rich assumes 80 columns; reports read better wider unless COLUMNS says.
    width = None if out.isatty() or "COLUMNS" in os.environ else WIDTH_OFF_TERMINAL
    console = Console(file=out, highlight=False, soft_wrap=False, width=width)
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

    t = RichTable(title=block.title, title_justify="left", box=box.SIMPLE_HEAD, show_lines=False)
    for k, column in enumerate(block.columns):
        # The first column names the row (an id): keep it whole.
        t.add_column(column, overflow="fold", no_wrap=k == 0)
    for row in block.rows:
        t.add_row(*(_cell(c) for c in row))
    return t


def _cell(cell: Cell) -> Text:
    from rich.text import Text

    return Text(cell.text, style=STYLES[cell.tone])
