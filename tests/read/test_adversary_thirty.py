"""The thirtieth adversary (README and code only), on the twenty-ninth's fixes and the new
exports: derive's letters described with a maths-italic 𝑠, an HTML character reference, a
display's \\text, a notebook's code cell, or a later sentence of allowed words that gives s and
z each other's roles; a condition read as the labels' fact ("This holds for one-hot $y$.",
"for examples where $\\sum_k y_k = 1$"); a display of words narrowing the sentence before it;
two texts quadratic to read; and exports a file's name or a title could break out of (a
GitHub workflow command, live LaTeX after a comment). Every file is the adversary's, kept in
adversary30/."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.core import Status

from .test_adversary_fifteen import steps_of

HERE = Path(__file__).parent / "adversary30"


@pytest.mark.parametrize(
    "name",
    ["u1.md", "ent1.md", "u2.md", "nb1.ipynb", "r1.md", "f1.md", "f2.md", "f3.md", "f4.md", "f5.md", "f6.md"],
)
def test_nothing_false_holds(name):
    assert Status.HOLDS not in steps_of(HERE / name).values()


@pytest.mark.parametrize("display", ["a" * 19000, "$$\n" * 6000])
def test_texts_quadratic_to_read_are_read_in_seconds(tmp_path, display):
    path = tmp_path / "long.md"
    path.write_text("# T\n\n" + (f"$$ {display} $$\n\n" if display[0] == "a" else display) * 4, encoding="utf-8")
    start = time.perf_counter()
    steps_of(path)
    assert time.perf_counter() - start < 60  # over two minutes before; a guard, not a speed target


def test_a_file_name_cannot_be_a_workflow_command(tmp_path):
    folder = tmp_path / "gh"
    folder.mkdir()
    (folder / "::stop-commands::tok.md").write_text("# T\n\n$$ s_i - y_i = y_i - s_i $$\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["check", "--no-cache", "--format", "github", str(folder / "::stop-commands::tok.md")]
    )
    lines = result.output.splitlines()
    assert lines[0].startswith("::error file=") and "%3A%3Astop-commands%3A%3A" in lines[0]
    assert all(not line.startswith("::") or line.startswith("::error ") for line in lines)
    assert lines[-1].startswith("derive: ::stop-commands::tok.md: ")


def test_a_title_of_two_lines_stays_in_its_comment(tmp_path):
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "latex", "--fragment", str(HERE / "frag2.md")])
    live = [line for line in result.output.splitlines() if not line.startswith("%")]
    assert not any("\\def" in line or "\\hide" in line for line in live), live
    assert "\\textbf{fails}" in result.output and "\\boldsymbol{\\times}" in result.output
