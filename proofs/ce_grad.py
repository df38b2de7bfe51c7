"""∂L/∂z_i = s_i − y_i for the cross-entropy of a softmax, through the chain rule, and the
same for the average over N examples."""

from __future__ import annotations

import sympy as sp

from derive.core import Derivation, Partial, SumExcept, indices, softmax_notation, sums_to_one

from . import about
from .writing import as_written, chain, link, written

NAME, TITLE, SUMMARY = about(__name__)


def derivation(classes: int = 4) -> Derivation:
    nt = softmax_notation()
    z, s, y, K = nt.logits, nt.softmax, nt.labels, nt.classes
    L = sp.Symbol("L")
    i, k, n = indices("i k n")
    labels_sum = sums_to_one(y)

    steps = []
    steps += chain(
        written(L, "L"),
        link(-sp.Sum(y[k] * sp.log(s[k]), (k, 1, K)), "definition of the loss", latex=r"-\sum_{k=1}^{K} y_k \log s_k"),
        heading="The loss",
    )
    steps += chain(
        written(Partial(L, s[k]), r"\frac{\partial L}{\partial s_k}"),
        link(-y[k] / s[k], "only the k-th term depends on s_k", latex=r"-\frac{y_k}{s_k}"),
    )
    steps += chain(
        written(Partial(L, z[i]), r"\frac{\partial L}{\partial z_i}"),
        link(
            sp.Sum(Partial(L, s[k]) * Partial(s[k], z[i]), (k, 1, K)),
            "chain rule through every s_k",
            latex=r"\sum_{k=1}^{K} \frac{\partial L}{\partial s_k} \frac{\partial s_k}{\partial z_i}",
        ),
        link(
            sp.Sum(as_written(-y[k] / s[k], s[k] * (sp.KroneckerDelta(k, i) - s[i])), (k, 1, K)),
            "substitute ∂L/∂s_k and the softmax Jacobian",
            latex=r"\sum_{k=1}^{K} \left(-\frac{y_k}{s_k}\right) s_k (\delta_{ki} - s_i)",
        ),
        link(
            as_written(-y[i] / s[i], s[i] * (1 - s[i])) + SumExcept(as_written(-y[k] / s[k], -s[k] * s[i]), k, K, i),
            "split the k = i term out of the sum",
            latex=r"-\frac{y_i}{s_i} s_i (1 - s_i) + \sum_{k \neq i} \left(-\frac{y_k}{s_k}\right)(-s_k s_i)",
        ),
        link(
            -y[i] * (1 - s[i]) + SumExcept(y[k] * s[i], k, K, i),
            "simplify the terms",
            latex=r"-y_i (1 - s_i) + \sum_{k \neq i} y_k s_i",
        ),
        link(
            -y[i] + y[i] * s[i] + s[i] * SumExcept(y[k], k, K, i),
            "expand; s_i does not depend on k",
            latex=r"-y_i + y_i s_i + s_i \sum_{k \neq i} y_k",
        ),
        link(
            -y[i] + y[i] * s[i] + s[i] * (1 - y[i]),
            "Σ_{k≠i} y_k = 1 − y_i",
            labels_sum,
            latex=r"-y_i + y_i s_i + s_i (1 - y_i)",
        ),
        link(s[i] - y[i], "collect terms", latex="s_i - y_i"),
        heading="The gradient, by the chain rule",
    )
    steps += chain(
        written(SumExcept(y[k], k, K, i), r"\sum_{k \neq i} y_k"),
        link(1 - y[i], "the labels sum to one", labels_sum, latex="1 - y_i"),
        heading="The lemma used above",
    )

    fixed = nt.at_classes(classes)
    entries = range(1, classes + 1)
    gradient = sp.ImmutableMatrix([Partial(L, z[a]) for a in entries])
    steps += chain(
        gradient,
        link(sp.ImmutableMatrix([s[a] - y[a] for a in entries]), "∇_z L = s − y, entry by entry", labels_sum),
        heading=f"The vector form for K = {classes}",
        notation=fixed,
    )

    batch = softmax_notation(examples="N")
    zb, sb, yb, N = batch.logits, batch.softmax, batch.labels, batch.examples
    m = indices("m")[0]
    steps += chain(
        written(L, "L"),
        link(
            -sp.Sum(sp.Sum(yb[m, k] * sp.log(sb[m, k]), (k, 1, K)), (m, 1, N)) / N,
            "definition of the average loss",
            latex=r"-\frac{1}{N} \sum_{m=1}^{N} \sum_{k=1}^{K} y_{m,k} \log s_{m,k}",
        ),
        heading="The average over N examples",
        notation=batch,
    )
    steps += chain(
        written(Partial(L, zb[n, i]), r"\frac{\partial L}{\partial z_{n,i}}"),
        link(
            -sp.Sum(yb[n, k] * Partial(sp.log(sb[n, k]), zb[n, i]), (k, 1, K)) / N,
            "only example n depends on z_{n,i}",
            latex=r"-\frac{1}{N} \sum_{k=1}^{K} y_{n,k} \frac{\partial \log s_{n,k}}{\partial z_{n,i}}",
        ),
        link(
            -sp.Sum(yb[n, k] * (sp.KroneckerDelta(k, i) - sb[n, i]), (k, 1, K)) / N,
            "∂ log s_{n,k}/∂z_{n,i} = δ_ki − s_{n,i}",
            latex=r"-\frac{1}{N} \sum_{k=1}^{K} y_{n,k} (\delta_{ki} - s_{n,i})",
        ),
        link(
            (sb[n, i] * sp.Sum(yb[n, k], (k, 1, K)) - yb[n, i]) / N,
            "sum the δ; s_{n,i} does not depend on k",
            latex=r"\frac{1}{N} \left(s_{n,i} \sum_{k=1}^{K} y_{n,k} - y_{n,i}\right)",
        ),
        link(
            (sb[n, i] - yb[n, i]) / N,
            "the labels of example n sum to one",
            sums_to_one(yb),
            latex=r"\frac{1}{N} (s_{n,i} - y_{n,i})",
        ),
        notation=batch,
    )
    return Derivation(NAME, TITLE, nt, tuple(steps), SUMMARY)
