"""Reading XML safely, keeping element positions so every problem can be located.

Files go through the stdlib's expat parser into ElementTree elements with their line and column.
A DOCTYPE is refused (only a DOCTYPE can declare entities, so no entity is expanded and nothing
external is fetched), and so is a file over `MAX_XML_BYTES`.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import NoReturn
from xml.parsers import expat

from nposition.errors import LoadError, Location, Problem, Severity, visible
from nposition.formats.files import Unreadable, read_bytes

MAX_XML_BYTES = 20 * 1024 * 1024


class _Doctype(Exception):
    pass


class XmlFile:
    """One parsed file: its root element, each element's line, and the problems found in it."""

    def __init__(self, path: Path) -> None:
        self.path = visible(str(path))
        self.problems: list[Problem] = []
        self.lines: dict[ET.Element, tuple[int, int]] = {}
        self.root = self._parse(path)

    def _parse(self, path: Path) -> ET.Element:
        try:
            data = read_bytes(path, MAX_XML_BYTES)
        except FileNotFoundError:
            self._fail(Location(self.path), "file not found")
        except Unreadable as e:
            self._fail(Location(self.path), str(e))
        except OSError as e:
            self._fail(Location(self.path), f"cannot read file: {e.strerror or e}")
        builder = ET.TreeBuilder()
        parser = expat.ParserCreate()

        def start(tag: str, attrs: dict[str, str]) -> None:
            where = (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
            self.lines[builder.start(tag, attrs)] = where

        def refuse(*_: object) -> None:
            raise _Doctype

        parser.StartElementHandler = start
        parser.EndElementHandler = builder.end
        parser.StartDoctypeDeclHandler = refuse
        try:
            parser.Parse(data, True)
        except expat.ExpatError as e:
            where = Location(self.path, e.lineno, e.offset + 1)
            self._fail(where, f"malformed XML: {expat.ErrorString(e.code)}")
        except _Doctype:
            where = Location(self.path, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
            self._fail(
                where, "DOCTYPE declarations are refused (entities could expand without bound)"
            )
        return builder.close()

    def _fail(self, where: Location, message: str) -> NoReturn:
        raise LoadError([Problem(where, Severity.ERROR, message)])

    def loc(self, element: ET.Element) -> Location:
        return Location(self.path, *self.lines.get(element, (0, 0)))

    def error(self, element: ET.Element, message: str) -> None:
        self.problems.append(Problem(self.loc(element), Severity.ERROR, message))

    def attr(self, element: ET.Element, name: str, what: str) -> str | None:
        value = element.get(name)
        if value is None:
            self.error(element, f"{what}: <{element.tag}> has no '{name}' attribute")
        return value

    def number(self, element: ET.Element, name: str, what: str) -> float | None:
        text = self.attr(element, name, what)
        try:
            value = float(text) if text is not None else None
        except ValueError:
            value = math.nan
        if value is not None and not math.isfinite(value):
            self.error(element, f"{what}: '{name}' must be a finite number, not '{text}'")
            return None
        return value

    def integer(self, element: ET.Element, name: str, what: str) -> int | None:
        text = self.attr(element, name, what)
        try:
            return int(text) if text is not None else None
        except ValueError:
            self.error(element, f"{what}: '{name}' must be an integer, not '{text}'")
            return None

    def issues(self) -> list[ET.Element]:
        """Every <issue> of the file, wherever the objective tree puts it."""
        found = list(self.root.iter("issue"))
        if not found:
            self.error(self.root, "no <issue> element: not a GENIUS domain or utility profile")
        return found

    def done(self) -> None:
        """Raise every problem found so far, if any."""
        if self.problems:
            raise LoadError(self.problems)


def issue_kind(element: ET.Element) -> str:
    """An issue's type; the oldest files give none, and those are discrete."""
    for name in ("vtype", "type", "etype"):
        if element.get(name):
            return element.get(name, "").lower()
    return "discrete"
