"""Reference programs on disk: loading, checking on tasks, and DSL coverage statistics.

Each file ``<task_id>.dsl`` in a folder (``data/programs/training``) holds one program
in straight-line (or nested) text, comment lines allowed. Functions here return data;
the CLI prints it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from arc_harness.tasks import Task
from dsl import registry
from dsl.interpreter import TaskRun, run_on_task, type_check
from dsl.program import Call, Program, ProgramSyntaxError, ProgramTypeError, parse, subexpressions
from dsl.registry import Primitive
from dsl.types import T

SUFFIX = ".dsl"


class ProgramFileError(ValueError):
    """A program file that does not parse or type check; the message starts with ``file:line:``."""

    def __init__(self, path: Path, message: str, line: int | None = None, column: int | None = None) -> None:
        where = "".join([str(path)] + [f":{n}" for n in (line, column) if n is not None])
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.column = column


def load_program_file(path: str | Path, table: Mapping[str, Primitive] | None = None) -> Program:
    """Parse and type check one file; the program must return a Grid."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProgramFileError(path, f"cannot read: {exc}") from exc
    try:
        program = parse(text, table)
    except ProgramSyntaxError as exc:
        raise ProgramFileError(path, exc.message, exc.line, exc.column) from exc
    try:
        kind = type_check(program, table)
    except ProgramTypeError as exc:
        raise ProgramFileError(path, f"type error: {exc}") from exc
    if kind is not T.GRID:
        raise ProgramFileError(path, f"type error: the program returns {kind}, not Grid")
    return program


def load_programs(folder: str | Path, table: Mapping[str, Primitive] | None = None) -> dict[str, Program]:
    """Every ``<task_id>.dsl`` in ``folder``, by task id, sorted; the first bad file raises."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ProgramFileError(folder, "not a folder of program files")
    files = sorted(folder.glob(f"*{SUFFIX}"))
    return {path.stem: load_program_file(path, table) for path in files}


def check_program_on_task(
    program: Program, task: Task, table: Mapping[str, Primitive] | None = None
) -> TaskRun:
    """Run a reference program on its task: which pairs it reproduces, and why others fail."""
    return run_on_task(program, task, table)


def check_programs(
    programs: Mapping[str, Program], tasks: Mapping[str, Task], table: Mapping[str, Primitive] | None = None
) -> dict[str, TaskRun]:
    """:func:`check_program_on_task` for every program whose task is in ``tasks``."""
    return {tid: run_on_task(p, tasks[tid], table) for tid, p in programs.items() if tid in tasks}


@dataclass(frozen=True)
class Coverage:
    """How a folder of reference programs uses the primitive table.

    ``calls``: primitive -> calls across all programs; ``tasks_using``: primitive ->
    programs that call it; ``families``: family -> (primitives used, primitives
    registered); ``unused``: registered primitives no program calls, by family then name.
    """

    n_tasks: int
    task_ids: tuple[str, ...]
    calls: dict[str, int]
    tasks_using: dict[str, int]
    families: dict[str, tuple[int, int]]
    unused: tuple[str, ...]
    n_primitives: int

    @property
    def n_used(self) -> int:
        return len(self.tasks_using)

    @property
    def fraction_used(self) -> float:
        return self.n_used / self.n_primitives if self.n_primitives else 0.0

    @property
    def families_covered(self) -> tuple[str, ...]:
        """Families with at least one primitive in use."""
        return tuple(f for f, (used, _) in self.families.items() if used)


def coverage_of(programs: Mapping[str, Program], table: Mapping[str, Primitive] | None = None) -> Coverage:
    """Coverage statistics for programs already loaded."""
    table = registry.primitives() if table is None else table
    calls: Counter[str] = Counter()
    tasks_using: Counter[str] = Counter()
    for program in programs.values():
        names = [node.name for node in subexpressions(program) if isinstance(node, Call)]
        calls.update(names)
        tasks_using.update(set(names))
    families: dict[str, tuple[int, int]] = {}
    for prim in table.values():
        used, total = families.get(prim.family, (0, 0))
        families[prim.family] = (used + (prim.name in calls), total + 1)
    unused = tuple(
        p.name for p in sorted(table.values(), key=lambda p: (p.family, p.name)) if p.name not in calls
    )
    by_count = sorted(calls, key=lambda name: (-calls[name], name))
    return Coverage(
        n_tasks=len(programs),
        task_ids=tuple(sorted(programs)),
        calls={name: calls[name] for name in by_count},
        tasks_using={name: tasks_using[name] for name in by_count},
        families=dict(sorted(families.items())),
        unused=unused,
        n_primitives=len(table),
    )


def coverage(folder: str | Path, table: Mapping[str, Primitive] | None = None) -> Coverage:
    """Load every program in ``folder`` and count which primitives and families they use."""
    return coverage_of(load_programs(folder, table), table)
