#!/usr/bin/env python3
"""The numpy reference for examples/lecture/indexed/mnist_mlp.sd: the same loss and gradient,
summed over the rows of a --data table, computed with numpy; the benchmark compares
`symdiff grad --data` against it (BENCHMARKS.md).

The network (784-128-10, ReLU, softmax and cross-entropy), for each row n:
    s = w1 x + b1,  h = relu(s),  z = w2 h + b2,
    log p = z - logsumexp(z)  (maximum shifted out),  E_n = -sum_k t_k log p_k,
and E = sum_n E_n. The backward pass is the factored form symdiff derives:
    dE/dz_k = p_k sum_m t_m - t_k  (p_k - t_k for a one-hot t),
    dE/dw2 = dz^T h,  dE/db2 = sum_n dz,  dE/dh = dz w2,
    dE/ds = dE/dh [s > 0]  (relu'(s) = 1 for s > 0, 0 for s <= 0, the lecture's convention),
    dE/dw1 = ds^T x,  dE/db1 = sum_n ds.

Reads the table (header x[1..784], t[1..10], columns found by name) and the params (symdiff's
--params JSON: {"w1": [[...], ...], "b1": [...], "w2": ..., "b2": ...}) once, then times the
forward and backward pass alone, best of --repeat runs, and prints
    rows 1000
    loss <E, shortest round-trip decimal>
    seconds <best time of one forward and backward pass>
    load_seconds <time to read the CSV and JSON>
With --gradient-out it writes the gradient in the --params format, to compare with symdiff's.

numpy is not in Python's standard library: `python3 -m pip install numpy`. numpy's matrix
products may use several threads; set OPENBLAS_NUM_THREADS=1 (or OMP_NUM_THREADS=1) to time
one core.

    python3 scripts/mnist_numpy.py --data mnist.csv --params mnist.json
"""

import argparse
import json
import sys
import time

try:
    import numpy as np
except ImportError:
    sys.exit("mnist_numpy.py needs numpy: python3 -m pip install numpy")

INPUTS, HIDDEN, CLASSES = 784, 128, 10
SHAPES = {"w1": (HIDDEN, INPUTS), "b1": (HIDDEN,), "w2": (CLASSES, HIDDEN), "b2": (CLASSES,)}


def read_table(path):
    """The inputs (n x 784) and targets (n x 10) of a CSV, its columns found by header name."""
    with open(path, encoding="utf-8") as f:
        header = [name.strip() for name in f.readline().split(",")]
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    position = {name: k for k, name in enumerate(header)}

    def columns(name, count):
        missing = [f"{name}[{i}]" for i in range(1, count + 1) if f"{name}[{i}]" not in position]
        if missing:
            sys.exit(f"{path}: no column {missing[0]} (expected {name}[1] ... {name}[{count}])")
        return data[:, [position[f"{name}[{i}]"] for i in range(1, count + 1)]]

    return columns("x", INPUTS), columns("t", CLASSES)


def read_params(path):
    """The four params as float64 arrays of their declared shapes."""
    with open(path, encoding="utf-8") as f:
        given = json.load(f)
    params = {}
    for name, shape in SHAPES.items():
        if name not in given:
            sys.exit(f"{path}: no values for `{name}` (expected a list of shape {list(shape)})")
        value = np.array(given[name], dtype=np.float64)
        if value.shape != shape:
            sys.exit(f"{path}: `{name}` has shape {list(value.shape)}, expected {list(shape)}")
        params[name] = value
    return params


def loss_and_gradient(p, x, t):
    """E summed over the rows, and its gradient with respect to every param."""
    s = x @ p["w1"].T + p["b1"]
    h = np.maximum(s, 0.0)
    z = h @ p["w2"].T + p["b2"]
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -(t * log_p).sum()

    dz = np.exp(log_p) * t.sum(axis=1, keepdims=True) - t
    dh = dz @ p["w2"]
    ds = dh * (s > 0.0)
    gradient = {
        "w1": ds.T @ x,
        "b1": ds.sum(axis=0),
        "w2": dz.T @ h,
        "b2": dz.sum(axis=0),
    }
    return loss, gradient


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="the CSV table (mnist_data.py)")
    parser.add_argument("--params", required=True, help="param values (symdiff's JSON format)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs (default 7)")
    parser.add_argument("--gradient-out", help="write the gradient (JSON) to this file")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    start = time.perf_counter()
    x, t = read_table(args.data)
    params = read_params(args.params)
    load_seconds = time.perf_counter() - start

    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        loss, gradient = loss_and_gradient(params, x, t)
        best = min(best, time.perf_counter() - start)

    print(f"rows {x.shape[0]}")
    print(f"loss {float(loss)!r}")
    print(f"seconds {best:.6f}")
    print(f"load_seconds {load_seconds:.6f}")
    if args.gradient_out:
        with open(args.gradient_out, "w", encoding="utf-8") as f:
            json.dump({name: g.tolist() for name, g in gradient.items()}, f)
            f.write("\n")


if __name__ == "__main__":
    main()
