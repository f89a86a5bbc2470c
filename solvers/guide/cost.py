"""From the guide's probabilities to the search's step costs.

The guide predicts, per primitive, the probability ``p`` that a solving program calls it:
one yes/no question per primitive, so the probabilities add up to about the number of
primitives a solution calls, not to 1. Divided by their sum they become ``q``, a
distribution over which primitive a call is, and a primitive costs
``-log((1 - eps) q + eps / K)``, with K primitives: the uniform floor ``eps / K`` keeps every
primitive reachable however sure the model is. Costs are divided by ``log K``, so a
primitive at the uniform probability ``1 / K`` costs 1, as every primitive does unguided,
and the search's ``max_cost`` keeps its meaning (about "this many average primitives").
They are then rounded to a :data:`QUANTUM` and floored at :data:`MIN_CALL_COST`: the search
batches states of equal cost together, so a few distinct levels keep batches large.

Because ``q`` is a distribution, the guide moves programs earlier or later but a cost bound
holds about as many programs as it does unguided: the likely primitives cost less (a median
of 19 of 171 on the reference tasks the shipped guide held out) and the others a little more
than 1 (at most ``1 + log(1 / eps) / log K``, 1.125 with eps 0.5). Before, without the
division, every primitive above ``1 / K`` got a discount (a median of 31) and the rest were
capped at 1, so each bound held more programs than unguided. Measured on ARC-AGI-1 at 10 s
per task, on the 119 tasks where, in full runs of both searches at commit d747735, one went
past the root's children or only one solved the task (``compare_guided.py --hard``): these
costs solved 69 training and 43 evaluation tasks (capped, undivided: 70 and 42; divided but still
capped: 66 and 43) and evaluated a median 1.69x (training) and 1.38x (evaluation) fewer
candidates before the first fit than the capped costs; on a 60 + 60 task sample (seed 0)
they solved 34 and 16 (capped: 32 and 17; unguided: 32 and 16).

``eps`` 0.5 and the floor of 0.5 were chosen on the same sample before the division: a floor
of 0.25 admitted long chains of likely primitives (``shift_up(shift_down(shift_down(...)))``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from dsl.program import Call, subexpressions
from solvers.kernels import NO_KERNEL
from solvers.steps import Step

StepCost = Callable[[Step], float]

EPSILON = 0.5
QUANTUM = 0.125
MIN_CALL_COST = 0.5


def primitive_costs(probabilities: Mapping[str, float], epsilon: float = EPSILON) -> dict[str, float]:
    """Per primitive, its guided cost in units of the uniform cost (see the module docstring)."""
    if not 0.0 < epsilon <= 1.0:
        raise ValueError(f"epsilon must be in (0, 1], got {epsilon}")
    for name, p in probabilities.items():
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"the probability of {name!r} is {p}; probabilities must lie in [0, 1]")
    k = len(probabilities)
    scale = math.log(k) if k > 1 else 1.0
    total = sum(probabilities.values())
    costs = {}
    for name, p in probabilities.items():
        q = p / total if total > 0 else 1.0 / k  # a guide sure of nothing: the uniform costs
        nats = -math.log((1 - epsilon) * q + epsilon / k)
        costs[name] = max(MIN_CALL_COST, round(nats / scale / QUANTUM) * QUANTUM)
    return costs


def step_cost(costs: Mapping[str, float], literal_cost: float = 0.0, slow_cost: float = 0.0) -> StepCost:
    """A search cost hook: the summed guided cost of a step's primitive calls, with the same
    extras as the unguided :func:`solvers.search.size_cost` (per constant, per slow step)."""

    def cost(step: Step) -> float:
        total = sum(costs.get(node.name, 0.0) for node in subexpressions(step.expr) if isinstance(node, Call))
        extra = literal_cost * step.constants + (slow_cost if step.primitive in NO_KERNEL else 0.0)
        return total + extra

    return cost
