"""Checks of a case's structure: constraints, fallbacks, tests on issues that do not apply.

Each check returns located `Problem`s for `validate`: constraints that no package satisfies (a
minimal clashing set named), a fallback that refuses a package the level above accepts (one such
package named), and a warning for a red line that breaks where an issue it tests does not apply,
when a `when` would say what the analyst meant. (The loader checks that the status quo exists.)
"""

from __future__ import annotations

from nposition.engine.conflicts import members, shrink
from nposition.engine.space import Space
from nposition.errors import Problem, Severity
from nposition.model.case import Case, Rule, RuleKind
from nposition.model.tree import And, Const, Expression, Implies, Linear, Member, Node, Not, Or


def describe(case: Case, digits: tuple[int, ...]) -> str:
    """A package as `issue=option` pairs, `issue=n/a` where the issue does not apply."""
    return ", ".join(
        f"{issue.id}={issue.options[d].id if d < len(issue.options) else 'n/a'}"
        for issue, d in zip(case.issues, digits, strict=True)
    )


def _first(space: Space, bits: int) -> tuple[int, ...]:
    """The digits of the lowest-numbered package of a non-empty bitset."""
    return space.package((bits & -bits).bit_length() - 1)


def constraint_clashes(case: Case, space: Space) -> list[Problem]:
    """An error when no package satisfies the constraints, naming a minimal clashing set."""
    if space.full or not space.constraints:
        return []
    everything = (1 << len(space.constraints)) - 1
    clash = [
        space.constraints[i]
        for i in members(shrink(space.constraint_bits, space.structure, everything))
    ]
    if len(clash) == 1:
        message = f"constraint '{clash[0].id}' holds for no package"
    else:
        names = ", ".join(f"'{c.id}'" for c in clash)
        message = f"constraints {names} clash: no package satisfies them together"
    return [Problem(clash[0].location, Severity.ERROR, message)]


def fallbacks(rule: Rule, space: Space, case: Case) -> list[Problem]:
    """An error for each fallback that refuses a package the level above it accepts."""
    out = []
    for k, fallback in enumerate(rule.fallbacks, start=1):
        refused = space.level_bits(rule, k - 1) & ~space.level_bits(rule, k)
        if refused:
            above = "the stated rule" if k == 1 else f"fallback {k - 1}"
            out.append(
                Problem(
                    fallback.require.location,
                    Severity.ERROR,
                    f"rule '{rule.id}' of {rule.party}: fallback {k} must accept every package "
                    f"{above} accepts, and refuses {describe(case, _first(space, refused))}",
                )
            )
    return out


def outside(rule: Rule, space: Space, case: Case) -> list[Problem]:
    """A warning where a red line breaks only because it tests an issue where it does not apply.

    A test on an n/a issue is false (except `!=` and `not in`), so `require: nature >= phased`
    refuses every package where `nature` does not apply. That is flagged when some existing package
    where the issue is n/a and the rule's `when` holds breaks the rule, and would not if the tests
    on the issue were read as true there: a `when` covering the issue's `applies_when` would say it.
    """
    if rule.kind is not RuleKind.RED_LINE:
        return []
    out: list[Problem] = []
    seen: set[int] = set()
    for k in range(len(rule.fallbacks) + 1):
        level = rule.level(k)
        for i in sorted(_tested(level.node) - seen):
            issue = case.issues[i]
            if issue.applies_when is None or issue.na is None:
                continue
            where = space.option_bits(i, issue.na) & space.applies_bits(rule)
            broken = where & ~space.level_bits(rule, k)
            if broken and broken & space.eval(_read_true(level.node, i, issue.na)):
                seen.add(i)
                out.append(_outside_warning(rule, level, issue.id, issue.applies_when))
    return out


def constraint_outside(case: Case, space: Space) -> list[Problem]:
    """A warning where a constraint removes packages only because it tests an n/a issue."""
    out: list[Problem] = []
    for constraint, bits in zip(case.constraints, space.constraint_bits, strict=True):
        node = constraint.require.node
        for i in sorted(_tested(node)):
            issue = case.issues[i]
            if issue.applies_when is None or issue.na is None:
                continue
            where = space.structure & space.digit_bits(i, frozenset({issue.na}))
            broken = where & ~bits
            if broken and broken & space.eval_raw(_read_true(node, i, issue.na)):
                applies = issue.applies_when.text
                out.append(
                    Problem(
                        constraint.require.location,
                        Severity.WARNING,
                        f"constraint '{constraint.id}' tests issue '{issue.id}', which is n/a "
                        f"where `{applies}` is false, so the constraint removes those packages "
                        f"from the space; if it should only bite where '{issue.id}' applies, "
                        f"write `require: ({applies}) -> ({constraint.require.text})`",
                    )
                )
    return out


def _outside_warning(rule: Rule, level: Expression, issue: str, applies: Expression) -> Problem:
    fix = applies.text if rule.when is None else f"({rule.when.text}) and ({applies.text})"
    return Problem(
        level.location,
        Severity.WARNING,
        f"rule '{rule.id}' of {rule.party} tests issue '{issue}', which is n/a where "
        f"`{applies.text}` is false, so the rule refuses those packages; if it should only "
        f"bite where '{issue}' applies, give it `when: {fix}`",
    )


def _tested(node: Node) -> set[int]:
    """The conditional issues an expression tests in a way that is false where they are n/a."""
    match node:
        case Member(issue, _):
            return {issue}
        case Linear(terms, _, op):
            return set() if op == "!=" else {issue for issue, _, _ in terms}
        case Not(arg):
            return _tested(arg)
        case And(args) | Or(args):
            return set().union(*(_tested(a) for a in args))
        case Implies(left, right):
            return _tested(left) | _tested(right)
    return set()


def _read_true(node: Node, issue: int, na: int) -> Node:
    """The expression with every test on `issue` that is false where it is n/a read as true."""
    match node:
        case Member(i, allowed) if i == issue and na not in allowed:
            return Const(True)
        case Linear(terms, _, op) if op != "!=" and any(i == issue for i, _, _ in terms):
            return Const(True)
        case Not(arg):
            return Not(_read_true(arg, issue, na))
        case And(args):
            return And(tuple(_read_true(a, issue, na) for a in args))
        case Or(args):
            return Or(tuple(_read_true(a, issue, na) for a in args))
        case Implies(left, right):
            return Implies(_read_true(left, issue, na), _read_true(right, issue, na))
    return node
