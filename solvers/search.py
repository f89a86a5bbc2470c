"""Best-first program search over the DSL with merging of observationally equal states.

A state is the tuple of grids one program produces on every example of the task: the
demonstration inputs, then the test inputs. The root is the inputs themselves. Expanding
a state applies every step (:mod:`solvers.steps`); a child whose grids coincide with a
state already seen, on all examples at once, is dropped, so the search explores distinct
behaviours rather than distinct spellings. States of equal cost and equal shapes travel
together as one batch through the backend (:mod:`solvers.backends`); :mod:`solvers.expansion`
applies a level's steps to its batches and admits the children.

Costs are additive per step: by default 1 per primitive call (optionally plus a small
cost per bound constant, :func:`size_cost`), or whatever ``cost`` says: the hook the
learned guide plugs into. The frontier (:mod:`solvers.frontier`) expands lazily in cost
order. A state whose demonstration grids equal the outputs, exactly or after one fitted
colour mapping, or in one window of larger grids (:mod:`solvers.windows`), is an answer;
when too few are found, exact overlays of partial answers are added (:mod:`solvers.stacking`).
A search that exhausts its bound may then probe one level past it, expanding only the
last level's children nearest the outputs (:mod:`solvers.probing`).
Answers are ranked by cost, then by fewer constants, then by discovery order. The search
is anytime: it stops at the deadline with what it has, and a cap on stored states bounds
its memory.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from arc_harness.tasks import Task
from dsl.program import INPUT, Call, Expr, Literal, format_program, subexpressions
from solvers import expansion, fitting, probing, stacking, windows
from solvers.backends import Backend, Stacks, kernel_output_shape
from solvers.frontier import Chunk, Frontier, step_groups
from solvers.kernels import NO_KERNEL
from solvers.steps import Step, substitute

StepCost = Callable[[Step], float]


def uniform_cost(step: Step) -> float:
    """Every primitive call costs 1: best-first is breadth-first by program size."""
    return float(step.calls)


def size_cost(literal_cost: float, slow_cost: float = 0.0) -> StepCost:
    """1 per primitive call, plus ``literal_cost`` per bound constant (a description-length
    prior), plus ``slow_cost`` for a one-primitive step that has no batched kernel.

    The slow primitives (crops to a chosen object, patches and other outputs sized by the
    grid's content: :data:`NO_KERNEL`) cost 10-100 times more per state than a kernel step;
    charging them a little more spends the budget on more programs first. It depends on the
    primitive only, never on the backend, so every backend searches in the same order.
    """
    if not literal_cost and not slow_cost:
        return uniform_cost
    return lambda step: (
        step.calls + literal_cost * step.constants + (slow_cost if step.primitive in NO_KERNEL else 0.0)
    )


@dataclass(frozen=True)
class SearchConfig:
    max_cost: float = 4.0
    max_states: int = 200_000
    batch_size: int = 1024
    attempts: int = 2
    color_map: bool = True
    # Overlays of up to this many partial answers when too few single programs fit (1: off).
    max_layers: int = 3
    # Fitted crops to the demonstrations' one output size (:mod:`solvers.windows`).
    windows: bool = True
    # Last-level children nearest the outputs expanded one level further (:mod:`solvers.probing`;
    # 0: off).
    probe_states: int = 0
    probe_levels: int = 1


@dataclass(frozen=True)
class Answer:
    """A program that fits every demonstration, with its outputs on the test inputs."""

    program: str
    cost: float
    outputs: tuple[np.ndarray, ...]
    seconds: float
    # Constants the program had to choose (literals, mapped colours): fewer generalise better.
    constants: int = 0


@dataclass
class SearchStats:
    nodes_expanded: int = 0
    distinct_states: int = 0
    candidates: int = 0
    applications: int = 0
    stored_states: int = 0
    max_cost_reached: float = 0.0
    # Diagnostics for failure analysis: states with every output size right, and the most
    # demonstration pairs any one state reproduced.
    size_matches: int = 0
    best_pairs_matched: int = 0
    stacked_answers: int = 0
    first_fit_seconds: float | None = None
    # Work done before the first fitting program (over every deepening round): what a
    # guide should cut.
    first_fit_nodes: int | None = None
    first_fit_candidates: int | None = None
    stop: str = "exhausted"


@dataclass
class SearchResult:
    answers: list[Answer]
    stats: SearchStats
    steps: int = 0


class SearchRun:
    """One bounded search's state: its steps and costs, the program tree, seen states, answers."""

    def __init__(
        self, task: Task, steps: Sequence[Step], backend: Backend, config: SearchConfig, cost: StepCost
    ) -> None:
        self.steps = sorted(steps, key=cost)
        self.costs = [cost(s) for s in self.steps]
        self.backend = backend
        self.config = config
        self.n_train = len(task.train)
        self.inputs = tuple(p.input for p in task.train + task.test)
        self.targets = [p.output for p in task.train]
        self.seen: set[int] = set()
        # Program tree of every distinct state: node -> (parent node, step index); node 0 is I.
        self.parent = array("q", [-1])
        self.step_of = array("i", [-1])
        self.answers: list[Answer] = []
        self.answer_at: dict[tuple, int] = {}  # outputs key -> index of its answer in answers
        self.layers = stacking.Layers(self.targets)
        self.use_windows = config.windows and windows.usable(self.targets)
        # (step index, state shape) -> whether the step's output has the first target's shape.
        self.shape_ok: dict[tuple[int, tuple[int, ...]], bool] = {}
        capacity = probing.SHORTLIST_FACTOR * config.probe_states
        self.promising = probing.Promising(self.targets[0], capacity) if capacity else None
        self.stats = SearchStats()
        self.started = time.monotonic()

    def program(self, node: int) -> Expr:
        chain = []
        while node > 0:
            chain.append(self.steps[self.step_of[node]])
            node = self.parent[node]
        expr: Expr = INPUT
        for step in reversed(chain):
            expr = substitute(step.expr, expr)
        return expr

    def register(self, parents: np.ndarray, step_index: int | np.ndarray) -> np.ndarray:
        """New nodes for children of ``parents`` by the step(s) ``step_index`` (one, or one per child)."""
        first = len(self.parent)
        self.parent.extend(parents.tolist())
        if isinstance(step_index, np.ndarray):
            self.step_of.extend(step_index.tolist())
        else:
            self.step_of.extend([step_index] * len(parents))
        return np.arange(first, len(self.parent))

    def record_fits(self, grids: Stacks, nodes: np.ndarray, cost: float) -> None:
        train, test = grids[: self.n_train], grids[self.n_train :]
        matches = fitting.pair_matches(train, self.targets)
        per_state = matches.sum(axis=1)
        self.stats.best_pairs_matched = max(self.stats.best_pairs_matched, int(per_state.max()))
        if not fitting.sizes_match(train, self.targets):
            if self.use_windows:
                self.record_windows(train, test, nodes, cost)
            return
        self.stats.size_matches += len(nodes)
        if self.config.max_layers > 1:
            self.layers.add(train, test, nodes, cost)
        for k in np.flatnonzero(per_state == self.n_train):
            expr = self.program(int(nodes[k]))
            self.add_answer(format_program(expr), cost, tuple(g[k] for g in test), _constants(expr))
        if not self.config.color_map:
            return
        fits, maps = fitting.color_map_fits(train, self.targets)
        for k in np.flatnonzero(fits):
            table = maps[k]
            text = (
                f"{format_program(self.program(int(nodes[k])))} | colours {fitting.describe_color_map(table)}"
            )
            outputs = tuple(fitting.apply_color_map(g[k], table) for g in test)
            mapped = int((table != np.arange(len(table))).sum())
            self.add_answer(text, cost + 1, outputs, _constants(self.program(int(nodes[k]))) + mapped)

    def record_windows(self, train: Stacks, test: Stacks, nodes: np.ndarray, cost: float) -> None:
        """Answers from a window of each grid, fitted like a final step: one call dearer."""
        for anchor, rows in windows.fits(train, self.targets):
            for k in rows.tolist():
                outputs = [windows.window(g[k : k + 1], self.targets[0].shape, anchor) for g in test]
                if any(o is None for o in outputs):
                    continue  # a test grid smaller than the window: no answer
                expr = self.program(int(nodes[k]))
                text = f"{format_program(expr)} | window {anchor}"
                self.add_answer(text, cost + 1, tuple(o[0] for o in outputs), _constants(expr))

    def add_answer(self, text: str, cost: float, outputs: tuple[np.ndarray, ...], constants: int) -> None:
        """Record an answer; one with the outputs of an earlier one replaces it only if cheaper.

        Within a level, answers do not come in cost order (a colour-mapped fit costs one
        more than its program), so a cheaper spelling of the same outputs can come later.
        """
        key = outputs_key(outputs)
        seconds = time.monotonic() - self.started
        answer = Answer(text, cost, tuple(np.array(o) for o in outputs), seconds, constants)
        if key in self.answer_at:
            k = self.answer_at[key]
            if (cost, constants) < (self.answers[k].cost, self.answers[k].constants):
                self.answers[k] = answer
            return
        if self.stats.first_fit_seconds is None:
            self.stats.first_fit_seconds = seconds
            self.stats.first_fit_nodes = self.stats.nodes_expanded
            self.stats.first_fit_candidates = self.stats.candidates
        self.answer_at[key] = len(self.answers)
        self.answers.append(answer)

    def admit(
        self,
        grids: Stacks,
        parents: np.ndarray,
        step_index: int | np.ndarray,
        prints: np.ndarray | None = None,
    ) -> tuple[Stacks, np.ndarray]:
        """Keep the children never seen before (first of equals within the batch); register them.

        ``prints``: the children's fingerprints if the backend made them. The grids kept are
        numpy stacks even when the backend's are not (its device copies are read here).
        """
        prints = (self.backend.fingerprint(grids) if prints is None else prints).tolist()
        _, first = np.unique(prints, return_index=True)
        fresh = [i for i in first.tolist() if prints[i] not in self.seen]
        self.seen.update(prints[i] for i in fresh)
        if len(fresh) < len(prints):
            idx = np.asarray(sorted(fresh), dtype=np.intp)
            grids, parents = tuple(g[idx] for g in grids), parents[idx]
            if isinstance(step_index, np.ndarray):
                step_index = step_index[idx]
        else:
            grids = tuple(np.asarray(g) for g in grids)
        self.stats.distinct_states += len(parents)
        return grids, self.register(parents, step_index)

    def could_fit(self, first: np.ndarray) -> np.ndarray:
        """Per state, whether its grid for the first demonstration can still lead to an answer."""
        target = self.targets[0]
        if first.shape[1:] != target.shape:
            return np.zeros(len(first), dtype=bool)
        first = np.asarray(first)
        if self.config.color_map:
            return fitting.color_map_fits([first], [target], allow_identity=True)[0]
        return fitting.exact_fits([first], [target])

    def may_reach_target_shape(self, index: int, shape: tuple[int, ...]) -> bool:
        """Whether step ``index`` on states of ``shape`` could give the first output's shape.

        Exact for steps with a shape-uniform kernel; any other step may. Used on the last
        level, where a child of the wrong shape cannot fit and is never expanded.
        """
        key = (index, shape)
        if key not in self.shape_ok:
            out = kernel_output_shape(self.steps[index], shape, self.inputs[0])
            self.shape_ok[key] = out is None or out == self.targets[0].shape
        return self.shape_ok[key]

    def add_stacks(self) -> None:
        """Answers from overlaid layers, once single programs have had their chance."""
        if self.config.max_layers < 2 or len(self.answers) >= self.config.attempts:
            return
        for stack in self.layers.stacks(self.config.max_layers):
            if not stack.outputs:
                continue
            expr = self.program(stack.layers[-1].node)
            for layer in reversed(stack.layers[:-1]):
                expr = Call("overlay", (expr, self.program(layer.node)))
            self.stats.stacked_answers += 1
            self.add_answer(format_program(expr), stack.cost, stack.outputs, _constants(expr))

    def done(self, level: float) -> bool:
        """Enough distinct answers, none of which a cheaper program could still displace."""
        cheap = [a for a in self.answers if a.cost <= level]
        return len(cheap) >= self.config.attempts


def _constants(expr: Expr) -> int:
    return sum(isinstance(node, Literal) for node in subexpressions(expr))


def search(
    task: Task,
    steps: Sequence[Step],
    backend: Backend,
    deadline: float,
    config: SearchConfig | None = None,
    cost: StepCost = uniform_cost,
) -> SearchResult:
    """Search for programs fitting ``task``'s demonstrations until ``deadline`` (``time.time()``)."""
    config = config or SearchConfig()
    run = SearchRun(task, steps, backend, config, cost)
    roots = tuple(p.input[None] for p in task.train + task.test)
    root = Chunk(roots, np.zeros(1, dtype=np.intp))
    run.seen.update(backend.fingerprint(roots).tolist())
    run.stats.distinct_states = 1
    run.record_fits(roots, root.nodes, 0.0)
    groups = step_groups(run.costs)
    weights = [sum(1.0 if backend.batched(run.steps[i]) else PER_GRID_WORK for i in g) for _, g in groups]
    frontier = Frontier(groups, config.max_cost, config.batch_size, weights)
    frontier.add(0.0, root)
    run.stats.stop = _drain(run, frontier, deadline)
    if run.stats.stop == "exhausted" and run.promising is not None:
        _probe(run, groups, weights, deadline)
    run.add_stacks()
    # Cheapest first; at equal cost, fewer chosen constants; then discovery order (stable).
    run.answers.sort(key=lambda a: (a.cost, a.constants))
    return SearchResult(run.answers, run.stats, len(run.steps))


def _drain(run: SearchRun, frontier: Frontier, deadline: float) -> str:
    """Run the frontier's jobs in cost order; why it stopped (``exhausted``, ``answers``, ``deadline``)."""
    while (child_cost := frontier.next_cost()) is not None:
        if run.done(child_cost):
            return "answers"
        run.stats.max_cost_reached = child_cost
        if not expansion.run_job(run, frontier, frontier.pop(), deadline):
            return "deadline"
    return "exhausted"


def _probe(run: SearchRun, groups: list[tuple[float, range]], weights: list[float], deadline: float) -> None:
    """Expand the last level's most promising children one level further, screened; then,
    ``probe_levels`` times in all, the most promising children of that level (a beam).

    The statistics keep describing the bounded search: the cost reached and the reason it
    stopped are not the probe's.
    """
    bounded, reached = run.config, run.stats.max_cost_reached
    capacity = probing.SHORTLIST_FACTOR * bounded.probe_states
    try:
        for level in range(1, bounded.probe_levels + 1):
            if time.time() >= deadline:
                break
            max_cost = bounded.max_cost + level * groups[0][0]
            frontier = Frontier(groups, max_cost, bounded.batch_size, weights)
            for cost, chunk in probing.best_states(run, bounded.probe_states):
                frontier.add(cost, chunk)
            run.config = replace(bounded, max_cost=max_cost)
            deeper = level < bounded.probe_levels
            run.promising = probing.Promising(run.targets[0], capacity) if deeper else None
            if _drain(run, frontier, deadline) != "exhausted":
                break
    finally:
        run.config, run.stats.max_cost_reached = bounded, reached


# Work of a grid-by-grid step on one state relative to a batched kernel's (measured: tens of
# microseconds against well under one): orders equal-cost jobs, cheapest first.
PER_GRID_WORK = 50.0


def outputs_key(outputs: tuple[np.ndarray, ...]) -> tuple:
    """What makes two answers the same: their test outputs, shapes included."""
    return tuple((o.shape, o.tobytes()) for o in outputs)
