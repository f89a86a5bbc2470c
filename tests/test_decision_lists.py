from __future__ import annotations

import time

import numpy as np
from grid_strategies import small_grids
from hypothesis import given, settings
from hypothesis import strategies as st
from test_search import make_task, solve

from arc_harness.tasks import Task, as_grid
from solvers import decision_lists, local_rules, search_solver
from solvers.decision_lists import Literal

FAR = 1e12  # a deadline that never comes


def _halo(grid: list[list[int]]) -> list[list[int]]:
    """The rule the tasks below follow: background cells beside a 1 turn 7, diagonal to a 2 turn 4."""
    g = np.asarray(grid)
    out = g.copy()
    h, w = g.shape
    for r, c in zip(*np.nonzero(g == 1), strict=True):
        for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            if 0 <= r + dr < h and 0 <= c + dc < w and g[r + dr, c + dc] == 0:
                out[r + dr, c + dc] = 7
    for r, c in zip(*np.nonzero(g == 2), strict=True):
        for dr, dc in ((-1, -1), (-1, 1), (1, -1), (1, 1)):
            if 0 <= r + dr < h and 0 <= c + dc < w and g[r + dr, c + dc] == 0:
                out[r + dr, c + dc] = 4
    return out.tolist()


def _grid(pixels: dict[tuple[int, int], int], size: int = 7) -> list[list[int]]:
    grid = [[0] * size for _ in range(size)]
    for (r, c), colour in pixels.items():
        grid[r][c] = colour
    return grid


HALO_INPUTS = [
    _grid({(1, 1): 1, (4, 4): 2, (5, 1): 8}),
    _grid({(2, 5): 1, (5, 2): 2, (0, 3): 8}),
    _grid({(4, 1): 1, (1, 4): 2}),
]
# The 1 sits two cells from an 8 here: a background cell between them sees both, which no
# demonstration showed, so a local rule keyed on the neighbour sets has no entry for it.
HALO_TEST = _grid({(3, 1): 1, (3, 3): 8, (0, 5): 2})


def _halo_task(inputs: list[list[list[int]]], tests: list[list[list[int]]]) -> Task:
    return make_task([(g, _halo(g)) for g in inputs], tests)


HALO = _halo_task(HALO_INPUTS, [HALO_TEST])


def test_a_list_answers_where_no_local_rule_covers_the_test():
    fitted = decision_lists.fit(HALO, FAR)
    assert fitted is not None
    assert fitted.outputs[0].tolist() == _halo(HALO_TEST)
    assert "edge_colours has 1 -> 7" in fitted.text and fitted.text.endswith("else keep")
    assert all(r.outputs[0].tolist() != _halo(HALO_TEST) for r in local_rules.fit(HALO, FAR, limit=10))


def test_no_list_when_one_demonstration_is_all_there_is():
    assert decision_lists.fit(_halo_task(HALO_INPUTS[:1], [HALO_TEST]), FAR) is None


def test_no_list_when_sizes_change_or_the_deadline_has_passed():
    shrink = make_task([([[1, 2], [3, 4]], [[1]]), ([[5, 6]], [[5]])], [[[5, 6]]])
    assert decision_lists.fit(shrink, FAR) is None
    assert decision_lists.fit(HALO, time.time() - 1) is None


def test_a_list_that_fits_only_by_memorising_is_rejected():
    # Each demonstration recolours its own lone cell by a value no other demonstration shows:
    # the greedy list explains them all, but fitted without one it cannot say what that one does.
    pairs = [
        (_grid({(1, 1): 3}, 4), _grid({(1, 1): 5}, 4)),
        (_grid({(2, 2): 6}, 4), _grid({(2, 2): 9}, 4)),
    ]
    task = make_task(pairs, [_grid({(0, 0): 3}, 4)])
    grids = [as_grid(i) for i, _ in pairs]
    demos = [decision_lists.literal_planes(g) for g in grids]
    bases = [decision_lists.base_colours(g, "keep") for g in grids]
    targets = [np.asarray(o).ravel() for _, o in pairs]
    assert decision_lists.greedy(demos, bases, targets, demos[0], 6, FAR) is not None
    assert decision_lists.fit(task, FAR) is None


def test_a_list_longer_than_allowed_is_not_fitted():
    assert decision_lists.fit(HALO, FAR, max_literals=1) is None


@settings(max_examples=40, deadline=None)
@given(st.lists(small_grids(), min_size=2, max_size=3), st.lists(st.integers(0, 9), min_size=10, max_size=10))
def test_a_fitted_list_reproduces_every_demonstration_exactly(inputs, recolour):
    # outputs by recolouring each colour: any fitted list must give every demonstration back
    pairs = tuple((g, np.asarray(recolour, dtype=np.int8)[g]) for g in inputs)
    task = make_task([(i.tolist(), o.tolist()) for i, o in pairs], [inputs[0].tolist()])
    fitted = decision_lists.fit(task, FAR)
    if fitted is None:
        return
    for grid, want in pairs:
        base = decision_lists.base_colours(grid, fitted.default)
        got = decision_lists.apply(fitted.literals, decision_lists.literal_planes(grid), base)
        assert np.array_equal(got.reshape(grid.shape), want)
    assert np.array_equal(fitted.outputs[0], pairs[0][1])


def test_the_first_literal_a_cell_meets_decides_it_the_rest_take_the_default():
    grid = as_grid([[1, 2], [3, 3]])
    planes = decision_lists.literal_planes(grid)
    colour = decision_lists.NAMES.index("colour")
    first, second = Literal(colour, 1, 5), Literal(colour, 1, 6)
    keep, blank = (decision_lists.base_colours(grid, d) for d in decision_lists.DEFAULTS)
    assert decision_lists.apply((first, second), planes, keep).tolist() == [5, 2, 3, 3]
    assert decision_lists.apply((first, second), planes, blank).tolist() == [5, 3, 3, 3]
    assert decision_lists.apply((), planes, keep).tolist() == [1, 2, 3, 3]


def test_a_list_that_wipes_what_it_does_not_draw_blanks_by_default():
    # Each 1 draws a 7 to its right; everything else, the 1s included, becomes background 0.
    def wipe(grid):
        g = np.asarray(grid)
        out = np.zeros_like(g)
        out[:, 1:][g[:, :-1] == 1] = 7
        return out.tolist()

    inputs = [[[1, 0, 0], [0, 3, 0], [0, 1, 0]], [[0, 1, 0, 0], [3, 0, 1, 0]], [[0, 0], [1, 0], [4, 0]]]
    test = [[0, 1, 0], [1, 4, 0]]
    task = make_task([(g, wipe(g)) for g in inputs], [test])
    # keeping colours, blanking the other colours takes a literal of its own: two in all
    assert decision_lists.fit(task, FAR).literals[0].colour == 0
    fitted = decision_lists.fit(task, FAR, max_literals=1)
    assert fitted is not None and fitted.default == "background"
    assert fitted.outputs[0].tolist() == wipe(test) and fitted.text.endswith("else background")


def test_a_set_literal_reads_as_has_or_lacks():
    base = len(decision_lists.NAMES)
    has = decision_lists.HAS_FEATURES.index(("edge_colours", 3))
    assert str(Literal(base + has, 1, 7)) == "edge_colours has 3 -> 7"
    assert str(Literal(base + has, 0, 7)) == "edge_colours lacks 3 -> 7"
    assert str(Literal(0, 4, 2)) == f"{decision_lists.NAMES[0]} = 4 -> 2"


def test_the_solver_tries_a_list_last_and_only_when_asked():
    found = solve(HALO, attempts=2, colour_views=False)
    assert _halo(HALO_TEST) in found.attempts[0]
    programs = found.metadata["programs"]
    assert programs[-1].startswith("decision list:")
    off = solve(HALO, attempts=2, colour_views=False, decision_lists=False)
    assert _halo(HALO_TEST) not in off.attempts[0]
    assert not any(p.startswith("decision list:") for p in off.metadata["programs"])


def test_a_list_ranks_as_one_constant_per_literal():
    [answer] = search_solver.list_answers(HALO, FAR)
    fitted = decision_lists.fit(HALO, FAR)
    assert answer.program == fitted.text
    assert answer.cost == answer.constants == len(fitted.literals)
