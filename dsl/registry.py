"""The primitive table: name, argument types, return type, docstring, family.

The search and the interpreter read types from this table only. Primitives register
themselves with :func:`primitive` when their family module is imported;
:func:`primitives` imports every family so the table is complete.
"""

from __future__ import annotations

import difflib
import hashlib
import importlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from dsl.types import LITERAL_TYPES, T

# Every module that defines primitives; the registry imports them all on first use.
FAMILY_MODULES = (
    "dsl.geometry",
    "dsl.sizing",
    "dsl.tiling",
    "dsl.colour",
    "dsl.objects",
    "dsl.masks",
    "dsl.patterns",
    "dsl.lines",
)

# Literal values the search binds an argument to when the primitive declares no domain.
# COLOR is bound to the colours present in the task instead (``None`` here).
DEFAULT_DOMAINS: dict[T, tuple[Any, ...] | None] = {
    T.COLOR: None,
    T.INT: (1, 2, 3),
    T.BOOL: (False, True),
}


@dataclass(frozen=True)
class Primitive:
    name: str
    fn: Callable[..., Any]
    args: tuple[T, ...]
    ret: T
    doc: str
    family: str
    # Per argument: the finite literal values the search may bind (None: use the default).
    domains: tuple[tuple[Any, ...] | None, ...]
    # Per argument: whether the search may also bind an Int computed from the grid (a count,
    # a side) besides the literals, as in ``upscale(I, count_colors(I))``. Empty: none may.
    computed: tuple[bool, ...] = ()

    def takes_computed(self, index: int) -> bool:
        return bool(self.computed) and self.computed[index]

    def __call__(self, *values: Any) -> Any:
        return self.fn(*values)

    @property
    def signature(self) -> str:
        return f"{self.name}({', '.join(map(str, self.args))}) -> {self.ret}"


_TABLE: dict[str, Primitive] = {}
_loaded = False


def primitive(
    *args: T,
    ret: T,
    domains: Mapping[str, tuple[Any, ...]] | None = None,
    computed: tuple[str, ...] = (),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a module-level function as a primitive with explicit types.

    ``domains`` maps a literal argument's parameter name to the finite values the
    search may bind it to, e.g. ``domains={"k": (2, 3, 4)}``. ``computed`` names the Int
    arguments the search may also bind to a value computed from the grid (a scale factor
    that is the number of colours, say); the primitive must accept any Int there.
    """

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        name = fn.__name__
        if name in _TABLE:
            raise ValueError(f"primitive {name!r} is registered twice")
        doc = inspect.getdoc(fn)
        if not doc:
            raise ValueError(f"primitive {name!r} needs a one-line docstring")
        params = list(inspect.signature(fn).parameters)
        if len(params) != len(args):
            raise ValueError(f"primitive {name!r}: {len(params)} parameters but {len(args)} types")
        given = dict(domains or {})
        unknown = set(given) - set(params)
        if unknown:
            raise ValueError(f"primitive {name!r}: domains for unknown parameters {unknown}")
        for pname, kind in zip(params, args, strict=True):
            if pname in given and kind not in LITERAL_TYPES:
                raise ValueError(f"primitive {name!r}: domain given for non-literal {pname!r}")
            if pname in computed and kind is not T.INT:
                raise ValueError(f"primitive {name!r}: computed argument {pname!r} is not an Int")
        unknown_computed = set(computed) - set(params)
        if unknown_computed:
            raise ValueError(f"primitive {name!r}: computed names unknown parameters {unknown_computed}")
        family = fn.__module__.rsplit(".", 1)[-1]
        _TABLE[name] = Primitive(
            name=name,
            fn=fn,
            args=tuple(args),
            ret=ret,
            doc=doc.splitlines()[0],
            family=family,
            domains=tuple(given.get(p) for p in params),
            computed=tuple(p in computed for p in params) if computed else (),
        )
        return fn

    return register


def _load_families() -> None:
    global _loaded
    if _loaded:
        return
    for module in FAMILY_MODULES:
        importlib.import_module(module)
    _loaded = True


def primitives() -> Mapping[str, Primitive]:
    """The complete table, name -> Primitive, in registration order."""
    _load_families()
    return _TABLE


def table_hash(table: Mapping[str, Primitive] | None = None) -> str:
    """A short digest of every primitive's signature and literal domains.

    Anything trained against the table (the guide's checkpoint) records it, so a changed
    table is detected rather than silently misread.
    """
    table = primitives() if table is None else table
    lines = sorted(f"{p.signature} {p.domains}" for p in table.values())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def get(name: str) -> Primitive:
    """Look up one primitive; an unknown name gets a did-you-mean error."""
    table = primitives()
    if name in table:
        return table[name]
    close = difflib.get_close_matches(name, table, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise KeyError(f"unknown primitive {name!r}{hint}")


def literal_domain(prim: Primitive, index: int, task_colors: tuple[int, ...]) -> tuple[Any, ...]:
    """The literal values the search may bind to argument ``index`` of ``prim``."""
    declared = prim.domains[index]
    if declared is not None:
        return declared
    kind = prim.args[index]
    if kind is T.COLOR:
        return task_colors
    default = DEFAULT_DOMAINS.get(kind)
    if default is None:
        raise ValueError(f"{prim.name}: argument {index} of type {kind} is not a literal")
    return default
