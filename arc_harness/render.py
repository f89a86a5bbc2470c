"""Drawing grids in the terminal with the standard ARC palette (rich renderables)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from arc_harness.tasks import Grid, Task

# The palette of the ARC testing interface, colour 0 to 9.
ARC_PALETTE = (
    "#000000",  # 0 black
    "#0074D9",  # 1 blue
    "#FF4136",  # 2 red
    "#2ECC40",  # 3 green
    "#FFDC00",  # 4 yellow
    "#AAAAAA",  # 5 grey
    "#F012BE",  # 6 magenta
    "#FF851B",  # 7 orange
    "#7FDBFF",  # 8 sky blue
    "#870C25",  # 9 maroon
)


def grid_text(grid: Grid, *, digits: bool = False) -> Text:
    """A grid as coloured cells, two characters wide so cells look square."""
    text = Text()
    for r, row in enumerate(grid.tolist()):
        if r:
            text.append("\n")
        for value in row:
            face = f"{value} " if digits else "  "
            fg = "white" if value in (0, 9) else "black"
            text.append(face, style=f"{fg} on {ARC_PALETTE[value]}")
    return text


def _labelled(label: str, grid: Grid | None, digits: bool) -> RenderableType:
    if grid is None:
        return Text(f"{label}\n?", style="dim")
    h, w = grid.shape
    return Group(Text(f"{label} {h}x{w}", style="bold"), grid_text(grid, digits=digits))


def task_view(task: Task, *, answers: bool = False, digits: bool = False) -> Table:
    """Every demonstration pair, then the test inputs (with outputs only if ``answers``)."""
    table = Table(title=f"{task.id} ({task.split})", show_header=False, box=None, padding=(0, 2))
    for i, pair in enumerate(task.train):
        table.add_row(
            _labelled(f"train {i + 1} in", pair.input, digits),
            _labelled("→ out", pair.output, digits),
        )
    for i, pair in enumerate(task.test):
        output = pair.output if answers else None
        table.add_row(
            _labelled(f"test {i + 1} in", pair.input, digits),
            _labelled("→ out", output, digits) if answers else Text("→ ?", style="dim"),
        )
    return table
