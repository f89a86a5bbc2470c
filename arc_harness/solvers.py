"""The solver plug-in API: the ``Solver`` protocol, ``@solver`` registry and name resolution.

A solver is built by a *factory* whose keyword arguments are its configuration. The
factory returns a callable ``solve(task, budget) -> Prediction``. Factories are found
three ways: the built-in registry (``@solver("name")``), a ``module:attr`` path, or the
entry point group ``arc_eval.solvers`` of any installed package.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import importlib
import inspect
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, Protocol

from arc_harness.tasks import Task

ENTRY_POINT_GROUP = "arc_eval.solvers"
BUILTIN_MODULES = ("solvers.baselines", "solvers.search_solver")


@dataclass(frozen=True)
class Budget:
    """What a solver may spend on one task.

    ``deadline`` is a ``time.time()`` instant by which ``solve`` should return; the
    harness kills the worker a little later, at the hard per-task limit.
    """

    time_limit: float
    deadline: float
    seed: int
    max_attempts: int = 2


@dataclass(frozen=True)
class Prediction:
    """Attempts for each test input, in order, plus free-form JSON-able metadata.

    ``attempts[i]`` holds at most ``budget.max_attempts`` grids (nested lists or
    arrays) for test input ``i``. Scoring validates them; bad ones are recorded as invalid.
    """

    attempts: list[list[Any]]
    metadata: dict[str, Any] = field(default_factory=dict)


class Solver(Protocol):
    def __call__(self, task: Task, budget: Budget) -> Prediction: ...


SolverFactory = Callable[..., Solver]


class SolverNotFound(LookupError):
    """An unknown solver name; the message lists what exists."""


class SolverConfigError(ValueError):
    """A bad ``--param`` for a solver factory."""


@dataclass(frozen=True)
class SolverInfo:
    name: str
    factory: SolverFactory
    description: str
    version: str


_REGISTRY: dict[str, SolverInfo] = {}


def solver(name: str, *, version: str | None = None) -> Callable[[SolverFactory], SolverFactory]:
    """Register a solver factory under ``name``; its docstring's first line describes it."""

    def register(factory: SolverFactory) -> SolverFactory:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.factory is not factory:
            raise ValueError(f"solver name {name!r} is already taken by {_origin(existing.factory)}")
        doc = inspect.getdoc(factory) or ""
        info = SolverInfo(
            name=name,
            factory=factory,
            description=doc.splitlines()[0] if doc else "",
            version=version or _package_version(factory),
        )
        _REGISTRY[name] = info
        factory.__arc_solver__ = info  # type: ignore[attr-defined]
        return factory

    return register


def _origin(obj: Any) -> str:
    return f"{obj.__module__}:{obj.__qualname__}"


def _package_version(obj: Any) -> str:
    """The version of the installed distribution that provides ``obj``'s module."""
    top = obj.__module__.split(".")[0]
    # An editable install maps no modules to its distribution, so name our own packages.
    own = ("arc-eval",) if top in ("arc_harness", "dsl", "solvers") else ()
    for dist in (*own, *_distributions_of(top)):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return "unknown"


@functools.cache
def _distributions_of(module: str) -> tuple[str, ...]:
    return tuple(metadata.packages_distributions().get(module, ()))


def _load_builtins() -> None:
    for module in BUILTIN_MODULES:
        importlib.import_module(module)


def _entry_points() -> dict[str, metadata.EntryPoint]:
    return {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}


def available_solvers() -> dict[str, str]:
    """Every solver name reachable by name, with its description (entry points not imported)."""
    _load_builtins()
    names = {name: info.description for name, info in _REGISTRY.items()}
    for name, ep in _entry_points().items():
        names.setdefault(name, f"(plug-in: {ep.value})")
    return dict(sorted(names.items()))


def _info_for(obj: Any, name: str) -> SolverInfo:
    info = getattr(obj, "__arc_solver__", None)
    if isinstance(info, SolverInfo):
        return info
    if not callable(obj):
        raise SolverNotFound(f"{name} is not a callable solver factory")
    doc = inspect.getdoc(obj) or ""
    return SolverInfo(name, obj, doc.splitlines()[0] if doc else "", _package_version(obj))


def resolve_solver(name: str) -> SolverInfo:
    """Find a solver by registry name, entry point, or ``module:attr`` path."""
    if ":" in name:
        module_name, _, attr = name.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as err:
            raise SolverNotFound(f"cannot import module {module_name!r}: {err}") from err
        obj = module
        for part in attr.split("."):
            if not hasattr(obj, part):
                raise SolverNotFound(f"module {module_name!r} has no attribute {attr!r}")
            obj = getattr(obj, part)
        return _info_for(obj, name)
    _load_builtins()
    if name in _REGISTRY:
        return _REGISTRY[name]
    entry_points = _entry_points()
    if name in entry_points:
        return _info_for(entry_points[name].load(), name)
    known = sorted(set(_REGISTRY) | set(entry_points))
    close = difflib.get_close_matches(name, known, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise SolverNotFound(
        f"unknown solver {name!r}.{hint} Available: {', '.join(known) or 'none'} (or give a module:attr path)"
    )


def solver_parameters(factory: SolverFactory) -> dict[str, tuple[type, Any]]:
    """The factory's keyword configuration: name -> (type, default)."""
    hints = typing.get_type_hints(factory)
    params = {}
    for p in inspect.signature(factory).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        kind = hints.get(p.name, type(p.default) if p.default is not p.empty else str)
        params[p.name] = (kind, p.default)
    return params


def _convert(raw: str, kind: Any, key: str) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        options = [k for k in typing.get_args(kind) if k is not type(None)]
        if raw.lower() in ("none", "null") and len(options) < len(typing.get_args(kind)):
            return None
        kind = options[0] if options else str
    if kind is bool:
        lowered = raw.lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise SolverConfigError(f"--param {key}={raw}: expected true or false")
    if kind in (int, float, str):
        try:
            return kind(raw)
        except ValueError as err:
            raise SolverConfigError(f"--param {key}={raw}: expected {kind.__name__}") from err
    return raw


def parse_params(factory: SolverFactory, pairs: list[str] | Mapping[str, Any]) -> dict[str, Any]:
    """Turn ``key=value`` strings (or a mapping) into typed keyword arguments for ``factory``."""
    accepted = solver_parameters(factory)
    items = pairs.items() if isinstance(pairs, Mapping) else [_split_pair(p) for p in pairs]
    config = {}
    for key, raw in items:
        if key not in accepted:
            choices = ", ".join(accepted) or "none"
            raise SolverConfigError(f"unknown parameter {key!r}; this solver accepts: {choices}")
        kind, _ = accepted[key]
        config[key] = _convert(raw, kind, key) if isinstance(raw, str) else raw
    return config


def _split_pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise SolverConfigError(f"--param {text!r}: expected key=value")
    return key.strip(), value.strip()


@dataclass(frozen=True)
class SolverSpec:
    """Everything needed to rebuild a solver: recorded in every results file."""

    name: str
    config: dict[str, Any]
    version: str = "unknown"

    def build(self) -> Solver:
        info = resolve_solver(self.name)
        return info.factory(**self.config)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def make_spec(name: str, params: list[str] | Mapping[str, Any] = ()) -> SolverSpec:
    """Resolve ``name``, type its params, and check the factory accepts them."""
    info = resolve_solver(name)
    config = parse_params(info.factory, params)
    return SolverSpec(name=name, config=config, version=info.version)
