"""The mean squared error: L = (1/N) Σ_n (ŷ_n − y_n)², ∂L/∂ŷ_n = 2(ŷ_n − y_n)/N."""

from __future__ import annotations

import sympy as sp

from derive.core import Derivation, Notation, Partial, classes_symbol, family, indices

from . import about
from .writing import chain, link, written

NAME, TITLE, SUMMARY = about(__name__)


def derivation(classes: int = 4) -> Derivation:
    predictions, targets = family("yhat"), family("y")
    N = classes_symbol("N")  # the predictions are indexed by the examples 1..N
    n, m = indices("n m")
    L = sp.Symbol("L")
    loss = sp.Sum((predictions[m] - targets[m]) ** 2, (m, 1, N)) / N
    nt = Notation(predictions, None, targets, N, None, ((L, loss),))
    steps = []
    steps += chain(
        written(L, "L"),
        link(
            loss,
            "definition of the mean squared error",
            latex=r"\frac{1}{N} \sum_{m=1}^{N} (\hat{y}_m - y_m)^2",
        ),
        heading="The loss",
    )
    steps += chain(
        written(Partial(L, predictions[n]), r"\frac{\partial L}{\partial \hat{y}_n}"),
        link(
            sp.Sum(2 * (predictions[m] - targets[m]) * sp.KroneckerDelta(m, n), (m, 1, N)) / N,
            "chain rule, term by term",
            latex=r"\frac{1}{N} \sum_{m=1}^{N} 2 (\hat{y}_m - y_m) \delta_{mn}",
        ),
        link(
            2 * (predictions[n] - targets[n]) / N,
            "only the term m = n remains",
            latex=r"\frac{2}{N} (\hat{y}_n - y_n)",
        ),
        heading="The gradient",
    )
    return Derivation(NAME, TITLE, nt, tuple(steps), SUMMARY)
