"""A step the core would refuse (log y_k, a huge exponent) is listed as not read, with the core's
own reason, and the rest of the document is still checked: it never stops the file."""

from __future__ import annotations

from click.testing import CliRunner

from derive.cli import cli
from derive.core import Step, softmax_notation, unreadable
from derive.read.derivation import read_derivation

HEADER = "<!-- derive\nsoftmax: s of z\n-->\n"


def test_the_core_says_why_it_cannot_read_a_step_and_decides_nothing_else():
    import sympy as sp

    from derive.core import index

    nt = softmax_notation()
    i = index("i")
    log_label = sp.log(nt.labels[i])
    assert "positive quantities" in unreadable(Step(log_label, log_label), nt)
    assert unreadable(Step(nt.softmax[i], 2 * nt.softmax[i]), nt) is None  # false, but readable


def test_a_refused_step_is_listed_and_a_wrong_step_after_it_still_fails(tmp_path):
    path = tmp_path / "r.md"
    path.write_text(HEADER + "$$ \\log y_i = \\log y_i $$\n$$ s_i = 2 s_i $$\n")
    derivation, skipped = read_derivation(path)
    assert len(derivation.steps) == 1
    (item,) = skipped
    assert item.unread and item.place.line == 4 and "positive quantities" in item.reason
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(path)])
    assert result.exit_code == 1 and "✗ fails" in result.output and "1 not read" in result.output


def test_a_second_softmax_of_other_logits_is_listed_not_guessed(tmp_path):
    (tmp_path / "h.txt").write_text("softmax: s of z, p of o\n")
    path = tmp_path / "d.md"
    path.write_text("$$ \\frac{\\partial p_i}{\\partial o_j} = p_i(\\delta_{ij} - p_j) $$\n$$ s_i = s_i $$\n")
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(path), "--notation", str(tmp_path / "h.txt")])
    assert result.exit_code == 2, result.output
    assert "same logits (this one is not read)" in result.output and "unknown symbol p" in result.output
