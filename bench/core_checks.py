"""Time every identity of the trusted-core issue through derive.core.check and print the
label each got. Run: python bench/core_checks.py [--repeat 3]

Each figure is the median wall time of one check() call (worker start-up included)."""

from __future__ import annotations

import argparse
import statistics
import time

import sympy as sp

from derive.core import (
    EXACT_CLASSES,
    Indicator,
    Partial,
    SumExcept,
    check,
    different,
    indices,
    one_hot,
    same,
    softmax_notation,
    sums_to_one,
)


def cases():
    nt = softmax_notation()
    z, s, y, K = nt.logits, nt.softmax, nt.labels, nt.classes
    i, j, k, l, o = indices("i j k l o")  # noqa: E741
    L = sp.Symbol("L")
    S = sp.Sum(sp.exp(z[k]), (k, 1, K))
    e_i, e_j = sp.exp(z[i]), sp.exp(z[j])
    b = softmax_notation(examples="N")
    n = indices("n")[0]
    yield "quotient form, i = j", nt, Partial(s[i], z[j]), (e_i * S - e_i * e_j) / S**2, (same(i, j),)
    yield "… = s_i − s_i²", nt, (e_i * S - e_i * e_i) / S**2, s[i] - s[i] ** 2, ()
    yield "… = s_i(1 − s_i)", nt, s[i] - s[i] ** 2, s[i] * (1 - s[i]), ()
    yield "−e^{z_i}e^{z_j}/S² = −s_i s_j, i ≠ j", nt, Partial(s[i], z[j]), -s[i] * s[j], (different(i, j),)
    yield "s_i(δ_ij − s_j)", nt, Partial(s[i], z[j]), s[i] * (sp.KroneckerDelta(i, j) - s[j]), ()
    yield "log s_i = z_i − log Σ e^{z_l}", nt, sp.log(s[i]), z[i] - sp.log(sp.Sum(sp.exp(z[l]), (l, 1, K))), ()
    yield "∂ log s_i/∂z_j = δ_ij − s_j", nt, Partial(sp.log(s[i]), z[j]), Indicator(i, j) - s[j], ()
    yield "∂s_i/∂z_j = s_i ∂log s_i/∂z_j", nt, Partial(s[i], z[j]), s[i] * Partial(sp.log(s[i]), z[j]), ()
    yield "∂L/∂s_i = −y_i/s_i", nt, Partial(L, s[i]), -y[i] / s[i], ()
    yield (
        "split k = i out of Σ_k",
        nt,
        sp.Sum(y[k] * s[k], (k, 1, K)),
        y[i] * s[i] + SumExcept(y[k] * s[k], k, K, i),
        (),
    )
    yield "Σ_{k≠i} y_k = 1 − y_i", nt, SumExcept(y[k], k, K, i), 1 - y[i], (sums_to_one(y),)
    yield "∂L/∂z_i = s_i − y_i", nt, Partial(L, z[i]), s[i] - y[i], (sums_to_one(y),)
    yield (
        "batch ∂L/∂z_{n,i}",
        b,
        Partial(L, b.logits[n, i]),
        (b.softmax[n, i] - b.labels[n, i]) / b.examples,
        (sums_to_one(b.labels),),
    )
    yield "REJECT sign flip", nt, Partial(s[i], z[j]), s[i] * s[j], (different(i, j),)
    yield "REJECT s_i(1 − s_j), i ≠ j", nt, Partial(s[i], z[j]), s[i] * (1 - s[j]), (different(i, j),)
    yield (
        "REJECT dropped 1/N",
        b,
        Partial(L, b.logits[n, i]),
        b.softmax[n, i] - b.labels[n, i],
        (sums_to_one(b.labels),),
    )
    yield "REJECT Σ over free o", nt, Partial(L, s[o]), -sp.Sum(y[o] / s[o], (o, 1, K)), ()
    yield "REJECT Σ y = 1 not cited", nt, Partial(L, z[i]), s[i] - y[i], ()
    yield "REJECT needs one-hot", nt, y[i] ** 2, y[i], (sums_to_one(y),)
    yield "ACCEPT with one-hot", nt, y[i] ** 2, y[i], (one_hot(y),)
    yield "REJECT true for K = 2 only", nt, s[i] + s[j], sp.Integer(1), (different(i, j),)
    factor = sp.Mul(*[(K - m) for m in range(1, EXACT_CLASSES + 1)])
    yield f"REJECT zero for K ≤ {EXACT_CLASSES} only", nt, s[i] * factor, sp.Integer(0), ()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'claim':42s} {'verdict':22s} {'median s':>9s}  counterexample / hypotheses needed")
    for name, nt, left, right, cites in cases():
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            verdict = check(left, right, cites, notation=nt)
            times.append(time.perf_counter() - start)
        extra = verdict.counterexample.describe() if verdict.counterexample else ", ".join(map(str, verdict.needed))
        if verdict.missing is not None:
            extra = f"[{verdict.reason}] {extra}"
        print(f"{name:42s} {verdict.label:22s} {statistics.median(times):9.3f}  {extra}")


if __name__ == "__main__":
    main()
