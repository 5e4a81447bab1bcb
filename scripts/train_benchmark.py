#!/usr/bin/env python3
"""`symdiff train` against numpy doing the same updates, on a 569x30 logistic regression.

The table is generated (scripts/train_data.py --kind logistic, seed 1: 569 rows of 30
standardised features, the shape of the breast-cancer set, which is not available offline).
Both sides run full-batch training from w = 0, b = 0 with the same optimizer and learning rate,
computing each epoch the mean cross-entropy and its gradient; symdiff's per-epoch time is the
mean of the epoch times its JSON summary reports (the loop alone: no start-up or parsing), numpy's
the mean over the same number of epochs in this process. The final params are compared.

The machine may be shared: each optimizer is measured in --rounds alternated pairs (symdiff,
then numpy), and the median of the per-pair ratios is the number to read.

Usage: python3 scripts/train_benchmark.py [--symdiff target/release/symdiff] [--epochs 2000]
                                          [--rounds 7]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

SD = """network logreg {
    input  x[30]
    target t
    param  w[30] = 0, b = 0
    s = sum(i, w[i] * x[i]) + b
    output y = sigmoid(s)
    loss E = bce(t, y)
}
"""


def numpy_train(x, t, epochs, optimizer, lr):
    n, d = x.shape
    w, b = np.zeros(d), 0.0
    m = [np.zeros(d), 0.0]
    v = [np.zeros(d), 0.0]
    b1, b2, eps = 0.9, 0.999, 1e-8
    start = time.perf_counter()
    for step in range(1, epochs + 1):
        s = x @ w + b
        loss = np.mean(np.logaddexp(0.0, s) - t * s)  # bce(t, sigmoid(s)) from the logit
        r = (1.0 / (1.0 + np.exp(-s)) - t) / n
        gw, gb = x.T @ r, r.sum()
        if optimizer == "sgd":
            w -= lr * gw
            b -= lr * gb
        else:  # adam, PyTorch's order of operations
            c1, c2 = 1 - b1**step, np.sqrt(1 - b2**step)
            m[0] = b1 * m[0] + (1 - b1) * gw
            m[1] = b1 * m[1] + (1 - b1) * gb
            v[0] = b2 * v[0] + (1 - b2) * gw * gw
            v[1] = b2 * v[1] + (1 - b2) * gb * gb
            w -= (lr / c1) * (m[0] / (np.sqrt(v[0]) / c2 + eps))
            b -= (lr / c1) * (m[1] / (np.sqrt(v[1]) / c2 + eps))
        assert np.isfinite(loss)
    seconds = time.perf_counter() - start
    return seconds / epochs, np.append(w, b), loss


def symdiff_train(binary, folder, epochs, optimizer, lr):
    save = os.path.join(folder, f"{optimizer}.json")
    args = [binary, "train", "logreg.sd", "--data", "logistic.csv", "--batch-size", "569",
            "--epochs", str(epochs), "--optimizer", optimizer, "--lr", str(lr),
            "--log-every", str(epochs), "--format", "json", "--save", save]
    out = subprocess.run(args, cwd=folder, capture_output=True, text=True, check=True)
    summary = json.loads(out.stdout)
    per_epoch = sum(e["seconds"] for e in summary["history"]) / epochs
    with open(save) as f:
        p = json.load(f)
    return per_epoch, np.append(np.array(p["w"]), p["b"]), summary["train"]["loss"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--symdiff", default="target/release/symdiff")
    ap.add_argument("--epochs", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=7)
    a = ap.parse_args()
    binary = os.path.abspath(a.symdiff)
    here = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, os.path.join(here, "train_data.py"), "--kind", "logistic",
                        "--rows", "569", "--seed", "1", "-o", os.path.join(folder, "logistic.csv")],
                       check=True)
        with open(os.path.join(folder, "logreg.sd"), "w") as f:
            f.write(SD)
        table = np.loadtxt(os.path.join(folder, "logistic.csv"), delimiter=",", skiprows=1)
        x, t = table[:, :30], table[:, 30]
        print(f"569x30 logistic regression, full batch, {a.epochs} epochs, {a.rounds} alternated "
              f"rounds, numpy {np.__version__}, load average {os.getloadavg()[0]:.1f}")
        print("optimizer  symdiff/epoch  numpy/epoch  ratio (median, quartiles)  max |param diff|")
        for optimizer, lr in [("sgd", 0.5), ("adam", 0.01)]:
            sd_times, np_times, ratios = [], [], []
            for _ in range(a.rounds):
                sd, sd_params, _ = symdiff_train(binary, folder, a.epochs, optimizer, lr)
                npy, np_params, _ = numpy_train(x, t, a.epochs, optimizer, lr)
                sd_times.append(sd)
                np_times.append(npy)
                ratios.append(sd / npy)
            diff = np.max(np.abs(sd_params - np_params))
            q1, med, q3 = np.percentile(ratios, [25, 50, 75])
            print(f"{optimizer:<9}  {np.median(sd_times) * 1e6:10.1f} us  "
                  f"{np.median(np_times) * 1e6:8.1f} us  {med:5.2f} ({q1:.2f}-{q3:.2f})"
                  f"               {diff:.1e}")
        print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
