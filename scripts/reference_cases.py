#!/usr/bin/env python3
"""Random expressions over every function of the language, with values and gradients computed
by mpmath at 50 digits: the reference of tests/reference.rs.

    python3 scripts/reference_cases.py 10000 > tests/cases/reference.tsv

Each line: expression, point (name=value,...), value, gradient entries (in the order of the
variables x, y), each a decimal with 20 significant digits, `undefined` where the real
function has no value (a logarithm or fractional power of a negative number, 0/0), or `skip`
with the reason where the case says nothing about the evaluator: the quantity is not a normal
f64, or it is ill-conditioned (a relative change of 1e-13 in the inputs moves it by more than
1e-9 relative, so no f64 evaluation can be expected to get it to 1e-12).
"""

import random
import sys

from mpmath import mp, mpf, mpc, diff, exp, log, sqrt, sin, cos, tan, tanh, fabs

mp.dps = 50

VARS = ["x", "y"]


def sigmoid(v):
    return 1 / (1 + exp(-v))


def softplus(v):
    return log(1 + exp(v))


def real(v):
    if isinstance(v, mpc):
        if v.imag != 0:
            raise ValueError("not real")
        return v.real
    return v


FUNCS = {
    "exp": exp,
    "log": lambda v: log(v) if v > 0 else (_ for _ in ()).throw(Pole() if v == 0 else ValueError("log")),
    "sqrt": lambda v: sqrt(v) if v >= 0 else (_ for _ in ()).throw(ValueError("sqrt")),
    "sin": sin,
    "cos": cos,
    "tan": tan,
    "tanh": tanh,
    "sigmoid": sigmoid,
    "relu": lambda v: v if v > 0 else mpf(0),
    "softplus": softplus,
    "abs": fabs,
    "step": lambda v: mpf(1) if v > 0 else mpf(0),
    "sign": lambda v: mpf(1) if v > 0 else (mpf(-1) if v < 0 else mpf(0)),
    "log_sigmoid": lambda v: -softplus(-v),
}
BINARY = {
    "bce": lambda t, y: -(t * FUNCS["log"](y) + (1 - t) * FUNCS["log"](1 - y)),
    "mse": lambda t, y: (t - y) ** 2,
}
KINKED = {"relu", "abs", "step", "sign"}


class Pole(Exception):
    """Division by 0 or log(0): f64 carries an infinity through, mpmath stops."""


ROUND = [False]


class NotAnF64(Exception):
    """An intermediate value beyond the range of normal f64 numbers."""


def chk(v):
    v = real(v)
    if ROUND[0]:
        v = mpf(float(v))
    if v != 0 and not (mpf("2.2250738585072014e-308") <= fabs(v) <= mpf("1.7976931348623157e308")):
        raise NotAnF64()
    return v


def gen(rng, depth):
    """(text, evaluator, kink arguments) of a random expression; every intermediate value is
    checked to be a normal f64 (or 0)."""
    text, ev, kinks = gen_raw(rng, depth)
    return text, (lambda env: chk(ev(env))), kinks


def gen_raw(rng, depth):
    if depth == 0 or rng.random() < 0.25:
        if rng.random() < 0.7:
            name = rng.choice(VARS)
            return name, (lambda env, n=name: env[n]), []
        c = rng.choice(["2", "3", "1/2", "0.5", "10"])
        value = mpf(c) if "/" not in c else mpf(1) / 2
        return c, (lambda env, v=value: v), []
    kind = rng.random()
    if kind < 0.45:
        f = rng.choice(sorted(FUNCS))
        text, ev, kinks = gen(rng, depth - 1)
        fn = FUNCS[f]
        k = kinks + ([ev] if f in KINKED else [])
        return f"{f}({text})", (lambda env: fn(ev(env))), k
    if kind < 0.55:
        f = rng.choice(sorted(BINARY))
        (ta, ea, ka), (tb, eb, kb) = gen(rng, depth - 1), gen(rng, depth - 1)
        fn = BINARY[f]
        return f"{f}({ta}, {tb})", (lambda env: fn(ea(env), eb(env))), ka + kb
    op = rng.choice(["+", "-", "*", "/", "^"])
    (ta, ea, ka), (tb, eb, kb) = gen(rng, depth - 1), gen(rng, depth - 1)
    if op == "^":
        n = rng.choice(["2", "3", "-1", "1/2", "3/2", "-2"])
        e = mpf(n) if "/" not in n else mpf(int(n.split("/")[0])) / int(n.split("/")[1])
        frac = "/" in n

        def power(env):
            b = ea(env)
            if frac and b < 0:
                raise ValueError("fractional power of a negative number")
            if e < 0 and b == 0:
                raise Pole()
            return b**e

        return f"({ta})^({n})", power, ka
    fn = {
        "+": lambda a, b: a + b,
        "-": lambda a, b: a - b,
        "*": lambda a, b: a * b,
        "/": lambda a, b: a / b if b != 0 else (_ for _ in ()).throw(Pole()),
    }[op]
    return f"({ta}) {op} ({tb})", (lambda env: fn(ea(env), eb(env))), ka + kb


def point(rng):
    """Moderate arguments mostly, large ones (up to 800 in magnitude) one time in four."""
    env = {}
    for v in VARS:
        scale = rng.choice([1, 1, 1, 5, 40, 800])
        env[v] = float(rng.uniform(-scale, scale))
    return env


def fmt(v):
    v = real(v)
    if not mp.isfinite(v):
        return "skip:not finite"
    f = float(v)
    if f == 0.0 and v != 0:
        return "skip:not a normal f64"
    if v != 0 and (abs(f) < 2.2250738585072014e-308 or abs(f) > 1.7e308):
        return "skip:not a normal f64"
    return mp.nstr(v, 20, strip_zeros=False)


def quantities(ev, env):
    f = lambda **kw: real(ev({**env, **kw}))
    vals = [f()]
    for v in VARS:
        vals.append(real(diff(lambda t: f(**{v: t}), mpf(env[v]))))
    return vals


def case(rng):
    text, ev, kinks = gen(rng, rng.randint(1, 4))
    env = point(rng)
    menv = {k: mpf(v) for k, v in env.items()}
    at = ",".join(f"{k}={env[k]!r}" for k in VARS)
    try:
        exact_value = ev(menv)
        ROUND[0] = True
        try:
            rounded = ev(menv)
        finally:
            ROUND[0] = False
    except Pole:
        return f"{text}\t{at}\tskip:a pole (division by 0 or log(0))"
    except (ValueError, ZeroDivisionError):
        return f"{text}\t{at}\tundefined"
    except NotAnF64:
        return f"{text}\t{at}\tskip:an intermediate value is not a normal f64"
    # Every intermediate rounded to f64 (as any f64 evaluation of the expression as written
    # must): where that alone moves the value by more than 1e-9, the f64 value is not
    # determined by the expression as written.
    if exact_value != 0 and fabs((rounded - exact_value) / exact_value) > mpf("1e-9"):
        return f"{text}\t{at}\tskip:unstable in f64 as written (an intermediate rounding moves it)"
    # Kinks: a kink argument within 1e-6 of 0 makes the derivative there the kink rule's.
    for k in kinks:
        try:
            if fabs(k(menv)) < mpf("1e-6"):
                return f"{text}\t{at}\tskip:at a kink"
        except (ValueError, ZeroDivisionError):
            pass
    try:
        exact = quantities(ev, menv)
        # Condition: move every input by a relative 1e-13.
        moved = quantities(ev, {k: v * (1 + mpf("1e-13")) for k, v in menv.items()})
    except (ValueError, ZeroDivisionError, Pole):
        return f"{text}\t{at}\tskip:undefined nearby"
    except NotAnF64:
        return f"{text}\t{at}\tskip:an intermediate value is not a normal f64 nearby"
    cells = []
    for e, m in zip(exact, moved):
        cell = fmt(e)
        if not cell.startswith("skip") and e != 0 and fabs((m - e) / e) > mpf("1e-9"):
            cell = "skip:ill-conditioned"
        cells.append(cell)
    return f"{text}\t{at}\t" + "\t".join(cells)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    rng = random.Random(18)
    for _ in range(n):
        print(case(rng))


if __name__ == "__main__":
    main()
