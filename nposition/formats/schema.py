"""JSON Schemas of the position files, for YAML editors, generated from their declarations in `spec`.

A schema says what a file's shape may be: keys, types, ranges, patterns and vocabularies. What
needs the other files of the case (unknown issues, options, rules or documents) or parses an
expression is left to the loader, which remains the full check.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the CLI imports `Kind` on every start; the declarations load with a schema
    from nposition.formats import fields

_DRAFT = "https://json-schema.org/draft/2020-12/schema"
# YAML reads an unquoted 2019 as a number and 2019-01-14 as a date; the loader takes all three.
_YEAR = {"type": "integer", "minimum": 1000, "maximum": 9999}


class Kind(StrEnum):
    CASE = "case"
    PARTY = "party"
    SCENARIO = "scenario"
    CHECKS = "checks"


def schema_for(kind: Kind) -> dict[str, Any]:
    """The JSON Schema of one kind of file."""
    from nposition.formats import spec

    body = json_schema(spec.file_spec(kind.value))
    return {"$schema": _DRAFT, "title": f"nposition {kind.value} file", **body}


def json_schema(kind: fields.Type) -> dict[str, Any]:
    """The JSON Schema of one declared type."""
    from nposition.formats import fields

    if isinstance(kind, fields.Record):
        return _record(kind)
    if isinstance(kind, fields.ListOf):
        out = {"type": "array", "items": json_schema(kind.item)}
        return {**out, "minItems": kind.min_items} if kind.min_items else out
    if isinstance(kind, fields.MapOf):
        return {
            "type": "object",
            "propertyNames": json_schema(kind.key),
            "additionalProperties": json_schema(kind.value),
        }
    if isinstance(kind, fields.Either):
        return {"oneOf": [json_schema(t) for t in kind.types]}
    return _scalar(kind)


def _scalar(kind: fields.Type) -> dict[str, Any]:
    from nposition.formats import fields

    if isinstance(kind, fields.Text):  # any scalar: the loader takes it as written
        return {
            "type": ["string", "number", "boolean"],
            **({"minLength": 1} if kind.nonempty else {}),
        }
    if isinstance(kind, fields.Number):
        return {"type": "number", **_range(kind.range)}
    if isinstance(kind, fields.Boolean):
        return {"type": "boolean"}
    if isinstance(kind, fields.Date):
        return {"anyOf": [{"type": "string", "pattern": f"^{kind.pattern}$"}, _YEAR]}
    if isinstance(kind, fields.Pattern):
        out: dict[str, Any] = {"type": "string", "pattern": f"^{kind.pattern}$"}
        return {**out, "not": {"enum": list(kind.reserved)}} if kind.reserved else out
    if isinstance(kind, fields.Expression):
        return {"type": ["string", "boolean"]}
    if isinstance(kind, fields.Choice):
        return {"enum": list(kind.values)}
    raise TypeError(f"no JSON Schema for {type(kind).__name__}")


def _range(bounds: fields.Range) -> dict[str, float]:
    out: dict[str, float] = {}
    if bounds.low is not None:
        out["exclusiveMinimum" if bounds.low_open else "minimum"] = bounds.low
    if bounds.high is not None:
        out["maximum"] = bounds.high
    return out


def _record(record: fields.Record) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "description": record.doc,
        "properties": {
            f.name: {**json_schema(f.type), "description": f.doc} for f in record.fields
        },
        "required": [f.name for f in record.fields if f.required],
        "additionalProperties": False,
    }
    if record.exactly_one:
        out["oneOf"] = [{"required": [name]} for name in record.exactly_one]
    if record.at_least_one:
        out["anyOf"] = [{"required": [name]} for name in record.at_least_one]
    if record.not_both:
        out["not"] = {"required": list(record.not_both)}
    goes_with = {f.name: [f.goes_with] for f in record.fields if f.goes_with}
    if goes_with:
        out["dependentRequired"] = goes_with
    by_kind = [_only_for_kind(f.name, f.kind) for f in record.fields if f.kind]
    if by_kind:
        out["allOf"] = by_kind
    return out


def _only_for_kind(name: str, kind: str) -> dict[str, Any]:
    """A rule of another kind than `kind` does not take the field `name`."""
    return {
        "if": {"required": ["kind"], "properties": {"kind": {"not": {"const": kind}}}},
        "then": {"not": {"required": [name]}},
    }
