"""A task as a picture file (SVG, PNG or PDF) in the ARC palette, drawn with matplotlib."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from arc_harness.render import ARC_PALETTE
from arc_harness.tasks import Grid, Task

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FORMATS = ("svg", "png", "pdf")
PANEL_INCHES = 1.6


class PictureError(ValueError):
    """A picture that cannot be written (an unknown file type); the message says why."""


def _draw_grid(ax: Axes, grid: Grid, title: str) -> None:
    from matplotlib.colors import ListedColormap  # lazily, as in task_figure

    height, width = grid.shape
    ax.imshow(
        grid, cmap=ListedColormap(ARC_PALETTE), vmin=0, vmax=len(ARC_PALETTE) - 1, interpolation="nearest"
    )
    # Cell borders as in the ARC interface: thin grey lines between cells.
    ax.set_xticks(np.arange(-0.5, width, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, height, 1), minor=True)
    ax.grid(which="minor", color="#555555", linewidth=0.5)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    ax.set_title(f"{title} {height}x{width}", fontsize=8)


def _draw_unknown(ax: Axes, title: str) -> None:
    ax.text(0.5, 0.5, "?", ha="center", va="center", fontsize=24, color="#888888")
    ax.set_title(title, fontsize=8)
    ax.set_xticks([])
    ax.set_yticks([])


def task_figure(task: Task, *, answers: bool = False) -> Figure:
    """One row per pair, input left and output right; test outputs only with ``answers``."""
    # Imported here: matplotlib takes over half a second to import, and every arc-eval command
    # imports this module through the CLI while only pictures need it.
    from matplotlib.figure import Figure

    rows = [(f"train {i + 1}", p.input, p.output) for i, p in enumerate(task.train)]
    rows += [(f"test {i + 1}", p.input, p.output if answers else None) for i, p in enumerate(task.test)]
    fig = Figure(figsize=(2 * PANEL_INCHES, PANEL_INCHES * len(rows) + 0.4))
    fig.suptitle(f"{task.id} ({task.split})", fontsize=10)
    axes = fig.subplots(len(rows), 2, squeeze=False)
    for (label, grid_in, grid_out), (ax_in, ax_out) in zip(rows, axes, strict=True):
        _draw_grid(ax_in, grid_in, f"{label} in")
        if grid_out is None:
            _draw_unknown(ax_out, f"{label} out")
        else:
            _draw_grid(ax_out, grid_out, f"{label} out")
    fig.tight_layout()
    return fig


def save_task_picture(task: Task, path: Path, *, answers: bool = False) -> Path:
    """Write the task's picture; the file type comes from the suffix."""
    kind = Path(path).suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise PictureError(f"{path}: cannot tell the picture type; use a .svg, .png or .pdf name")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    task_figure(task, answers=answers).savefig(path, format=kind, dpi=150)
    return path
