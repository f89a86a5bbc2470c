"""The Kaggle submission.json format: exact structure, atomic writes, round trip, bad files."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
from grid_strategies import grids
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arc_harness import scoring, submission

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

G1 = [[1, 2], [3, 4]]
G2 = [[5]]
G3 = [[6, 7, 8]]


def test_exact_structure_on_a_small_example():
    attempts = {
        "aaa": [[G1, np.array(G2, dtype=np.int64)], [G3]],  # second test: one attempt only
        "bbb": None,  # a failed task still needs its entries
        "ccc": [[[[99]], G1, G2]],  # an invalid first attempt and one past the limit
        "zzz": [[G1]],  # not in the task set
    }
    result = submission.to_submission(attempts, {"aaa": 2, "bbb": 1, "ccc": 1})
    assert result == {
        "aaa": [{"attempt_1": G1, "attempt_2": G2}, {"attempt_1": G3, "attempt_2": [[0]]}],
        "bbb": [{"attempt_1": [[0]], "attempt_2": [[0]]}],
        "ccc": [{"attempt_1": [[0]], "attempt_2": G1}],
    }
    assert [list(entry) for entry in result["aaa"]] == [["attempt_1", "attempt_2"]] * 2
    assert type(result["aaa"][0]["attempt_2"][0][0]) is int  # plain JSON, not numpy


def test_every_key_up_to_max_attempts_is_present():
    result = submission.to_submission({"t": [[G1]]}, {"t": 1}, max_attempts=3)
    assert result == {"t": [{"attempt_1": G1, "attempt_2": [[0]], "attempt_3": [[0]]}]}
    with pytest.raises(ValueError, match="at least 1"):
        submission.to_submission({}, {"t": 1}, max_attempts=0)


def test_placeholders_are_not_shared_objects():
    result = submission.to_submission({}, {"t": 2})
    result["t"][0]["attempt_1"][0][0] = 5
    assert result["t"][0]["attempt_2"] == [[0]] and result["t"][1]["attempt_1"] == [[0]]


def test_written_file_is_the_json_of_to_submission(tmp_path: Path):
    path = submission.write_submission(tmp_path / "submission.json", {"t": [[G1, G2]]}, {"t": 1})
    assert json.loads(path.read_text()) == {"t": [{"attempt_1": G1, "attempt_2": G2}]}
    assert [p.name for p in tmp_path.iterdir()] == ["submission.json"]  # no temp file left


def test_write_replaces_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "submission.json"
    submission.write_submission(path, {"t": [[G1]]}, {"t": 1})
    before = path.read_text()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        submission.write_submission(path, {"t": [[G2]]}, {"t": 1})
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["submission.json"]


def test_read_gives_attempts_in_order(tmp_path: Path):
    path = tmp_path / "s.json"
    path.write_text(
        json.dumps(
            {
                "t": [{"attempt_2": G2, "attempt_1": G1}, {"attempt_1": G3, "attempt_3": G1}, {}],
            }
        )
    )
    # Key order in the file does not matter; a gap in the numbering keeps later positions.
    assert submission.read_submission(path) == {"t": [[G1, G2], [G3, None, G1], []]}


@PROPERTY
@given(
    st.dictionaries(
        st.text("0123456789abcdef", min_size=8, max_size=8),
        st.lists(st.lists(grids(2, 6), max_size=3), min_size=1, max_size=3),
        min_size=1,
        max_size=4,
    ),
    st.integers(1, 3),
)
def test_round_trip_scores_the_same(tmp_path_factory, attempts_by_task, max_attempts):
    # Truths at least 2x2, so the [[0]] placeholder can never be mistaken for a right answer.
    n_tests = {task_id: len(per_test) for task_id, per_test in attempts_by_task.items()}
    path = tmp_path_factory.mktemp("sub") / "submission.json"
    submission.write_submission(path, attempts_by_task, n_tests, max_attempts)
    read = submission.read_submission(path)
    assert set(read) == set(attempts_by_task)
    for task_id, per_test in attempts_by_task.items():
        assert all(len(entry) == max_attempts for entry in read[task_id])
        for entry, original in zip(read[task_id], per_test, strict=True):
            kept = [np.asarray(a).tolist() for a in original[:max_attempts]]
            assert entry[: len(kept)] == kept
        truths = [a[-1] if a else np.full((2, 2), 9, dtype=np.int8) for a in per_test]
        direct = scoring.score_task(per_test, truths, max_attempts)
        again = scoring.score_task(read[task_id], truths, max_attempts)
        assert [o.correct for o in again.tests] == [o.correct for o in direct.tests]


JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=2), inner, max_size=2),
    max_leaves=12,
)


@PROPERTY
@given(JUNK)
def test_to_submission_survives_junk(junk):
    for attempts in (junk, [junk], [[junk]]):
        result = submission.to_submission({"t": attempts}, {"t": 2})
        assert all(scoring.check_attempt(grid)[1] is None for entry in result["t"] for grid in entry.values())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object of task ids, got list"),
        ('{"abc": {"attempt_1": [[1]]}}', "task abc: expected a list with one object per test"),
        ('{"abc": [[[1]]]}', "task abc test 0: expected an object of attempts, got list"),
        ('{"abc": [{"attempt_1": [[1]]}, {"guess": [[1]]}]}', "task abc test 1: unexpected key"),
        ('{"abc": [{"attempt_0": [[1]]}]}', "unexpected key 'attempt_0'"),
    ],
)
def test_malformed_files_name_the_file_and_task(tmp_path: Path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(submission.SubmissionError, match=re.escape(str(path))) as info:
        submission.read_submission(path)
    assert message in str(info.value)


def test_unreadable_file(tmp_path: Path):
    missing = tmp_path / "missing.json"
    with pytest.raises(submission.SubmissionError, match="missing.json: cannot read"):
        submission.read_submission(missing)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(submission.SubmissionError, match="binary.json"):
        submission.read_submission(binary)
