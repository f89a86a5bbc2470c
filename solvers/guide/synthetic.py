"""Synthetic training tasks for the guide, DreamCoder-style, from training-split inputs only.

A synthetic task is a random well-typed program (:mod:`dsl.generator`) run on the input
grids of one real training task: the program's outputs become the demonstration outputs
and the primitives it calls are the labels. Kept only when non-trivial: every output a
valid grid, at least one differing from its input, and a behaviour not seen before
(programs are deduplicated by their outputs on a fixed probe set, the smallest program
kept). The reference programs (``data/programs/training``) join as real examples.

Every program is first simplified against its task's input grids (:func:`dsl.rewrite.simplify`):
a call whose removal changes no output is dropped, so the labels name only primitives
whose effect the task shows. About a fifth of random programs lose a call this way.

Evaluation tasks never enter: every function here refuses a task whose split is not
``training``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from arc_harness.tasks import Task
from dsl import generator, registry
from dsl.interpreter import run_checked
from dsl.program import Program, primitives_used, size
from dsl.rewrite import mutate, simplify

Pairs = tuple[tuple[np.ndarray, np.ndarray], ...]

# How many inputs of one task a synthetic task uses (the guide reads at most 5 pairs).
INPUTS_PER_TASK = 4
PROBE_GRIDS = 6
# References longer than this are not mutated: a quarter of them, slow to run and simplify.
MAX_PARENT_CALLS = 12


@dataclass(frozen=True)
class Example:
    """One labelled task: demonstration pairs and the primitives its program uses."""

    pairs: Pairs
    labels: frozenset[str]
    program: str  # simplified against the task's inputs: the labels are its primitives
    source: str  # the training task whose inputs it reads
    drawn: str = ""  # the program as sampled or written, before simplification


def training_only(tasks: Sequence[Task]) -> list[Task]:
    """``tasks`` unchanged, or an error naming the first one not from the training split."""
    for task in tasks:
        if task.split != "training":
            raise ValueError(
                f"task {task.id} is from the {task.split!r} split; the guide trains on training only"
            )
    return list(tasks)


def _inputs(task: Task) -> list[np.ndarray]:
    return [p.input for p in task.train + task.test]


def _outputs(program: Program, grids: Sequence[np.ndarray]) -> list[np.ndarray] | None:
    """The program's output on every grid, or None if any run fails."""
    outputs = []
    for grid in grids:
        result = run_checked(program, grid)
        if not result.ok:
            return None
        outputs.append(result.value)
    return outputs


def _behaviour(outputs: Sequence[np.ndarray]) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for grid in outputs:
        digest.update(np.asarray(grid.shape, dtype=np.int16).tobytes())
        digest.update(np.ascontiguousarray(grid).tobytes())
    return digest.digest()


def _changes_something(pairs: Pairs) -> bool:
    return any(i.shape != o.shape or not np.array_equal(i, o) for i, o in pairs)


def probe_grids(tasks: Sequence[Task], count: int = PROBE_GRIDS) -> list[np.ndarray]:
    """A fixed, varied set of inputs on which programs are compared by behaviour."""
    ordered = sorted(tasks, key=lambda t: t.id)
    step = max(1, len(ordered) // count)
    return [ordered[i].train[0].input for i in range(0, len(ordered), step)][:count]


def _candidates(seed: int, max_depth: int) -> Iterator[Program]:
    """Random programs, one balanced batch after another, forever."""
    for round_seed in range(seed, seed + 1_000_000):
        yield from generator.random_programs(round_seed, 500, max_depth, unique=True)


def synthesize(
    tasks: Sequence[Task],
    n: int,
    seed: int,
    max_depth: int = 3,
    progress: Callable[[int, int], None] | None = None,
) -> list[Example]:
    """``n`` distinct non-trivial synthetic tasks from random programs on ``tasks``' inputs.

    Deterministic for a seed. Programs that behave alike on the probe grids count once;
    the smaller one is kept. ``progress(kept, tried)`` is called every 100 programs tried.
    """
    tasks = sorted(training_only(tasks), key=lambda t: t.id)
    rng = np.random.default_rng(seed)
    probes = probe_grids(tasks)
    kept: dict[bytes, Example] = {}
    sizes: dict[bytes, int] = {}
    tried = 0
    for program in _candidates(seed, max_depth):
        if len(kept) >= n or tried > 200 * n + 10_000:
            break
        tried += 1
        if progress is not None and tried % 100 == 0:
            progress(len(kept), tried)
        probe = _outputs(program, probes)
        if probe is None:
            continue
        key = _behaviour(probe)
        if sizes.get(key, np.inf) <= size(program):
            continue
        source = tasks[int(rng.integers(len(tasks)))]
        inputs = _inputs(source)[:INPUTS_PER_TASK]
        outputs = _outputs(program, inputs)
        if outputs is None:
            continue
        pairs = tuple(zip(inputs, outputs, strict=True))
        if _changes_something(pairs):
            shown = simplify(program, inputs)
            kept[key] = Example(pairs, primitives_used(shown), str(shown), source.id, str(program))
            sizes[key] = size(program)
    return list(kept.values())


def mutated(
    references: Mapping[str, Program],
    tasks: Sequence[Task],
    n: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[Example]:
    """``n`` distinct non-trivial tasks from random edits of ``references`` (programs by task id).

    Each mutant (one or two :func:`dsl.rewrite.mutate` edits of a reference drawn at random)
    runs, at even odds, on its reference's own task's inputs or on a random task's:
    programs shaped like real solutions, on inputs of the kind they were written for or
    not. Deterministic for a seed; a behaviour (source task and outputs) counts once.
    """
    tasks = sorted(training_only(tasks), key=lambda t: t.id)
    by_id = {t.id: t for t in tasks}
    parents = [
        (tid, program)
        for tid, program in sorted(references.items())
        if tid in by_id and size(program) <= MAX_PARENT_CALLS
    ]
    if not parents:
        return []
    rng = np.random.default_rng(seed)
    sampler = generator.Sampler()
    kept: list[Example] = []
    seen: set[bytes] = set()
    for tried in range(1, 50 * n + 1):
        if len(kept) >= n:
            break
        if progress is not None and tried % 100 == 0:
            progress(len(kept), tried)
        tid, program = parents[int(rng.integers(len(parents)))]
        for _ in range(1 + int(rng.integers(2))):
            program = mutate(program, rng, sampler)
        source = by_id[tid] if rng.random() < 0.5 else tasks[int(rng.integers(len(tasks)))]
        inputs = _inputs(source)[:INPUTS_PER_TASK]
        outputs = _outputs(program, inputs)
        if outputs is None:
            continue
        key = source.id.encode() + _behaviour(outputs)
        pairs = tuple(zip(inputs, outputs, strict=True))
        if key in seen or not _changes_something(pairs):
            continue
        seen.add(key)
        shown = simplify(program, inputs)
        kept.append(Example(pairs, primitives_used(shown), str(shown), source.id, str(program)))
    return kept


def reference_examples(programs: Mapping[str, Program], tasks: Sequence[Task]) -> list[Example]:
    """The reference programs as examples on their own (training) tasks' demonstrations.

    Each is simplified against all its task's inputs, test inputs included (their outputs
    are not read): what remains gives the same answers, so it solves the task as well.
    """
    by_id = {t.id: t for t in training_only(tasks)}
    examples = []
    for tid, program in sorted(programs.items()):
        if tid in by_id:
            task = by_id[tid]
            shown = simplify(program, _inputs(task))
            pairs = tuple((p.input, p.output) for p in task.train)
            examples.append(Example(pairs, primitives_used(shown), str(shown), tid, str(program)))
    return examples


def vocabulary() -> tuple[str, ...]:
    """The label order: every registered primitive, by name."""
    return tuple(sorted(registry.primitives()))


def label_matrix(examples: Sequence[Example], names: Sequence[str]) -> np.ndarray:
    """Multi-hot labels, float32 ``(len(examples), len(names))``."""
    index = {name: i for i, name in enumerate(names)}
    labels = np.zeros((len(examples), len(names)), dtype=np.float32)
    for row, example in enumerate(examples):
        for name in example.labels:
            labels[row, index[name]] = 1.0
    return labels
