"""to_text prints core expressions in the derivation's notation, never SymPy's internals."""

import pytest
import sympy as sp

from derive.core import Indicator, Partial, SumExcept, indices, softmax_notation
from derive.render.text import to_text

nt = softmax_notation()
batch = softmax_notation(examples="N")
z, s, y = nt.logits, nt.softmax, nt.labels
K, N = nt.classes, batch.examples
i, j, k, n = indices("i j k n")
L = sp.Symbol("L")
S = sp.Sum(sp.exp(z[k]), (k, 1, K))

CASES = [
    (Partial(s[i], z[j]), "∂s_i/∂z_j"),
    (Partial(L, z[i]), "∂L/∂z_i"),
    (Partial(sp.log(s[i]), z[j]), "∂/∂z_j (log s_i)"),
    (s[i] * (sp.KroneckerDelta(i, j) - s[j]), "s_i(δ_ij − s_j)"),
    (s[i] - s[i] ** 2, "s_i − s_i²"),
    (s[i] - y[i], "s_i − y_i"),
    (-s[i] * s[j], "−s_i·s_j"),
    (
        (sp.exp(z[i]) * S - sp.exp(z[i]) * sp.exp(z[j])) / S**2,
        "(e^{z_i}·Σ_{k=1}^{K} e^{z_k} − e^{z_i}·e^{z_j})/(Σ_{k=1}^{K} e^{z_k})²",
    ),
    (S, "Σ_{k=1}^{K} e^{z_k}"),
    (SumExcept(y[k], k, K, i), "Σ_{k≠i} y_k"),
    (Indicator(i, j) - s[j], "1{i=j} − s_j"),
    (sp.KroneckerDelta(i, j, (1, K)), "δ_ij"),
    (sp.log(s[i]), "log s_i"),
    (sp.log(S), "log(Σ_{k=1}^{K} e^{z_k})"),
    (y[n, i], "y_{n,i}"),
    ((s[n, i] - y[n, i]) / N, "(s_{n,i} − y_{n,i})/N"),
    (nt.definitions[0][1], "−Σ_{k=1}^{K} y_k·log s_k"),
    (batch.definitions[0][1], "−(1/N)·Σ_{n=1}^{N} Σ_{k=1}^{K} y_{n,k}·log s_{n,k}"),
    (-y[i] / s[i], "−y_i/s_i"),
    (sp.Sum(Partial(L, s[k]) * Partial(s[k], z[j]), (k, 1, K)), "Σ_{k=1}^{K} (∂L/∂s_k)(∂s_k/∂z_j)"),
    (Partial(s[i], z[j]) / s[i], "(∂s_i/∂z_j)/s_i"),
    (sp.Mul(-y[k] / s[k], s[k] * (sp.KroneckerDelta(i, k) - s[i]), evaluate=False), "(−y_k/s_k)·s_k(δ_ik − s_i)"),
    (sp.exp(-z[i]), "e^{−z_i}"),
    (2 * s[i], "2s_i"),
    (sp.Rational(-1, 2), "−1/2"),
    (1 / S**2, "1/(Σ_{k=1}^{K} e^{z_k})²"),
    (s[i] * sp.Sum(y[k], (k, 1, K)), "s_i·Σ_{k=1}^{K} y_k"),
    (
        sp.ImmutableMatrix([[s[1] - s[1] ** 2, -s[1] * s[2]], [-s[1] * s[2], s[2] - s[2] ** 2]]),
        "[[s_1 − s_1², −s_1·s_2], [−s_1·s_2, s_2 − s_2²]]",
    ),
    (sp.ImmutableMatrix([s[1] - y[1], s[2] - y[2]]), "[s_1 − y_1, s_2 − y_2]ᵀ"),
]


@pytest.mark.parametrize(("expr", "expected"), CASES, ids=[c[1] for c in CASES])
def test_to_text(expr, expected):
    assert to_text(expr) == expected


@pytest.mark.parametrize(("expr", "_"), CASES, ids=[c[1] for c in CASES])
def test_no_sympy_internals(expr, _):
    text = to_text(expr)
    for internal in ("Indexed", "KroneckerDelta", "Sum(", "exp(", "**", "SumExcept", "Partial", "Matrix", "-"):
        assert internal not in text


def test_builtin_proofs_print_without_internals():
    proofs = pytest.importorskip("derive.proofs")
    for module in proofs.BUILTINS.values():
        for step in module.derivation(3).steps:
            for side in (step.previous, step.next):
                text = to_text(side)
                assert text and not any(bad in text for bad in ("Indexed", "KroneckerDelta", "Sum(", "**", "-"))
