#!/usr/bin/env python3
"""The 784-128-10 MLP's forward and backward pass over a batch of rows in numpy, the reference
the indexed batched evaluator is held against (benches/indexed.rs runs this script in the same
run, on the same numbers, and checks that both give the same loss and gradient).

    h[n,j] = relu(sum_i w1[j,i] x[n,i] + b1[j])
    z[n,k] = sum_j w2[k,j] h[n,j] + b2[k]
    E      = sum_n logsumexp_m z[n,m] - sum_k t[n,k] z[n,k]

Usage: mnist_numpy_bench.py DIR ROWS INPUTS HIDDEN CLASSES REPEATS
DIR holds x.f64, t.f64, w1.f64, b1.f64, w2.f64, b2.f64 (little-endian f64, row-major).
Prints one line: the loss, the sum of each gradient, and the median, first and third quartile
of REPEATS timings of one forward and backward pass, in seconds. Thread counts are whatever
the environment says (OPENBLAS_NUM_THREADS and friends).
"""
import os
import sys
import time

import numpy as np


def load(directory, name, shape):
    path = os.path.join(directory, name + ".f64")
    return np.fromfile(path, dtype="<f8").reshape(shape)


def forward_backward(x, t, w1, b1, w2, b2):
    s = x @ w1.T + b1
    h = np.maximum(s, 0.0)
    z = h @ w2.T + b2
    m = z.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(z - m).sum(axis=1))
    loss = (lse - (t * z).sum(axis=1)).sum()
    p = np.exp(z - lse[:, None])
    dz = p * t.sum(axis=1, keepdims=True) - t
    gw2 = dz.T @ h
    gb2 = dz.sum(axis=0)
    ds = (dz @ w2) * (s > 0.0)
    gw1 = ds.T @ x
    gb1 = ds.sum(axis=0)
    return loss, gw1, gb1, gw2, gb2


def main():
    directory = sys.argv[1]
    rows, inputs, hidden, classes, repeats = (int(a) for a in sys.argv[2:7])
    x = load(directory, "x", (rows, inputs))
    t = load(directory, "t", (rows, classes))
    w1 = load(directory, "w1", (hidden, inputs))
    b1 = load(directory, "b1", (hidden,))
    w2 = load(directory, "w2", (classes, hidden))
    b2 = load(directory, "b2", (classes,))
    result = forward_backward(x, t, w1, b1, w2, b2)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        forward_backward(x, t, w1, b1, w2, b2)
        times.append(time.perf_counter() - start)
    times.sort()
    q = lambda f: times[round((len(times) - 1) * f)]
    loss, gw1, gb1, gw2, gb2 = (float(np.sum(v)) for v in result)
    print(
        f"loss={loss!r} w1={gw1!r} b1={gb1!r} w2={gw2!r} b2={gb2!r}"
        f" median={q(0.5)!r} q1={q(0.25)!r} q3={q(0.75)!r}"
    )


if __name__ == "__main__":
    main()
