"""The thirty-third adversary (README and code only), on the views that show each step as its
author wrote it: TeX braces read as parentheses the page does not show ({s_i + s_j}^2), a
macro with an unbraced argument or one defined in the same display making the exports cut the
wrong text, a link after a definition printed as if it continued an unrelated step, SymPy
cancelling δ_ij/δ_ij and log y_i − log y_i before the core's domain check could see them, a
CRLF notebook whose annotated copy did not come back byte for byte, and Unicode renderings that
grouped differently from the reading. The files are the adversary's, kept in adversary33/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.core import Status
from derive.read.as_written import unicode_of_latex
from derive.render.annotate import strip_marks

from .test_adversary_fifteen import steps_of

HERE = Path(__file__).parent / "adversary33"


def _json(name: str) -> dict:
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "json", str(HERE / name)])
    return json.loads(result.output)


def test_braces_around_a_sum_or_a_product_are_not_read_as_parentheses():
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(HERE / "f2.md")])
    assert result.exit_code == 2 and "proved" not in result.output
    assert result.output.count("{ } groups nothing on the page") == 3


def test_braces_around_one_factor_still_read(tmp_path):
    path = tmp_path / "ln.md"
    path.write_text("<!-- derive\nsoftmax: s of z\n-->\n\n$$ \\log{s_i} = z_i - \\log{\\sum_k e^{z_k}} $$\n", "utf-8")
    assert list(steps_of(path).values()) == [Status.HOLDS]


def test_the_log_of_a_braced_product_is_not_read_and_the_plain_one_fails():
    data = _json("f13.md")
    assert [step["verdict"] for step in data["steps"]] == ["fails"]
    assert len(data["not_read"]) == 1


def test_a_macro_with_an_unbraced_argument_is_exported_as_read():
    (step,) = _json("f3.md")["steps"]
    assert step["latex"] != "(x + 1)^2 = x + 2x + 1"  # the span without the macro's ^2
    assert "^{2}" in step["latex"] or "^2" in step["latex"].split("=", 1)[1]


def test_a_macro_defined_in_the_same_display_is_exported_as_read():
    (step,) = _json("f9.md")["steps"]
    assert "\\pm" not in step["latex"]


def test_a_link_after_a_definition_shows_its_own_left_side():
    data = _json("f6.md")
    second = data["steps"][1]
    assert second["text"].startswith("Σ") and "= e^{z_i}" in second["text"]
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "latex", str(HERE / "f6.md")])
    assert "\n  &= e^{z_i}" not in result.output  # never hung under ∂L/∂z_i


def test_a_cancelled_delta_denominator_and_log_of_a_label_are_not_read():
    # all four are division by 0 or log 0 for some input; since the cancelled denominators are
    # checked for every case (s_i − s_j at i = j, y_i for one-hot labels), none is a step
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(HERE / "f7.md")])
    assert result.exit_code == 2
    assert "δ_{i,j} in a denominator" in result.output and "log(y_i)" in result.output
    assert "divides by s_i - s_j, which is 0 for every input at K = 2, i = 1, j = 1:" in result.output
    assert "divides by y_i, which is 0 for every input at K = 2, i = 1, labels y_1 = 0, y_2 = 1" in result.output
    assert "no step to check (4 not read" in result.output


def test_an_annotated_crlf_notebook_comes_back_byte_for_byte(tmp_path):
    out = tmp_path / "copy.ipynb"
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--annotate", "-o", str(out), str(HERE / "f10.ipynb")])
    assert result.exit_code in (0, 1), result.output
    copy = out.read_bytes()
    assert b"derive-annotate" in copy
    assert strip_marks(copy.decode("utf-8"), "ipynb").encode("utf-8") == (HERE / "f10.ipynb").read_bytes()


@pytest.mark.parametrize(
    ("latex", "shown"),
    [
        (r"\frac{s_i}{s_j}^2", "(s_i/s_j)²"),
        (r"\log \frac{1}{1+e^{-x}}", "log(1/(1 + e^{−x}))"),
        (r"\frac{\partial_{z_j} s_i - s_i}{2}", "(∂_{z_j} s_i − s_i)/2"),
        (r"\frac{\partial}{\partial z_j} s_i s_j", "∂/∂z_j (s_i s_j)"),
        (r"e^{2x}", "e^{2x}"),
        (r"\frac{1}{2x}", "1/(2x)"),
        (r"\frac{x}{2x^2}", "x/(2x²)"),
        (r"\frac{d x^2}{dx}", "d(x²)/dx"),
        (r"\frac{p - y}{p (1 - p)}", "(p − y)/(p(1 − p))"),
    ],
)
def test_the_unicode_view_keeps_the_grouping_that_was_read(latex, shown):
    assert unicode_of_latex(latex) == shown
