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

from nposition.errors import suggest
from nposition.model.parser import Parser
from nposition.model.resolve import holds, members, resolve, touched_issues
from nposition.model.tokens import KEYWORDS, MAX_DEPTH, MAX_TREE_DEPTH, NAME_RE
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


def parse(text: str) -> Node:
    """Parse an expression into its syntax tree; raise `ExprError` at the offending character."""
    node = Parser(text).parse()
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
