"""Scenario changes and how they apply: one function serves applying, inverting and tracking."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from nposition.errors import Location
from nposition.model.case import Case, Rule, RuleKind


class Action(StrEnum):
    DROP = "drop"
    SOFTEN = "soften"
    ADD = "add"
    SET = "set"


@dataclass(frozen=True, slots=True)
class Change:
    """One change of a scenario, on the rule `key` (`party/rule-id`)."""

    action: Action
    key: str
    location: Location
    rule: Rule | None = None  # add: the new rule
    weight: float = 1.0  # soften: the preference's weight
    fields: tuple[tuple[str, object], ...] = ()  # set: (field, new value) pairs


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: str
    rationale: str
    changes: tuple[Change, ...]
    as_of: str = ""
    path: str = ""


def apply_change(rules: dict[str, Rule], change: Change) -> None:
    """Make one change to a rule table keyed by `party/rule-id` (kept in case order)."""
    before = rules.get(change.key)
    if change.action == Action.DROP:
        rules.pop(change.key, None)
    elif change.action == Action.ADD and change.rule is not None:
        rules[change.key] = change.rule
    elif before is None:
        return
    elif change.action == Action.SOFTEN:
        rules[change.key] = dataclasses.replace(
            before, kind=RuleKind.PREFERENCE, weight=change.weight
        )
    elif change.action == Action.SET:
        rules[change.key] = dataclasses.replace(before, **dict(change.fields))  # type: ignore[arg-type]


def rule_table(case: Case) -> dict[str, Rule]:
    """Every rule of a case by key, in case order."""
    return {r.key: r for r in case.rules}


def with_rules(case: Case, rules: Iterable[Rule]) -> Case:
    """The case with these rules, each party keeping its own in the given order."""
    rules = list(rules)
    return dataclasses.replace(
        case,
        parties=tuple(
            dataclasses.replace(p, rules=tuple(r for r in rules if r.party == p.id))
            for p in case.parties
        ),
    )


def apply(case: Case, scenario: Scenario) -> Case:
    """The case with the scenario's changes made, in order."""
    rules = rule_table(case)
    for change in scenario.changes:
        apply_change(rules, change)
    return with_rules(case, rules.values())


def inverse(case: Case, scenario: Scenario) -> Scenario:
    """The scenario that undoes `scenario` applied to `case` (its changes reversed, in reverse)."""
    undo: list[Change] = []
    rules = rule_table(case)
    for change in scenario.changes:
        before = rules.get(change.key)
        if change.action == Action.ADD:
            undo.append(Change(Action.DROP, change.key, change.location))
        elif before is not None and change.action == Action.DROP:
            undo.append(Change(Action.ADD, change.key, change.location, rule=before))
        elif before is not None:
            names = [n for n, _ in change.fields] if change.action == Action.SET else ["kind"]
            if change.action == Action.SOFTEN or "kind" in names:
                names = [*names, "cost", "weight"]
            old = tuple((n, getattr(before, n)) for n in dict.fromkeys(names))
            undo.append(Change(Action.SET, change.key, change.location, fields=old))
        apply_change(rules, change)
    return Scenario(f"undo-{scenario.id}", f"Undo {scenario.title}", "", tuple(reversed(undo)))
