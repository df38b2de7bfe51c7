"""An outside red team's routes to a false "holds", each closed in general: every test feeds
the rule false steps of several shapes (and one true step, so that the fix is no blanket
refusal)."""

from dataclasses import replace

import pytest
import sympy as sp

from derive.core import (
    Partial,
    Status,
    Strength,
    VocabularyError,
    check,
    different,
    index,
    indices,
    one_hot,
    same,
    scalar,
    softmax_notation,
    sums_to_one,
)
from derive.core.claim import Claim
from derive.core.unrolled import relabelling_invariant

i, j, k, a, b, c, n = indices("i j k a b c n")
nt = softmax_notation()
s, z, y, K = nt.softmax, nt.logits, nt.labels, nt.classes
batch = softmax_notation(examples="N")
N = batch.examples


def _vanishing(count, top):
    return sp.Mul(*[count - v for v in range(1, top + 1)])


def _fails(left, right, cites=(), notation=nt):
    verdict = check(left, right, tuple(cites), notation=notation, time_limit=60)
    assert verdict.status is Status.FAILS, verdict.label
    return verdict


# 1. An index used as a number: one assignment per pattern of equal indices is not enough.


@pytest.mark.parametrize(
    "left",
    [
        (i - 1) * s[i],
        sp.Sum(sp.KroneckerDelta(a, i) * (a - 1) * (a - 2) * s[a], (a, 1, K)),
        (i - 1) * (j - 2) * s[i] * s[j],
        sp.Sum(a * y[a], (a, 1, K)) - sp.Sum(y[a], (a, 1, K)),
    ],
    ids=["factor", "delta-sum", "two-indices", "bound-index"],
)
def test_an_index_used_as_a_number_is_not_relabelled(left):
    claim = Claim.prepare(left, 0, nt, ())
    assert not relabelling_invariant(claim)
    _fails(left, 0)


def test_an_index_used_as_a_number_at_one_k_is_decided_for_every_assignment():
    four = nt.at_classes(4)
    verdict = check(((i - 1) * (i - 2) * s[i]).subs(K, 4), 0, notation=four, time_limit=60)
    assert verdict.status is Status.FAILS
    assert dict(verdict.counterexample.indices)["i"] in (3, 4)
    # true at every assignment: proved at that K
    held = check(sp.Sum(sp.KroneckerDelta(a, i) * (a - 1) * s[a], (a, 1, 4)), (i - 1) * s[i], notation=four)
    assert held.label == "proved for K = 4"


def test_a_symmetric_claim_is_still_relabelled():
    claim = Claim.prepare(Partial(s[i], z[j]), s[i] * (sp.KroneckerDelta(i, j) - s[j]), nt, ())
    assert relabelling_invariant(claim)
    assert check(sp.Sum(sp.KroneckerDelta(a, i) * (a - 1) * s[a], (a, 1, K)), (i - 1) * s[i], notation=nt).holds


# 2. Free indices range over 1..K: a claim with indices and no family is not "about no K".


def test_pairwise_distinct_indices_need_as_many_classes():
    three = [a, b, c]
    apart = sp.Mul(*[1 - sp.KroneckerDelta(p, q) for t, p in enumerate(three) for q in three[t + 1 :]])
    assert Claim.prepare(apart, 0, nt, ()).involves_classes
    _fails(apart, 0)
    held = check(apart * sp.KroneckerDelta(a, b), 0, notation=nt)
    assert held.holds and held.scope != "all values"


def test_a_claim_with_no_family_and_no_index_is_about_all_values():
    x = scalar("x")
    assert check((x + 1) ** 2, x**2 + 2 * x + 1, notation=nt).label == "proved for all values"


# 3. Dependence on K and N that no small count shows.


@pytest.mark.parametrize(
    "left, right, notation",
    [
        ((N - 1) * (N - 2) * (N - 3) * batch.softmax[n, i], 0, batch),
        ((N**2 - 6 * N + 11) / 6 * batch.softmax[n, i], batch.softmax[n, i] / N, batch),
        (_vanishing(N, 12) * batch.softmax[n, i], 0, batch),
        (_vanishing(K, 20) * s[i], 0, nt),
        (sp.exp(_vanishing(K, 6)) * s[i], s[i], nt),
        (sp.Sum(_vanishing(K, 7) * y[a], (a, 1, K)), 0, nt),
    ],
    ids=["N-cubic", "batch-factor", "N-degree-12", "K-degree-20", "K-in-exponent", "K-in-a-sum"],
)
def test_polynomial_dependence_beyond_the_exact_reach_fails(left, right, notation):
    _fails(left, right, notation=notation)


# 4. A cited fact is read with its subject.


def test_a_fact_about_the_softmax_gives_nothing_about_the_labels():
    _fails(sp.Sum(y[a], (a, 1, K)), 1, [sums_to_one(s)])
    _fails(s[i] * sp.Sum(y[a], (a, 1, K)) - y[i], s[i] - y[i], [sums_to_one(s)])
    assert check(sp.Sum(s[a], (a, 1, K)), 1, (sums_to_one(s),), notation=nt).holds


@pytest.mark.parametrize("fact", [one_hot(z), sums_to_one(z), one_hot(s)], ids=str)
def test_a_fact_about_another_family_is_bad_input(fact):
    with pytest.raises(VocabularyError, match="derive knows this fact only about the labels"):
        check(sp.Sum(y[a], (a, 1, K)), 1, (fact,), notation=nt)


# 6. ∂/∂s_j is defined only for an expression written in the outputs.


@pytest.mark.parametrize(
    "expression",
    [
        z[i],
        -sp.Sum(y[a] * (z[a] - sp.log(sp.Sum(sp.exp(z[b]), (b, 1, K)))), (a, 1, K)),
        s[i] * z[i],
    ],
    ids=["logit", "loss-in-z", "mixed"],
)
def test_a_derivative_by_the_outputs_of_an_expression_in_the_logits_is_bad_input(expression):
    with pytest.raises(VocabularyError, match="written in them"):
        check(Partial(expression, s[j]), 0, notation=nt)


def test_a_derivative_by_the_outputs_through_a_definition_in_the_logits_is_bad_input():
    (L, _), *_ = nt.definitions
    in_z = -sp.Sum(y[a] * (z[a] - sp.log(sp.Sum(sp.exp(z[b]), (b, 1, K)))), (a, 1, K))
    written_in_z = replace(nt, definitions=((L, in_z),))
    with pytest.raises(VocabularyError, match="written in them"):
        check(Partial(L, s[j]), 0, notation=written_in_z)


def test_a_derivative_by_the_outputs_of_an_expression_in_them_still_holds():
    loss = -sp.Sum(y[a] * sp.log(s[a]), (a, 1, K))
    assert check(Partial(loss, s[j]), -y[j] / s[j], notation=nt).holds


# 7. A case that no assignment satisfies at the claim's K says nothing.


@pytest.mark.parametrize(
    "classes, cases",
    [(1, [different(i, j)]), (2, [different(i, j), different(j, k), different(i, k)])],
    ids=["K=1,i≠j", "K=2,three-distinct"],
)
def test_an_impossible_case_at_one_k_is_bad_input(classes, cases):
    at = nt.at_classes(classes)
    with pytest.raises(VocabularyError, match="cannot hold together when K"):
        check(Partial(at.softmax[i], at.logits[j]) + 0 * at.softmax[k], 42, tuple(cases), notation=at)


def test_a_possible_case_at_one_k_is_checked():
    at = nt.at_classes(2)
    verdict = check(
        Partial(at.softmax[i], at.logits[j]), -at.softmax[i] * at.softmax[j], (different(i, j),), notation=at
    )
    assert verdict.label == "proved for K = 2"


# "not needed" is established as strongly as the verdict.


def test_not_needed_is_said_only_when_the_step_holds_as_strongly_without_it(monkeypatch):
    from derive.core import checking

    # Without the symbolic proof (as for a step it cannot reduce), a hypothesis needed only
    # from K = 4 on must still be reported as needed.
    monkeypatch.setattr(checking, "_remainder", lambda claim: 0)
    left = _vanishing(K, 3) * (sp.Sum(y[a], (a, 1, K)) - 1) * s[i]
    verdict = check(left, 0, (sums_to_one(y),), notation=nt)
    assert verdict.holds and verdict.strength is Strength.EXACT
    assert sums_to_one(y) in verdict.needed


# Differences too small for 40 digits, and cancellation that only looks like a difference.


@pytest.mark.parametrize(
    "left",
    [
        _vanishing(K, 5) / sp.Integer(10) ** 40 * s[i],
        _vanishing(K, 5) * sp.exp(-100) * s[i],
        _vanishing(K, 5) * sp.exp(-100 * z[i]),
    ],
    ids=["rational-1e-40", "e^-100", "e^-100z"],
)
def test_a_tiny_difference_beyond_the_exact_reach_fails(left):
    _fails(left, 0)


def test_a_tiny_difference_within_the_exact_reach_fails_with_a_readable_counterexample():
    verdict = _fails(sp.exp(-1000) + s[i], s[i])
    assert "more by ≈ 5.07596e-435" in verdict.counterexample.left


@pytest.mark.parametrize(
    "left, right",
    [
        ((1 + sp.exp(-100 * z[i])) * sp.exp(100 * z[i]), sp.exp(100 * z[i]) + 1),
        ((sp.exp(50 * z[i]) + 1) ** 2 - sp.exp(100 * z[i]), 2 * sp.exp(50 * z[i]) + 1),
    ],
    ids=["e^100z", "square"],
)
def test_cancellation_at_40_digits_does_not_lose_a_true_step(left, right):
    verdict = check(left, right, notation=nt)
    assert verdict.holds, verdict.reason


# Bad input, not an engine error.


def test_a_condition_no_value_satisfies_is_bad_input():
    from derive.core import open_between

    p = scalar("p")
    with pytest.raises(VocabularyError, match="lower end below its upper end"):
        check(p, 2 * p, (open_between(p, 1, 0),), notation=nt)


def test_a_delta_in_a_denominator_needs_its_case():
    with pytest.raises(VocabularyError, match="in a denominator"):
        check(1 / sp.KroneckerDelta(i, j), sp.KroneckerDelta(i, j), notation=nt)
    with pytest.raises(VocabularyError, match="in a denominator"):
        check(Partial(s[i], z[j]), s[i] * (1 - s[i]) / sp.KroneckerDelta(i, j), notation=nt)
    assert check(1 / sp.KroneckerDelta(i, j), 1, (same(i, j),), notation=nt).holds


@pytest.mark.parametrize(
    "number", [sp.Pow(2, sp.Rational(40001, 2), evaluate=False), sp.Integer(2) ** 20000], ids=["root", "power"]
)
def test_a_number_too_large_is_bad_input(number):
    with pytest.raises(VocabularyError, match="too large"):
        check(number * s[i], s[i], notation=nt)


def test_a_log_of_a_huge_power_is_refused_without_expanding_it():
    x = scalar("x")
    with pytest.raises(VocabularyError, match="positive quantities"):
        check(sp.log((x**2 + 1) ** 900), 900 * sp.log(x**2 + 1), notation=nt)


def test_a_one_index_entry_beside_a_two_index_one_is_bad_input():
    with pytest.raises(VocabularyError, match="one index"):
        check(batch.softmax[n, i] + batch.logits[i], 0, notation=batch)


def test_sums_over_the_examples_without_a_two_index_family_are_checked():
    x = scalar("x")
    assert check(sp.Sum(x, (n, 1, N)), N * x, notation=batch).holds
    assert check(sp.Sum(1, (n, 1, N)), N, notation=batch).holds
    _fails(sp.Sum(x, (n, 1, N)), 2 * x, notation=batch)
    _fails((N - 1) * (N - 2) * (N - 3) * x, 0, notation=batch)


def test_one_k_with_the_example_count_left_symbolic_is_not_proved():
    two = batch.at_classes(2)
    verdict = check(two.softmax[n, 1] + 0 * N, two.softmax[n, 1], notation=two)
    assert verdict.holds
    _fails(_vanishing(N, 20) * two.softmax[n, 1], 0, notation=two)
    m = index("m")
    _fails(sp.Sum(_vanishing(m, 6) * two.softmax[m, 1], (m, 1, N)), 0, notation=two)


def test_a_step_at_one_k_with_symbolic_n_is_labelled_exact_in_n():
    two = batch.at_classes(2)
    m = index("m")
    verdict = check(sp.Sum(two.softmax[m, 1] + two.softmax[m, 2], (m, 1, N)), N, notation=two)
    assert verdict.label == "exact for K = 2, N ≤ 2"


# Rational powers: the real branch for odd roots, bad input for an even root of what may be negative.


def test_an_odd_root_follows_the_real_branch():
    x = scalar("x")
    assert check((y[i] ** 3) ** sp.Rational(1, 3), y[i], notation=nt).holds
    assert check((x**3) ** sp.Rational(2, 3), x**2, notation=nt).holds
    for left, right in [((y[i] ** 3) ** sp.Rational(1, 3), -y[i]), ((x**3) ** sp.Rational(2, 3), -(x**2))]:
        verdict = _fails(left, right)
        # a counterexample is real numbers, never the real part of a complex value
        assert "I" not in verdict.counterexample.left + verdict.counterexample.right
        assert verdict.counterexample.left.strip("≈ ") != verdict.counterexample.right.strip("≈ ")


def test_an_even_root_of_what_may_be_negative_is_bad_input():
    x = scalar("x")
    with pytest.raises(VocabularyError, match="even root"):
        check(x ** sp.Rational(1, 2), x, notation=nt)
    with pytest.raises(VocabularyError, match="even root"):
        check((y[i] - 1) ** sp.Rational(3, 4), y[i], notation=nt)
    assert check((s[i] ** 2) ** sp.Rational(1, 2), s[i], notation=nt).holds


# The adversary of this round: what beat the first fixes.


@pytest.mark.parametrize(
    "left, right",
    [
        (s[i] + _vanishing(K, 5) * sp.exp(-100), s[i]),
        (sp.log(s[i]) + _vanishing(K, 5) * sp.exp(-100), sp.log(s[i])),
        (_vanishing(K, 64) * s[i], 0),
        (sp.Sum(_vanishing(a, 21) * s[a], (a, 1, K)), 0),
        (sp.Sum(sp.KroneckerDelta(a, i) * _vanishing(a, 21) * s[i], (a, 1, K)), 0),
    ],
    ids=["e^-100-beside-s", "e^-100-beside-log", "K-degree-64", "bound-index-degree-21", "delta-index-degree-21"],
)
def test_what_beat_a_fixed_sweep_or_precision_fails(left, right):
    _fails(left, right)


def test_n_dependence_at_one_k_is_swept_as_far_as_its_degree():
    two = batch.at_classes(2)
    _fails(_vanishing(N, 22) * two.softmax[n, 1], 0, notation=two)


def test_a_claim_undefined_at_every_k_tried_is_bad_input_not_exact():
    undefined_small = (s[i] ** 2) ** sp.Rational(1, 2) / _vanishing(K, 5)
    with pytest.raises(VocabularyError, match=r"divides by K - \d, which is 0 for every input at K = \d"):
        check(undefined_small, s[i] / _vanishing(K, 5), notation=nt)


def test_a_hypothesis_needed_only_beyond_the_default_sweep_is_needed():
    left = (s[i] ** 2) ** sp.Rational(1, 2) + _vanishing(K, 40) * (sp.Sum(y[a], (a, 1, K)) - 1)
    verdict = check(left, s[i], (sums_to_one(y),), notation=nt)
    assert verdict.holds and sums_to_one(y) in verdict.needed


@pytest.mark.parametrize(
    "left, message",
    [
        (sp.exp(-(10**5)) * s[i] + s[i], "coefficient above 5000"),
        (sp.exp(6000 * z[i]), "coefficient above 5000"),
        (s[i] ** 2000, "powers up to 1000"),
    ],
    ids=["e^-100000", "e^6000z", "power-2000"],
)
def test_numbers_beyond_what_the_referee_can_separate_are_bad_input(left, message):
    with pytest.raises(VocabularyError, match=message):
        check(left, s[i], notation=nt)


def test_a_condition_with_one_value_is_bad_input_not_an_engine_error():
    from derive.core import between

    p = scalar("p")
    with pytest.raises(VocabularyError, match="lower end below its upper end"):
        check(1 / p, 1, (between(p, 0, 0),), notation=nt)


# The second adversary: steps undefined where they claim something, and matrices labelled by
# their first entry.


@pytest.mark.parametrize(
    "left, right, cites",
    [
        ((s[i] ** 2 - s[j] ** 2) / (s[i] - s[j]), s[i] + s[j], ()),
        (s[i] * s[j] / (1 - sp.KroneckerDelta(i, j)), s[i] * s[j], ()),
        ((y[i] ** 2 - y[j] ** 2) / (y[i] - y[j]), y[i] + y[j], ()),
        (s[i] * (y[i] - 1) / y[i], 0, (one_hot(y),)),
        (s[i] / (sp.Sum(y[a], (a, 1, K)) - 1), 5, (sums_to_one(y),)),
        (1 / (sp.Sum(s[a], (a, 1, K)) - 1), 5, ()),
    ],
    ids=["s_i-s_j", "1-delta", "y_i-y_j", "one-hot-y_i", "labels-sum", "softmax-sum"],
)
def test_a_step_undefined_for_a_case_or_labels_it_allows_is_bad_input(left, right, cites):
    with pytest.raises(VocabularyError, match="divides by zero|which is 0 for every input"):
        check(left, right, tuple(cites), notation=nt)


def test_a_step_undefined_only_where_its_case_excludes_holds():
    assert check((s[i] ** 2 - s[j] ** 2) / (s[i] - s[j]), s[i] + s[j], (different(i, j),), notation=nt).holds


def test_a_scalar_step_defined_nowhere_is_bad_input():
    from derive.core import sigmoid

    x = scalar("x")
    with pytest.raises(VocabularyError, match="divides by zero|which is 0 for every input"):
        check(1 / (sigmoid(x) + sigmoid(-x) - 1), 5, notation=nt)


def test_a_matrix_is_labelled_by_its_weakest_entry():
    x = scalar("x")
    row = sp.ImmutableMatrix([[x, (s[i] ** 2) ** sp.Rational(1, 2)]])
    verdict = check(row, sp.ImmutableMatrix([[x, s[i]]]), notation=nt)
    assert verdict.holds and verdict.strength is Strength.EXACT
    two = batch.at_classes(2)
    column = sp.ImmutableMatrix([[two.softmax[n, 1]], [sp.Sum(two.softmax[b, 1] + two.softmax[b, 2], (b, 1, N))]])
    verdict = check(column, sp.ImmutableMatrix([[two.softmax[n, 1]], [N]]), notation=two)
    assert verdict.label == "exact for K = 2, N ≤ 2"


@pytest.mark.parametrize(
    "left",
    [
        _vanishing(i, 12) * sp.KroneckerDelta(i, j) * s[i],
        _vanishing(K, 5) * sp.KroneckerDelta(i, j) * s[i],
        sp.Sum(_vanishing(K, 5) * sp.KroneckerDelta(a, i) * sp.KroneckerDelta(a, j) * s[a], (a, 1, K)),
    ],
    ids=["index-degree-12-at-i=j", "K-degree-5-at-i=j", "in-a-sum-at-i=j"],
)
def test_the_sweep_tries_every_pattern_of_equal_indices(left):
    # false only where i = j: a sweep that tries only distinct indices never sees it
    _fails(left, 0)


def test_a_case_that_names_a_count_is_bad_input():
    from derive.core.hypotheses import Hypothesis

    for subjects in ((i, K), (N, i)):
        notation = batch if N in subjects else nt
        with pytest.raises(VocabularyError, match="is not an index"):
            check(Partial(s[i], z[j]), 0, (Hypothesis("same", subjects),), notation=notation)


def test_a_claim_about_one_class_defined_nowhere_is_bad_input():
    from derive.core import SumExcept

    one = nt.at_classes(1)
    with pytest.raises(VocabularyError, match="divides by zero|which is 0 for every input"):
        check(one.softmax[i] / SumExcept(one.softmax[a], a, 1, i), 5, notation=one)


def test_a_hint_to_cite_a_hypothesis_is_given_only_when_citing_it_would_make_the_step_hold():
    k = index("k")
    step = (N**2 - 6 * N + 11) / 6 * batch.softmax[n, i] * sp.Sum(batch.labels[n, k], (k, 1, batch.classes))
    verdict = _fails(step, batch.softmax[n, i] / N, [sums_to_one(batch.labels)], notation=batch)
    assert verdict.missing is None and verdict.reason == "the two sides differ"


# The third adversary: seven free indices, and a bound index used as a number that vanishes at
# the largest values.


def test_more_free_indices_than_the_witnesses_can_place_is_undecided_without_a_proof():
    m_, n_, o_, p_, q_, r_ = indices("m n o p q r")
    deltas = sp.KroneckerDelta(m_, n_) * sp.KroneckerDelta(o_, p_) * sp.KroneckerDelta(q_, r_)
    # true, but (s_i²)^{1/2} is beyond the symbolic witness, and seven indices have 877 patterns
    verdict = check((s[i] ** 2) ** sp.Rational(1, 2) * deltas, s[i] * deltas, notation=nt, time_limit=60)
    assert verdict.status is Status.UNDECIDED and "7 free indices" in verdict.reason
    m7 = [m_, n_, o_, p_, q_, r_]
    apart = sp.Mul(*[1 - sp.KroneckerDelta(a_, b_) for t, a_ in enumerate(m7[:3]) for b_ in m7[t + 1 : 3]])
    pairs = sp.KroneckerDelta(i, j) * sp.KroneckerDelta(p_, q_)
    assert check(pairs + apart, pairs, notation=nt, time_limit=60).status is not Status.HOLDS


def test_an_index_as_a_number_is_tried_at_every_value_at_a_swept_k():
    k = index("k")
    window = sp.Sum(_vanishing(k, 19) * (K - k) * sp.KroneckerDelta(k, i) * s[k], (k, 1, K))
    _fails(s[i] + window, s[i])
