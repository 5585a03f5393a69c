"""The expression tree: the immutable nodes that parsing builds, resolution rewrites, the engine reads.

Parsing builds `Test`s and `Compare`s (whose sides are terms: `Num`, `Ref`, `Scale`, `Sum`) under
`Not`, `And`, `Or`, `Implies` and `Const`; resolution replaces each `Test` by a `Member` and each
`Compare` by a `Linear` (or a `Const` when no issue is left in it).

The nodes are small slotted classes, not dataclasses: every command loads this module, and a
frozen dataclass costs about half a millisecond to generate at import. A `NamedTuple` would be as
cheap but would compare as a plain tuple (an `And` equal to the `Or` of the same arguments); these
nodes are equal only to a node of the same class with equal fields. `match` on them by class:
`case Member(issue, allowed):`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from nposition.errors import Location


class ExprError(Exception):
    """A problem inside one expression, at character offsets [start, end)."""

    def __init__(self, message: str, start: int, end: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = max(end if end is not None else start + 1, start + 1)


def caret(text: str, start: int, end: int) -> str:
    """The expression with carets under characters [start, end), indented for a report."""
    line = "".join(" " if c.isspace() else c for c in text)
    width = max(1, min(end, len(line) + 1) - start)
    return f"    {line}\n    {' ' * start}{'^' * width}"


# The nodes refuse attribute assignment; their constructors assign through object's.
_assign = object.__setattr__


class _Node:
    """An immutable node whose fields are named by `__match_args__`; its hash is computed once."""

    __slots__ = ("_hash",)
    __match_args__: ClassVar[tuple[str, ...]] = ()
    _hash: int

    def _seal(self) -> None:
        _assign(self, "_hash", hash((type(self).__name__, *self._values())))

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__match_args__)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field '{name}': {type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field '{name}': {type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Node) or type(other) is not type(self):
            return NotImplemented
        return self is other or (self._hash == other._hash and self._values() == other._values())

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__match_args__)
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> tuple[type[_Node], tuple[Any, ...]]:
        return type(self), self._values()  # pickle and copy through __init__


class Const(_Node):
    __slots__ = __match_args__ = ("value",)
    value: bool

    def __init__(self, value: bool) -> None:
        _assign(self, "value", value)
        self._seal()


class Test(_Node):
    """A test as written: `issue op option(s)`, with the offsets of its names for error carets."""

    __slots__ = __match_args__ = ("issue", "op", "options", "issue_start", "option_starts")
    issue: str
    op: str  # '==', '!=', '<', '<=', '>', '>=', 'in' or 'not in'
    options: tuple[str, ...]
    issue_start: int
    option_starts: tuple[int, ...]

    def __init__(
        self,
        issue: str,
        op: str,
        options: tuple[str, ...],
        issue_start: int,
        option_starts: tuple[int, ...],
    ) -> None:
        _assign(self, "issue", issue)
        _assign(self, "op", op)
        _assign(self, "options", options)
        _assign(self, "issue_start", issue_start)
        _assign(self, "option_starts", option_starts)
        self._seal()


class Num(_Node):
    """A number literal as written (`5`, `2.5`, `-1`), starting at character `start`."""

    __slots__ = __match_args__ = ("text", "start")
    text: str  # digits, an optional '.' and digits, after an optional '-'
    start: int

    def __init__(self, text: str, start: int) -> None:
        _assign(self, "text", text)
        _assign(self, "start", start)
        self._seal()


class Ref(_Node):
    """An issue inside arithmetic: its option's value. `issue` starts at character `start`."""

    __slots__ = __match_args__ = ("issue", "start")
    issue: str
    start: int

    def __init__(self, issue: str, start: int) -> None:
        _assign(self, "issue", issue)
        _assign(self, "start", start)
        self._seal()


class Scale(_Node):
    """`factor * term`: a term multiplied by a number literal."""

    __slots__ = __match_args__ = ("factor", "term")
    factor: Num
    term: Term

    def __init__(self, factor: Num, term: Term) -> None:
        _assign(self, "factor", factor)
        _assign(self, "term", term)
        self._seal()


class Sum(_Node):
    """`t0 ± t1 ± ...`: terms added ('+') or subtracted ('-'); the first sign is always '+'."""

    __slots__ = __match_args__ = ("terms", "signs")
    terms: tuple[Term, ...]
    signs: tuple[str, ...]

    def __init__(self, terms: tuple[Term, ...], signs: tuple[str, ...]) -> None:
        _assign(self, "terms", terms)
        _assign(self, "signs", signs)
        self._seal()


Term = Num | Ref | Scale | Sum


class Compare(_Node):
    """A numeric comparison as written: `left op right`, both sides terms."""

    __slots__ = __match_args__ = ("left", "op", "right")
    left: Term
    op: str  # '==', '!=', '<', '<=', '>' or '>='
    right: Term

    def __init__(self, left: Term, op: str, right: Term) -> None:
        _assign(self, "left", left)
        _assign(self, "op", op)
        _assign(self, "right", right)
        self._seal()


class Not(_Node):
    __slots__ = __match_args__ = ("arg",)
    arg: Node

    def __init__(self, arg: Node) -> None:
        _assign(self, "arg", arg)
        self._seal()


class And(_Node):
    __slots__ = __match_args__ = ("args",)
    args: tuple[Node, ...]

    def __init__(self, args: tuple[Node, ...]) -> None:
        _assign(self, "args", args)
        self._seal()


class Or(_Node):
    __slots__ = __match_args__ = ("args",)
    args: tuple[Node, ...]

    def __init__(self, args: tuple[Node, ...]) -> None:
        _assign(self, "args", args)
        self._seal()


class Implies(_Node):
    __slots__ = __match_args__ = ("left", "right")
    left: Node
    right: Node

    def __init__(self, left: Node, right: Node) -> None:
        _assign(self, "left", left)
        _assign(self, "right", right)
        self._seal()


class Member(_Node):
    """A resolved test: the package's option on `issue` is one of `allowed` (indices)."""

    __slots__ = __match_args__ = ("issue", "allowed")
    issue: int
    allowed: frozenset[int]

    def __init__(self, issue: int, allowed: frozenset[int]) -> None:
        _assign(self, "issue", issue)
        _assign(self, "allowed", allowed)
        self._seal()


class Linear(_Node):
    """A resolved numeric test: `sum(coef x value of issue) + constant <op> 0`, in integers.

    Each term is (issue index, coefficient, the issue's scaled values by option digit, None for
    the n/a digit). Values and literals share one decimal scale, so the arithmetic is exact. A
    test that touches an n/a issue is false, except `!=`, which is true.
    """

    __slots__ = __match_args__ = ("terms", "constant", "op")
    terms: tuple[tuple[int, int, tuple[int | None, ...]], ...]
    constant: int
    op: str  # '==', '!=', '<', '<=', '>' or '>='

    def __init__(
        self, terms: tuple[tuple[int, int, tuple[int | None, ...]], ...], constant: int, op: str
    ) -> None:
        _assign(self, "terms", terms)
        _assign(self, "constant", constant)
        _assign(self, "op", op)
        self._seal()

    def test(self, total: int) -> bool:
        """Whether a total (the left side minus the right) satisfies the comparison."""
        return {
            "==": total == 0,
            "!=": total != 0,
            "<": total < 0,
            "<=": total <= 0,
            ">": total > 0,
            ">=": total >= 0,
        }[self.op]


Node = Const | Test | Compare | Not | And | Or | Implies | Member | Linear


class Expression(_Node):
    """An expression as written (for display and error carets) and resolved (for evaluation)."""

    __slots__ = __match_args__ = ("text", "node", "location")
    text: str
    node: Node
    location: Location  # of the first character of the text in its file

    def __init__(self, text: str, node: Node, location: Location) -> None:
        _assign(self, "text", text)
        _assign(self, "node", node)
        _assign(self, "location", location)
        self._seal()
