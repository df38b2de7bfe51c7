"""∂s_i/∂z_j = s_i(δ_ij − s_j): by cases with the quotient rule, then by the log-derivative,
then entry by entry for one concrete K."""

from __future__ import annotations

import sympy as sp

from derive.core import Derivation, Indicator, Partial, different, indices, same, softmax_notation

from . import about
from .writing import as_written, chain, link

NAME, TITLE, SUMMARY = about(__name__)


def derivation(classes: int = 4) -> Derivation:
    nt = softmax_notation()
    z, s, K = nt.logits, nt.softmax, nt.classes
    i, j, k, l = indices("i j k l")  # noqa: E741 - l is the letter the log-derivative proofs use
    S = sp.Sum(sp.exp(z[k]), (k, 1, K))
    e_i, e_j = sp.exp(z[i]), sp.exp(z[j])
    ds = Partial(s[i], z[j])
    dlog = Partial(sp.log(s[i]), z[j])
    log_total = sp.log(sp.Sum(sp.exp(z[l]), (l, 1, K)))
    delta = sp.KroneckerDelta(i, j)

    steps = []
    steps += chain(s[i], link(e_i / S, "definition of the softmax"), heading="Definition")
    steps += chain(
        ds,
        link(
            (e_i * S - as_written(e_i, e_i)) / S**2,
            "quotient rule with S = Σ_k e^{z_k}: ∂e^{z_i}/∂z_i = ∂S/∂z_i = e^{z_i}",
            same(i, j),
        ),
        link(e_i / S - (e_i / S) ** 2, "split the fraction"),
        link(s[i] - s[i] ** 2, "definition of s_i"),
        link(s[i] * (1 - s[i]), "factor out s_i"),
        heading="Case i = j, by the quotient rule",
    )
    steps += chain(
        ds,
        link(-e_i * e_j / S**2, "quotient rule; ∂e^{z_i}/∂z_j = 0 when i ≠ j", different(i, j)),
        link(-s[i] * s[j], "definition of s_i and s_j"),
        heading="Case i ≠ j",
    )
    steps += chain(ds, link(s[i] * (delta - s[j]), "the two cases in one, with δ_ij"), heading="Both cases")
    steps += chain(dlog, link(Partial(s[i], z[j]) / s[i], "derivative of log"), heading="The log-derivative route")
    steps += chain(sp.log(s[i]), link(z[i] - log_total, "log of a quotient; log e^{z_i} = z_i"))
    steps += chain(
        Partial(log_total, z[j]),
        link(sp.exp(z[j]) / sp.Sum(sp.exp(z[l]), (l, 1, K)), "chain rule"),
        link(s[j], "definition of s_j"),
    )
    steps += chain(dlog, link(Indicator(i, j) - s[j], "∂z_i/∂z_j = 1{i=j}, and the previous step"))
    steps += chain(
        ds,
        link(s[i] * dlog, "multiply the first step by s_i"),
        link(s[i] * (Indicator(i, j) - s[j]), "the step before"),
    )

    fixed = nt.at_classes(classes)
    entries = range(1, classes + 1)
    jacobian = sp.ImmutableMatrix([[Partial(s[a], z[b]) for b in entries] for a in entries])
    formula = sp.ImmutableMatrix([[s[a] * (sp.KroneckerDelta(a, b) - s[b]) for b in entries] for a in entries])
    column = sp.ImmutableMatrix([s[a] for a in entries])
    diagonal = sp.ImmutableMatrix(classes, classes, lambda a, b: s[a + 1] if a == b else 0)
    matrix_form = diagonal - column * column.T
    steps += chain(
        jacobian,
        link(formula, "every entry differentiated from the definition at this K"),
        link(matrix_form, "diag(s) − s sᵀ"),
        heading=f"The Jacobian for K = {classes}",
        notation=fixed,
    )
    return Derivation(NAME, TITLE, nt, tuple(steps), SUMMARY)
