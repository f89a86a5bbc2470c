"""The browser report: one self-contained HTML page for a run, or comparing two runs.

The page needs no network: styles and the filter script are inline, plots are inline SVG
made with matplotlib, grids are inline SVG in the ARC palette. The report is written by the
harness, which may see answers, so each card shows the expected outputs next to the attempts.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from arc_harness import datasets, leaderboard, report_html, report_plots, results, scoring
from arc_harness.report_html import esc
from arc_harness.results import RunStore, TaskRecord
from arc_harness.tasks import Task, TaskError

log = logging.getLogger(__name__)

Key = tuple[str, str]  # (split, task id)
STATUS_FILTERS = ("solved", "failed", "error")
SUMMARY_COLUMNS = (  # (summary key, header); every value comes from the leaderboard's summary
    ("n_tasks", "tasks"),
    ("solved_tasks", "solved"),
    ("task_fraction", "task_fraction (default)"),
    ("task_solved", "task_solved"),
    ("pair_micro", "pair_micro"),
    ("time_median_s", "time median"),
    ("time_max_s", "time max"),
    ("n_error", "error"),
    ("n_timeout", "timeout"),
    ("n_memory", "memory"),
    ("n_missing", "not run"),
)


@dataclass(frozen=True)
class RunView:
    """What a report shows of one run: its leaderboard, records, and the tasks to draw."""

    root: Path
    board: dict[str, Any]  # leaderboard.json, or one rebuilt from the records of a run in progress
    records: dict[Key, TaskRecord]
    tasks: dict[str, Task]  # by id; empty when the dataset cannot be loaded
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{leaderboard.solver_label(self.board)} on {self.board['dataset']['name']}"


def _board_and_records(store: RunStore) -> tuple[dict[str, Any], dict[Key, TaskRecord]]:
    """The leaderboard when it covers every record on disk; else rebuilt from the records."""
    records = store.read_records()
    if store.leaderboard_path.exists():
        board = results.read_leaderboard(store.leaderboard_path)
        stored = {(r["split"], r["task_id"]): TaskRecord.from_json(r) for r in board["tasks"]}
        if not records or set(stored) == set(records):
            return board, stored
        log.info("%s: task records are newer than leaderboard.json; summarising them", store.root)
    # A run still in progress (or resumed) has records the leaderboard does not hold yet.
    run = store.read_run()
    n_selected = sum(len(entries) for entries in run["task_set"].values())
    return results.build_leaderboard(run, records, complete=len(records) >= n_selected), records


def _load_tasks(board: Mapping[str, Any], dataset: str | None) -> tuple[dict[str, Task], list[str]]:
    """The run's tasks, answers included, from the dataset it records (or ``dataset``)."""
    spec = dataset or board["dataset"]["source"]
    try:
        data = datasets.load_dataset(spec)
    except (datasets.DatasetError, TaskError) as err:
        return {}, [f"tasks are not drawn: {err}"]
    notes = []
    if data.content_hash != board["dataset"]["content_hash"]:
        notes.append(
            f"the dataset loaded from {spec} ({data.content_hash[:19]}…) differs from the run's "
            f"({board['dataset']['content_hash'][:19]}…): grids may not match the answers"
        )
    return {task.id: task for task in data.tasks}, notes


def load_run(run_dir: Path, dataset: str | None = None) -> RunView:
    """Read a run directory (or its leaderboard.json) and the dataset it was run on."""
    root = Path(run_dir)
    if root.is_file():
        root = root.parent
    board, records = _board_and_records(RunStore(root))
    tasks, notes = _load_tasks(board, dataset)
    return RunView(root, board, records, tasks, tuple(notes))


# --- page parts ---------------------------------------------------------------------------


def _asset(name: str) -> str:
    return resources.files("arc_harness").joinpath("report_assets", name).read_text(encoding="utf-8")


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_asset('report.css')}</style></head>"
        f"<body>{body}<script>{_asset('report.js')}</script></body></html>\n"
    )


def _fmt_summary(key: str, value: Any) -> str:
    if value is None:
        return "-"
    if key in scoring.AGGREGATIONS:
        return f"{value:.2%}"
    if key.endswith("_s"):
        return report_html.fmt_seconds(value)
    return str(value)


def summary_rows(summary: Mapping[str, Mapping[str, Any]], first: str = "") -> str:
    """Table rows, one per split (never blended); each cell names its summary key."""
    rows = []
    for split, row in summary.items():
        cells = "".join(
            f'<td data-key="{key}" data-value="{esc(row.get(key))}">{esc(_fmt_summary(key, row.get(key)))}'
            "</td>"
            for key, _ in SUMMARY_COLUMNS
        )
        lead = f'<td class="name">{esc(first)}</td>' if first else ""
        rows.append(f'<tr data-split="{esc(split)}">{lead}<td class="name">{esc(split)}</td>{cells}</tr>')
    return "".join(rows)


def summary_table(rows: str, *, with_run: bool = False) -> str:
    heads = "".join(f"<th>{esc(title)}</th>" for _, title in SUMMARY_COLUMNS)
    run_head = "<th>run</th>" if with_run else ""
    return f'<table class="summary" id="summary"><tr>{run_head}<th>split</th>{heads}</tr>{rows}</table>'


def _run_info(view: RunView) -> str:
    board = view.board
    budget, dataset = board["budget"], board["dataset"]
    memory = f"{budget['memory_limit_mb']:g} MB" if budget.get("memory_limit_mb") else "no memory cap"
    state = "complete" if board.get("complete", True) else "incomplete (summary of the records so far)"
    lines = [
        f"dataset {dataset['name']} · {dataset['version']} · {dataset['content_hash'][:19]}…",
        f"{board['rules']['max_attempts']} attempts · {budget['time_limit_s']:g} s per task · {memory} · "
        f"{budget['workers']} workers · seed {board['seed']}",
        f"started {board.get('started_at')} · finished {board.get('finished_at') or '-'} · {state}",
        f"harness {board['harness']['version']} @ {board['harness'].get('git_commit') or '-'} · {view.root}",
    ]
    notes = "".join(f"<li>{esc(n)}</li>" for n in view.notes)
    return "".join(f'<p class="runinfo">{esc(line)}</p>' for line in lines) + (
        f'<ul class="notes">{notes}</ul>' if notes else ""
    )


def _solve_time(record: TaskRecord) -> float:
    first_fit = report_html.first_fit_seconds(record)
    return record.time_s if first_fit is None else first_fit


def plots(view: RunView) -> str:
    """Per split: the fraction solved against time, and the distribution of time per task."""
    time_limit = float(view.board["budget"]["time_limit_s"])
    rows = []
    for split, row in view.board["summary"].items():
        records = [r for (s, _), r in sorted(view.records.items()) if s == split]
        solved = [_solve_time(r) for r in records if r.solved]
        by_outcome: dict[str, list[float]] = {}
        for record in records:
            by_outcome.setdefault(report_html.category(record), []).append(record.time_s)
        figures = (
            report_plots.solved_curve_svg(solved, row["n_tasks"], time_limit, split),
            report_plots.time_histogram_svg(by_outcome, time_limit, split),
        )
        rows.append(
            '<div class="plotrow">' + "".join(f"<figure>{svg}</figure>" for svg in figures) + "</div>"
        )
    return '<div class="plots">' + "".join(rows) + "</div>"


def filters(splits: Sequence[str], statuses: Sequence[tuple[str, str]]) -> str:
    """Status buttons (each with a live count), split buttons and the task id search box."""
    status = "".join(
        _button(value, f'{esc(label)}<span class="n"></span>') for value, label in (("", "all"), *statuses)
    )
    split = "".join(_button(value, esc(value or "all splits")) for value in ("", *splits))
    return (
        f'<nav id="filters"><div class="group" data-filter="status">{status}</div>'
        f'<div class="group" data-filter="split">{split}</div>'
        '<input id="search" type="search" placeholder="search task id" aria-label="search task id">'
        '<span id="shown"></span></nav>'
    )


def _button(value: str, label_html: str) -> str:
    on = ' class="on"' if not value else ""  # "all" starts selected
    return f'<button data-value="{esc(value)}"{on}>{label_html}</button>'


def _ordered(keys: Iterable[Key]) -> list[Key]:
    return sorted(keys, key=lambda k: (leaderboard.split_order(k[0]), k[1]))


# --- pages ----------------------------------------------------------------------------------


def report_page(view: RunView) -> str:
    """The page for one run: summary, plots, filters, and a card per finished task."""
    cards = "".join(
        report_html.task_card(view.records[key], view.tasks.get(key[1])) for key in _ordered(view.records)
    )
    body = (
        f'<header class="top"><h1>{esc(view.label)}</h1>{_run_info(view)}</header>'
        f"<section><h2>Summary per split</h2>{summary_table(summary_rows(view.board['summary']))}</section>"
        f"<section><h2>Time</h2>{plots(view)}</section>"
        f"{filters(list(view.board['summary']), [(s, s) for s in STATUS_FILTERS])}"
        f"<main>{cards}</main>"
    )
    return _page(f"arc-eval report: {view.label}", body)


@dataclass(frozen=True)
class Comparison:
    """Tasks of two runs by which one solved them."""

    a_only: list[Key]
    b_only: list[Key]
    both: list[Key]
    neither: list[Key]


def compare_runs(a: Mapping[Key, TaskRecord], b: Mapping[Key, TaskRecord], keys: Sequence[Key]) -> Comparison:
    """Split ``keys`` by which run solved each task (a task a run has no record of is unsolved)."""
    groups: dict[tuple[bool, bool], list[Key]] = {}
    for key in _ordered(keys):
        solved = (key in a and a[key].solved, key in b and b[key].solved)
        groups.setdefault(solved, []).append(key)
    return Comparison(
        groups.get((True, False), []),
        groups.get((False, True), []),
        groups.get((True, True), []),
        groups.get((False, False), []),
    )


def _task_keys(view: RunView) -> set[Key]:
    return {(split, e["id"]) for split, entries in view.board["task_set"].items() for e in entries}


def _compare_counts(comparison: Comparison) -> str:
    groups = ("a_only", "b_only", "both", "neither")
    counts = {name: Counter(split for split, _ in getattr(comparison, name)) for name in groups}
    splits = sorted({split for counter in counts.values() for split in counter}, key=leaderboard.split_order)
    rows = "".join(
        f'<tr data-split="{esc(split)}"><td class="name">{esc(split)}</td>'
        + "".join(f'<td data-key="{name}">{counts[name][split]}</td>' for name in groups)
        + "</tr>"
        for split in splits
    )
    return (
        '<table class="summary" id="compare-counts"><tr><th>split</th><th>solved by A only</th>'
        f"<th>solved by B only</th><th>both</th><th>neither</th></tr>{rows}</table>"
    )


def compare_page(a: RunView, b: RunView) -> str:
    """Tasks one run solves and the other does not, per split, their answers side by side."""
    comparison = compare_runs(a.records, b.records, list(_task_keys(a) | _task_keys(b)))
    tasks = {**b.tasks, **a.tasks}
    notes = list(a.notes) + list(b.notes)
    if a.board["dataset"]["content_hash"] != b.board["dataset"]["content_hash"]:
        notes.append("the two runs were made on different data (content hashes differ)")
    cards = [
        report_html.compare_card(key, side, [a.records.get(key), b.records.get(key)], tasks.get(key[1]))
        for side, keys in (("a-only", comparison.a_only), ("b-only", comparison.b_only))
        for key in keys
    ]
    splits = sorted({k[0] for k in _task_keys(a) | _task_keys(b)}, key=leaderboard.split_order)
    runs = "".join(
        f'<p class="runinfo"><b>{n}</b>: {esc(v.label)} · {esc(v.root)}</p>'
        for n, v in zip("AB", (a, b), strict=True)
    )
    both_rows = summary_rows(a.board["summary"], "A") + summary_rows(b.board["summary"], "B")
    body = (
        f'<header class="top"><h1>Comparing two runs</h1>{runs}'
        + (f'<ul class="notes">{"".join(f"<li>{esc(n)}</li>" for n in notes)}</ul>' if notes else "")
        + "</header>"
        f"<section><h2>Summary per split</h2>"
        f"{summary_table(both_rows, with_run=True)}"
        f"<h2>Which run solves what</h2>{_compare_counts(comparison)}</section>"
        f"{filters(splits, [('a-only', 'A only'), ('b-only', 'B only')])}"
        f"<main>{''.join(cards)}</main>"
    )
    return _page(f"arc-eval compare: {a.label} vs {b.label}", body)


def write_report(run_dir: Path, out: Path | None = None, dataset: str | None = None) -> Path:
    """Write the report of one run (default RUN_DIR/report.html) and return its path."""
    view = load_run(run_dir, dataset)
    path = Path(out) if out is not None else view.root / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report_page(view), encoding="utf-8")
    return path


def write_compare(run_a: Path, run_b: Path, out: Path | None = None, dataset: str | None = None) -> Path:
    """Write the comparison page (default RUN_A/compare-<RUN_B name>.html) and return its path."""
    a, b = load_run(run_a, dataset), load_run(run_b, dataset)
    path = Path(out) if out is not None else a.root / f"compare-{b.root.resolve().name}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(compare_page(a, b), encoding="utf-8")
    return path
