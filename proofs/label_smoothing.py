"""Label smoothing: targets y_k = (1 − ε)1{k=c} + ε/K for the true class c. They sum to one,
so the cross-entropy gradient is still s_i − y_i; here Σ_k y_k = 1 is shown, not assumed."""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from derive.core import Derivation, Indicator, Partial, between, indices, scalar, softmax_notation

from . import about
from .writing import as_written, chain, link, written

NAME, TITLE, SUMMARY = about(__name__)


def derivation(classes: int = 4) -> Derivation:
    base = softmax_notation()
    z, s, y, K = base.logits, base.softmax, base.labels, base.classes
    i, k, c, r = indices("i k c r")
    eps = scalar("epsilon")
    target = (1 - eps) * Indicator(r, c) + eps / K
    nt = replace(base, label_rule=(r, target))
    L = sp.Symbol("L")
    domain = between(eps, 0, 1)
    steps = []
    steps += chain(
        written(y[k], "y_k"),
        link(
            (1 - eps) * Indicator(k, c) + eps / K,
            "the smoothed target of class k",
            domain,
            latex=r"(1 - \varepsilon) \mathbf{1}\{k = c\} + \frac{\varepsilon}{K}",
        ),
        heading="The targets",
    )
    steps += chain(
        written(sp.Sum(y[k], (k, 1, K)), r"\sum_{k=1}^{K} y_k"),
        link(
            sp.Sum((1 - eps) * Indicator(k, c) + eps / K, (k, 1, K)),
            "definition of y_k",
            latex=r"\sum_{k=1}^{K} \left((1 - \varepsilon) \mathbf{1}\{k = c\} + \frac{\varepsilon}{K}\right)",
        ),
        link(
            (1 - eps) + as_written(K, eps / K),
            "only k = c has 1{k=c} = 1; K equal terms ε/K",
            latex=r"(1 - \varepsilon) + K \cdot \frac{\varepsilon}{K}",
        ),
        link(sp.Integer(1), "simplify", latex="1"),
        heading="They sum to one",
    )
    steps += chain(
        written(Partial(L, z[i]), r"\frac{\partial L}{\partial z_i}"),
        link(
            sp.Sum(y[k] * (s[i] - sp.KroneckerDelta(k, i)), (k, 1, K)),
            "chain rule, as in ce-grad",
            latex=r"\sum_{k=1}^{K} y_k (s_i - \delta_{ki})",
        ),
        link(s[i] * sp.Sum(y[k], (k, 1, K)) - y[i], "sum the δ", latex=r"s_i \sum_{k=1}^{K} y_k - y_i"),
        link(s[i] - y[i], "the targets sum to one (shown above)", latex="s_i - y_i"),
        link(
            s[i] - (1 - eps) * Indicator(i, c) - eps / K,
            "definition of y_i",
            latex=r"s_i - (1 - \varepsilon) \mathbf{1}\{i = c\} - \frac{\varepsilon}{K}",
        ),
        heading="The gradient",
    )
    return Derivation(NAME, TITLE, nt, tuple(steps), SUMMARY)
