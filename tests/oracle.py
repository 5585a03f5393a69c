"""The plain brute-force oracle the engine tests compare against: no bitsets, no `Space`.

Packages are enumerated with `itertools.product` over raw digits (an issue with `applies_when` has
one more digit, n/a), in lexicographic order, so raw package i is entry i, the numbering the engine
uses too. A package exists when each conditional issue is n/a exactly where its `applies_when` is
false and every constraint holds. Resolved expressions are evaluated by `node_holds`, a separate
evaluator written from the contract, one package at a time.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from nposition.model.case import Case, Issue, Party, Rule
from nposition.model.tree import And, Const, Implies, Linear, Member, Node, Not, Or

Package = tuple[int, ...]


def all_packages(issues: Sequence[Issue]) -> list[Package]:
    """Every raw package in lexicographic order (issue 0 most significant): package i is entry i."""
    return list(itertools.product(*(range(len(i.options) + (i.na is not None)) for i in issues)))


def node_holds(node: Node, package: Package, true_on: int | None = None) -> bool:
    """Evaluate a resolved expression on one package of digits.

    With `true_on`, every test on that issue reads as true: on a package where the issue is n/a,
    that turns exactly the tests that are false there (all but `!=` and `not in`) true.
    """
    match node:
        case Member(issue, allowed):
            return issue == true_on or package[issue] in allowed
        case Linear(terms, constant, op):
            if any(i == true_on for i, _, _ in terms):
                return True
            values = [table[package[i]] for i, _, table in terms]
            if any(v is None for v in values):
                return op == "!="
            total = constant + sum(c * v for (_, c, _), v in zip(terms, values, strict=True))
            return node.test(total)
        case Const(value):
            return value
        case Not(arg):
            return not node_holds(arg, package, true_on)
        case And(args):
            return all(node_holds(a, package, true_on) for a in args)
        case Or(args):
            return any(node_holds(a, package, true_on) for a in args)
        case Implies(left, right):
            return not node_holds(left, package, true_on) or node_holds(right, package, true_on)
    raise TypeError(node)


def exists(case: Case, package: Package) -> bool:
    """Whether a raw package exists: n/a exactly where an issue does not apply, constraints hold."""
    for i, issue in enumerate(case.issues):
        if issue.applies_when is not None:
            applies = node_holds(issue.applies_when.node, package)
            if applies == (package[i] == issue.na):
                return False
    return all(node_holds(c.require.node, package) for c in case.constraints)


def rule_holds(rule: Rule, package: Package, level: int = 0) -> bool:
    """A rule at a level holds where its `when` is false or that level's `require` is true."""
    if level > len(rule.fallbacks):
        return True
    if rule.when is not None and not node_holds(rule.when.node, package):
        return True
    if rule.require is None:  # a value function: never a test
        return True
    return node_holds(rule.level(level).node, package)


def satisfying(rule: Rule, packages: Sequence[Package], level: int = 0) -> frozenset[int]:
    """The positions of the packages where a rule holds (at a level)."""
    return frozenset(k for k, p in enumerate(packages) if rule_holds(rule, p, level))


def passing(rules: Iterable[Rule], packages: Sequence[Package]) -> frozenset[int]:
    """The positions of the packages where every rule holds as stated."""
    rules = list(rules)
    return frozenset(k for k, p in enumerate(packages) if all(rule_holds(r, p) for r in rules))


def raw_utility(party: Party, package: Package) -> Fraction:
    """What a party's preferences add up to on one package, in exact fractions."""
    total = Fraction(0)
    for rule in party.preferences:
        if rule.scores is not None:
            digit = package[rule.scores.issue]
            score = rule.scores.scores[digit] if digit < len(rule.scores.scores) else 0.0
            total += Fraction(rule.weight) * Fraction(score)
        elif rule_holds(rule, package):
            total += Fraction(rule.weight)
    return total


def brute_utilities(
    party: Party, packages: Sequence[Package], existing: Iterable[int] | None = None
) -> list[float]:
    """A party's scaled utility of every package: the best existing package scores 1."""
    raw = [raw_utility(party, p) for p in packages]
    top = max((raw[k] for k in (range(len(raw)) if existing is None else existing)), default=0)
    return [float(x / top) if top else 1.0 for x in raw]


class World:
    """A case seen by brute force: its raw packages, which exist, what its rules accept."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.packages = all_packages(case.issues)
        self.existing = frozenset(k for k, p in enumerate(self.packages) if exists(case, p))
        self._accepts: dict[tuple[Rule, int], frozenset[int]] = {}

    def accepts(self, rule: Rule, level: int = 0) -> frozenset[int]:
        """The existing packages where a rule holds at a level."""
        key = (rule, level)
        found = self._accepts.get(key)
        if found is None:
            found = self._accepts[key] = satisfying(rule, self.packages, level) & self.existing
        return found

    def zone(
        self, rules: Sequence[Rule], levels: Mapping[int, int] | None = None
    ) -> frozenset[int]:
        """The existing packages every rule accepts, each at its level (0 where not given)."""
        levels = levels or {}
        out = self.existing
        for i, rule in enumerate(rules):
            out &= self.accepts(rule, levels.get(i, 0))
        return out

    def utilities(self, party: Party) -> list[float]:
        """A party's scaled utility of every raw package (meaningful for the existing ones)."""
        return brute_utilities(party, self.packages, self.existing)


def bit_positions(bits: int) -> list[int]:
    """The set bits of an integer, increasing, one test at a time (no engine code)."""
    return [k for k in range(bits.bit_length()) if bits >> k & 1]


def to_bits(positions: Iterable[int]) -> int:
    """A set of positions as an integer bitset."""
    out = 0
    for k in positions:
        out |= 1 << k
    return out


def subsets(n: int) -> Iterable[int]:
    """Every subset of n positions as a bitmask."""
    return range(1 << n)
