"""Seeded random well-typed programs, built top-down from the types in the registry.

To fill a slot of type X the sampler picks a leaf (``I`` for a Grid, a literal from
:func:`dsl.registry.literal_domain` for a Color/Int/Bool) or a call of a primitive
returning X. Each program first draws a depth limit (each level half as likely as
the one below) and leaves are taken with a fixed probability, so programs are mostly
shallow; once the limit is spent only leaves remain. A primitive is only chosen when
some complete subtree can be built under it within the remaining depth (its *minimal
depth*, computed once per table), so sampling never dead-ends and always terminates.
:func:`random_programs` can build each program around a rarely used *focus*
primitive, which keeps the counts of the primitives close to uniform.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from dsl import registry
from dsl.program import (
    INPUT,
    Call,
    Expr,
    Literal,
    Program,
    subexpressions,
    unknown_primitive_message,
    uses_input,
)
from dsl.registry import Primitive
from dsl.types import LITERAL_TYPES, T

ALL_COLORS = tuple(range(10))

# Tries to draw a program that reads I before giving up on a table that cannot make one.
_MAX_TRIES = 200

# Relative pick weights by primitive name (None: uniform).
Weights = Mapping[str, float] | None
Rng = np.random.Generator


def _relax(values: dict, update: Callable[[dict], Iterator[tuple[Any, float]]]) -> dict:
    """Lower ``values`` by the candidates ``update`` proposes until nothing improves."""
    changed = True
    while changed:  # values only decrease, one level of depth a pass: this ends
        changed = False
        for key, best in list(update(values)):
            if best < values[key]:
                values[key] = best
                changed = True
    return values


class Sampler:
    """Draws random programs from one primitive table; build once, sample many times.

    ``min_depth[name]``: depth of the shallowest complete call of a primitive (inf when
    none exists, e.g. an argument type nothing produces).
    """

    def __init__(
        self,
        table: Mapping[str, Primitive] | None = None,
        task_colors: tuple[int, ...] = ALL_COLORS,
        leaf_prob: float = 0.5,
        literal_prob: float = 0.8,
    ) -> None:
        self.table = registry.primitives() if table is None else table
        if not all(isinstance(c, int | np.integer) and not isinstance(c, bool) for c in task_colors):
            raise ValueError(f"task colours must be ints 0-9, got {task_colors}")
        self.task_colors = tuple(int(c) for c in task_colors)  # numpy ints from np.unique welcome
        if not all(0 <= c <= 9 for c in self.task_colors):
            raise ValueError(f"task colours must be ints 0-9, got {self.task_colors}")
        self.leaf_prob = leaf_prob
        self.literal_prob = literal_prob
        self.producers: dict[T, list[Primitive]] = {kind: [] for kind in T}
        for prim in self.table.values():
            self.producers[prim.ret].append(prim)
        self._domains = {
            (p.name, i): self._literals(p, i) for p in self.table.values() for i in range(len(p.args))
        }

        def update(depths: dict[str, float]) -> Iterator[tuple[str, float]]:
            return ((p.name, 1 + self._rest_depth(p, -1, depths)) for p in self.table.values())

        self.min_depth = _relax({name: math.inf for name in self.table}, update)
        # Depth the arguments of a call need when argument ``skip`` is left out (-1: none).
        self._rest = {
            (p.name, skip): self._rest_depth(p, skip, self.min_depth)
            for p in self.table.values()
            for skip in range(-1, len(p.args))
        }
        self._needs: dict[str, dict[T, float]] = {}
        self._routes: dict[tuple[str, T, float], list[tuple[Primitive, int]]] = {}

    def _literals(self, prim: Primitive, index: int) -> tuple[Any, ...]:
        if prim.args[index] not in LITERAL_TYPES:
            return ()
        return tuple(registry.literal_domain(prim, index, self.task_colors))

    def domain(self, prim: Primitive, index: int) -> tuple[Any, ...]:
        """The literals that may fill argument ``index`` of ``prim`` (empty if not a literal slot)."""
        return self._domains[(prim.name, index)]

    def _rest_depth(self, prim: Primitive, skip: int, depths: Mapping[str, float]) -> float:
        def slot(index: int) -> float:
            kind = prim.args[index]
            if index == skip or kind is T.GRID or self.domain(prim, index):
                return 0
            return min((depths[p.name] for p in self.producers[kind]), default=math.inf)

        return max((slot(i) for i in range(len(prim.args))), default=0)

    def needs(self, focus: Primitive) -> dict[T, float]:
        """Per type, the depth of the shallowest expression of that type that calls ``focus``."""
        if focus.name not in self._needs:
            start = {kind: math.inf for kind in T}
            start[focus.ret] = self.min_depth[focus.name]

            def update(need: dict[T, float]) -> Iterator[tuple[T, float]]:
                for c in self.table.values():
                    for j, kind in enumerate(c.args):
                        yield c.ret, 1 + max(need[kind], self._rest[(c.name, j)])

            self._needs[focus.name] = _relax(start, update)
        return self._needs[focus.name]

    def routes(self, focus: Primitive, kind: T, budget: float) -> list[tuple[Primitive, int]]:
        """(primitive, argument) pairs returning ``kind`` whose argument can hold ``focus`` in budget."""
        key = (focus.name, kind, budget)
        if key not in self._routes:
            need = self.needs(focus)
            self._routes[key] = [
                (c, j)
                for c in self.producers[kind]
                for j, z in enumerate(c.args)
                if 1 + max(need[z], self._rest[(c.name, j)]) <= budget
            ]
        return self._routes[key]

    def feasible(self, kind: T, budget: float) -> list[Primitive]:
        """Primitives returning ``kind`` that fit in ``budget`` levels of calls."""
        return [p for p in self.producers[kind] if self.min_depth[p.name] <= budget]

    def reachable(self, ret: T = T.GRID, max_depth: int = 3) -> list[Primitive]:
        """Primitives that occur in some program of type ``ret`` and depth <= ``max_depth``."""
        return [p for p in self.table.values() if self.needs(p)[ret] <= max_depth]

    def pick(self, rng: Rng, prims: list[Primitive], weights: Weights) -> Primitive:
        """One primitive, uniformly or by ``weights`` (missing names weigh 1)."""
        if weights is None:
            return prims[int(rng.integers(len(prims)))]
        w = np.array([weights.get(p.name, 1.0) for p in prims], dtype=float)
        return prims[int(rng.choice(len(prims), p=w / w.sum()))]

    def call(self, rng: Rng, prim: Primitive, budget: float, weights: Weights) -> Call:
        """A call of ``prim`` with random arguments, nested at most ``budget - 1`` deep."""
        args = tuple(self.slot(rng, prim, i, budget - 1, weights) for i in range(len(prim.args)))
        return Call(prim.name, args)

    def slot(self, rng: Rng, prim: Primitive, index: int, budget: float, weights: Weights) -> Expr:
        """An expression for argument ``index`` of ``prim`` using at most ``budget`` levels."""
        kind = prim.args[index]
        calls = self.feasible(kind, budget)
        domain = self.domain(prim, index)
        if kind is T.GRID:
            if not calls or rng.random() < self.leaf_prob:
                return INPUT
        elif domain and (not calls or rng.random() < self.literal_prob):
            return Literal(domain[int(rng.integers(len(domain)))])
        return self.call(rng, self.pick(rng, calls, weights), budget, weights)

    def embed(self, rng: Rng, focus: Primitive, kind: T, budget: float, weights: Weights) -> Call:
        """A call of type ``kind`` within ``budget`` levels with ``focus`` somewhere inside."""
        routes = self.routes(focus, kind, budget)
        here = focus.ret is kind and self.min_depth[focus.name] <= budget
        if here and (not routes or rng.random() < self.leaf_prob):
            return self.call(rng, focus, budget, weights)
        c, j = routes[int(rng.integers(len(routes)))]
        args = tuple(
            self.embed(rng, focus, c.args[i], budget - 1, weights)
            if i == j
            else self.slot(rng, c, i, budget - 1, weights)
            for i in range(len(c.args))
        )
        return Call(c.name, args)

    def depth_budget(self, rng: Rng, lowest: int, max_depth: int) -> int:
        """A depth limit from ``lowest`` to ``max_depth``, each level half as likely as the one below."""
        odds = np.array([0.5**k for k in range(max_depth - lowest + 1)])
        return lowest + int(rng.choice(len(odds), p=odds / odds.sum()))

    def sample(
        self,
        rng: Rng,
        max_depth: int = 3,
        ret: T = T.GRID,
        weights: Weights = None,
        require_input: bool = True,
        focus: str | None = None,
    ) -> Program:
        """One random program of type ``ret``, depth 1 to ``max_depth``, calling ``focus`` if given."""
        if focus is not None and focus not in self.table:
            raise KeyError(unknown_primitive_message(focus, self.table))
        roots = self.feasible(ret, max_depth)
        target = None if focus is None else self.table[focus]
        if not roots or (target is not None and self.needs(target)[ret] > max_depth):
            what = "" if focus is None else f" calling {focus}"
            raise ValueError(f"no program of type {ret}{what} within depth {max_depth}")
        lowest = self.needs(target)[ret] if target else min(self.min_depth[p.name] for p in roots)
        for _ in range(_MAX_TRIES):
            budget = self.depth_budget(rng, int(lowest), max_depth)
            if target is None:
                root = self.call(rng, self.pick(rng, self.feasible(ret, budget), weights), budget, weights)
            else:
                root = self.embed(rng, target, ret, budget, weights)
            if not require_input or uses_input(root):
                return Program(root)
        raise ValueError(f"no program of type {ret} reading I found in {_MAX_TRIES} tries")


def random_program(
    rng: Rng,
    max_depth: int = 3,
    *,
    ret: T = T.GRID,
    task_colors: tuple[int, ...] = ALL_COLORS,
    leaf_prob: float = 0.5,
    require_input: bool = True,
    weights: Weights = None,
    focus: str | None = None,
    table: Mapping[str, Primitive] | None = None,
) -> Program:
    """One random well-typed program, calling ``focus`` when given.

    Build a :class:`Sampler` once for many draws: it precomputes the depth tables.
    """
    sampler = Sampler(table, task_colors, leaf_prob)
    return sampler.sample(rng, max_depth, ret, weights, require_input, focus)


def random_programs(
    seed: int,
    n: int,
    max_depth: int = 3,
    *,
    ret: T = T.GRID,
    task_colors: tuple[int, ...] = ALL_COLORS,
    leaf_prob: float = 0.5,
    balance: bool = True,
    unique: bool = False,
    table: Mapping[str, Primitive] | None = None,
) -> list[Program]:
    """``n`` programs from ``seed``, the same list for the same arguments.

    With ``balance`` each draw first picks a *focus* primitive, favouring those used
    least so far (weight 1 / (1 + uses)), and builds a program around it; every other
    choice favours them too. Without it, primitives reachable only through a rare
    argument type (Grids, Int) appear a few times less often than the rest. With
    ``unique`` no program repeats (fewer than ``n`` come back when the space runs out).
    """
    rng = np.random.default_rng(seed)
    sampler = Sampler(table, task_colors, leaf_prob)
    uses: Counter[str] = Counter()
    weights: dict[str, float] | None = {} if balance else None
    focuses = sampler.reachable(ret, max_depth)
    programs: list[Program] = []
    seen: set[Program] = set()
    for _ in range(n * (20 if unique else 1)):
        if len(programs) == n:
            break
        focus = None if weights is None else sampler.pick(rng, focuses, weights).name
        program = sampler.sample(rng, max_depth, ret, weights, focus=focus)
        if unique and program in seen:
            continue
        seen.add(program)
        programs.append(program)
        if weights is not None:
            for node in subexpressions(program):
                if isinstance(node, Call):
                    uses[node.name] += 1
                    weights[node.name] = 1.0 / (1 + uses[node.name])
    return programs
