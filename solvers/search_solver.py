"""The ``search`` solver: deepening program search on a task and on its views.

The task itself is searched first, to cost 2. If that settles it (enough answers, or the
time is up), nothing else runs. Otherwise each colour-normalised view
(:mod:`solvers.views`), and the object view where the task has one
(:mod:`solvers.object_views`: one demonstration per object box), gets its own cost-2
round, capped at a share of the budget; the task's own deepening resumes until a reserve
of the budget is left, and the views deepen in that reserve, one after the other with
equal shares. Answers are pooled: a view's answer is turned back into one of the task
(renamed to its colours, or painted back into each box) and ranks as if one call dearer,
so at equal program cost the task's own answer comes first.

Local rules (:mod:`solvers.local_rules`) are fitted to the task, and to each view, before
it is searched; they are pooled with the programs found, ranked like programs of one call
per feature. So are object selections (:mod:`solvers.object_selection`) fitted to the
task, ranked like a program of two calls (a selection and a crop). A decision list
(:mod:`solvers.decision_lists`) and a count table (:mod:`solvers.count_tables`) fitted to
the task come after every other answer: they only fill attempts nothing else claimed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, replace
from typing import Protocol

import numpy as np

from arc_harness.solvers import Budget, Prediction, Solver, solver
from arc_harness.tasks import Task
from solvers import count_tables, decision_lists, local_rules, object_selection, object_views, views
from solvers.backends import make_backend
from solvers.deepening import Deepening
from solvers.search import Answer, SearchConfig, StepCost, outputs_key, size_cost
from solvers.steps import enumerate_steps, task_colors

# A view's cost-2 round may take at most this fraction of the task's time limit.
VIEW_SHARE = 0.15

# Time kept for the views' deeper rounds, as a fraction of the task's time limit.
VIEW_RESERVE = 0.3

# Renaming colours is a guess about the task: one call's worth of cost.
VIEW_COST = 1.0

# Each fit made before any search (local rules, object selections, a decision list, a count
# table) takes at most this fraction of the time limit.
RULES_SHARE = 0.1


@solver("search")
def search_solver(
    max_cost: float = 4.0,
    max_states: int = 200_000,
    max_step_calls: int = 3,
    backend: str = "numpy",
    color_map: bool = True,
    binary: bool = True,
    literal_cost: float = 0.0,
    slow_cost: float = 0.5,
    max_layers: int = 3,
    guide: str | PrimitivePrior | None = None,
    guide_epsilon: float = 0.5,
    colour_views: bool = True,
    windows: bool = True,
    local_rules: bool = True,
    decision_lists: bool = True,
    object_selection: bool = True,
    count_tables: bool = True,
    probe_states: int = 128,
    probe_levels: int = 1,
    object_views: bool = True,
) -> Solver:
    """Best-first DSL program search with observational equivalence (see :mod:`solvers.search`).

    ``guide``: ``default`` (the checkpoint shipped in the package), a checkpoint file, or
    (from Python) any :class:`PrimitivePrior`; primitives then cost what the guide's
    probabilities say (:mod:`solvers.guide.cost`), mixed with the uniform distribution at
    weight ``guide_epsilon``. ``colour_views``: also
    search the task with each example's colours renamed by frequency (:mod:`solvers.views`).
    ``windows``: also fit a final crop to the demonstrations' one output size
    (:mod:`solvers.windows`). ``local_rules``: also fit per-cell rules on the inputs' own
    features, to the task and to each view (:mod:`solvers.local_rules`). ``decision_lists``:
    also fit a list of one-feature conditions to the task (:mod:`solvers.decision_lists`),
    tried last. ``object_selection``: also fit the choice of one input object by a property,
    cropped, to the task (:mod:`solvers.object_selection`). ``count_tables``: also fit a
    lookup of the whole output by one count of the input or its main colour
    (:mod:`solvers.count_tables`), tried last. ``probe_states``: after each bounded round,
    expand that many of the last level's children nearest the outputs one level further
    (:mod:`solvers.probing`; 0: off), and ``probe_levels`` levels deep. ``object_views``:
    where a task changes each input object only inside its box, also search the task of
    one box per demonstration, painted back into each test box (:mod:`solvers.object_views`).
    """
    engine = make_backend(backend)
    task_cost = _cost_source(guide, guide_epsilon, literal_cost, slow_cost)

    def rounds_for(task: Task, attempts: int) -> Deepening:
        grids = [p.input for p in task.train + task.test] + [p.output for p in task.train]
        steps = enumerate_steps(task_colors(grids), max_calls=max_step_calls, binary=binary)
        config = SearchConfig(
            max_cost,
            max_states,
            attempts=attempts,
            color_map=color_map,
            max_layers=max_layers,
            windows=windows,
            probe_states=probe_states,
            probe_levels=probe_levels,
        )
        return Deepening(task, steps, engine, config, task_cost(task))

    def fitted_rules(task: Task, budget: Budget) -> list[Answer]:
        if not local_rules:  # the flag, which hides the module here: rule_answers uses that
            return []
        return rule_answers(task, _rules_deadline(budget), budget.max_attempts)

    def fitted_selections(task: Task, budget: Budget) -> list[Answer]:
        if not object_selection:  # the flag, as above
            return []
        return selection_answers(task, _rules_deadline(budget), budget.max_attempts)

    def fitted_last(task: Task, budget: Budget) -> list[Answer]:
        """The fits tried after every other answer: a decision list, then a count table."""
        found = list_answers(task, _rules_deadline(budget)) if decision_lists else []
        return found + (table_answers(task, _rules_deadline(budget)) if count_tables else [])

    def solve(task: Task, budget: Budget) -> Prediction:
        stop = _stop_time(budget)
        rules = fitted_rules(task, budget) + fitted_selections(task, budget)
        last = fitted_last(task, budget)
        own = rounds_for(task, budget.max_attempts)
        own.round(stop)
        viewed: list[tuple[views.View, Deepening, list[Answer]]] = []
        if not own.settled:
            viewed = [
                (view, rounds_for(view.task, budget.max_attempts), fitted_rules(view.task, budget))
                for view in views_of(task, colour_views, object_views)
            ]
        _share_time(own, [rounds for _, rounds, _ in viewed], stop, budget.time_limit)
        result = own.result()
        answers = _pooled(
            result.answers + rules,
            [(view, rounds.result().answers + found) for view, rounds, found in viewed],
        )
        answers += _unseen(last, answers)
        chosen = answers[: budget.max_attempts]
        metadata = {
            "program": chosen[0].program if chosen else None,
            "programs": [a.program for a in chosen],
            "steps": result.steps,
            "backend": engine.name,
            "guide": guide if guide is None or isinstance(guide, str) else type(guide).__name__,
            "views": [view.name for view, *_ in viewed],
            **asdict(result.stats),
        }
        return Prediction(attempts_from(answers, len(task.test), budget.max_attempts), metadata)

    return solve


def views_of(task: Task, colours: bool, objects: bool) -> list[views.View]:
    """The task's colour views, then its object view and that view's colour views, each if
    asked for and if it has one."""
    found: list[views.View] = list(views.colour_views(task)) if colours else []
    split = object_views.object_view(task) if objects else None
    if split is None:
        return found
    nested = [views.Nested(split, v) for v in views.colour_views(split.task)] if colours else []
    return [*found, split, *nested]


def rule_answers(task: Task, deadline: float, limit: int) -> list[Answer]:
    """The task's local rules as answers: one call per feature, one constant per table entry."""
    started = time.monotonic()
    return [
        Answer(rule.text, float(len(rule.features)), rule.outputs, time.monotonic() - started, rule.cases)
        for rule in local_rules.fit(task, deadline, limit)
    ]


def selection_answers(task: Task, deadline: float, limit: int) -> list[Answer]:
    """The task's object selections as answers: two calls (select, crop), one chosen property."""
    started = time.monotonic()
    return [
        Answer(s.text, 2.0, s.outputs, time.monotonic() - started, 1)
        for s in object_selection.fit(task, deadline, limit)
    ]


def list_answers(task: Task, deadline: float) -> list[Answer]:
    """The task's decision list as an answer, if one fits: one constant per literal."""
    started = time.monotonic()
    fitted = decision_lists.fit(task, deadline)
    if fitted is None:
        return []
    cost = float(len(fitted.literals))
    return [Answer(fitted.text, cost, fitted.outputs, time.monotonic() - started, len(fitted.literals))]


def table_answers(task: Task, deadline: float) -> list[Answer]:
    """The task's count table as an answer, if one fits: one count, one constant per case."""
    started = time.monotonic()
    fitted = count_tables.fit(task, deadline)
    if fitted is None:
        return []
    return [Answer(fitted.text, 1.0, fitted.outputs, time.monotonic() - started, fitted.cases)]


def _rules_deadline(budget: Budget) -> float:
    return min(_stop_time(budget), time.time() + RULES_SHARE * budget.time_limit)


def _unseen(extra: list[Answer], answers: Sequence[Answer] = ()) -> list[Answer]:
    """The ``extra`` answers in order, each set of outputs once, but none that ``answers`` gives."""
    seen = {outputs_key(a.outputs) for a in answers}
    fresh = []
    for answer in extra:
        if (key := outputs_key(answer.outputs)) not in seen:
            seen.add(key)
            fresh.append(answer)
    return fresh


def _share_time(own: Deepening, others: list[Deepening], stop: float, time_limit: float) -> None:
    """Run the rounds left after the task's own first round, until ``stop``: the others'
    first rounds (each capped), the task's own rounds (short of the others' reserve), then
    the others' further rounds, in equal shares of what remains."""
    for rounds in others:
        rounds.round(min(stop, time.time() + VIEW_SHARE * time_limit))
    own_stop = stop - (VIEW_RESERVE * time_limit if others else 0.0)
    while not own.finished and time.time() < own_stop:
        own.round(own_stop)
    for k, rounds in enumerate(others):
        share_stop = time.time() + (stop - time.time()) / (len(others) - k)
        while not rounds.finished and time.time() < share_stop:
            rounds.round(share_stop)


def _pooled(own: list[Answer], viewed: list[tuple[views.View, list[Answer]]]) -> list[Answer]:
    """The task's answers and the views' (turned back), cheapest first, each output once."""
    answers = list(own)
    for view, found in viewed:
        for answer in found:
            program = f"[{view.name}] {answer.program}"
            outputs = view.restore(answer.outputs)
            if outputs is None:
                continue
            answers.append(replace(answer, program=program, outputs=outputs, cost=answer.cost + VIEW_COST))
    answers.sort(key=lambda a: (a.cost, a.constants))  # stable: the task's own first on ties
    return _unseen(answers)


def attempts_from(answers: Sequence[Answer], n_test: int, k: int) -> list[list[list[list[int]]]]:
    """Per test input, the first ``k`` distinct outputs in answer order."""
    attempts: list[list[list[list[int]]]] = []
    for i in range(n_test):
        chosen: list[np.ndarray] = []
        for answer in answers:
            grid = answer.outputs[i]
            if len(chosen) < k and not any(g.shape == grid.shape and np.array_equal(g, grid) for g in chosen):
                chosen.append(grid)
        attempts.append([g.tolist() for g in chosen])
    return attempts


def _stop_time(budget: Budget) -> float:
    # Finish a little before the deadline so the harness never has to kill the worker.
    return budget.deadline - min(1.0, 0.1 * budget.time_limit)


class PrimitivePrior(Protocol):
    """What guides the search: per task, for every registered primitive, the probability that
    a solving program calls it.

    The shipped guide (:class:`solvers.guide.Guide`) is one; a researcher's own model, or a
    diagnostic such as ``benchmarks/oracle_guide.py``, can be passed as ``guide`` from Python.
    It reads the task as the solver gets it: demonstrations only, never a test output.
    """

    def probabilities(self, task: Task) -> Mapping[str, float]: ...


def _cost_source(
    guide: str | PrimitivePrior | None, epsilon: float, literal_cost: float, slow_cost: float
) -> Callable[[Task], StepCost]:
    """Per task, the step cost: the same size cost for every task, or the guide's for this one."""
    if guide is None:
        fixed = size_cost(literal_cost, slow_cost)
        return lambda task: fixed
    from solvers.guide import cost as guided  # imports JAX: only when a guide is asked for

    if isinstance(guide, str):
        from solvers.guide import Guide

        model: PrimitivePrior = Guide.load(guide)  # once per worker; a bad checkpoint fails at startup
    else:
        model = guide

    def per_task(task: Task) -> StepCost:
        costs = guided.primitive_costs(model.probabilities(task), epsilon)
        return guided.step_cost(costs, literal_cost, slow_cost)

    return per_task
