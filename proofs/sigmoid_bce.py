"""The sigmoid with binary cross-entropy: σ' = σ(1 − σ) and ∂L/∂x = σ(x) − y; the same loss
in terms of a probability p; and the two-class softmax as a sigmoid."""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from derive.core import Derivation, Partial, open_between, scalar, sigmoid, softmax_notation

from . import about
from .writing import as_written, chain, link, written

NAME, TITLE, SUMMARY = about(__name__)


def derivation(classes: int = 4) -> Derivation:
    x, y, p = scalar("x"), scalar("y"), scalar("p")
    L, Lp = sp.Symbol("L"), sp.Symbol("L_p")
    sx = sigmoid(x)
    loss = -(y * sp.log(sx) + (1 - y) * sp.log(1 - sx))
    loss_p = -(y * sp.log(p) + (1 - y) * sp.log(1 - p))
    base = softmax_notation()
    nt = replace(base, definitions=((L, loss), (Lp, loss_p)))
    probability = open_between(p, 0, 1)
    z, s = base.logits, base.softmax
    steps = []
    steps += chain(
        written(sx, r"\sigma(x)"),
        link(1 / (1 + sp.exp(-x)), "definition of the sigmoid", latex=r"\frac{1}{1 + e^{-x}}"),
        heading="The sigmoid",
    )
    steps += chain(
        written(Partial(sx, x), r"\sigma'(x)"),
        link(sp.exp(-x) / (1 + sp.exp(-x)) ** 2, "chain rule", latex=r"\frac{e^{-x}}{(1 + e^{-x})^2}"),
        link(
            as_written(1 / (1 + sp.exp(-x)), sp.exp(-x) / (1 + sp.exp(-x))),
            "split the fraction",
            latex=r"\frac{1}{1 + e^{-x}} \cdot \frac{e^{-x}}{1 + e^{-x}}",
        ),
        link(sx * (1 - sx), "e^{−x}/(1 + e^{−x}) = 1 − σ(x)", latex=r"\sigma(x) (1 - \sigma(x))"),
    )
    steps += chain(
        written(L, "L"),
        link(
            loss,
            "binary cross-entropy; σ(x) lies in (0, 1), so both logs are defined",
            latex=r"-\left[y \log(\sigma(x)) + (1 - y) \log(1 - \sigma(x))\right]",
        ),
        heading="Binary cross-entropy of the sigmoid",
    )
    steps += chain(
        written(Partial(L, x), r"\frac{\partial L}{\partial x}"),
        link(
            -(y * (1 - sx) - (1 - y) * sx),
            "∂ log σ/∂x = 1 − σ and ∂ log(1 − σ)/∂x = −σ",
            latex=r"-\left[y (1 - \sigma(x)) - (1 - y) \sigma(x)\right]",
        ),
        link(sx - y, "expand", latex=r"\sigma(x) - y"),
    )
    steps += chain(
        written(Partial(Lp, p), r"\frac{\partial L_p}{\partial p}"),
        link(
            -(y / p - (1 - y) / (1 - p)),
            "derivative of each log",
            probability,
            latex=r"-\left(\frac{y}{p} - \frac{1 - y}{1 - p}\right)",
        ),
        link((p - y) / (p * (1 - p)), "one fraction", probability, latex=r"\frac{p - y}{p (1 - p)}"),
        heading="The same loss of a probability p in (0, 1)",
    )
    two = nt.at_classes(2)
    steps += chain(
        written(s[1], "s_1"),
        link(
            sp.exp(z[1]) / (sp.exp(z[1]) + sp.exp(z[2])),
            "definition of the softmax for K = 2",
            latex=r"\frac{e^{z_1}}{e^{z_1} + e^{z_2}}",
        ),
        link(
            1 / (1 + sp.exp(-(z[1] - z[2]))),
            "divide above and below by e^{z_1}",
            latex=r"\frac{1}{1 + e^{-(z_1 - z_2)}}",
        ),
        link(sigmoid(z[1] - z[2]), "definition of the sigmoid", latex=r"\sigma(z_1 - z_2)"),
        heading="The two-class softmax is a sigmoid",
        notation=two,
    )
    return Derivation(NAME, TITLE, nt, tuple(steps), SUMMARY)
