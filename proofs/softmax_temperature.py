"""A softmax with temperature T: s_i = e^{z_i/T}/Σ_k e^{z_k/T}, ∂s_i/∂z_j = s_i(δ_ij − s_j)/T."""

from __future__ import annotations

import sympy as sp

from derive.core import Derivation, Partial, indices, positive, softmax_notation

from . import about
from .writing import as_written, chain, link, written

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
    steps += chain(
        written(s[i], "s_i"),
        link(
            e_i / S,
            "definition of the softmax with temperature T",
            hot,
            latex=r"\frac{e^{z_i / T}}{\sum_{k=1}^{K} e^{z_k / T}}",
        ),
        heading="Definition",
    )
    steps += chain(
        written(Partial(s[i], z[j]), r"\frac{\partial s_i}{\partial z_j}"),
        link(
            as_written(1 / T, (e_i * delta * S - e_i * e_j) / S**2),
            "quotient rule; ∂e^{z_k/T}/∂z_j = δ_kj e^{z_j/T}/T",
            latex=r"\frac{1}{T} \frac{\delta_{ij} e^{z_i / T} \sum_{k=1}^{K} e^{z_k / T} - e^{z_i / T} e^{z_j / T}}"
            r"{\left(\sum_{k=1}^{K} e^{z_k / T}\right)^2}",
        ),
        link(
            as_written(1 / T, e_i / S, delta - e_j / S),
            "split the fraction",
            latex=r"\frac{1}{T} \frac{e^{z_i / T}}{\sum_{k=1}^{K} e^{z_k / T}}"
            r" \left(\delta_{ij} - \frac{e^{z_j / T}}{\sum_{k=1}^{K} e^{z_k / T}}\right)",
        ),
        link(s[i] * (delta - s[j]) / T, "definition of s_i and s_j", latex=r"\frac{1}{T} s_i (\delta_{ij} - s_j)"),
        heading="The Jacobian",
    )
    return Derivation(NAME, TITLE, nt, tuple(steps), SUMMARY)
