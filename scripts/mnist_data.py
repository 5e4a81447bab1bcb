#!/usr/bin/env python3
"""A deterministic MNIST-shaped table for examples/lecture/indexed/mnist_mlp.sd and its
benchmark.

Writes a CSV with the header x[1],...,x[784],t[1],...,t[10] (1-based, as symdiff reads
--data) and N rows: 784 pixels in [0, 1] (about 80% of them 0, the rest k/255, like MNIST's
ink on a blank page) and a one-hot target of a random class. With --params-out it also writes
param values for the network in symdiff's --params JSON format: w1 He normal
(sd = sqrt(2/784)), w2 Glorot uniform (a = sqrt(6/138)), biases 0.

The same --seed gives the same files with every Python 3: only random.Random(seed).random() is
used, whose sequence Python guarantees not to change; normal draws are made from it here
(Box-Muller) rather than by random.gauss, whose algorithm carries no such guarantee.

    python3 scripts/mnist_data.py --rows 1000 -o mnist.csv --params-out mnist.json
"""

import argparse
import json
import math
import random
import sys

INPUTS, HIDDEN, CLASSES = 784, 128, 10


def rows(rng, count):
    """Yields `count` rows of 784 pixels and 10 one-hot targets, as CSV text."""
    for _ in range(count):
        pixels = []
        for _ in range(INPUTS):
            if rng.random() < 0.8:
                pixels.append("0")
            else:
                pixels.append(repr(int(rng.random() * 255 + 1) / 255))
        label = int(rng.random() * CLASSES)
        targets = ["1" if k == label else "0" for k in range(CLASSES)]
        yield ",".join(pixels + targets)


def normal(rng):
    """One standard normal draw (Box-Muller from two uniform draws)."""
    u1 = 1.0 - rng.random()  # in (0, 1], so the logarithm is finite
    u2 = rng.random()
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def params(rng):
    """He normal w1, Glorot uniform w2, zero biases: nested row-major lists."""
    sd = math.sqrt(2.0 / INPUTS)
    w1 = [[sd * normal(rng) for _ in range(INPUTS)] for _ in range(HIDDEN)]
    a = math.sqrt(6.0 / (HIDDEN + CLASSES))
    w2 = [[a * (2.0 * rng.random() - 1.0) for _ in range(HIDDEN)] for _ in range(CLASSES)]
    return {"w1": w1, "b1": [0.0] * HIDDEN, "w2": w2, "b2": [0.0] * CLASSES}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000, help="rows of data (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("-o", "--output", help="the CSV file (default: standard output)")
    parser.add_argument("--params-out", help="also write param values (JSON) to this file")
    args = parser.parse_args()
    if args.rows < 1:
        parser.error("--rows must be at least 1")

    rng = random.Random(args.seed)
    header = [f"x[{i}]" for i in range(1, INPUTS + 1)] + [
        f"t[{k}]" for k in range(1, CLASSES + 1)
    ]
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        out.write(",".join(header) + "\n")
        for line in rows(rng, args.rows):
            out.write(line + "\n")
    finally:
        if args.output:
            out.close()

    if args.params_out:
        # A stream of its own, so the params do not depend on --rows.
        values = params(random.Random(2**32 + args.seed))
        with open(args.params_out, "w", encoding="utf-8") as f:
            json.dump(values, f)
            f.write("\n")


if __name__ == "__main__":
    main()
