"""Plots for the browser report, drawn with matplotlib and returned as inline SVG text.

Figures are built from ``matplotlib.figure.Figure`` directly, never through pyplot, so making
a report neither needs a display nor changes the process's global plotting state.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure

FIGSIZE = (4.6, 2.8)
# An SVG opened inside HTML needs neither an XML prologue nor namespace declarations; dropping
# them leaves the page free of any http(s) text, which the no-network test relies on.
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_NO_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}


def figure_svg(fig: Figure, salt: str) -> str:
    """The figure as an ``<svg>`` element for inlining; ``salt`` keeps ids unique within a page."""
    buffer = io.StringIO()
    # Element ids (clip paths) come from a hash salted per plot, as several plots share one page;
    # text stays text (not glyph paths), which keeps each plot small.
    with rc_context({"svg.hashsalt": salt, "svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", metadata=_NO_METADATA, bbox_inches="tight")
    return _NAMESPACES.sub("", _PROLOGUE.sub("", buffer.getvalue(), count=1))


def solved_curve_svg(solve_times: Sequence[float], n_tasks: int, time_limit: float, split: str) -> str:
    """Fraction of the split's tasks solved within t, for every t up to the time limit.

    ``solve_times`` holds, for each solved task, its time to the first fitting answer: one run
    at budget T gives the whole curve below T.
    """
    fig = Figure(figsize=FIGSIZE)
    ax = fig.add_subplot()
    times = np.sort(np.asarray(solve_times, dtype=float))
    # A log axis needs a positive left edge: a millisecond, or below the fastest solve.
    floor = min(1e-3, times[0] / 2) if times.size and times[0] > 0 else 1e-3
    xs = np.concatenate([[floor], np.maximum(times, floor), [max(time_limit, floor * 10)]])
    ys = np.concatenate([[0], np.arange(1, len(times) + 1), [len(times)]]) / max(n_tasks, 1)
    ax.step(xs, ys, where="post", color="#0074D9", linewidth=1.6)
    ax.axvline(time_limit, color="#888", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.set_xlim(floor, max(time_limit, floor * 10) * 1.2)
    ax.set_ylim(0, max(ys.max() * 1.15, 0.05))
    ax.set_xlabel("seconds (time to first fit; log)")
    ax.set_ylabel("fraction of tasks solved")
    ax.set_title(f"{split}: {len(times)}/{n_tasks} solved", fontsize=10)
    ax.grid(alpha=0.3)
    return figure_svg(fig, f"curve-{split}")


def time_histogram_svg(times_by_outcome: dict[str, Sequence[float]], time_limit: float, split: str) -> str:
    """Distribution of time per task, stacked by outcome (solved / failed / error)."""
    fig = Figure(figsize=FIGSIZE)
    ax = fig.add_subplot()
    colours = {"solved": "#2ECC40", "failed": "#AAAAAA", "error": "#FF4136"}
    data = [np.asarray(times_by_outcome.get(k, []), dtype=float) for k in colours]
    everything = np.concatenate(data) if data else np.array([])
    if everything.size:
        low, high = max(everything.min(), 1e-4), max(everything.max(), time_limit, 1e-3)
        bins = np.geomspace(low * 0.9, high * 1.1, 25)
        ax.hist(data, bins=bins, stacked=True, color=list(colours.values()), label=list(colours))
        ax.set_xscale("log")
        ax.legend(fontsize=8, frameon=False)
    ax.axvline(time_limit, color="#888", linestyle="--", linewidth=1)
    ax.set_xlabel("seconds per task (log)")
    ax.set_ylabel("tasks")
    ax.set_title(f"{split}: time per task", fontsize=10)
    ax.grid(alpha=0.3)
    return figure_svg(fig, f"hist-{split}")
