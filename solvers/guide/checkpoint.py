"""Guide checkpoints: one zip file holding the weights and a JSON record of how they were made.

``metadata.json`` (``schema_version`` 1) fields:

- ``registry_hash``: :func:`dsl.registry.table_hash` of the table trained against; a
  checkpoint is refused when the current table differs (its labels would be misread);
- ``vocabulary``: the primitive names, in the order of the network's outputs;
- ``architecture``: the :class:`GuideNet` keyword arguments (``width``, ``hidden``);
- ``training``: seed, epochs, batch size, learning rate, data counts (synthetic train and
  validation tasks, tasks from mutated references as ``mutant_train``, which checkpoints
  made before it existed lack, reference programs used and held out), and the dataset
  trained on;
- ``validation``: figures measured on held-out data at the end of training;
- ``versions``: jax, equinox, optax and arc-eval versions; ``created``: UTC time.

``weights.eqx`` is ``equinox.tree_serialise_leaves`` of the network.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import equinox as eqx
import jax

from dsl import registry
from solvers.guide.model import GuideNet

SCHEMA_VERSION = 1
DEFAULT = Path(__file__).resolve().parent / "checkpoints" / "default.zip"


class CheckpointError(ValueError):
    """A checkpoint that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Checkpoint:
    model: GuideNet
    metadata: dict[str, Any]

    @property
    def vocabulary(self) -> tuple[str, ...]:
        return tuple(self.metadata["vocabulary"])


def save(path: str | Path, model: GuideNet, metadata: dict[str, Any]) -> Path:
    """Write ``model`` and ``metadata`` (registry hash and schema version added) to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"schema_version": SCHEMA_VERSION, "registry_hash": registry.table_hash(), **metadata}
    weights = io.BytesIO()
    eqx.tree_serialise_leaves(weights, model)
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("metadata.json", json.dumps(record, indent=2, sort_keys=True))
        archive.writestr("weights.eqx", weights.getvalue())
    partial.replace(path)  # never a half-written checkpoint under the real name
    return path


def read_metadata(path: str | Path) -> dict[str, Any]:
    """The metadata record alone (no JAX work)."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            record = json.loads(archive.read("metadata.json"))
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise CheckpointError(f"{path}: not a guide checkpoint ({exc})") from exc
    if record.get("schema_version") != SCHEMA_VERSION:
        raise CheckpointError(
            f"{path}: checkpoint schema version {record.get('schema_version')!r}, expected {SCHEMA_VERSION}"
        )
    return record


def check_registry(path: Path, record: dict[str, Any]) -> None:
    """Refuse a checkpoint trained against a different primitive table."""
    current = registry.table_hash()
    if record.get("registry_hash") != current:
        names = set(registry.primitives())
        trained = set(record.get("vocabulary", ()))
        added, removed = sorted(names - trained), sorted(trained - names)
        detail = f"added: {', '.join(added[:5]) or 'none'}; removed: {', '.join(removed[:5]) or 'none'}"
        raise CheckpointError(
            f"{path}: trained against DSL registry {record.get('registry_hash')}, but the registry is now "
            f"{current} ({detail}; or signatures changed). Retrain with `arc-eval guide train`."
        )


def load(path: str | Path = DEFAULT) -> Checkpoint:
    """A checkpoint's network and metadata, after checking it matches the current DSL."""
    path = Path(path)
    record = read_metadata(path)
    check_registry(path, record)
    skeleton = GuideNet(len(record["vocabulary"]), jax.random.PRNGKey(0), **record["architecture"])
    try:
        with zipfile.ZipFile(path) as archive:
            model = eqx.tree_deserialise_leaves(io.BytesIO(archive.read("weights.eqx")), skeleton)
    except (KeyError, ValueError, RuntimeError) as exc:
        raise CheckpointError(f"{path}: weights do not match the recorded architecture ({exc})") from exc
    return Checkpoint(model, record)
