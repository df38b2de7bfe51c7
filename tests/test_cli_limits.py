"""Every option at its limits, and every way the command line can end: a documented exit
code and never a traceback (issue: derive where its users work).

The grid runs in-process with Click's test runner; the ways that need a real process (a
closed pipe, Ctrl-C, shell completion, colour on and off) run ``derive`` itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from derive.cli import cli

ROOT = Path(__file__).resolve().parent.parent
HOLDS = "<!-- derive\nsoftmax: s of z\n-->\n# Notes\n\n$$ s_i (1 - s_i) = s_i - s_i^2 $$\n"
FAILS = "<!-- derive\nsoftmax: s of z\n-->\n# Notes\n\n$$ s_i (1 - s_i) = s_i + s_i^2 $$\n"
DOCUMENTED = {0, 1, 2, 3}


@pytest.fixture
def files(tmp_path):
    (tmp_path / "holds.md").write_text(HOLDS, encoding="utf-8")
    (tmp_path / "fails.md").write_text(FAILS, encoding="utf-8")
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02derive")
    (tmp_path / "latin1.md").write_bytes("$$ \xe9 = 1 $$".encode("latin-1"))
    (tmp_path / "folder").mkdir()
    (tmp_path / "notation.txt").write_text("softmax: s of z\n", encoding="utf-8")
    return tmp_path


def _ends_well(result, args) -> None:
    """A documented exit code, and whatever went wrong said in words, not a traceback."""
    assert result.exit_code in DOCUMENTED, (args, result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert "Traceback" not in result.output, (args, result.output)
    if result.exit_code == 2:
        said = [line for line in result.stderr.splitlines() if line.startswith(("derive: ", "Error: "))]
        assert said, (args, result.stderr)


_VALUES = {
    "--classes": ["0", "-1", "17", "1" + "0" * 30, "abc", "", "1.5", "nan"],
    "--time-limit": ["0", "-0", "-1", "nan", "inf", "-inf", "1e308", "86401", "abc", "", "1e-300"],
    "--require": ["", "bogus", "PROVED", "numeric"],
    "--format": ["", "pdf", "LATEX"],
    "-o": ["", "/nonexistent-folder/x.txt", "/", "-"],
}


@pytest.mark.parametrize(
    ("option", "value"), [(option, value) for option, values in _VALUES.items() for value in values]
)
def test_a_built_in_with_any_value_of_an_option_ends_with_a_documented_code(option, value):
    args = ["mse-grad", option, value]
    _ends_well(CliRunner().invoke(cli, args), args)


_CHECK_VALUES = {
    **{k: v for k, v in _VALUES.items() if k != "--classes"},
    "--notation": ["", "missing.txt", "folder", "empty.md", "binary.md", "latin1.md", "notation.txt"],
    "--input-format": ["", "docx", "tex", "ipynb", "md"],
}


@pytest.mark.parametrize(
    ("option", "value"), [(option, value) for option, values in _CHECK_VALUES.items() for value in values]
)
def test_check_with_any_value_of_an_option_ends_with_a_documented_code(files, monkeypatch, option, value):
    monkeypatch.chdir(files)
    args = ["check", "holds.md", option, value]
    _ends_well(CliRunner().invoke(cli, args), args)


@pytest.mark.parametrize(
    "names",
    [
        ["missing.md"],
        ["folder"],
        ["empty.md"],
        ["binary.md"],
        ["latin1.md"],
        ["**/nothing-*.md"],
        ["holds.md", "missing.md"],
        ["-"],
        ["-", "-"],
        [""],
        ["holds.md", "fails.md", "binary.md"],
    ],
)
def test_check_with_any_file_ends_with_a_documented_code(files, monkeypatch, names):
    monkeypatch.chdir(files)
    result = CliRunner().invoke(cli, ["check", *names], input=b"\x00\xff")
    _ends_well(result, names)
    assert result.exit_code != 0  # each of these has something wrong in it


def test_several_files_to_one_output_file(files):
    out = files / "both.txt"
    result = CliRunner().invoke(cli, ["check", str(files / "holds.md"), str(files / "fails.md"), "-o", str(out)])
    assert result.exit_code == 1
    written = out.read_text(encoding="utf-8")
    assert "holds.md" in written and "fails.md" in written  # both views, not the first alone


def test_dash_o_dash_is_standard_output():
    result = CliRunner().invoke(cli, ["mse-grad", "--format", "json", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.lstrip().startswith("{")


def test_standard_input_is_read_in_the_format_asked(files):
    result = CliRunner().invoke(cli, ["check", "-"], input=HOLDS)
    assert result.exit_code == 0, result.output
    assert "<stdin>:6" in result.output
    latex = "% derive\n% softmax: s of z\n\\begin{equation}\ns_i (1 - s_i) = s_i + s_i^2\n\\end{equation}\n"
    result = CliRunner().invoke(cli, ["check", "-", "--input-format", "tex"], input=latex)
    assert result.exit_code == 1, result.output
    assert "fails" in result.output and "<stdin>:4" in result.output


def test_a_recursive_glob_finds_files_in_every_folder_below(files, monkeypatch):
    (files / "a" / "b").mkdir(parents=True)
    (files / "a" / "b" / "deep.md").write_text(FAILS, encoding="utf-8")
    monkeypatch.chdir(files)
    flat = CliRunner().invoke(cli, ["check", "*.md"])
    deep = CliRunner().invoke(cli, ["check", "**/deep.md"])
    assert "deep.md" not in flat.output
    assert deep.exit_code == 1 and "a/b/deep.md" in deep.output


def test_one_failed_file_outranks_one_unread_file(files, monkeypatch):
    # Within a file a failed step outranks a block not read (1 before 2): across files too.
    (files / "unread.md").write_text(HOLDS + "\n$$ q_i = \\frobnicate $$\n", encoding="utf-8")
    monkeypatch.chdir(files)
    assert CliRunner().invoke(cli, ["check", "unread.md"]).exit_code == 2
    assert CliRunner().invoke(cli, ["check", "unread.md", "fails.md"]).exit_code == 1
    assert CliRunner().invoke(cli, ["check", "fails.md", "unread.md"]).exit_code == 1


def test_quiet_shows_only_what_needs_attention(files):
    both = FAILS.replace("$$ s_i (1", "$$ 2 s_i = s_i + s_i $$\n\n$$ s_i (1")
    (files / "both.md").write_text(both, encoding="utf-8")
    loud = CliRunner().invoke(cli, ["check", str(files / "both.md")])
    quiet = CliRunner().invoke(cli, ["check", str(files / "both.md"), "--quiet"])
    assert loud.exit_code == quiet.exit_code == 1
    assert "2s_i = s_i + s_i" in loud.output and "2s_i = s_i + s_i" not in quiet.output
    assert "counterexample" in quiet.output and "1 failed" in quiet.output


def test_an_unexpected_exception_is_one_line_and_exit_3(monkeypatch):
    from derive import cli as cli_module

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli_module, "_run", broken)
    result = CliRunner().invoke(cli, ["mse-grad", "--no-cache"])
    assert result.exit_code == 3
    assert result.stderr.strip().splitlines() == [
        "derive: engine error: internal error (ZeroDivisionError: a bug); please report it"
    ]


def _derive(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "derive", *args], cwd=ROOT, capture_output=True, text=True, timeout=300, **kwargs
    )


def test_bare_derive_prints_the_help_and_succeeds():
    done = _derive()
    assert done.returncode == 0
    assert done.stdout.startswith("Usage: ") and "check" in done.stdout
    assert done.stderr == ""


# A reader gone away (141), cold, stored and replayed: tests/test_cli.py.


# Ctrl-C in the middle of a check (exit 130, one line): tests/test_slow_steps.py, with a step
# that is sure to be still running when the signal comes.


@pytest.mark.parametrize(
    ("shell", "mark"), [("bash", "_derive_completion"), ("zsh", "#compdef derive"), ("fish", "complete")]
)
def test_shell_completion_scripts(shell, mark):
    done = subprocess.run(
        [sys.executable, "-m", "derive"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "_DERIVE_COMPLETE": f"{shell}_source"},
    )
    assert done.returncode == 0
    assert mark in done.stdout and "Usage:" not in done.stdout


def test_completion_offers_commands_builtins_and_options():
    def complete(words: str, index: int) -> list[str]:
        env = {**os.environ, "_DERIVE_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(index)}
        done = subprocess.run(
            [sys.executable, "-m", "derive"], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env
        )
        return [line.split(",", 1)[1] for line in done.stdout.splitlines()]

    assert complete("derive ch", 1) == ["check"]
    assert complete("derive softmax-", 1) == ["softmax-jacobian", "softmax-temperature"]
    assert "--require" in complete("derive ce-grad --re", 2)
    assert complete("derive ce-grad --require ", 3) == ["proved", "exact", "numeric"]


ESC = "\x1b["


def test_styles_on_a_terminal_and_none_in_a_pipe(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["DERIVE_CACHE_DIR"] = str(tmp_path)
    piped = _derive("mse-grad", env=env)
    forced = _derive("mse-grad", "--color", env=env)
    replayed = _derive("mse-grad", "--color", env=env)  # from the cache: the same styles
    no_color = _derive("mse-grad", "--no-color", env={**env, "FORCE_COLOR": "1"})
    assert ESC not in piped.stdout and ESC not in no_color.stdout
    title, *_, summary = forced.stdout.rstrip("\n").splitlines()
    assert title.startswith(ESC + "1m")  # the title in bold
    assert summary.startswith(ESC) and "32m" in summary.split("m", 1)[0] + "m"  # the summary in green
    assert replayed.stdout == forced.stdout
    env_no_color = _derive("mse-grad", env={**env, "NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert "32m" not in env_no_color.stdout  # NO_COLOR: no colour even where styles are forced


def test_marked_only_passes_over_a_file_with_no_header_or_directive(files, monkeypatch):
    (files / "README.md").write_text("# A project\n\nSet $\\eta = 0.01$ and run it.\n", encoding="utf-8")
    (files / "directive.md").write_text("<!-- derive: skip -->\n$$ q = 1 $$\n\n$$ 2 = 1 + 2 $$\n", encoding="utf-8")
    monkeypatch.chdir(files)
    plain = CliRunner().invoke(cli, ["check", "README.md"])
    assert plain.exit_code == 2  # without the flag: the unread η is the user's to fix
    passed = CliRunner().invoke(cli, ["check", "--marked-only", "README.md", "holds.md"])
    assert passed.exit_code == 0, passed.output
    assert "README.md: no derive header or directive, passed over (--marked-only)" in passed.stderr
    # A header or a directive marks a file: it is checked in full, false steps and all.
    assert CliRunner().invoke(cli, ["check", "--marked-only", "README.md", "fails.md"]).exit_code == 1
    marked = CliRunner().invoke(cli, ["check", "--marked-only", "directive.md"])
    assert marked.exit_code == 1 and "fails" in marked.output


_WATCH_VALUES = {
    "--time-limit": ["0", "nan", "inf", "1e308", "abc", ""],
    "--notation": ["", "missing.txt", "folder", "binary.md", "notation.txt"],
}


@pytest.mark.parametrize(
    ("option", "value"), [(option, value) for option, values in _WATCH_VALUES.items() for value in values]
)
def test_watch_once_with_any_value_of_an_option_ends_with_a_documented_code(files, monkeypatch, option, value):
    monkeypatch.chdir(files)
    args = ["watch", "--once", "holds.md", option, value]
    _ends_well(CliRunner().invoke(cli, args), args)


@pytest.mark.parametrize(
    "args",
    [["cache", "info", "extra"], ["cache", "clear", "--bogus"], ["cache", "nonsense"], ["watch", "--once"]],
)
def test_cache_and_watch_misused_end_with_a_documented_code(files, monkeypatch, args):
    monkeypatch.chdir(files)
    _ends_well(CliRunner().invoke(cli, args), args)


def test_derive_cache_alone_prints_its_help_and_succeeds():
    result = CliRunner().invoke(cli, ["cache"])
    assert result.exit_code == 0
    assert "info" in result.output and "clear" in result.output


def test_dash_o_never_names_a_file_being_checked(files, monkeypatch):
    monkeypatch.chdir(files)
    before = (files / "holds.md").read_bytes()
    for args in (["holds.md"], ["fails.md", "holds.md"], ["*.md"], ["./holds.md"]):
        result = CliRunner().invoke(cli, ["check", *args, "-o", "holds.md"])
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr == "derive: holds.md: -o names a file being checked (it would be emptied)\n"
        assert (files / "holds.md").read_bytes() == before  # not emptied


def test_standard_input_closed_is_one_line():
    done = subprocess.run(
        [sys.executable, "-m", "derive", "check", "-"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        preexec_fn=lambda: os.close(0),
    )
    assert done.returncode == 2
    assert done.stderr == "derive: -: standard input is closed\n"


def test_a_recursive_glob_does_not_follow_links_to_folders(files, monkeypatch):
    # A link to a parent folder made glob.glob('**') run for ever (and find one file 41 times).
    (files / "d").mkdir()
    for name in ("up1", "up2", "up3"):
        os.symlink("..", files / "d" / name)
    (files / ".hidden").mkdir()
    (files / ".hidden" / "secret.md").write_text(FAILS, encoding="utf-8")
    monkeypatch.chdir(files)
    result = CliRunner().invoke(cli, ["check", "**/*.md", "--quiet"])
    assert result.exit_code == 1  # fails.md fails (and binary.md, empty.md... do not read)
    checked = [line for line in result.output.splitlines() if ": 1 checked" in line]
    assert sorted(line.split(":")[0] for line in checked) == ["fails.md", "holds.md"]
