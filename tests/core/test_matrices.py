"""Claims between matrices of one concrete K are checked entry by entry."""

import pytest
import sympy as sp

from derive.core import Partial, Status, Strength, VocabularyError, check


def jacobian(v, K):
    return sp.ImmutableMatrix([[Partial(v.s[a], v.z[b]) for b in range(1, K + 1)] for a in range(1, K + 1)])


def formula(v, K):
    return sp.ImmutableMatrix(
        [[v.s[a] * (sp.KroneckerDelta(a, b) - v.s[b]) for b in range(1, K + 1)] for a in range(1, K + 1)]
    )


def test_jacobian_of_one_k_is_proved_for_that_k_only(v):
    verdict = check(jacobian(v, 3), formula(v, 3), notation=v.nt.at_classes(3))
    assert verdict.status is Status.HOLDS and verdict.strength is Strength.PROVED
    assert verdict.label == "proved for K = 3"


def test_one_entry_with_a_flipped_sign_is_rejected_and_named(v):
    wrong = formula(v, 3).as_mutable()
    wrong[0, 1] = -wrong[0, 1]
    verdict = check(jacobian(v, 3), sp.ImmutableMatrix(wrong), notation=v.nt.at_classes(3))
    assert verdict.status is Status.FAILS
    assert "entry (1,2)" in verdict.reason
    assert verdict.counterexample.classes == 3


def test_swapped_indices_in_an_entry_are_rejected(v):
    wrong = formula(v, 3).as_mutable()
    wrong[1, 1] = v.s[1] * (1 - v.s[1])  # s_1 where s_2 belongs
    verdict = check(jacobian(v, 3), sp.ImmutableMatrix(wrong), notation=v.nt.at_classes(3))
    assert verdict.status is Status.FAILS
    assert "entry (2,2)" in verdict.reason


def test_dropped_term_in_the_matrix_form_is_rejected(v):
    column = sp.ImmutableMatrix([v.s[a] for a in range(1, 4)])
    diagonal = sp.ImmutableMatrix(3, 3, lambda a, b: v.s[a + 1] if a == b else 0)
    assert check(formula(v, 3), diagonal - column * column.T, notation=v.nt.at_classes(3)).holds
    assert check(formula(v, 3), diagonal, notation=v.nt.at_classes(3)).status is Status.FAILS


def test_two_well_formed_sides_of_different_shapes_fail_naming_both(v):
    verdict = check(jacobian(v, 3), formula(v, 2), notation=v.nt.at_classes(3))
    assert verdict.status is Status.FAILS
    assert "a 3×3 matrix cannot equal a 2×2 matrix" in verdict.reason
    assert (verdict.counterexample.left, verdict.counterexample.right) == ("a 3×3 matrix", "a 2×2 matrix")
    verdict = check(jacobian(v, 2), v.s[1], notation=v.nt.at_classes(2))
    assert verdict.status is Status.FAILS and "a 2×2 matrix cannot equal a number" in verdict.reason


def test_an_entry_outside_the_classes_is_bad_input(v):
    with pytest.raises(VocabularyError, match="outside 1..3"):
        check(v.s[5], v.s[1], notation=v.nt.at_classes(3))


def test_a_numbered_entry_needs_a_fixed_k(v):
    with pytest.raises(VocabularyError, match="fixed count"):
        check(v.s[2], v.s[1], notation=v.nt)
