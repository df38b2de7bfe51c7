"""∂s_i/∂z_j = s_i(δ_ij − s_j): by cases with the quotient rule, then by the log-derivative,
then entry by entry for one concrete K."""

from __future__ import annotations

import sympy as sp

from derive.core import Derivation, Indicator, Partial, different, indices, same, softmax_notation

from . import about
from .writing import as_written, chain, link, written

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
    steps += chain(
        written(s[i], "s_i"),
        link(e_i / S, "definition of the softmax", latex=r"\frac{e^{z_i}}{\sum_{k=1}^{K} e^{z_k}}"),
        heading="Definition",
    )
    steps += chain(
        written(ds, r"\frac{\partial s_i}{\partial z_j}"),
        link(
            (e_i * S - as_written(e_i, e_i)) / S**2,
            "quotient rule with S = Σ_k e^{z_k}: ∂e^{z_i}/∂z_i = ∂S/∂z_i = e^{z_i}",
            same(i, j),
            latex=r"\frac{e^{z_i} \sum_{k=1}^{K} e^{z_k} - e^{z_i} e^{z_i}}{\left(\sum_{k=1}^{K} e^{z_k}\right)^2}",
        ),
        link(
            e_i / S - (e_i / S) ** 2,
            "split the fraction",
            latex=r"\frac{e^{z_i}}{\sum_{k=1}^{K} e^{z_k}} - \left(\frac{e^{z_i}}{\sum_{k=1}^{K} e^{z_k}}\right)^2",
        ),
        link(s[i] - s[i] ** 2, "definition of s_i", latex="s_i - s_i^2"),
        link(s[i] * (1 - s[i]), "factor out s_i", latex="s_i (1 - s_i)"),
        heading="Case i = j, by the quotient rule",
    )
    steps += chain(
        written(ds, r"\frac{\partial s_i}{\partial z_j}"),
        link(
            -e_i * e_j / S**2,
            "quotient rule; ∂e^{z_i}/∂z_j = 0 when i ≠ j",
            different(i, j),
            latex=r"-\frac{e^{z_i} e^{z_j}}{\left(\sum_{k=1}^{K} e^{z_k}\right)^2}",
        ),
        link(-s[i] * s[j], "definition of s_i and s_j", latex="-s_i s_j"),
        heading="Case i ≠ j",
    )
    steps += chain(
        written(ds, r"\frac{\partial s_i}{\partial z_j}"),
        link(s[i] * (delta - s[j]), "the two cases in one, with δ_ij", latex=r"s_i (\delta_{ij} - s_j)"),
        heading="Both cases",
    )
    steps += chain(
        written(dlog, r"\frac{\partial \log s_i}{\partial z_j}"),
        link(
            Partial(s[i], z[j]) / s[i],
            "derivative of log",
            latex=r"\frac{1}{s_i} \frac{\partial s_i}{\partial z_j}",
        ),
        heading="The log-derivative route",
    )
    steps += chain(
        written(sp.log(s[i]), r"\log s_i"),
        link(
            z[i] - log_total,
            "log of a quotient; log e^{z_i} = z_i",
            latex=r"z_i - \log \sum_{l=1}^{K} e^{z_l}",
        ),
    )
    steps += chain(
        written(Partial(log_total, z[j]), r"\frac{\partial}{\partial z_j} \log \sum_{l=1}^{K} e^{z_l}"),
        link(
            sp.exp(z[j]) / sp.Sum(sp.exp(z[l]), (l, 1, K)),
            "chain rule",
            latex=r"\frac{e^{z_j}}{\sum_{l=1}^{K} e^{z_l}}",
        ),
        link(s[j], "definition of s_j", latex="s_j"),
    )
    steps += chain(
        written(dlog, r"\frac{\partial \log s_i}{\partial z_j}"),
        link(
            Indicator(i, j) - s[j],
            "∂z_i/∂z_j = 1{i=j}, and the previous step",
            latex=r"\mathbf{1}\{i = j\} - s_j",
        ),
    )
    steps += chain(
        written(ds, r"\frac{\partial s_i}{\partial z_j}"),
        link(s[i] * dlog, "multiply the first step by s_i", latex=r"s_i \frac{\partial \log s_i}{\partial z_j}"),
        link(s[i] * (Indicator(i, j) - s[j]), "the step before", latex=r"s_i (\mathbf{1}\{i = j\} - s_j)"),
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
