"""The nineteenth adversary (README and code only), on the reading rules without a header: a
one-hot fact read from code (a fence of four backticks holding three, a double-backtick span),
from what the page hides or shows as a heading (<div hidden>, <h2>, a Setext heading), from the
lazy continuation line of a quote or a list item, from a LaTeX comment or conditional when the
file is not named .tex (.latex, .TEX, standard input), from a nested \\iffalse, from the argument
of a macro that drops it (\\hide{...}, \\phantom{...}), from a notebook's code cell when the file
is not named .ipynb; a "sums to one" over another range; derive's own letters s, z and L used
though the prose calls them something else (log-softmax, "not the softmax", a temperature, "the
negative of the cross-entropy", "plus a penalty"); a number "equal to the largest logit" taken
for a constant; and a crash on a softmax applied to \\phi. Every file is the adversary's, kept
in adversary19/; its false step fails or is not read."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.core import Status, check_derivation
from derive.read.derivation import read_derivation

from .test_adversary_fifteen import steps_of

HERE = Path(__file__).parent / "adversary19"
NEEDS_THE_FACT = "−Σ_{k=1}^{K} y_k(δ_ik − s_i) = s_i − y_i"  # y = (1, 1), z = 0: 0 against −1/2

FACT_NOT_STATED = [
    "f1_fence4.md",
    "f2_dbltick.md",
    "f4_hidden.md",
    "f5_lazyquote.md",
    "f6_lazylist.md",
    "f7_setext.md",
    "f8_h2.md",
    "t2b_hide.tex",
    "t3b_phantom.tex",
    "t7_comment.latex",
    "t7_comment.TEX",
    "t7_comment.tex",
    "t8_nestedif.tex",
    "nb1.IPYNB",
    "nb1.ipynb",
]


@pytest.mark.parametrize("name", FACT_NOT_STATED)
def test_a_fact_the_prose_does_not_state_is_not_used(name):
    steps = steps_of(HERE / name)
    if name in HIDDEN_BY_A_COMMAND:
        # \hide{...} and \phantom{...} may hide what $z$ is too: not derive's own letters
        # (the twenty-ninth adversary), so the step is not read, and never holds
        assert steps.get(NEEDS_THE_FACT) is None and Status.HOLDS not in steps.values(), steps
    else:
        assert steps.get(NEEDS_THE_FACT) is Status.FAILS, steps


HIDDEN_BY_A_COMMAND = ("t2b_hide.tex", "t3b_phantom.tex")


@pytest.mark.parametrize(("name", "kind"), [("t7_comment.tex", "tex"), ("nb1.ipynb", "ipynb")])
def test_standard_input_is_read_as_the_format_it_is_given_as(name, kind):
    data = (HERE / name).read_bytes()
    derivation, _ = read_derivation(Path("<stdin>"), data, input_format=kind)
    verdicts = check_derivation(derivation).verdicts
    assert [v.status for v in verdicts] == [Status.HOLDS, Status.FAILS]


def test_a_sum_to_one_over_another_range_is_no_fact_about_the_classes():
    steps = steps_of(HERE / "f9_range.md")
    assert steps.get("s_i·Σ_{j=1}^{C} y_j − y_i = s_i − y_i") is Status.FAILS, steps


@pytest.mark.parametrize(
    "name",
    [
        "o1_logsoftmax.md",  # s the log-softmax of z: ∂s_i/∂z_i = 1/2 at K = 2, z = 0, not s_i(1 − s_i)
        "o2_temp.md",  # the softmax of z/T: the derivative carries 1/T
        "o3_neg.md",  # "s is not the softmax of z"
        "o4_negce.md",  # L the negative of the cross-entropy: +1/2 against −1/2
        "o5_penalty.md",  # the cross-entropy plus ½Σ z_k²: 0.731 against −0.269
        "n1_max.md",  # m equal to the largest logit: ∂/∂z_1 log Σ e^{z_k − m} = s_1 − 1 there
    ],
)
def test_letters_the_prose_describes_otherwise_are_not_derives(name):
    assert Status.HOLDS not in steps_of(HERE / name).values()


def test_a_softmax_applied_to_a_greek_letter_whose_name_is_an_escape_reads():
    # "\phi" as a re.sub template was the escape \p: an internal error, exit 3
    steps = steps_of(HERE / "r1_resub.md")
    assert all(status in (Status.HOLDS, Status.FAILS) for status in steps.values())


def test_a_derivative_of_a_derivative_is_not_read_and_stops_nothing():
    derivation, skipped = read_derivation(HERE / "x1_matrix.md")
    assert len(derivation.steps) == 7
    assert any("a derivative of a derivative" in item.reason for item in skipped if item.kind == "not read")
