"""The plug-in API: registry, did-you-mean, module:attr paths, typed --param values."""

from __future__ import annotations

import pytest

from arc_harness import solvers as api


def test_builtin_baselines_are_registered():
    names = api.available_solvers()
    assert {"identity", "symmetry", "majority_output"} <= set(names)
    assert names["identity"]  # every built-in has a description


def test_unknown_name_suggests_close_matches():
    with pytest.raises(api.SolverNotFound) as err:
        api.resolve_solver("identiy")
    message = str(err.value)
    assert "Did you mean identity" in message and "symmetry" in message


def test_duplicate_registration_raises():
    @api.solver("test-dup-name")
    def first() -> api.Solver:
        """First."""
        return lambda task, budget: api.Prediction([])

    with pytest.raises(ValueError, match="already taken"):

        @api.solver("test-dup-name")
        def second() -> api.Solver:
            """Second."""
            return lambda task, budget: api.Prediction([])


def test_module_attr_path_resolves_plain_factories():
    info = api.resolve_solver("fixture_solvers:slow")
    assert info.factory.__name__ == "slow"
    with pytest.raises(api.SolverNotFound, match="no attribute"):
        api.resolve_solver("fixture_solvers:nope")
    with pytest.raises(api.SolverNotFound, match="cannot import"):
        api.resolve_solver("no_such_module_xyz:thing")


def configurable(
    depth: int = 2,
    rate: float = 0.5,
    greedy: bool = False,
    label: str = "x",
    cap: int | None = None,
) -> api.Solver:
    """A factory with typed keyword configuration."""
    return lambda task, budget: api.Prediction([])


def test_params_are_typed_from_the_signature():
    config = api.parse_params(configurable, ["depth=3", "rate=0.25", "greedy=yes", "label=abc", "cap=none"])
    assert config == {"depth": 3, "rate": 0.25, "greedy": True, "label": "abc", "cap": None}
    assert api.parse_params(configurable, ["cap=7"]) == {"cap": 7}


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("depth=deep", "expected int"),
        ("greedy=maybe", "true or false"),
        ("colour=3", "accepts: depth, rate"),
        ("depth", "key=value"),
    ],
)
def test_bad_params_get_clear_errors(pair, message):
    with pytest.raises(api.SolverConfigError, match=message):
        api.parse_params(configurable, [pair])


def test_spec_records_name_config_and_version():
    spec = api.make_spec("identity")
    assert spec.to_json() == {"name": "identity", "config": {}, "version": spec.version}
    assert spec.version != ""
