"""∂ log s_i/∂z_j = δ_ij − s_j, and the gradient of −log s_c for the true class c."""

from __future__ import annotations

import sympy as sp

from derive.core import Derivation, Indicator, Partial, indices, softmax_notation

from . import about
from .writing import chain, link, written

NAME, TITLE, SUMMARY = about(__name__)


def derivation(classes: int = 4) -> Derivation:
    nt = softmax_notation()
    z, s, K = nt.logits, nt.softmax, nt.classes
    i, j, k, c = indices("i j k c")
    log_total = sp.log(sp.Sum(sp.exp(z[k]), (k, 1, K)))
    steps = []
    steps += chain(
        written(sp.log(s[i]), r"\log s_i"),
        link(
            z[i] - log_total,
            "log of a quotient; log e^{z_i} = z_i",
            latex=r"z_i - \log \sum_{k=1}^{K} e^{z_k}",
        ),
        heading="The log-softmax",
    )
    steps += chain(
        written(Partial(sp.log(s[i]), z[j]), r"\frac{\partial \log s_i}{\partial z_j}"),
        link(
            Partial(z[i], z[j]) - Partial(log_total, z[j]),
            "differentiate term by term",
            latex=r"\frac{\partial z_i}{\partial z_j} - \frac{\partial}{\partial z_j} \log \sum_{k=1}^{K} e^{z_k}",
        ),
        link(
            Indicator(i, j) - s[j],
            "∂z_i/∂z_j = 1{i=j}; the gradient of log-sum-exp is the softmax",
            latex=r"\mathbf{1}\{i = j\} - s_j",
        ),
        link(sp.KroneckerDelta(i, j) - s[j], "1{i=j} is δ_ij", latex=r"\delta_{ij} - s_j"),
        heading="Its gradient",
    )
    steps += chain(
        written(Partial(-sp.log(s[c]), z[j]), r"\frac{\partial (-\log s_c)}{\partial z_j}"),
        link(-(sp.KroneckerDelta(c, j) - s[j]), "the gradient above with i = c", latex=r"-(\delta_{cj} - s_j)"),
        link(s[j] - sp.KroneckerDelta(c, j), "rearrange", latex=r"s_j - \delta_{cj}"),
        heading="The loss −log s_c of the true class c",
    )
    return Derivation(NAME, TITLE, nt, tuple(steps), SUMMARY)
