"""Numeric tests as bitsets: `sum(coef x value) + constant <op> 0` without a loop over packages.

The packages where a `Linear` test holds are found by recursion over its issues: at each issue,
the digits that add the same amount share one branch, and a branch is memoised on the partial sum
reached so far, so the work grows with the number of distinct partial sums, not with the packages.
A branch whose remaining range of totals already decides the test stops early. Every step is a
whole-space AND or OR of option bitsets.

When the partial sums are many (several terms with unrelated values) and the space is large, the
totals are summed with numpy instead, one vectorised addition per issue (still no per-package
Python loop): the recursion would need more whole-space operations than that costs.
"""

from __future__ import annotations

from collections.abc import Callable

from nposition.model.tree import Linear

# The packages whose digit on an issue is one of a set: `digits(issue, frozenset(digits))`.
Digits = Callable[[int, frozenset[int]], int]
NUMPY_FROM = 1 << 16  # raw packages from which numpy may sum the totals
MAX_STEPS = 16384  # whole-space operations the recursion may take on such a space (~80 µs each)


def linear_bits(
    node: Linear, sizes: tuple[int, ...], strides: tuple[int, ...], digits: Digits, everything: int
) -> int:
    """The packages (of the raw space `everything`) where a numeric test holds.

    A package that gives an n/a (`None`) value to a term's issue fails the test, except `!=`,
    which it passes.
    """
    rows = _rows(node, sizes)
    size = everything.bit_length()
    if size >= NUMPY_FROM and _steps(node.constant, rows) > MAX_STEPS:
        return _summed(node, rows, sizes, strides, size)
    return _recursive(node, rows, digits, everything)


def _steps(constant: int, rows: dict[int, list[int | None]]) -> int:
    """An upper bound on the whole-space operations the recursion takes."""
    steps, states, lo, hi = 0, 1, constant, constant
    for issue in sorted(rows):
        amounts = {v for v in rows[issue] if v is not None} or {0}
        steps += 2 * states * len(amounts)
        lo, hi = lo + min(amounts), hi + max(amounts)
        states = min(states * len(amounts), hi - lo + 1)
    return steps


def _summed(
    node: Linear,
    rows: dict[int, list[int | None]],
    sizes: tuple[int, ...],
    strides: tuple[int, ...],
    n: int,
) -> int:
    """The test on every raw package at once: totals summed by numpy, digit by digit."""
    import numpy as np

    total = np.full(n, node.constant, dtype=object if _wide(node, rows) else np.int64)
    undefined = np.zeros(n, dtype=np.bool_)
    for issue, row in rows.items():
        repeat, times = strides[issue], n // (strides[issue] * sizes[issue])
        amounts = np.array([0 if v is None else v for v in row], dtype=total.dtype)
        total += np.tile(np.repeat(amounts, repeat), times)
        if None in row:
            undefined |= np.tile(np.repeat(np.array([v is None for v in row]), repeat), times)
    compare = {
        "==": np.equal,
        "!=": np.not_equal,
        "<": np.less,
        "<=": np.less_equal,
        ">": np.greater,
        ">=": np.greater_equal,
    }[node.op]
    holds = compare(total, 0).astype(np.bool_)
    holds = (holds | undefined) if node.op == "!=" else (holds & ~undefined)
    return int.from_bytes(np.packbits(holds, bitorder="little").tobytes(), "little")


def _wide(node: Linear, rows: dict[int, list[int | None]]) -> bool:
    """Whether a total may not fit in 64 bits (then numpy sums Python integers)."""
    bound = abs(node.constant) + sum(max(abs(v or 0) for v in row) for row in rows.values())
    return bound >= 1 << 62


def _recursive(
    node: Linear, rows: dict[int, list[int | None]], digits: Digits, everything: int
) -> int:
    """The test by recursion over the issues, memoised on the partial sum."""
    issues = sorted(rows)
    undefined = 0
    branches: list[dict[int, frozenset[int]]] = []
    for issue in issues:
        row = rows[issue]
        missing = frozenset(d for d, v in enumerate(row) if v is None)
        if missing:
            undefined |= digits(issue, missing)
        by_amount: dict[int, set[int]] = {}
        for d, v in enumerate(row):
            if v is not None:
                by_amount.setdefault(v, set()).add(d)
        branches.append({v: frozenset(ds) for v, ds in by_amount.items()})
    low = [0] * (len(issues) + 1)
    high = [0] * (len(issues) + 1)
    for k in range(len(issues) - 1, -1, -1):
        amounts = branches[k] or {0: frozenset()}
        low[k] = low[k + 1] + min(amounts)
        high[k] = high[k + 1] + max(amounts)
    memo: dict[tuple[int, int], int] = {}

    def go(k: int, partial: int) -> int:
        decided = _decide(node, partial + low[k], partial + high[k])
        if decided is not None:
            return everything if decided else 0
        key = (k, partial)
        found = memo.get(key)
        if found is None:
            found = 0
            for amount, ds in sorted(branches[k].items()):
                rest = go(k + 1, partial + amount)
                if rest:
                    found |= digits(issues[k], ds) & rest
            memo[key] = found
        return found

    holds = go(0, node.constant) & (everything ^ undefined)
    return holds | undefined if node.op == "!=" else holds


def _rows(node: Linear, sizes: tuple[int, ...]) -> dict[int, list[int | None]]:
    """Per issue, what each digit adds to the total (terms on one issue merged), None for n/a."""
    rows: dict[int, list[int | None]] = {}
    for issue, coef, table in node.terms:
        row = rows.setdefault(issue, [0] * sizes[issue])
        for d in range(sizes[issue]):
            value = table[d] if d < len(table) else None
            before = row[d]
            row[d] = None if before is None or value is None else before + coef * value
    return rows


def _decide(node: Linear, lo: int, hi: int) -> bool | None:
    """Whether the test holds for every total in [lo, hi] (True), for none (False), or neither."""
    op = node.op
    if op == "==":
        return True if lo == hi == 0 else (False if lo > 0 or hi < 0 else None)
    if op == "!=":
        return False if lo == hi == 0 else (True if lo > 0 or hi < 0 else None)
    # The other comparisons hold on a half-line of totals: its ends decide it.
    at_lo, at_hi = node.test(lo), node.test(hi)
    return at_lo if at_lo == at_hi else None
