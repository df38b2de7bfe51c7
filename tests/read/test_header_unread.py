"""A header line that does not read is listed as not read; the rest of the file is still read.

And the header forms real notes need: several softmax names on one line, labels that are not
declared while y is the softmax, TeX's \\frac12.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.read.derivation import read_derivation
from derive.read.latex_markup import normalise

JACOBIAN = "$$ \\frac{\\partial p_i}{\\partial o_j} = p_i(\\delta_{ij} - p_j) $$\n"


def run(tmp_path, header: str, body: str):
    (tmp_path / "h.txt").write_text(header)
    (tmp_path / "d.md").write_text(body)
    result = CliRunner().invoke(
        cli, ["check", "--no-cache", str(tmp_path / "d.md"), "--notation", str(tmp_path / "h.txt")]
    )
    return result.exit_code, result.output


def test_a_loss_that_does_not_read_is_listed_and_the_rest_is_checked(tmp_path):
    code, output = run(tmp_path, "softmax: p of o\nloss: L_i = -log(p_{y_{i}})\n", JACOBIAN)
    assert code == 2, output  # the step holds; the loss line was not read
    assert "not read" in output and "h.txt:2:" in output and "proved for all K" in output


def test_a_step_using_a_loss_that_did_not_read_is_not_read_never_guessed(tmp_path):
    body = "$$ \\frac{\\partial L}{\\partial o_i} = p_i $$\n" + JACOBIAN
    code, output = run(tmp_path, "softmax: p of o\nloss: L = -\\log \\prod_k p_k\n", body)
    assert code == 2 and "1 checked, 2 not read" in output, output


def test_a_scalar_that_is_not_a_name_is_listed_and_the_others_declared(tmp_path):
    body = "$$ \\frac{d}{dx} x^2 = 2x $$\n"
    code, output = run(tmp_path, "scalars: w^{(1)}, x\n", body)
    assert code == 2 and "'w^{(1)}' is not a name" in output and "proved" in output, output


@pytest.mark.parametrize("name", ["w_1", "w_{1}", "\\theta_0", "\\theta_{0}"])
def test_a_scalar_with_a_subscript_is_one_name(tmp_path, name):
    written = name.replace("{", "").replace("}", "")
    good = f"$$ \\frac{{d}}{{d{written}}} {written}^2 x = 2{written} x $$\n"
    code, output = run(tmp_path, f"scalars: {name}, x\n", good)
    assert code == 0 and "proved" in output, output
    code, output = run(tmp_path, f"scalars: {name}, x\n", good.replace("= 2", "= 3"))
    assert code == 1 and "✗ fails" in output, output


def test_a_subscripted_scalar_is_not_another_entry_of_it(tmp_path):
    body = "$$ \\frac{d}{dw_1} w_2 = 0 $$\n"
    code, output = run(tmp_path, "scalars: w_1\n", body)
    assert code == 2 and "unknown symbol w" in output, output


def test_a_scalar_named_like_an_entry_of_a_family_is_listed(tmp_path):
    code, output = run(tmp_path, "softmax: p of o\nscalars: o_1\n", JACOBIAN)
    assert code == 2 and "'o_1' is an entry of a declared family" in output, output


def test_a_wrong_step_still_fails_when_part_of_the_header_did_not_read(tmp_path):
    code, output = run(tmp_path, "softmax: p of o\nscalars: w_1\n", JACOBIAN.replace("- p_j", "+ p_j"))
    assert code == 1 and "✗ fails" in output, output


def test_several_softmax_names_on_one_line(tmp_path):
    body = JACOBIAN + "$$ \\frac{\\partial q_i}{\\partial o_j} = q_i(\\delta_{ij} - q_j) $$\n"
    code, output = run(tmp_path, "softmax: p of o, q of o\n", body)
    assert code == 0 and "2 checked, 0 not read" in output and "2 proved for all K" in output, output


def test_y_as_the_softmax_with_no_labels_declared(tmp_path):
    body = "$$ \\frac{\\partial y_i}{\\partial z_j} = y_i(\\delta_{ij} - y_j) $$\n"
    code, output = run(tmp_path, "softmax: y of z\n", body)
    assert code == 0, output
    derivation, _ = read_derivation(tmp_path / "d.md", notation=tmp_path / "h.txt")
    assert str(derivation.steps[0].next.free_symbols & {derivation.notation.labels}) == "set()"
    # and a wrong one fails: y is the softmax, never the labels
    code, output = run(tmp_path, "softmax: y of z\n", body.replace("- y_j", "+ y_j"))
    assert code == 1, output


def test_tex_short_fractions():
    assert normalise("\\frac12 x").text == "\\frac{1}{2} x"
    assert normalise("\\dfrac ab").text == "\\dfrac{a}{b}"
    assert normalise("\\frac{1}{2}").text == "\\frac{1}{2}"
    # the places of the digits are the author's
    normalised = normalise("\\frac12")
    assert normalised.origin[normalised.text.index("1")] == 5 and normalised.origin[normalised.text.index("2")] == 6


def test_a_short_fraction_is_checked_as_written(tmp_path):
    code, output = run(tmp_path, "scalars: x\n", "$$ \\frac12 x + \\frac12 x = x $$\n$$ \\frac12 x = 2x $$\n")
    assert code == 1 and output.count("✗ fails") == 1 and "proved" in output, output
