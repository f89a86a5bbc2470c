"""Training the guide: synthetic tasks plus reference programs, a fixed seed, held-out figures.

The data (:mod:`solvers.guide.synthetic`) comes from training-split tasks only. Held out
for validation: the last tenth of the synthetic tasks (behaviours never trained on) and
every fifth reference program by task id. The loss is binary cross-entropy per primitive;
the figure that matters for search is *recall at 10*: the share of a program's primitives
that the model ranks among its ten most likely.
"""

from __future__ import annotations

import importlib.metadata
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax

from arc_harness.tasks import Task
from dsl.program import Program
from solvers.guide import features, synthetic
from solvers.guide.model import GuideNet

# Called as work advances: (stage, done, total, note); stages "synthesise" and "mutate" count
# tasks kept (note: programs tried), stage "train" optimiser steps (note: the loss).
Progress = Callable[[str, int, int, str], None]


@dataclass(frozen=True)
class TrainConfig:
    synthetic_tasks: int = 10_000
    epochs: int = 8
    batch_size: int = 64
    learning_rate: float = 5e-3
    seed: int = 0
    max_depth: int = 3
    width: int = 8
    hidden: int = 128
    # Each training reference program is repeated this often per epoch: real tasks are scarce.
    reference_repeats: int = 4
    # Tasks from random edits of the training reference programs: shaped like real solutions.
    mutant_tasks: int = 3_000
    validation_fraction: float = 0.1
    # Chance that a training example's colours (background aside) are renamed at random each
    # time it is drawn: which colour a task uses rarely decides which primitives solve it.
    colour_augment: float = 0.5


@dataclass(frozen=True)
class Dataset:
    """Network inputs and multi-hot labels for a list of examples."""

    arrays: features.TaskArrays
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    def rows(self, index: np.ndarray) -> tuple[np.ndarray, ...]:
        return (
            self.arrays.grids[index],
            self.arrays.features[index],
            self.arrays.mask[index],
            self.labels[index],
        )


def to_dataset(examples: Sequence[synthetic.Example], names: Sequence[str]) -> Dataset:
    arrays = features.stack([features.task_arrays(e.pairs) for e in examples])
    return Dataset(arrays, synthetic.label_matrix(examples, names))


@dataclass(frozen=True)
class Splits:
    train: list[synthetic.Example]
    validation: list[synthetic.Example]
    mutants: list[synthetic.Example]
    references_train: list[synthetic.Example]
    references_held_out: list[synthetic.Example]


def _reporter(progress: Progress | None, stage: str, total: int) -> Callable[[int, int], None]:
    """A ``(kept, tried)`` callback for data making that feeds ``progress`` under ``stage``."""

    def report(kept: int, programs_tried: int) -> None:
        if progress is not None:
            progress(stage, kept, total, f"{programs_tried} programs tried")

    return report


def build_splits(
    tasks: Sequence[Task],
    programs: dict[str, Program],
    config: TrainConfig,
    log: Callable[[str], None],
    progress: Progress | None = None,
) -> Splits:
    """Synthetic tasks and reference examples, split into training and held-out parts."""
    started = time.monotonic()
    report = _reporter(progress, "synthesise", config.synthetic_tasks)
    made = synthetic.synthesize(tasks, config.synthetic_tasks, config.seed, config.max_depth, report)
    log(f"{len(made)} synthetic tasks in {time.monotonic() - started:.0f} s")
    cut = int(len(made) * (1 - config.validation_fraction))
    references = synthetic.reference_examples(programs, tasks)
    trained = [r for i, r in enumerate(references) if i % 5]
    # Only references trained on are mutated: the held-out ones stay unseen in any form.
    parents = {r.source: programs[r.source] for r in trained}
    report = _reporter(progress, "mutate", config.mutant_tasks)
    mutants = synthetic.mutated(parents, tasks, config.mutant_tasks, config.seed, report)
    log(f"{len(mutants)} tasks from mutated reference programs")
    return Splits(made[:cut], made[cut:], mutants, trained, references[::5])


def recall_at(logits: np.ndarray, labels: np.ndarray, k: int = 10) -> tuple[float, float]:
    """(share of true primitives ranked in the top ``k``, share of examples with all of them there)."""
    top = np.argsort(-logits, axis=1)[:, :k]
    hit = np.take_along_axis(labels, top, axis=1).sum(axis=1)
    total = labels.sum(axis=1)
    return float(hit.sum() / max(total.sum(), 1)), float(np.mean(hit == total))


@eqx.filter_jit
def predict(model: GuideNet, grids: jax.Array, feats: jax.Array, mask: jax.Array) -> jax.Array:
    """Logits for a batch of tasks (one network call per task under ``vmap``)."""
    return jax.vmap(model)(grids, feats, mask)


def logits_of(model: GuideNet, data: Dataset, batch_size: int = 256) -> np.ndarray:
    out = []
    for start in range(0, len(data), batch_size):
        index = np.arange(start, min(start + batch_size, len(data)))
        grids, feats, mask, _ = data.rows(_padded(index, batch_size))
        out.append(np.asarray(predict(model, grids, feats, mask))[: len(index)])
    return np.concatenate(out) if out else np.zeros((0, model.n_primitives), np.float32)


def _padded(index: np.ndarray, size: int) -> np.ndarray:
    """``index`` repeated to ``size`` rows so every batch has one shape (one compilation)."""
    return np.resize(index, size) if len(index) < size else index


def evaluate(
    model: GuideNet, examples: Sequence[synthetic.Example], names: Sequence[str]
) -> dict[str, float]:
    """Held-out figures: recall at 10, the share with every primitive in the top 10, the loss."""
    if not examples:
        return {"tasks": 0}
    data = to_dataset(examples, names)
    logits = logits_of(model, data)
    recall, complete = recall_at(logits, data.labels)
    loss = float(optax.sigmoid_binary_cross_entropy(logits, data.labels).mean())
    return {"tasks": len(data), "recall_at_10": recall, "all_in_top_10": complete, "loss": loss}


def _make_step(optimiser: optax.GradientTransformation):
    @eqx.filter_jit
    def step(model, state, grids, feats, mask, labels):
        def loss(m):
            return optax.sigmoid_binary_cross_entropy(jax.vmap(m)(grids, feats, mask), labels).mean()

        value, grads = eqx.filter_value_and_grad(loss)(model)
        updates, state = optimiser.update(grads, state, eqx.filter(model, eqx.is_array))
        return eqx.apply_updates(model, updates), state, value

    return step


def fit(
    model: GuideNet, data: Dataset, config: TrainConfig, progress: Progress | None = None
) -> tuple[GuideNet, list[float]]:
    """Adam with cosine decay over ``config.epochs`` shuffled passes; the mean loss per epoch."""
    per_epoch = max(1, len(data) // config.batch_size)
    total = per_epoch * config.epochs
    schedule = optax.cosine_decay_schedule(config.learning_rate, total)
    optimiser = optax.adam(schedule)
    state = optimiser.init(eqx.filter(model, eqx.is_array))
    step = _make_step(optimiser)
    rng = np.random.default_rng(config.seed)
    losses = []
    done = 0
    for _ in range(config.epochs):
        order = rng.permutation(len(data))
        running = []
        for b in range(per_epoch):
            index = _padded(order[b * config.batch_size : (b + 1) * config.batch_size], config.batch_size)
            rows = _recoloured(data.rows(index), config.colour_augment, rng)
            model, state, value = step(model, state, *map(jnp.asarray, rows))
            running.append(float(value))
            done += 1
            if progress is not None:
                progress("train", done, total, f"loss {running[-1]:.4f}")
        losses.append(float(np.mean(running)))
    return model, losses


def _recoloured(
    rows: tuple[np.ndarray, ...], chance: float, rng: np.random.Generator
) -> tuple[np.ndarray, ...]:
    """A batch's rows with each task's colours renamed at random with probability ``chance``."""
    if chance <= 0:
        return rows
    grids, feats, mask, labels = rows
    perms = np.tile(np.arange(features.NUM_COLORS), (len(grids), 1))
    for row in np.flatnonzero(rng.random(len(grids)) < chance):
        perms[row, 1:] = 1 + rng.permutation(features.NUM_COLORS - 1)
    arrays = features.recolour(features.TaskArrays(grids, feats, mask), perms)
    return arrays.grids, arrays.features, mask, labels


def versions() -> dict[str, str]:
    found = {}
    for package in ("jax", "equinox", "optax", "arc-eval"):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = "unknown"
    return found


def train(
    tasks: Sequence[Task],
    programs: dict[str, Program],
    config: TrainConfig,
    progress: Progress | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> tuple[GuideNet, dict]:
    """Train a guide on ``tasks`` (training split only) and reference ``programs``; (model, metadata)."""
    names = synthetic.vocabulary()
    splits = build_splits(tasks, programs, config, log, progress)
    train_examples = splits.train + splits.mutants + splits.references_train * config.reference_repeats
    data = to_dataset(train_examples, names)
    model = GuideNet(len(names), jax.random.PRNGKey(config.seed), width=config.width, hidden=config.hidden)
    started = time.monotonic()
    model, losses = fit(model, data, config, progress)
    seconds = time.monotonic() - started
    validation = {
        "synthetic": evaluate(model, splits.validation, names),
        "references_held_out": evaluate(model, splits.references_held_out, names),
        "references_trained": evaluate(model, splits.references_train, names),
    }
    metadata = {
        "vocabulary": list(names),
        "architecture": {"width": config.width, "hidden": config.hidden},
        "training": {
            **asdict(config),
            "synthetic_train": len(splits.train),
            "synthetic_validation": len(splits.validation),
            "mutant_train": len(splits.mutants),
            "references_train": len(splits.references_train),
            "references_held_out": sorted(e.source for e in splits.references_held_out),
            "training_tasks": len(tasks),
            "epoch_losses": losses,
            "seconds": round(seconds, 1),
        },
        "validation": validation,
        "versions": versions(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    return model, metadata
