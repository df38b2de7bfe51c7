"""∂/∂z_j log Σ_k e^{z_k} = s_j, and the shift that makes log-sum-exp safe to compute."""

from __future__ import annotations

import sympy as sp

from derive.core import Derivation, Partial, indices, scalar, softmax_notation

from . import about
from .writing import as_written, chain, link, written

NAME, TITLE, SUMMARY = about(__name__)


def derivation(classes: int = 4) -> Derivation:
    nt = softmax_notation()
    z, s, K = nt.logits, nt.softmax, nt.classes
    j, k = indices("j k")
    m = scalar("m")
    total = sp.Sum(sp.exp(z[k]), (k, 1, K))
    shifted = sp.Sum(sp.exp(z[k] - m), (k, 1, K))
    steps = []
    steps += chain(
        written(Partial(sp.log(total), z[j]), r"\frac{\partial}{\partial z_j} \log \sum_{k=1}^{K} e^{z_k}"),
        link(
            Partial(total, z[j]) / total,
            "chain rule: the derivative of log u is u′/u",
            latex=r"\frac{1}{\sum_{k=1}^{K} e^{z_k}} \frac{\partial}{\partial z_j} \sum_{k=1}^{K} e^{z_k}",
        ),
        link(
            sp.exp(z[j]) / total,
            "only the k = j term depends on z_j",
            latex=r"\frac{e^{z_j}}{\sum_{k=1}^{K} e^{z_k}}",
        ),
        link(s[j], "definition of s_j", latex="s_j"),
        heading="The gradient",
    )
    steps += chain(
        written(sp.log(total), r"\log \sum_{k=1}^{K} e^{z_k}"),
        link(
            sp.log(as_written(sp.exp(m), shifted)),
            "e^{z_k} = e^{m} e^{z_k − m}, and e^{m} leaves the sum",
            latex=r"\log\left(e^{m} \sum_{k=1}^{K} e^{z_k - m}\right)",
        ),
        link(m + sp.log(shifted), "log of a product; log e^{m} = m", latex=r"m + \log \sum_{k=1}^{K} e^{z_k - m}"),
        heading="Shift invariance (m is any real number, usually max_k z_k)",
    )
    steps += chain(
        written(
            Partial(m + sp.log(shifted), z[j]),
            r"\frac{\partial}{\partial z_j} \left(m + \log \sum_{k=1}^{K} e^{z_k - m}\right)",
        ),
        link(
            sp.exp(z[j] - m) / shifted,
            "m does not depend on z_j",
            latex=r"\frac{e^{z_j - m}}{\sum_{k=1}^{K} e^{z_k - m}}",
        ),
        link(s[j], "multiply above and below by e^{m}", latex="s_j"),
    )
    return Derivation(NAME, TITLE, nt, tuple(steps), SUMMARY)
