"""The case model: issues, options, parties, rules and their sources, as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from nposition.errors import Location
from nposition.model.expr import Node


class RuleKind(StrEnum):
    RED_LINE = "red_line"
    PREFERENCE = "preference"


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Issue:
    id: str
    title: str
    options: tuple[Option, ...]
    ordered: bool = False
    description: str = ""

    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "ordered": self.ordered,
            "description": self.description,
            "options": [{"id": o.id, "label": o.label} for o in self.options],
        }


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    title: str
    date: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Source:
    who: str
    date: str
    where: str = ""
    quote: str = ""
    paraphrase: bool = False
    document: str = ""
    url: str = ""

    def cite(self) -> str:
        """`who, date, where` in one line."""
        return ", ".join(part for part in (self.who, self.date, self.where) if part)

    def to_dict(self) -> dict[str, Any]:
        return {
            "who": self.who,
            "date": self.date,
            "where": self.where,
            "quote": self.quote,
            "paraphrase": self.paraphrase,
            "document": self.document,
            "url": self.url,
        }


@dataclass(frozen=True, slots=True)
class Expression:
    """An expression as written (for display and error carets) and resolved (for evaluation)."""

    text: str
    node: Node
    location: Location  # of the first character of the text in its file


@dataclass(frozen=True, slots=True)
class Rule:
    party: str
    id: str
    kind: RuleKind
    text: str
    require: Expression
    source: Source
    when: Expression | None = None
    cost: float = 1.0
    weight: float = 1.0
    location: Location = field(default=Location(""), compare=False)

    @property
    def key(self) -> str:
        """The rule's name everywhere in nposition: `party/rule-id`."""
        return f"{self.party}/{self.id}"

    @property
    def strength(self) -> str:
        """`cost 3` for a red line, `weight 2` for a preference."""
        if self.kind is RuleKind.RED_LINE:
            return f"cost {number(self.cost)}"
        return f"weight {number(self.weight)}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "key": self.key, "kind": self.kind.value}
        out["text"] = self.text
        out["require"] = self.require.text
        out["when"] = self.when.text if self.when else None
        if self.kind is RuleKind.RED_LINE:
            out["cost"] = number(self.cost)
        else:
            out["weight"] = number(self.weight)
        out["source"] = self.source.to_dict()
        return out


@dataclass(frozen=True, slots=True)
class Party:
    id: str
    name: str
    rules: tuple[Rule, ...]
    as_of: str = ""
    reservation: float | None = None
    location: Location = field(default=Location(""), compare=False)

    @property
    def red_lines(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind is RuleKind.RED_LINE)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "as_of": self.as_of,
            "reservation": self.reservation,
            "rules": [r.to_dict() for r in self.rules],
        }

    @property
    def preferences(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind is RuleKind.PREFERENCE)


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    title: str
    issues: tuple[Issue, ...]
    parties: tuple[Party, ...]
    documents: tuple[Document, ...] = ()
    status_quo: tuple[int, ...] | None = None  # option index per issue, None for no agreement
    description: str = ""
    path: str = ""

    def issue(self, issue_id: str) -> Issue:
        return next(i for i in self.issues if i.id == issue_id)

    def party(self, party_id: str) -> Party:
        return next(p for p in self.parties if p.id == party_id)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(r for p in self.parties for r in p.rules)

    @property
    def red_lines(self) -> tuple[Rule, ...]:
        return tuple(r for p in self.parties for r in p.red_lines)

    def rule(self, key: str) -> Rule:
        return next(r for r in self.rules if r.key == key)

    def to_dict(self) -> dict[str, Any]:
        """The case's issues, parties and documents (the parties' rules are under `show PARTY`)."""
        return {
            "case": self.id,
            "title": self.title,
            "description": self.description,
            "issues": [i.to_dict() for i in self.issues],
            "parties": [{"id": p.id, "name": p.name, "as_of": p.as_of} for p in self.parties],
            "documents": [
                {"id": d.id, "title": d.title, "date": d.date, "note": d.note}
                for d in self.documents
            ],
            "status_quo": None if self.status_quo is None else self.package_dict(self.status_quo),
        }

    def package_dict(self, package: tuple[int, ...]) -> dict[str, str]:
        """A package as `{issue id: option id}`, in issue order."""
        return {
            issue.id: issue.options[o].id for issue, o in zip(self.issues, package, strict=True)
        }


def number(x: float) -> float | int:
    """A number as JSON should show it: integral values without a fraction."""
    return int(x) if float(x).is_integer() else round(x, 6)
