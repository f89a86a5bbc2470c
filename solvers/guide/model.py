"""The guide network: a task's demonstrations in, one logit per DSL primitive out.

Written with equinox: a model is an immutable pytree whose ``__call__`` handles one
task, which is the house style (the caller batches with ``jax.vmap``), and its leaves
serialise to a few hundred KB with no framework state around them. optax trains it.

Per demonstration pair, a small convolutional encoder reads the input and the output
grid (one-hot colours plus an inside-the-grid channel, so padding is visible, pooled
by masked mean and max over the true cells only), and an MLP combines the two codes,
their difference and the learning-free pair features. Pairs are pooled (mean and max
over real pairs) and a head gives the logits: independent sigmoids, since a program
uses several primitives.
"""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp

from solvers.guide.features import N_FEATURES, NUM_COLORS, PAD

INITIAL_LOGIT = -4.0


class GridEncoder(eqx.Module):
    """A padded 30x30 grid -> a fixed-size code, reading only its true cells."""

    conv1: eqx.nn.Conv2d
    conv2: eqx.nn.Conv2d
    conv3: eqx.nn.Conv2d

    def __init__(self, width: int, key: jax.Array) -> None:
        k1, k2, k3 = jax.random.split(key, 3)
        channels = NUM_COLORS + 1
        self.conv1 = eqx.nn.Conv2d(channels, width, 3, padding=1, key=k1)
        # Stride 2 halves the grid: a wider view at a quarter of the cost.
        self.conv2 = eqx.nn.Conv2d(width, 2 * width, 3, stride=2, padding=1, key=k2)
        self.conv3 = eqx.nn.Conv2d(2 * width, 2 * width, 3, padding=1, key=k3)

    @property
    def size(self) -> int:
        return 2 * self.conv3.out_channels

    def __call__(self, grid: jax.Array) -> jax.Array:
        inside = grid != PAD
        onehot = jax.nn.one_hot(grid, NUM_COLORS, axis=0)  # PAD encodes as all zeros
        x = jnp.concatenate([onehot, inside[None].astype(onehot.dtype)])
        x = jax.nn.relu(self.conv1(x)) * inside
        x = jax.nn.relu(self.conv2(x))
        x = jax.nn.relu(self.conv3(x))
        cells = inside[::2, ::2]  # the stride-2 output's centres
        count = jnp.maximum(cells.sum(), 1)
        mean = (x * cells).sum(axis=(1, 2)) / count
        peak = jnp.where(cells, x, 0.0).max(axis=(1, 2))  # after relu, 0 is the floor
        return jnp.concatenate([mean, peak])


class GuideNet(eqx.Module):
    """Demonstration pairs -> a logit per primitive (probability a solving program uses it)."""

    encoder: GridEncoder
    pair_mlp: eqx.nn.MLP
    head: eqx.nn.MLP
    n_primitives: int = eqx.field(static=True)

    def __init__(self, n_primitives: int, key: jax.Array, width: int = 8, hidden: int = 128) -> None:
        k_enc, k_pair, k_head = jax.random.split(key, 3)
        self.encoder = GridEncoder(width, k_enc)
        code = self.encoder.size
        self.pair_mlp = eqx.nn.MLP(
            3 * code + N_FEATURES, hidden, hidden, depth=2, activation=jax.nn.gelu, key=k_pair
        )
        head = eqx.nn.MLP(2 * hidden, n_primitives, hidden, depth=1, activation=jax.nn.gelu, key=k_head)
        # Start at the base rate (a program calls ~2 of ~170 primitives): otherwise the first
        # steps spend themselves pushing every logit down, and units die on the way.
        last = head.layers[-1]
        self.head = eqx.tree_at(lambda m: m.layers[-1].bias, head, jnp.full_like(last.bias, INITIAL_LOGIT))
        self.n_primitives = n_primitives

    def __call__(self, grids: jax.Array, features: jax.Array, mask: jax.Array) -> jax.Array:
        """One task: ``grids`` (P, 2, 30, 30), ``features`` (P, F), ``mask`` (P,) -> logits (K,)."""
        codes = jax.vmap(jax.vmap(self.encoder))(grids)  # (P, 2, C)
        inp, out = codes[:, 0], codes[:, 1]
        pairs = jax.vmap(self.pair_mlp)(jnp.concatenate([inp, out, out - inp, features], axis=1))
        real = mask[:, None]
        mean = (pairs * real).sum(axis=0) / jnp.maximum(mask.sum(), 1)
        peak = jnp.where(real, pairs, -jnp.inf).max(axis=0)
        return self.head(jnp.concatenate([mean, peak]))
