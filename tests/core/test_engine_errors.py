"""Witnesses that disagree are an engine bug: check() raises EngineError, never a verdict.

Each test breaks one witness on purpose (the workers are forked, so a monkeypatch in the
test process reaches them) and feeds a step on which the broken witness now contradicts
the others."""

import pytest
import sympy as sp

from derive.core import EngineError, Partial, check, different


def _false_step(v):
    return Partial(v.s[v.i], v.z[v.j]), v.s[v.i] * v.s[v.j], (different(v.i, v.j),)


def test_a_symbolic_proof_of_a_false_step_is_an_engine_error(v, monkeypatch):
    from derive.core import symbolic

    monkeypatch.setattr(symbolic, "remainder_degree", lambda *args, **kwargs: None)  # "proved"
    left, right, cites = _false_step(v)
    with pytest.raises(EngineError, match="symbolic proof holds"):
        check(left, right, cites, notation=v.nt)


def test_a_referee_that_cannot_confirm_the_counterexample_is_an_engine_error(v, monkeypatch):
    import derive.core.checking as check_module

    monkeypatch.setattr(check_module, "sides_differ", lambda *args: (False, "0", "0", True))
    left, right, cites = _false_step(v)
    with pytest.raises(EngineError, match="referee does not confirm"):
        check(left, right, cites, notation=v.nt)


def test_exact_and_numeric_disagreeing_at_the_same_k_is_an_engine_error(v, monkeypatch):
    import derive.core.checking as check_module
    from derive.core import unrolled

    real = unrolled.exact_check

    def blind(*args, **kwargs):  # claims equality for every K up to 20
        outcome = real(*args, **kwargs)
        return unrolled.ExactOutcome(20, outcome.examples_reached, None)  # beyond every K sampled

    monkeypatch.setattr(unrolled, "exact_check", blind)
    monkeypatch.setattr(check_module.symbolic, "remainder_degree", lambda *a, **k: 0)  # "not proved"
    left, right, cites = _false_step(v)
    with pytest.raises(EngineError, match="exact witness finds the sides equal"):
        check(left, right, cites, notation=v.nt)


def test_an_honest_step_raises_nothing(v):
    assert check(v.s[v.i], v.s[v.i] * 1 + sp.Integer(0), notation=v.nt).holds
