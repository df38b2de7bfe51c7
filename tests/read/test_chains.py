"""A block that begins with '=' continues only the chain just before it, in the same case,
with no block left unchecked in between; otherwise it is listed as not checked (and the rest
of the file is still checked). A link's own ``% case`` keeps its indices out of the
summation convention, as a case directive does."""

from __future__ import annotations

import pytest
import sympy as sp
from click.testing import CliRunner

from derive.cli import cli
from derive.read.derivation import read_derivation

HEADER = (
    "<!-- derive\nsoftmax: s of z\nlabels: y\nloss: L = -\\sum_{k=1}^{K} y_k \\log s_k\n-->\n"  # blocks from line 6
)
CHAIN = "$$ \\frac{\\partial L}{\\partial s_i} = -\\frac{y_i}{s_i} $$\n"
WRONG = "$$ = \\frac{y_i}{s_i} $$\n"  # false as a continuation of CHAIN
LATER = "$$ \\frac{\\partial s_i}{\\partial z_i} = s_i (1 + s_i) $$\n"  # false, and checked


def read(tmp_path, body, name="c.md"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path, *read_derivation(path)


CROSS_CASE = "continues a chain across a change of case"
CROSS_HEADING = "continues a chain across a heading (a heading ends the case)"
CROSS_UNCHECKED = "continues a chain across a block that was not checked"
NO_CHAIN = "begins with '=' but there is no chain before it to continue"


@pytest.mark.parametrize(
    "between, reason, skipped_before",
    [
        ("<!-- derive: case i = j -->\n", CROSS_CASE, 0),
        ("<!-- derive: case i \\neq j -->\n", CROSS_CASE, 0),
        ("## Another part\n", CROSS_HEADING, 0),
        ("<!-- derive: skip -->\n$$ \\frac{\\partial L}{\\partial s_i} = 0 $$\n", CROSS_UNCHECKED, 1),
        ("Prose with an unreadable $q_i = 1$ in it.\n", CROSS_UNCHECKED, 1),
        ("Prose with a condition $N = 1$ in it.\n", CROSS_UNCHECKED, 1),
        ("$$ \\begin{bmatrix} a & \\dots \\end{bmatrix} $$\n", CROSS_UNCHECKED, 1),  # no equation, unread
    ],
)
def test_a_continuation_across_what_was_not_checked_is_listed_not_checked(tmp_path, between, reason, skipped_before):
    path, derivation, skipped = read(tmp_path, CHAIN + between + WRONG + LATER)
    # Only CHAIN and LATER are steps: the wrong link is never checked against CHAIN.
    assert [step.continues for step in derivation.steps] == [False, False]
    assert len(skipped) == skipped_before + 1
    continuation = skipped[-1]
    assert continuation.reason == reason
    assert continuation.text == "= \\frac{y_i}{s_i}"
    assert continuation.place.line == 6 + 1 + between.count("\n")
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(path)])
    code, output = result.exit_code, result.output
    assert f"not read {continuation.place}: {reason}" in output
    assert "c.md: 2 checked, " in output and ", 1 failed or undecided" in output
    assert code == 1 and output.count("✗ fails") == 1  # the rest of the file is still checked


@pytest.mark.parametrize(
    "between",
    [
        "",
        "Prose, and a mention of $s_i$ that states nothing.\n",
        "<!-- derive: cites \\sum y = 1 -->\n",
        "<!-- derive: classes 3 -->\n",
    ],
)
def test_a_continuation_right_after_its_chain_is_checked_against_it(tmp_path, between):
    path, derivation, skipped = read(tmp_path, CHAIN + between + WRONG)
    assert [step.continues for step in derivation.steps] == [False, True] and not skipped
    assert derivation.steps[1].previous == derivation.steps[0].next


def test_the_same_case_declared_again_keeps_the_chain(tmp_path):
    body = "<!-- derive: case i = j -->\n" + CHAIN + "<!-- derive: case i = j -->\n" + WRONG
    _, derivation, skipped = read(tmp_path, body)
    assert [step.continues for step in derivation.steps] == [False, True] and not skipped


def test_a_case_ended_breaks_the_chain(tmp_path):
    body = "<!-- derive: case i = j -->\n" + CHAIN + "<!-- derive: case -->\n" + WRONG
    _, derivation, skipped = read(tmp_path, body)
    assert len(derivation.steps) == 1 and [s.reason for s in skipped] == [CROSS_CASE]


def test_no_chain_before_is_listed_not_an_error(tmp_path):
    path, derivation, skipped = read(tmp_path, WRONG + CHAIN)
    assert len(derivation.steps) == 1
    assert [(s.place.line, s.reason) for s in skipped] == [(6, NO_CHAIN)]
    _, derivation, skipped = read(tmp_path, "## Part\n<!-- derive: case i = j -->\n" + WRONG + CHAIN)
    assert len(derivation.steps) == 1 and [s.reason for s in skipped] == [NO_CHAIN]
    path, derivation, skipped = read(tmp_path, WRONG, "only.md")
    assert not derivation.steps
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(path)])
    # nothing checked and a chain link not read: the user has that to fix (exit 2)
    assert result.exit_code == 2 and "no step to check (1 not read," in result.output


def test_a_continuation_of_a_continuation_not_checked_is_not_checked(tmp_path):
    body = CHAIN + "## Part\n" + WRONG + "$$ = -y_i s_i^{-1} $$\n" + CHAIN + "$$ = -y_i s_i^{-1} $$\n"
    _, derivation, skipped = read(tmp_path, body)
    assert [s.reason for s in skipped] == [CROSS_HEADING, CROSS_HEADING]
    # A new chain starts the count afresh: its continuation is checked against it.
    assert [step.continues for step in derivation.steps] == [False, False, True]


def test_a_whole_continuation_is_left_out_not_just_its_first_link(tmp_path):
    body = CHAIN + "## Part\n" + "$$ = \\frac{y_i}{s_i} = y_i s_i^{-1} $$\n"
    _, derivation, skipped = read(tmp_path, body)
    assert len(derivation.steps) == 1 and len(skipped) == 1


# -- a link's own case and the summation convention --------------------------------------------

SUMMATION = "<!-- derive\nsoftmax: \\hat{y} of z\nlabels: y\nsummation: repeated\n-->\n"
LEFT = "\\frac{\\partial \\hat{y}_i}{\\partial z_i}"


def link_case(tmp_path, right, comment, name="s.md"):
    path = tmp_path / name
    path.write_text(
        SUMMATION + f"$$\n\\begin{{aligned}}\n{LEFT} &= {right} {comment}\n\\end{{aligned}}\n$$\n", encoding="utf-8"
    )
    derivation, _ = read_derivation(path)
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(path)])
    return derivation.steps, result


@pytest.mark.parametrize("comment", ["% case i = o", "% case o = i", "% cites i = o"])
def test_a_link_case_keeps_its_index_out_of_the_sum(tmp_path, comment):
    (step,), result = link_case(tmp_path, "\\hat{y}_o (1 - \\hat{y}_i)", comment)
    assert not step.next.has(sp.Sum)  # o is the case's index, not summed
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "right",
    ["\\hat{y}_o (1 + \\hat{y}_i)", "\\hat{y}_o (1 - \\hat{y}_o)^2", "\\hat{y}_i (1 - \\hat{y}_o) - \\hat{y}_o"],
)
def test_a_false_link_under_its_own_case_fails(tmp_path, right):
    (step,), result = link_case(tmp_path, right, "% case i = o")
    assert not step.next.has(sp.Sum)
    assert result.exit_code == 1 and "✗ fails" in result.output


def test_without_a_case_the_repeated_index_is_summed(tmp_path):
    # Σ_o ŷ_o(1 − ŷ_i) = 1 − ŷ_i, which is not ∂ŷ_i/∂z_i: the case is what makes the step true.
    (step,), result = link_case(tmp_path, "\\hat{y}_o (1 - \\hat{y}_i)", "% a remark, not a case")
    assert step.next.has(sp.Sum)
    assert result.exit_code == 1


def test_a_link_case_holds_for_its_own_link_only(tmp_path):
    path = tmp_path / "two.md"
    path.write_text(
        SUMMATION
        + f"$$\n{LEFT} &= \\hat{{y}}_o (1 - \\hat{{y}}_i) % case i = o\n\\\\ &= \\hat{{y}}_o \\hat{{y}}_i\n$$\n",
        encoding="utf-8",
    )
    derivation, _ = read_derivation(path)
    assert [step.next.has(sp.Sum) for step in derivation.steps] == [False, True]


@pytest.mark.parametrize("underline", ["=====", "-----", "  ---"])
def test_a_setext_heading_is_a_heading(tmp_path, underline):
    body = "<!-- derive: case i = j -->\n" + CHAIN + "\nA part\n" + underline + "\n" + WRONG
    _, derivation, skipped = read(tmp_path, body)
    assert len(derivation.steps) == 1 and [s.reason for s in skipped] == [CROSS_HEADING]
    _, derivation, _ = read(tmp_path, body + CHAIN)
    assert derivation.steps[1].cites == ()  # the heading ended the case, too


@pytest.mark.parametrize("between", ["\n---\n\n", "\n| a |\n|---|\n\n", "- item\n---\n"])
def test_a_rule_or_a_table_is_not_a_heading(tmp_path, between):
    _, derivation, skipped = read(tmp_path, CHAIN + between + WRONG)
    assert [step.continues for step in derivation.steps] == [False, True] and not skipped


def test_a_row_that_starts_with_an_operator_goes_on_with_the_expression_above():
    from derive.read.latex_tokens import scan

    tokens = [t.value for t in scan("L &= a + b \\\\ & \\quad + c = d").tokens]
    assert tokens == ["L", "=", "a", "+", "b", "+", "c", "=", "d"]  # no new equation "+ c = d"


def test_a_row_that_starts_with_a_minus_and_has_a_relation_is_ambiguous():
    import pytest

    from derive.read.latex_tokens import MathSyntaxError, scan

    with pytest.raises(MathSyntaxError, match="may go on with the row above or start a new equation"):
        scan("L &= a \\\\ -c &= d")
    # braced, it is a new left-hand side
    assert "\\\\" in [t.value for t in scan("L &= a \\\\ {-c} &= d").tokens]


@pytest.mark.parametrize("between", [" ", "\n", "\n\n"])
def test_a_chain_split_over_two_displays_at_an_equals_sign_is_one_chain(tmp_path, between):
    """ "... =$$ $$= ..." (corpus file 46): the first display's last '=' and the next display's
    first one are one relation; each link is checked, a false one fails."""
    body = (
        "$$ \\frac{\\partial L}{\\partial s_i} = -\\frac{y_i}{s_i} = $$" + between + "$$ = -\\frac{2 y_i}{2 s_i} $$\n"
    )
    _, derivation, skipped = read(tmp_path, body)
    assert not skipped and len(derivation.steps) == 2 and derivation.steps[1].continues
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "c.md"), "--no-cache"])
    assert result.exit_code == 0, result.output
    _, derivation, skipped = read(tmp_path, body.replace("-\\frac{2 y_i}", "\\frac{2 y_i}"))
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "c.md"), "--no-cache"])
    assert result.exit_code == 1 and "✗ fails" in result.output


def test_a_display_ending_with_equals_before_no_continuation_is_not_read(tmp_path):
    _, derivation, skipped = read(tmp_path, "$$ \\frac{\\partial L}{\\partial s_i} = $$\n\n$$ s_i = s_i $$\n")
    assert len(derivation.steps) == 1 and len(skipped) == 1 and "does not read" in skipped[0].reason
