"""Verdicts are sealed: only the core makes them, and a label is never stronger than its strength."""

import pytest

from derive.core import CheckedDerivation, Counterexample, Partial, Status, Strength, Verdict, check


def test_a_verdict_cannot_be_built_outside_the_core():
    with pytest.raises(TypeError):
        Verdict(Status.HOLDS, Strength.PROVED, "all K", None, None, (), (), None, None, (), "", 0.0)


def test_a_counterexample_cannot_be_built_outside_the_core():
    with pytest.raises(TypeError):
        Counterexample(2, None, (), (), (), "0", "1", True)


def test_a_checked_derivation_cannot_be_built_outside_the_core():
    with pytest.raises(TypeError):
        CheckedDerivation(None, ())


def test_verdicts_are_frozen(v):
    verdict = check(Partial(v.s[v.i], v.z[v.j]), v.s[v.i] * v.s[v.j], notation=v.nt)
    with pytest.raises(AttributeError):
        verdict.status = Status.HOLDS


def test_text_never_reaches_sympy(v):
    from derive.core.vocabulary import as_expression

    with pytest.raises(TypeError, match="not str"):
        as_expression("__import__('os').system('true')")
    with pytest.raises(TypeError, match="not str"):
        check("s[i]", v.s[v.i], notation=v.nt)
    entry = v.s[v.i]
    assert as_expression(2) == 2 and as_expression(entry) is entry
