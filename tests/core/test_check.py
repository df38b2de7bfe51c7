"""The core's acceptance and rejection list (the trusted-core issue), each through check()."""

import sympy as sp

from derive.core import (
    Indicator,
    Partial,
    Status,
    Strength,
    SumExcept,
    check,
    different,
    one_hot,
    same,
    softmax_notation,
    sums_to_one,
)


def proved(v, left, right, cites=(), notation=None):
    verdict = check(left, right, tuple(cites), notation=notation or v.nt)
    assert verdict.status is Status.HOLDS, (left, right, verdict.reason, verdict.counterexample)
    assert verdict.strength is Strength.PROVED
    assert verdict.label == "proved for all K"
    return verdict


def rejected(v, left, right, cites=(), notation=None):
    verdict = check(left, right, tuple(cites), notation=notation or v.nt)
    assert verdict.status is Status.FAILS, (left, right, verdict.label)
    assert verdict.strength is None
    assert verdict.counterexample is not None
    return verdict


# -- accepted, proved for all K ---------------------------------------------------------


def test_quotient_rule_form_for_i_equal_j(v):
    e_i = sp.exp(v.z[v.i])
    quotient = (e_i * v.S - e_i * sp.exp(v.z[v.j])) / v.S**2
    verdict = proved(v, Partial(v.s[v.i], v.z[v.j]), quotient, [same(v.i, v.j)])
    assert [str(h) for h in verdict.needed] == ["i = j"]


def test_quotient_form_simplifies(v):
    e_i = sp.exp(v.z[v.i])
    quotient = (e_i * v.S - e_i * e_i) / v.S**2
    proved(v, quotient, v.s[v.i] - v.s[v.i] ** 2)
    proved(v, v.s[v.i] - v.s[v.i] ** 2, v.s[v.i] * (1 - v.s[v.i]))


def test_case_i_not_j(v):
    e = -sp.exp(v.z[v.i]) * sp.exp(v.z[v.j]) / v.S**2
    proved(v, Partial(v.s[v.i], v.z[v.j]), e, [different(v.i, v.j)])
    proved(v, e, -v.s[v.i] * v.s[v.j], [different(v.i, v.j)])


def test_combined_jacobian_with_delta_and_indicator(v):
    proved(v, Partial(v.s[v.i], v.z[v.j]), v.s[v.i] * (sp.KroneckerDelta(v.i, v.j) - v.s[v.j]))
    proved(v, Partial(v.s[v.i], v.z[v.j]), v.s[v.i] * (Indicator(v.i, v.j) - v.s[v.j]))


def test_log_softmax(v):
    proved(v, sp.log(v.s[v.i]), v.z[v.i] - sp.log(sp.Sum(sp.exp(v.z[v.l]), (v.l, 1, v.K))))
    proved(v, Partial(sp.log(v.s[v.i]), v.z[v.j]), sp.KroneckerDelta(v.i, v.j) - v.s[v.j])
    proved(v, Partial(v.s[v.i], v.z[v.j]), v.s[v.i] * Partial(sp.log(v.s[v.i]), v.z[v.j]))


def test_loss_derivatives(v):
    proved(v, Partial(v.L, v.s[v.i]), -v.y[v.i] / v.s[v.i])
    chain = sp.Sum(Partial(v.L, v.s[v.k]) * Partial(v.s[v.k], v.z[v.i]), (v.k, 1, v.K))
    proved(v, Partial(v.L, v.z[v.i]), chain)
    verdict = proved(v, Partial(v.L, v.z[v.i]), v.s[v.i] - v.y[v.i], [sums_to_one(v.y)])
    assert [h.kind for h in verdict.needed] == ["sums_to_one"]


def test_split_term_out_of_sum_and_label_sum(v):
    term = v.y[v.k] * v.s[v.k]
    proved(v, sp.Sum(term, (v.k, 1, v.K)), v.y[v.i] * v.s[v.i] + SumExcept(term, v.k, v.K, v.i))
    proved(v, SumExcept(v.y[v.k], v.k, v.K, v.i), 1 - v.y[v.i], [sums_to_one(v.y)])


def test_batch_gradient(v):
    b = v.batch
    z, s, y = b.logits, b.softmax, b.labels
    proved(v, Partial(sp.Symbol("L"), z[v.n, v.i]), (s[v.n, v.i] - y[v.n, v.i]) / v.N, [sums_to_one(y)], notation=b)


def test_unneeded_hypothesis_is_not_reported_as_used(v):
    verdict = proved(v, Partial(v.L, v.s[v.i]), -v.y[v.i] / v.s[v.i], [sums_to_one(v.y)])
    assert verdict.needed == ()


# -- rejected, each with a counterexample --------------------------------------------------


def test_sign_flip(v):
    verdict = rejected(v, Partial(v.s[v.i], v.z[v.j]), v.s[v.i] * v.s[v.j], [different(v.i, v.j)])
    c = verdict.counterexample
    assert c.classes == 2 and c.exact
    assert c.left != c.right


def test_swapped_indices(v):
    # s_j appears where s_i belongs: wrong once the numerator and the variable differ.
    rejected(v, Partial(v.s[v.i], v.z[v.j]), v.s[v.j] * (sp.KroneckerDelta(v.i, v.j) - v.s[v.j]))
    rejected(v, Partial(v.L, v.s[v.i]), -v.y[v.j] / v.s[v.i])


def test_s_i_one_minus_s_j_for_i_not_j(v):
    rejected(v, Partial(v.s[v.i], v.z[v.j]), v.s[v.i] * (1 - v.s[v.j]), [different(v.i, v.j)])


def test_dropped_term(v):
    rejected(v, Partial(v.s[v.i], v.z[v.j]), v.s[v.i] * sp.KroneckerDelta(v.i, v.j))
    term = v.y[v.k] * v.s[v.k]
    rejected(v, sp.Sum(term, (v.k, 1, v.K)), SumExcept(term, v.k, v.K, v.i))


def test_dropped_one_over_n(v):
    b = v.batch
    z, s, y = b.logits, b.softmax, b.labels
    rejected(v, Partial(sp.Symbol("L"), z[v.n, v.i]), s[v.n, v.i] - y[v.n, v.i], [sums_to_one(y)], notation=b)


def test_indicator_sum_replaced_by_plain_sum(v):
    with_delta = sp.Sum(v.y[v.i] * Indicator(v.i, v.j), (v.i, 1, v.K))
    proved(v, with_delta, v.y[v.j])
    verdict = rejected(v, with_delta, sp.Sum(v.y[v.i], (v.i, 1, v.K)))
    assert verdict.missing is None  # no hypothesis makes y_j equal to Σ_i y_i


def test_sum_over_the_free_index(v):
    verdict = rejected(v, Partial(v.L, v.s[v.o]), -sp.Sum(v.y[v.o] / v.s[v.o], (v.o, 1, v.K)))
    assert verdict.counterexample.classes == 2


def test_missing_sum_to_one_is_named(v):
    verdict = rejected(v, Partial(v.L, v.z[v.i]), v.s[v.i] - v.y[v.i])
    assert verdict.missing is not None and verdict.missing.kind == "sums_to_one"
    assert verdict.reason == "holds only if Σ_k y_k = 1: cite it"


def test_missing_hypothesis_with_other_letters(v):
    nt = softmax_notation(logits="a", softmax="p", labels="t")
    a, p, t = nt.logits, nt.softmax, nt.labels
    verdict = rejected(v, Partial(sp.Symbol("L"), a[v.i]), p[v.i] - t[v.i], notation=nt)
    assert verdict.missing == sums_to_one(t)
    assert verdict.reason == "holds only if Σ_k t_k = 1: cite it"
    assert "t_1" in verdict.counterexample.describe()


def test_step_that_needs_one_hot_not_just_sum_to_one(v):
    verdict = rejected(v, v.y[v.i] ** 2, v.y[v.i], [sums_to_one(v.y)])
    assert verdict.missing == one_hot(v.y)
    proved(v, v.y[v.i] ** 2, v.y[v.i], [one_hot(v.y)])
    square_sum = sp.Sum(v.y[v.k] ** 2, (v.k, 1, v.K))
    rejected(v, square_sum, 1, [sums_to_one(v.y)])
    proved(v, square_sum, 1, [one_hot(v.y)])


def test_case_needed_but_not_cited(v):
    verdict = rejected(v, Partial(v.s[v.i], v.z[v.j]), -v.s[v.i] * v.s[v.j])
    assert verdict.missing == different(v.i, v.j)


def test_true_for_two_classes_only(v):
    verdict = rejected(v, v.s[v.i] + v.s[v.j], 1, [different(v.i, v.j)])
    assert verdict.counterexample.classes == 3


def test_identity_true_up_to_n_fails_above(v):
    from derive.core import EXACT_CLASSES

    factor = sp.Mul(*[(v.K - m) for m in range(1, EXACT_CLASSES + 1)])
    verdict = rejected(v, v.s[v.i] * factor, 0)
    assert verdict.counterexample.classes == EXACT_CLASSES + 1
    assert verdict.counterexample.right == "0" and verdict.counterexample.left != "0"


def test_a_true_step_beyond_the_symbolic_normal_form_is_labelled_exact_not_proved(v):
    # (Σ_k y_k z_k)² = Σ_k y_k z_k² holds for one-hot y, but not by the normal form's rules.
    left = sp.Sum(v.y[v.k] * v.z[v.k], (v.k, 1, v.K)) ** 2
    right = sp.Sum(v.y[v.k] * v.z[v.k] ** 2, (v.k, 1, v.K))
    verdict = check(left, right, (one_hot(v.y),), notation=v.nt)
    assert verdict.status is Status.HOLDS
    assert verdict.strength is Strength.EXACT
    assert verdict.label == "exact for K ≤ 5"
    assert "proved" not in verdict.label
    failed = rejected(v, left, right, [sums_to_one(v.y)])
    assert failed.missing == one_hot(v.y)


def test_log_of_a_label_is_refused_as_outside_the_domain(v):
    import pytest

    from derive.core import VocabularyError

    with pytest.raises(VocabularyError, match="positive quantities"):
        check(sp.Sum(v.y[v.k] * sp.log(v.y[v.k]), (v.k, 1, v.K)), 0, (one_hot(v.y),), notation=v.nt)
    with pytest.raises(VocabularyError, match="positive quantities"):
        check(sp.log(v.z[v.i]), 0, notation=v.nt)
