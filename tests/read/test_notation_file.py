"""--notation FILE: a header's lines in a file of their own, for a page that cannot carry one."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.read.derivation import read_derivation
from derive.read.source import SourceError

POST = "# Someone's post\n\n$$\n\\frac{\\partial p_i}{\\partial o_j} = p_i(\\delta_{ij} - p_j)\n$$\n"


def test_the_notation_file_declares_the_letters(tmp_path):
    post = tmp_path / "post.md"
    post.write_text(POST)
    header = tmp_path / "post.notation"
    header.write_text("softmax: p of o\n")
    derivation, _ = read_derivation(post, notation=header)
    assert len(derivation.steps) == 1
    result = CliRunner().invoke(cli, ["check", str(post), "--notation", str(header), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "proved for all K" in result.output


def test_without_it_the_letters_are_unknown(tmp_path):
    post = tmp_path / "post.md"
    post.write_text(POST)
    result = CliRunner().invoke(cli, ["check", str(post), "--no-cache"])
    assert result.exit_code == 2
    assert "unknown symbol p" in result.output


def test_a_wrong_step_still_fails_under_a_notation_file(tmp_path):
    post = tmp_path / "post.md"
    post.write_text(POST.replace("- p_j", "+ p_j"))
    header = tmp_path / "post.notation"
    header.write_text("softmax: p of o\n")
    result = CliRunner().invoke(cli, ["check", str(post), "--notation", str(header), "--no-cache"])
    assert result.exit_code == 1
    assert "fails" in result.output


@pytest.mark.parametrize(
    "content, message",
    [
        ("softmax p of o\n", "post.notation:1:1: header line"),
        ("\n\nsoftmax: p of\n", "post.notation:3:"),
        ("labels: y\nlabels: t\n", "post.notation:2:"),
    ],
)
def test_a_bad_notation_file_is_one_line_naming_its_place(tmp_path, content, message):
    post = tmp_path / "post.md"
    post.write_text(POST)
    header = tmp_path / "post.notation"
    header.write_text(content)
    with pytest.raises(SourceError) as caught:
        read_derivation(post, notation=header)
    assert message in str(caught.value)


def test_a_header_in_both_places_is_refused(tmp_path):
    post = tmp_path / "post.md"
    post.write_text("<!-- derive\nsoftmax: p of o\n-->\n" + POST)
    header = tmp_path / "post.notation"
    header.write_text("softmax: p of o\n")
    result = CliRunner().invoke(cli, ["check", str(post), "--notation", str(header), "--no-cache"])
    assert result.exit_code == 2
    assert "give one" in result.output
    assert "Traceback" not in result.output


def test_a_missing_notation_file_is_one_line(tmp_path):
    post = tmp_path / "post.md"
    post.write_text(POST)
    result = CliRunner().invoke(cli, ["check", str(post), "--notation", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "cannot read the notation file" in result.output
