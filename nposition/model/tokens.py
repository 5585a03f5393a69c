"""The tokens of the rule expression language: names, numbers, operators, with their offsets."""

from __future__ import annotations

import re
from typing import NamedTuple

from nposition.model.tree import ExprError

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})
NAME_RE = re.compile(r"[A-Za-z0-9_]+\Z")
TOKEN_RE = re.compile(
    r"\s*(?:(?P<number>[0-9]+\.[0-9]+)(?![A-Za-z0-9_])|(?P<name>[A-Za-z0-9_]+)"
    r"|(?P<op>==|!=|<=|>=|->|[<>()\[\],+*-]))"
)
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
ARITHMETIC = ("+", "-", "*")
MAX_NAME = 30  # digits in a number literal: far past any meaningful one
MAX_DEPTH = 50  # parentheses, and '->' in one chain
MAX_TREE_DEPTH = 200


class Token(NamedTuple):
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


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            tokens.append(Token("end", "", pos))
            return tokens
        m = TOKEN_RE.match(text, pos)
        if m is None:
            raise ExprError(f"unexpected character {text[pos]!r}{_hint(text, pos)}", pos)
        kind = next(k for k in ("number", "name", "op") if m.group(k))
        value = m.group(kind)
        if len(value) > MAX_NAME and (kind == "number" or value.isdigit()):
            raise ExprError(f"number with more than {MAX_NAME} digits", m.start(kind), m.end(kind))
        tokens.append(Token(kind, value, m.start(kind)))
        pos = m.end()


def _hint(text: str, pos: int) -> str:
    if text[pos] == "=":
        return " (did you mean '=='?)"
    after_name = pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] == "_")
    if text.startswith(".", pos) and text[pos + 1 : pos + 2].isdigit() and not after_name:
        return f" (write a digit before the point, as in '0{text[pos : pos + 2]}')"
    return ""


def closing(tokens: list[Token]) -> dict[int, int]:
    """For each '(' that is closed, the index of its ')'."""
    pairs: dict[int, int] = {}
    opened: list[int] = []
    for i, tok in enumerate(tokens):
        if tok.is_("("):
            opened.append(i)
        elif tok.is_(")") and opened:
            pairs[opened.pop()] = i
    return pairs
