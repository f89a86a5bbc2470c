from __future__ import annotations

import time

import numpy as np
from test_search import make_task, solve

from solvers import count_tables, search_solver

FAR = 1e12  # a deadline that never comes

# Outputs no short program makes from the inputs: only a lookup gives them.
ONE, TWO, THREE = [[4, 0], [0, 4]], [[0, 7, 7]], [[3], [8], [3]]


def _dots(n: int, size: int = 6) -> list[list[int]]:
    """A grid with ``n`` lone red cells, two apart along the diagonal-ish walk."""
    grid = np.zeros((size, size), dtype=int)
    for k in range(n):
        grid[(2 * k) % size, (2 * k + 2 * (k // 3)) % size] = 2
    return grid.tolist()


# The output counts the red objects: 1, 2 or 3 of them.
COUNTED = make_task(
    [(_dots(1), ONE), (_dots(2), TWO), (_dots(1), ONE), (_dots(3), THREE)],
    [_dots(2)],
)


def test_a_count_the_demonstrations_follow_answers_the_test():
    fitted = count_tables.fit(COUNTED, FAR)
    assert fitted is not None
    assert fitted.outputs[0].tolist() == TWO
    assert fitted.cases == 3
    assert fitted.text.startswith("count table on ") and fitted.text.endswith("(3 cases)")


def test_no_table_when_no_count_repeats():
    # every demonstration with its own count: any count would fit, so none is trusted
    task = make_task([(_dots(1), ONE), (_dots(2), TWO), (_dots(3), THREE)], [_dots(2)])
    assert count_tables.fit(task, FAR) is None


def test_no_table_when_a_test_count_is_unseen_or_past_the_deadline():
    unseen = make_task([(p.input.tolist(), p.output.tolist()) for p in COUNTED.train], [_dots(5)])
    assert count_tables.fit(unseen, FAR) is None
    assert count_tables.fit(COUNTED, time.time() - 1) is None


def test_no_table_for_a_constant_output_or_equal_counts_with_different_outputs():
    constant = make_task([(_dots(1), ONE), (_dots(1), ONE), (_dots(2), ONE)], [_dots(1)])
    assert count_tables.fit(constant, FAR) is None
    assert count_tables._table([1, 1, 2], [np.array(ONE), np.array(TWO), np.array(THREE)]) is None
    assert count_tables._table([1, 1, 2], [np.array(ONE), np.array(ONE), np.array(THREE)]) is not None


def test_every_count_is_a_small_non_negative_integer():
    grid = np.asarray(_dots(3), dtype=np.int8)
    values = {name: count(grid) for name, count in count_tables.COUNTS.items()}
    assert all(isinstance(v, int) and v >= 0 for v in values.values())
    assert values["cells of 2"] == values["cells not 0"] == 3 and values["colours"] == 2
    assert values["main colour"] == 2


def _shape(colour: int, cells: int) -> list[list[int]]:
    grid = np.zeros((5, 5), dtype=int)
    grid.flat[[6, 7, 8, 12, 16][:cells]] = colour
    return grid.tolist()


def test_a_table_on_the_main_colour_answers_whatever_the_counts():
    # The output names the shape's colour; the shapes' sizes vary, so no count decides.
    demos = [(2, 3, ONE), (3, 5, TWO), (2, 4, ONE), (3, 2, TWO), (4, 3, THREE), (4, 5, THREE)]
    task = make_task([(_shape(c, n), out) for c, n, out in demos], [_shape(3, 4)])
    fitted = count_tables.fit(task, FAR)
    assert fitted is not None and fitted.count == "main colour"
    assert fitted.outputs[0].tolist() == TWO


def test_the_solver_tries_a_count_table_last_and_only_when_asked():
    found = solve(COUNTED, attempts=2, colour_views=False)
    assert TWO in found.attempts[0]
    off = solve(COUNTED, attempts=2, colour_views=False, count_tables=False)
    assert TWO not in off.attempts[0]
    assert not any(p.startswith("count table") for p in off.metadata["programs"])
    [answer] = search_solver.table_answers(COUNTED, FAR)
    assert (answer.cost, answer.constants) == (1.0, 3)
