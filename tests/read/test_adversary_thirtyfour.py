"""The thirty-fourth adversary (README and code only), on TeX braces and on what the page shows:
braces inside braces ({{s_i - s_j}}), a sum's body in braces (\\sum_k {s_k - 1}), braces ending
a sum's body ({\\sum_k s_k} y_k), a braced operand or operator group of a derivative, a box
with a power (\\boxed{...}^2), digits set side by side (2{3} is 23 on the page), and
mathematics in \\text{$...$} dropped with the text. Each was proved as derive read it while
the page showed another claim; each is now not read. The files are the adversary's, kept in
adversary34/."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.read.as_written import unicode_of_latex

HERE = Path(__file__).parent / "adversary34"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("g5.md", "{ } groups nothing on the page"),
        ("g6.md", "{ } groups nothing on the page"),
        ("g7.md", "{ } groups nothing on the page"),
        ("g12.md", "{ } groups nothing on the page"),
        ("g13.md", "{ } groups nothing on the page"),
        ("g14.md", "{ } groups nothing on the page"),
        ("g8.md", "two numbers side by side"),
        ("g9.md", "holds mathematics and no words"),
        ("g11.md", "a script after a box"),
    ],
)
def test_what_the_page_shows_otherwise_is_not_read(name, reason):
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(HERE / name)])
    assert "✓" not in result.output and "proved" not in result.output.split("no step to check")[0]
    assert reason in result.output


def test_the_readable_neighbours_still_read(tmp_path):
    path = tmp_path / "ok.md"
    path.write_text(
        "<!-- derive\nsoftmax: s of z\n-->\n\n$$ 2 \\cdot 3 s_i = 6 s_i $$\n\n$$ 2 (3) s_i = 6 s_i $$\n\n"
        "$$ s_i = s_i \\quad \\text{for all $i$} $$\n\n$$ \\log{\\sum_k e^{z_k}} = \\log \\sum_k e^{z_k} $$\n",
        "utf-8",
    )
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(path)])
    assert result.exit_code == 0 and result.output.count("✓ proved") == 4, result.output


def test_an_operator_before_a_cdot_is_shown_of_its_group_alone():
    assert unicode_of_latex(r"\frac{\partial}{\partial z_j} (s_i) \cdot s_j") == "(∂/∂z_j (s_i))·s_j"
