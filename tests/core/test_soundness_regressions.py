"""Mutants found by bench/soundness.py that the core mishandled, kept as regressions.

Σ_{k≠i} is an empty sum, 0, when K = 1. The core counted it as positive by construction, so
log Σ_{k≠i} e^{z_k} passed the domain check, and a denominator Σ_{k≠i} e^{z_k} made every
input a pole at K = 1: both ended in an EngineError (the exact witness found the sides
"different as functions but at no point", or the referee divided by zero) instead of a
verdict."""

import pytest
import sympy as sp

from derive.core import Partial, Status, SumExcept, VocabularyError, check, scalar

from .conftest import Vocab

V = Vocab()
i, j, k, l = V.i, V.j, V.k, V.l  # noqa: E741
s, z, K = V.s, V.z, V.K


def test_a_log_of_a_sum_that_leaves_an_index_out_is_refused():
    # mutant of softmax-jacobian #10: log s_i = z_i − log Σ_l e^{z_l}, with Σ_l → Σ_{l≠i}
    with pytest.raises(VocabularyError, match="empty"):
        check(sp.log(s[i]), z[i] - sp.log(SumExcept(sp.exp(z[l]), l, K, i)), notation=V.nt)


def test_a_derivative_of_such_a_log_is_refused_too():
    # mutant of logsumexp-grad: ∂(m + log Σ_{k≠j} e^{z_k − m})/∂z_j = e^{z_j − m}/Σ_k e^{z_k − m}
    m = scalar("m")
    left = Partial(m + sp.log(SumExcept(sp.exp(z[k] - m), k, K, j)), z[j])
    right = sp.exp(z[j] - m) / sp.Sum(sp.exp(z[k] - m), (k, 1, K))
    with pytest.raises(VocabularyError):
        check(left, right, notation=V.nt)


def test_a_concrete_count_of_two_keeps_that_log_readable():
    rest = SumExcept(sp.exp(z[k]), k, 2, i)  # at K = 2 one term is left: positive
    verdict = check(2 * sp.log(rest), sp.log(rest**2), notation=V.nt.at_classes(2))
    assert verdict.holds


def test_dividing_by_an_empty_sum_is_decided_where_the_claim_has_points():
    wrong = check(1 / SumExcept(sp.exp(z[k]), k, K, i), s[i], notation=V.nt)
    assert wrong.status is Status.FAILS
    assert wrong.counterexample.classes == 2  # K = 1 has no point: every input is a pole there
    right = check(
        1 / SumExcept(sp.exp(z[k]), k, K, i), 1 / (sp.Sum(sp.exp(z[k]), (k, 1, K)) - sp.exp(z[i])), notation=V.nt
    )
    assert right.holds
