"""Rich tables for people at a terminal (the only module besides the CLI's help that imports rich)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from rich import box
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from nposition.render.doc import Cell, Heading, Para, Table, blocks

if TYPE_CHECKING:
    from nposition.render import Report

STYLES = {"good": "green", "bad": "bold red", "warn": "yellow", "dim": "dim", "": ""}


def write(report: Report, out: TextIO) -> None:
    console = Console(file=out, highlight=False, soft_wrap=False)
    for block in blocks(report):
        if isinstance(block, Heading):
            console.print(Text(block.text, style="bold"))
        elif isinstance(block, Para):
            console.print(Text(block.text, style=STYLES[block.tone]))
        elif isinstance(block, Table):
            console.print(_table(block))


def _table(block: Table) -> RichTable:
    t = RichTable(title=block.title, title_justify="left", box=box.SIMPLE_HEAD, show_lines=False)
    for column in block.columns:
        t.add_column(column, overflow="fold")
    for row in block.rows:
        t.add_row(*(_cell(c) for c in row))
    return t


def _cell(cell: Cell) -> Text:
    return Text(cell.text, style=STYLES[cell.tone])
