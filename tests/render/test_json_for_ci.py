"""JSON and annotations for CI: the schema shipped in the package and named by every export,
each step's file, line and column, derive's version, and --format github."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from derive import __version__
from derive.cli import cli
from derive.render.github import _data, _property
from derive.render.json_export import SCHEMA, schema_text

FAILED_AND_UNREAD = (
    "# Notes\n\n"
    "$$ \\frac{\\partial L}{\\partial z_i} = s_i - y_i $$\n\n"
    "$$ P(a|b) = 2 $$\n\n"
    "$$ \\sum_{k=1}^{K} s_k = 1 $$\n"
)


@pytest.fixture
def notes(tmp_path) -> Path:
    path = tmp_path / "a,b:c.md"  # a comma and a colon, which annotations must escape
    path.write_text(FAILED_AND_UNREAD, encoding="utf-8")
    return path


def _shipped() -> dict:
    return json.loads(files("derive.render").joinpath("check.schema.json").read_text(encoding="utf-8"))


def test_the_shipped_schema_is_the_one_exports_are_validated_against():
    assert _shipped() == SCHEMA, "regenerate: python -m derive.render.json_export > derive/render/check.schema.json"
    assert files("derive.render").joinpath("check.schema.json").read_text(encoding="utf-8") == schema_text()
    jsonschema.Draft202012Validator.check_schema(_shipped())


def test_derive_schema_prints_the_shipped_file():
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == _shipped()


def test_a_json_export_names_its_schema_and_places_every_step(notes):
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "json", str(notes)])
    assert result.exit_code == 1  # a step fails
    data = json.loads(result.output)
    jsonschema.validate(data, _shipped())
    assert data["$schema"] == _shipped()["$id"]
    assert data["derive_version"] == __version__
    verdicts = [(s["line"], s["verdict"]) for s in data["steps"]]
    assert verdicts == [(3, "fails"), (7, "holds")]
    for step in data["steps"]:
        assert step["file"] == str(notes)
        assert step["where"] == f"{notes}:{step['line']}:{step['column']}"
    (unread,) = data["not_read"]
    assert (unread["file"], unread["line"]) == (str(notes), 5)


def test_a_builtins_steps_have_no_file():
    data = json.loads(CliRunner().invoke(cli, ["ce-grad", "--format", "json", "--no-cache"]).output)
    jsonschema.validate(data, _shipped())
    assert {(s["file"], s["line"], s["column"]) for s in data["steps"]} == {(None, None, None)}


def test_github_annotations_for_a_failed_and_an_unread_step(notes):
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "github", str(notes)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    escaped = str(notes).replace(":", "%3A").replace(",", "%2C")
    assert lines[0].startswith(f"::error file={escaped},line=3,col=")
    assert "holds only if Σ_k y_k = 1" in lines[0] and "counterexample: K = 1" in lines[0]
    assert lines[1].startswith(f"::warning file={escaped},line=5,col=")
    assert "(a conditional probability) is not read" in lines[1]
    assert len(lines) == 3 and lines[2].startswith("derive: ") and "2 steps:" in lines[2]  # the step that holds: none


def test_github_annotations_when_every_step_holds():
    result = CliRunner().invoke(cli, ["ce-grad", "--format", "github", "--no-cache"])
    assert result.exit_code == 0
    assert not [line for line in result.output.splitlines() if line.startswith("::")]


def test_workflow_command_values_are_escaped():
    assert _data("50% a\r\nb") == "50%25 a%0D%0Ab"
    assert _property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_annotations_for_a_file_nothing_of_which_is_checked(tmp_path):
    unread = tmp_path / "unread.md"
    unread.write_text("# Notes\n\n$$ P(a|b) = 2 $$\n", encoding="utf-8")
    broken = tmp_path / "broken.md"
    broken.write_text("# Notes\n\n<!-- derive\nsoftmax: q\n-->\n$$ a = 1 $$\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "github", str(unread), str(broken)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.startswith("::")]
    assert lines[0].startswith(f"::warning file={unread},line=3,col=4,")
    assert lines[1].startswith(f"::error file={unread},title=derive%3A nothing checked::")
    assert "no step to check" in lines[1]
    assert lines[2].startswith(f"::error file={broken},line=4,col=1,")
    assert len(lines) == 3
