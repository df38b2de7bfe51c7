"""Every view shows, beside a step that used a fact stated for the whole document, where it was
stated (issue 14): the header line, or the sentence derive inferred it from."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from derive.cli import cli

STEPS = (
    "$$ p_j = \\frac{e^{o_j}}{\\sum_k e^{o_k}} $$\n\n"
    "$$ L = -\\sum_j y_j \\log p_j $$\n\n"
    "$$ \\frac{\\partial L}{\\partial o_i} = p_i - y_i $$\n\n"
    "$$ \\frac{\\partial p_i}{\\partial o_i} = p_i (1 - p_i) $$\n"
)


def _check(tmp_path, body: str, *args: str):
    path = tmp_path / "notes.md"
    path.write_text(body, encoding="utf-8")
    return CliRunner().invoke(cli, ["check", str(path), "--no-cache", *args])


def test_an_inferred_fact_is_shown_with_the_sentence_that_stated_it(tmp_path):
    body = STEPS + "\nThe labels $y$ are one-hot.\n"
    result = _check(tmp_path, body)
    assert result.exit_code == 0, result.output
    assert "uses, stated for the whole document: y one-hot (stated at " in result.output
    assert "notes.md:9:" in result.output.split("y one-hot (stated at ")[1].split(")")[0]
    data = json.loads(_check(tmp_path, body, "--format", "json").output)
    places = [step["facts_stated_at"] for step in data["steps"]]
    assert places[1] == {"y one-hot": places[1]["y one-hot"]} and ":9:" in places[1]["y one-hot"]
    assert places[2] == {}  # the Jacobian step needs no fact: none is listed


@pytest.mark.parametrize("view", ["markdown", "latex"])
def test_the_exports_show_where_a_fact_was_stated(tmp_path, view):
    body = "<!-- derive\nsoftmax: p of o\nlabels: y one-hot\n-->\n\n" + STEPS
    result = _check(tmp_path, body, "--format", view)
    assert result.exit_code == 0, result.output
    assert "stated at" in result.output and "notes.md:3:" in result.output
