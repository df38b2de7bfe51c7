"""Matrix arithmetic in a `classes N` block: an ill-formed matrix expression is bad input
(one line, the shapes named), never a SymPy exception; two well-formed sides of different
shapes are a failed step (exit 1) naming both."""

import pytest
from click.testing import CliRunner

from derive.cli import cli

HEADER = "<!-- derive\nsoftmax: s of z\nlabels: y\n-->\n\n<!-- derive: classes 2 -->\n$$\n{}\n$$\n"
ROW = r"\begin{bmatrix} s_1 & s_2 \end{bmatrix}"
COLUMN = r"\begin{bmatrix} s_1 \\ s_2 \end{bmatrix}"
SQUARE = r"\begin{bmatrix} s_1 & s_2 \\ s_2 & s_1 \end{bmatrix}"


def run(tmp_path, math: str):
    path = tmp_path / "m.md"
    path.write_text(HEADER.format(math), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(path)])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "math, message",
    [
        (f"{ROW}^2 = {ROW}", "a power of a 1×2 matrix"),
        (f"{ROW} + {COLUMN} = {ROW}", "a sum of a 1×2 matrix and a 2×1 matrix"),
        (f"{ROW} + 1 = {ROW}", "a sum of a 1×2 matrix and a number"),
        (f"{ROW} {ROW} = 0", "a product of a 1×2 matrix and a 1×2 matrix"),
        (f"{SQUARE}^{{-1}} = {SQUARE}", "the power -1 of a matrix"),
        (f"\\frac{{1}}{{{SQUARE}}} = {SQUARE}", "division by a 2×2 matrix"),
        (f"s_1 / {SQUARE} = {SQUARE}", "division by a 2×2 matrix"),
        (f"e^{{{ROW}}} = s_1", "a 1×2 matrix in an exponent"),
        (f"\\log {ROW} = s_1", "a 1×2 matrix in \\log"),
        (f"s_1^{{{ROW}}} = s_1", "a 1×2 matrix in an exponent"),
    ],
    ids=["power", "sum-shapes", "sum-number", "product", "inverse", "reciprocal", "division", "exp", "log", "exponent"],
)
def test_an_ill_formed_matrix_expression_is_bad_input(tmp_path, math, message):
    code, output = run(tmp_path, math)
    assert code == 2, output
    assert message in output
    # the display, with its place, and the file: nothing else was there to check
    lines = output.strip().splitlines()
    assert "Traceback" not in output and len(lines) == 2 and message in lines[0] and "no step to check" in lines[1]


@pytest.mark.parametrize(
    "math, shapes",
    [
        (f"{ROW} = {COLUMN}", "a 1×2 matrix cannot equal a 2×1 matrix"),
        (f"{ROW} = s_1", "a 1×2 matrix cannot equal a number"),
    ],
    ids=["row-column", "matrix-number"],
)
def test_well_formed_sides_of_different_shapes_are_a_failed_step(tmp_path, math, shapes):
    code, output = run(tmp_path, math)
    assert code == 1, output
    assert "✗ fails" in output and shapes in output


def test_a_well_formed_product_still_holds(tmp_path):
    code, output = run(tmp_path, f"{ROW} {COLUMN} = s_1^2 + s_2^2")
    assert code == 0, output
