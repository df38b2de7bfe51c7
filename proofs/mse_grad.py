"""The mean squared error: L = (1/N) Σ_n (ŷ_n − y_n)², ∂L/∂ŷ_n = 2(ŷ_n − y_n)/N."""

from __future__ import annotations

import sympy as sp

from derive.core import Derivation, Notation, Partial, classes_symbol, family, indices

from . import about
from .writing import chain, link

NAME, TITLE, SUMMARY = about(__name__)


def derivation(classes: int = 4) -> Derivation:
    predictions, targets = family("yhat"), family("y")
    N = classes_symbol("N")  # the predictions are indexed by the examples 1..N
    n, m = indices("n m")
    L = sp.Symbol("L")
    loss = sp.Sum((predictions[m] - targets[m]) ** 2, (m, 1, N)) / N
    nt = Notation(predictions, None, targets, N, None, ((L, loss),))
    steps = []
    steps += chain(L, link(loss, "definition of the mean squared error"), heading="The loss")
    steps += chain(
        Partial(L, predictions[n]),
        link(
            sp.Sum(2 * (predictions[m] - targets[m]) * sp.KroneckerDelta(m, n), (m, 1, N)) / N,
            "chain rule, term by term",
        ),
        link(2 * (predictions[n] - targets[n]) / N, "only the term m = n remains"),
        heading="The gradient",
    )
    return Derivation(NAME, TITLE, nt, tuple(steps), SUMMARY)
