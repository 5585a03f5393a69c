"""Semantic checks of a loaded case: self-contradicting parties, rules that never bite.

The checks of the case's structure (constraints, fallbacks, tests on issues that do not apply) live in `engine.structure`; `lint` runs them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from nposition.engine.conflicts import members, shrink
from nposition.engine.space import Space
from nposition.engine.structure import constraint_clashes, constraint_outside, fallbacks, outside
from nposition.errors import Location, Problem, Severity
from nposition.model.case import Case, Party, Rule, RuleKind, Source
from nposition.model.changes import Scenario

MAX_QUOTE_WORDS = 40
# A quote that announces itself as someone's summary rather than their words.
_PARAPHRASE = re.compile(r"^\s*[\[(]?(paraphras|summar|in substance|in effect)", re.IGNORECASE)


def unused_documents(case: Case, cited: Iterable[str] = ()) -> list[Problem]:
    """A warning for each document of case.yaml that no rule, fallback, constraint or scenario
    (`cited`) cites."""
    used = set(cited)
    for rule in case.rules:
        used.add(rule.source.document)
        used.update(f.source.document for f in rule.fallbacks if f.source is not None)
    used.update(c.source.document for c in case.constraints if c.source is not None)
    where = Location(f"{case.path}/case.yaml" if case.path else "case.yaml")
    return [
        _warn(where, f"document '{d.id}' is cited by no rule, constraint or scenario")
        for d in case.documents
        if d.id not in used
    ]


def lint(case: Case, space: Space) -> list[Problem]:
    """Every semantic problem of a case: errors for contradictions, warnings for dead rules and
    doubtful sources.

    When the constraints leave no package, that is the only semantic error reported: every other
    check would fail for the same reason.
    """
    sources = [p for r in case.rules for p in _sources(r, case.party(r.party).as_of)]
    sources += [
        _warn(c.location, f"constraint '{c.id}': {message}")
        for c in case.constraints
        if c.source is not None
        for message in _dates(c.source.date, "")
    ]
    clashes = constraint_clashes(case, space)
    if clashes:
        return clashes + sources
    problems = contradictions(case, space) + constraint_outside(case, space)
    problems += [
        _warn(
            issue.applies_when.location,
            f"issue '{issue.id}' never applies: no package satisfies its applies_when",
        )
        for i, issue in enumerate(case.issues)
        if issue.applies_when is not None and not space.applicable(i)
    ]
    for rule in case.rules:
        problems += fallbacks(rule, space, case) + _dead(rule, space) + outside(rule, space, case)
    return problems + sources


def scenario_lint(
    scenario: Scenario, case: Case, base: Case, space: Space, path: str
) -> list[Problem]:
    """What a scenario brings in: lints of the rules it adds or changes (those in its own file),
    and, for a dated scenario, every rule it keeps whose source is dated after its `as_of`."""
    before = set(base.rules)
    problems: list[Problem] = []
    for rule in case.rules:
        if rule not in before:
            found = _dead(rule, space) + outside(rule, space, case)
            found += fallbacks(rule, space, case) + _sources(rule, case.party(rule.party).as_of)
            problems += [p for p in found if p.location.path == path]
    if scenario.as_of:
        where = Location(path)
        problems += [
            _warn(
                where,
                f"scenario '{scenario.id}' is dated {scenario.as_of}, but keeps rule "
                f"'{r.key}' cited to a source dated {r.source.date}; drop it or re-cite it "
                "(`set: {rule: ..., source: ...}`)",
            )
            for r in case.rules
            if r.source.date[: len(scenario.as_of)] > scenario.as_of
        ]
    return problems


def _dead(rule: Rule, space: Space) -> list[Problem]:
    """A rule that never applies, always holds, or (a preference) can never be met."""
    what = f"rule '{rule.id}' of {rule.party}"
    if rule.when is not None and not space.applies_bits(rule):
        return [_warn(rule.when.location, f"{what} never applies: no package satisfies its 'when'")]
    if rule.scores is not None:
        issue = rule.scores.issue
        if any(s and space.option_bits(issue, d) for d, s in enumerate(rule.scores.scores)):
            return []
        return [_warn(rule.location, f"{what} scores 0 on every package")]
    if space.rule_bits(rule) == space.full:
        return [_warn(rule.location, f"{what} always holds: every package satisfies it")]
    for k, fallback in enumerate(rule.fallbacks, 1):
        if space.level_bits(rule, k) == space.full:
            message = f"{what}: fallback {k} always holds, so retreating to it is dropping the rule"
            return [_warn(fallback.require.location, message)]
    if rule.kind is RuleKind.PREFERENCE and not space.rule_bits(rule):
        return [_warn(rule.location, f"{what} can never be satisfied by any package")]
    return []


def _sources(rule: Rule, as_of: str) -> list[Problem]:
    """The rule's source, and each fallback's: quotes and dates in doubt."""
    out = _source(rule, rule.source, as_of, f"rule '{rule.id}' of {rule.party}")
    for k, fallback in enumerate(rule.fallbacks, 1):
        if fallback.source is not None:
            what = f"rule '{rule.id}' of {rule.party}, fallback {k}"
            out += _source(rule, fallback.source, as_of, what)
    return out


def _dates(when: str, as_of: str) -> list[str]:
    """A source date after the party's as_of, or in the future."""
    out = []
    if as_of and when[: len(as_of)] > as_of:
        out.append(f"the source is dated {when}, after the party's as_of {as_of}")
    if when > date.today().isoformat()[: len(when)]:
        out.append(f"the source is dated {when}, in the future")
    return out


def _source(rule: Rule, source: Source, as_of: str, what: str) -> list[Problem]:
    """A quote too long to be brief, a paraphrase filed as a quote, a date out of place."""
    out = []
    words = len(source.quote.split())
    if words > MAX_QUOTE_WORDS and not source.paraphrase:
        out.append(
            f"{what}: the quote has {words} words; quote briefly (at most {MAX_QUOTE_WORDS}) or paraphrase"
        )
    if not source.paraphrase and _PARAPHRASE.search(source.quote):
        out.append(f"{what}: the quote reads as a paraphrase; mark it with `paraphrase: true`")
    out += [f"{what}: {message}" for message in _dates(source.date, as_of)]
    return [_warn(rule.location, message) for message in out]


def _warn(location: Location, message: str) -> Problem:
    return Problem(location, Severity.WARNING, message)


def contradictions(case: Case, space: Space) -> list[Problem]:
    """An error for each party whose own red lines no package satisfies together."""
    return [p for party in case.parties for p in _contradiction(space, party)]


def _contradiction(space: Space, party: Party) -> list[Problem]:
    red = party.red_lines
    bits = [space.rule_bits(r) for r in red]
    if not red or not space.full or space.all_of(red):
        return []  # with no package at all, the constraints are to blame (reported apart)
    clash = [red[i] for i in members(shrink(bits, space.full, (1 << len(red)) - 1))]
    names = ", ".join(f"'{r.id}'" for r in clash)
    return [
        Problem(
            clash[0].location,
            Severity.ERROR,
            f"party '{party.id}' contradicts itself: no package satisfies its red lines {names} together",
        )
    ]
