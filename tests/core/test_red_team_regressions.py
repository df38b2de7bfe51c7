"""A soundness red team's findings: each was accepted as 'proved for all K' (or crashed);
each must now be rejected, or refused as bad input with one line."""

from dataclasses import replace

import pytest
import sympy as sp

from derive.core import (
    Indicator,
    Partial,
    Status,
    Strength,
    SumExcept,
    VocabularyError,
    between,
    check,
    indices,
    positive,
    same,
    scalar,
    softmax_notation,
    sums_to_one,
)

i, j, k, m, n, r, c = indices("i j k m n r c")


def _P(K, top=7):
    return sp.Mul(*[K - a for a in range(1, top + 1)])


def test_a_case_does_not_capture_a_bound_index():
    nt = softmax_notation()
    s, y, K = nt.softmax, nt.labels, nt.classes
    for factor in (_P(K), 1):
        left = factor * s[i] * sp.Sum(y[i] * y[j], (i, 1, K))
        right = factor * s[i] * sp.Sum(y[k] ** 2, (k, 1, K))
        assert check(left, right, [same(i, j)], notation=nt).status is Status.FAILS
    # and the true version still holds: with j = i the free j is the free i, not the bound one
    assert check(sp.Sum(y[k] * y[j], (k, 1, K)), y[i] * sp.Sum(y[k], (k, 1, K)), [same(i, j)], notation=nt).holds


def test_a_delta_between_an_example_and_a_class_is_bad_input():
    nt = softmax_notation(examples="N")
    with pytest.raises(VocabularyError, match="different ranges"):
        check(_P(nt.classes) * sp.KroneckerDelta(n, i) * nt.softmax[n, i], 0, notation=nt)


def test_sum_except_does_not_capture_an_inner_bound_index():
    nt = softmax_notation()
    y, K = nt.labels, nt.classes
    S = sp.Sum(y[m], (m, 1, K))
    for factor in (_P(K), 1):
        left = factor * SumExcept(sp.Sum(y[i] * y[k], (i, 1, K)), k, K, i)
        assert check(left, factor * (S**2 - sp.Sum(y[m] ** 2, (m, 1, K))), notation=nt).status is Status.FAILS
    assert check(SumExcept(sp.Sum(y[i] * y[k], (i, 1, K)), k, K, i), (S - y[i]) * S, notation=nt).holds


@pytest.mark.parametrize("inner", ["labels", "log", "squares"])
def test_the_k_degree_sweep_sees_through_sums_logs_and_exponentials(inner):
    nt = softmax_notation()
    y, s, z, K = nt.labels, nt.softmax, nt.logits, nt.classes
    body = {
        "labels": sp.Sum(y[k], (k, 1, K)),
        "log": sp.log(sp.Sum(sp.exp(z[k]), (k, 1, K))),
        "squares": sp.Sum(s[k] ** 2, (k, 1, K)),
    }[inner]
    verdict = check(sp.Mul(*[K - a for a in range(10)]) * body, 0, notation=nt)
    assert verdict.status is Status.FAILS
    assert verdict.counterexample.classes == 10


def test_a_claim_that_names_a_class_is_checked_at_every_index_value():
    tiny = sp.Rational(1, 10**40)
    nt3 = softmax_notation().at_classes(3)
    assert check(tiny * sp.KroneckerDelta(i, 2) * nt3.softmax[i], 0, notation=nt3).status is Status.FAILS
    nt = softmax_notation()
    assert check(tiny * sp.KroneckerDelta(i, 1), tiny, notation=nt).status is Status.FAILS
    ruled = replace(nt, label_rule=(r, sp.KroneckerDelta(r, 1)))
    assert check(tiny * ruled.labels[i], tiny, notation=ruled).status is Status.FAILS


def test_a_label_rule_whose_letter_is_also_a_free_index():
    eps = scalar("epsilon")
    nt = replace(softmax_notation(), label_rule=(k, (1 - eps) * Indicator(k, c) + eps / softmax_notation().classes))
    y, s, z, K = nt.labels, nt.softmax, nt.logits, nt.classes
    verdict = check(
        Partial(sp.Symbol("L"), z[k]), s[k] - (1 - eps) * Indicator(k, c) - eps / K, [between(eps, 0, 1)], notation=nt
    )
    assert verdict.status is Status.HOLDS and verdict.strength is Strength.PROVED
    tiny = sp.Rational(1, 10**40)
    assert (
        check(
            tiny * y[i], tiny * sp.KroneckerDelta(k, c), notation=replace(nt, label_rule=(k, sp.KroneckerDelta(k, c)))
        ).status
        is Status.FAILS
    )


@pytest.mark.parametrize(
    "build, words",
    [
        (lambda nt: (sp.Sum(nt.softmax[k], (k, 1, 3)), 1), "sums run over"),
        (lambda nt: (sp.Sum(nt.softmax[k], (k, 1, nt.classes + 1)), 1), "sums run over"),
        (lambda nt: (SumExcept(nt.labels[k], k, i, j), 0), "sums run over"),
        (lambda nt: (SumExcept(nt.softmax[i], i, nt.classes, i), 0), "leave out another index"),
        (lambda nt: (nt.softmax[nt.classes], 1), "is a count, not an index"),
        (lambda nt: ((nt.classes - 1) * sp.KroneckerDelta(i, nt.classes), 0), "is a count, not an index"),
    ],
)
def test_sums_over_partial_ranges_and_counts_as_indices_are_bad_input(build, words):
    nt = softmax_notation()
    left, right = build(nt)
    with pytest.raises(VocabularyError, match=words):
        check(left, right, notation=nt)


def test_the_temperature_is_not_a_variable_of_differentiation():
    nt = softmax_notation(temperature="T")
    with pytest.raises(VocabularyError, match="temperature"):
        check(Partial(nt.softmax[i], nt.temperature), 0, [positive(nt.temperature)], notation=nt)


def test_a_label_rule_that_refers_to_the_labels_is_bad_input():
    nt = softmax_notation()
    ruled = replace(nt, label_rule=(r, 1 - nt.labels[r]))
    with pytest.raises(VocabularyError, match="refers to the labels"):
        check(ruled.labels[i], 0, notation=ruled)


def test_the_batch_jacobian_can_be_stated():
    nt = softmax_notation(examples="N")
    s, z = nt.softmax, nt.logits
    right = sp.KroneckerDelta(n, m) * s[n, i] * (sp.KroneckerDelta(i, j) - s[n, j])
    assert check(Partial(s[n, i], z[m, j]), right, notation=nt).strength is Strength.PROVED
    assert (
        check(Partial(s[n, i], z[m, j]), s[n, i] * (sp.KroneckerDelta(i, j) - s[n, j]), notation=nt).status
        is Status.FAILS
    )


def test_a_number_inside_a_log_is_one_atom_however_it_is_written():
    nt = softmax_notation()
    s = nt.softmax
    assert check(sp.log(6 * s[i]), sp.log(2 * s[i]) + sp.log(3), notation=nt).strength is Strength.PROVED
    assert check(sp.log(6 * s[i]), sp.log(2 * s[i]) + sp.log(5), notation=nt).status is Status.FAILS


def test_the_label_sum_to_one_still_counts_with_k_as_a_letter():
    nt = softmax_notation()
    y, K = nt.labels, nt.classes
    assert check(SumExcept(y[k], k, K, i), 1 - y[i], [sums_to_one(y)], notation=nt).holds
