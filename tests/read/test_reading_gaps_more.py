"""More notation from the corpus that derive did not read (issue 13), each checked for its
reading, for a false step it makes checkable (it must fail), and for look-alikes (refused):

  \\frac{...}{...}{}                 an empty group after a fraction (20, 61)
  a \\cdot -b                        a factor with its own sign after a product sign (22, 44)
  one equation of a block unreadable the block's other equations are still read (21)
  \\sigma(A_i), \\sigma the softmax    the declared softmax applied to a logit: its entry (22)
  \\text{If } i=j, A &= B \\\\ &= C    a condition heading a chain is the case of every row (21)
  L_i, w_1, H(Y, \\sigma(A))          names with a subscript or several arguments (23, 43, 22)
"""

from __future__ import annotations

import sympy as sp

from derive.core import Status, check_derivation, family, index
from derive.read.latex_markup import normalise

from .test_reading_gaps import read, refused, sides, statuses

s, z, y = (family(n) for n in "szy")
i, j, k = index("i"), index("j"), index("k")
HOLDS, FAILS = Status.HOLDS, Status.FAILS


def verdicts(tmp_path, body, header=None):
    derivation, skipped = read(tmp_path, body, header) if header else read(tmp_path, body)
    return [v.status for v in check_derivation(derivation).verdicts], skipped


# -- \frac{..}{..}{} ---------------------------------------------------------------------------


def test_an_empty_group_after_a_fraction_draws_nothing(tmp_path):
    left, right, _ = sides(tmp_path, r"\frac{\partial s_i}{\partial z_i}{} = s_i(1 - s_i)")
    assert right == s[i] * (1 - s[i])
    assert statuses(
        tmp_path, [r"\frac{\partial s_i}{\partial z_i}{} = s_i(1 - s_i)", r"\frac{\partial s_i}{\partial z_i}{} = s_i"]
    ) == [HOLDS, FAILS]


def test_an_empty_group_that_may_be_an_argument_is_kept():
    # \frac{1}{} x: the {} is the fraction's own (empty) denominator, never dropped so that x
    # would become one
    assert normalise(r"\frac{1}{} x", {}).text == r"\frac{1}{} x"
    assert normalise(r"\hat{y}{} x", {}).text == r"\hat{y}{} x"
    assert "{}" not in normalise(r"x_{i}{} + 1", {}).text


def test_an_empty_fraction_argument_does_not_read(tmp_path):
    derivation, skipped = read(tmp_path, r"$$ s_i = \frac{1}{} s_i $$" + "\n")
    assert not derivation.steps and skipped


# -- a \cdot -b --------------------------------------------------------------------------------


def test_a_signed_factor_after_a_product_sign(tmp_path):
    _, right, _ = sides(tmp_path, r"\frac{\partial s_i}{\partial z_j} = \frac{1}{s_i} \cdot -s_i \cdot s_j")
    assert sp.simplify(right + s[j]) == 0
    assert statuses(
        tmp_path,
        [
            r"\frac{1}{s_i} \cdot -s_i \cdot s_j = -s_j",
            r"\frac{1}{s_i} \cdot -s_i \cdot s_j = s_j",
            r"s_i \cdot -s_j = -s_i s_j",
            r"s_i \times -s_j = s_i s_j",
            r"s_i / -s_j = -\frac{s_i}{s_j}",
        ],
    ) == [HOLDS, FAILS, HOLDS, FAILS, HOLDS]


def test_a_minus_without_a_product_sign_is_still_a_difference(tmp_path):
    _, right, _ = sides(tmp_path, r"s_i - s_j = s_i -s_j")
    assert right == s[i] - s[j]


def test_a_derivative_followed_by_a_signed_product_sign_is_refused(tmp_path):
    reason = refused(tmp_path, r"\frac{\partial}{\partial z_i} \cdot -s_i = 1")
    assert "product sign" in reason or "unexpected '\\cdot'" in reason, reason


# -- one unreadable equation of a block ---------------------------------------------------------

BLOCK = (
    "$$\n\\begin{aligned}\n"
    "\\frac{\\partial E}{\\partial z_i} &= 5 \\\\\n"
    "\\frac{\\partial s_i}{\\partial z_i} &= s_i(1-s_i) \\\\\n"
    "&= s_i - s_i^2 \\\\\n"
    "\\frac{\\partial s_i}{\\partial z_i} &= s_i(1+s_i)\n"
    "\\end{aligned}\n$$\n"
)


def test_the_other_equations_of_a_block_are_read_when_one_is_not(tmp_path):
    found, skipped = verdicts(tmp_path, BLOCK)
    assert found == [HOLDS, HOLDS, FAILS]
    assert [(item.place.line, item.reason.split("(")[0].strip()) for item in skipped] == [
        (9, "does not read: unknown symbol E")
    ]


def test_a_chain_never_continues_across_the_equation_that_did_not_read(tmp_path):
    body = "$$\n\\begin{aligned}\n\\frac{\\partial s_i}{\\partial z_i} &= s_i(1-s_i) \\\\\n\\frac{\\partial E}{\\partial z_i} &= 5\n\\end{aligned}\n$$\n$$\n= s_i(1-s_i)\n$$\n"
    found, skipped = verdicts(tmp_path, body)
    assert found == [HOLDS]
    assert any("continues a chain" in item.reason for item in skipped), skipped


def test_a_block_of_one_equation_that_does_not_read_is_one_item(tmp_path):
    derivation, skipped = read(tmp_path, "$$ E = 5 E $$\n")
    assert not derivation.steps and len(skipped) == 1 and "unknown symbol E" in skipped[0].reason


def test_the_links_of_a_chain_apart_from_an_expression_that_does_not_read_are_checked(tmp_path):
    """A = B = C = D with B unread: B is listed, A = B and B = C are not steps, C = D is one,
    checked as a chain of its own (corpus files 04, 44, 62)."""
    found, skipped = verdicts(tmp_path, "$$ s_i = E = s_i s_j = s_j s_i = s_i + s_j $$\n")
    assert found == [HOLDS, FAILS]
    (unread,) = skipped
    assert "unknown symbol E" in unread.reason and unread.place.column == 10
    derivation, _ = read(tmp_path, "$$ s_i = E = s_i s_j = s_j s_i $$\n")
    (step,) = derivation.steps
    assert (step.previous, step.next, step.continues) == (s[i] * s[j], s[j] * s[i], False)
    # the unread expression at the end, or two of them: nothing is bridged
    found, skipped = verdicts(tmp_path, "$$ s_i = s_j s_i / s_j = E = s_i = F = s_j $$\n")
    assert found == [HOLDS] and len(skipped) == 2
    # a continuation keeps continuing up to the unread expression
    found, skipped = verdicts(tmp_path, "$$ s_i = 2 s_i / 2 $$\n$$ = s_i = E = s_j $$\n")
    assert found == [HOLDS, HOLDS] and len(skipped) == 1


def test_under_the_summation_convention_an_unread_expression_leaves_its_chain_unread(tmp_path):
    from .test_reading_gaps import HEADER

    found, skipped = verdicts(tmp_path, "$$ s_i = E = s_i s_j = s_j s_i $$\n", HEADER + "summation: repeated\n")
    assert found == [] and len(skipped) == 1 and "unknown symbol E" in skipped[0].reason


# -- \sigma(A_i) for the softmax \sigma -----------------------------------------------------------

SIGMA = "softmax: \\sigma of A\nlabels: Y one-hot\nclasses: C\n"


def test_the_declared_softmax_applied_to_a_logit_is_its_entry(tmp_path):
    sigma, A = family("sigma"), family("A")
    left, right, note = sides(
        tmp_path, r"\frac{\partial \log(\sigma(A_k))}{\partial A_i} = \frac{1}{\sigma(A_k)}", SIGMA
    )
    assert sigma[k] in right.atoms(sp.Indexed) and A[i] in left.atoms(sp.Indexed)
    assert "\\sigma(A_k) as the softmax entry \\sigma_{k}" in note
    assert statuses(
        tmp_path,
        [
            r"\frac{\partial \sigma(A_i)}{\partial A_i} = \sigma(A_i)(1 - \sigma(A_i))",
            r"\frac{\partial \sigma(A_i)}{\partial A_i} = \sigma(A_i)(1 - \sigma(A_k))",
            r"\frac{\partial \sigma(A_i)}{\partial A_i} = \sigma(A_i)",
            r"\sigma(A_i)^2 = \sigma_i \sigma_i",
        ],
        SIGMA,
    ) == [HOLDS, FAILS, FAILS, HOLDS]


def test_the_softmax_applied_to_anything_but_a_logit_is_refused(tmp_path):
    for math in (r"\sigma(Y_i) = 1", r"\sigma(A_i + A_j) = 1", r"\sigma(2) = 1"):
        assert "\\sigma is the softmax" in refused(tmp_path, math, SIGMA), math


def test_sigma_not_declared_as_the_softmax_is_still_the_sigmoid(tmp_path):
    header = "softmax: s of z\nscalars: x\n"
    left, right, _ = sides(tmp_path, r"\frac{d}{dx} \sigma(x) = \sigma(x)(1 - \sigma(x))", header)
    assert "softmax" not in str(left) and statuses(
        tmp_path, [r"\frac{d}{dx} \sigma(x) = \sigma(x)(1 - \sigma(x))"], header
    ) == [HOLDS]


# -- \text{If } i = j, heading a chain ----------------------------------------------------------


def test_a_condition_before_the_equation_is_the_case_of_every_row(tmp_path):
    body = (
        "\\begin{align}\n\\text{If } i=j, \\frac{\\partial s_i}{\\partial z_j} &= s_i(\\delta_{ij} - s_j) \\\\\n"
        "&= s_i(1 - s_i) \\\\\n&= s_j(1 - s_i)\n\\end{align}\n"
    )
    derivation, skipped = read(tmp_path, body)
    assert not skipped and [[str(h) for h in step.cites] for step in derivation.steps] == [["i = j"]] * 3
    assert [v.status for v in check_derivation(derivation).verdicts] == [HOLDS, HOLDS, HOLDS]
    wrong = body.replace("&= s_j(1 - s_i)", "&= s_j(1 + s_i)")
    found, _ = verdicts(tmp_path, wrong)
    assert found == [HOLDS, HOLDS, FAILS]
    other = body.replace("If } i=j", "If } i\\neq j")
    found, _ = verdicts(tmp_path, other)
    assert FAILS in found


def test_a_condition_ending_a_row_is_still_that_rows_alone(tmp_path):
    body = "\\begin{align}\n\\frac{\\partial s_i}{\\partial z_j} &= s_i(\\delta_{ij} - s_j) \\\\\n&= s_i(1 - s_i) \\quad \\text{if } i = j\n\\end{align}\n"
    derivation, _ = read(tmp_path, body)
    assert [[str(h) for h in step.cites] for step in derivation.steps] == [[], ["i = j"]]


# -- L_i, H(Y, \sigma(A)) in the header ---------------------------------------------------------


def test_a_loss_named_with_a_subscript(tmp_path):
    header = "softmax: p of a\nlabels: y one-hot\nclasses: C\nloss: L_i = -\\sum_k y_k \\log p_k\n"
    good = r"\frac{\partial L_i}{\partial a_j} = p_j - y_j"
    assert statuses(tmp_path, [good, good.replace("p_j - y_j", "y_j - p_j")], header) == [HOLDS, FAILS]
    assert "unknown symbol L" in refused(tmp_path, r"\frac{\partial L_j}{\partial a_j} = p_j - y_j", header)


def test_a_loss_named_by_a_call_with_several_arguments(tmp_path):
    header = (
        "softmax: \\sigma of A\nlabels: Y one-hot\nclasses: C\n"
        "loss: H(Y, \\sigma(A)) = - \\sum_{i=1}^{C} Y_i \\log(\\sigma(A_i))\n"
    )
    good = r"\frac{\partial H(Y, \sigma(A))}{\partial A_i} = \sigma(A_i) - Y_i"
    assert statuses(tmp_path, [good, good.replace("- Y_i", "+ Y_i")], header) == [HOLDS, FAILS]
    assert "write H(Y, \\sigma(A))" in refused(tmp_path, r"H(Y, A) = 1", header)


# -- -a_1 - ... - a_K, a full stop before a last \\, \partial \sigma(A_i) below -----------------


def test_a_sum_written_out_with_minus_signs_and_three_full_stops(tmp_path):
    header = SIGMA + "loss: H = - \\sum_{i=1}^{C} Y_i \\log(\\sigma(A_i))\n"
    good = r"H = -Y_1\log(\sigma(A_1)) -Y_2\log(\sigma(A_2))-...-Y_C\log(\sigma(A_C))"
    _, right, note = sides(tmp_path, good, header)
    assert isinstance(-right, sp.Sum) or isinstance(right, sp.Sum)
    assert "as the sum over" in note
    assert statuses(tmp_path, [good], header) == [HOLDS]
    for wrong in (
        good.replace(r"Y_C\log(\sigma(A_C))", r"Y_C\log(\sigma(A_1))"),  # the last term is not the pattern's
        good.replace("-Y_2", "+Y_2"),  # the signs around the dots differ from the terms'
        good.replace("-...-", "+...+"),
        good.replace("-...-", "-...+"),
    ):
        reason = refused(tmp_path, wrong, header)
        assert "..." in reason, (wrong, reason)


def test_three_full_stops_outside_a_sum_are_refused(tmp_path):
    assert "..." in refused(tmp_path, r"s_1 ... s_K = 1")


def test_a_full_stop_before_a_last_row_break_ends_the_sentence(tmp_path):
    derivation, skipped = read(tmp_path, "\\[ s_i = s_i. \\\\ \\]\n")
    assert len(derivation.steps) == 1 and not skipped
    derivation, skipped = read(tmp_path, "\\[ s_i = s_i. \\\\ s_j \\]\n")
    assert not derivation.steps and skipped


def test_a_derivative_with_respect_to_the_softmax_applied_to_a_logit(tmp_path):
    good = r"\frac{\partial \log(\sigma(A_k))}{\partial \sigma(A_k)} = \frac{1}{\sigma(A_k)}"
    assert statuses(tmp_path, [good, good.replace(r"\frac{1}{\sigma(A_k)}", r"\sigma(A_k)")], SIGMA) == [HOLDS, FAILS]
    assert "\\sigma is the softmax" in refused(
        tmp_path, r"\frac{\partial \log(\sigma(A_k))}{\partial \sigma(A_k + A_i)} = 1", SIGMA
    )


# -- \mathbb{\hat{y_i}} ---------------------------------------------------------------------------

HAT_HEADER = "softmax: \\hat{y} of z\nlabels: y one-hot\n"
Y_HAT = family("yhat")


def test_a_font_around_one_accented_name_is_that_name(tmp_path):
    left, right, notes = sides(tmp_path, r"\mathbb{\hat{y_i}} = \frac{e^{z_i}}{\sum_k e^{z_k}}", HAT_HEADER)
    assert left == Y_HAT[i] and "\\mathbb{\\hat{y}_i} as \\hat{y}_i" in notes
    left, _, _ = sides(tmp_path, r"\boldsymbol{\hat{y}_j} = \frac{e^{z_j}}{\sum_k e^{z_k}}", HAT_HEADER)
    assert left == Y_HAT[j]
    assert statuses(
        tmp_path,
        [
            r"\mathbb{\hat{y_i}} = \frac{e^{z_i}}{\sum_k e^{z_k}}",
            r"\mathbb{\hat{y_i}} = \frac{e^{z_j}}{\sum_k e^{z_k}}",
        ],
        HAT_HEADER,
    ) == [HOLDS, FAILS]


def test_a_font_around_more_than_one_name_is_not_read_as_its_body(tmp_path):
    # 2\mathbf{\hat{y}_i + 1}: dropping the braces would read 2ŷ_i + 1, a guess at the grouping
    assert "takes one letter" in refused(tmp_path, r"2\mathbf{\hat{y}_i + 1} = 2\hat{y}_i + 1", HAT_HEADER)
    assert "takes one letter" in refused(tmp_path, r"\mathbf{\hat{y}_i \hat{y}_j} = \hat{y}_i", HAT_HEADER)
