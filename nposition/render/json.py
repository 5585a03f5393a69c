"""JSON output: the result object's own serialization, stable and byte-identical across runs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from nposition.render import Report


def dumps(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def write(report: Report, out: TextIO) -> None:
    out.write(dumps(report))
