"""The cache seen from the command line: a second run shows what the first showed, with
every verdict marked as cached, without SymPy; an edited step is checked again while the
unchanged ones are read back; --no-cache neither reads nor writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from derive.cli import cli

ROOT = Path(__file__).resolve().parents[1]

NOTES = r"""# Two steps

<!-- derive
softmax: s of z
-->

<!-- derive: case i \neq j -->
$$
\frac{\partial s_i}{\partial z_j} = -s_i s_j
$$

<!-- derive: case i = j -->
$$
\frac{\partial s_i}{\partial z_j} = s_i - s_i^2
$$
"""


def _verdict_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()[:1] in ("✓", "✗", "?")]


def test_a_second_run_replays_the_first_and_marks_every_verdict_cached():
    runner = CliRunner()
    first = runner.invoke(cli, ["mse-grad"])
    second = runner.invoke(cli, ["mse-grad"])
    assert first.exit_code == second.exit_code == 0
    assert _verdict_lines(first.output) and not any("(cached)" in line for line in _verdict_lines(first.output))
    assert all(line.endswith("(cached)") for line in _verdict_lines(second.output))
    assert second.output.replace("  (cached)", "") == first.output


def test_no_cache_neither_reads_nor_writes(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "fresh"))
    runner = CliRunner()
    result = runner.invoke(cli, ["mse-grad", "--no-cache"])
    assert result.exit_code == 0
    assert not (tmp_path / "fresh").exists()
    runner.invoke(cli, ["mse-grad"])
    again = runner.invoke(cli, ["mse-grad", "--no-cache"])
    assert "(cached)" not in again.output


def test_an_edited_step_is_checked_again_and_the_others_are_read_back(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["check", str(notes)]).exit_code == 0
    # The second case now has a sign error: only it is checked again, and it fails.
    notes.write_text(NOTES.replace("= s_i - s_i^2", "= s_i + s_i^2"), encoding="utf-8")
    result = runner.invoke(cli, ["check", str(notes)])
    assert result.exit_code == 1
    first, second = _verdict_lines(result.output)
    assert first.endswith("(cached)") and "proved" in first
    assert second.strip().startswith("✗") and "(cached)" not in second
    assert "counterexample" in result.output
    # Mended: back to the first text, whose whole run is on record again.
    notes.write_text(NOTES, encoding="utf-8")
    mended = runner.invoke(cli, ["check", str(notes)])
    assert mended.exit_code == 0
    assert all(line.endswith("(cached)") for line in _verdict_lines(mended.output))


def test_a_run_with_a_failed_step_is_not_kept_the_failure_is_checked_afresh(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES.replace("= -s_i s_j", "= s_i s_j"), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["check", str(notes)]).exit_code == 1
    again = runner.invoke(cli, ["check", str(notes)])
    assert again.exit_code == 1 and "counterexample" in again.output
    failed, held = _verdict_lines(again.output)
    assert "fails" in failed and "(cached)" not in failed
    assert held.endswith("(cached)")  # the step that holds comes from the verdict cache
    assert not list((Path(os.environ["DERIVE_CACHE_DIR"]) / "runs").glob("*.json"))


def test_require_is_judged_again_on_a_replay():
    runner = CliRunner()
    assert runner.invoke(cli, ["mse-grad"]).exit_code == 0
    assert runner.invoke(cli, ["mse-grad", "--require", "proved"]).exit_code == 0


def test_a_file_saved_again_while_derive_starts_is_checked_as_it_was_hashed(tmp_path, monkeypatch):
    from derive.read import derivation as reading

    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    real = reading.read_derivation

    def saved_meanwhile(path, data=None, notation=None, explain=False, input_format=None, **more):
        notes.write_text(NOTES.replace("= -s_i s_j", "= s_i s_j"), encoding="utf-8")  # now false
        return real(path, data, **more)

    monkeypatch.setattr(reading, "read_derivation", saved_meanwhile)
    runner = CliRunner()
    first = runner.invoke(cli, ["check", str(notes)])
    assert first.exit_code == 0  # what it hashed is what it checked: the true text
    monkeypatch.setattr(reading, "read_derivation", real)
    second = runner.invoke(cli, ["check", str(notes)])  # the file on disk is the false one
    assert second.exit_code == 1
    assert "fails" in second.output and "counterexample" in second.output


def test_a_record_that_does_not_read_back_is_a_miss_not_a_crash():
    runner = CliRunner()
    cold = runner.invoke(cli, ["mse-grad"])
    (record,) = (Path(os.environ["DERIVE_CACHE_DIR"]) / "runs").glob("*.json")
    for broken in (
        '{"verdicts": [["holds", 1e400, "l"]], "lines": []}',
        "[" * 100_000 + "]" * 100_000,
        '{"verdicts": "holds", "text": 3}',
        "",
    ):
        record.write_text(broken, encoding="utf-8")
        result = runner.invoke(cli, ["mse-grad"])
        assert result.exit_code == 0, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.output.replace("  (cached)", "") == cold.output


def test_json_marks_cached_verdicts_and_the_documents_are_the_same_cold_or_warm():
    # A LaTeX or Markdown export is committed beside the notes it checks: a warm run must not
    # make it churn. JSON is data, and says where each verdict came from.
    runner = CliRunner()
    cold = json.loads(runner.invoke(cli, ["mse-grad", "--format", "json"]).output)
    warm = json.loads(runner.invoke(cli, ["mse-grad", "--format", "json"]).output)
    assert not any(step["cached"] for step in cold["steps"])
    assert all(step["cached"] for step in warm["steps"])
    for options in (["--format", "latex", "--fragment"], ["--format", "latex"], ["--format", "markdown"]):
        fresh = runner.invoke(cli, ["mse-grad", *options, "--no-cache"])
        first = runner.invoke(cli, ["mse-grad", *options])
        second = runner.invoke(cli, ["mse-grad", *options])
        assert fresh.exit_code == first.exit_code == second.exit_code == 0
        assert fresh.output == first.output == second.output, options
        assert "cache" not in second.output


def test_a_warm_run_does_not_import_sympy(tmp_path):
    env = {**os.environ, "DERIVE_CACHE_DIR": str(tmp_path)}
    argv = [sys.executable, "-X", "importtime", "-m", "derive", "mse-grad"]
    cold = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    warm = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert cold.returncode == warm.returncode == 0
    assert "sympy" in cold.stderr
    assert "sympy" not in warm.stderr
    assert warm.stdout.replace("  (cached)", "") == cold.stdout


def _saving_meanwhile(monkeypatch, path: Path, text: str):
    """read_derivation, but with ``path`` saved with ``text`` just before it reads."""
    from derive.read import derivation as reading

    real = reading.read_derivation

    def saved_meanwhile(*args, **kwargs):
        path.write_text(text, encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(reading, "read_derivation", saved_meanwhile)
    return real


def test_an_included_file_saved_while_derive_reads_never_answers_for_what_it_was(tmp_path, monkeypatch):
    # The run is kept under the digests of the bytes read, not of the file as it was when
    # the key was looked up: a true part checked must not answer later for the false part.
    false = "% derive: case i \\neq j\n\\[ \\frac{\\partial s_i}{\\partial z_j} = s_i - s_i^2 \\]\n"
    true = "% derive: case i = j\n\\[ \\frac{\\partial s_i}{\\partial z_j} = s_i - s_i^2 \\]\n"
    main = tmp_path / "main.tex"
    main.write_text("% derive\n% softmax: s of z\n\\input{part}\n", encoding="utf-8")
    part = tmp_path / "part.tex"
    part.write_text(false, encoding="utf-8")
    real = _saving_meanwhile(monkeypatch, part, true)
    first = CliRunner().invoke(cli, ["check", str(main)])
    assert first.exit_code == 0, first.output  # it checked the true part, saved meanwhile
    from derive.read import derivation as reading

    monkeypatch.setattr(reading, "read_derivation", real)
    part.write_text(false, encoding="utf-8")
    again = CliRunner().invoke(cli, ["check", str(main)])
    assert again.exit_code == 1 and "fails" in again.output, again.output


def test_a_notation_file_saved_while_derive_reads_is_read_once(tmp_path, monkeypatch):
    notes = tmp_path / "notes.md"
    notes.write_text(
        "$$ \\frac{\\partial L}{\\partial z_i} = -\\sum_{k=1}^{K} y_k (\\delta_{ki} - s_i) = s_i - y_i $$\n",
        encoding="utf-8",
    )
    header = tmp_path / "h.txt"
    loss = "loss: L = -\\sum_{k=1}^{K} y_k \\log s_k\n"
    header.write_text("softmax: s of z\nlabels: y\n" + loss, encoding="utf-8")
    _saving_meanwhile(monkeypatch, header, "softmax: s of z\nlabels: y one-hot\n" + loss)
    first = CliRunner().invoke(cli, ["check", str(notes), "--notation", str(header)])
    # Read once, before the save: without "one-hot" the last step fails, and is not kept.
    assert first.exit_code == 1 and "fails" in first.output, first.output
