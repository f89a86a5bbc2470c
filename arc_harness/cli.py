"""The ``arc-eval`` command line: each command builds a config and calls the library."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from arc_harness import (
    cli_dsl,
    cli_guide,
    datasets,
    leaderboard,
    picture,
    provenance,
    rescore,
    results,
    runner,
    scoring,
)
from arc_harness import solvers as solver_api
from arc_harness import submission as kaggle
from arc_harness.executor import ExecutorError, SolverStartupError, check_executor
from arc_harness.tasks import TaskError
from arc_harness.views import progress_reporter, ranking_tables, split_table

app = typer.Typer(
    rich_markup_mode="rich",
    no_args_is_help=True,
    help="Benchmark ARC-AGI solvers: official scoring, per split, with reproducible results files.",
)
app.add_typer(cli_dsl.app, name="dsl")
app.add_typer(cli_guide.app, name="guide")
console = Console()
err_console = Console(stderr=True)

USER_ERRORS: tuple[type[Exception], ...] = (
    datasets.DatasetError,
    TaskError,
    solver_api.SolverNotFound,
    solver_api.SolverConfigError,
    runner.RunError,
    results.ResultsError,
    kaggle.SubmissionError,
    SolverStartupError,
    ExecutorError,
    picture.PictureError,
    FileNotFoundError,
)

DatasetOpt = Annotated[
    str,
    typer.Option(
        "--dataset",
        "-d",
        help="arc-agi-1, arc-agi-2, a folder of task JSON files, or a Kaggle *_challenges.json.",
    ),
]
SplitOpt = Annotated[
    str | None,
    typer.Option("--split", "-s", help="training or evaluation (alias: validation); default: all."),
]
AttemptsOpt = Annotated[int, typer.Option("--attempts", min=1, help="Attempts per test input.")]


class ExecutorKind(StrEnum):
    """The choices of ``executor.EXECUTORS``, as typer wants them for ``--executor``."""

    local = "local"
    ray = "ray"


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn a user's mistake into one red line and exit code 2, never a traceback."""
    try:
        yield
    except USER_ERRORS as err:
        # Escaped: messages hold literal brackets, such as pip install 'arc-eval[ray]'.
        err_console.print(f"[bold red]error:[/] {escape(str(err))}", highlight=False, markup=True)
        raise typer.Exit(2) from None


def _version_callback(value: bool) -> None:
    if value:
        console.print(f"arc-eval {provenance.harness_version()}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Show the version."),
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False,
) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")


def _load(dataset: str, strict: bool) -> datasets.Dataset:
    data = datasets.load_dataset(dataset, strict=strict)
    for problem in data.problems:
        err_console.print(f"[yellow]skipped:[/] {problem}", highlight=False)
    return data


def _task_ids(tasks: str | None) -> list[str] | None:
    return [t.strip() for t in tasks.split(",") if t.strip()] if tasks else None


@app.command()
def run(
    solver: Annotated[str, typer.Argument(help="Solver name (see `arc-eval solvers`) or module:attr.")],
    dataset: DatasetOpt = "arc-agi-1",
    split: SplitOpt = None,
    tasks: Annotated[str | None, typer.Option(help="Comma-separated task ids.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most N tasks per split.")] = None,
    shuffle: Annotated[bool, typer.Option(help="Shuffle before --limit (uses --seed).")] = False,
    seed: Annotated[int, typer.Option(help="Run seed; each task gets a seed derived from it.")] = 0,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="Solver configuration key=value.")
    ] = None,
    time_limit: Annotated[float, typer.Option(min=0.1, help="Hard wall-clock seconds per task.")] = 30.0,
    memory_limit: Annotated[float | None, typer.Option(help="Resident memory cap per worker in MB.")] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (with --executor ray: Ray workers, one CPU each).")
    ] = os.cpu_count() or 1,
    # "\\[" keeps rich from reading [ray] in the help as markup.
    executor: Annotated[
        ExecutorKind,
        typer.Option(help="local: worker processes here; ray: Ray workers (pip install 'arc-eval\\[ray]')."),
    ] = ExecutorKind.local,
    address: Annotated[
        str | None,
        typer.Option(
            help="With --executor ray: a Ray cluster (auto, HOST:PORT); default: start a local Ray."
        ),
    ] = None,
    attempts: AttemptsOpt = 2,
    out: Annotated[Path | None, typer.Option(help="Run directory (default results/...).")] = None,
    resume: Annotated[Path | None, typer.Option(help="Continue the run in this directory.")] = None,
    retry_failed: Annotated[bool, typer.Option(help="With --resume: re-run failed tasks.")] = False,
    submission: Annotated[bool, typer.Option(help="Also write a Kaggle submission.json.")] = False,
    strict: Annotated[bool, typer.Option(help="Fail on any malformed task file.")] = False,
) -> None:
    """Run a solver on a dataset and score it, one row per split."""
    with user_errors():
        check_executor(executor.value, address)
        spec = solver_api.make_spec(solver, param or [])
        data = _load(dataset, strict)
        settings = runner.RunSettings(time_limit, memory_limit, workers, attempts, seed, executor.value)
        if resume is not None:
            store = results.RunStore(resume)
            run_meta = store.read_run()
            runner.check_resumable(run_meta, spec, data)
            settings = _settings_from_run(run_meta, workers, executor.value)
        else:
            chosen = datasets.select_tasks(
                data,
                split=split,
                task_ids=_task_ids(tasks),
                limit=limit,
                shuffle=shuffle,
                seed=seed,
            )
            selection = {
                "split": split,
                "tasks": _task_ids(tasks),
                "limit": limit,
                "shuffle": shuffle,
                "seed": seed,
            }
            store = results.RunStore(out or runner.default_run_dir(spec, data))
            if store.run_path.exists():
                raise runner.RunError(
                    f"{store.root} already holds a run; continue it with --resume {store.root} "
                    "or choose another --out"
                )
            run_meta = runner.new_run(spec, data, chosen, settings, selection)
            store.write_run(run_meta)
        outcome = _execute(store, run_meta, data, settings, retry_failed, address)
        if submission:
            _write_submission(store, outcome.leaderboard)
    console.print(split_table(outcome.leaderboard))
    console.print(f"results: {store.root}/leaderboard.json")
    if outcome.interrupted:
        err_console.print(
            f"[yellow]interrupted.[/] Finished tasks are saved; continue with:\n"
            f"  arc-eval run {solver} --resume {store.root}"
            + "".join(f" --param {p}" for p in param or [])
            + (f" --dataset {dataset}" if dataset != "arc-agi-1" else "")
            + (f" --executor {executor.value}" if executor is not ExecutorKind.local else "")
            + (f" --address {address}" if address else "")
        )
        raise typer.Exit(130)


def _settings_from_run(run_meta: dict[str, Any], workers: int, executor: str) -> runner.RunSettings:
    """A resumed run keeps its recorded rules and budget; only the workers and executor may change."""
    budget = run_meta["budget"]
    return runner.RunSettings(
        budget["time_limit_s"],
        budget["memory_limit_mb"],
        workers,
        run_meta["rules"]["max_attempts"],
        run_meta["seed"],
        executor,
    )


def _execute(
    store: results.RunStore,
    run_meta: dict[str, Any],
    data: datasets.Dataset,
    settings: runner.RunSettings,
    retry_failed: bool,
    address: str | None,
) -> runner.RunOutcome:
    done = store.read_records()
    with progress_reporter(console, run_meta, done, retry_failed) as on_record:
        return runner.execute_run(
            store, run_meta, data, settings, retry_failed=retry_failed, address=address, on_record=on_record
        )


def _write_submission(store: results.RunStore, board: dict[str, Any]) -> None:
    attempts = {r["task_id"]: results.stored_attempts(r) for r in board["tasks"]}
    n_tests = {e["id"]: e["n_tests"] for entries in board["task_set"].values() for e in entries}
    kaggle.write_submission(store.root / "submission.json", attempts, n_tests, board["rules"]["max_attempts"])


@app.command("solvers")
def list_solvers() -> None:
    """List the solvers you can run: built-in and installed plug-ins."""
    from rich.table import Table

    table = Table("name", "description", title="solvers")
    for name, description in solver_api.available_solvers().items():
        table.add_row(name, description)
    console.print(table)


@app.command("datasets")
def list_datasets() -> None:
    """List the named datasets with their versions and task counts per split."""
    from rich.table import Table

    table = Table("name", "version", "training", "evaluation", "description", title="datasets")
    for info in datasets.available_datasets():
        table.add_row(
            info.name,
            info.version,
            str(info.counts.get("training", 0)),
            str(info.counts.get("evaluation", 0)),
            info.description,
        )
    console.print(table)
    console.print("A folder of task JSON files or a Kaggle *_challenges.json also works as --dataset.")


@app.command()
def show(
    task_id: Annotated[str, typer.Argument(help="Task id, e.g. 007bbfb7.")],
    dataset: DatasetOpt = "arc-agi-1",
    answers: Annotated[bool, typer.Option(help="Also show the test outputs.")] = False,
    digits: Annotated[bool, typer.Option(help="Print colour numbers inside cells.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Save a picture instead: task.svg, .png or .pdf.")
    ] = None,
) -> None:
    """Draw a task's grids in colour, in the terminal or to a picture file."""
    from arc_harness.render import task_view

    with user_errors():
        task = datasets.load_dataset(dataset).get(task_id)
        if out is not None:
            console.print(f"wrote {picture.save_task_picture(task, out, answers=answers)}")
            return
    console.print(task_view(task, answers=answers, digits=digits))


@app.command()
def report(
    runs: Annotated[
        list[Path],
        typer.Argument(metavar="RUN_DIR", help="A run directory; with --compare, two: RUN_A RUN_B."),
    ],
    compare: Annotated[
        bool, typer.Option("--compare", help="Show the tasks one run solves and the other does not.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="HTML file (default: in the first run directory).")
    ] = None,
    dataset: Annotated[
        str | None,
        typer.Option("--dataset", "-d", help="Where the tasks are, if not where the run found them."),
    ] = None,
) -> None:
    """Write a self-contained HTML report of a run (or compare two) to open in a browser."""
    from arc_harness import report as html_report

    with user_errors():
        if len(runs) != (2 if compare else 1):
            raise runner.RunError("give one run directory, or two with --compare")
        if compare:
            path = html_report.write_compare(runs[0], runs[1], out, dataset)
        else:
            path = html_report.write_report(runs[0], out, dataset)
    console.print(f"report: {path}  (open file://{path.resolve()})", highlight=False)


@app.command()
def score(
    submission_file: Annotated[Path, typer.Argument(help="A Kaggle submission.json.")],
    dataset: DatasetOpt = "arc-agi-1",
    split: SplitOpt = "evaluation",
    attempts: AttemptsOpt = 2,
) -> None:
    """Score a Kaggle-format submission.json against a dataset split."""
    with user_errors():
        submitted = kaggle.read_submission(submission_file)
        data = datasets.load_dataset(dataset)
        chosen = datasets.select_tasks(data, split=split)
        unknown = sorted(set(submitted) - {t.id for t in chosen})
        if unknown:
            err_console.print(
                f"[yellow]ignored {len(unknown)} tasks not in the split:[/] " + ", ".join(unknown[:10])
            )
        split_scores = rescore.score_attempts(chosen, submitted, attempts)
    from rich.table import Table

    table = Table(
        "split",
        "tasks",
        "task_fraction (default)",
        "task_solved",
        "pair_micro",
        title=f"{submission_file} on {data.name}",
    )
    for name, row in split_scores.items():
        table.add_row(
            name,
            str(row.n_tasks),
            f"{row.task_fraction:.2%}",
            f"{row.task_solved:.2%}",
            f"{row.pair_micro:.2%}",
        )
    console.print(table)


@app.command("leaderboard")
def leaderboard_command(
    files: Annotated[list[Path], typer.Argument(help="leaderboard.json files of several runs.")],
    by: Annotated[str, typer.Option(help="Aggregation to rank by.")] = scoring.DEFAULT_AGGREGATION,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    markdown: Annotated[bool, typer.Option(help="Print Markdown tables.")] = False,
) -> None:
    """Rank several runs side by side, one table per split."""
    with user_errors():
        boards = [(str(path), results.read_leaderboard(path)) for path in files]
        try:
            tables = leaderboard.rank(boards, by)
        except ValueError as err:
            raise solver_api.SolverConfigError(str(err)) from err
    if as_json:
        print(json.dumps(tables, indent=2))
    elif markdown:
        print(leaderboard.to_markdown(tables, by))
    else:
        for table in ranking_tables(tables, by):
            console.print(table)


@app.command()
def verify(
    leaderboard_file: Annotated[Path, typer.Argument(help="A leaderboard.json to check.")],
) -> None:
    """Re-score the stored attempts against the dataset; fail if the stored scores disagree."""
    with user_errors():
        board = results.read_leaderboard(leaderboard_file)
        data = datasets.load_dataset(board["dataset"]["source"])
        problems = rescore.verify_leaderboard(board, data)
    if problems:
        for problem in problems:
            err_console.print(f"[red]mismatch:[/] {problem}", highlight=False)
        err_console.print(f"[bold red]{leaderboard_file}: {len(problems)} disagreement(s)[/]")
        raise typer.Exit(1)
    console.print(f"[green]verified:[/] {leaderboard_file} ({len(board['tasks'])} task records agree)")


def main() -> None:
    # Like `python -m`, let `module:attr` solver paths find modules in the working directory.
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    app()
