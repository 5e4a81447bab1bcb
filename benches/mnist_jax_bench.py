#!/usr/bin/env python3
"""The 784-128-10 MLP's mean loss and gradient over a batch, f32, through JAX's jit on one CPU
core: the reference `benches/generated_mlp.rs` holds the generated code against (it writes the
numbers, runs this script pinned to one core, and checks the loss first).

    h[n,j] = relu(sum_i w1[j,i] x[n,i] + b1[j])
    z[n,k] = sum_j w2[k,j] h[n,j] + b2[k]
    E      = mean_n (logsumexp_m z[n,m] - sum_k t[n,k] z[n,k])

Usage: mnist_jax_bench.py DIR ROWS REPEATS
DIR holds x.f32, t.f32, w1.f32, b1.f32, w2.f32, b2.f32 (little-endian f32, row-major).
Prints one line: the loss, then the median, first and third quartile of REPEATS timings of
one jitted value-and-gradient call, in seconds.
"""
import os
import sys

# One thread for XLA's CPU backend (with `taskset -c 0` from the caller: one core).
os.environ.setdefault(
    "XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
)
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import time  # noqa: E402

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402


def load(directory, name, shape):
    return jnp.asarray(np.fromfile(os.path.join(directory, name + ".f32"), dtype="<f4").reshape(shape))


def loss(params, x, t):
    w1, b1, w2, b2 = params
    h = jnp.maximum(x @ w1.T + b1, 0.0)
    z = h @ w2.T + b2
    return jnp.mean(jax.nn.logsumexp(z, axis=1) - jnp.sum(t * z, axis=1))


def main():
    directory, rows, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    x, t = load(directory, "x", (rows, 784)), load(directory, "t", (rows, 10))
    params = (
        load(directory, "w1", (128, 784)),
        load(directory, "b1", (128,)),
        load(directory, "w2", (10, 128)),
        load(directory, "b2", (10,)),
    )
    step = jax.jit(jax.value_and_grad(loss))
    value, grads = step(params, x, t)
    jax.block_until_ready(grads)
    for _ in range(20):
        jax.block_until_ready(step(params, x, t))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(step(params, x, t))
        times.append(time.perf_counter() - start)
    times.sort()
    q = lambda f: times[round((len(times) - 1) * f)]
    print(f"{float(value)!r} {q(0.5)} {q(0.25)} {q(0.75)}")


if __name__ == "__main__":
    main()
