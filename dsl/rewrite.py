"""Rewriting programs: simplifying one against the grids it runs on, and mutating one.

Nodes are addressed by their *path*, the argument indices from the root down.

**Simplifying.** A random program often calls primitives whose effect the grids at hand
cannot show: ``flip_horizontal`` of a symmetric grid, ``recolor(I, 3, 4)`` where no cell
is 3, the second of two crops to the same object. :func:`simplify` removes such calls: it
replaces a call by one of its own sub-expressions of the same type (``f(g(I))`` by
``g(I)`` or ``I``) whenever the outputs on every grid stay the same, until none does.
What remains names only primitives the grids give evidence of, which is what a model
learning *which primitives a task needs* can hope to predict.

**Mutating.** :func:`mutate` makes one random, well-typed edit: a call replaced by a fresh
random expression of its type, a call's primitive swapped for another of the same
signature, or a literal redrawn from its slot's domain. Mutants of hand-written programs
are programs shaped like real solutions, which random programs are not.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from dsl import registry
from dsl.generator import Sampler
from dsl.interpreter import run_checked, type_check
from dsl.program import Call, Expr, Input, Literal, Program, ProgramTypeError, uses_input
from dsl.registry import Primitive
from dsl.types import T

Path = tuple[int, ...]  # argument indices from the root down to a node


def nodes(expr: Expr, path: Path = ()) -> Iterator[tuple[Path, Expr]]:
    """Every node with its path, parents first."""
    yield path, expr
    if isinstance(expr, Call):
        for i, arg in enumerate(expr.args):
            yield from nodes(arg, (*path, i))


def replaced(expr: Expr, path: Path, new: Expr) -> Expr:
    """``expr`` with the node at ``path`` replaced by ``new``."""
    if not path:
        return new
    assert isinstance(expr, Call)  # a path only runs through calls
    head, rest = path[0], path[1:]
    args = list(expr.args)
    args[head] = replaced(args[head], rest, new)
    return Call(expr.name, tuple(args))


def _type(expr: Expr, table: Mapping[str, Primitive]) -> T | None:
    """The value type of a node, or None for a literal (its type is its slot's)."""
    if isinstance(expr, Input):
        return T.GRID
    if isinstance(expr, Call):
        return table[expr.name].ret
    return None


def _sizes(expr: Expr) -> dict[Path, int]:
    """The number of calls in the subtree at every path."""
    found: dict[Path, int] = {}
    for path, node in reversed(list(nodes(expr))):  # children before parents
        inner = sum(found[(*path, i)] for i in range(len(node.args))) if isinstance(node, Call) else 0
        found[path] = inner + isinstance(node, Call)
    return found


def shortcuts(program: Program, table: Mapping[str, Primitive] | None = None) -> Iterator[Program]:
    """Each program made by replacing one call with a same-typed sub-expression of it.

    Every one is well typed if ``program`` is, and smaller. They come smallest first, ties
    in text order, each once; lazily, since a caller often stops at the first that serves.
    """
    table = registry.primitives() if table is None else table
    sizes = _sizes(program.root)
    by_size: dict[int, list[tuple[Path, Expr]]] = {}
    for path, node in nodes(program.root):
        if isinstance(node, Call):
            wanted = table[node.name].ret
            for inner_path, inner in list(nodes(node, path))[1:]:
                if _type(inner, table) == wanted:
                    smaller = sizes[()] - sizes[path] + sizes[inner_path]
                    by_size.setdefault(smaller, []).append((path, inner))
    for smaller in sorted(by_size):
        same_size = {Program(replaced(program.root, path, inner)) for path, inner in by_size[smaller]}
        yield from sorted(same_size, key=str)


def _outputs(program: Program, grids: Sequence[np.ndarray], memos: Sequence[dict]) -> list[np.ndarray] | None:
    outputs = []
    for grid, memo in zip(grids, memos, strict=True):
        result = run_checked(program, grid, memo=memo)
        if not result.ok or not isinstance(result.value, np.ndarray):
            return None
        outputs.append(result.value)
    return outputs


def _same(a: Sequence[np.ndarray], b: Sequence[np.ndarray]) -> bool:
    return all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def simplify(
    program: Program, grids: Sequence[np.ndarray], table: Mapping[str, Primitive] | None = None
) -> Program:
    """The smallest program reached by shortcuts that keep the outputs on ``grids``.

    Greedy: the smallest shortcut with the same outputs is taken, then the search goes on
    from it. A program that fails on some grid, or whose value is not a grid, is returned
    unchanged.

    >>> from dsl.program import parse
    >>> square = np.zeros((3, 3), dtype=np.int8)
    >>> str(simplify(parse("recolor(flip_horizontal(I), 3, 4)"), [square]))
    'I'
    """
    table = registry.primitives() if table is None else table
    # Shortcuts share all but one path of their tree with the program: each grid keeps
    # the values of every subtree computed so far, so a candidate costs that path only.
    memos: list[dict] = [{} for _ in grids]
    target = _outputs(program, grids, memos)
    if target is None:
        return program
    current = program
    while True:
        for candidate in shortcuts(current, table):
            outputs = _outputs(candidate, grids, memos)
            if outputs is not None and _same(outputs, target):
                current = candidate
                break
        else:
            return current


# --- mutation ---------------------------------------------------------------------------------

# Tries at one well-typed edit before giving up (an edit can break a literal's domain).
_MUTATION_TRIES = 50


def _slot(program: Program, path: Path, table: Mapping[str, Primitive]) -> tuple[Primitive, int]:
    """The primitive and argument index a non-root node fills."""
    parent = program.root
    for index in path[:-1]:
        parent = parent.args[index]  # type: ignore[union-attr]
    assert isinstance(parent, Call)
    return table[parent.name], path[-1]


def _same_signature(prim: Primitive, table: Mapping[str, Primitive]) -> list[str]:
    return sorted(
        p.name for p in table.values() if p.name != prim.name and (p.args, p.ret) == (prim.args, prim.ret)
    )


def _edit(program: Program, rng: np.random.Generator, sampler: Sampler, max_depth: int) -> Program | None:
    """One random edit of ``program``, or None when the drawn edit does not apply."""
    table = sampler.table
    every = list(nodes(program.root))  # leaves too: an ``I`` may grow into a call
    path, node = every[int(rng.integers(len(every)))]
    if isinstance(node, Literal):
        if not path:
            return None
        domain = sampler.domain(*_slot(program, path, table))
        new: Expr | None = Literal(domain[int(rng.integers(len(domain)))]) if domain else None
    elif isinstance(node, Call) and rng.random() < 0.5:
        others = _same_signature(table[node.name], table)
        new = Call(others[int(rng.integers(len(others)))], node.args) if others else None
    else:
        kind = _type(node, table)
        assert kind is not None
        new = sampler.sample(rng, max_depth, kind, require_input=False).root
    if new is None:
        return None
    return Program(replaced(program.root, path, new))


def mutate(
    program: Program, rng: np.random.Generator, sampler: Sampler | None = None, max_depth: int = 2
) -> Program:
    """``program`` after one random well-typed edit that changes it and still reads ``I``.

    A node is drawn uniformly (leaves too): a literal is redrawn from its slot's domain; a
    call has, at even odds, its primitive swapped for another of the same signature or
    its whole subtree replaced by a random expression of its type at most ``max_depth``
    deep (so is ``I``). ``program`` itself comes back when no edit is found.
    """
    sampler = Sampler() if sampler is None else sampler
    for _ in range(_MUTATION_TRIES):
        edited = _edit(program, rng, sampler, max_depth)
        if edited is None or edited == program or not uses_input(edited):
            continue
        try:
            type_check(edited, sampler.table)
        except ProgramTypeError:  # a swapped primitive whose literal domains differ
            continue
        return edited
    return program
