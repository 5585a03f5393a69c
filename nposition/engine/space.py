"""The outcome space as bitsets: one bit per raw package, held in a Python integer.

A raw package is the mixed-radix number whose digits are the option indices, issue 0 most
significant, so bit order is lexicographic package order. An issue with `applies_when` has one
more digit, n/a (one past its options). A raw package exists when each such issue is n/a exactly
where its `applies_when` is false and every case constraint holds; `full` is the bitset of the
existing packages, and every bitset the space hands out lies within it. Every rule evaluates to one
bitset with a handful of whole-space integer operations (AND, OR, XOR on ~N/64 machine words), so a
rule costs microseconds on a small case and milliseconds on ten million packages, with no
per-package Python work.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from nposition.errors import SpaceTooLargeError
from nposition.limits import max_packages, memory_needed
from nposition.model.case import Case, Constraint, Issue, Rule
from nposition.model.tree import And, Const, Implies, Linear, Member, Node, Not, Or

_NONZERO_BYTE = re.compile(rb"[^\x00]")
# Up to this many raw packages (8 MiB a bitset), the bitsets of digits are kept once made; above,
# only the last KEEP_DIGITS made, rather than a whole-space bitset per option tested being held
# for the whole run (one is made again in tens of milliseconds).
CACHE_DIGITS, KEEP_DIGITS = 1 << 26, 8
# A set of at most SPARSE packages in a space of at least SPARSE_SPACE raw packages is listed.
SPARSE, SPARSE_SPACE = 1 << 16, 1 << 22
_WINDOW = 1 << 16  # bits: the first window `indices` looks in for the first packages of a set


class Space:
    """The packages of a list of issues, with cached bitsets for options and rules."""

    def __init__(
        self,
        issues: Sequence[Issue],
        limit: int | None = None,
        constraints: Sequence[Constraint] = (),
        red_lines: int = 0,
    ) -> None:
        """`red_lines` (with their fallback levels) only sizes the memory estimate of a refusal."""
        self.issues = tuple(issues)
        self.sizes = tuple(len(i.options) + (i.applies_when is not None) for i in self.issues)
        self.raw_size = math.prod(self.sizes)
        limit = max_packages() if limit is None else limit
        if self.raw_size > limit:
            shape = " x ".join(str(n) for n in self.sizes)
            conditional = any(i.applies_when is not None for i in self.issues)
            what = (
                "combinations of options (n/a counted as an option)" if conditional else "packages"
            )
            need = memory_needed(self.raw_size, red_lines + len(constraints))
            raise SpaceTooLargeError(
                f"the outcome space has {self.raw_size:,} {what} ({shape}); the limit is "
                f"{limit:,} (raise it with --max-packages or NPOSITION_MAX_PACKAGES, or merge "
                f"options); analysing it would take roughly {_size(need)} of memory"
            )
        strides = [1] * len(self.sizes)
        for i in range(len(self.sizes) - 2, -1, -1):
            strides[i] = strides[i + 1] * self.sizes[i + 1]
        self.strides = tuple(strides)
        self.everything = (1 << self.raw_size) - 1  # every raw package, existing or not
        self._digits: dict[tuple[int, frozenset[int]], int] = {}  # raw, by issue and digits
        self._linear: dict[Linear, int] = {}  # raw
        self._members: dict[tuple[int, frozenset[int]], int] = {}  # within `full`
        self._levels: dict[tuple[Rule, int], int] = {}
        # What the layers above work out once per space (a party's cells, a preference's table).
        self.memo: dict[Hashable, Any] = {}
        self._sparse: tuple[int, Any] | None = None  # the last set `sparse` was asked about
        # Where each conditional issue is n/a exactly where it does not apply, on the raw space.
        self.structure = self.everything
        for i, issue in enumerate(self.issues):
            if issue.applies_when is not None:
                applies = self._bits(issue.applies_when.node, self.everything)
                self.structure &= applies ^ self.digit_bits(i, frozenset({len(issue.options)}))
        self.constraints = tuple(constraints)
        self.constraint_bits = tuple(
            self._bits(c.require.node, self.everything) for c in constraints
        )
        self.full = self.structure
        for bits in self.constraint_bits:
            self.full &= bits
        self.size = self.full.bit_count()

    @classmethod
    def of(cls, case: Case, limit: int | None = None) -> Space:
        """The space of a case: its issues and its constraints."""
        levels = sum(1 + len(r.fallbacks) for r in case.red_lines)
        return cls(case.issues, limit, case.constraints, levels)

    def na(self, issue: int) -> int | None:
        """The digit that stands for n/a on `issue`, or None when the issue always applies."""
        return self.issues[issue].na

    # --- bitsets ----------------------------------------------------------------------------
    def digit_bits(self, issue: int, digits: frozenset[int]) -> int:
        """The raw packages (existing or not) whose digit on `issue` is one of `digits`."""
        key = (issue, digits)
        bits = self._digits.get(key)
        if bits is None:
            size, stride = self.sizes[issue], self.strides[issue]
            chosen = [d for d in sorted(digits) if 0 <= d < size]
            if len(chosen) == size:
                bits = self.everything
            else:
                block = 0
                for d in chosen:
                    block |= ((1 << stride) - 1) << (d * stride)
                period = stride * size
                bits = _repeat(block, period, self.raw_size // period)
            if self.raw_size > CACHE_DIGITS and len(self._digits) >= KEEP_DIGITS:
                del self._digits[next(iter(self._digits))]  # the oldest: bounded memory
            self._digits[key] = bits
        return bits

    def projection(self, bits: int) -> tuple[frozenset[int], ...]:
        """Per issue, the digits (n/a too) that occur in some package of `bits`.

        Issue by issue from the first: the set's slices for each digit of the issue are ORed
        into one set over the remaining issues, which the next issue slices in turn. Each step
        works on a set `size` times smaller than the last, so the whole costs a few passes over
        `bits`, not one AND per option.
        """
        out = []
        rest = bits
        for size, stride in zip(self.sizes, self.strides, strict=True):
            mask = (1 << stride) - 1
            found, folded = [], 0
            for d in range(size):
                part = (rest >> (d * stride)) & mask if d else rest & mask
                if part:
                    found.append(d)
                    folded |= part
            out.append(frozenset(found))
            rest = folded
        return tuple(out)

    def option_bits(self, issue: int, option: int) -> int:
        """The packages whose digit on `issue` is `option` (the n/a digit too)."""
        return self.member_bits(issue, frozenset({option}))

    def member_bits(self, issue: int, allowed: frozenset[int]) -> int:
        """The packages whose digit on `issue` is one of `allowed`."""
        key = (issue, allowed)
        bits = self._members.get(key)
        if bits is None:
            bits = self._members[key] = self.digit_bits(issue, allowed) & self.full
        return bits

    def applicable(self, issue: int) -> int:
        """The packages where `issue` applies (it has an option, not n/a)."""
        na = self.na(issue)
        return self.full if na is None else self.full ^ self.option_bits(issue, na)

    def eval(self, node: Node) -> int:
        """The existing packages where a resolved expression holds."""
        return self._bits(node, self.full)

    def eval_raw(self, node: Node) -> int:
        """The raw packages, existing or not, where a resolved expression holds."""
        return self._bits(node, self.everything)

    def _bits(self, node: Node, universe: int) -> int:
        """The packages of `universe` where a resolved expression holds."""
        match node:
            case Member(issue, allowed):
                return self.digit_bits(issue, allowed) & universe
            case Linear():
                bits = self._linear.get(node)
                if bits is None:
                    from nposition.engine.linear import linear_bits  # only cases with numbers

                    bits = linear_bits(
                        node, self.sizes, self.strides, self.digit_bits, self.everything
                    )
                    self._linear[node] = bits
                return bits & universe
            case Const(value):
                return universe if value else 0
            case Not(arg):
                return universe ^ self._bits(arg, universe)
            case And(args):
                bits = universe
                for a in args:
                    bits &= self._bits(a, universe)
                return bits
            case Or(args):
                bits = 0
                for a in args:
                    bits |= self._bits(a, universe)
                return bits
            case Implies(left, right):
                return (universe ^ self._bits(left, universe)) | self._bits(right, universe)
        raise TypeError(f"unresolved expression node {node!r}")

    def level_bits(self, rule: Rule, k: int) -> int:
        """The packages where level k of a red line holds, or its `when` is false.

        Level 0 is the stated rule, k the k-th fallback, and k = len(fallbacks) + 1 (dropped)
        holds everywhere. A preference holds where its `require` does (everywhere for `scores`).
        """
        key = (rule, k)
        bits = self._levels.get(key)
        if bits is None:
            if k > len(rule.fallbacks) or (k == 0 and rule.require is None):
                bits = self.full
            else:
                bits = self.eval(rule.level(k).node)
                if rule.when is not None:
                    bits |= self.full ^ self.eval(rule.when.node)
            self._levels[key] = bits
        return bits

    def rule_bits(self, rule: Rule) -> int:
        """The packages where a rule holds as stated: where its `when` is false or its `require` true."""
        return self.level_bits(rule, 0)

    def applies_bits(self, rule: Rule) -> int:
        """The packages where a rule applies (its `when` holds)."""
        return self.full if rule.when is None else self.eval(rule.when.node)

    def all_of(self, rules: Sequence[Rule]) -> int:
        bits = self.full
        for rule in rules:
            bits &= self.rule_bits(rule)
        return bits

    def fixing(self, fixed: Mapping[int, int]) -> int:
        """The completions of a partial package `{issue index: digit}`."""
        bits = self.full
        for issue, option in fixed.items():
            bits &= self.option_bits(issue, option)
        return bits

    # --- packages ---------------------------------------------------------------------------
    def package(self, index: int) -> tuple[int, ...]:
        """The digits of package number `index` (an issue's n/a digit where it does not apply)."""
        return tuple((index // s) % n for s, n in zip(self.strides, self.sizes, strict=True))

    def index(self, package: Sequence[int]) -> int:
        return sum(o * s for o, s in zip(package, self.strides, strict=True))

    def exists(self, package: Sequence[int]) -> bool:
        """Whether a package of digits exists (its n/a digits and the constraints agree)."""
        in_range = all(0 <= d < n for d, n in zip(package, self.sizes, strict=True))
        return in_range and bool(self.full >> self.index(package) & 1)

    def absence(self, package: Sequence[int]) -> Absence:
        """Why a package of digits does not exist (every field empty when it does)."""
        index = self.index(package)
        na_where_applies, option_where_na = [], []
        for i, issue in enumerate(self.issues):
            if issue.applies_when is not None:
                applies = bool(self.eval_raw(issue.applies_when.node) >> index & 1)
                if applies and package[i] == issue.na:
                    na_where_applies.append(i)
                elif not applies and package[i] != issue.na:
                    option_where_na.append(i)
        broken = tuple(
            c.id
            for c, bits in zip(self.constraints, self.constraint_bits, strict=True)
            if not bits >> index & 1
        )
        return Absence(broken, tuple(na_where_applies), tuple(option_where_na))

    def sparse(self, bits: int) -> Any:
        """The package numbers of `bits` (an ascending numpy array) when it is a small set in a
        large space, else None.

        A few dozen packages in a space of hundreds of millions are cheaper to handle as a list
        than as a whole-space integer: boxes, the first packages and the utilities of a
        concession's zone all use the list, made once (the last set asked about is kept).
        """
        if self.raw_size < SPARSE_SPACE:
            return None
        memo = self._sparse
        if memo is not None and memo[0] is bits:
            return memo[1]
        found = None
        if bits.bit_count() <= SPARSE:
            from nposition.engine.grid import packed, positions  # numpy: large spaces only

            found = positions(packed(bits, self.raw_size))
        self._sparse = (bits, found)
        return found

    def indices(self, bits: int, limit: int | None = None) -> Iterator[int]:
        """The package numbers in a bitset, in increasing order, at most `limit` of them."""
        if bits == 0 or limit == 0:
            return
        listed = self.sparse(bits)
        if listed is not None:
            yield from listed[:limit].tolist()
            return
        if limit is not None:
            # The first few set bits lie in a low window of a large set, most often: look there
            # first, widening it, rather than converting the whole set to bytes.
            window = _WINDOW
            while window < bits.bit_length():
                low = bits & ((1 << window) - 1)
                if low.bit_count() >= limit:
                    bits = low
                    break
                window *= 16
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


def _size(count: int) -> str:
    """Bytes as `1.2 GiB` or `300 MiB`."""
    if count >= 1 << 30:
        return f"{count / (1 << 30):,.1f} GiB"
    return f"{count / (1 << 20):,.0f} MiB"


class Absence(NamedTuple):
    """Why a raw package does not exist: what it breaks."""

    constraints: tuple[str, ...]  # ids of the constraints it breaks
    na_where_applies: tuple[int, ...]  # issues it leaves n/a where they apply
    option_where_na: tuple[int, ...]  # issues it gives an option where they do not apply

    def __bool__(self) -> bool:
        return bool(self.constraints or self.na_where_applies or self.option_where_na)


def _repeat(block: int, period: int, times: int) -> int:
    """`block` (a pattern `period` bits long) repeated `times` times.

    Eight periods fill a whole number of bytes, so past a few repetitions the pattern is
    repeated as bytes (a copy) and turned into an integer once, instead of by doubling (which
    makes a new integer per step).
    """
    if times < 32:
        return _doubled(block, period, times)
    eight = _doubled(block, period, 8).to_bytes(period, "little")  # 8 * period bits
    whole, rest = divmod(times, 8)
    tail = _doubled(block, period, rest).to_bytes((rest * period + 7) // 8, "little")
    return int.from_bytes(eight * whole + tail, "little")


def _doubled(block: int, period: int, times: int) -> int:
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
