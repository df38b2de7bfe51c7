"""A name defined anew (issue 14): a later definition of a name shadows the earlier one from its
place on, when it says it is one: after a heading, with :=, or with other arguments. Every use is
read with the meaning in force where it stands, no chain crosses the change, and a definition
anew that does not read leaves the name unread after it (never the old meaning in its place)."""

from __future__ import annotations

from derive.core import Status
from derive.read.derivation import read_derivation

from .test_definitions import run as run_document

HOLDS, FAILS = Status.HOLDS, Status.FAILS
HEADER = "<!-- derive\nsoftmax: s of z\nlabels: y one-hot\nclasses: K\nscalars: x\n-->\n\n"
SUM_OF_EXPONENTIALS = "$$ S = \\sum_{k=1}^K e^{z_k} $$\n\n"
SUM_OF_LOGITS = "$$ S = \\sum_{k=1}^K z_k $$\n\n"
EXP_DERIVATIVE = "$$ \\frac{\\partial S}{\\partial z_i} = e^{z_i} $$\n\n"
ONE_DERIVATIVE = "$$ \\frac{\\partial S}{\\partial z_i} = 1 $$\n\n"


def run(tmp_path, body: str, header: str = HEADER):
    """The verdicts of the document's steps, and what was listed (with a scalar x declared)."""
    return run_document(tmp_path, body, header)


def reasons(skipped, kind):
    return [item.reason for item in skipped if item.kind == kind]


def test_after_a_heading_the_new_meaning_holds_from_there_on(tmp_path):
    body = SUM_OF_EXPONENTIALS + EXP_DERIVATIVE + "## Another sum\n\n" + SUM_OF_LOGITS + ONE_DERIVATIVE
    statuses, skipped = run(tmp_path, body)
    assert statuses == [HOLDS, HOLDS]
    first, second = reasons(skipped, "definition")
    assert "up to line 14, where it is given another meaning" in first
    assert "anew: in place of its definition at line 8, from here on" in second


def test_each_meaning_rejects_what_holds_only_under_the_other(tmp_path):
    # the two steps swapped: each is true of the other meaning, false of the one in force
    body = SUM_OF_EXPONENTIALS + ONE_DERIVATIVE + "## Another sum\n\n" + SUM_OF_LOGITS + EXP_DERIVATIVE
    statuses, _ = run(tmp_path, body)
    assert statuses == [FAILS, FAILS]


def test_a_use_before_the_first_definition_means_the_first(tmp_path):
    body = EXP_DERIVATIVE + SUM_OF_EXPONENTIALS + "## Another sum\n\n" + SUM_OF_LOGITS + ONE_DERIVATIVE
    assert run(tmp_path, body)[0] == [HOLDS, HOLDS]
    body = ONE_DERIVATIVE + SUM_OF_EXPONENTIALS + "## Another sum\n\n" + SUM_OF_LOGITS + ONE_DERIVATIVE
    assert run(tmp_path, body)[0] == [FAILS, HOLDS]


def test_a_colon_equals_defines_anew_without_a_heading(tmp_path):
    body = SUM_OF_EXPONENTIALS + EXP_DERIVATIVE + "$$ S := \\sum_{k=1}^K z_k $$\n\n" + ONE_DERIVATIVE
    statuses, skipped = run(tmp_path, body)
    assert statuses == [HOLDS, HOLDS]
    assert any("anew" in r for r in reasons(skipped, "definition"))
    body = SUM_OF_EXPONENTIALS + EXP_DERIVATIVE + "$$ S := \\sum_{k=1}^K z_k $$\n\n" + EXP_DERIVATIVE
    assert run(tmp_path, body)[0] == [HOLDS, FAILS]


def test_a_second_value_without_a_heading_or_colon_equals_is_a_claim_that_fails(tmp_path):
    # a restatement that is wrong must be reported, never taken as a new meaning
    body = SUM_OF_EXPONENTIALS + SUM_OF_LOGITS + ONE_DERIVATIVE
    statuses, skipped = run(tmp_path, body)
    assert statuses == [FAILS, FAILS]
    assert len(reasons(skipped, "definition")) == 1 and "for the whole document" in reasons(skipped, "definition")[0]
    # a right restatement holds, and changes nothing
    body = SUM_OF_EXPONENTIALS + "$$ S = \\sum_{j=1}^K e^{z_j} $$\n\n" + EXP_DERIVATIVE
    assert run(tmp_path, body)[0] == [HOLDS, HOLDS]


def test_a_definition_anew_that_does_not_read_leaves_the_name_unread_after_it(tmp_path):
    # ";" does not read: S must not keep its old meaning after the heading (the step there is
    # true of the old meaning and would hold)
    body = SUM_OF_EXPONENTIALS + "## Another sum\n\n$$ S = \\sum_{k=1}^K z_k ; x $$\n\n" + EXP_DERIVATIVE
    statuses, skipped = run(tmp_path, body)
    assert statuses == []
    assert sum("unknown symbol S" in r for r in reasons(skipped, "not read")) == 1
    assert any("unexpected character ';'" in r for r in reasons(skipped, "not read"))
    # and a definition that reads after it gives S a meaning again
    body += "## A third sum\n\n" + SUM_OF_LOGITS + ONE_DERIVATIVE
    statuses, skipped = run(tmp_path, body)
    assert statuses == [HOLDS]
    assert any("in place of the equation at line 12, which does not read" in r for r in reasons(skipped, "definition"))


def test_no_chain_continues_across_a_definition_anew(tmp_path):
    # "= e^{z_i}" after the new meaning would continue ∂S/∂z_i of the old one: not bridged
    body = (
        SUM_OF_EXPONENTIALS
        + "$$ \\frac{\\partial S}{\\partial z_i} $$\n\n"
        + "## Another sum\n\n"
        + "$$ S := \\sum_{k=1}^K z_k $$\n\n"
        + "$$ = e^{z_i} $$\n\n"
    )
    statuses, skipped = run(tmp_path, body)
    assert HOLDS not in statuses


def test_other_arguments_define_a_function_anew(tmp_path):
    header = "<!-- derive\nscalars: x, t\n-->\n\n"
    body = (
        "$$ f(x) = x^2 $$\n\n$$ f'(x) = 2x $$\n\n"
        "$$ f(t) = t^3 $$\n\n$$ \\frac{df}{dt} = 3t^2 $$\n\n$$ \\frac{df}{dt} = 2t $$\n\n"
    )
    statuses, skipped = run(tmp_path, body, header)
    assert statuses == [HOLDS, HOLDS, FAILS]
    assert any("anew" in r for r in reasons(skipped, "definition"))


def test_without_a_header_a_function_redefined_in_each_section(tmp_path):
    body = (
        "If I have a function\n\n$$ f(x) = x^2 $$\n\nits derivative is\n\n$$ f'(x) = 2x $$\n\n"
        "## Another example\n\n$$ f(x) = 3x^4 + 2x^{2} $$\n\n$$ f'(x) = 12x^3 + 4x $$\n\n$$ f'(x) = 2x $$\n"
    )
    statuses, skipped = run(tmp_path, body, header="")
    assert statuses == [HOLDS, HOLDS, FAILS]
    assert any("scalars: x" in item.text for item in skipped if item.kind == "inferred")


def test_a_restatement_says_which_meaning_it_is_checked_against(tmp_path):
    path = tmp_path / "d.md"
    path.write_text(HEADER + SUM_OF_EXPONENTIALS + SUM_OF_LOGITS, encoding="utf-8")
    derivation, _ = read_derivation(path)
    (step,) = derivation.steps
    assert "S as defined at line 8 (a claim about it; to define S anew, write := or start a new section)" in step.rule


def test_arguments_that_are_names_or_names_applied_define_and_a_point_does_not(tmp_path):
    header = "<!-- derive\nsoftmax: \\sigma of A\nlabels: Y one-hot\nclasses: C\n-->\n\n"
    body = (
        "$$ H(Y, \\sigma(A)) = - \\sum_{i=1}^{C} Y_i \\log(\\sigma(A_i)) $$\n\n"
        "$$ \\frac{\\partial H}{\\partial A_i} = \\sigma(A_i) - Y_i $$\n\n"
    )
    statuses, skipped = run(tmp_path, body, header)
    assert statuses == [HOLDS] and len(reasons(skipped, "definition")) == 1
    # f(2x) = 2x^2 after f(x) = x^2 is f at another point: neither a definition anew nor read
    body = "$$ f(x) = x^2 $$\n\n$$ f(2x) = 2 x^2 $$\n\n$$ \\frac{df}{dx} = 2x $$\n\n"
    statuses, skipped = run(tmp_path, body)
    assert statuses == [HOLDS] and not any("anew" in r for r in reasons(skipped, "definition"))
