"""The rule expression language: its grammar, tokenizer and recursive-descent parser.

Grammar (precedence `not` > `and` > `or` > `->`, `->` right-associative; `*` > `+`, `-`)::

    expr   := expr 'or' expr | expr 'and' expr | 'not' expr | expr '->' expr | '(' expr ')'
            | test | 'true' | 'false'
    test   := ISSUE ('==' | '!=') OPTION
            | ISSUE ('in' | 'not in') '[' OPTION (',' OPTION)* ']'
            | ISSUE ('<' | '<=' | '>' | '>=') OPTION      # ordered issues only
            | term ('==' | '!=' | '<' | '<=' | '>' | '>=') term    # numbers: compares values
    term   := NUMBER | ISSUE | term ('+' | '-') term | NUMBER '*' term | '(' term ')'

Numbers and names:

- NUMBER is digits with an optional decimal part (`5`, `2.5`), negative with a '-' where a term
  starts (`-1`, `a - -0.5`, `-2 * a`). There are no exponents: `1e3` is a name.
- A '(' opens a term when its ')' is followed by '+', '-', '*' or a comparison (`(a + b) <= 5`),
  else a group (`(a == x) or b == y`). A parenthesised side is a term: `(a) == b` compares values.
- Comparisons do not chain: `1 <= a <= 3` is an error; write `1 <= a and a <= 3`.
- Ids are letters, digits and '_', so digits alone (`2`, `1956`) are a name as well as a number.
  They are a number wherever a term is expected, except in the version-1 shape `ISSUE op NAME`
  (both sides bare, no arithmetic), which parses to a `Test` that `resolve` reads by the issue:
  without values, NAME is an option id (`year == 1956` names the option `1956`; digits that name
  no option are an error: the issue has no values); with values, digits alone are a number
  (`wage >= 2`) and any other NAME an option (`wage >= pct_2`), and where an option's id is those
  digits but its value another number, the test is an error (the two readings differ). `D op NAME`
  with D digits alone that no issue is called compares the number D with issue NAME's value.
  A list (`in [2, 3]`) always names options. `a >= b` with b an issue and not an option of a is an
  error whose message shows the numeric form, `a - b >= 0`.

Parsing gives a syntax tree (`nposition.model.tree`) that keeps the character offset of every name
and number; `resolve` (`nposition.model.resolve`) checks its names against the case's issues and
turns every test into a `Member` and every numeric comparison into a `Linear`, the forms the engine
evaluates. This module is the language's one door: the tree, resolution and evaluation are
importable from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple, TypeVar

from nposition.errors import suggest
from nposition.model.resolve import holds, members, resolve, touched_issues
from nposition.model.tree import (
    And,
    Compare,
    Const,
    ExprError,
    Implies,
    Linear,
    Member,
    Node,
    Not,
    Num,
    Or,
    Ref,
    Scale,
    Sum,
    Term,
    Test,
    caret,
)

__all__ = [
    "KEYWORDS",
    "MAX_DEPTH",
    "MAX_TREE_DEPTH",
    "NAME_RE",
    "And",
    "Compare",
    "Const",
    "ExprError",
    "Implies",
    "Linear",
    "Member",
    "Node",
    "Not",
    "Num",
    "Or",
    "Ref",
    "Scale",
    "Sum",
    "Term",
    "Test",
    "caret",
    "holds",
    "members",
    "parse",
    "resolve",
    "suggest",
    "touched_issues",
]

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})
NAME_RE = re.compile(r"[A-Za-z0-9_]+\Z")
_TOKEN_RE = re.compile(
    r"\s*(?:(?P<number>[0-9]+\.[0-9]+)(?![A-Za-z0-9_])|(?P<name>[A-Za-z0-9_]+)"
    r"|(?P<op>==|!=|<=|>=|->|[<>()\[\],+*-]))"
)
_COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
_ARITHMETIC = ("+", "-", "*")
MAX_DEPTH = 50  # parentheses, and '->' in one chain
MAX_TREE_DEPTH = 200
_T = TypeVar("_T")


class _Token(NamedTuple):
    kind: str  # 'name' (digits alone included), 'number' (with a decimal point), 'op' or 'end'
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + max(len(self.text), 1)

    def describe(self) -> str:
        return "the end of the expression" if self.kind == "end" else f"'{self.text}'"

    def is_(self, *values: str) -> bool:
        return self.kind != "end" and self.text in values

    @property
    def is_name(self) -> bool:
        """A name that is no keyword: an issue, an option, or (digits alone) maybe a number."""
        return self.kind == "name" and self.text not in KEYWORDS

    @property
    def is_number(self) -> bool:
        return self.kind == "number" or (self.kind == "name" and self.text.isdigit())

    @property
    def starts_term(self) -> bool:
        return self.is_name or self.kind == "number" or self.is_("(", "-")


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            tokens.append(_Token("end", "", pos))
            return tokens
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            raise ExprError(f"unexpected character {text[pos]!r}{_hint(text, pos)}", pos)
        kind = next(k for k in ("number", "name", "op") if m.group(k))
        tokens.append(_Token(kind, m.group(kind), m.start(kind)))
        pos = m.end()


def _hint(text: str, pos: int) -> str:
    if text[pos] == "=":
        return " (did you mean '=='?)"
    after_name = pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] == "_")
    if text.startswith(".", pos) and text[pos + 1 : pos + 2].isdigit() and not after_name:
        return f" (write a digit before the point, as in '0{text[pos : pos + 2]}')"
    return ""


def _closing(tokens: list[_Token]) -> dict[int, int]:
    """For each '(' that is closed, the index of its ')'."""
    pairs: dict[int, int] = {}
    opened: list[int] = []
    for i, tok in enumerate(tokens):
        if tok.is_("("):
            opened.append(i)
        elif tok.is_(")") and opened:
            pairs[opened.pop()] = i
    return pairs


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.closing = _closing(self.tokens)
        self.pos = 0
        self.depth = 0

    @property
    def tok(self) -> _Token:
        return self.tokens[self.pos]

    def _at(self, *values: str) -> bool:
        return self.tok.is_(*values)

    def _ahead(self, n: int) -> _Token:
        return self.tokens[min(self.pos + n, len(self.tokens) - 1)]

    def _take(self) -> _Token:
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
        return close is not None and self.tokens[close + 1].is_(*_COMPARISONS, *_ARITHMETIC)

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
        if issue.is_name and not op.is_(*_ARITHMETIC):
            if op.is_("in") or (op.is_("not") and option.is_("in")):
                self.pos += 2 if op.is_("in") else 3
                return self._option_list(issue, "in" if op.is_("in") else "not in")
            if not op.is_(*_COMPARISONS):
                raise ExprError(
                    f"expected '==', '!=', 'in', 'not in', '<', '<=', '>' or '>=' after issue "
                    f"'{issue.text}', found {op.describe()}",
                    op.start,
                    op.end,
                )
            if option.is_name and not self._ahead(3).is_(*_ARITHMETIC):
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
        if self._at(*_COMPARISONS):
            raise ExprError(
                f"'{self.tok.text}' cannot follow a comparison: join two comparisons with 'and'",
                self.tok.start,
                self.tok.end,
            )
        return node

    def _option_list(self, issue: _Token, op: str) -> Node:
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

    def _option(self, where: str) -> _Token:
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
        if not op.is_(*_COMPARISONS):
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


def parse(text: str) -> Node:
    """Parse an expression into its syntax tree; raise `ExprError` at the offending character."""
    node = _Parser(text).parse()
    if _depth(node) > MAX_TREE_DEPTH:
        # Resolution and evaluation recurse over the tree: keep it far from Python's limit.
        raise ExprError(f"expression nested too deeply (more than {MAX_TREE_DEPTH} levels)", 0)
    return node


def _depth(root: Node) -> int:
    """The depth of a syntax tree, computed without recursion."""
    deepest = 0
    stack: list[tuple[Node | Term, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        match node:
            case Not(arg):
                stack.append((arg, depth + 1))
            case And(args) | Or(args) | Sum(args):
                stack.extend((a, depth + 1) for a in args)
            case Scale(_, term):
                stack.append((term, depth + 1))
            case Implies(left, right) | Compare(left, _, right):
                stack.extend(((left, depth + 1), (right, depth + 1)))
    return deepest
