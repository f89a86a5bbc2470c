"""The browser report, the comparison page and task pictures, built from real runs on data/tasks."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from grid_strategies import grids
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image
from report_runs import CRASHES_ON, DATA, HANGS_ON, invoke, make_fitted_run, make_run

from arc_harness import report, report_html

CARD = re.compile(r'<article class="card" data-id="([^"]+)" data-split="([^"]+)" data-status="([^"]+)"')
SUMMARY_CELL = re.compile(r'<td data-key="(\w+)" data-value="([^"]*)">')
# Anything a browser would fetch: absolute URLs, protocol-relative ones, external scripts and styles.
EXTERNAL = re.compile(r"https?://|\ssrc=|<link\b|@import|url\(\s*['\"]?(?!#)", re.I)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    identity = make_run(root / "identity", "identity")
    fitted = make_fitted_run(root / "fitted")
    return root, identity, fitted


def cards(page: str) -> dict[str, tuple[str, str]]:
    return {task_id: (split, status) for task_id, split, status in CARD.findall(page)}


def summary_cells(page: str) -> dict[str, dict[str, str]]:
    """Per split, the summary table's cells by key (raw values, as the page carries them)."""
    rows = re.findall(
        r'<tr data-split="([^"]+)">(.*?)</tr>', page.split('id="summary"')[1].split("</table>")[0]
    )
    return {split: dict(SUMMARY_CELL.findall(row)) for split, row in rows}


def test_report_counts_match_the_leaderboard(runs):
    root, _, board = runs
    page = report.write_report(root / "fitted").read_text()
    shown = summary_cells(page)
    assert list(shown) == ["training", "evaluation"]  # one row per split, never blended
    for split, row in board["summary"].items():
        assert len(shown[split]) == len(report.SUMMARY_COLUMNS)
        for key, value in shown[split].items():
            assert value == str(row[key]), (split, key)
    on_cards = cards(page)
    assert len(on_cards) == len(board["tasks"])
    for split, row in board["summary"].items():
        statuses = [status for s, status in on_cards.values() if s == split]
        assert statuses.count("solved") == row["solved_tasks"]
        assert statuses.count("error") == row["n_error"] + row["n_timeout"] + row["n_memory"]


def test_cards_show_failures_programs_and_stats(runs):
    root, _, board = runs
    page = report.write_report(root / "fitted", root / "fitted.html").read_text()
    assert cards(page)[CRASHES_ON][1] == "error" and cards(page)[HANGS_ON][1] == "error"
    crashed = page.split(f'data-id="{CRASHES_ON}"')[1].split("</article>")[0]
    assert "boom on copy-scattered-dots" in crashed and '<span class="badge error">error</span>' in crashed
    hung = page.split(f'data-id="{HANGS_ON}"')[1].split("</article>")[0]
    assert '<span class="badge error">timeout</span>' in hung
    flipped = page.split('data-id="flip-horizontal-bars"')[1].split("</article>")[0]
    assert '<pre class="program" title="program 1">O = flip_horizontal(I)</pre>' in flipped
    assert "<b>stats.nodes_expanded</b>=8" in flipped and "stats.first_fit_seconds" in flipped
    assert "✓ attempt 1" in flipped and 'class="cell expected"' in flipped
    assert "task_fraction (default)" in page and "<svg" in page.split('id="summary"')[1]


def test_diff_highlights_exactly_the_differing_cells():
    expected = np.array([[1, 2, 3], [4, 5, 6]])
    attempt = np.array([[1, 0, 3], [4, 5, 9]])
    figure = report_html.attempt_figure(1, attempt.tolist(), expected)
    assert "✗ attempt 1" in figure and "2 cells differ" in figure
    assert marked_cells(figure) == {(0, 1), (1, 2)}
    right = report_html.attempt_figure(2, expected.tolist(), expected)
    assert "✓ attempt 2" in right and marked_cells(right) == set()
    wrong_shape = report_html.attempt_figure(1, [[1, 2]], expected)
    assert "shape 1x2, expected 2x3" in wrong_shape and marked_cells(wrong_shape) == set()


def marked_cells(svg: str) -> set[tuple[int, int]]:
    """The (row, column) of each diff mark: each is a square starting inside its cell."""
    paths = re.findall(r'<path class="diff" d="([^"]*)"', svg)
    starts = re.findall(r"M([\d.]+) ([\d.]+)", "".join(paths))
    return {(int(float(y)), int(float(x))) for x, y in starts}


@given(grids(1, 12), st.data())
def test_diff_marks_exactly_the_changed_cells(grid, data):
    mask = data.draw(hnp.arrays(np.bool_, grid.shape))
    shift = data.draw(st.integers(1, 9))
    attempt = np.where(mask, (grid + shift) % 10, grid)
    changed = {(int(r), int(c)) for r, c in zip(*np.nonzero(mask), strict=True)}
    diff = report_html.diff_cells(attempt, grid)
    assert set(diff) == changed
    assert marked_cells(report_html.grid_svg(attempt, diff=diff)) == changed


def test_grid_svg_draws_every_cell_in_its_colour():
    grid = np.array([[0, 1, 1, 9], [2, 2, 0, 9]])
    svg = report_html.grid_svg(grid)
    painted = {}
    for colour, d in re.findall(r'<path class="c(\d)" d="([^"]*)"', svg):
        for x, y, n in re.findall(r"M(\d+) (\d+)\.5h(\d+)", d):
            for dx in range(int(n)):
                painted[(int(y), int(x) + dx)] = int(colour)
    assert painted == {(r, c): int(v) for (r, c), v in np.ndenumerate(grid) if v}  # 0 is the background


def test_compare_lists_the_tasks_one_run_solves(runs):
    root, identity, fitted = runs
    out = root / "compare.html"
    result = invoke("report", "--compare", root / "identity", root / "fitted", "--out", out)
    assert result.exit_code == 0, result.output
    page = out.read_text()
    solved_a = {r["task_id"] for r in identity["tasks"] if r["solved"]}
    solved_b = {r["task_id"] for r in fitted["tasks"] if r["solved"]}
    on_cards = cards(page)
    assert {t for t, (_, side) in on_cards.items() if side == "a-only"} == solved_a - solved_b == {CRASHES_ON}
    b_only = {t for t, (_, side) in on_cards.items() if side == "b-only"}
    assert b_only == solved_b - solved_a and "flip-vertical-columns" in b_only
    assert on_cards["flip-vertical-columns"][0] == "evaluation"
    card = page.split('data-id="flip-vertical-columns"')[1].split("</article>")[0]
    assert card.count('<div class="side">') == 2 and "run A" in card and "run B" in card
    table = page.split('id="compare-counts"')[1].split("</table>")[0]
    for split in ("training", "evaluation"):
        row = dict(
            re.findall(
                r'<td data-key="(\w+)">(\d+)</td>', table.split(f'data-split="{split}"')[1].split("</tr>")[0]
            )
        )
        sides = [side for s, side in on_cards.values() if s == split]
        assert int(row["a_only"]) == sides.count("a-only") and int(row["b_only"]) == sides.count("b-only")


def test_pages_need_no_network(runs):
    root, _, _ = runs
    pages = [
        report.write_report(root / "fitted", root / "offline.html").read_text(),
        report.write_compare(root / "identity", root / "fitted", root / "offline-compare.html").read_text(),
    ]
    for page in pages:
        assert page.startswith("<!doctype html>") and "<script>" in page and "<style>" in page
        assert EXTERNAL.findall(page) == []


def test_a_run_in_progress_is_summarised_from_its_records(runs, tmp_path):
    root, _, board = runs
    partial = tmp_path / "partial"
    shutil.copytree(root / "fitted", partial)
    (partial / "leaderboard.json").unlink()
    (partial / "tasks" / "evaluation" / "transpose-staircase.json").unlink()
    view = report.load_run(partial)
    assert not view.board["complete"]
    # Times: the leaderboard's medians come from unrounded times, the records hold rounded ones.
    untimed = [
        {k: v for k, v in s["summary"]["training"].items() if not k.startswith("time_")}
        for s in (view.board, board)
    ]
    assert untimed[0] == untimed[1]
    assert view.board["summary"]["evaluation"]["n_missing"] == 1
    page = report.report_page(view)
    assert "incomplete" in page and "transpose-staircase" not in cards(page)


def test_a_report_without_its_tasks_still_shows_the_answers(runs):
    root, _, board = runs
    view = report.load_run(root / "fitted" / "leaderboard.json", dataset="/no/such/place")
    assert view.tasks == {} and "tasks are not drawn" in view.notes[0]
    page = report.report_page(view)
    assert len(cards(page)) == len(board["tasks"]) and "task not in the dataset" in page
    assert "O = flip_horizontal(I)" in page


def test_report_command_usage_errors(runs):
    root, _, _ = runs
    one = invoke("report", "--compare", root / "identity")
    assert one.exit_code == 2 and "two with --compare" in one.output
    missing = invoke("report", root / "nowhere")
    assert missing.exit_code == 2 and "no such file" in missing.output


@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_show_out_writes_a_picture(tmp_path, suffix):
    out = tmp_path / f"task.{suffix}"
    result = invoke("show", "draw-fixed-cross", "--dataset", DATA, "--answers", "--out", out)
    assert result.exit_code == 0, result.output
    if suffix == "svg":
        assert ET.parse(out).getroot().tag.endswith("svg")
    else:
        with Image.open(out) as image:
            assert image.format == "PNG" and image.width > 100 and image.height > 100


def test_show_out_refuses_an_unknown_picture_type(tmp_path):
    result = invoke("show", "draw-fixed-cross", "--dataset", DATA, "--out", tmp_path / "task.txt")
    assert result.exit_code == 2 and ".svg, .png or .pdf" in result.output
