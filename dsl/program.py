"""DSL programs: the tree of calls, its two text forms and the parser.

A program is a tree whose leaves are the input grid ``I`` and literal constants
(colours, small ints, ``true``/``false``) and whose inner nodes call registry
primitives by name. Two text forms parse to the same tree:

- nested, one expression: ``crop_to_object(I, largest_object(objects_by_color(I)))``
  (the canonical form, :func:`format_program`);
- straight-line, one call a line (:func:`format_straight_line`)::

    x1 = objects_by_color(I)
    x2 = largest_object(x1)
    O = crop_to_object(I, x2)

Variables are inlined when parsing, so a program is always a tree; ``#`` starts a
comment. Type checking lives in :mod:`dsl.interpreter`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Union

import numpy as np

from dsl import registry
from dsl.registry import Primitive
from dsl.types import T

# Nesting deeper than this is a mistake, and would exhaust Python's recursion limit.
MAX_DEPTH = 100


class ProgramSyntaxError(ValueError):
    """Program text that does not parse; carries the 1-based line and column."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"line {line}, column {column}: {message}")
        self.message = message
        self.line = line
        self.column = column


class ProgramTypeError(ValueError):
    """A program that is not well typed; the message names the offending call."""


@dataclass(frozen=True)
class Input:
    """The task's input grid, written ``I``."""

    def __str__(self) -> str:
        return "I"


INPUT = Input()


@dataclass(frozen=True, eq=False)
class Literal:
    """A constant: an int (a colour or a small int) or a bool; its type comes from its slot."""

    value: int | bool

    def __post_init__(self) -> None:
        value = self.value
        if isinstance(value, bool | np.bool_):
            value = bool(value)
        elif isinstance(value, int | np.integer):
            value = int(value)
        else:
            raise TypeError(f"a literal is an int or a bool, not {type(value).__name__}")
        object.__setattr__(self, "value", value)

    def _key(self) -> tuple[type, int | bool]:
        # True == 1 in Python; a program with `true` is not the program with `1`.
        return (type(self.value), self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Literal) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return str(self.value)


@dataclass(frozen=True)
class Call:
    """A call of the registry primitive ``name`` on argument expressions."""

    name: str
    args: tuple[Expr, ...] = ()
    # Hashing a tree walks it; the search hashes nodes often, so compute it once.
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        args = tuple(self.args)
        for arg in args:
            if not isinstance(arg, Input | Literal | Call):
                raise TypeError(f"argument of {self.name} is not an expression: {arg!r}")
        object.__setattr__(self, "args", args)
        object.__setattr__(self, "_hash", hash((self.name, args)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple:
        # Rebuild on unpickling: string hashes differ between processes (worker pools).
        return (Call, (self.name, self.args))

    def __str__(self) -> str:
        return f"{self.name}({', '.join(str(arg) for arg in self.args)})"


Expr = Union[Input, Literal, Call]  # noqa: UP007 (a runtime alias used in isinstance checks)


@dataclass(frozen=True)
class Program:
    """A whole program: the expression whose value is the output."""

    root: Expr

    def __post_init__(self) -> None:
        if not isinstance(self.root, Input | Literal | Call):
            raise TypeError(f"a program's root is an expression, not {self.root!r}")

    def __str__(self) -> str:
        return format_program(self)


def _root(p: Program | Expr) -> Expr:
    return p.root if isinstance(p, Program) else p


def subexpressions(p: Program | Expr) -> Iterator[Expr]:
    """Every node of the tree, parents before children, repeats included."""
    stack = [_root(p)]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Call):
            stack.extend(reversed(node.args))


def size(p: Program | Expr) -> int:
    """The number of primitive calls (``I`` and literals are free)."""
    return sum(isinstance(node, Call) for node in subexpressions(p))


def depth(p: Program | Expr) -> int:
    """The longest chain of nested calls: 0 for ``I`` or a literal, 1 for ``f(I)``."""
    node = _root(p)
    if not isinstance(node, Call):
        return 0
    return 1 + max((depth(arg) for arg in node.args), default=0)


def primitives_used(p: Program | Expr) -> frozenset[str]:
    """The names of the primitives the program calls."""
    return frozenset(node.name for node in subexpressions(p) if isinstance(node, Call))


def uses_input(p: Program | Expr) -> bool:
    """True when the program reads ``I`` (a program without it ignores the task)."""
    return any(isinstance(node, Input) for node in subexpressions(p))


def program_type(p: Program | Expr, table: Mapping[str, Primitive] | None = None) -> T:
    """The type of the program's value, read from its root (no full type check)."""
    node = _root(p)
    if isinstance(node, Input):
        return T.GRID
    if isinstance(node, Literal):
        raise ProgramTypeError(f"literal {node} has no type outside an argument slot")
    table = registry.primitives() if table is None else table
    if node.name not in table:
        raise ProgramTypeError(unknown_primitive_message(node.name, table))
    return table[node.name].ret


def unknown_primitive_message(name: str, table: Mapping[str, Primitive]) -> str:
    """'unknown primitive' with the closest registered names."""
    close = difflib.get_close_matches(name, list(table), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"unknown primitive {name!r}{hint}"


def format_program(p: Program | Expr) -> str:
    """The canonical text: one nested expression, e.g. ``f(I, g(I), 3)``."""
    return str(_root(p))


def format_straight_line(p: Program | Expr) -> str:
    """One call a line (``x1 = ...`` then ``O = ...``); repeated subtrees share a variable."""
    root = _root(p)
    names: dict[Call, str] = {}
    lines: list[str] = []

    def text(node: Expr) -> str:
        if not isinstance(node, Call):
            return str(node)
        if node in names:
            return names[node]
        call = f"{node.name}({', '.join(text(arg) for arg in node.args)})"
        if node is root:
            return call
        names[node] = f"x{len(names) + 1}"
        lines.append(f"{names[node]} = {call}")
        return names[node]

    lines.append(f"O = {text(root)}")
    return "\n".join(lines) + "\n"


_TOKEN = re.compile(
    r"(?P<space>[ \t]+)|(?P<comment>\#[^\n]*)|(?P<newline>\r?\n)"
    r"|(?P<int>-?[0-9]+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[(),=])"
)


@dataclass(frozen=True)
class _Token:
    kind: str  # newline, int, name, punct, end
    text: str
    line: int
    column: int

    def shown(self) -> str:
        return {"newline": "end of line", "end": "end of input"}.get(self.kind, repr(self.text))


def _tokens(text: str) -> list[_Token]:
    """Split text into tokens, dropping spaces and comments."""
    out: list[_Token] = []
    line, line_start, pos = 1, 0, 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ProgramSyntaxError(f"unexpected character {text[pos]!r}", line, pos - line_start + 1)
        kind = match.lastgroup or ""
        if kind not in ("space", "comment"):
            out.append(_Token(kind, match.group(), line, pos - line_start + 1))
        pos = match.end()
        if kind == "newline":
            line, line_start = line + 1, pos
    out.append(_Token("end", "", line, pos - line_start + 1))
    return out


@dataclass
class _Variable:
    expr: Expr
    depth: int
    where: _Token
    used: bool = False


class _Parser:
    """Recursive descent over the token list; variables are inlined as they are read."""

    def __init__(self, text: str, table: Mapping[str, object]) -> None:
        self.toks = _tokens(text)
        self.pos = 0
        self.table = table
        self.vars: dict[str, _Variable] = {}

    def peek(self, ahead: int = 0) -> _Token:
        return self.toks[min(self.pos + ahead, len(self.toks) - 1)]

    def take(self) -> _Token:
        tok = self.peek()
        self.pos += 1
        return tok

    def fail(self, tok: _Token, message: str) -> ProgramSyntaxError:
        return ProgramSyntaxError(message, tok.line, tok.column)

    def expect(self, text: str) -> _Token:
        tok = self.take()
        if tok.text != text or tok.kind != "punct":
            raise self.fail(tok, f"expected {text!r}, found {tok.shown()}")
        return tok

    def skip_newlines(self) -> None:
        while self.peek().kind == "newline":
            self.pos += 1

    def end_of_statement(self) -> None:
        tok = self.peek()
        if tok.kind not in ("newline", "end"):
            raise self.fail(tok, f"expected end of line, found {tok.shown()}")
        self.skip_newlines()

    def program(self) -> Expr:
        self.skip_newlines()
        if self.peek().kind == "end":
            raise self.fail(self.peek(), "empty program: expected an expression or 'O = ...'")
        if not (self.peek().kind == "name" and self.peek(1).text == "="):
            expr, _ = self.expr(0)
            self.end_of_statement()
            if self.peek().kind != "end":
                raise self.fail(
                    self.peek(),
                    "expected end of program after the expression "
                    "(a nested program is one expression; use 'x1 = ...' lines otherwise)",
                )
            return expr
        while True:
            tok = self.peek()
            if tok.kind == "end":
                raise self.fail(tok, "expected the final line 'O = ...'")
            if not (tok.kind == "name" and self.peek(1).text == "="):
                raise self.fail(tok, f"expected an assignment 'name = ...', found {tok.shown()}")
            name = self.assignment()
            if name == "O":
                break
        if self.peek().kind != "end":
            raise self.fail(self.peek(), "'O = ...' must be the last line")
        for var_name, var in self.vars.items():
            if var_name != "O" and not var.used:
                raise self.fail(var.where, f"{var_name} is assigned but never used")
        return self.vars["O"].expr

    def assignment(self) -> str:
        target = self.take()
        name = target.text
        if name in ("I", "true", "false"):
            raise self.fail(target, f"cannot assign to {name}")
        if name in self.table:
            raise self.fail(target, f"{name!r} is a primitive; choose another variable name")
        if name in self.vars:
            raise self.fail(target, f"{name} is assigned twice")
        self.expect("=")
        expr, nest = self.expr(0)
        self.end_of_statement()
        self.vars[name] = _Variable(expr, nest, target)
        return name

    def expr(self, nest: int) -> tuple[Expr, int]:
        """One expression and its call depth."""
        tok = self.take()
        if tok.kind == "int":
            return Literal(int(tok.text)), 0
        if tok.kind != "name":
            raise self.fail(
                tok,
                "expected an expression (I, a number, true, false, a variable "
                f"or a call), found {tok.shown()}",
            )
        if self.peek().text == "(" and self.peek().kind == "punct":
            return self.call(tok, nest)
        return self.name(tok)

    def call(self, tok: _Token, nest: int) -> tuple[Expr, int]:
        if tok.text == "I":
            raise self.fail(tok, "I is the input grid, not a primitive")
        if tok.text not in self.table:
            raise self.fail(tok, unknown_primitive_message(tok.text, self.table))  # type: ignore[arg-type]
        if nest >= MAX_DEPTH:
            raise self.fail(tok, f"calls nest deeper than {MAX_DEPTH}")
        self.expect("(")
        args: list[Expr] = []
        deepest = 0
        if self.peek().text != ")":
            while True:
                arg, arg_depth = self.expr(nest + 1)
                args.append(arg)
                deepest = max(deepest, arg_depth)
                sep = self.take()
                if sep.text == ")" and sep.kind == "punct":
                    break
                if sep.text != "," or sep.kind != "punct":
                    raise self.fail(sep, f"expected ',' or ')', found {sep.shown()}")
        else:
            self.take()
        if deepest + 1 > MAX_DEPTH:
            raise self.fail(tok, f"calls nest deeper than {MAX_DEPTH}")
        return Call(tok.text, tuple(args)), deepest + 1

    def name(self, tok: _Token) -> tuple[Expr, int]:
        name = tok.text
        if name == "I":
            return INPUT, 0
        if name in ("true", "false"):
            return Literal(name == "true"), 0
        if name in self.vars:
            var = self.vars[name]
            var.used = True
            return var.expr, var.depth
        if name in ("True", "False"):
            raise self.fail(tok, f"write booleans as true or false, not {name}")
        if name in self.table:
            raise self.fail(tok, f"primitive {name} needs its arguments: {name}(...)")
        close = difflib.get_close_matches(name, list(self.vars), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise self.fail(tok, f"undefined variable {name!r}{hint}")


def parse(text: str, table: Mapping[str, Primitive] | None = None) -> Program:
    """Parse either text form; primitive names are checked against the registry.

    >>> format_program(parse("x1 = f(I)\\nO = g(x1, 2)", table={"f": None, "g": None}))
    'g(f(I), 2)'
    """
    names = registry.primitives() if table is None else table
    return Program(_Parser(text, names).program())
