"""The search guide: a small JAX network that reads a task's demonstrations and predicts,
per DSL primitive, the probability that a solving program uses it (:mod:`.model`),
trained on synthetic tasks from training-split inputs (:mod:`.synthetic`, :mod:`.train`),
shipped as a checkpoint (:mod:`.checkpoint`) and turned into search costs (:mod:`.cost`).

Importing this package imports JAX; the search imports it only when a guide is asked for.
"""

from __future__ import annotations

from pathlib import Path

import equinox as eqx
import numpy as np

from arc_harness.tasks import Task
from solvers import jax_cache
from solvers.guide import checkpoint, features
from solvers.guide.checkpoint import DEFAULT, Checkpoint, CheckpointError

__all__ = ["DEFAULT", "Checkpoint", "CheckpointError", "Guide", "resolve"]


def resolve(spec: str) -> Path:
    """``default`` is the checkpoint shipped in the package; anything else is a file path."""
    return DEFAULT if spec == "default" else Path(spec)


class Guide:
    """A loaded checkpoint that scores tasks: primitive name -> probability."""

    def __init__(self, loaded: Checkpoint) -> None:
        jax_cache.enable()
        self.checkpoint = loaded
        self.names = loaded.vocabulary
        self._logits = eqx.filter_jit(loaded.model)  # one task per call: one compilation
        # Compile now, when a worker builds the solver, not inside the first task's budget.
        blank = features.task_arrays([(np.zeros((1, 1), np.int8), np.zeros((1, 1), np.int8))])
        self._logits(blank.grids, blank.features, blank.mask)

    @classmethod
    def load(cls, spec: str = "default") -> Guide:
        return cls(checkpoint.load(resolve(spec)))

    def probabilities(self, task: Task) -> dict[str, float]:
        """Per primitive, the probability that a program solving ``task`` calls it."""
        arrays = features.task_arrays([(p.input, p.output) for p in task.train])
        logits = np.asarray(self._logits(arrays.grids, arrays.features, arrays.mask))
        probs = 1.0 / (1.0 + np.exp(-logits.astype(np.float64)))
        return dict(zip(self.names, probs.tolist(), strict=True))

    def ranked(self, task: Task, k: int = 10) -> list[tuple[str, float]]:
        """The ``k`` most likely primitives with their probabilities."""
        probs = self.probabilities(task)
        return sorted(probs.items(), key=lambda item: -item[1])[:k]
