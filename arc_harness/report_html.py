"""HTML pieces of the browser report: grids as compact inline SVG, attempts with their diffs, metadata.

A report may hold 800 tasks of up to ten grids each, so a grid is drawn with one ``<path>``
per colour (a run of equal cells is one stroke) rather than one element per cell: the
page stays a few elements per grid however large the grids are.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from arc_harness.results import TaskRecord
from arc_harness.tasks import Task

Cell = tuple[int, int]

# Widest a grid may be drawn; cells stay between MIN_CELL and MAX_CELL pixels on a side.
GRID_BOX_PX = 160
MIN_CELL, MAX_CELL = 4, 20
# Below this cell size grid lines would hide the colours.
MIN_CELL_FOR_LINES = 8
METADATA_VALUE_CHARS = 160


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def cell_px(height: int, width: int) -> int:
    """Pixels per cell so that the grid fits the box, readable at a glance."""
    return max(MIN_CELL, min(MAX_CELL, GRID_BOX_PX // max(height, width)))


def diff_cells(attempt: Any, expected: Any) -> list[Cell] | None:
    """(row, column) of every cell where ``attempt`` differs from ``expected``; None if shapes differ.

    >>> diff_cells([[1, 2], [3, 4]], [[1, 0], [3, 0]])
    [(0, 1), (1, 1)]
    """
    a, b = np.asarray(attempt), np.asarray(expected)
    if a.shape != b.shape:
        return None
    return [(int(r), int(c)) for r, c in zip(*np.nonzero(a != b), strict=True)]


def _colour_paths(grid: np.ndarray) -> dict[int, str]:
    """Path data per colour, one stroke per horizontal run of equal cells; 0 is the background.

    A run is a line one cell thick through the middle of its row (stroke-width 1), which takes
    half the bytes of a filled rectangle: a page of 800 tasks holds thousands of grids.
    """
    paths: dict[int, list[str]] = {}
    for y, row in enumerate(grid.tolist()):
        x = 0
        while x < len(row):
            colour, start = row[x], x
            while x < len(row) and row[x] == colour:
                x += 1
            if colour:
                n = x - start
                paths.setdefault(colour, []).append(f"M{start} {y}.5h{n}")
    return {colour: "".join(parts) for colour, parts in sorted(paths.items())}


def _lines_path(height: int, width: int) -> str:
    rows = "".join(f"M0 {y}h{width}" for y in range(1, height))
    cols = "".join(f"M{x} 0v{height}" for x in range(1, width))
    return rows + cols


def cells_path(cells: Iterable[Cell]) -> str:
    """Path data for a dot in the middle of each cell (square caps on a zero-length line)."""
    return "".join(f"M{c}.5 {r}.5h0" for r, c in cells)


def grid_svg(grid: Any, *, diff: Sequence[Cell] = ()) -> str:
    """A grid as inline SVG in the ARC palette (classes c1..c9), with a dot on each ``diff`` cell."""
    cells = np.asarray(grid)
    height, width = cells.shape
    px = cell_px(height, width)
    parts = [f'<svg class="grid" viewBox="0 0 {width} {height}" width="{width * px}" height="{height * px}">']
    parts += [f'<path class="c{colour}" d="{d}"/>' for colour, d in _colour_paths(cells).items()]
    if px >= MIN_CELL_FOR_LINES and max(height, width) > 1:
        parts.append(f'<path class="gl" d="{_lines_path(height, width)}"/>')
    if diff:
        marks = cells_path(diff)
        # A light dot ringed in black shows on every palette colour and leaves the cell's colour
        # visible around it.
        parts.append(f'<path class="dk" d="{marks}"/><path class="diff" d="{marks}"/>')
    parts.append("</svg>")
    return "".join(parts)


def labelled_grid(
    label: str, grid: Any, *, extra_class: str = "", diff: Sequence[Cell] = (), note: str = ""
) -> str:
    cells = np.asarray(grid)
    height, width = cells.shape
    below = f'<div class="note">{esc(note)}</div>' if note else ""
    return (
        f'<figure class="cell {extra_class}"><figcaption>{esc(label)} <small>{height}x{width}</small>'
        f"</figcaption>{grid_svg(cells, diff=diff)}{below}</figure>"
    )


def missing_grid(label: str, why: str) -> str:
    return f'<figure class="cell none"><figcaption>{esc(label)}</figcaption><div>{esc(why)}</div></figure>'


def demonstrations(task: Task) -> str:
    pairs = [
        '<div class="pair">'
        + labelled_grid(f"train {i + 1} in", pair.input)
        + '<span class="arrow">→</span>'
        + labelled_grid("out", pair.output)
        + "</div>"
        for i, pair in enumerate(task.train)
    ]
    return f'<div class="pairs">{"".join(pairs)}</div>'


def attempt_figure(number: int, attempt: Any, expected: Any | None) -> str:
    """One attempt with a correct/wrong mark; wrong cells dotted when the shape is right."""
    label = f"attempt {number}"
    if attempt is None:
        return missing_grid(f"✗ {label}", "invalid (see below)")
    if expected is None:  # the task could not be loaded: the record's verdict is all there is
        return labelled_grid(label, attempt)
    diff = diff_cells(attempt, expected)
    if diff == []:
        return labelled_grid(f"✓ {label}", attempt, extra_class="right")
    if diff is None:
        (height, width), (want_h, want_w) = np.shape(attempt), np.shape(expected)
        note = f"shape {height}x{width}, expected {want_h}x{want_w}"
    else:
        note = f"{len(diff)} cell{'s' if len(diff) != 1 else ''} differ"
    return labelled_grid(f"✗ {label}", attempt, extra_class="wrong", diff=diff or (), note=note)


def attempts_row(test: Mapping[str, Any], expected: Any | None) -> str:
    """Every stored attempt of one test input, then the reasons any were invalid."""
    figures = [attempt_figure(i + 1, a, expected) for i, a in enumerate(test["attempts"])]
    invalid = "".join(f"<li>{esc(reason)}</li>" for reason in test.get("invalid", []))
    if not figures and not invalid:
        figures.append(missing_grid("no attempt", "the solver gave none"))
    return f'<div class="attempts">{"".join(figures)}</div>' + (
        f'<ul class="invalid">{invalid}</ul>' if invalid else ""
    )


def input_and_expected(task: Task | None, index: int) -> str:
    """The test input and its expected output (the harness may see answers)."""
    if task is None or index >= len(task.test):
        return missing_grid(f"test {index + 1} in", "task not in the dataset")
    pair = task.test[index]
    expected = (
        labelled_grid("expected", pair.output, extra_class="expected")
        if pair.output is not None
        else missing_grid("expected", "not available")
    )
    return labelled_grid(f"test {index + 1} in", pair.input) + '<span class="arrow">→</span>' + expected


def expected_output(task: Task | None, index: int) -> Any | None:
    if task is None or index >= len(task.test):
        return None
    return task.test[index].output


def status_badge(record: TaskRecord | None) -> str:
    if record is None:
        return '<span class="badge missing">not run</span>'
    if record.status != "ok":
        return f'<span class="badge error">{esc(record.status)}</span>'
    if record.solved:
        return '<span class="badge solved">solved</span>'
    n_right = sum(bool(t["correct"]) for t in record.tests)
    partial = f" {n_right}/{len(record.tests)}" if n_right else ""
    return f'<span class="badge failed">failed{partial}</span>'


def category(record: TaskRecord) -> str:
    """The filter a card answers to: solved, failed (ran, wrong) or error (error/timeout/memory)."""
    if record.status != "ok":
        return "error"
    return "solved" if record.solved else "failed"


def first_fit_seconds(record: TaskRecord) -> float | None:
    """The solver's time to its first fitting answer, wherever its metadata keeps it."""
    stats = record.metadata.get("stats")
    for source in (record.metadata, stats if isinstance(stats, Mapping) else {}):
        value = source.get("first_fit_seconds")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def fmt_seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def _fmt_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return text if len(text) <= METADATA_VALUE_CHARS else text[: METADATA_VALUE_CHARS - 1] + "…"


def _programs(metadata: Mapping[str, Any]) -> list[str]:
    found = [p for p in metadata.get("programs") or [] if isinstance(p, str)]
    single = metadata.get("program")
    if isinstance(single, str) and single not in found:
        found.insert(0, single)
    return found


def metadata_block(metadata: Mapping[str, Any]) -> str:
    """Program text in full, every other field compactly as key=value (dicts one level deep)."""
    programs = "".join(
        f'<pre class="program" title="program {i + 1}">{esc(p)}</pre>'
        for i, p in enumerate(_programs(metadata))
    )
    pairs: list[tuple[str, Any]] = []
    for key, value in metadata.items():
        if key in ("program", "programs"):
            continue
        if isinstance(value, Mapping):
            pairs += [(f"{key}.{k}", v) for k, v in value.items()]
        else:
            pairs.append((key, value))
    fields = " ".join(f"<span><b>{esc(k)}</b>={esc(_fmt_value(v))}</span>" for k, v in pairs)
    if not programs and not fields:
        return ""
    return f'<div class="meta">{programs}{f"<p>{fields}</p>" if fields else ""}</div>'


def run_facts(record: TaskRecord) -> str:
    return (
        f'<span class="facts">score {record.score:.2f} · time {fmt_seconds(record.time_s)} · '
        f"first fit {fmt_seconds(first_fit_seconds(record))}</span>"
    )


def _error(record: TaskRecord) -> str:
    return f'<pre class="err">{esc(record.error)}</pre>' if record.error else ""


def record_block(record: TaskRecord | None, task: Task | None) -> str:
    """One run's side of a compared task: status, error, per-test attempts and metadata."""
    if record is None:
        return '<div class="run"><p class="muted">not run</p></div>'
    tests = "".join(
        f'<div class="test"><h4>test {i + 1}</h4>{attempts_row(test, expected_output(task, i))}</div>'
        for i, test in enumerate(record.tests)
    )
    head = f'<p class="line">{status_badge(record)} {run_facts(record)}</p>'
    return f'<div class="run">{head}{_error(record)}{tests}{metadata_block(record.metadata)}</div>'


def task_card(record: TaskRecord, task: Task | None) -> str:
    """A task's card: demonstrations, then each test input, its expected output and the attempts."""
    body = demonstrations(task) if task is not None else '<p class="muted">task not in the dataset</p>'
    tests = "".join(
        f'<div class="test"><div class="pair">{input_and_expected(task, i)}</div>'
        f"<div>{attempts_row(test, expected_output(task, i))}</div></div>"
        for i, test in enumerate(record.tests)
    )
    return (
        f'<article class="card" data-id="{esc(record.task_id)}" data-split="{esc(record.split)}" '
        f'data-status="{category(record)}"><h3>{esc(record.task_id)} <small>{esc(record.split)}</small> '
        f"{status_badge(record)} {run_facts(record)}</h3>{body}{tests}{_error(record)}"
        f"{metadata_block(record.metadata)}</article>"
    )


def compare_card(
    key: tuple[str, str], side: str, records: Sequence[TaskRecord | None], task: Task | None
) -> str:
    """A task two runs disagree on: the task once, then each run's answers side by side."""
    split, task_id = key
    n_tests = max((len(r.tests) for r in records if r is not None), default=1)
    inputs = "".join(f'<div class="pair">{input_and_expected(task, i)}</div>' for i in range(n_tests))
    body = demonstrations(task) if task is not None else '<p class="muted">task not in the dataset</p>'
    columns = "".join(
        f'<div class="side"><h4>run {label}</h4>{record_block(r, task)}</div>'
        for label, r in zip("AB", records, strict=True)
    )
    return (
        f'<article class="card" data-id="{esc(task_id)}" data-split="{esc(split)}" data-status="{side}">'
        f"<h3>{esc(task_id)} <small>{esc(split)}</small> solved by {side[0].upper()} only</h3>"
        f'{body}<div class="pairs">{inputs}</div><div class="sides">{columns}</div></article>'
    )
