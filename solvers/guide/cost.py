"""From the guide's probabilities to the search's step costs.

A primitive the model gives probability ``p`` costs ``-log((1 - eps) p + eps / K)``, with
K primitives: the uniform floor ``eps / K`` keeps every primitive reachable however sure
the model is. Costs are divided by ``log K``, so a primitive at the uniform probability
``1 / K`` costs 1, as every primitive does unguided, and the search's ``max_cost`` keeps
its meaning (about "this many average primitives"). They are then rounded to a
:data:`QUANTUM` and floored at :data:`MIN_CALL_COST`: the search batches states of equal
cost together, so a few distinct levels keep batches large.

Finally each cost is capped at 1, the unguided cost: the guide makes likely primitives
cheaper but never makes a primitive dearer than without it, so every program the
unguided search reaches within a bound is still reached within it.

These choices were made on a 60 + 60 task sample of ARC-AGI-1 (seed 0, 10 s per task;
unguided: 24 training and 10 evaluation tasks solved). With a floor of 0.25, a cost bound
of 2 admitted chains of eight likely primitives (``shift_up(shift_down(shift_down(...)))``)
and the search spent its time there: 26 and 8. A floor of 0.5 with ``eps`` 0.5 gave 26 and
9. Without the cap, programs of primitives the guide ranks low fell out of reach, which cost
evaluation tasks. With the cap: 25 and 10.
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
UNGUIDED_COST = 1.0  # what every primitive call costs without a guide: the cap


def primitive_costs(probabilities: Mapping[str, float], epsilon: float = EPSILON) -> dict[str, float]:
    """Per primitive, its guided cost in units of the uniform cost (see the module docstring)."""
    if not 0.0 < epsilon <= 1.0:
        raise ValueError(f"epsilon must be in (0, 1], got {epsilon}")
    k = len(probabilities)
    scale = math.log(k) if k > 1 else 1.0
    costs = {}
    for name, p in probabilities.items():
        nats = -math.log((1 - epsilon) * p + epsilon / k)
        costs[name] = min(UNGUIDED_COST, max(MIN_CALL_COST, round(nats / scale / QUANTUM) * QUANTUM))
    return costs


def step_cost(costs: Mapping[str, float], literal_cost: float = 0.0, slow_cost: float = 0.0) -> StepCost:
    """A search cost hook: the summed guided cost of a step's primitive calls, with the same
    extras as the unguided :func:`solvers.search.size_cost` (per constant, per slow step)."""

    def cost(step: Step) -> float:
        total = sum(costs.get(node.name, 0.0) for node in subexpressions(step.expr) if isinstance(node, Call))
        extra = literal_cost * step.constants + (slow_cost if step.primitive in NO_KERNEL else 0.0)
        return total + extra

    return cost
