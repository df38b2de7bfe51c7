"""Found by bench/fuzz.py: under a temperature, a step that writes a logit z_k itself (not
through the softmax) needs a value of T at every point, since z_k is T·log e^{z_k/T}; the
numeric witness used to crash with KeyError: T when the step never wrote T."""

import sympy as sp

from derive.core import Status, check, indices, softmax_notation


def _parts():
    nt = softmax_notation(temperature="T")
    z, s, K, T = nt.logits, nt.softmax, nt.classes, nt.temperature
    i, m = indices("i m")
    return nt, z, s, K, T, i, m


def test_a_step_on_raw_logits_under_a_temperature_is_decided():
    nt, z, s, K, T, i, m = _parts()
    total = sp.log(sp.Sum(sp.exp(z[m]), (m, 1, K)))
    assert check(total, total, notation=nt).holds
    assert check(sp.log(s[i]), z[i] / T - sp.log(sp.Sum(sp.exp(z[m] / T), (m, 1, K))), notation=nt).holds


def test_forgetting_the_temperature_fails():
    nt, z, s, K, T, i, m = _parts()
    wrong = z[i] - sp.log(sp.Sum(sp.exp(z[m]), (m, 1, K)))  # true only at T = 1
    verdict = check(sp.log(s[i]), wrong, notation=nt)
    assert verdict.status is Status.FAILS
    assert verdict.counterexample is not None
    halved = z[i] / (2 * T) - sp.log(sp.Sum(sp.exp(z[m] / T), (m, 1, K)))
    assert check(sp.log(s[i]), halved, notation=nt).status is Status.FAILS
