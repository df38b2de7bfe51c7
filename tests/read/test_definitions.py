"""Names a document defines (issue 14): an equation whose left side is a name nothing declares
gives it its meaning for the whole document; its own equation is listed as a definition and
never checked; every other equation with the name is checked against that meaning."""

from __future__ import annotations

import pytest

from derive.core import Status, check_derivation
from derive.read.derivation import read_derivation

HOLDS, FAILS = Status.HOLDS, Status.FAILS
HEADER = "<!-- derive\nsoftmax: s of z\nlabels: y one-hot\nclasses: K\n-->\n\n"


def run(tmp_path, body: str, header: str = HEADER):
    path = tmp_path / "d.md"
    path.write_text(header + body, encoding="utf-8")
    derivation, skipped = read_derivation(path)
    statuses = [v.status for v in check_derivation(derivation).verdicts] if derivation.steps else []
    return statuses, skipped


def kinds(skipped):
    return [(item.kind, item.place.line) for item in skipped]


def test_a_name_defined_in_the_prose_is_read_in_every_step(tmp_path):
    body = (
        "If we define $S = \\sum_{k=1}^K e^{z_k}$, then\n\n"
        "$$ s_i = \\frac{e^{z_i}}{S} $$\n\n"
        "$$ \\frac{\\partial S}{\\partial z_j} = e^{z_j} $$\n\n"
        "$$ \\frac{\\partial S}{\\partial z_j} = s_j $$\n"
    )
    statuses, skipped = run(tmp_path, body)
    assert statuses == [HOLDS, HOLDS, FAILS]
    assert kinds(skipped) == [("definition", 7)]
    assert "S is defined here" in skipped[0].reason


def test_a_definition_is_not_a_step_and_the_rest_of_its_chain_is(tmp_path):
    statuses, skipped = run(tmp_path, "$$ S = \\sum_{k=1}^K e^{z_k} = 5 $$\n$$ S = \\sum_{j=1}^K e^{z_j} $$\n")
    assert statuses == [FAILS, HOLDS]  # = 5 fails; the restatement is checked, and holds
    assert kinds(skipped) == [("definition", 7)]


def test_a_use_before_the_definition_means_the_same_name(tmp_path):
    body = "$$ s_i = \\frac{e^{z_i}}{S} $$\n\nwhere $S = \\sum_{k=1}^K e^{z_k}$.\n\n$$ s_i = \\frac{e^{z_i}}{2S} $$\n"
    statuses, skipped = run(tmp_path, body)
    assert statuses == [HOLDS, FAILS] and kinds(skipped) == [("definition", 9)]


def test_definitions_written_with_other_signs(tmp_path):
    for sign in (":=", "\\coloneqq", "\\equiv", "\\triangleq", "\\stackrel{\\text{def}}{=}"):
        body = f"$$ S {sign} \\sum_{{k=1}}^K e^{{z_k}} $$\n$$ s_i = \\frac{{e^{{z_i}}}}{{S}} $$\n$$ s_i = S $$\n"
        statuses, skipped = run(tmp_path, body)
        assert statuses == [HOLDS, FAILS] and [k for k, _ in kinds(skipped)] == ["definition"], (sign, skipped)


def test_a_name_defined_in_terms_of_a_later_one(tmp_path):
    body = "$$ T = 2 S $$\n$$ S = \\sum_{k=1}^K e^{z_k} $$\n$$ \\frac{\\partial T}{\\partial z_i} = 2 e^{z_i} $$\n"
    statuses, skipped = run(tmp_path, body)
    assert statuses == [HOLDS] and [k for k, _ in kinds(skipped)] == ["definition", "definition"]
    statuses, _ = run(tmp_path, body.replace("= 2 e^{z_i}", "= e^{z_i}"))
    assert statuses == [FAILS]


def test_a_call_form_and_a_subscripted_name(tmp_path):
    body = (
        "$$ J(\\theta) = -\\sum_{k=1}^K y_k \\log s_k $$\n"
        "$$ \\frac{\\partial J(\\theta)}{\\partial z_i} = s_i - y_i $$\n"
        "$$ \\Sigma_C = \\sum_{d=1}^K e^{z_d} $$\n"
        "$$ s_i = e^{z_i} / \\Sigma_C $$\n"
    )
    statuses, skipped = run(tmp_path, body)
    assert statuses == [HOLDS, HOLDS] and [k for k, _ in kinds(skipped)] == ["definition", "definition"]
    statuses, _ = run(tmp_path, body.replace("= s_i - y_i", "= y_i - s_i"))
    assert statuses == [FAILS, HOLDS]


# -- what is not a definition ------------------------------------------------------------------


def test_a_declared_name_on_the_left_is_a_claim(tmp_path):
    header = HEADER.replace("classes: K\n", "classes: K\nloss: L = -\\sum_k y_k \\log s_k\n")
    statuses, skipped = run(tmp_path, "$$ s_i = \\frac{e^{z_i}}{2} $$\n$$ L = -\\log s_1 $$\n", header)
    assert FAILS in statuses or not statuses
    assert "definition" not in [k for k, _ in kinds(skipped)]


def test_a_second_value_in_the_same_section_is_a_claim_about_the_first(tmp_path):
    # no heading between and no :=: "S = Σ z_k" is no new meaning unsaid, it is checked against
    # the one in force (and fails), and so is every later use of S
    body = (
        "$$ S = \\sum_{k=1}^K e^{z_k} $$\n"
        "$$ \\frac{\\partial S}{\\partial z_i} = e^{z_i} $$\n"
        "$$ S = \\sum_{k=1}^K z_k $$\n"
        "$$ \\frac{\\partial S}{\\partial z_i} = 1 $$\n"
        "$$ \\frac{\\partial s_i}{\\partial z_i} = s_i(1 - s_i) $$\n"
    )
    statuses, skipped = run(tmp_path, body)
    assert statuses == [HOLDS, FAILS, FAILS, HOLDS]
    assert kinds(skipped) == [("definition", 7)]
    assert "for the whole document" in skipped[0].reason


def test_what_does_not_define_a_name(tmp_path):
    for math in (
        "S = S + e^{z_1}",  # refers to itself
        "g = s_i - y_i",  # a free index, and no subscript on the left to bind it
        "S = 2",  # a number
    ):
        body = f"$$ {math} $$\n$$ \\frac{{\\partial S}}{{\\partial z_i}} = 1 $$\n$$ \\frac{{\\partial g}}{{\\partial z_i}} = 1 $$\n"
        statuses, skipped = run(tmp_path, body)
        assert statuses == [], (math, statuses)
        assert "definition" not in [k for k, _ in kinds(skipped)], math


def test_a_block_marked_skip_defines_nothing(tmp_path):
    body = "<!-- derive: skip -->\n$$ S = \\sum_{k=1}^K e^{z_k} $$\n$$ \\frac{\\partial S}{\\partial z_i} = 1 $$\n"
    statuses, skipped = run(tmp_path, body)
    assert statuses == [] and any("unknown symbol S" in item.reason for item in skipped)


def test_e_and_d_are_never_defined(tmp_path):
    statuses, skipped = run(tmp_path, "$$ e = \\sum_{k=1}^K e^{z_k} $$\n$$ d = \\sum_{k=1}^K e^{z_k} $$\n")
    assert "definition" not in [k for k, _ in kinds(skipped)]


def test_the_sigmoid_written_out_is_a_claim_about_derives_sigma(tmp_path):
    header = "<!-- derive\nscalars: x\n-->\n\n"
    good = "$$ \\sigma(x) = \\frac{1}{1 + e^{-x}} $$\n$$ \\frac{d}{dx} \\sigma(x) = \\sigma(x)(1 - \\sigma(x)) $$\n"
    statuses, skipped = run(tmp_path, good, header)
    assert statuses == [HOLDS, HOLDS] and not skipped
    statuses, _ = run(tmp_path, good.replace("{1 + e^{-x}}", "{1 + e^{x}}"), header)
    assert statuses == [FAILS, HOLDS]


def test_a_defining_sign_between_declared_names_is_an_equation_to_check(tmp_path):
    for sign in (":=", "\\equiv", "\\triangleq"):
        statuses, skipped = run(
            tmp_path, f"$$ s_i {sign} \\frac{{e^{{z_i}}}}{{\\sum_{{k=1}}^K e^{{z_k}}}} $$\n$$ s_i {sign} e^{{z_i}} $$\n"
        )
        assert statuses == [HOLDS, FAILS] and not skipped, sign


# -- the eighth adversary's findings ------------------------------------------------------------

LOSS_HEADER = HEADER.replace("classes: K\n", "classes: K\nloss: L = -\\sum_{k=1}^{K} y_k \\log s_k\n")


def test_a_font_on_a_declared_name_defines_nothing(tmp_path):
    # \mathcal{L} and L are one symbol: a "definition" of one would be read as the other
    body = "$$ \\mathcal{L} = -2\\sum_{k=1}^K y_k \\log s_k $$\n$$ \\frac{\\partial \\mathcal{L}}{\\partial z_i} = s_i - y_i $$\n"
    statuses, skipped = run(tmp_path, body, LOSS_HEADER)
    assert statuses == [] and "definition" not in [k for k, _ in kinds(skipped)]
    header = LOSS_HEADER.replace("loss: L =", "loss: \\mathcal{L} =")
    statuses, skipped = run(tmp_path, body.replace("\\mathcal{L}", "L"), header)
    assert statuses == [] and "definition" not in [k for k, _ in kinds(skipped)]


def test_two_names_of_one_symbol_are_two_definitions(tmp_path):
    body = (
        "$$ \\mathcal{S} = \\sum_{k=1}^K e^{z_k} $$\n$$ S = 2\\sum_{k=1}^K e^{z_k} $$\n$$ s_i = \\frac{e^{z_i}}{S} $$\n"
    )
    statuses, skipped = run(tmp_path, body)
    assert statuses == [] and sum("defined more than once" in item.reason for item in skipped) == 2


def test_a_definition_holding_a_derivative_is_not_read(tmp_path):
    body = "$$ G = \\sum_{k=1}^K \\frac{\\partial L}{\\partial z_k} $$\n$$ G = 0 $$\n$$ 2G = G + G $$\n"
    statuses, skipped = run(tmp_path, body, LOSS_HEADER)
    assert statuses == [] and all(item.kind == "not read" for item in skipped)


def test_a_skip_directive_followed_by_another_still_skips_the_definition(tmp_path):
    body = (
        "<!-- derive: skip -->\n<!-- derive: case i = j -->\n$$ S = 2\\sum_{k=1}^K e^{z_k} $$\n\n"
        "<!-- derive: case -->\n$$ s_i = \\frac{2e^{z_i}}{S} $$\n"
    )
    statuses, skipped = run(tmp_path, body)
    assert statuses == [] and any("unknown symbol S" in item.reason for item in skipped)


def test_an_index_letter_is_never_defined(tmp_path):
    statuses, skipped = run(tmp_path, "$$ i = \\sum_k e^{z_k} $$\n$$ s_i = \\frac{e^{z_i}}{i} $$\n")
    assert statuses == [] and "definition" not in [k for k, _ in kinds(skipped)]


def test_mathematics_inside_a_tex_conditional_is_not_read(tmp_path):
    path = tmp_path / "d.tex"
    path.write_text(
        "\\documentclass{article}\n% derive\n% softmax: s of z\n% labels: y one-hot\n\\begin{document}\n"
        "\\iffalse\n\\[ S = 2\\sum_{k=1}^K e^{z_k} \\]\n\\fi\n\\[ s_i = \\frac{2e^{z_i}}{S} \\]\n"
        "\\[ s_i = s_i \\cdot 1 \\]\n\\end{document}\n"
    )
    derivation, skipped = read_derivation(path)
    assert len(derivation.steps) == 1
    assert any("TeX conditional" in item.reason for item in skipped)
    assert any("unknown symbol S" in item.reason for item in skipped)


def test_a_name_with_a_letter_subscript_bound_by_a_sum_is_refused(tmp_path):
    header = HEADER.replace("classes: K\n", "classes: K\nloss: L_i = -\\sum_{k=1}^{K} y_k \\log s_k\n")
    statuses, skipped = run(tmp_path, "$$ \\sum_{i=1}^K L_i = K L_i $$\n", header)
    assert statuses == [] and any("bound by a sum" in item.reason for item in skipped)


def test_a_scalar_with_a_letter_subscript_is_refused(tmp_path):
    header = HEADER.replace("classes: K\n", "classes: K\nscalars: w_i, w_j\n")
    statuses, skipped = run(
        tmp_path, "<!-- derive: case i = j -->\n$$ \\frac{\\partial w_i}{\\partial w_j} = 0 $$\n", header
    )
    assert statuses == [] and any("subscript must be a number" in item.reason for item in skipped)


def test_a_relation_inside_parentheses_does_not_start_an_equation(tmp_path):
    body = "$$\n\\begin{aligned}\ns_i &= s_i \\\\\n&\\quad (1(i = j) + 1) \\\\\n&= 1(i = j) + 1\n\\end{aligned}\n$$\n"
    statuses, skipped = run(tmp_path, body)
    assert statuses == [FAILS, FAILS] and not skipped


def test_a_condition_between_two_equations_on_a_row_is_given_to_neither(tmp_path):
    body = "$$ \\frac{\\partial s_i}{\\partial z_j} = s_i(1-s_j) \\quad \\text{if } i=j, \\; \\frac{\\partial s_i}{\\partial z_j} = s_i(1-s_i) $$\n"
    path = tmp_path / "d.md"
    path.write_text(HEADER + body)
    derivation, _ = read_derivation(path)
    assert [list(step.cites) for step in derivation.steps] == [[], []]


# -- the ninth adversary's findings: math the page does not show defines nothing ----------------

USE = "\n\nLet $S$ be the normaliser.\n\n$$ \\frac{\\partial S}{\\partial z_i} = 1 $$\n"


def test_math_that_is_not_shown_as_text_defines_nothing(tmp_path):
    hidden = "$S = \\sum_{k=1}^{K} z_k$"
    for wrapper in (
        f'<script type="text/plain">\n{hidden}\n</script>',
        f"<style>\n/* {hidden} */\n</style>",
        f"<div hidden>\n\n{hidden}\n\n</div>",
        f'[note]: https://example.com "{hidden}"',
        f"![{hidden}](plot.png)",
        f"See [the note](https://example.com/{hidden.replace(' ', '')}).",
    ):
        statuses, skipped = run(tmp_path, wrapper + USE)
        assert statuses == [], wrapper
        assert "definition" not in [k for k, _ in kinds(skipped)], wrapper


def test_math_inside_a_latex_argument_defines_nothing(tmp_path):
    for hide in ("\\comment{old draft: $S = \\sum_{k=1}^{K} z_k$}", "\\phantom{$S = \\sum_{k=1}^{K} z_k$}"):
        path = tmp_path / "d.tex"
        path.write_text(
            "\\documentclass{article}\n\\newcommand{\\comment}[1]{}\n% derive\n% softmax: s of z\n"
            f"\\begin{{document}}\n{hide}\n\\[ \\frac{{\\partial S}}{{\\partial z_i}} = 1 \\]\n\\end{{document}}\n"
        )
        derivation, skipped = read_derivation(path)
        assert not derivation.steps and "definition" not in [item.kind for item in skipped], hide


def test_a_definition_with_a_decimal_is_not_read(tmp_path):
    statuses, skipped = run(
        tmp_path, "$$ S = 0.5 \\sum_{k=1}^{K} z_k $$\n$$ \\frac{\\partial S}{\\partial z_i} = \\frac{1}{2} $$\n"
    )
    assert statuses == [] and "definition" not in [k for k, _ in kinds(skipped)]


def test_a_scalar_named_like_a_witness_symbol_is_its_own_variable(tmp_path):
    header = HEADER.replace("classes: K\n", "classes: K\nscalars: Y_1\n")
    statuses, _ = run(tmp_path, "<!-- derive: classes 2 -->\n$$ y_1 = Y_1 $$\n", header)
    assert statuses == [FAILS]
    statuses, _ = run(tmp_path, "$$ \\sum_{k=1}^{K} y_k = Y_1 $$\n", header)
    assert statuses == [FAILS]


def test_a_greek_name_with_a_subscript_is_shown_in_greek(tmp_path):
    from derive.render.text import TextPrinter

    body = "$$ \\Sigma_C = \\sum_{d=1}^K e^{z_d} $$\n$$ s_i = e^{z_i} / \\Sigma_C $$\n"
    path = tmp_path / "d.md"
    path.write_text(HEADER + body)
    derivation, _ = read_derivation(path)
    assert TextPrinter().doprint(derivation.steps[0].next) == "e^{z_i}/Σ_C"


# -- families defined entry by entry (ℓ_j = ..., g_i = ...) and the terms of a sum ---------------

P_HEADER = "<!-- derive\nsoftmax: p of a\nlabels: y one-hot\nclasses: C\nloss: L = -\\sum_j^C y_j \\log p_j\n-->\n\n"


def test_a_family_defined_entry_by_entry_is_read_at_every_index(tmp_path):
    body = (
        "Let $\\ell_j = - y_j \\log p_j$ and $g_i = e^{a_i}$.\n\n"
        "$$ \\frac{\\partial \\ell_k}{\\partial p_k} = -\\frac{y_k}{p_k} $$\n\n"
        "$$ \\frac{\\partial \\ell_j}{\\partial p_j} = \\frac{y_j}{p_j} $$\n\n"  # a sign
        "$$ L = \\sum_j \\ell_j $$\n\n"
        "$$ L = \\sum_j \\ell_i $$\n\n"  # an index
        "$$ \\frac{\\partial g_i}{\\partial a_j} = g_i \\delta_{ij} $$\n\n"
        "$$ \\frac{\\partial g_i}{\\partial a_j} = g_j $$\n"  # the δ dropped
    )
    statuses, skipped = run(tmp_path, body, P_HEADER)
    assert statuses == [HOLDS, FAILS, HOLDS, FAILS, HOLDS, FAILS]
    assert [(k, r.split(" is defined")[0]) for k, r in ((s.kind, s.reason) for s in skipped)] == [
        ("definition", "\\ell_j"),
        ("definition", "g_i"),
    ]
    assert "for every j" in skipped[0].reason


def test_what_does_not_define_a_family(tmp_path):
    for math in (
        "\\ell_j = - y_k \\log p_j",  # another free index
        "\\ell_j = \\ell_j + 1",  # itself
        "\\ell_j = \\frac{\\partial p_j}{\\partial a_j}",  # a derivative
        "\\ell_j = - y_j \\log p_j + w",  # an unknown name
    ):
        body = f"$$ {math} $$\n$$ \\frac{{\\partial \\ell_j}}{{\\partial p_j}} = 1 $$\n"
        statuses, skipped = run(tmp_path, body, P_HEADER)
        assert statuses == [] and "definition" not in [k for k, _ in kinds(skipped)], (math, statuses, skipped)


def test_a_family_and_a_name_of_the_same_letter_are_read_nowhere(tmp_path):
    body = "$$ h = \\sum_k e^{a_k} $$\n$$ h_i = e^{a_i} $$\n$$ \\frac{\\partial h_i}{\\partial a_i} = h_i $$\n"
    statuses, skipped = run(tmp_path, body, P_HEADER)
    assert statuses == [] and sum("defined more than once" in s.reason for s in skipped) == 2


def test_a_family_written_twice_with_other_index_letters_is_one_definition(tmp_path):
    body = "$$ g_i = e^{a_i} $$\n$$ g_k = e^{a_k} $$\n$$ \\frac{\\partial g_j}{\\partial a_j} = g_j $$\n"
    statuses, skipped = run(tmp_path, body, P_HEADER)
    # the second equation is the same definition: checked, and it holds
    assert statuses == [HOLDS, HOLDS] and [k for k, _ in kinds(skipped)] == ["definition"]


SUMMAND = "$$ L = -\\sum_j^C y_j \\log p_j \\\\ = -\\sum_j^C \\ell_j $$\n\n"


def test_the_terms_of_a_sum_named_in_the_next_link_define_the_family(tmp_path):
    body = (
        SUMMAND
        + "$$ \\frac{\\partial \\ell_j}{\\partial p_j} = \\frac{y_j}{p_j} $$\n\n"
        + "$$ \\frac{\\partial \\ell_j}{\\partial p_j} = -\\frac{y_j}{p_j} $$\n\n"  # the sign slip of file 24
        + "$$ \\frac{\\partial L}{\\partial a_i} = -\\sum_j^C \\frac{\\partial \\ell_j}{\\partial p_j}"
        " \\frac{\\partial p_j}{\\partial a_i} $$\n\n"
        + "$$ \\frac{\\partial L}{\\partial a_i} = \\sum_j^C \\frac{\\partial \\ell_j}{\\partial p_j}"
        " \\frac{\\partial p_j}{\\partial a_i} $$\n"  # a dropped minus
    )
    statuses, skipped = run(tmp_path, body, P_HEADER)
    assert statuses == [HOLDS, HOLDS, FAILS, HOLDS, FAILS]  # L = -Σ y log p (the header's), then the rest
    (definition,) = [s for s in skipped if s.kind == "definition"]
    assert "as the terms of the sum before it" in definition.reason and definition.place.line == 8


def test_a_named_sum_beside_another_change_is_a_claim_not_a_definition(tmp_path):
    for link in (
        "= \\sum_j^C \\ell_j",  # the sign changed too
        "= -\\sum_j^C \\ell_j + 1",  # a term added
        "= -\\sum_j^C 2\\ell_j",  # not ℓ_j alone
        "= -\\sum_k^C \\ell_j",  # ℓ of another index than the sum's
    ):
        body = f"$$ L = -\\sum_j^C y_j \\log p_j \\\\ {link} $$\n\n$$ \\ell_j = 0 $$\n"
        statuses, skipped = run(tmp_path, body, P_HEADER)
        assert "definition" not in [s.kind for s in skipped], (link, skipped)
        assert any("unknown symbol \\ell" in s.reason for s in skipped), (link, skipped)


F_HEADER = "<!-- derive\nsoftmax: p of f\nlabels: y one-hot\n-->\n\n"


def test_a_name_alone_after_the_expression_it_names_is_defined(tmp_path):
    body = (
        "We let $$\\sum_{j} e^{f_j} = \\Sigma$$, and\n\n"
        "$$ \\frac{\\partial p_k}{\\partial f_k} = \\frac{e^{f_k}(\\Sigma - e^{f_k})}{\\Sigma^2} = p_k (1-p_k) $$\n\n"
        "$$ \\frac{\\partial p_k}{\\partial f_k} = \\frac{e^{f_k}(\\Sigma + e^{f_k})}{\\Sigma^2} $$\n"  # a sign
    )
    statuses, skipped = run(tmp_path, body, F_HEADER)
    assert statuses == [HOLDS, HOLDS, FAILS]
    (definition,) = skipped
    assert definition.kind == "definition" and "\\Sigma is defined here, as the expression before it" in (
        definition.reason
    )


def test_a_chain_may_define_a_name_at_each_end(tmp_path):
    body = "$$ h = \\sum_k e^{f_k} = \\Sigma $$\n$$ \\frac{\\partial h}{\\partial f_i} = e^{f_i} $$\n$$ p_i = e^{f_i} / \\Sigma $$\n"
    statuses, skipped = run(tmp_path, body, F_HEADER)
    assert statuses == [HOLDS, HOLDS] and [k for k, _ in kinds(skipped)] == ["definition", "definition"]


def test_what_a_name_after_an_expression_does_not_define(tmp_path):
    for math in (
        "p_i = \\Sigma",  # a free index: Σ would be a family
        "2 = \\Sigma",  # a number
        "\\Sigma + 1 = \\Sigma",  # itself
        "\\frac{\\partial p_i}{\\partial f_i} = \\Sigma",  # a derivative
        "\\sum_j e^{f_j} = \\Sigma + 1",  # not alone
    ):
        body = f"$$ {math} $$\n$$ \\frac{{\\partial \\Sigma}}{{\\partial f_i}} = e^{{f_i}} $$\n"
        statuses, skipped = run(tmp_path, body, F_HEADER)
        assert statuses == [] and "definition" not in [k for k, _ in kinds(skipped)], (math, statuses, skipped)


# -- a name defined as a function of a scalar (y = σ(z)), and derivatives with respect to it -------

BCE_HEADER = "<!-- derive\nscalars: u, t\n-->\n\n"
BCE_LOSS = "$$ \\xi(t,a) = -t \\log(a) - (1-t) \\log(1-a) $$\n\n"


def test_a_name_the_document_defines_as_a_function_of_a_scalar_is_a_variable_of_its_own(tmp_path):
    body = (
        "The output is $a = \\sigma(u)$.\n\n"
        + BCE_LOSS
        + "$$ \\frac{\\partial a}{\\partial u} = \\sigma(u) (1 - \\sigma(u)) = a (1-a) $$\n\n"
        "$$ \\frac{\\partial \\xi}{\\partial a} = -\\frac{t}{a} + \\frac{1-t}{1-a} = \\frac{a-t}{a(1-a)} $$\n\n"
        "$$ \\frac{\\partial \\xi}{\\partial u} = \\frac{\\partial a}{\\partial u} \\frac{\\partial \\xi}{\\partial a}"
        " = a (1-a) \\frac{a-t}{a(1-a)} = a - t $$\n\n"
        "$$ \\frac{\\partial \\xi}{\\partial u} = t - a $$\n\n"  # a sign
        "$$ \\frac{\\partial \\xi}{\\partial a} = \\frac{t - a}{a(1-a)} $$\n\n"  # swapped
        "$$ \\frac{\\partial a}{\\partial u} = a (1 + a) $$\n"
    )
    statuses, skipped = run(tmp_path, body, BCE_HEADER)
    assert statuses == [HOLDS] * 7 + [FAILS] * 3, statuses
    assert [(s.kind, s.reason.split(" is defined")[0]) for s in skipped] == [
        ("definition", "a"),
        ("definition", "\\xi"),
    ]


def test_a_derivative_in_a_defined_name_of_what_it_is_made_of_is_not_read(tmp_path):
    body = "$a = \\sigma(u)$\n\n$$ \\frac{\\partial (a + u)}{\\partial a} = 1 $$\n"
    statuses, skipped = run(tmp_path, body, BCE_HEADER)
    assert statuses == [] and any("defined in terms of u" in s.reason for s in skipped), skipped


def test_a_name_defined_without_arguments_before_parentheses_is_a_factor(tmp_path):
    body = "$a = \\sigma(u)$\n\n$$ a(1-a) = \\sigma(u) - \\sigma(u)^2 $$\n\n$$ a(1-t) = \\sigma(u) $$\n"
    statuses, skipped = run(tmp_path, body, BCE_HEADER)
    assert statuses == [HOLDS, FAILS]
    derivation, _ = read_derivation(tmp_path / "d.md")
    assert "a(1-a) as the product a·(1-a)" in derivation.steps[0].rule
    # a(1 - a) = ... is a product on the left, not a definition of a in call form
    statuses, skipped = run(tmp_path, "$a = \\sigma(u)$\n\n$$ a(1 - a) = a - a^2 $$\n", BCE_HEADER)
    assert statuses == [HOLDS] and [s.kind for s in skipped] == ["definition"]


@pytest.mark.parametrize(
    "said",
    [
        "Now take $t = u^2$.",  # a special case after the step (the tenth adversary's first find)
        "Suppose now that\n\n$$ t = u^2 $$\n",
        "The output is $t = \\sigma(u)$.",
    ],
)
def test_an_equation_for_a_scalar_the_header_declares_is_a_claim_never_its_meaning(tmp_path, said):
    body = f"$$ \\frac{{d}}{{du}} \\left( t u \\right) = 3 t $$\n\n{said}\n"
    statuses, skipped = run(tmp_path, body, BCE_HEADER)
    # d(tu)/du = t for the variable t the header declares: 3t fails, and t = ... is checked too
    assert statuses == [FAILS, FAILS] and "definition" not in [s.kind for s in skipped], (statuses, skipped)
