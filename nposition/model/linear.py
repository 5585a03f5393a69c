"""Numeric comparisons made exact: a `Compare` of terms becomes a `Linear` test over integers.

Every number is a decimal: a literal as written, an option's value as the shortest decimal that
reads back as the same float (what the case file says, for up to 15 significant digits). Each is
held as `(mantissa, scale)`, meaning `mantissa / 10**scale`, and a comparison is brought to one
common scale, so `a + b <= 0.3` with values 0.1 and 0.2 holds. No float arithmetic and no
`fractions` (it costs tens of milliseconds of start-up); `resolve` imports this module only when an
expression compares numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from nposition.model.resolve import no_values, unknown_issue
from nposition.model.tree import Compare, Const, ExprError, Linear, Node, Num, Ref, Scale, Sum, Term

if TYPE_CHECKING:
    from nposition.model.case import Issue

Decimal = tuple[int, int]  # (mantissa, scale): mantissa / 10**scale, scale >= 0
_ONE: Decimal = (1, 0)


def linear(
    compare: Compare, issues: Sequence[Issue], by_id: Mapping[str, int], errors: list[ExprError]
) -> Node:
    """`left op right` as `sum(coef x value) + constant op 0` in integers; errors join `errors`."""
    form = _Form(issues, by_id)
    form.add(compare.left, _ONE)
    form.add(compare.right, (-1, 0))
    errors.extend(form.errors)
    if form.errors:
        return Const(True)
    constant = form.constant
    if not form.coefs:  # numbers alone: decided now
        return Const(Linear((), 0, compare.op).test(constant[0]))
    # Terms keep a zero coefficient (`a - a`): the test still touches the issue, false where n/a.
    tables = {i: form.tables[i] for i in form.coefs}
    value_scale = max(s for table in tables.values() for _, s in table)
    scale = max(value_scale + max(s for _, s in form.coefs.values()), constant[1])
    terms = tuple(
        (i, _at(form.coefs[i], scale - value_scale), _table(tables[i], value_scale, issues[i].na))
        for i in sorted(form.coefs)
    )
    return Linear(terms, _at(constant, scale), compare.op)


class _Form:
    """A linear form being collected: a coefficient per issue and a constant, all decimals."""

    def __init__(self, issues: Sequence[Issue], by_id: Mapping[str, int]) -> None:
        self.issues = issues
        self.by_id = by_id
        self.coefs: dict[int, Decimal] = {}
        self.constant: Decimal = (0, 0)
        self.tables: dict[int, list[Decimal]] = {}
        self.errors: list[ExprError] = []

    def add(self, term: Term, factor: Decimal) -> None:
        """Add `factor x term` to the form."""
        match term:
            case Num(text):
                self.constant = _sum(self.constant, _product(factor, decimal(text)))
            case Ref(name, start):
                index = self._issue(name, start)
                if index is not None:
                    self.coefs[index] = _sum(self.coefs.get(index, (0, 0)), factor)
            case Scale(number, inner):
                self.add(inner, _product(factor, decimal(number.text)))
            case Sum(terms, signs):
                negated = (-factor[0], factor[1])
                for t, sign in zip(terms, signs, strict=True):
                    self.add(t, factor if sign == "+" else negated)

    def _issue(self, name: str, start: int) -> int | None:
        """The index of an issue with values, its table read; or None and an error."""
        index = self.by_id.get(name)
        if index is None:
            self.errors.append(unknown_issue(name, start, self.by_id))
            return None
        if index not in self.tables:
            issue = self.issues[index]
            if not issue.options or any(o.value is None for o in issue.options):
                self.errors.append(no_values(name, start))
                return None
            table = [_of_float(o.value) for o in issue.options if o.value is not None]
            if None in table:  # the loader refuses these; never let one into the arithmetic
                message = f"issue '{name}' has a value that is not a finite number"
                self.errors.append(ExprError(message, start, start + len(name)))
                return None
            self.tables[index] = [d for d in table if d is not None]
        return index


def decimal(text: str) -> Decimal:
    """A literal (`5`, `-2.50`) as an exact decimal."""
    whole, _, fraction = text.partition(".")
    return _normal(int(whole + fraction), len(fraction))


def _of_float(value: float) -> Decimal | None:
    """The shortest decimal that reads back as `value` (`0.1` for 0.1, not its binary expansion)."""
    text = repr(float(value))  # e.g. '0.1', '2.0', '1e-05', '1.5e+16'
    if text in ("inf", "-inf", "nan"):
        return None
    digits, _, exponent = text.partition("e")
    whole, _, fraction = digits.partition(".")
    return _normal(int(whole + fraction), len(fraction) - int(exponent or 0))


def _normal(mantissa: int, scale: int) -> Decimal:
    """The same number with the smallest scale >= 0."""
    if scale < 0:
        return mantissa * 10**-scale, 0
    while scale > 0 and mantissa % 10 == 0:
        mantissa, scale = mantissa // 10, scale - 1
    return mantissa, scale


def _at(x: Decimal, scale: int) -> int:
    """The integer `x x 10**scale` (exact: `scale` is at least x's own)."""
    power: int = 10 ** (scale - x[1])  # a non-negative exponent: an int, never a float
    return x[0] * power


def _sum(x: Decimal, y: Decimal) -> Decimal:
    scale = max(x[1], y[1])
    return _normal(_at(x, scale) + _at(y, scale), scale)


def _product(x: Decimal, y: Decimal) -> Decimal:
    return _normal(x[0] * y[0], x[1] + y[1])


def _table(values: list[Decimal], scale: int, na: int | None) -> tuple[int | None, ...]:
    """The values by digit at `scale`, then None for the n/a digit of a conditional issue."""
    scaled = tuple(_at(v, scale) for v in values)
    return (*scaled, None) if na is not None else scaled
