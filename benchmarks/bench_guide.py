"""Guide quality: recall of the true primitives within the model's top 10, against a frequency prior.

    python benchmarks/bench_guide.py [--checkpoint default] [--synthetic 1200]

Two held-out sets, neither trained on:
- synthetic tasks: made exactly as in training (training-split inputs, random programs)
  but from a seed the checkpoint never saw, so their behaviours are new;
- reference programs held out at training time (every fifth, listed in the checkpoint);
  the trained ones are reported too, marked as such.
The baseline in the same run ranks every task's primitives by how often programs in the
training data use them (one fixed top 10): what a model that reads nothing would score.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import numpy as np

from arc_harness import datasets
from dsl import library
from solvers.guide import Guide, synthetic, train

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "programs" / "training"


def prior_logits(examples: list[synthetic.Example], names: tuple[str, ...], n: int) -> np.ndarray:
    """The same scores for every task: label frequencies in ``examples``."""
    counts = Counter(name for e in examples for name in e.labels)
    return np.tile(np.array([counts[name] for name in names], dtype=np.float32), (n, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", default="default")
    parser.add_argument("--synthetic", type=int, default=1200, help="fresh synthetic tasks to score")
    parser.add_argument("--seed", type=int, default=12345, help="seed of the fresh synthetic tasks")
    args = parser.parse_args()

    guide = Guide.load(args.checkpoint)
    meta = guide.checkpoint.metadata
    names = guide.names
    tasks = datasets.select_tasks(datasets.load_dataset("arc-agi-1"), split="training")
    if args.seed == meta["training"]["seed"]:
        parser.error("use a seed the checkpoint was not trained with")
    started = time.monotonic()
    fresh = synthetic.synthesize(tasks, args.synthetic, args.seed, meta["training"]["max_depth"])
    made = time.monotonic() - started
    programs = library.load_programs(REFERENCE)
    references = synthetic.reference_examples(programs, tasks)
    held = set(meta["training"]["references_held_out"])
    prior_source = synthetic.synthesize(tasks, 2000, meta["training"]["seed"], meta["training"]["max_depth"])
    prior_source += [r for r in references if r.source not in held]

    print(f"checkpoint {args.checkpoint}: registry {meta['registry_hash']}, {len(names)} primitives")
    print(f"{len(fresh)} fresh synthetic tasks (seed {args.seed}) made in {made:.0f} s")
    print(f"{'set':<30}{'tasks':>7}{'recall@10':>11}{'prior':>9}{'all in top 10':>15}{'prior':>8}")
    sets = {
        "synthetic, fresh seed": fresh,
        "reference programs, held out": [r for r in references if r.source in held],
        "reference programs, trained": [r for r in references if r.source not in held],
    }
    for label, examples in sets.items():
        if not examples:
            continue
        data = train.to_dataset(examples, names)
        recall, complete = train.recall_at(train.logits_of(guide.checkpoint.model, data), data.labels)
        base, base_complete = train.recall_at(prior_logits(prior_source, names, len(data)), data.labels)
        print(f"{label:<30}{len(data):>7}{recall:>11.1%}{base:>9.1%}{complete:>15.1%}{base_complete:>8.1%}")


if __name__ == "__main__":
    main()
