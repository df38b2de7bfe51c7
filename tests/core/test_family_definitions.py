"""Families a document defines entry by entry (ℓ_j := −y_j log s_j, g_i := e^{z_i}): the core
expands an entry by its rule at its own index, in every witness, and refuses what such a rule
cannot mean. Each rule is fed false steps of several shapes: a sign, an index, a dropped term."""

from dataclasses import replace

import pytest
import sympy as sp

from derive.core import Partial, Status, Strength, VocabularyError, check, family, indices, softmax_notation

i, j, k = indices("i j k")
ell, g = family("ell"), family("g")


def _notation(*rules):
    return replace(softmax_notation(), family_definitions=tuple(rules))


NT = _notation((ell, j, -softmax_notation().labels[j] * sp.log(softmax_notation().softmax[j])))
s, y, z, K = NT.softmax, NT.labels, NT.logits, NT.classes
L = sp.Symbol("L")


@pytest.mark.parametrize(
    "left, right",
    [
        (Partial(ell[j], s[j]), -y[j] / s[j]),  # ∂ℓ_j/∂s_j
        (Partial(ell[i], s[i]), -y[i] / s[i]),  # at another index letter
        (sp.Sum(ell[k], (k, 1, K)), L),  # the loss is the sum of its terms
        (Partial(sp.Sum(ell[k], (k, 1, K)), z[i]), s[i] * sp.Sum(y[k], (k, 1, K)) - y[i]),
        (ell[i], -y[i] * sp.log(s[i])),
    ],
)
def test_an_entry_of_a_defined_family_is_its_rule_at_that_index(left, right):
    verdict = check(left, right, notation=NT)
    assert verdict.status is Status.HOLDS and verdict.strength is Strength.PROVED


@pytest.mark.parametrize(
    "left, right",
    [
        (Partial(ell[j], s[j]), y[j] / s[j]),  # the sign slip of corpus file 24
        (Partial(ell[j], s[i]), -y[j] / s[j]),  # ∂ℓ_j/∂s_i is 0 for i ≠ j
        (ell[i], ell[j]),  # a swapped index
        (sp.Sum(ell[k], (k, 1, K)), -L),  # a sign
        (ell[i], -sp.log(s[i])),  # a dropped factor
        (Partial(sp.Sum(ell[k], (k, 1, K)), z[i]), s[i] - 2 * y[i]),
    ],
)
def test_a_false_step_with_a_defined_family_fails(left, right):
    assert check(left, right, notation=NT).status is Status.FAILS


def test_a_defined_family_may_use_one_defined_before_it():
    nt = _notation((g, i, sp.exp(softmax_notation().logits[i])), (ell, j, g[j] / 2))
    z = nt.logits
    assert check(Partial(ell[k], z[k]), sp.exp(z[k]) / 2, notation=nt).status is Status.HOLDS
    assert check(Partial(ell[k], z[k]), sp.exp(z[k]), notation=nt).status is Status.FAILS
    # a positive rule makes its entries positive: log g_i reads
    assert check(sp.log(g[i]), z[i], notation=nt).status is Status.HOLDS


@pytest.mark.parametrize(
    "rules, left, words",
    [
        # ∂/∂ℓ_j: ℓ is defined, not a variable
        (((ell, j, sp.exp(softmax_notation().logits[j])),), lambda: Partial(L, ell[i]), "defined by the document"),
        # a rule naming its own family
        (((ell, j, 1 + ell[j]),), lambda: ell[i], "refers to ell itself"),
        # a rule with an index it does not bind
        (((ell, j, softmax_notation().logits[i]),), lambda: ell[k], "another free index"),
        # two indices on a family defined with one
        (((ell, j, softmax_notation().logits[j]),), lambda: ell[i, j], "takes one index"),
    ],
)
def test_what_a_defined_family_cannot_mean_is_bad_input(rules, left, words):
    nt = _notation(*rules)
    with pytest.raises(VocabularyError, match=words):
        check(left(), 0, notation=nt)


def test_a_defined_family_at_a_fixed_number_of_classes():
    nt = NT.at_classes(3)
    s3, y3 = nt.softmax, nt.labels
    assert check(sp.Sum(ell[k], (k, 1, 3)), -sum(y3[a] * sp.log(s3[a]) for a in (1, 2, 3)), notation=nt).status is (
        Status.HOLDS
    )
    assert check(ell[1], -y3[2] * sp.log(s3[2]), notation=nt).status is Status.FAILS
