"""The persistent JAX compilation cache: where it goes, when it stays off, what it keeps.

Each case runs in a fresh interpreter: JAX reads the cache setting once per process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("jax")

# Build the JAX backend, run one kernel step, report the directory JAX was told to use.
PROBE = """
import jax, numpy as np
from solvers.backend_jax import JaxBackend
from solvers.steps import enumerate_steps
backend = JaxBackend(min_bucket=64, max_bucket=64)
step = next(s for s in enumerate_steps((0, 1, 2)) if s.primitive == "flip_horizontal")
grid = np.array([[[1, 2, 0]]], dtype=np.int8)
backend.apply(step, (grid,), (grid[0],))
print(jax.config.jax_compilation_cache_dir)
"""


def probe(**env: str) -> str:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("ARC_EVAL_JAX_CACHE", "JAX_COMPILATION_CACHE_DIR")
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_compiled_kernels_are_kept_in_the_chosen_directory(tmp_path):
    cache = tmp_path / "cache"
    assert probe(ARC_EVAL_JAX_CACHE=str(cache)) == str(cache)
    assert any(cache.iterdir()), "no compiled kernel was written to the cache"


def test_default_directory_is_under_the_user_cache(tmp_path):
    assert probe(XDG_CACHE_HOME=str(tmp_path)) == str(tmp_path / "arc-eval" / "jax")


def test_off_leaves_jax_without_a_cache(tmp_path):
    assert probe(ARC_EVAL_JAX_CACHE="off", XDG_CACHE_HOME=str(tmp_path)) == "None"
    assert not (tmp_path / "arc-eval").exists()


def test_the_users_own_jax_setting_wins(tmp_path):
    mine = tmp_path / "mine"
    assert probe(JAX_COMPILATION_CACHE_DIR=str(mine), ARC_EVAL_JAX_CACHE=str(tmp_path / "ours")) == str(mine)
    assert not (tmp_path / "ours").exists()
