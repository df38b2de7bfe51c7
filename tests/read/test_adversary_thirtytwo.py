"""The thirty-second adversary (README and code only), on the final code of the session: s
named by the label of an \\overbrace or \\underbrace, TeX's ^^5c (a backslash) in a heading
run by the LaTeX export, e^{e^{e^{e^{e^{z}}}}} overflowing the numeric witness into an engine
error, a notebook "cell 0" breaking the JSON schema, and a file name's line break starting a
line of its own on stderr (which CI may read as a command). Every file is the adversary's,
kept in adversary32/."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.core import Status
from derive.render.json_export import place_fields

from .test_adversary_fifteen import steps_of

HERE = Path(__file__).parent / "adversary32"


@pytest.mark.parametrize("name", ["o1.md", "o3.md"])
def test_a_letter_a_brace_names_is_not_derives(name):
    assert Status.HOLDS not in steps_of(HERE / name).values()


def test_texs_character_codes_in_a_heading_are_set_as_text():
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "latex", str(HERE / "l1.md")])
    assert "^^5c" not in result.output and "\\^{}\\^{}5cinput" in result.output


def test_a_value_too_large_to_evaluate_is_undecided_not_an_engine_error():
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(HERE / "c3d.md")])
    assert result.exit_code == 1 and "undecided" in result.output and "engine error" not in result.output


def test_cell_zero_is_no_notebook_cell():
    assert place_fields("x.ipynb:cell 0:5:38") == {"file": "x.ipynb:cell 0", "cell": None, "line": 5, "column": 38}


def test_a_file_names_line_break_stays_on_its_line(tmp_path):
    path = tmp_path / "b\n::error file=x,line=1::injected.md"
    path.write_text("# T\n\n$$ \\foo = 1 $$\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "github", str(path)])
    assert not [line for line in result.stderr.splitlines() if line.startswith("::")], result.stderr
