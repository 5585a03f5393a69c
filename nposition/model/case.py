"""The case model: issues, options, parties, rules and their sources, as frozen dataclasses.

Every command imports this module, so its classes are cheap to create: each is a `Record` (a
frozen dataclass whose generated methods but `__init__` are written once, in `record`), has a
docstring (without one, `dataclass` computes a signature to make one) and no `__slots__`
(`slots=True` builds each class twice; without slots a cached case also unpickles by filling
`__dict__`, at C speed).
"""

from __future__ import annotations

from dataclasses import field
from enum import StrEnum

from nposition.errors import Location
from nposition.model.record import Record
from nposition.model.tree import Expression


class RuleKind(StrEnum):
    RED_LINE = "red_line"
    PREFERENCE = "preference"


class Option(Record):
    """One option of an issue."""

    id: str
    label: str
    value: float | None = None  # a number, when the issue's options carry values (all or none)


class Issue(Record):
    """One issue: the options a package chooses among, and where the issue applies."""

    id: str
    title: str
    options: tuple[Option, ...]
    ordered: bool = False
    description: str = ""
    applies_when: Expression | None = None  # where false, the issue has no option: it is n/a

    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]

    @property
    def has_values(self) -> bool:
        return bool(self.options) and self.options[0].value is not None

    @property
    def na(self) -> int | None:
        """The digit that stands for n/a in a package (one past the options), or None."""
        return len(self.options) if self.applies_when is not None else None


class Document(Record):
    """A document the case cites: a speech, a treaty, an interview."""

    id: str
    title: str
    date: str = ""
    note: str = ""


class Source(Record):
    """Who said a rule, when and where, quoted or paraphrased."""

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


class Scores(Record):
    """A value function over one issue's options: `weight x score` joins the utility."""

    issue: int  # index in the case's issues
    scores: tuple[float, ...]  # per option, in [0, 1]; unlisted options and n/a score 0
    text: str  # as written, e.g. `wage_increase: pct_0 0, pct_2 0.5, pct_4 1`

    def of(self, digit: int) -> float:
        return self.scores[digit] if digit < len(self.scores) else 0.0


class Fallback(Record):
    """A weaker level of a red line: what the party accepts when it retreats that far."""

    require: Expression
    cost: float  # the total cost of retreating to this level
    text: str = ""
    source: Source | None = None


class Constraint(Record):
    """A package that breaks a constraint does not exist; no party owns or concedes it."""

    id: str
    text: str
    require: Expression
    source: Source | None = None
    location: Location = field(default=Location(""), compare=False)


class Rule(Record):
    """A red line or a preference of one party, with the source it rests on."""

    party: str
    id: str
    kind: RuleKind
    text: str
    require: Expression | None  # None only for a value-function preference (`scores`)
    source: Source
    when: Expression | None = None  # red lines only
    cost: float = 1.0
    weight: float = 1.0
    location: Location = field(default=Location(""), compare=False)
    scores: Scores | None = None  # preferences only, instead of `require`
    fallbacks: tuple[Fallback, ...] = ()  # red lines only, strongest first

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

    @property
    def statement(self) -> str:
        """What the rule asks, as written: its requirement, or its value function."""
        if self.require is not None:
            return self.require.text
        return f"scores {self.scores.text}" if self.scores else ""

    def level(self, k: int) -> Expression:
        """The requirement at level k: 0 is the stated rule, k the k-th fallback."""
        found = self.require if k == 0 else self.fallbacks[k - 1].require
        assert found is not None, "a red line always has a requirement"
        return found

    def level_cost(self, k: int) -> float:
        """The cost of retreating to level k (k = len(fallbacks) + 1 drops the rule)."""
        if k == 0:
            return 0.0
        return self.fallbacks[k - 1].cost if k <= len(self.fallbacks) else self.cost


class Party(Record):
    """One party and its rules."""

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


class Case(Record):
    """A negotiation: its issues, its parties, the documents they cite and its constraints."""

    id: str
    title: str
    issues: tuple[Issue, ...]
    parties: tuple[Party, ...]
    documents: tuple[Document, ...] = ()
    status_quo: tuple[int, ...] | None = None  # option index per issue, None for no agreement
    description: str = ""
    path: str = ""
    constraints: tuple[Constraint, ...] = ()
    costs: str = ""  # what the costs mean: scale, who set them, on what grounds

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
