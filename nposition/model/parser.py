"""The tokenizer and recursive-descent parser of the rule expression language (see `expr`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from nposition.model.tokens import (
    ARITHMETIC,
    COMPARISONS,
    MAX_DEPTH,
    Token,
    closing,
    tokenize,
)
from nposition.model.tree import (
    And,
    Compare,
    Const,
    ExprError,
    Implies,
    Node,
    Not,
    Num,
    Or,
    Ref,
    Scale,
    Sum,
    Term,
    Test,
)

_T = TypeVar("_T")


class Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.closing = closing(self.tokens)
        self.pos = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def _at(self, *values: str) -> bool:
        return self.tok.is_(*values)

    def _ahead(self, n: int) -> Token:
        return self.tokens[min(self.pos + n, len(self.tokens) - 1)]

    def _take(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise ExprError("empty expression", 0)
        node = self._implies()
        if self.tok.kind != "end":
            raise ExprError(
                f"unexpected {self.tok.describe()} after a complete expression",
                self.tok.start,
                self.tok.end,
            )
        return node

    def _implies(self) -> Node:
        parts = [self._or()]
        while self._at("->"):
            arrow = self._take()
            if len(parts) >= MAX_DEPTH:
                raise ExprError(f"more than {MAX_DEPTH} '->' in a row", arrow.start, arrow.end)
            parts.append(self._or())
        node = parts.pop()
        while parts:  # right-associative: a -> (b -> c)
            node = Implies(parts.pop(), node)
        return node

    def _or(self) -> Node:
        args = [self._and()]
        while self._at("or"):
            self._take()
            args.append(self._and())
        return args[0] if len(args) == 1 else Or(tuple(args))

    def _and(self) -> Node:
        args = [self._not()]
        while self._at("and"):
            self._take()
            args.append(self._not())
        return args[0] if len(args) == 1 else And(tuple(args))

    def _not(self) -> Node:
        negations = 0
        while self._at("not"):
            self._take()
            negations += 1
        node = self._atom()
        return Not(node) if negations % 2 else node  # `not not x` is x

    def _atom(self) -> Node:
        tok = self.tok
        if self._at("(") and not self._opens_term():
            return self._parenthesised(self._implies)
        if self._at("true", "false"):
            self._take()
            return Const(tok.text == "true")
        if tok.starts_term:
            return self._test()
        raise ExprError(
            f"expected an issue name, 'not', 'true', 'false' or '(', found {tok.describe()}",
            tok.start,
            tok.end,
        )

    def _opens_term(self) -> bool:
        """Whether the '(' here groups a term: its ')' is followed by arithmetic or a comparison."""
        close = self.closing.get(self.pos)
        return close is not None and self.tokens[close + 1].is_(*COMPARISONS, *ARITHMETIC)

    def _parenthesised(self, inner: Callable[[], _T]) -> _T:
        opening = self._take()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(
                f"expression nested too deeply (more than {MAX_DEPTH} parentheses)", opening.start
            )
        found = inner()
        self.depth -= 1
        if not self._at(")"):
            raise ExprError(
                f"missing ')' for the '(' that opens at character {opening.start + 1} "
                f"of the expression; found {self.tok.describe()}",
                self.tok.start,
                self.tok.end,
            )
        self._take()
        return found

    # --- tests ----------------------------------------------------------------------------
    def _test(self) -> Node:
        """A version-1 test `ISSUE op OPTION(S)` where it has that shape, else a comparison."""
        issue, op, option = self.tok, self._ahead(1), self._ahead(2)
        if issue.is_name and not op.is_(*ARITHMETIC):
            if op.is_("in") or (op.is_("not") and option.is_("in")):
                self.pos += 2 if op.is_("in") else 3
                return self._option_list(issue, "in" if op.is_("in") else "not in")
            if not op.is_(*COMPARISONS):
                raise ExprError(
                    f"expected '==', '!=', 'in', 'not in', '<', '<=', '>' or '>=' after issue "
                    f"'{issue.text}', found {op.describe()}",
                    op.start,
                    op.end,
                )
            if option.is_name and not self._ahead(3).is_(*ARITHMETIC):
                self.pos += 3
                test = Test(issue.text, op.text, (option.text,), issue.start, (option.start,))
                return self._unchained(test)
            if not option.starts_term:
                raise ExprError(
                    f"expected an option name or a number after '{op.text}', "
                    f"found {option.describe()}",
                    option.start,
                    option.end,
                )
        return self._comparison()

    def _unchained(self, node: Node) -> Node:
        if self._at(*COMPARISONS):
            raise ExprError(
                f"'{self.tok.text}' cannot follow a comparison: join two comparisons with 'and'",
                self.tok.start,
                self.tok.end,
            )
        return node

    def _option_list(self, issue: Token, op: str) -> Node:
        if not self._at("["):
            raise ExprError(
                f"expected '[' to start the option list after '{op}', found {self.tok.describe()}",
                self.tok.start,
                self.tok.end,
            )
        self._take()
        options = [self._option("in the list")]
        while self._at(","):
            self._take()
            options.append(self._option("after ','"))
        if not self._at("]"):
            raise ExprError(
                f"expected ',' or ']' in the option list, found {self.tok.describe()}",
                self.tok.start,
                self.tok.end,
            )
        self._take()
        return Test(
            issue.text,
            op,
            tuple(o.text for o in options),
            issue.start,
            tuple(o.start for o in options),
        )

    def _option(self, where: str) -> Token:
        tok = self.tok
        if not tok.is_name:
            raise ExprError(
                f"expected an option name {where}, found {tok.describe()}", tok.start, tok.end
            )
        return self._take()

    # --- numbers --------------------------------------------------------------------------
    def _comparison(self) -> Node:
        start = self.tok.start
        left = self._sum("")
        op = self.tok
        if not op.is_(*COMPARISONS):
            written = " ".join(self.text[start : op.start].split())
            raise ExprError(
                f"expected '==', '!=', '<', '<=', '>' or '>=' after '{written}', "
                f"found {op.describe()}",
                op.start,
                op.end,
            )
        self._take()
        right = self._sum(f" after '{op.text}'")
        return self._unchained(Compare(left, op.text, right))

    def _sum(self, where: str) -> Term:
        terms = [self._product(where)]
        signs = ["+"]
        while self._at("+", "-"):
            sign = self._take().text
            terms.append(self._product(f" after '{sign}'"))
            signs.append(sign)
        return terms[0] if len(terms) == 1 else Sum(tuple(terms), tuple(signs))

    def _product(self, where: str) -> Term:
        """`NUMBER * NUMBER * ... * (term | ISSUE | NUMBER)`, built without recursion."""
        factors: list[Num] = []
        while self.tok.is_number or self._at("-"):
            number = self._number()
            if not self._at("*"):
                return _scaled(factors, number)
            self._take()
            factors.append(number)
            where = " after '*'"
        tok = self.tok
        if self._at("("):
            term: Term = self._parenthesised(lambda: self._sum(" after '('"))
        elif tok.is_name:
            term = Ref(self._take().text, tok.start)
        else:
            raise ExprError(
                f"expected a number, an issue name or '('{where}, found {tok.describe()}",
                tok.start,
                tok.end,
            )
        if self._at("*"):
            raise ExprError(
                "'*' multiplies by a number written before it (as in '2 * a')",
                self.tok.start,
                self.tok.end,
            )
        return _scaled(factors, term)

    def _number(self) -> Num:
        first = self._take()
        if not first.is_("-"):
            return Num(first.text, first.start)
        digits = self.tok
        if not digits.is_number:
            hint = f" (write '-1 * {digits.text}' to negate an issue)" if digits.is_name else ""
            raise ExprError(
                f"expected a number after '-', found {digits.describe()}{hint}",
                digits.start,
                digits.end,
            )
        self._take()
        return Num("-" + digits.text, first.start)


def _scaled(factors: list[Num], term: Term) -> Term:
    for factor in reversed(factors):
        term = Scale(factor, term)
    return term
