"""Session-wide test settings."""

from __future__ import annotations

import os
import tempfile

# JAX code enables a persistent compilation cache in the user's cache directory
# (solvers.jax_cache); the tests keep theirs in a fresh temporary directory instead.
os.environ.setdefault("ARC_EVAL_JAX_CACHE", tempfile.mkdtemp(prefix="arc-eval-jax-cache-"))
