"""The README stays true: its pasted outputs are what derive prints now, its Python example
prints what it says, and .ci/run runs the README's test command word for word."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from derive.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block_after(marker: str, language: str) -> str:
    start = README.index(marker)
    match = re.compile(rf"```{language}\n(.*?)\n```", re.S).search(README, start)
    assert match, f"no {language} block after {marker!r}"
    return match.group(1)


def _cli(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output.rstrip("\n")


def test_pasted_outputs_are_current():
    assert _block_after("`derive softmax-jacobian` (output pasted", "text") == _cli("softmax-jacobian")
    assert _block_after("`derive ce-grad`:", "text") == _cli("ce-grad")
    listing = _block_after("## The built-in derivations", "console")
    assert listing == "$ derive list\n" + _cli("list")


def test_the_python_example_prints_what_the_readme_says():
    code = _block_after("## Writing a derivation", "python")
    shown = _block_after("prints\n", "text")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.rstrip("\n") == shown


def test_ci_runs_the_readme_test_command():
    commands = _block_after("## Set-up: two commands", "console").splitlines()
    assert len(commands) == 2
    run_command, test_command = commands
    assert "derive softmax-jacobian" in run_command
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_the_check_example_is_current(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["check", "examples/format-example.md"])
    assert result.exit_code == 1
    assert _block_after("`derive check examples/format-example.md` prints", "text") == result.output.rstrip("\n")
    written = (ROOT / "examples" / "format-example.md").read_text(encoding="utf-8").rstrip("\n")
    assert written in README


def test_the_seed_excerpt_is_real_output(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["check", "examples/handwritten-notes.md"])
    excerpt = _block_after("The two failing steps", "text")
    for line in excerpt.splitlines():
        assert line in result.output.splitlines(), line


def test_the_api_example_prints_what_the_readme_says(tmp_path):
    code = _block_after("### From Python: `derive.check_text`", "python")
    shown = _block_after("### From Python: `derive.check_text`", "text")
    env = {**__import__("os").environ, "DERIVE_CACHE_DIR": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.rstrip("\n") == shown


def test_the_quiet_example_is_current(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["check", "examples/format-example.md", "--quiet"])
    assert result.exit_code == 1
    assert _block_after("`derive check examples/format-example.md --quiet`", "text") == result.output.rstrip("\n")


def test_the_definitions_example_is_current(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["check", "--no-cache", "examples/definitions-example.md"])
    assert result.exit_code == 1
    shown = _block_after("`derive check examples/definitions-example.md` prints", "text")
    assert shown == result.output.rstrip("\n")
    example = (ROOT / "examples" / "definitions-example.md").read_text(encoding="utf-8").rstrip()
    assert example in README


def test_the_no_header_example_is_current(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["check", "examples/no-header-example.md"])
    assert result.exit_code == 1
    assert _block_after("`derive check examples/no-header-example.md` prints", "text") == result.output.rstrip("\n")
    assert _block_after("`examples/no-header-example.md` is written as", "markdown") in (
        "````markdown\n" + (ROOT / "examples" / "no-header-example.md").read_text(encoding="utf-8")
    )


def test_the_github_annotations_example_is_current(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["check", "--no-cache", "examples/format-example.md", "--format", "github"])
    assert result.exit_code == 1
    shown = _block_after("`derive check examples/format-example.md --format github` prints", "text")
    assert shown == result.output.rstrip("\n")


def test_the_annotated_copy_excerpt_is_real_output(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["check", "--no-cache", "examples/format-example.md", "--annotate"])
    assert result.exit_code == 1
    excerpt = _block_after("--annotate` prints, after the chain of the second display", "text")
    for line in excerpt.splitlines():
        assert line in result.output.splitlines(), line
