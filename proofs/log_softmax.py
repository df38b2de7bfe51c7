"""∂ log s_i/∂z_j = δ_ij − s_j, and the gradient of −log s_c for the true class c."""

from __future__ import annotations

import sympy as sp

from derive.core import Derivation, Indicator, Partial, indices, softmax_notation

from . import about
from .writing import chain, link

NAME, TITLE, SUMMARY = about(__name__)


def derivation(classes: int = 4) -> Derivation:
    nt = softmax_notation()
    z, s, K = nt.logits, nt.softmax, nt.classes
    i, j, k, c = indices("i j k c")
    log_total = sp.log(sp.Sum(sp.exp(z[k]), (k, 1, K)))
    steps = []
    steps += chain(
        sp.log(s[i]), link(z[i] - log_total, "log of a quotient; log e^{z_i} = z_i"), heading="The log-softmax"
    )
    steps += chain(
        Partial(sp.log(s[i]), z[j]),
        link(Partial(z[i], z[j]) - Partial(log_total, z[j]), "differentiate term by term"),
        link(Indicator(i, j) - s[j], "∂z_i/∂z_j = 1{i=j}; the gradient of log-sum-exp is the softmax"),
        link(sp.KroneckerDelta(i, j) - s[j], "1{i=j} is δ_ij"),
        heading="Its gradient",
    )
    steps += chain(
        Partial(-sp.log(s[c]), z[j]),
        link(-(sp.KroneckerDelta(c, j) - s[j]), "the gradient above with i = c"),
        link(s[j] - sp.KroneckerDelta(c, j), "rearrange"),
        heading="The loss −log s_c of the true class c",
    )
    return Derivation(NAME, TITLE, nt, tuple(steps), SUMMARY)
