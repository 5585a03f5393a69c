"""The outcome space as bitsets: one bit per package, held in a Python integer.

Package `i` is the mixed-radix number whose digits are the option indices, issue 0 most
significant, so bit order is lexicographic package order. Every rule evaluates to one bitset with
a handful of whole-space integer operations (AND, OR, XOR on ~N/64 machine words), so a rule costs
microseconds on a small case and about a millisecond on ten million packages, with no per-package
Python work.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence

from nposition.errors import SpaceTooLargeError
from nposition.limits import max_packages
from nposition.model.case import Issue, Rule
from nposition.model.expr import And, Const, Implies, Member, Node, Not, Or

_NONZERO_BYTE = re.compile(rb"[^\x00]")


class Space:
    """The packages of a list of issues, with cached bitsets for options and rules."""

    def __init__(self, issues: Sequence[Issue], limit: int | None = None) -> None:
        self.issues = tuple(issues)
        self.sizes = tuple(len(i.options) for i in self.issues)
        self.size = math.prod(self.sizes)
        limit = max_packages() if limit is None else limit
        if self.size > limit:
            shape = " x ".join(str(n) for n in self.sizes)
            raise SpaceTooLargeError(
                f"the outcome space has {self.size:,} packages ({shape}); the limit is {limit:,} "
                "(raise it with --max-packages or NPOSITION_MAX_PACKAGES, or merge options)"
            )
        strides = [1] * len(self.sizes)
        for i in range(len(self.sizes) - 2, -1, -1):
            strides[i] = strides[i + 1] * self.sizes[i + 1]
        self.strides = tuple(strides)
        self.full = (1 << self.size) - 1
        self._options: dict[tuple[int, int], int] = {}
        self._members: dict[tuple[int, frozenset[int]], int] = {}
        self._rules: dict[Rule, int] = {}

    # --- bitsets ----------------------------------------------------------------------------
    def option_bits(self, issue: int, option: int) -> int:
        """The packages whose option on `issue` is `option`."""
        key = (issue, option)
        bits = self._options.get(key)
        if bits is None:
            stride = self.strides[issue]
            period = stride * self.sizes[issue]
            block = ((1 << stride) - 1) << (option * stride)
            bits = _repeat(block, period, self.size // period)
            self._options[key] = bits
        return bits

    def member_bits(self, issue: int, allowed: frozenset[int]) -> int:
        key = (issue, allowed)
        bits = self._members.get(key)
        if bits is None:
            bits = 0
            for option in sorted(allowed):
                bits |= self.option_bits(issue, option)
            self._members[key] = bits
        return bits

    def eval(self, node: Node) -> int:
        """The packages where a resolved expression holds."""
        match node:
            case Member(issue, allowed):
                return self.member_bits(issue, allowed)
            case Const(value):
                return self.full if value else 0
            case Not(arg):
                return self.full ^ self.eval(arg)
            case And(args):
                bits = self.full
                for a in args:
                    bits &= self.eval(a)
                return bits
            case Or(args):
                bits = 0
                for a in args:
                    bits |= self.eval(a)
                return bits
            case Implies(left, right):
                return (self.full ^ self.eval(left)) | self.eval(right)
        raise TypeError(f"unresolved expression node {node!r}")

    def rule_bits(self, rule: Rule) -> int:
        """The packages where a rule holds: where its `when` is false or its `require` true."""
        bits = self._rules.get(rule)
        if bits is None:
            bits = self.full if rule.require is None else self.eval(rule.require.node)
            if rule.when is not None:
                bits |= self.full ^ self.eval(rule.when.node)
            self._rules[rule] = bits
        return bits

    def applies_bits(self, rule: Rule) -> int:
        """The packages where a rule applies (its `when` holds)."""
        return self.full if rule.when is None else self.eval(rule.when.node)

    def all_of(self, rules: Sequence[Rule]) -> int:
        bits = self.full
        for rule in rules:
            bits &= self.rule_bits(rule)
        return bits

    def fixing(self, fixed: Mapping[int, int]) -> int:
        """The completions of a partial package `{issue index: option index}`."""
        bits = self.full
        for issue, option in fixed.items():
            bits &= self.option_bits(issue, option)
        return bits

    # --- packages ---------------------------------------------------------------------------
    def package(self, index: int) -> tuple[int, ...]:
        """The option indices of package number `index`."""
        return tuple((index // s) % n for s, n in zip(self.strides, self.sizes, strict=True))

    def index(self, package: Sequence[int]) -> int:
        return sum(o * s for o, s in zip(package, self.strides, strict=True))

    def indices(self, bits: int, limit: int | None = None) -> Iterator[int]:
        """The package numbers in a bitset, in increasing order, at most `limit` of them."""
        if bits == 0 or limit == 0:
            return
        data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
        count = 0
        for m in _NONZERO_BYTE.finditer(data):
            byte = data[m.start()]
            base = m.start() * 8
            for b in range(8):
                if byte >> b & 1:
                    yield base + b
                    count += 1
                    if count == limit:
                        return


def _repeat(block: int, period: int, times: int) -> int:
    """`block` (a pattern `period` bits long) repeated `times` times, by doubling."""
    result, length = 0, 0
    chunk, chunk_len = block, period
    while times:
        if times & 1:
            result |= chunk << length
            length += chunk_len
        times >>= 1
        if times:
            chunk |= chunk << chunk_len
            chunk_len *= 2
    return result
