"""The vocabulary of the file-format declarations: fields, records and the types of values.

Each type carries its ranges, patterns or vocabulary and words its own problem, so that a rule
and its message are written once. The declarations themselves are in `spec`; the loaders read
with them (`yamlio.Reader.record`, `Reader.scalar`) and `schema` turns them into JSON Schemas.
These are NamedTuples, cheap to build at import on every `validate` and `analyze`; the module
evaluates its annotations (no `from __future__ import annotations`) because NamedTuple compiles
each string annotation into a ForwardRef, which would double the cost of defining the classes.
"""

import re
from datetime import date
from typing import NamedTuple


class Range(NamedTuple):
    """Bounds on a number; `low_open` leaves the low bound itself out."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False

    def phrase(self) -> str:
        """`>= 0`, `> 0` or `between 0 and 1`, as messages print it."""
        if self.low is not None and self.high is not None:
            if self.low_open:
                return f"> {self.low:g} and <= {self.high:g}"
            return f"between {self.low:g} and {self.high:g}"
        if self.low is not None:
            return f"{'>' if self.low_open else '>='} {self.low:g}"
        return f"<= {self.high:g}" if self.high is not None else "any number"

    def problem(self, what: str, value: float) -> str | None:
        """The message when `value` is out of range, else None."""
        low_ok = self.low is None or value > self.low or (value == self.low and not self.low_open)
        if low_ok and (self.high is None or value <= self.high):
            return None
        return f"{what} {value:g} must be {self.phrase()}"


class Text(NamedTuple):
    """Free text (any scalar, taken as written)."""

    nonempty: bool = False


class Number(NamedTuple):
    """A finite number within a range."""

    range: Range = Range()


class Boolean(NamedTuple):
    """true or false."""


class Date(NamedTuple):
    """A calendar date, a month or a year."""

    pattern: str = r"\d{4}(-\d{2}(-\d{2})?)?"
    forms: str = "YYYY-MM-DD, YYYY-MM or YYYY"

    def problem(self, value: str) -> str | None:
        """The message when `value` is not a date in one of the forms, else None."""
        if not re.fullmatch(self.pattern, value):
            return f"date '{value}' must be {self.forms}"
        try:
            date.fromisoformat(value + "-01-01"[len(value) - 4 :])
        except ValueError:
            return f"date '{value}' is not a real calendar date"
        return None


class Pattern(NamedTuple):
    """An id: text matching a pattern, other than a few reserved words."""

    pattern: str
    allowed: str  # the characters it allows, for messages
    why: str = ""
    reserved: tuple[str, ...] = ()
    reserved_as: str = ""

    def problem(self, what: str, value: str) -> str | None:
        """The message when `value` is not a valid id, else None."""
        if value in self.reserved:
            return f"{what} '{value}' is {self.reserved_as}; choose another id"
        if not re.fullmatch(self.pattern, value):
            tail = f" ({self.why})" if self.why else ""
            return f"{what} '{value}' must use only {self.allowed}{tail}"
        return None


class Expression(NamedTuple):
    """A rule expression (DESIGN.md, Rule expressions)."""


class Choice(NamedTuple):
    """One word of a closed vocabulary."""

    values: tuple[str, ...]

    def problem(self, what: str, value: str) -> str | None:
        """The message when `value` is not in the vocabulary, else None."""
        if value in self.values:
            return None
        words = ", ".join(self.values[:-1]) + " or " + self.values[-1]
        return f"{what} must be {words}, not '{value}'"


class ListOf(NamedTuple):
    """A list of items of one type."""

    item: "Type"
    min_items: int = 0


class MapOf(NamedTuple):
    """A mapping from keys of one type to values of another (e.g. a package: issue to option)."""

    key: Pattern
    value: "Type"


class Either(NamedTuple):
    """A value of one of several types."""

    types: tuple["Type", ...]


class Field(NamedTuple):
    """One key of a record."""

    name: str
    type: "Type"
    doc: str
    required: bool = False
    missing: str = ""  # what to say when a required field is missing, if not the usual
    goes_with: str = ""  # only beside this other field of the record
    kind: str = ""  # a rule field that only this kind of rule takes
    instead: str = ""  # with `kind`: what a rule of the other kind says instead

    @property
    def bounds(self) -> Range | None:
        """The range of a number field."""
        return self.type.range if isinstance(self.type, Number) else None


class Record(NamedTuple):
    """A mapping with declared keys; no others are allowed."""

    doc: str
    fields: tuple[Field, ...]
    exactly_one: tuple[str, ...] = ()  # exactly one of these keys is given
    at_least_one: tuple[str, ...] = ()  # at least one of these keys is given
    not_both: tuple[str, ...] = ()  # these two keys are never given together

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


Scalar = Text | Number | Boolean | Date | Pattern | Expression | Choice
Type = Scalar | ListOf | MapOf | Either | Record
# The scalars read by their type alone (an expression needs the case's issues).
SIMPLE_SCALARS = (Text, Number, Boolean, Date, Pattern, Choice)
