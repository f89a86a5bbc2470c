"""Ranking several runs side by side, one table per split (never blended)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from arc_harness import scoring


def solver_label(board: Mapping[str, Any]) -> str:
    solver = board["solver"]
    config = ",".join(f"{k}={v}" for k, v in sorted(solver["config"].items()))
    return f"{solver['name']}({config})" if config else solver["name"]


def rank(boards: Sequence[tuple[str, Mapping[str, Any]]], aggregation: str) -> dict[str, list[dict]]:
    """Per split, one row per run, best first by ``aggregation``."""
    if aggregation not in scoring.AGGREGATIONS:
        raise ValueError(f"unknown aggregation {aggregation!r}; choose from {scoring.AGGREGATIONS}")
    tables: dict[str, list[dict[str, Any]]] = {}
    for path, board in boards:
        for split, row in board["summary"].items():
            tables.setdefault(split, []).append(
                {
                    "run": path,
                    "solver": solver_label(board),
                    "dataset": board["dataset"]["name"],
                    "dataset_hash": board["dataset"]["content_hash"],
                    "attempts": board["rules"]["max_attempts"],
                    "time_limit_s": board["budget"]["time_limit_s"],
                    "complete": board.get("complete", True),
                    **{key: row[key] for key in (*scoring.AGGREGATIONS, "n_tasks")},
                    "time_median_s": row.get("time_median_s"),
                    "failures": row["n_error"] + row["n_timeout"] + row["n_memory"],
                }
            )
    ordered = dict(sorted(tables.items(), key=lambda kv: split_order(kv[0])))
    for rows in ordered.values():
        rows.sort(key=lambda row: -row[aggregation])
    return ordered


def split_order(split: str) -> tuple[int, str]:
    """Sort key: training, evaluation, then other splits by name."""
    return ({"training": 0, "evaluation": 1}.get(split, 2), split)


def to_markdown(tables: Mapping[str, list[dict[str, Any]]], aggregation: str) -> str:
    """Markdown tables, one per split, rows already ranked by ``aggregation``."""
    lines = []
    for split, rows in tables.items():
        lines += [
            f"### {split} (ranked by {aggregation})",
            "",
            "| # | solver | dataset | tasks | task_fraction (default) | task_solved | pair_micro "
            "| median s | failures |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for i, row in enumerate(rows, 1):
            median = "" if row["time_median_s"] is None else f"{row['time_median_s']:.4f}"
            lines.append(
                f"| {i} | {row['solver']} | {row['dataset']} | {row['n_tasks']} "
                f"| {row['task_fraction']:.2%} | {row['task_solved']:.2%} | {row['pair_micro']:.2%} "
                f"| {median} | {row['failures']} |"
            )
        lines.append("")
    return "\n".join(lines)
