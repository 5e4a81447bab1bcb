#!/usr/bin/env python3
"""Seeded tables for `symdiff train` examples and benchmarks (numpy only).

  --kind blobs     two Gaussian blobs, centres (-1.5, -1.5) and (1.5, 1.5), sd 1; columns
                   x[1], x[2], t (t = 1 for the second blob)
  --kind linear    t = 2·x - 1 + N(0, 0.1²), x uniform on [-1, 1]; columns x, t
  --kind logistic  a 569x30 logistic-regression table shaped like the breast-cancer set
                   (standardised features, labels from a fixed random linear rule with 5% of
                   them flipped); columns x[1]..x[30], t

Usage: python3 scripts/train_data.py --kind blobs --rows 200 --seed 1 -o blobs.csv
"""
import argparse

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", choices=["blobs", "linear", "logistic"], required=True)
    ap.add_argument("--rows", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    n = a.rows
    if a.kind == "blobs":
        t = (np.arange(n) % 2).astype(float)
        x = rng.normal(size=(n, 2)) + np.where(t[:, None] == 1, 1.5, -1.5)
        header = ["x[1]", "x[2]", "t"]
        table = np.column_stack([x, t])
    elif a.kind == "linear":
        x = rng.uniform(-1, 1, size=n)
        t = 2 * x - 1 + rng.normal(scale=0.1, size=n)
        header = ["x", "t"]
        table = np.column_stack([x, t])
    else:
        d = 30
        x = rng.normal(size=(n, d))
        w = rng.normal(size=d)
        t = (x @ w + 0.5 * rng.normal(size=n) > 0).astype(float)
        flip = rng.random(n) < 0.05
        t[flip] = 1 - t[flip]
        header = [f"x[{i + 1}]" for i in range(d)] + ["t"]
        table = np.column_stack([x, t])
    with open(a.output, "w") as f:
        f.write(",".join(header) + "\n")
        for row in table:
            f.write(",".join(repr(float(v)) for v in row) + "\n")


if __name__ == "__main__":
    main()
