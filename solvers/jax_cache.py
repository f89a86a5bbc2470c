"""JAX's persistent compilation cache, switched on for the search's JAX code.

Every worker process compiles what it runs: the JAX backend's kernels (about 20 s on a
2-core CPU, inside the first tasks' budgets) and the guide's network. JAX can keep compiled
code on disk and read it back in later processes; it is off unless configured, and by
default it skips anything that compiled in under a second, which is every kernel here.
:func:`enable` turns it on for all of them, in a per-user directory.

``ARC_EVAL_JAX_CACHE`` picks another directory, or turns this off with ``off``; a cache
directory the user gave JAX itself (``JAX_COMPILATION_CACHE_DIR``) is left as it is.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import jax

ENV = "ARC_EVAL_JAX_CACHE"
OFF = ("", "0", "off", "none")

log = logging.getLogger(__name__)


def default_dir() -> Path:
    """``$XDG_CACHE_HOME/arc-eval/jax`` (``~/.cache`` when that is unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "arc-eval" / "jax"


def chosen_dir() -> Path | None:
    """Where the cache should live: ``ARC_EVAL_JAX_CACHE``, else the default; None when off."""
    value = os.environ.get(ENV)
    if value is None:
        return default_dir()
    return None if value.strip().lower() in OFF else Path(value).expanduser()


def enable() -> Path | None:
    """Point JAX's persistent cache at :func:`chosen_dir`; returns the directory in use.

    Call it before the first compilation in the process (JAX reads the setting then).
    Idempotent; an unwritable directory leaves the cache off with a warning, never fails.
    """
    configured = jax.config.jax_compilation_cache_dir
    if configured:  # set by the user (JAX's own variable) or by an earlier call
        return Path(configured)
    path = chosen_dir()
    if path is None:
        return None
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        log.warning("JAX compilation cache off: cannot create %s (%s)", path, error)
        return None
    jax.config.update("jax_compilation_cache_dir", str(path))
    # The kernels are small: each compiles in well under JAX's default one-second threshold.
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    return path
