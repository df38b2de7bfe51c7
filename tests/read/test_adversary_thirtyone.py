"""The thirty-first adversary (README and code only), on the thirtieth's fixes: a fact
narrowed by words after a display that the sentence before it runs into (in any first
character, not only lower case), a colon into an equation whose paragraph goes on, words a
display sets in \\tag or in nested braces, derive's letters given another meaning with only
allowed words ("Now we let $s$ be the target vector."), a Cyrillic ѕ, code that assigns
them in R, with a type or a compound operator; a colon's long line that took minutes; a
heading's TeX run by the LaTeX export; a file named like a notebook's cell; a lone surrogate
in a notebook. Every file is the adversary's, kept in adversary31/."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.core import Status
from derive.render.json_export import place_fields

from .test_adversary_fifteen import steps_of

HERE = Path(__file__).parent / "adversary31"
NEEDS_THE_FACT = "∂L/∂z_i = s_i − y_i"


@pytest.mark.parametrize(
    "name",
    [
        "f1.md",
        "b1.md",
        "b2.md",
        "b3.md",
        "a3.md",
        "a4.md",
        "a5.md",
        "b4.md",
        "b5.tex",
        "c1.md",
        "d1.md",
        "d2.md",
        "d3.md",
    ],
)
def test_a_fact_narrowed_after_a_display_is_not_used(name):
    assert steps_of(HERE / name).get(NEEDS_THE_FACT) is not Status.HOLDS


@pytest.mark.parametrize("name", ["r1.md", "r2.md", "r3.md", "e1.md", "e2.md", "r4.md", "e3.md"])
def test_letters_given_another_meaning_are_not_derives(name):
    steps = steps_of(HERE / name)
    assert not [text for text, status in steps.items() if status is Status.HOLDS and "s" in text], steps


def test_a_colon_before_a_long_line_is_read_in_seconds(tmp_path):
    path = tmp_path / "long.md"
    path.write_text("# T\n\nWe have:\n\n\\(" + "=" * 99000 + "\n", encoding="utf-8")
    start = time.perf_counter()
    CliRunner().invoke(cli, ["check", "--no-cache", str(path)])
    assert time.perf_counter() - start < 60  # minutes before; a guard, not a speed target


def test_a_headings_tex_is_set_as_text_not_run():
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "latex", str(HERE / "lx.md")])
    assert "\\input{" not in result.output and "\\textbackslash{}input" in result.output


def test_a_cell_only_after_a_notebooks_name():
    assert place_fields("q.md:cell 9:3:4") == {"file": "q.md:cell 9", "cell": None, "line": 3, "column": 4}
    assert place_fields("n.ipynb:cell 9:3:4") == {"file": "n.ipynb", "cell": 9, "line": 3, "column": 4}


def test_a_lone_surrogate_in_a_notebook_is_bad_input():
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(HERE / "sur.ipynb")])
    assert result.exit_code == 2 and "lone surrogate" in result.output
