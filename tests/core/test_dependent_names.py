"""∂/∂y for a name the notation defines (y := σ(z), ξ := −t log y − (1 − t) log(1 − y)): y is
then the variable, as the softmax outputs are for ∂/∂s_j, for an expression written in y and
not in what y is made of; ∂/∂z goes through y. Each rule is fed false steps of several shapes."""

from dataclasses import replace

import pytest
import sympy as sp

from derive.core import (
    Partial,
    Status,
    Strength,
    VocabularyError,
    check,
    indices,
    scalar,
    sigmoid,
    softmax_notation,
)

i, j = indices("i j")
z, t = scalar("z"), scalar("t")
y, xi = sp.Symbol("y"), sp.Symbol("xi")
NT = replace(
    softmax_notation(),
    definitions=((y, sigmoid(z)), (xi, -t * sp.log(y) - (1 - t) * sp.log(1 - y))),
)


@pytest.mark.parametrize(
    "left, right",
    [
        (Partial(xi, y), -t / y + (1 - t) / (1 - y)),  # ξ written in y: y is the variable
        (Partial(xi, y), (y - t) / (y * (1 - y))),
        (Partial(y, z), y * (1 - y)),  # ∂/∂z goes through y
        (Partial(xi, z), y - t),
        (Partial(xi, z), Partial(xi, y) * Partial(y, z)),  # the chain rule
        (Partial(y**2, y), 2 * y),
    ],
)
def test_a_defined_name_is_the_variable_of_its_own_derivative(left, right):
    verdict = check(left, right, notation=NT)
    assert verdict.status is Status.HOLDS and verdict.strength is Strength.PROVED, verdict


@pytest.mark.parametrize(
    "left, right",
    [
        (Partial(xi, y), t / y - (1 - t) / (1 - y)),  # a sign
        (Partial(xi, y), (t - y) / (y * (1 - y))),  # swapped
        (Partial(xi, z), t - y),
        (Partial(xi, z), Partial(xi, y)),  # the chain rule with a factor dropped
        (Partial(y, z), y * (1 + y)),
        (Partial(y**2, y), 2 * z),
    ],
)
def test_a_false_step_with_a_defined_variable_fails(left, right):
    assert check(left, right, notation=NT).status is Status.FAILS


@pytest.mark.parametrize(
    "expression",
    [
        y + z,  # written in y and in z, which y is made of
        xi * z,
        sigmoid(z) * y,
    ],
)
def test_a_derivative_in_a_defined_name_of_an_expression_with_what_it_is_made_of_is_refused(expression):
    with pytest.raises(VocabularyError, match="defined in terms of z"):
        check(Partial(expression, y), 1, notation=NT)


def test_a_loss_defined_through_the_softmax_is_a_variable_only_for_expressions_without_it():
    nt = softmax_notation()
    L, s = sp.Symbol("L"), nt.softmax
    assert check(Partial(2 * L, L), 2, notation=nt).status is Status.HOLDS
    assert check(Partial(2 * L, L), 1, notation=nt).status is Status.FAILS
    with pytest.raises(VocabularyError, match="defined in terms of"):
        check(Partial(L * s[i], L), s[i], notation=nt)
