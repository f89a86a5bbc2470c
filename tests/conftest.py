"""Session-wide test settings."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

# JAX code enables a persistent compilation cache in the user's cache directory
# (solvers.jax_cache); the tests keep theirs in a fresh temporary directory instead,
# removed when the session ends.
if "ARC_EVAL_JAX_CACHE" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="arc-eval-jax-cache-")
    os.environ["ARC_EVAL_JAX_CACHE"] = _cache
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)
