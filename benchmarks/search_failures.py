"""Why the search solver failed, task by task, per split: reads a run's leaderboard.json.

    python benchmarks/search_failures.py results/search-arc-agi-1-*/leaderboard.json
    python benchmarks/search_failures.py results/search-arc-agi-1-*/     # a run still going

Each task lands in the first reason that applies, read from the record and the search's
metadata (``size_matches``, ``best_pairs_matched``, answers found):

- solved / partly solved (some test outputs right);
- timeout, error, memory: the harness stopped the worker;
- fits the demonstrations, wrong on test: a program reproduced every demonstration
  but generalised wrongly (too simple a program, or a fitted colour map that guessed);
- some demonstrations reproduced: right sizes, but no program covers every pair;
- right output size, no demonstration reproduced;
- output size never reached: no program produced grids of the demonstrated sizes.

Also prints how many solved tasks were answered through a colour view (the first
attempt's program starts with ``[``), how deep (in primitive calls) the search got before
it stopped, and, for unsolved training tasks that have a reference program
(``data/programs/training``), how many primitive calls that program makes: a lower bound
on the reach that was missing (the search may know shorter programs; a reference program
may use non-search primitives).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from dsl import library
from dsl.program import size

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "programs" / "training"


def reason(record: dict) -> str:
    meta = record.get("metadata") or {}
    if record["status"] != "ok":
        return record["status"]
    if record.get("solved"):
        return "solved"
    if record.get("score", 0) > 0:
        return "partly solved"
    if meta.get("programs"):
        return "fits the demonstrations, wrong on test"
    if "size_matches" not in meta:
        return "unsolved (no search diagnostics in the record)"
    if meta["size_matches"] == 0:
        return "output size never reached"
    if meta.get("best_pairs_matched", 0) > 0:
        return "some demonstrations reproduced, not all"
    return "right output size, no demonstration reproduced"


def _program(record: dict) -> str:
    return (record.get("metadata") or {}).get("program") or ""


def records(path: Path) -> list[dict]:
    """The task records of a leaderboard.json, or of a run directory's finished tasks."""
    if path.is_dir():
        return [json.loads(f.read_text()) for f in sorted(path.glob("tasks/*/*.json"))]
    return json.loads(path.read_text())["tasks"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path, help="a leaderboard.json or a run directory")
    by_split: dict[str, list[dict]] = {}
    for record in records(parser.parse_args().run):
        by_split.setdefault(record["split"], []).append(record)
    for split, split_records in sorted(by_split.items()):
        print(f"{split}: {len(split_records)} tasks")
        for name, count in Counter(reason(r) for r in split_records).most_common():
            print(f"  {count:>4}  {name}")
        viewed = sum(1 for r in split_records if r.get("score", 0) > 0 and _program(r).startswith("["))
        print(f"  solved through a colour view: {viewed}")
        depths = Counter((r.get("metadata") or {}).get("max_cost_reached") for r in split_records)
        shown = ", ".join(f"{d}: {n}" for d, n in sorted(depths.items(), key=lambda x: (x[0] is None, x[0])))
        print(f"  cost reached when stopped: {shown}")
        if split == "training":
            print_reference_sizes(split_records)


SIZE_BUCKETS = ((1, 3), (4, 6), (7, 10), (11, 30), (31, 10**6))


def print_reference_sizes(split_records: list[dict]) -> None:
    """Unsolved training tasks by the size of their reference program, if they have one."""
    programs = library.load_programs(REFERENCE)
    unsolved = [r["task_id"] for r in split_records if not r.get("solved")]
    sizes = [size(programs[t]) for t in unsolved if t in programs]
    counts = [sum(lo <= n <= hi for n in sizes) for lo, hi in SIZE_BUCKETS]
    shown = ", ".join(
        f"{lo}-{hi if hi < 10**6 else ''} calls: {n}"
        for (lo, hi), n in zip(SIZE_BUCKETS, counts, strict=True)
    )
    print(f"  unsolved with a reference program: {len(sizes)} of {len(unsolved)} ({shown})")


if __name__ == "__main__":
    main()
