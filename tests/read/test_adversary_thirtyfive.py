"""The thirty-fifth adversary (README and code only), on the rules of the thirty-fourth: digits
side by side when the second carries a script (2{3}^2, 2{3^2}: 23² on the page), a number
before a fraction of numbers (1\\frac{1}{2}: a mixed number, 1½), a script after \\boxed{...}
on the next line or after a comment, and mathematics in \\text by \\(...\\), \\ensuremath or
\\textsuperscript, or behind a command name counted as a word (\\text{$\\cdot 2$\\relax}). Each
was proved; each is now not read, and only the files' control step (the softmax's definition)
is checked. The files are the adversary's, kept in adversary35/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from derive.cli import cli

HERE = Path(__file__).parent / "adversary35"


@pytest.mark.parametrize(
    ("name", "reason", "unread"),
    [
        ("f1_digits_power.md", "two numbers side by side", 2),
        ("f2_boxed_newline.md", "a script after a box", 1),
        ("f3_text_paren_math.md", "\\text", 6),
        ("f4_mixed_number.md", "mixed number", 1),
    ],
)
def test_only_the_control_step_is_checked(name, reason, unread):
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "json", str(HERE / name)])
    data = json.loads(result.output)
    assert [step["latex"].split(" = ")[0] for step in data["steps"]] == ["s_i"]  # the control step
    assert len(data["not_read"]) >= unread and all(reason in item["reason"] for item in data["not_read"][-unread:])


def test_a_remark_with_mathematics_and_words_is_still_a_remark(tmp_path):
    path = tmp_path / "ok.md"
    path.write_text(
        "<!-- derive\nsoftmax: s of z\n-->\n\n$$ s_i = s_i \\quad \\text{for every $i$} $$\n\n$$ 2 \\cdot 3 s_i = 6 s_i $$\n",
        "utf-8",
    )
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(path)])
    assert result.exit_code == 0 and result.output.count("✓ proved") == 2, result.output
