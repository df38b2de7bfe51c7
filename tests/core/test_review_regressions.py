"""Steps a cold review used to get past the core: each must now be rejected, or refused as
bad input, never accepted and never an engine error."""

import pytest
import sympy as sp

from derive.core import (
    EXACT_CLASSES,
    Status,
    VocabularyError,
    check,
    different,
    same,
    sums_to_one,
)


def test_contradictory_cases_are_bad_input(v):
    with pytest.raises(VocabularyError, match="cannot hold together"):
        check(v.s[v.i], 2 * v.s[v.i], (different(v.i, v.i),), notation=v.nt)
    with pytest.raises(VocabularyError, match="cannot hold together"):
        check(v.s[v.i], 2 * v.s[v.i], (same(v.i, v.j), different(v.i, v.j)), notation=v.nt)
    with pytest.raises(VocabularyError, match="cannot hold together"):
        check(v.s[v.i], 2 * v.s[v.i], (same(v.i, v.j), same(v.j, v.k), different(v.i, v.k)), notation=v.nt)


@pytest.mark.parametrize("roots", [EXACT_CLASSES + 4, 9, 12])
def test_a_polynomial_in_k_that_vanishes_beyond_every_default_reach_fails(v, roots):
    factor = sp.Mul(*[(sp.Sum(1, (v.k, 1, v.K)) - c) for c in range(1, roots + 1)])
    verdict = check(factor * v.s[v.i], 0, notation=v.nt)
    assert verdict.status is Status.FAILS
    assert verdict.counterexample.classes == roots + 1


def test_the_diagnosis_never_names_a_hypothesis_the_counterexample_already_satisfies(v):
    factor = sp.Mul(*[(v.K - c) for c in range(1, 8)])
    verdict = check(factor * v.s[v.i], 0, notation=v.nt)
    assert verdict.status is Status.FAILS and verdict.missing is None
    assert verdict.reason == "the two sides differ"
    cited = check(factor * v.s[v.i], 0, (sums_to_one(v.y),), notation=v.nt)
    assert cited.status is Status.FAILS and cited.missing is None


@pytest.mark.parametrize("power", [10, 30, 40, 60])
def test_a_tiny_exact_difference_is_a_difference(v, power):
    verdict = check(v.s[v.i] + sp.Rational(1, 10**power), v.s[v.i], notation=v.nt)
    assert verdict.status is Status.FAILS
    assert verdict.counterexample.exact


def test_an_approximation_of_log_2_is_not_log_2(v):
    approx = sp.Rational(693147180559945309417232121458, 10**30)
    verdict = check(sp.log(2 * v.s[v.i]), sp.log(v.s[v.i]) + approx, notation=v.nt)
    assert verdict.status is Status.FAILS
    assert check(sp.log(2 * v.s[v.i]), sp.log(v.s[v.i]) + sp.log(2), notation=v.nt).holds


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda v: sp.Float(0.5) * v.s[v.i], "exact numbers"),
        (lambda v: sp.Abs(v.z[v.i]), "vocabulary"),
        (lambda v: sp.sin(v.z[v.i]), "vocabulary"),
        (lambda v: sp.Symbol("q") * v.s[v.i], "unknown symbol q"),
        (lambda v: 1 / (v.s[v.i] - v.s[v.i]), "divides by zero"),
        (lambda v: v.s[v.i] ** v.y[v.i], "powers"),
        (lambda v: sp.pi * v.s[v.i], "constants"),
    ],
)
def test_input_outside_the_vocabulary_is_bad_input_in_one_line(v, build, message):
    with pytest.raises(VocabularyError, match=message) as info:
        check(build(v), v.s[v.i], notation=v.nt)
    assert "\n" not in str(info.value)
