"""The JAX backend (solvers.backend_jax): differential tests against the numpy backend.

Every JAX kernel runs on random stacks of states through both backends, which must give
the same children (rows, grids, shapes) and merge the same states (equal fingerprints
exactly where grids are equal); so must chains of steps and whole searches. One backend
serves the module with a single bucket size, so each kernel compiles once (on CPU the
compilations are most of this file's time).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_kernels import _cells, _structure

from arc_harness import datasets
from solvers import backends, search
from solvers.backend_jax import DeviceStack, JaxBackend, bucket, fingerprint
from solvers.jax_kernels import JAX_KERNELS, JAX_PAIR_KERNELS, NO_JAX_KERNEL
from solvers.kernels import KERNELS
from solvers.kernels_pairs import PAIR_KERNELS, pair_operands
from solvers.steps import Step, enumerate_steps, task_colors

DATA = Path(__file__).resolve().parents[1] / "data"
JAX = JaxBackend(min_bucket=64, max_bucket=64)
NUMPY = backends.NumpyBackend()
STEPS = enumerate_steps(tuple(range(10)), max_calls=1, binary=True)
DEVICE_STEPS = [s for s in STEPS if JAX.on_device(s)]


def kernel_name(step: Step) -> str:
    return step.primitive or pair_operands(step)[0]


BY_KERNEL = {
    name: [s for s in DEVICE_STEPS if kernel_name(s) == name] for name in {*map(kernel_name, DEVICE_STEPS)}
}


# --- random batches -----------------------------------------------------------------------


@st.composite
def states(draw: st.DrawFn, max_states: int = 4, max_examples: int = 3) -> tuple[np.ndarray, ...]:
    """Per example a read-only (K, H, W) stack, K shared, shapes drawn per example; repeats happen."""
    k = draw(st.integers(1, max_states))
    side = st.one_of(st.integers(1, 6), st.integers(1, 12), st.integers(13, 30))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    stacks = []
    for _ in range(draw(st.integers(1, max_examples))):
        h = draw(side)
        w = h if draw(st.booleans()) else draw(side)
        stacks.append(np.stack([_structure(rng, _cells(rng, h, w)) for _ in range(k)]))
    if k > 1 and rng.random() < 0.3:  # a state equal to another on every example
        for stack in stacks:
            stack[-1] = stack[0]
    for stack in stacks:
        stack.setflags(write=False)
    return tuple(stacks)


@st.composite
def task_inputs(draw: st.DrawFn, grids: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """The task's input per example: mostly the states' shape, sometimes another."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    found = []
    for stack in grids:
        h, w = stack.shape[1:]
        if draw(st.integers(0, 3)) == 0:
            h, w = draw(st.integers(1, 30)), draw(st.integers(1, 30))
        found.append(_structure(rng, _cells(rng, h, w)))
    return tuple(found)


# --- comparing children -------------------------------------------------------------------


def materialised(children: backends.Children) -> tuple[np.ndarray, ...]:
    return tuple(np.asarray(g) for g in children.grids)


def assert_same_children(
    got: list[backends.Children], want: list[backends.Children], on_device: bool, where: str
) -> None:
    """Same groups, rows and grids; device prints equal to the host hash of the same grids."""
    assert len(got) == len(want), f"{where}: {len(got)} groups != {len(want)}"
    for a, b in zip(got, want, strict=True):
        assert np.array_equal(a.rows, b.rows), f"{where}: rows {a.rows} != {b.rows}"
        grids = materialised(a)
        for g, stack, expected in zip(grids, a.grids, b.grids, strict=True):
            assert stack.shape == expected.shape == g.shape, f"{where}: {stack.shape} != {expected.shape}"
            assert g.dtype == np.int8 and np.array_equal(g, expected), f"{where}:\n{g}\n!=\n{expected}"
        # Children of the fallback paths are hashed by the search through the backend.
        assert (a.prints is not None) == on_device, where
        prints = JAX.fingerprint(grids) if a.prints is None else a.prints
        assert prints.dtype == np.uint64 and np.array_equal(prints, fingerprint(grids)), where
        assert_prints_separate(prints, grids, where)


def assert_prints_separate(prints: np.ndarray, grids: tuple[np.ndarray, ...], where: str) -> None:
    """Equal fingerprints exactly where the states are equal on every example."""
    for i in range(len(prints)):
        for j in range(i):
            same = all(np.array_equal(g[i], g[j]) for g in grids)
            assert (prints[i] == prints[j]) == same, f"{where}: states {i}, {j} equal={same}"


def apply_both(step: Step, grids, inputs, where: str) -> list[backends.Children]:
    got = JAX.apply(step, grids, inputs)
    assert_same_children(got, NUMPY.apply(step, grids, inputs), JAX.on_device(step), where)
    return got


# --- the tables ---------------------------------------------------------------------------


def test_every_numpy_kernel_has_a_jax_twin_or_a_reason():
    assert set(JAX_KERNELS) | set(NO_JAX_KERNEL) == set(KERNELS)
    assert not set(JAX_KERNELS) & set(NO_JAX_KERNEL)
    assert set(JAX_PAIR_KERNELS) == set(PAIR_KERNELS)
    assert set(BY_KERNEL) == set(JAX_KERNELS) | set(JAX_PAIR_KERNELS)


def test_batched_answers_as_the_numpy_backend():
    # The search splits its work by this: equal answers keep both backends in step.
    assert [JAX.batched(s) for s in STEPS] == [NUMPY.batched(s) for s in STEPS]


def test_make_backend_imports_jax_only_when_asked():
    code = (
        "import sys; from solvers import backends, search; assert 'jax' not in sys.modules; "
        "b = backends.make_backend('jax'); assert b.name == 'jax' and 'jax' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=DATA.parent)


@pytest.mark.parametrize(("n", "size"), [(1, 64), (64, 64), (65, 128), (4096, 4096)])
def test_bucket_sizes_are_powers_of_two(n, size):
    assert bucket(n) == size


# --- every kernel against numpy -----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BY_KERNEL))
def test_kernel_matches_the_numpy_backend(name):
    @settings(max_examples=8, deadline=None, database=None)
    @given(st.data())
    def check(data):
        step = data.draw(st.sampled_from(BY_KERNEL[name]))
        grids = data.draw(states())
        inputs = data.draw(task_inputs(grids))
        apply_both(step, grids, inputs, f"{step.text} on {[g.shape for g in grids]}")

    check()


@settings(max_examples=30, deadline=None, database=None)
@given(st.data())
def test_chains_of_steps_match_the_numpy_backend(data):
    grids = data.draw(states(max_states=6))
    inputs = data.draw(task_inputs(grids))
    for depth in range(data.draw(st.integers(2, 3))):
        # Mostly device steps, some of the others (their children are hashed on the host).
        pool = DEVICE_STEPS if data.draw(st.integers(0, 3)) else STEPS
        step = data.draw(st.sampled_from(pool))
        children = apply_both(step, grids, inputs, f"step {depth}: {step.text}")
        if not children:
            return
        grids = materialised(children[0])
        for g in grids:
            g.setflags(write=False)


def test_large_batches_split_into_parts_and_read_back_any_rows():
    rng = np.random.default_rng(7)
    grids = tuple(rng.integers(0, 4, size=(50, h, w)).astype(np.int8) for h, w in [(3, 4), (5, 5)])
    for g in grids:
        g.setflags(write=False)
    inputs = tuple(g[0] for g in grids)
    step = next(s for s in DEVICE_STEPS if s.primitive == "upscale" and s.literals == (2,))
    (children,) = apply_both(step, grids, inputs, "upscale over several parts")
    assert len(JAX._batches.get(grids).parts) == 2  # 32 states of 2 examples fill a part of 64 items
    stack = children.grids[1]
    assert isinstance(stack, DeviceStack) and stack.shape == (50, 10, 10)
    picked = np.array([49, 0, 33, 31, 32])
    assert np.array_equal(stack[picked], np.asarray(NUMPY.apply(step, grids, inputs)[0].grids[1])[picked])
    assert np.array_equal(stack[3], np.kron(grids[1][3], np.ones((2, 2), dtype=np.int8)))


def test_uploads_are_reused_for_read_only_stacks_only():
    frozen = np.zeros((2, 3, 3), dtype=np.int8)
    frozen.setflags(write=False)
    assert JAX._batches.get((frozen,)) is JAX._batches.get((frozen,))
    writable = np.zeros((2, 3, 3), dtype=np.int8)
    assert JAX._batches.get((writable,)) is not JAX._batches.get((writable,))


def test_host_fingerprint_mixes_examples_and_shapes():
    a = np.zeros((1, 2, 3), dtype=np.int8)
    b = np.zeros((1, 3, 2), dtype=np.int8)
    c = np.ones((1, 2, 3), dtype=np.int8)
    prints = [fingerprint(g)[0] for g in [(a, c), (c, a), (b, c), (a, a), (a,)]]
    assert len(set(prints)) == len(prints)
    assert fingerprint((a, c))[0] == fingerprint((a.copy(), c.copy()))[0]


# --- whole searches -----------------------------------------------------------------------


def sample_steps(task, every_kernel: int, every_other: int) -> list[Step]:
    grids = [p.input for p in task.train + task.test] + [p.output for p in task.train]
    found = enumerate_steps(task_colors(grids), max_calls=1)
    return [s for i, s in enumerate(found) if i % (every_kernel if NUMPY.batched(s) else every_other) == 0]


def assert_same_search(task, steps, config) -> None:
    runs = [search.search(task, steps, backend, time.time() + 600, config) for backend in (NUMPY, JAX)]
    want, got = runs
    assert want.stats.stop == got.stats.stop == "exhausted" and want.answers
    for field in ("distinct_states", "candidates", "applications", "stored_states", "size_matches"):
        assert getattr(got.stats, field) == getattr(want.stats, field), field
    assert [a.program for a in got.answers] == [a.program for a in want.answers]
    for a, b in zip(got.answers, want.answers, strict=True):
        assert a.cost == b.cost and all(
            np.array_equal(x, y) for x, y in zip(a.outputs, b.outputs, strict=True)
        )


@pytest.mark.parametrize(
    ("task_id", "every"),
    [("recolour-blue-to-red", 3), ("fill-enclosed-holes", 2), ("drop-cells-to-floor", 2)],
)
def test_search_finds_the_same_answers(task_id, every):
    # Every 2nd or 3rd batched step and a few others keep the task's answer and the time short.
    task = datasets.load_dataset(DATA / "tasks").get(task_id).public()
    config = search.SearchConfig(max_cost=2, attempts=1000)
    assert_same_search(task, sample_steps(task, every, 4 * every), config)


def test_search_with_a_probe_past_the_bound_finds_the_same_answers():
    # The probe ranks screened children and evaluates the best again through the backend.
    task = datasets.load_dataset(DATA / "tasks").get("drop-cells-to-floor").public()
    config = search.SearchConfig(max_cost=2, attempts=1000, probe_states=16)
    assert_same_search(task, sample_steps(task, 2, 8), config)


@pytest.mark.slow
@pytest.mark.parametrize("task_id", ["00d62c1b", "1e0a9b12", "5614dbcf"])
def test_search_on_real_tasks_finds_the_same_answers(task_id):
    # Training tasks with one- and two-step reference programs: a fill, gravity, scaling.
    task = datasets.load_dataset("arc-agi-1").get(task_id).public()
    config = search.SearchConfig(max_cost=2, attempts=1000)
    # Every batched step; a third of the others, which both backends run the same numpy way.
    assert_same_search(task, sample_steps(task, 1, 3), config)
