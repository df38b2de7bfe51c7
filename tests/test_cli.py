"""The derive command, through click's CliRunner and, once, as the installed script."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
import sympy as sp
from click.testing import CliRunner

import derive.core
from derive import proofs
from derive.cli import cli
from derive.core import Derivation, EngineError, Status, Step, VocabularyError, index, softmax_notation


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def captured(monkeypatch):
    """Every CheckedDerivation the command checked, so a test can compare output with verdicts."""
    seen = []
    real = derive.core.check_derivation

    def recording(derivation, **options):
        checked = real(derivation, **options)
        seen.append(checked)
        return checked

    monkeypatch.setattr(derive.core, "check_derivation", recording)
    return seen


def _add_builtin(monkeypatch, name: str, steps, title: str = "A toy derivation", notation=None):
    notation = notation or softmax_notation()
    module = types.SimpleNamespace(
        NAME=name,
        TITLE=title,
        SUMMARY=f"{name}: a test derivation",
        derivation=lambda classes=4: Derivation(name, title, notation, tuple(steps)),
    )
    monkeypatch.setitem(proofs.BUILTINS, name, module)
    return module


def _assert_every_step_shown(output: str, checked) -> None:
    for number, (_step, verdict) in enumerate(checked.pairs, start=1):
        assert f"{number:>4}  " in output
        assert verdict.label in output
    assert f"{len(checked.verdicts)} steps: " in output


# -- list, help, version ------------------------------------------------------------------


def test_list_shows_both_builtins(runner):
    result = runner.invoke(cli, ["list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for name in ("softmax-jacobian", "ce-grad"):
        (line,) = [x for x in lines if x.startswith(name + " ")]
        assert proofs.BUILTINS[name].SUMMARY in line


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("derive ")
    assert derive.__version__ in result.output or result.output.strip().split()[-1][0].isdigit()


def test_help_has_an_example_and_every_builtin(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "derive softmax-jacobian" in result.output
    assert "ce-grad" in result.output
    result = runner.invoke(cli, ["ce-grad", "--help"])
    assert result.exit_code == 0
    assert "derive ce-grad --classes" in result.output
    for option in ("--classes", "--require", "--debug", "--time-limit"):
        assert option in result.output


# -- the built-in derivations -------------------------------------------------------------


@pytest.mark.parametrize("name", ["softmax-jacobian", "ce-grad"])
def test_builtin_holds_and_shows_every_step_with_its_label(runner, captured, name):
    result = runner.invoke(cli, [name])
    assert result.exit_code == 0, result.output
    (checked,) = captured
    assert checked.all_hold
    _assert_every_step_shown(result.output, checked)
    assert checked.derivation.title in result.output
    assert "\x1b[" not in result.output  # not a terminal: plain text


@pytest.mark.parametrize("classes", [1, 3])
@pytest.mark.parametrize("name", ["softmax-jacobian", "ce-grad"])
def test_classes_reaches_the_concrete_steps(runner, captured, name, classes):
    result = runner.invoke(cli, [name, "--classes", str(classes)])
    assert result.exit_code == 0, result.output
    assert f"K = {classes}" in result.output
    (checked,) = captured
    concrete = [v for s, v in checked.pairs if s.notation is not None and s.notation.concrete]
    assert concrete and all(v.label == f"proved for K = {classes}" for v in concrete)


@pytest.mark.parametrize("value", ["0", "-2"])
def test_classes_below_one_is_a_one_line_usage_error(runner, value):
    result = runner.invoke(cli, ["ce-grad", "--classes", value])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"derive: --classes must be at least 1 (got {value})\n"


@pytest.mark.parametrize(
    "args", [["ce-grad", "--classes", "many"], ["no-such-proof"], ["ce-grad", "--require", "strong"]]
)
def test_other_usage_errors_are_clicks_own(runner, args):
    # Click's usage error, as every Click program prints it: the usage, where to find help,
    # and one line saying what is wrong; exit 2 and no traceback.
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Usage: ")
    assert "for help" in result.stderr
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert args[-1] in error
    assert "Traceback" not in result.stderr


def test_time_limit_must_be_positive(runner):
    result = runner.invoke(cli, ["ce-grad", "--time-limit", "0"])
    assert result.exit_code == 2
    assert result.stderr.startswith("derive: --time-limit")


# -- verdicts decide the exit status ------------------------------------------------------


@pytest.fixture
def exact_only(monkeypatch):
    """Σ_k k = K(K+1)/2: the symbolic witness does not prove it, the exact one decides K ≤ n."""
    k = index("k")
    nt = softmax_notation()
    K = nt.classes
    step = Step(sp.Sum(k, (k, 1, K)), K * (K + 1) / 2, rule="Gauss")
    return _add_builtin(monkeypatch, "gauss", [step], notation=nt)


def test_require_proved_rejects_a_weaker_label(runner, captured, exact_only):
    result = runner.invoke(cli, ["gauss"])
    assert result.exit_code == 0, result.output
    (checked,) = captured
    (verdict,) = checked.verdicts
    assert verdict.label.startswith("exact for K ≤ ")
    assert verdict.label in result.output
    assert f"1 step: 0 proved, 1 {verdict.label}, 0 numeric only, 0 failed, 0 undecided" in result.output

    assert runner.invoke(cli, ["gauss", "--require", "exact"]).exit_code == 0
    assert runner.invoke(cli, ["gauss", "--require", "numeric"]).exit_code == 0
    result = runner.invoke(cli, ["gauss", "--require", "proved"])
    assert result.exit_code == 1
    assert verdict.label in result.stdout  # the label shown is still the core's own
    assert result.stderr == f"derive: step 1 is {verdict.label}, weaker than --require proved\n"


def test_a_sign_flip_fails_with_a_counterexample(runner, captured, monkeypatch):
    real = proofs.BUILTINS["softmax-jacobian"].derivation()
    steps = list(real.steps)
    # Flip the first step whose right side is a product (e.g. −s_i·s_j or s_i(δ_ij − s_j)).
    target = next(n for n, s in enumerate(steps) if isinstance(s.next, sp.Mul))
    steps[target] = dataclasses.replace(steps[target], next=-steps[target].next)
    _add_builtin(monkeypatch, "flipped", steps, title=real.title, notation=real.notation)

    result = runner.invoke(cli, ["flipped"])
    assert result.exit_code == 1
    (checked,) = captured
    failed = [n for n, v in enumerate(checked.verdicts) if v.status is Status.FAILS]
    assert failed == [target]
    assert "counterexample: K = " in result.output
    assert checked.verdicts[target].counterexample.describe() in result.output
    assert "1 failed" in result.output
    _assert_every_step_shown(result.output, checked)
    assert "Traceback" not in result.output


def test_an_undecided_step_exits_one(runner, monkeypatch, exact_only):
    result = runner.invoke(cli, ["gauss", "--time-limit", "0.001"])
    assert result.exit_code == 1
    assert "undecided" in result.output
    assert "1 undecided" in result.output


# -- errors -------------------------------------------------------------------------------


def _raising(error):
    def check_derivation(derivation, **options):
        raise error

    return check_derivation


def test_engine_error_is_one_line_and_exit_three(runner, monkeypatch):
    error = EngineError("the symbolic proof holds but the exact witness finds a difference at K = 2\ndetails")
    monkeypatch.setattr(derive.core, "check_derivation", _raising(error))
    result = runner.invoke(cli, ["ce-grad"])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == (
        "derive: engine error: the symbolic proof holds but the exact witness finds a difference at K = 2\n"
    )
    assert "Traceback" not in result.output


def test_engine_error_details_with_debug(runner, monkeypatch):
    error = EngineError("witnesses disagree\nTraceback (most recent call last): the worker's own")
    monkeypatch.setattr(derive.core, "check_derivation", _raising(error))
    result = runner.invoke(cli, ["ce-grad", "--debug"])
    assert result.exit_code == 3
    assert "the worker's own" in result.stderr
    assert result.stderr.endswith("derive: engine error: witnesses disagree\n")


def test_vocabulary_error_is_bad_input(runner, monkeypatch):
    monkeypatch.setattr(
        derive.core, "check_derivation", _raising(VocabularyError("unknown symbol q (declared: s, z, y)"))
    )
    result = runner.invoke(cli, ["ce-grad"])
    assert result.exit_code == 2
    assert result.stderr == "derive: unknown symbol q (declared: s, z, y)\n"


# -- the installed console script ---------------------------------------------------------


def _installed_script() -> str:
    script = shutil.which("derive")
    if script is None:
        pytest.skip("the derive console script is not on PATH (install the package to run this test)")
    return script


def _script_python(script: str) -> str:
    """The interpreter the script was installed for, so python -m derive runs the same install."""
    try:
        with open(script, encoding="utf-8") as handle:
            first = handle.readline().strip()
    except (OSError, UnicodeDecodeError):
        return sys.executable
    candidate = first[2:].strip().split()[0] if first.startswith("#!") and first[2:].strip() else ""
    return candidate if candidate and os.path.exists(candidate) else sys.executable


def _outside_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "NO_COLOR")}
    env["NO_COLOR"] = "1"
    return env


def test_installed_script_runs_outside_the_checkout(tmp_path):
    script = _installed_script()
    done = subprocess.run(
        [script, "ce-grad"], cwd=tmp_path, env=_outside_env(), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "steps: " in done.stdout and "0 failed, 0 undecided" in done.stdout
    assert done.stderr == ""


def test_python_m_derive_outside_the_checkout(tmp_path):
    python = _script_python(_installed_script())
    done = subprocess.run(
        [python, "-m", "derive", "list"], cwd=tmp_path, env=_outside_env(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "softmax-jacobian" in done.stdout and "ce-grad" in done.stdout


# -- from a cold review ------------------------------------------------------------------------


def test_plain_derive_prints_the_help_and_succeeds():
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 0
    assert result.output.startswith("Usage: ")  # CliRunner names the program "cli"
    assert "Check every step" in result.output
    assert "derive:" not in result.output


def test_classes_has_an_upper_bound():
    result = CliRunner().invoke(cli, ["softmax-jacobian", "--classes", "17"])
    assert result.exit_code == 2
    assert result.output.strip() == "derive: --classes must be at most 16 (got 17)"


def test_an_unwritable_output_fails_before_any_checking(monkeypatch, tmp_path):
    from derive import core

    def never(*args, **kwargs):
        raise AssertionError("checked before the output was opened")

    monkeypatch.setattr(core, "check_derivation", never)
    result = CliRunner().invoke(cli, ["ce-grad", "--format", "json", "-o", str(tmp_path / "missing" / "x.json")])
    assert result.exit_code == 2
    assert result.output == f"derive: {tmp_path / 'missing' / 'x.json'}: cannot write (No such file or directory)\n"
    assert "Traceback" not in result.output


def test_an_engine_error_names_the_step_it_happened_on(runner, tmp_path, monkeypatch):
    from derive.core import checking

    notes = tmp_path / "notes.md"
    notes.write_text(
        "<!-- derive\nsoftmax: s of z\n-->\n\n$$\n\\frac{\\partial s_i}{\\partial z_j} = s_i s_j\n$$\n",
        encoding="utf-8",
    )
    # A symbolic witness that "proves" the false step: the others must contradict it.
    monkeypatch.setattr(checking.symbolic, "remainder_degree", lambda *args, **kwargs: None)
    result = runner.invoke(cli, ["check", str(notes), "--no-cache"])
    assert result.exit_code == 3
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"derive: engine error: {notes}:6:")


def test_a_reader_that_goes_away_ends_derive_with_141(tmp_path):
    env = {**os.environ, "DERIVE_CACHE_DIR": str(tmp_path)}
    for argv in (["mse-grad", "--no-cache"], ["mse-grad"], ["mse-grad"]):  # cold, then stored, then replayed
        process = subprocess.Popen(
            [sys.executable, "-m", "derive", *argv],
            cwd=Path(__file__).resolve().parents[1],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        process.stdout.close()  # as `| head -0` would: nobody reads
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 141, (argv, process.returncode, stderr)
        assert b"Traceback" not in stderr


def test_a_file_whose_name_looks_like_a_glob_is_the_file_checked(tmp_path, runner):
    # g/a[1].md exists: it is the file meant, not the glob's match g/a1.md.
    header = "<!-- derive\nsoftmax: s of z\nlabels: y\n-->\n"
    (tmp_path / "a[1].md").write_text(header + "$$ s_i = 2 s_i $$\n", encoding="utf-8")
    (tmp_path / "a1.md").write_text(header + "$$ s_i = s_i $$\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", "--no-cache", str(tmp_path / "a[1].md")])
    assert (
        result.exit_code == 1
        and "a[1].md: 1 checked, 0 not read, 0 skipped by a directive, 0 not an equality, 1 failed" in result.output
    ), result.output
    (tmp_path / "a1.md").unlink()
    result = runner.invoke(cli, ["check", "--no-cache", str(tmp_path / "a[1].md")])
    assert result.exit_code == 1 and "no file matches" not in result.output
    # A name that is no file is still a glob.
    (tmp_path / "b2.md").write_text(header + "$$ s_i = s_i $$\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", "--no-cache", str(tmp_path / "b[0-9].md")])
    assert result.exit_code == 0 and "b2.md: 1 checked" in result.output, result.output
