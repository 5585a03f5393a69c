"""Semantic checks of a loaded case: self-contradicting parties, rules that never bite."""

from __future__ import annotations

from nposition.engine.conflicts import members, shrink
from nposition.engine.space import Space
from nposition.errors import Problem, Severity
from nposition.model.case import Case, Party, RuleKind

MAX_QUOTE_WORDS = 40


def lint(case: Case, space: Space) -> list[Problem]:
    """Every semantic problem of a case: errors for contradictions, warnings for dead rules."""
    problems = contradictions(case, space)
    for rule in case.rules:
        what = f"rule '{rule.id}' of {rule.party}"
        if rule.when is not None and not space.applies_bits(rule):
            problems.append(
                Problem(
                    rule.when.location,
                    Severity.WARNING,
                    f"{what} never applies: no package satisfies its 'when'",
                )
            )
        elif space.rule_bits(rule) == space.full:
            problems.append(
                Problem(
                    rule.location,
                    Severity.WARNING,
                    f"{what} always holds: every package satisfies it",
                )
            )
        elif rule.kind is RuleKind.PREFERENCE and not space.rule_bits(rule):
            problems.append(
                Problem(
                    rule.location, Severity.WARNING, f"{what} can never be satisfied by any package"
                )
            )
        if len(rule.source.quote.split()) > MAX_QUOTE_WORDS and not rule.source.paraphrase:
            problems.append(
                Problem(
                    rule.location,
                    Severity.WARNING,
                    f"{what}: the quote has {len(rule.source.quote.split())} words; "
                    f"quote briefly (at most {MAX_QUOTE_WORDS}) or paraphrase",
                )
            )
    return problems


def contradictions(case: Case, space: Space) -> list[Problem]:
    """An error for each party whose own red lines no package satisfies together."""
    return [p for party in case.parties for p in _contradiction(space, party)]


def _contradiction(space: Space, party: Party) -> list[Problem]:
    red = party.red_lines
    bits = [space.rule_bits(r) for r in red]
    if space.all_of(red):
        return []
    clash = [red[i] for i in members(shrink(bits, space.full, (1 << len(red)) - 1))]
    names = ", ".join(f"'{r.id}'" for r in clash)
    return [
        Problem(
            clash[0].location,
            Severity.ERROR,
            f"party '{party.id}' contradicts itself: no package satisfies its red lines {names} together",
        )
    ]
