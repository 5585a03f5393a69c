"""JSON Schemas of the position files, for YAML editors (the loader remains the real check)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_NAME = {"type": "string", "pattern": "^[A-Za-z0-9_]+$"}
_RULE_ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"}
# YAML reads an unquoted 2019 as a number and 2019-01-14 as a date; the loader takes all three.
_DATE = {
    "anyOf": [
        {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
        {"type": "integer", "minimum": 1000, "maximum": 9999},
    ]
}
_TEXT = {"type": "string"}


class Kind(StrEnum):
    CASE = "case"
    PARTY = "party"
    SCENARIO = "scenario"
    CHECKS = "checks"


def _object(
    properties: dict[str, Any], required: list[str], description: str = ""
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if description:
        out["description"] = description
    return out


SOURCE = _object(
    {
        "who": _TEXT,
        "date": _DATE,
        "where": _TEXT,
        "quote": {"type": "string", "description": "A short attributed quote, or a paraphrase."},
        "paraphrase": {"type": "boolean"},
        "document": {"type": "string", "description": "The id of a document in case.yaml."},
        "url": _TEXT,
    },
    ["who", "date", "quote"],
    "Who said it, when and where.",
)

EXPRESSION = {
    "type": ["string", "boolean"],
    "description": "e.g. `islands_transferred in [habomai_shikotan, all_four] and not base_restrictions == none`",
}

RULE = _object(
    {
        "id": _RULE_ID,
        "kind": {"enum": ["red_line", "preference"]},
        "text": _TEXT,
        "require": EXPRESSION,
        "when": EXPRESSION,
        "cost": {"type": "number", "minimum": 0, "description": "Red lines: cost of giving it up."},
        "weight": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Preferences: salience.",
        },
        "source": SOURCE,
    },
    ["id", "kind", "require", "source"],
)

CASE = _object(
    {
        "case": _TEXT,
        "title": _TEXT,
        "description": _TEXT,
        "source": {"type": "object"},
        "issues": {
            "type": "array",
            "minItems": 1,
            "items": _object(
                {
                    "id": _NAME,
                    "title": _TEXT,
                    "description": _TEXT,
                    "ordered": {"type": "boolean"},
                    "options": {
                        "type": "array",
                        "minItems": 1,
                        "items": _object({"id": _NAME, "label": _TEXT}, ["id"]),
                    },
                },
                ["id", "title", "options"],
            ),
        },
        "status_quo": {
            "oneOf": [
                {"const": "no_agreement"},
                {"type": "object", "additionalProperties": _NAME},
            ]
        },
        "documents": {
            "type": "array",
            "items": _object(
                {"id": _TEXT, "title": _TEXT, "date": _DATE, "note": _TEXT, "url": _TEXT},
                ["id", "title"],
            ),
        },
    },
    ["case", "title", "issues"],
    "An nposition case: issues, options, documents, status quo.",
)

PARTY = _object(
    {
        "party": _RULE_ID,
        "name": _TEXT,
        "as_of": _DATE,
        "reservation": {"type": "number", "minimum": 0, "maximum": 1},
        "rules": {"type": "array", "items": RULE},
    },
    ["party", "name", "rules"],
    "An nposition party file: its red lines and preferences, each with a source.",
)

_RULE_REF = {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*/[a-z0-9][a-z0-9_-]*$"}

SCENARIO = _object(
    {
        "scenario": _RULE_ID,
        "title": _TEXT,
        "rationale": _TEXT,
        "as_of": _DATE,
        "changes": {
            "type": "array",
            "items": {
                "oneOf": [
                    _object({"drop": _RULE_REF}, ["drop"]),
                    _object(
                        {"soften": _RULE_REF, "weight": {"type": "number", "exclusiveMinimum": 0}},
                        ["soften"],
                    ),
                    _object(
                        {
                            "add": {
                                **RULE,
                                "properties": {**RULE["properties"], "party": _RULE_ID},
                                "required": ["party", *RULE["required"]],
                            }
                        },
                        ["add"],
                    ),
                    _object(
                        {
                            "set": _object(
                                {
                                    "rule": _RULE_REF,
                                    "cost": {"type": "number", "minimum": 0},
                                    "weight": {"type": "number", "exclusiveMinimum": 0},
                                    "text": _TEXT,
                                    "require": EXPRESSION,
                                    "when": EXPRESSION,
                                },
                                ["rule"],
                            )
                        },
                        ["set"],
                    ),
                ]
            },
        },
    },
    ["scenario", "title", "rationale", "changes"],
    "An nposition scenario: a named change to the positions.",
)


_PACKAGE_CHECK = _object(
    {"party": _RULE_ID, "package": {"type": "object", "additionalProperties": _NAME}},
    ["package"],
)
_ASSERTIONS: dict[str, Any] = {
    "zone": {"enum": ["empty", "nonempty"]},
    "zone_size_at_least": {"type": "number", "minimum": 0},
    "acceptable": _PACKAGE_CHECK,
    "unacceptable": _PACKAGE_CHECK,
    "conflict": {"type": "array", "minItems": 1, "items": _RULE_REF},
    "no_conflict": {"type": "array", "minItems": 1, "items": _RULE_REF},
    "concession_cost_at_most": {"type": "number", "minimum": 0},
}
CHECKS = _object(
    {
        "description": _TEXT,
        "checks": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {"id": _TEXT, "scenario": _TEXT, "because": _TEXT, **_ASSERTIONS},
                "required": ["id"],
                "additionalProperties": False,
                "minProperties": 2,
                "oneOf": [{"required": [name]} for name in _ASSERTIONS],
            },
        },
    },
    ["checks"],
    "Expectations that `nposition check` verifies.",
)


def schema_for(kind: Kind) -> dict[str, Any]:
    """The JSON Schema of one kind of file."""
    body = {Kind.CASE: CASE, Kind.PARTY: PARTY, Kind.SCENARIO: SCENARIO, Kind.CHECKS: CHECKS}[kind]
    return {"$schema": _DRAFT, "title": f"nposition {kind.value} file", **body}
