"""Guided against unguided search: tasks solved per split, and nodes expanded before the first fit.

    python benchmarks/compare_guided.py UNGUIDED/leaderboard.json GUIDED/leaderboard.json

For tasks both runs solve, the median over tasks of (unguided / guided) nodes expanded
before the first fitting program (``first_fit_nodes``, counted across deepening rounds),
and the same for candidates evaluated. Splits are never blended.

Most tasks are solved among the root's children, one node either way, so the median
node ratio over them is 1.00x whatever the guide does; the last two columns repeat it
for the tasks where the unguided search expanded more than one node ("deeper").

``--hard`` prints instead the ids of the tasks that tell two cost schemes apart, to rerun
with ``arc-eval run search --tasks IDS``: those where either run expanded more than one
node before its first fit, or only one of the runs solved the task.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path


def by_task(path: Path) -> dict[str, dict]:
    return {r["task_id"]: r for r in json.loads(path.read_text())["tasks"]}


def figure(record: dict, key: str):
    """One figure of a task record's solver metadata, or None when it has none."""
    return (record.get("metadata") or {}).get(key)


def ratio(a: dict, b: dict, key: str) -> float | None:
    x, y = figure(a, key), figure(b, key)
    if x is None or y is None:
        return None
    return max(x, 1) / max(y, 1)


def went_deeper(record: dict) -> bool:
    """Whether the run solved the task past the root's children (more than one node expanded)."""
    return bool(record.get("solved")) and (figure(record, "first_fit_nodes") or 0) > 1


def hard_tasks(plain: dict[str, dict], guided: dict[str, dict]) -> list[str]:
    """Tasks of both runs that went past the root's children in either, or that only one solved."""
    return [
        t
        for t in sorted(set(plain) & set(guided))
        if went_deeper(plain[t])
        or went_deeper(guided[t])
        or bool(plain[t].get("solved")) != bool(guided[t].get("solved"))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("unguided", type=Path)
    parser.add_argument("guided", type=Path)
    parser.add_argument("--hard", action="store_true", help="print the ids of the telling tasks instead")
    args = parser.parse_args()
    plain, guided = by_task(args.unguided), by_task(args.guided)
    if args.hard:
        print(",".join(hard_tasks(plain, guided)))
        return
    common = sorted(set(plain) & set(guided))
    print(f"{'split':<12}{'tasks':>6}{'unguided':>10}{'guided':>8}{'both':>6}{'only guided':>13}"
          f"{'only unguided':>15}{'nodes ratio':>13}{'candidates ratio':>18}{'deeper':>8}"
          f"{'nodes ratio there':>19}")  # fmt: skip
    for split in sorted({plain[t]["split"] for t in common}):
        ids = [t for t in common if plain[t]["split"] == split]
        solved_plain = {t for t in ids if plain[t].get("solved")}
        solved_guided = {t for t in ids if guided[t].get("solved")}
        both = sorted(solved_plain & solved_guided)
        nodes = [r for t in both if (r := ratio(plain[t], guided[t], "first_fit_nodes")) is not None]
        cands = [r for t in both if (r := ratio(plain[t], guided[t], "first_fit_candidates")) is not None]
        deeper = [t for t in both if went_deeper(plain[t])]
        deep_nodes = [r for t in deeper if (r := ratio(plain[t], guided[t], "first_fit_nodes")) is not None]
        median = lambda xs: f"{statistics.median(xs):.2f}x" if xs else "-"  # noqa: E731
        print(
            f"{split:<12}{len(ids):>6}{len(solved_plain):>10}{len(solved_guided):>8}{len(both):>6}"
            f"{len(solved_guided - solved_plain):>13}{len(solved_plain - solved_guided):>15}"
            f"{median(nodes):>13}{median(cands):>18}{len(deeper):>8}{median(deep_nodes):>19}"
        )


if __name__ == "__main__":
    main()
