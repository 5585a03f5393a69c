"""Scenario changes and how they apply: one function serves applying, inverting and tracking."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import StrEnum

from nposition.errors import Location
from nposition.model.case import Case, Party, Rule, RuleKind, Source
from nposition.model.record import Record
from nposition.model.tree import Expression, Implies


class Action(StrEnum):
    DROP = "drop"
    SOFTEN = "soften"
    ADD = "add"
    SET = "set"


class Target(StrEnum):
    """What a change is made to: a rule (`party/rule-id`) or a party's own fields (its id)."""

    RULE = "rule"
    PARTY = "party"


# The fields of a rule that a change of its kind may alter beside `kind` itself.
_KIND_BOUND = ("cost", "weight", "require", "when", "scores", "fallbacks")


class Change(Record):
    """One change of a scenario, on the rule `key` (`party/rule-id`), or on a party (its id)."""

    action: Action
    key: str
    location: Location
    rule: Rule | None = None  # add: the new rule
    weight: float = 1.0  # soften: the preference's weight
    fields: tuple[tuple[str, object], ...] = ()  # set: (field, new value) pairs
    target: Target = Target.RULE


class Scenario(Record):
    """A named set of changes to a case."""

    id: str
    title: str
    rationale: str
    changes: tuple[Change, ...]
    as_of: str = ""
    path: str = ""


@dataclass
class Tables:
    """What scenarios change: rules by `party/rule-id` (in case order), parties by id (their own
    fields; their rules are those of the rule table)."""

    rules: dict[str, Rule]
    parties: dict[str, Party] = field(default_factory=dict)

    @classmethod
    def of(cls, case: Case) -> Tables:
        return cls({r.key: r for r in case.rules}, {p.id: p for p in case.parties})

    def case(self, case: Case) -> Case:
        """`case` with these parties and rules, each party keeping its rules in table order."""
        parties = tuple(
            dataclasses.replace(
                self.parties.get(p.id, p),
                rules=tuple(r for r in self.rules.values() if r.party == p.id),
            )
            for p in case.parties
        )
        return dataclasses.replace(case, parties=parties)


def apply_change(tables: Tables, change: Change) -> None:
    """Make one change to the tables."""
    if change.target is Target.PARTY:
        party = tables.parties.get(change.key)
        if party is not None and change.action == Action.SET:
            # the loader types each value by its declared field; mypy sees only `object`
            tables.parties[change.key] = dataclasses.replace(party, **dict(change.fields))  # type: ignore[arg-type]
        return
    rules = tables.rules
    before = rules.get(change.key)
    if change.action == Action.DROP:
        rules.pop(change.key, None)
    elif change.action == Action.ADD and change.rule is not None:
        rules[change.key] = change.rule
    elif before is None:
        return
    elif change.action == Action.SOFTEN:
        rules[change.key] = as_preference(dataclasses.replace(before, weight=change.weight))
    elif change.action == Action.SET:
        rules[change.key] = _set(before, dict(change.fields))


def _set(rule: Rule, fields: dict[str, object]) -> Rule:
    """A rule with new values; `require` and `scores` are one requirement in two forms, so giving
    one clears the other, and a red line made a preference is softened."""
    if "require" in fields:
        fields.setdefault("scores", None)
    if "scores" in fields:
        fields.setdefault("require", None)
    changed = dataclasses.replace(rule, **fields)  # type: ignore[arg-type]  # typed by the loader
    softened = rule.kind is RuleKind.RED_LINE and changed.kind is RuleKind.PREFERENCE
    return as_preference(changed) if softened else changed


def as_preference(rule: Rule) -> Rule:
    """A rule as a preference: a red line's `when` folds into its requirement as
    `(when) -> (require)` (met wherever the when is false, as the red line was not broken there),
    and its fallbacks go (the preference is for its stated level)."""
    require = rule.require
    if rule.when is not None and require is not None:
        require = Expression(
            f"({rule.when.text}) -> ({require.text})",
            Implies(rule.when.node, require.node),
            require.location,
        )
    return dataclasses.replace(
        rule, kind=RuleKind.PREFERENCE, require=require, when=None, fallbacks=()
    )


def apply(case: Case, scenario: Scenario) -> Case:
    """The case with the scenario's changes made, in order."""
    tables = Tables.of(case)
    for change in scenario.changes:
        apply_change(tables, change)
    return tables.case(case)


def inverse(case: Case, scenario: Scenario) -> Scenario:
    """The scenario that undoes `scenario` applied to `case` (its changes reversed, in reverse)."""
    undo: list[Change] = []
    tables = Tables.of(case)
    for change in scenario.changes:
        undo += _undo(tables, change)
        apply_change(tables, change)
    return Scenario(f"undo-{scenario.id}", f"Undo {scenario.title}", "", tuple(reversed(undo)))


def _undo(tables: Tables, change: Change) -> list[Change]:
    """The change that restores what `change` is about to alter in the tables."""
    where = change.location
    if change.target is Target.PARTY:
        party = tables.parties.get(change.key)
        if party is None:
            return []
        old = tuple((n, getattr(party, n)) for n, _ in change.fields)
        return [Change(Action.SET, change.key, where, fields=old, target=Target.PARTY)]
    before = tables.rules.get(change.key)
    if change.action == Action.ADD:
        return [Change(Action.DROP, change.key, where)]
    if before is None:
        return []
    if change.action == Action.DROP:
        return [Change(Action.ADD, change.key, where, rule=before)]
    names = [n for n, _ in change.fields] if change.action == Action.SET else ["kind"]
    if "require" in names or "scores" in names:
        names += ["require", "scores"]
    if change.action == Action.SOFTEN or "kind" in names:
        names += ["kind", *_KIND_BOUND]
    old = tuple((n, getattr(before, n)) for n in dict.fromkeys(names))
    return [Change(Action.SET, change.key, where, fields=old)]


def cited_documents(scenario: Scenario) -> set[str]:
    """The documents a scenario's rules and re-citations cite."""
    cited: set[str] = set()
    for change in scenario.changes:
        if change.rule is not None:
            cited.add(change.rule.source.document)
        for name, value in change.fields:
            if name == "source" and isinstance(value, Source):
                cited.add(value.document)
    return cited
