"""Rich views for the CLI: the live progress bar and the result tables."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from rich import box
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from arc_harness.results import TaskRecord


def _fmt_seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.1f}ms" if value < 1 else f"{value:.2f}s"


def split_table(board: Mapping[str, Any]) -> Table:
    """One row per split: never a blended total. Fits an 80-column terminal."""
    solver = board["solver"]
    title = (
        f"{solver['name']} on {board['dataset']['name']} · {board['rules']['max_attempts']} attempts"
        f" · {board['budget']['time_limit_s']:g}s/task"
        + ("" if board.get("complete", True) else " · [yellow]incomplete[/]")
    )
    table = Table(
        title=title,
        box=box.SIMPLE_HEAVY,
        padding=(0, 1),
        pad_edge=False,
        collapse_padding=True,
        caption="* default aggregation · failures: error/timeout/memory",
    )
    headers = (
        "split",
        "tasks",
        "task\nfraction*",
        "task\nsolved",
        "pair\nmicro",
        "time\nmedian",
        "time\nmax",
        "failures",
        "not\nrun",
    )
    for header in headers:
        table.add_column(header, justify="left" if header == "split" else "right", no_wrap=True)
    for split, row in board["summary"].items():
        table.add_row(
            split,
            str(row["n_tasks"]),
            f"{row['task_fraction']:.1%}",
            f"{row['task_solved']:.1%} ({row['solved_tasks']})",
            f"{row['pair_micro']:.1%}",
            _fmt_seconds(row["time_median_s"]),
            _fmt_seconds(row["time_max_s"]),
            f"{row['n_error']}/{row['n_timeout']}/{row['n_memory']}",
            str(row["n_missing"]),
        )
    return table


def ranking_tables(tables: Mapping[str, list[dict[str, Any]]], by: str) -> list[Table]:
    out = []
    for split, rows in tables.items():
        table = Table(title=f"{split} · ranked by {by}")
        for column in (
            "#",
            "solver",
            "dataset",
            "tasks",
            "task_fraction (default)",
            "task_solved",
            "pair_micro",
            "median",
            "failures",
            "run",
        ):
            table.add_column(column)
        for i, row in enumerate(rows, 1):
            table.add_row(
                str(i),
                row["solver"],
                row["dataset"],
                str(row["n_tasks"]),
                f"{row['task_fraction']:.2%}",
                f"{row['task_solved']:.2%}",
                f"{row['pair_micro']:.2%}",
                _fmt_seconds(row["time_median_s"]),
                str(row["failures"]),
                row["run"] + ("" if row["complete"] else " (incomplete)"),
            )
        out.append(table)
    return out


@contextlib.contextmanager
def progress_reporter(
    console: Console,
    run: Mapping[str, Any],
    done: Mapping[tuple[str, str], TaskRecord],
    retry_failed: bool,
) -> Iterator[Callable[[TaskRecord], None]]:
    """A live bar with solved counts per split and an ETA; yields the per-record callback."""
    totals = {split: len(entries) for split, entries in run["task_set"].items()}
    kept = {k: r for k, r in done.items() if not (retry_failed and r.failed)}
    solved = {split: 0 for split in totals}
    for (split, _), record in kept.items():
        solved[split] += record.solved
    to_run = sum(totals.values()) - len(kept)

    def describe() -> str:
        return " · ".join(f"{s} {solved[s]}/{totals[s]} solved" for s in totals)

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )
    with progress:
        bar = progress.add_task(describe(), total=to_run)

        def on_record(record: TaskRecord) -> None:
            solved[record.split] = solved.get(record.split, 0) + record.solved
            progress.update(bar, advance=1, description=describe())

        yield on_record
