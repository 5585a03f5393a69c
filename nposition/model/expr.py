"""The rule expression language: its grammar, tokenizer and recursive-descent parser.

Grammar (precedence `not` > `and` > `or` > `->`, `->` right-associative)::

    expr   := expr 'or' expr | expr 'and' expr | 'not' expr | expr '->' expr | '(' expr ')'
            | test | 'true' | 'false'
    test   := ISSUE ('==' | '!=') OPTION
            | ISSUE ('in' | 'not in') '[' OPTION (',' OPTION)* ']'
            | ISSUE ('<' | '<=' | '>' | '>=') OPTION      # ordered issues only

Parsing gives a syntax tree (`nposition.model.tree`) that keeps character offsets; `resolve`
(`nposition.model.resolve`) checks its names against the case's issues and turns every test into a
`Member`, the only form the engine evaluates. This module is the language's one door: the tree,
resolution and evaluation are importable from here.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from nposition.errors import suggest
from nposition.model.resolve import holds, members, resolve
from nposition.model.tree import (
    And,
    Const,
    ExprError,
    Implies,
    Member,
    Node,
    Not,
    Or,
    Test,
    caret,
)

__all__ = [
    "KEYWORDS",
    "MAX_DEPTH",
    "MAX_TREE_DEPTH",
    "NAME_RE",
    "And",
    "Const",
    "ExprError",
    "Implies",
    "Member",
    "Node",
    "Not",
    "Or",
    "Test",
    "caret",
    "holds",
    "members",
    "parse",
    "resolve",
    "suggest",
]

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})
NAME_RE = re.compile(r"[A-Za-z0-9_]+\Z")
_TOKEN_RE = re.compile(r"\s*(?:(?P<name>[A-Za-z0-9_]+)|(?P<op>==|!=|<=|>=|->|[<>()\[\],]))")
_COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
MAX_DEPTH = 50  # parentheses, and '->' in one chain
MAX_TREE_DEPTH = 200


class _Token(NamedTuple):
    kind: str  # 'name', 'op' or 'end'
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + max(len(self.text), 1)

    def describe(self) -> str:
        return "the end of the expression" if self.kind == "end" else f"'{self.text}'"


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
            hint = " (did you mean '=='?)" if text[pos] == "=" else ""
            raise ExprError(f"unexpected character {text[pos]!r}{hint}", pos)
        kind = "name" if m.group("name") else "op"
        value = m.group(kind)
        tokens.append(_Token(kind, value, m.start(kind)))
        pos = m.end()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0
        self.depth = 0

    @property
    def tok(self) -> _Token:
        return self.tokens[self.pos]

    def _at(self, *values: str) -> bool:
        return self.tok.kind != "end" and self.tok.text in values

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
        if self._at("("):
            self._take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ExprError(
                    f"expression nested too deeply (more than {MAX_DEPTH} parentheses)", tok.start
                )
            node = self._implies()
            self.depth -= 1
            if not self._at(")"):
                raise ExprError(
                    f"missing ')' for the '(' that opens at character {tok.start + 1} "
                    f"of the expression; found {self.tok.describe()}",
                    self.tok.start,
                    self.tok.end,
                )
            self._take()
            return node
        if self._at("true", "false"):
            self._take()
            return Const(tok.text == "true")
        if tok.kind == "name" and tok.text not in KEYWORDS:
            return self._test()
        raise ExprError(
            f"expected an issue name, 'not', 'true', 'false' or '(', found {tok.describe()}",
            tok.start,
            tok.end,
        )

    def _test(self) -> Node:
        issue = self._take()
        tok = self.tok
        if self._at(*_COMPARISONS):
            self._take()
            option = self._option(f"after '{tok.text}'")
            return Test(issue.text, tok.text, (option.text,), issue.start, (option.start,))
        if self._at("in"):
            self._take()
            return self._option_list(issue, "in")
        if self._at("not") and self._peek_is("in"):
            self.pos += 2
            return self._option_list(issue, "not in")
        raise ExprError(
            f"expected '==', '!=', 'in', 'not in', '<', '<=', '>' or '>=' after issue "
            f"'{issue.text}', found {tok.describe()}",
            tok.start,
            tok.end,
        )

    def _peek_is(self, value: str) -> bool:
        nxt = self.tokens[self.pos + 1]
        return nxt.kind != "end" and nxt.text == value

    def _option(self, where: str) -> _Token:
        tok = self.tok
        if tok.kind != "name" or tok.text in KEYWORDS:
            raise ExprError(
                f"expected an option name {where}, found {tok.describe()}", tok.start, tok.end
            )
        return self._take()

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
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        match node:
            case Not(arg):
                stack.append((arg, depth + 1))
            case And(args) | Or(args):
                stack.extend((a, depth + 1) for a in args)
            case Implies(left, right):
                stack.extend(((left, depth + 1), (right, depth + 1)))
    return deepest
