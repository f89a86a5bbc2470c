"""``arc-eval dsl ...``: list primitives, run a program file on a task, reference-program coverage."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from arc_harness import datasets
from arc_harness.render import grid_text

app = typer.Typer(
    rich_markup_mode="rich",
    no_args_is_help=True,
    help="The grid DSL: primitives, program files and reference-program coverage.",
)
console = Console()
err_console = Console(stderr=True)

# Reference programs live beside the package in a source checkout (editable installs).
REFERENCE_PROGRAMS = Path(__file__).resolve().parents[1] / "data" / "programs" / "training"

DatasetOpt = Annotated[
    str, typer.Option("--dataset", "-d", help="arc-agi-1, arc-agi-2, or a folder of task JSON files.")
]


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(2)


@app.command("primitives")
def list_primitives(
    family: Annotated[str | None, typer.Option(help="Only this family, e.g. objects.")] = None,
) -> None:
    """The primitive table: name, types and one-line description, by family."""
    from dsl import registry

    table = registry.primitives()
    families = sorted({p.family for p in table.values()})
    if family is not None and family not in families:
        raise _fail(f"unknown family {family!r}; families: {', '.join(families)}")
    shown = Table("family", "signature", "description", title=f"{len(table)} DSL primitives")
    for prim in sorted(table.values(), key=lambda p: (p.family, p.name)):
        if family is None or prim.family == family:
            shown.add_row(prim.family, prim.signature, prim.doc)
    console.print(shown)


@app.command("run")
def run_program(
    program_file: Annotated[Path, typer.Argument(help="A .dsl program file.")],
    task_id: Annotated[str, typer.Argument(help="The task to run it on.")],
    dataset: DatasetOpt = "arc-agi-1",
    show: Annotated[bool, typer.Option(help="Draw each output the program gets wrong.")] = False,
) -> None:
    """Run one program on every train and test input of a task; exit 1 unless all match."""
    from dsl import library
    from dsl.interpreter import run_on_task

    try:
        program = library.load_program_file(program_file)
        task = datasets.load_dataset(dataset).get(task_id)
    except (library.ProgramFileError, datasets.DatasetError, KeyError) as err:
        raise _fail(str(err).strip("'\"")) from None
    outcome = run_on_task(program, task)
    test_match = outcome.test_match or (None,) * len(task.test)
    rows = [
        ("train", i, r, m) for i, (r, m) in enumerate(zip(outcome.train, outcome.train_match, strict=True))
    ]
    rows += [("test", i, r, m) for i, (r, m) in enumerate(zip(outcome.test, test_match, strict=True))]
    for kind, i, result, matched in rows:
        mark = {True: "[green]match[/]", False: "[red]differs[/]", None: "[dim]no answer[/]"}[matched]
        detail = f": {result.error}" if not result.ok else ""
        console.print(f"{kind} {i + 1}: {mark}{detail}", highlight=False)
        if show and matched is False and result.ok:
            console.print(grid_text(result.value, digits=True))
    if not outcome.solved:
        raise typer.Exit(1)
    console.print(f"[green]{program_file} solves {task_id}[/]")


@app.command("coverage")
def coverage(
    folder: Annotated[Path, typer.Argument(help="Folder of <task_id>.dsl files.")] = REFERENCE_PROGRAMS,
    dataset: DatasetOpt = "arc-agi-1",
    check: Annotated[bool, typer.Option(help="Also run every program on its training task.")] = True,
) -> None:
    """How many training tasks have reference programs, and which primitives they use."""
    from dsl import library

    try:
        programs = library.load_programs(folder)
    except library.ProgramFileError as err:
        raise _fail(str(err)) from None
    stats = library.coverage_of(programs)
    console.print(
        f"{stats.n_tasks} reference programs in {folder}; they use {stats.n_used} of "
        f"{stats.n_primitives} primitives ({stats.fraction_used:.0%}) "
        f"and {len(stats.families_covered)} of {len(stats.families)} families."
    )
    families = Table("family", "primitives used", "registered")
    for name, (used, total) in stats.families.items():
        families.add_row(name, str(used), str(total))
    console.print(families)
    ranked = sorted(stats.tasks_using.items(), key=lambda item: (-item[1], item[0]))
    top = ", ".join(f"{name} ({n})" for name, n in ranked[:15])
    console.print(f"[bold]most used[/] (programs using it): {top}", highlight=False)
    if check and programs and not _check_all(programs, dataset):
        raise typer.Exit(1)


def _check_all(programs: dict, dataset: str) -> bool:
    """Every program must belong to a training task and reproduce all its outputs."""
    from dsl import library

    data = datasets.load_dataset(dataset)
    training = {t.id: t for t in datasets.select_tasks(data, split="training")}
    foreign = sorted(set(programs) - set(training))
    for tid in foreign:
        err_console.print(f"[red]{tid}: not a training task of {data.name}[/]")
    runs = library.check_programs(programs, training)
    failed = sorted(tid for tid, run in runs.items() if not run.solved)
    for tid in failed:
        err_console.print(f"[red]{tid}: does not reproduce every output[/] ({runs[tid].summary})")
    console.print(
        f"checked on {data.name} training: {len(runs) - len(failed)} of {len(programs)} solve their task"
    )
    return not failed and not foreign
