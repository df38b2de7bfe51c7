"""Every built-in derivation holds at the strongest label, and false variants of their steps
are rejected with a counterexample. Adding a derivation needed only general vocabulary in the
core (real scalars, σ, a temperature, defined labels, domain conditions): these tests also
exercise that vocabulary on false steps."""

from dataclasses import replace

import pytest
import sympy as sp

from derive.core import (
    Indicator,
    Notation,
    Partial,
    Status,
    Strength,
    VocabularyError,
    between,
    check,
    check_derivation,
    classes_symbol,
    family,
    indices,
    open_between,
    positive,
    scalar,
    sigmoid,
    softmax_notation,
)
from derive.proofs import BUILTINS

i, j, k, c, n, m, r = indices("i j k c n m r")


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_every_step_of_every_builtin_is_proved(name):
    checked = check_derivation(BUILTINS[name].derivation(3))
    for step, verdict in checked.pairs:
        assert verdict.status is Status.HOLDS, (name, step.previous, step.next, verdict.reason)
        assert verdict.strength is Strength.PROVED, (name, step.previous, verdict.label)


def rejected(left, right, notation, cites=()):
    verdict = check(left, right, tuple(cites), notation=notation)
    assert verdict.status is Status.FAILS, (left, right, verdict.label)
    assert verdict.counterexample is not None
    return verdict


# -- logsumexp-grad ------------------------------------------------------------------------


def test_logsumexp_false_variants():
    nt = softmax_notation()
    z, s, K = nt.logits, nt.softmax, nt.classes
    mm = scalar("m")
    total = sp.Sum(sp.exp(z[k]), (k, 1, K))
    rejected(Partial(sp.log(total), z[j]), s[i], nt)  # wrong index
    rejected(Partial(sp.log(total), z[j]), 1 - s[j], nt)
    rejected(sp.log(total), mm + sp.log(sp.Sum(sp.exp(z[k] + mm), (k, 1, K))), nt)  # sign of the shift
    verdict = rejected(sp.log(total), sp.log(sp.Sum(sp.exp(z[k] - mm), (k, 1, K))), nt)  # m dropped
    assert any(name == "e^{m}" for name, _, _ in verdict.counterexample.inputs)


# -- log-softmax ---------------------------------------------------------------------------


def test_log_softmax_false_variants():
    nt = softmax_notation()
    z, s = nt.logits, nt.softmax
    rejected(Partial(sp.log(s[i]), z[j]), sp.KroneckerDelta(i, j) + s[j], nt)  # sign
    rejected(Partial(-sp.log(s[c]), z[j]), s[c] - sp.KroneckerDelta(c, j), nt)  # s_c for s_j
    rejected(Partial(-sp.log(s[c]), z[j]), s[j], nt)  # dropped δ


# -- softmax-temperature --------------------------------------------------------------------


def test_temperature_false_variants():
    nt = softmax_notation(temperature="T")
    z, s, T = nt.logits, nt.softmax, nt.temperature
    hot = (positive(T),)
    formula = s[i] * (sp.KroneckerDelta(i, j) - s[j])
    assert check(Partial(s[i], z[j]), formula / T, hot, notation=nt).strength is Strength.PROVED
    verdict = rejected(Partial(s[i], z[j]), formula, nt, hot)  # the 1/T dropped
    assert any(name == "T" for name, _, _ in verdict.counterexample.inputs)
    assert all(float(sp.Rational(v)) > 0 for name, _, v in verdict.counterexample.inputs if name == "T")
    rejected(Partial(s[i], z[j]), formula * T, nt, hot)


# -- label-smoothing -------------------------------------------------------------------------


def _smoothed(target):
    base = softmax_notation()
    return replace(base, label_rule=(r, target))


def test_label_smoothing_false_variants():
    eps = scalar("epsilon")
    nt = _smoothed((1 - eps) * Indicator(r, c) + eps / classes_symbol())
    y, s, z, K = nt.labels, nt.softmax, nt.logits, nt.classes
    domain = (between(eps, 0, 1),)
    assert check(sp.Sum(y[k], (k, 1, K)), 1, domain, notation=nt).strength is Strength.PROVED
    rejected(sp.Sum(y[k], (k, 1, K)), 1 - eps, nt, domain)
    rejected(Partial(sp.Symbol("L"), z[i]), s[i] - (1 - eps) * Indicator(i, c), nt, domain)  # ε/K dropped
    # Targets that forget the /K do not sum to one, and then the gradient is not s_i − y_i.
    wrong = _smoothed((1 - eps) * Indicator(r, c) + eps)
    rejected(sp.Sum(wrong.labels[k], (k, 1, K)), 1, wrong, domain)
    verdict = rejected(Partial(sp.Symbol("L"), wrong.logits[i]), wrong.softmax[i] - wrong.labels[i], wrong, domain)
    assert any(name == "ε" for name, _, _ in verdict.counterexample.inputs)


# -- sigmoid-bce -------------------------------------------------------------------------------


def test_sigmoid_false_variants():
    x, y = scalar("x"), scalar("y")
    base = softmax_notation()
    L = sp.Symbol("L")
    nt = replace(base, definitions=((L, -(y * sp.log(sigmoid(x)) + (1 - y) * sp.log(1 - sigmoid(x)))),))
    rejected(Partial(sigmoid(x), x), sigmoid(x) * (1 + sigmoid(x)), nt)
    rejected(Partial(sigmoid(x), x), sigmoid(-x), nt)
    rejected(Partial(L, x), y - sigmoid(x), nt)  # sign
    rejected(Partial(L, x), sigmoid(x), nt)  # dropped y
    two = base.at_classes(2)
    z, s = two.logits, two.softmax
    rejected(s[1], sigmoid(z[2] - z[1]), two)  # swapped indices


def test_a_log_of_a_probability_needs_its_condition_cited():
    y, p = scalar("y"), scalar("p")
    Lp = sp.Symbol("L_p")
    nt = replace(softmax_notation(), definitions=((Lp, -(y * sp.log(p) + (1 - y) * sp.log(1 - p))),))
    with pytest.raises(VocabularyError, match="positive quantities"):
        check(Partial(Lp, p), (p - y) / (p * (1 - p)), notation=nt)
    verdict = check(Partial(Lp, p), (p - y) / (p * (1 - p)), (open_between(p, 0, 1),), notation=nt)
    assert verdict.strength is Strength.PROVED and [str(h) for h in verdict.needed] == ["0 < p < 1"]
    rejected(Partial(Lp, p), (y - p) / (p * (1 - p)), nt, (open_between(p, 0, 1),))


# -- mse-grad -----------------------------------------------------------------------------------


def test_mse_false_variants():
    yhat, y, N = family("yhat"), family("y"), classes_symbol("N")
    L = sp.Symbol("L")
    nt = Notation(yhat, None, y, N, None, ((L, sp.Sum((yhat[m] - y[m]) ** 2, (m, 1, N)) / N),))
    good = check(Partial(L, yhat[n]), 2 * (yhat[n] - y[n]) / N, notation=nt)
    assert good.label == "proved for all N"
    rejected(Partial(L, yhat[n]), (yhat[n] - y[n]) / N, nt)  # the 2 dropped
    verdict = rejected(Partial(L, yhat[n]), 2 * (yhat[n] - y[n]), nt)  # the 1/N dropped
    assert verdict.counterexample.classes == 2  # N = 1 cannot tell
    rejected(Partial(L, yhat[n]), 2 * (y[n] - yhat[n]) / N, nt)  # sign
    rejected(Partial(L, yhat[n]), 2 * (yhat[m] - y[m]) / N, nt)  # wrong index


# -- the new vocabulary on its own ------------------------------------------------------------------


def test_scalar_rules_reject_false_steps():
    nt = softmax_notation()
    x = scalar("x")
    assert check(sp.exp(x) * sp.exp(-x), 1, notation=nt).strength is Strength.PROVED
    assert check(Partial(x**2, x), 2 * x, notation=nt).label == "proved for all values"
    verdict = rejected(Partial(x**2, x), x, nt)
    assert verdict.counterexample.exact
    rejected(Partial(sp.exp(2 * x), x), sp.exp(2 * x), nt)
    rejected(sigmoid(x) + sigmoid(x), 1, nt)
    assert check(sigmoid(x) + sigmoid(-x), 1, notation=nt).strength is Strength.PROVED
