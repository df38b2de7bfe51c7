"""A softmax with temperature T: s_i = e^{z_i/T}/Σ_k e^{z_k/T}, ∂s_i/∂z_j = s_i(δ_ij − s_j)/T."""

from __future__ import annotations

import sympy as sp

from derive.core import Derivation, Partial, indices, positive, softmax_notation

from . import about
from .writing import as_written, chain, link

NAME, TITLE, SUMMARY = about(__name__)


def derivation(classes: int = 4) -> Derivation:
    nt = softmax_notation(temperature="T")
    z, s, K, T = nt.logits, nt.softmax, nt.classes, nt.temperature
    i, j, k = indices("i j k")
    S = sp.Sum(sp.exp(z[k] / T), (k, 1, K))
    e_i, e_j = sp.exp(z[i] / T), sp.exp(z[j] / T)
    delta = sp.KroneckerDelta(i, j)
    hot = positive(T)
    steps = []
    steps += chain(s[i], link(e_i / S, "definition of the softmax with temperature T", hot), heading="Definition")
    steps += chain(
        Partial(s[i], z[j]),
        link(
            as_written(1 / T, (e_i * delta * S - e_i * e_j) / S**2), "quotient rule; ∂e^{z_k/T}/∂z_j = δ_kj e^{z_j/T}/T"
        ),
        link(as_written(1 / T, e_i / S, delta - e_j / S), "split the fraction"),
        link(s[i] * (delta - s[j]) / T, "definition of s_i and s_j"),
        heading="The Jacobian",
    )
    return Derivation(NAME, TITLE, nt, tuple(steps), SUMMARY)
