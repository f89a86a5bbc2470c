"""The search guide: features, synthetic data, network, checkpoints, costs, and its use in search."""

from __future__ import annotations

import math
import time
import zipfile

import jax
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from arc_harness.tasks import Pair, Task, as_grid
from dsl import registry
from dsl.program import parse, primitives_used
from dsl.rewrite import simplify
from solvers.guide import Guide, checkpoint, cost, features, synthetic, train
from solvers.guide.model import GuideNet
from solvers.search_solver import search_solver
from solvers.steps import enumerate_steps


def _grid(rows) -> np.ndarray:
    return as_grid(rows)


def _task(pairs, split="training", tid="t") -> Task:
    train = tuple(Pair(_grid(i), _grid(o)) for i, o in pairs[:-1])
    test = (Pair(_grid(pairs[-1][0]), _grid(pairs[-1][1])),)
    return Task(tid, train, test, split)


FLIP = _task(
    [
        ([[1, 2, 0], [3, 4, 0]], [[0, 2, 1], [0, 4, 3]]),
        ([[5, 0], [0, 6], [7, 7]], [[0, 5], [6, 0], [7, 7]]),
        ([[1, 1, 2]], [[2, 1, 1]]),
        ([[3, 0, 0, 4]], [[4, 0, 0, 3]]),
    ]
)


def _tiny_tasks(n: int = 6) -> list[Task]:
    rng = np.random.default_rng(3)
    tasks = []
    for t in range(n):
        pairs = []
        for _ in range(3):
            g = rng.integers(0, 4, size=(int(rng.integers(3, 7)), int(rng.integers(3, 7))))
            pairs.append((g.tolist(), g.tolist()))
        tasks.append(_task(pairs, tid=f"s{t}"))
    return tasks


# --- features ---------------------------------------------------------------------------------


def test_task_arrays_pad_outside_true_sizes_and_mask_real_pairs():
    arrays = features.task_arrays([(p.input, p.output) for p in FLIP.train])
    assert arrays.grids.shape == (features.MAX_PAIRS, 2, 30, 30)
    assert arrays.mask.tolist() == [True] * 3 + [False] * (features.MAX_PAIRS - 3)
    assert (arrays.grids[0, 0, :2, :3] == FLIP.train[0].input).all()
    assert (arrays.grids[0, 0, 2:, :] == features.PAD).all() and (
        arrays.grids[0, 0, :, 3:] == features.PAD
    ).all()
    assert (arrays.grids[3:] == features.PAD).all() and not arrays.features[3:].any()


def test_pair_features_see_shapes_colours_and_symmetry():
    grid = _grid([[1, 2, 1]])
    doubled = _grid([[1, 2, 1, 1, 2, 1]])
    same = features.pair_features(grid, grid)
    wider = features.pair_features(grid, doubled)
    assert same.shape == (features.N_FEATURES,) and same.dtype == np.float32
    assert not np.array_equal(same, wider)  # the width ratio shows
    # [hi, wi, ho, wo, log2 ratio h, log2 ratio w, ...]
    assert wider[5] == pytest.approx(math.log2(2) / 5) and same[5] == 0.0
    assert features.pair_features(_grid([[3]]), _grid([[4]])).max() <= 1.0 + 1e-6


def test_task_arrays_needs_a_pair():
    with pytest.raises(ValueError, match="at least one"):
        features.task_arrays([])


def _random_pairs(rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    def grid() -> np.ndarray:
        shape = tuple(int(n) for n in rng.integers(1, 8, size=2))
        return rng.integers(0, 10, size=shape).astype(np.int8)

    return [(grid(), grid()) for _ in range(int(rng.integers(1, features.MAX_PAIRS + 2)))]


def test_recolour_gives_the_arrays_of_the_recoloured_task():
    rng = np.random.default_rng(5)
    tasks = [_random_pairs(rng) for _ in range(6)]
    perms = np.array([[0, *(1 + rng.permutation(9))] for _ in tasks])
    perms[0] = np.arange(10)  # the identity leaves a task as it was
    recoloured = features.recolour(features.stack([features.task_arrays(p) for p in tasks]), perms)
    renamed = [[(m[i], m[o]) for i, o in pairs] for pairs, m in zip(tasks, perms, strict=True)]
    expected = features.stack([features.task_arrays(pairs) for pairs in renamed])
    np.testing.assert_array_equal(recoloured.grids, expected.grids)
    np.testing.assert_allclose(recoloured.features, expected.features, atol=1e-6)
    np.testing.assert_array_equal(recoloured.mask, expected.mask)


def test_recolour_keeps_the_background():
    arrays = features.stack([features.task_arrays([(_grid([[0, 1]]), _grid([[1, 0]]))])])
    swap = np.array([[1, 0, 2, 3, 4, 5, 6, 7, 8, 9]])
    with pytest.raises(ValueError, match="fixing 0"):
        features.recolour(arrays, swap)


# --- synthetic data ---------------------------------------------------------------------------


def test_synthetic_data_refuses_evaluation_tasks():
    evaluation = _task([([[1]], [[2]]), ([[1]], [[2]])], split="evaluation", tid="e1")
    with pytest.raises(ValueError, match="e1 is from the 'evaluation' split"):
        synthetic.synthesize([*_tiny_tasks(), evaluation], 5, seed=0)
    with pytest.raises(ValueError, match="training only"):
        synthetic.reference_examples({}, [evaluation])


def test_synthesize_is_seeded_non_trivial_labelled_and_distinct():
    tasks = _tiny_tasks()
    made = synthetic.synthesize(tasks, 40, seed=1, max_depth=2)
    again = synthetic.synthesize(tasks, 40, seed=1, max_depth=2)
    assert len(made) == 40
    assert [e.program for e in made] == [e.program for e in again]
    probes = synthetic.probe_grids(tasks)
    behaviours = set()
    sources = {t.id: t for t in tasks}
    for example in made:
        program = parse(example.program)
        assert example.labels == primitives_used(program)
        assert any(i.shape != o.shape or (i != o).any() for i, o in example.pairs)
        inputs = [p.input for p in sources[example.source].train + sources[example.source].test]
        assert all(any(i is g for g in inputs) for i, _ in example.pairs)  # inputs of its source task
        # Labelled by the simplest form of the drawn program on these inputs: same outputs.
        grids = [i for i, _ in example.pairs]
        assert simplify(parse(example.drawn), grids) == program
        shown = synthetic._outputs(program, grids)
        assert all(np.array_equal(s, o) for s, (_, o) in zip(shown, example.pairs, strict=True))
        behaviours.add(synthetic._behaviour(synthetic._outputs(parse(example.drawn), probes)))
    assert len(behaviours) == len(made)
    assert any(e.drawn != e.program for e in made)


def test_reference_labels_drop_calls_the_task_cannot_show():
    # No input of FLIP (test input included) holds colour 9: the recolouring does nothing.
    written = parse("flip_horizontal(recolor(I, 9, 3))")
    (example,) = synthetic.reference_examples({FLIP.id: written}, [FLIP])
    assert example.labels == {"flip_horizontal"}
    assert (example.program, example.drawn) == ("flip_horizontal(I)", str(written))
    assert len(example.pairs) == len(FLIP.train)


def test_mutated_references_give_seeded_distinct_labelled_tasks():
    tasks = _tiny_tasks()
    references = {"s0": parse("flip_horizontal(recolor(I, 1, 2))"), "s1": parse("rot90(crop_to_content(I))")}
    made = synthetic.mutated(references, tasks, 30, seed=2)
    assert len(made) == 30
    assert [e.program for e in made] == [e.program for e in synthetic.mutated(references, tasks, 30, seed=2)]
    assert len({(e.source, synthetic._behaviour([o for _, o in e.pairs])) for e in made}) == len(made)
    for example in made:
        assert example.drawn not in {str(p) for p in references.values()}
        grids = [i for i, _ in example.pairs]
        assert simplify(parse(example.drawn), grids) == parse(example.program)
        assert example.labels == primitives_used(parse(example.program))
        assert any(i.shape != o.shape or (i != o).any() for i, o in example.pairs)
    evaluation = _task([([[1]], [[2]]), ([[1]], [[2]])], split="evaluation", tid="e1")
    with pytest.raises(ValueError, match="training only"):
        synthetic.mutated(references, [*tasks, evaluation], 5, seed=0)


def test_label_matrix_marks_each_used_primitive():
    names = synthetic.vocabulary()
    example = synthetic.Example((), frozenset({"rot90", "recolor"}), "rot90(recolor(I, 1, 2))", "x")
    labels = synthetic.label_matrix([example], names)
    assert (
        labels.sum() == 2 and labels[0, names.index("rot90")] == 1 and labels[0, names.index("recolor")] == 1
    )


# --- network ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def net() -> GuideNet:
    return GuideNet(len(synthetic.vocabulary()), jax.random.PRNGKey(0))


def test_network_reads_one_task_and_vmaps_over_many(net):
    one = features.task_arrays([(p.input, p.output) for p in FLIP.train])
    two = features.task_arrays([(p.input, p.input) for p in FLIP.train])
    logits = np.asarray(net(one.grids, one.features, one.mask))
    assert logits.shape == (len(synthetic.vocabulary()),)
    batch = features.stack([one, two])
    batched = np.asarray(train.predict(net, batch.grids, batch.features, batch.mask))
    np.testing.assert_allclose(batched[0], logits, rtol=1e-5, atol=1e-5)
    assert not np.allclose(batched[0], batched[1])


def test_network_ignores_padding_and_unused_pair_slots(net):
    arrays = features.task_arrays([(p.input, p.output) for p in FLIP.train])
    noisy = arrays.grids.copy()
    noisy[3:] = 5  # the unused pair slots
    base = np.asarray(net(arrays.grids, arrays.features, arrays.mask))
    np.testing.assert_allclose(np.asarray(net(noisy, arrays.features, arrays.mask)), base, atol=1e-5)


# --- training and checkpoints -----------------------------------------------------------------


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    tasks = _tiny_tasks()
    # The first reference (by task id) is held out; the second is trained on and mutated.
    programs = {tasks[0].id: parse("flip_horizontal(I)"), tasks[1].id: parse("rot90(I)")}
    config = train.TrainConfig(
        synthetic_tasks=60, mutant_tasks=10, epochs=3, batch_size=16, max_depth=2, width=4, hidden=32
    )
    model, metadata = train.train(tasks, programs, config)
    path = checkpoint.save(tmp_path_factory.mktemp("guide") / "g.zip", model, metadata)
    return model, metadata, path


def test_training_lowers_the_loss_and_records_held_out_figures(trained):
    _, metadata, _ = trained
    losses = metadata["training"]["epoch_losses"]
    assert len(losses) == 3 and losses[-1] < losses[0]
    synthetic_figures = metadata["validation"]["synthetic"]
    assert synthetic_figures["tasks"] == 6 and 0.0 <= synthetic_figures["recall_at_10"] <= 1.0
    assert metadata["training"]["synthetic_train"] == 54
    assert metadata["training"]["mutant_train"] == 10


def test_checkpoint_round_trip_gives_the_same_predictions(trained):
    model, metadata, path = trained
    loaded = checkpoint.load(path)
    assert loaded.metadata["registry_hash"] == registry.table_hash()
    assert loaded.vocabulary == synthetic.vocabulary()
    arrays = features.task_arrays([(p.input, p.output) for p in FLIP.train])
    np.testing.assert_array_equal(
        np.asarray(loaded.model(arrays.grids, arrays.features, arrays.mask)),
        np.asarray(model(arrays.grids, arrays.features, arrays.mask)),
    )


def test_checkpoint_from_another_registry_is_refused(trained, monkeypatch):
    _, _, path = trained
    monkeypatch.setattr(registry, "table_hash", lambda table=None: "0123456789abcdef")
    with pytest.raises(
        checkpoint.CheckpointError, match=r"g\.zip: trained against DSL registry .* guide train"
    ):
        checkpoint.load(path)


def test_broken_checkpoint_names_the_file(tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(checkpoint.CheckpointError, match="bad.zip: not a guide checkpoint"):
        checkpoint.load(bad)
    with zipfile.ZipFile(tmp_path / "old.zip", "w") as archive:
        archive.writestr("metadata.json", '{"schema_version": 99}')
    with pytest.raises(checkpoint.CheckpointError, match="schema version 99"):
        checkpoint.load(tmp_path / "old.zip")


def test_recall_at_counts_true_primitives_in_the_top_k():
    logits = np.array([[3.0, 2.0, 1.0, 0.0]])
    labels = np.array([[1.0, 0.0, 0.0, 1.0]])
    assert train.recall_at(logits, labels, k=2) == (0.5, 0.0)
    assert train.recall_at(logits, labels, k=4) == (1.0, 1.0)


# --- costs ------------------------------------------------------------------------------------


def test_uniform_probability_costs_one_and_likelier_primitives_cost_less():
    k = 100
    assert set(cost.primitive_costs({f"p{i}": 0.3 for i in range(k)}).values()) == {1.0}
    costs = cost.primitive_costs({f"p{i}": (0.9 if i == 0 else 0.01) for i in range(k)}, epsilon=0.1)
    assert cost.MIN_CALL_COST <= costs["p0"] < 1.0 < costs["p1"]
    assert all(c % cost.QUANTUM == 0 for c in costs.values())
    # A guide sure of nothing leaves the search as it is unguided.
    assert set(cost.primitive_costs({"a": 0.0, "b": 0.0}).values()) == {1.0}
    with pytest.raises(ValueError, match="epsilon"):
        cost.primitive_costs({"a": 0.5}, epsilon=0.0)
    with pytest.raises(ValueError, match="probabilities"):
        cost.primitive_costs({"a": 1.5, "b": 0.5})


probability_tables = st.lists(st.integers(0, 1000), min_size=2, max_size=200).map(
    lambda ps: {f"p{i}": p / 1000 for i, p in enumerate(ps)}
)


@given(probability_tables, st.sampled_from([0.1, 0.5, 1.0]))
def test_guided_costs_keep_a_bound_about_as_full_as_unguided(probabilities, epsilon):
    """Costs come from a distribution over primitives: only the probabilities' ratios count,
    no primitive costs more than the uniform floor allows, and ``sum K ** -cost`` (about how
    many programs a bound holds, relative to unguided) is at most 1, up to the rounding to a
    quantum (the floor on costs only lowers it)."""
    costs = cost.primitive_costs(probabilities, epsilon)
    k = len(probabilities)
    assert cost.primitive_costs({n: p / 2 for n, p in probabilities.items()}, epsilon) == costs
    dearest = 1 + math.log(1 / epsilon) / math.log(k)
    assert all(cost.MIN_CALL_COST <= c <= dearest + cost.QUANTUM / 2 for c in costs.values())
    mass = sum(k**-c for c in costs.values())
    assert mass <= k ** (cost.QUANTUM / 2)


def test_step_cost_sums_the_calls_of_a_step():
    steps = {s.text: s for s in enumerate_steps((0, 1, 2))}
    costs = {name: 1.0 for name in registry.primitives()} | {"flip_horizontal": 0.25, "rot90": 0.5}
    hook = cost.step_cost(costs)
    assert hook(steps["flip_horizontal(I)"]) == 0.25
    chained = next(s for s in steps.values() if s.calls == 2 and "largest_object" in s.text)
    assert hook(chained) == 2.0
    assert cost.step_cost(costs, literal_cost=0.5)(steps["recolor(I, 1, 2)"]) == 2.0


# --- the shipped checkpoint and the search --------------------------------------------------


def test_shipped_checkpoint_matches_the_registry_and_trained_on_training_only():
    metadata = checkpoint.read_metadata(checkpoint.DEFAULT)
    checkpoint.check_registry(checkpoint.DEFAULT, metadata)  # retrain after changing the DSL
    assert checkpoint.DEFAULT.stat().st_size < 5_000_000
    assert metadata["training"]["dataset"]["split"] == "training"
    # A model that ignores its input (the label frequencies) scores about 26% here.
    assert metadata["validation"]["synthetic"]["recall_at_10"] > 0.4


def test_guide_reads_demonstrations_only():
    guide = Guide.load("default")
    public = FLIP.public()  # test outputs removed
    probs = guide.probabilities(public)
    assert set(probs) == set(registry.primitives()) and all(0.0 <= p <= 1.0 for p in probs.values())
    assert guide.probabilities(FLIP) == probs


def test_guided_search_solves_and_records_the_guide():
    from arc_harness.solvers import Budget

    solve = search_solver(guide="default")
    prediction = solve(FLIP.public(), Budget(time_limit=20.0, deadline=time.time() + 20.0, seed=0))
    assert prediction.attempts[0][0] == FLIP.test[0].output.tolist()
    assert prediction.metadata["guide"] == "default"
    assert prediction.metadata["first_fit_nodes"] is not None


class _FlipPrior:
    """A guide of one's own: sure of flip_horizontal; records the tasks it is shown."""

    def __init__(self) -> None:
        self.shown: list[Task] = []

    def probabilities(self, task: Task) -> dict[str, float]:
        self.shown.append(task)
        return {name: float(name == "flip_horizontal") for name in registry.primitives()}


def test_a_guide_of_ones_own_orders_the_search_and_sees_no_test_output():
    from arc_harness.solvers import Budget

    def solve(guide):
        budget = Budget(time_limit=20.0, deadline=time.time() + 20.0, seed=0)
        return search_solver(guide=guide, colour_views=False)(FLIP.public(), budget)

    prior = _FlipPrior()
    guided, unguided = solve(prior), solve(None)
    assert guided.attempts[0][0] == FLIP.test[0].output.tolist()
    assert guided.metadata["guide"] == "_FlipPrior" and unguided.metadata["guide"] is None
    # The likely primitive's steps are tried before the rest of the first level.
    assert guided.metadata["first_fit_candidates"] < unguided.metadata["first_fit_candidates"]
    assert prior.shown and all(p.output is None for task in prior.shown for p in task.test)


def test_unknown_guide_checkpoint_fails_when_the_solver_is_built(tmp_path):
    with pytest.raises(checkpoint.CheckpointError, match="missing.zip"):
        search_solver(guide=str(tmp_path / "missing.zip"))
