"""``arc-eval guide ...``: train the search guide, inspect a checkpoint, rank primitives for a task."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from arc_harness import datasets
from arc_harness.cli_dsl import REFERENCE_PROGRAMS

app = typer.Typer(
    rich_markup_mode="rich",
    no_args_is_help=True,
    help="The search guide: a small JAX model that ranks DSL primitives for a task.",
)
console = Console()
err_console = Console(stderr=True)

CheckpointArg = Annotated[
    str, typer.Argument(help="A checkpoint file, or [bold]default[/] for the one shipped in the package.")
]


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(2)


@app.command("train")
def train_guide(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the checkpoint (.zip).")] = Path(
        "guide.zip"
    ),
    dataset: Annotated[
        str,
        typer.Option("--dataset", "-d", help="Dataset whose [bold]training[/] split supplies the inputs."),
    ] = "arc-agi-1",
    programs: Annotated[Path, typer.Option(help="Folder of reference programs (<task_id>.dsl).")] = (
        REFERENCE_PROGRAMS
    ),
    synthetic_tasks: Annotated[int, typer.Option(min=10, help="Synthetic tasks to generate.")] = 10_000,
    mutant_tasks: Annotated[
        int, typer.Option(min=0, help="Tasks to make by editing the reference programs at random.")
    ] = 3_000,
    epochs: Annotated[int, typer.Option(min=1)] = 8,
    batch_size: Annotated[int, typer.Option(min=1)] = 64,
    learning_rate: Annotated[float, typer.Option(min=0.0)] = 5e-3,
    seed: Annotated[int, typer.Option(help="Seeds the programs, the split and the network.")] = 0,
) -> None:
    """Train the guide on synthetic tasks built from training-split inputs (never evaluation)."""
    from dsl import library
    from solvers.guide import checkpoint, train

    try:
        data = datasets.load_dataset(dataset)
        reference = library.load_programs(programs) if programs.is_dir() else {}
    except (datasets.DatasetError, library.ProgramFileError) as err:
        raise _fail(str(err)) from None
    tasks = datasets.select_tasks(data, split="training")
    if not tasks:
        raise _fail(f"{data.name} has no training split to train on")
    config = train.TrainConfig(
        synthetic_tasks=synthetic_tasks,
        mutant_tasks=mutant_tasks,
        epochs=epochs,
        batch_size=batch_size,
        learning_rate=learning_rate,
        seed=seed,
    )
    console.print(f"{len(tasks)} training tasks of {data.name}, {len(reference)} reference programs")
    columns = (
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[note]}"),
    )
    with Progress(*columns, TimeRemainingColumn(), console=console) as bar:
        stages = ("synthesise", "mutate", "train")
        jobs = {stage: bar.add_task(stage, total=None, note="") for stage in stages}

        def progress(stage: str, done: int, total: int, note: str) -> None:
            bar.update(jobs[stage], completed=done, total=total, note=note)

        model, metadata = train.train(tasks, reference, config, progress, log=console.print)
    metadata["training"]["dataset"] = {"name": data.name, "version": data.version, "split": "training"}
    path = checkpoint.save(out, model, metadata)
    console.print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
    _print_validation(metadata)


def _print_validation(metadata: dict) -> None:
    table = Table("held-out set", "tasks", "recall@10", "all in top 10", "loss")
    for name, figures in metadata["validation"].items():
        if figures.get("tasks"):
            table.add_row(
                name,
                str(figures["tasks"]),
                f"{figures['recall_at_10']:.1%}",
                f"{figures['all_in_top_10']:.1%}",
                f"{figures['loss']:.4f}",
            )
    console.print(table)


@app.command("info")
def info(checkpoint_path: CheckpointArg = "default") -> None:
    """A checkpoint's metadata: training data, validation figures, registry hash."""
    from solvers.guide import CheckpointError, checkpoint, resolve

    path = resolve(checkpoint_path)
    try:
        metadata = checkpoint.read_metadata(path)
        checkpoint.check_registry(path, metadata)
    except CheckpointError as err:
        raise _fail(str(err)) from None
    training = metadata["training"]
    console.print(
        f"{path}: {len(metadata['vocabulary'])} primitives, registry {metadata['registry_hash']}, "
        f"created {metadata['created']}",
        highlight=False,
    )
    console.print(
        f"trained on {training['synthetic_train']} synthetic tasks, {training.get('mutant_train', 0)} "
        f"from mutated reference programs and {training['references_train']} reference programs, "
        f"seed {training['seed']}, {training['epochs']} epochs",
        highlight=False,
    )
    _print_validation(metadata)


@app.command("rank")
def rank(
    task_id: Annotated[str, typer.Argument(help="Task id.")],
    checkpoint_path: Annotated[
        str, typer.Option("--checkpoint", help="Checkpoint file or 'default'.")
    ] = "default",
    dataset: Annotated[str, typer.Option("--dataset", "-d")] = "arc-agi-1",
    top: Annotated[int, typer.Option(min=1, help="How many primitives to list.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """The primitives the guide thinks a solving program for TASK_ID uses (demonstrations only)."""
    from solvers.guide import CheckpointError, Guide

    try:
        data = datasets.load_dataset(dataset)
        guide = Guide.load(checkpoint_path)
    except (datasets.DatasetError, CheckpointError) as err:
        raise _fail(str(err)) from None
    found = [t for t in data.tasks if t.id == task_id]
    if not found:
        raise _fail(f"no task {task_id!r} in {data.name}")
    ranked = guide.ranked(found[0].public(), top)
    if as_json:
        print(json.dumps([{"primitive": n, "probability": round(p, 4)} for n, p in ranked]))
        return
    table = Table("primitive", "probability")
    for name, p in ranked:
        table.add_row(name, f"{p:.3f}")
    console.print(table)
