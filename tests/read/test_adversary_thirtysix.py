"""The thirty-sixth adversary (README and code only), on the check of denominators SymPy
cancels: a denominator 0 only beyond the written-out check's reach (K − 4, N − 3, an index
used as a number in a sum), a division by an empty sum (Σ_{k=1}^{0}, Σ_{k=3}^{K} at K = 2)
that the positivity shortcut let through unchecked, more index assignments than the check
tries (which it took for "never 0"), 1/e^{log 0} (an internal error), and a name defined by
squares of names eleven deep (minutes with no time limit). Each was proved, crashed or hung;
each is now not read, with the reason. The files are the adversary's, kept in adversary36/."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from derive.cli import cli

HERE = Path(__file__).parent / "adversary36"


@pytest.mark.parametrize(
    ("name", "reasons"),
    [
        ("k4.md", ["divides by K - 4, which is 0 for every input at K = 4", "uses a as a number"]),
        ("n1.md", ["divides by N - 3, which is 0 for every input at N = 3", "uses n as a number"]),
        ("empty.md", ["a sum over k from 1 to 0"]),
        ("logempty.md", ["a sum over k from 3 to K", "a sum over k from 1 to K - 2"]),
        ("c4.md", ["more index values than derive tries"]),
        ("crash1.md", ["undefined"]),
        ("t12.md", ["as a number"]),
        ("squares11.md", ["too large for derive to decide"]),
    ],
)
def test_no_step_is_checked_and_each_says_why(name, reasons):
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(HERE / name)])
    assert time.perf_counter() - started < 60  # a refusal, not minutes of expanding
    assert result.exit_code == 2, result.output
    assert "no step to check" in result.output and "✓" not in result.output
    for reason in reasons:
        assert reason in result.output, result.output


def test_a_count_in_a_denominator_that_is_0_only_at_one_class_is_read_from_two_on(tmp_path):
    # ε/(K − 1) of label smoothing: K − 1 is 0 at K = 1 only, where the step is read from K = 2 on
    path = tmp_path / "smooth.md"
    path.write_text(
        "<!-- derive\nsoftmax: s of z\nscalars: \\epsilon\n-->\n\n$$\n"
        "\\frac{\\epsilon}{K - 1} (K - 1) + s_i = \\epsilon + s_i\n$$\n",
        "utf-8",
    )
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(path)])
    assert result.exit_code == 0 and "✓ proved" in result.output, result.output
