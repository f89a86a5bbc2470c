"""The search solver: answers, merging of equal states, budgets, backends agreeing, re-discovery."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from arc_harness import datasets
from arc_harness.solvers import Budget
from arc_harness.tasks import Pair, Task, as_grid
from dsl import library, parse, registry, run
from dsl.program import size
from solvers import backends, expansion, search, search_solver
from solvers.kernels import KERNELS
from solvers.steps import SAME_GRID_PAINTS, enumerate_steps, evaluate, task_colors

DATA = Path(__file__).resolve().parents[1] / "data"
GEOMETRY = ("rot90", "rot180", "rot270", "flip_horizontal", "flip_vertical", "transpose", "antitranspose")


def make_task(pairs, tests) -> Task:
    train = tuple(Pair(as_grid(i), as_grid(o)) for i, o in pairs)
    return Task("toy", train, tuple(Pair(as_grid(i), None) for i in tests))


def steps_for(task: Task, names=None, max_calls=3):
    grids = [p.input for p in task.train + task.test] + [p.output for p in task.train]
    steps = enumerate_steps(task_colors(grids), max_calls=max_calls)
    return steps if names is None else [s for s in steps if s.primitive in names and s.calls == 1]


def solve(task: Task, seconds: float = 5.0, attempts: int = 2, **params):
    budget = Budget(seconds, time.time() + seconds, seed=0, max_attempts=attempts)
    return search_solver.search_solver(**params)(task, budget)


ROTATE = make_task(
    [([[1, 0], [2, 0]], [[2, 1], [0, 0]]), ([[3, 3, 0], [0, 0, 0]], [[0, 3], [0, 3], [0, 0]])],
    [[[5, 0, 0], [5, 6, 0]]],
)


def test_finds_a_program_and_answers_with_it():
    prediction = solve(ROTATE, attempts=1)
    assert prediction.attempts == [[[[5, 5], [6, 0], [0, 0]]]]
    meta = prediction.metadata
    assert meta["program"] == "rot270(I)"
    assert meta["first_fit_seconds"] is not None and meta["stop"] == "answers"
    assert meta["nodes_expanded"] >= 1 and meta["distinct_states"] > 1


def test_program_text_reproduces_the_answer():
    prediction = solve(ROTATE, attempts=2)
    for text, attempt in zip(prediction.metadata["programs"], prediction.attempts[0], strict=True):
        assert run(parse(text), ROTATE.test[0].input).value.tolist() == attempt


def test_attempts_are_distinct_and_at_most_the_budget():
    prediction = solve(ROTATE, seconds=3, attempts=2)
    first, *rest = prediction.attempts[0]
    assert len(prediction.attempts[0]) <= 2 and all(first != other for other in rest)


def test_fitted_colour_mapping_is_exact_and_shown_in_the_program():
    task = make_task(
        [([[1, 2], [2, 3]], [[4, 2], [2, 6]]), ([[3, 1, 1]], [[6, 4, 4]])],
        [[[1, 3], [2, 2]]],
    )
    prediction = solve(task, attempts=1)
    assert prediction.attempts == [[[[4, 6], [2, 2]]]]
    assert "colours 1->4 3->6" in prediction.metadata["program"]


def half_turn_over(grid: list[list[int]]) -> list[list[int]]:
    base = np.array(grid)
    top = np.rot90(base, 2)
    return np.where(top != 0, top, base).tolist()


def test_steps_can_combine_the_state_with_the_task_input():
    # Output: the input with its half-turn painted over it, a two-grid step on (input, state).
    inputs = [[[1, 0, 0], [0, 0, 0], [0, 3, 2]], [[0, 3, 0], [0, 0, 0], [0, 0, 0]], [[4, 0, 0], [0, 0, 6]]]
    test_input = [[0, 0, 5], [6, 0, 0], [0, 7, 0]]
    task = make_task([(g, half_turn_over(g)) for g in inputs], [test_input])
    prediction = solve(task, attempts=1)
    assert prediction.attempts == [[half_turn_over(test_input)]]
    program = parse(prediction.metadata["program"])
    assert run(program, task.test[0].input).value.tolist() == half_turn_over(test_input)


def test_no_step_paints_a_grid_with_its_own_objects():
    # Such a step always gives its state back: it is not made, and this is why.
    assert not {s.expr.name for s in enumerate_steps((0, 1, 2, 5))} & SAME_GRID_PAINTS
    rng = np.random.default_rng(7)
    table = registry.primitives()
    for _ in range(20):
        grid = as_grid(rng.choice([0, 0, 0, 1, 2, 5], size=(6, 7)).tolist())
        for text in (
            "paint_objects(I, objects_multicolor_diag(I))",
            "paint_objects(I, objects_of_color(objects_with_background(I), 0))",
            "paint_object(I, largest_object(objects_by_color(I)))",
        ):
            painted = evaluate(parse(text).root, grid, table)
            assert painted is None or np.array_equal(painted, grid), text


def test_equal_states_are_merged():
    # The eight symmetries of the square form a group: however deep the search goes with
    # them, an asymmetric input has exactly eight distinct images.
    task = make_task([([[1, 2, 0], [0, 0, 3]], [[9]])], [[[4, 0], [0, 5], [6, 0]]])
    steps = steps_for(task, GEOMETRY)
    config = search.SearchConfig(max_cost=4, color_map=False)
    result = search.search(task, steps, backends.NumpyBackend(), time.time() + 30, config)
    assert result.answers == []
    assert result.stats.distinct_states == 8
    assert result.stats.candidates > 8 * len(steps) // 2


def test_stops_at_the_deadline_and_caps_stored_states():
    # No program makes a row of five 9s from these inputs (a window of a larger grid could).
    task = make_task([([[1, 2, 0], [0, 0, 3]], [[9, 9, 9, 9, 9]])], [[[4, 0], [0, 5]]])
    steps = steps_for(task)
    started = time.monotonic()
    config = search.SearchConfig(max_states=50, windows=False)
    result = search.search(task, steps, backends.NumpyBackend(), time.time() + 1.0, config)
    assert time.monotonic() - started < 3
    assert result.stats.stop == "deadline" and result.stats.stored_states <= 50


def test_the_solver_never_needs_test_outputs():
    task = datasets.load_dataset(DATA / "tasks").get("rotate-quarter-turn-corner")
    prediction = solve(task.public(), attempts=1)
    assert prediction.attempts[0][0] == task.test[0].output.tolist()


@pytest.mark.parametrize(
    "task_id", ["rotate-quarter-turn-corner", "recolour-blue-to-red", "crop-to-single-object"]
)
def test_numpy_and_naive_backends_agree(task_id):
    task = datasets.load_dataset(DATA / "tasks").get(task_id).public()
    # A third of the batched steps and a tenth of the others (which both backends run grid
    # by grid), so two full searches to cost 2 stay quick.
    steps = [
        s
        for i, s in enumerate(steps_for(task, max_calls=1))
        if i % (3 if s.primitive in KERNELS else 10) == 0
    ]
    config = search.SearchConfig(max_cost=2, attempts=1000)
    results = [
        search.search(task, steps, backend, time.time() + 60, config)
        for backend in (backends.NumpyBackend(), backends.NaiveBackend())
    ]
    fast, naive = results
    assert fast.stats.stop == naive.stats.stop == "exhausted"
    assert fast.stats.distinct_states == naive.stats.distinct_states
    # The same behaviours at the same costs; which spelling of a behaviour is met first may differ.
    assert behaviours(fast) == behaviours(naive)


def test_screening_the_last_level_loses_no_answer():
    # On the last level only children that fit the first example are finished; with one
    # more level to go, the same level is evaluated in full. Both must find the same answers.
    task = datasets.load_dataset(DATA / "tasks").get("recolour-blue-to-red").public()
    steps = [s for i, s in enumerate(steps_for(task, max_calls=1)) if i % 3 == 0]
    configs = [search.SearchConfig(cost, attempts=1000, color_map=False) for cost in (2, 3)]
    runs = [search.search(task, steps, backends.NumpyBackend(), time.time() + 60, c) for c in configs]
    assert runs[1].stats.stop == "exhausted" and runs[1].answers
    cheap = [a for a in runs[1].answers if a.cost <= 2]
    assert behaviours(runs[0]) == behaviours(search.SearchResult(cheap, runs[1].stats))


def behaviours(result: search.SearchResult) -> list[tuple]:
    return sorted((a.cost, tuple(o.tobytes() + bytes(o.shape) for o in a.outputs)) for a in result.answers)


def test_attempts_from_keeps_distinct_outputs_in_order():
    grid = np.array([[1]], dtype=np.int8)
    other = np.array([[2]], dtype=np.int8)
    answers = [search.Answer(f"p{i}", i, (g,), 0.0) for i, g in enumerate([grid, grid, other, grid])]
    assert search_solver.attempts_from(answers, 1, 2) == [[[[1]], [[2]]]]


def _easy_reference_tasks(n: int) -> list[str]:
    """A spread of reference tasks whose programs are one step (depth 1), and one of depth 2."""
    programs = library.load_programs(DATA / "programs" / "training")
    by_size = {k: sorted(tid for tid, p in programs.items() if size(p) == k) for k in (1, 2)}
    one = by_size[1][:: max(1, len(by_size[1]) // n)][:n]
    return one + by_size[2][:1]


@pytest.mark.parametrize("task_id", _easy_reference_tasks(4))
def test_rediscovers_easy_reference_programs(task_id):
    # Two cheap answers end the search at once; otherwise it waits for the cheaper costs
    # to be exhausted (or the deadline), so the budget is generous and nothing is timed.
    task = datasets.load_dataset("arc-agi-1").get(task_id)
    prediction = solve(task.public(), seconds=8, attempts=2)
    assert prediction.metadata["first_fit_seconds"] is not None, prediction.metadata
    assert task.test[0].output.tolist() in prediction.attempts[0]


def test_scale_factor_can_be_computed_from_the_grid():
    # Each input is scaled up by its number of non-zero colours: no literal factor fits all.
    inputs = [[[1, 0], [0, 2]], [[3, 0], [4, 5]], [[6, 6], [0, 6]]]
    task = make_task(
        [(g, np.kron(g, np.ones((n, n), int)).tolist()) for g, n in zip(inputs, (2, 3, 1), strict=True)],
        [[[7, 8], [9, 7]]],
    )
    steps = steps_for(task)
    texts = {s.text for s in steps}
    assert "upscale(I, count_nonzero_colors(I))" in texts
    # Only arguments declared computed take computed values: a direction never does.
    assert not any("extend_rays(I, count" in t for t in texts)
    prediction = solve(task, attempts=1)
    assert prediction.metadata["program"] == "upscale(I, count_nonzero_colors(I))"
    assert prediction.attempts == [[np.kron([[7, 8], [9, 7]], np.ones((3, 3), int)).tolist()]]


def test_last_level_shape_check_skips_work_and_loses_no_answer(monkeypatch):
    # The output is the top-left quarter: on the last level, every shape-keeping step on the
    # many full-size states is skipped without being run, and the same answers come out.
    rng = np.random.default_rng(3)
    inputs = [rng.integers(0, 3, size=(6, 8)) for _ in range(3)]
    task = make_task([(g, g[:3, :4]) for g in inputs], [rng.integers(0, 3, size=(6, 8))])
    steps = steps_for(task, max_calls=1)
    config = search.SearchConfig(2, attempts=1000, color_map=False)
    checked = search.search(task, steps, backends.NumpyBackend(), time.time() + 60, config)
    monkeypatch.setattr(expansion, "SHAPE_CHECK_ROWS", 10**9)
    unchecked = search.search(task, steps, backends.NumpyBackend(), time.time() + 60, config)
    assert checked.stats.stop == unchecked.stats.stop == "exhausted"
    assert behaviours(checked) == behaviours(unchecked) and checked.answers
    assert checked.stats.candidates < unchecked.stats.candidates / 2


def test_a_cheaper_spelling_of_outputs_already_answered_replaces_the_dearer():
    # Within a level, a colour-mapped fit (one call dearer) can come before a plain program
    # with the same outputs; the answer must keep the cheaper one, whatever the order.
    config = search.SearchConfig()
    run = search.SearchRun(ROTATE, steps_for(ROTATE), backends.NumpyBackend(), config, search.uniform_cost)
    grid = np.array([[1]], dtype=np.int8)
    run.add_answer("dear | colours 1->2", 3.0, (grid,), 2)
    run.add_answer("other", 2.5, (grid + 1,), 0)
    run.add_answer("cheap", 2.0, (grid,), 1)
    run.add_answer("cheap but later", 2.0, (grid,), 1)
    assert [(a.program, a.cost) for a in run.answers] == [("cheap", 2.0), ("other", 2.5)]
