"""Conditions written inside an equation (issue 13, item 6): the case of that equation.

"\\text{if } i = j", ", \\quad i \\neq j", "(i \\neq j)" at the end of a row, and "\\text{if } i = j :" at
its start are read as the equation's case (shown as "read as: case ..."), never as more of the
equation; letters that are not indices of the row ("x = y \\quad a = b") stay an equation.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.read.derivation import read_derivation
from derive.read.latex_tokens import scan

HEADER = "<!-- derive\nsoftmax: p of o\nscalars: a, b, x, w\n-->\n"
JACOBIAN = "\\frac{\\partial p_i}{\\partial o_k}"


def check(tmp_path, body: str):
    path = tmp_path / "c.md"
    path.write_text(HEADER + body)
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(path)])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "written, case",
    [
        (f"{JACOBIAN} = p_k (1 - p_k) \\quad \\text{{if }}\\; i=k", "i = k"),
        (f"{JACOBIAN} = p_k (1 - p_k), \\quad \\text{{if }} i = k.", "i = k"),
        (f"{JACOBIAN} = -p_i p_k, \\quad i \\neq k", "i \\neq k"),
        (f"{JACOBIAN} = -p_i p_k \\qquad (i \\neq k)", "i \\neq k"),
        (f"{JACOBIAN} = -p_i p_k \\text{{ when }} i \\ne k", "i \\neq k"),
        (f"\\text{{if}} \\; i = k :& {JACOBIAN} = p_k (1 - p_k)", "i = k"),
    ],
)
def test_a_condition_in_the_equation_is_its_case_and_the_step_holds(tmp_path, written, case):
    assert list(scan(written).conditions.values()) == [case]
    code, output = check(tmp_path, f"$$\n{written}\n$$\n")
    assert code == 0, output
    assert "from the condition written in the equation" in output and "proved for all K" in output


@pytest.mark.parametrize(
    "written",
    [
        f"{JACOBIAN} = p_k p_i \\quad \\text{{if }} i \\neq k",  # a sign dropped
        f"{JACOBIAN} = p_k (1 - p_k) \\quad \\text{{if }} i \\neq k",  # the other case's result
        f"{JACOBIAN} = p_i (1 - p_k), \\quad i = k",  # true only with a different index (it is: i = k)
        f"{JACOBIAN} = -p_i p_i \\qquad (i \\neq k)",  # wrong index
    ],
)
def test_a_wrong_step_under_a_written_condition_fails(tmp_path, written):
    code, output = check(tmp_path, f"$$\n{written}\n$$\n")
    if "p_i (1 - p_k), \\quad i = k" in written:
        assert code == 0, output  # under i = k it is p_k(1 - p_k): a true step stays true
        return
    assert code == 1 and "✗ fails" in output, output


def test_letters_that_are_not_indices_make_a_second_equation_not_a_case(tmp_path):
    assert scan("x = w \\quad a = b").conditions == {}
    derivation, _ = read_derivation(_write(tmp_path, "$$ x = w \\quad a = b $$\n"))
    # one chain x = w·a = b: both links checked (and both wrong), nothing dropped
    assert len(derivation.steps) == 2


def test_an_index_condition_in_the_middle_is_not_a_case(tmp_path):
    # (i \neq k) followed by more of the equation is not at the end of its row
    assert scan(f"{JACOBIAN} = (i \\neq k) p_k + 0").conditions == {}


def test_two_rows_on_one_line_keep_their_own_conditions(tmp_path):
    # Found by the fourth adversary: a condition was keyed by its line, and a row without one on
    # the same line took it (its false step then held).
    body = f"$$ {JACOBIAN} = -p_i p_k \\\\ \\frac{{\\partial p_k}}{{\\partial o_i}} = -p_k p_i \\quad (i \\neq k) $$\n"
    code, output = check(tmp_path, body)
    assert code == 1 and output.count("✗ fails") == 1 and output.count("proved for all K") == 2, output
    assert output.count("from the condition written in the equation") == 1


def test_each_row_keeps_its_own_condition(tmp_path):
    body = f"$$\n\\begin{{aligned}}\n{JACOBIAN} &= p_k(1 - p_k) \\quad \\text{{if }} i = k \\\\\n{JACOBIAN} &= -p_i p_k \\quad \\text{{if }} i \\neq k\n\\end{{aligned}}\n$$\n"
    derivation, _ = read_derivation(_write(tmp_path, body))
    assert [str(h) for step in derivation.steps for h in step.cites] == ["i = k", "i ≠ k"]
    code, output = check(tmp_path, body)
    assert code == 0, output


def test_a_condition_on_the_last_row_of_a_chain_is_the_case_of_that_link_only(tmp_path):
    body = f"$$\n{JACOBIAN} &= p_i(1 - p_k) \\\\\n&= p_i - p_i p_k \\quad \\text{{if }} i = k\n$$\n"
    derivation, _ = read_derivation(_write(tmp_path, body))
    assert [[str(h) for h in step.cites] for step in derivation.steps] == [[], ["i = k"]]
    code, output = check(tmp_path, body)
    assert code == 1 and output.count("✗ fails") == 1, output  # the first link, without the case


def test_a_written_condition_that_contradicts_the_case_in_force_is_bad_input(tmp_path):
    body = f"<!-- derive: case i = k -->\n$$\n{JACOBIAN} = -p_i p_k, \\quad i \\neq k\n$$\n"
    code, output = check(tmp_path, body)
    assert code == 2 and "Traceback" not in output, output


def _write(tmp_path, body):
    path = tmp_path / "c.md"
    path.write_text(HEADER + body)
    return path


@pytest.mark.parametrize(
    "written",
    [
        "p_i = p_i 1(i = j)",
        "p_i = p_i 1 (i = j)",
        "p_i = p_{i} \\mathbb{1}(i = j)",
        "p_i = p_i \\mathbb{1} (i = j)",
    ],
)
def test_an_indicator_at_the_end_of_a_row_is_a_factor_never_a_case(tmp_path, written):
    # Read as the case i = j, p_i = p_i·1 would hold; it is p_i = p_i·1{i=j}, false for i ≠ j.
    assert scan(written).conditions == {}
    code, output = check(tmp_path, f"$$ {written} $$\n")
    assert code == 1 and "✗ fails" in output and "from the condition written" not in output, output


def test_explain_shows_every_steps_row_and_its_reading(tmp_path):
    path = _write(tmp_path, f"$$\n{JACOBIAN} = -p_i p_k, \\quad i \\neq k\n$$\n$$ p_i = p_i $$\n")
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--explain", str(path)])
    assert result.exit_code == 0, result.output
    assert f"written: {JACOBIAN} = -p_i p_k, \\quad i \\neq k; read as: case i ≠ k" in result.output
    assert "written: p_i = p_i; read as written, no choice made" in result.output
    plain = CliRunner().invoke(cli, ["check", "--no-cache", str(path)])
    assert "written:" not in plain.output


@pytest.mark.parametrize(
    "written",
    [
        "p_i p_k = p_i \\quad p_k = p_i p_k",
        "p_i p_k = p_i \\qquad p_k = p_i p_k",
        "p_i p_k = p_i \\quad \\text{If } i = k, \\quad p_k = p_i p_k",
    ],
)
def test_a_wide_space_between_two_equations_separates_them(tmp_path, written):
    # The fifth adversary: read as one chain, p_i·p_k = p_i·p_k held twice (both false).
    code, output = check(tmp_path, f"$$ {written} $$\n")
    assert code == 1 and output.count("✗ fails") == 2, output


@pytest.mark.parametrize("written", ["\\exp(x)^2 = e^{x^2}", "\\exp\\{x\\}^2 = e^{x^2}", "\\log(p_i)^2 = 2 \\log p_i"])
def test_a_function_of_a_bracket_with_a_power_is_ambiguous(tmp_path, written):
    code, output = check(tmp_path, f"$$ {written} $$\n")
    assert code == 2 and "may mean" in output and "✓" not in output, output
