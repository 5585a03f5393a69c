"""The case model: issues, options, parties, rules and their sources, as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

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


def number(x: float) -> float | int:
    """A number as JSON should show it: integral values without a fraction."""
    return int(x) if float(x).is_integer() else round(x, 6)
