"""`derive watch`: the loop driven by a list of saves, and one run of the real command."""

from __future__ import annotations

import io
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from derive.watch import StepMemo, watch_loop

NOTES = r"""# Softmax notes

<!-- derive
softmax: s of z
classes: K
-->

Some prose.

<!-- derive: case i \neq j -->
$$
\frac{\partial s_i}{\partial z_j} = -s_i s_j
$$

## Same index

<!-- derive: case i = j -->
$$
\frac{\partial s_i}{\partial z_j} = s_i - s_i^2
$$
$$
= s_i (1 - s_i)
$$
"""


@pytest.fixture
def notes(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "notes.md"
    path.write_text(NOTES, encoding="utf-8")
    return path


@pytest.fixture
def decided(monkeypatch) -> list[str]:
    """The keys of the steps the workers decided (every fresh verdict is put in the memo)."""
    keys: list[str] = []
    put = StepMemo.put

    def counting(self, key, step, verdict):
        keys.append(key)
        put(self, key, step, verdict)

    monkeypatch.setattr(StepMemo, "put", counting)
    return keys


def saves(path: Path, *texts):
    """One batch of file events per text, written just before the loop asks for it (None:
    the file is deleted)."""
    for text in texts:
        if text is None:
            path.unlink()
        else:
            path.write_text(text, encoding="utf-8")
        yield {(2, str(path))}  # (watchfiles.Change.modified, path)


def run(path: Path, *texts):
    """Watch ``path`` through the saves; (what was printed after the first check, errors, watcher)."""
    out, err = io.StringIO(), io.StringIO()
    marks = []
    watcher = watch_loop([str(path)], saves(path, *texts), out, err, ready=lambda w: marks.append(out.tell()))
    return out.getvalue()[marks[0] :], err.getvalue(), watcher, out.getvalue()[: marks[0]]


def test_first_check_shows_every_step(notes, decided):
    after, err, watcher, first = run(notes)
    assert "∂s_i/∂z_j = −s_i s_j" in first and "= s_i(1 − s_i)" in first
    assert f"{notes}: 3 checked, 0 not read" in first and "0 failed or undecided" in first
    assert len(decided) == 3 and after == "" and err == ""
    assert watcher.status == {str(notes): 0}


def test_editing_one_step_rechecks_only_that_step(notes, decided):
    edited = NOTES.replace("= s_i (1 - s_i)", "= s_i - s_i s_i + 0")  # still true, but another step
    after, err, watcher, _ = run(notes, edited)
    assert len(decided) == 3 + 1  # three at first, then the edited step alone
    assert f"{notes}: 1 step edited; 1 of 3 steps re-checked in" in after
    assert "step 3 edited:" in after and "✓ proved for all K" in after
    # The steps that did not change are not shown again (nor checked: see decided).
    assert "−s_i s_j" not in after and "∂s_i/∂z_j" not in after and "step 1" not in after
    assert after.rstrip().endswith(f"{notes}: 3 checked, 0 not read, 0 skipped by a directive, "
                                   "0 not an equality, 0 failed or undecided")  # fmt: skip
    assert err == ""


def test_a_step_made_false_is_shown_failed_with_a_counterexample(notes, decided):
    after, err, watcher, _ = run(notes, NOTES.replace("= s_i (1 - s_i)", "= s_i (1 + s_i)"))
    assert "step 3 edited:" in after
    assert "✗ fails" in after and "counterexample: K = " in after
    assert "was ✓ proved for all K" in after
    assert "1 failed or undecided" in after.splitlines()[-1]
    assert watcher.status == {str(notes): 1}
    assert len(decided) == 4


def test_a_failed_step_is_remembered_too(notes, decided):
    wrong = NOTES.replace("= s_i (1 - s_i)", "= s_i (1 + s_i)")
    after, err, watcher, _ = run(notes, wrong, NOTES, wrong)
    # The false step was decided once; undoing and redoing the edit checks nothing again.
    assert len(decided) == 4
    assert after.count("0 of 3 steps re-checked") == 2
    assert after.count("counterexample:") == 2 and after.count("was ✗ fails") == 1


def test_a_save_that_changes_nothing_checkable_says_so_in_one_line(notes, decided):
    after, err, _, _ = run(
        notes, NOTES.replace("Some prose.", "Other prose."), NOTES.replace("Some prose.", "Other prose.")
    )
    lines = after.splitlines()
    assert lines == [
        f"{notes}: saved, nothing checkable changed (3 steps as before)",
        f"{notes}: saved unchanged, nothing to check",
    ]
    assert len(decided) == 3


def test_an_edit_that_reads_as_the_same_step_changes_nothing(notes, decided):
    after, err, _, _ = run(notes, NOTES.replace("-s_i s_j", "-s_j s_i"))  # the same product to SymPy
    assert after.splitlines() == [f"{notes}: saved, nothing checkable changed (3 steps as before)"]
    assert len(decided) == 3


def test_new_and_removed_steps(notes, decided):
    added = NOTES + "$$\n= s_i - s_i s_i\n$$\n"
    removed = NOTES.replace("$$\n\\frac{\\partial s_i}{\\partial z_j} = -s_i s_j\n$$\n", "")
    after, err, watcher, _ = run(notes, added, removed)
    assert "1 new step; 1 of 4 steps re-checked" in after and "step 4 new:" in after
    assert "2 steps removed" in after
    assert "step 1 removed: ∂s_i/∂z_j = −s_i s_j  (was ✓ proved for all K)" in after
    assert "step 4 removed: = s_i − s_i s_i" in after  # as written
    assert after.splitlines()[-1].startswith(f"{notes}: 2 checked")


def test_a_malformed_save_is_one_line_and_the_next_good_save_is_checked(notes, decided):
    broken = NOTES.replace("classes: K", "classes K")
    fixed = NOTES.replace("= s_i (1 - s_i)", "= s_i (1 + s_i)")
    after, err, watcher, _ = run(notes, broken, fixed)
    assert err.splitlines() == [f"derive: {notes}:5:1: header line 'classes K' (expected 'key: value')"]
    # Compared with the last good check: only the one step edited since is re-checked.
    assert "1 step edited; 1 of 3 steps re-checked" in after and "✗ fails" in after
    assert len(decided) == 4
    assert watcher.status == {str(notes): 1}


def test_a_deleted_file_is_one_line_and_watched_until_it_comes_back(notes, decided):
    after, err, watcher, _ = run(notes, None, NOTES)
    assert err.splitlines() == [f"derive: {notes}:1: cannot read (No such file or directory); still watching"]
    assert after.splitlines() == [
        f"{notes}: reads again; nothing checkable changed since its last check",
        f"{notes}: 3 checked, 0 not read, 0 skipped by a directive, 0 not an equality, 0 failed or undecided",
    ]
    assert watcher.status == {str(notes): 0}
    assert len(decided) == 3


def test_a_file_missing_at_first_is_checked_whole_when_it_appears(tmp_path, monkeypatch, decided):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "later.md"
    out, err = io.StringIO(), io.StringIO()
    watch_loop([str(path)], saves(path, NOTES), out, err)
    assert err.getvalue() == f"derive: {path}:1: cannot read (No such file or directory); still watching\n"
    assert "Softmax notes" in out.getvalue() and f"{path}: 3 checked" in out.getvalue()


def test_a_step_the_core_cannot_read_is_listed_not_fatal(notes, decided):
    after, err, watcher, _ = run(notes, NOTES + "$$\n= x\n$$\n")
    assert "1 more not read" in after and "not read" in after and "unknown symbol x" in after
    assert f"{notes}: 3 checked, 1 not read" in after.splitlines()[-1]
    assert len(decided) == 3 and err == ""


def _lines(stream, into: queue.Queue) -> None:
    for line in iter(stream.readline, ""):
        into.put(line)
    into.put(None)


def _wait_for(lines: queue.Queue, text: str, seconds: float, seen: list[str]) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        if line is None:
            return False
        seen.append(line)
        if text in line:
            return True
    return False


def test_the_command_rechecks_a_saved_file_and_ends_on_ctrl_c_with_130(notes):
    process = subprocess.Popen(
        [sys.executable, "-m", "derive", "watch", str(notes), "--time-limit", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        cwd=Path(__file__).resolve().parents[1],
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        assert _wait_for(lines, "watching 1 file for changes", 180, seen), "".join(seen)
        edited = NOTES.replace("= s_i (1 - s_i)", "= s_i (1 + s_i)")
        found = False
        for _ in range(12):  # the watcher may start a moment after it says so: save again until seen
            time.sleep(0.5)
            notes.write_text(edited, encoding="utf-8")
            if _wait_for(lines, "1 step edited", 10, seen):
                found = True
                break
        assert found, "".join(seen)
        assert _wait_for(lines, f"{notes}: 3 checked", 30, seen), "".join(seen)
        assert any("✗ fails" in line for line in seen)
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    stderr = process.stderr.read()
    assert code == 130, stderr
    assert "Traceback" not in stderr


def test_a_save_of_a_latex_document_rechecks_what_it_inputs(tmp_path, monkeypatch):
    # The README says: save the main file after editing an \input file. Its bytes are
    # unchanged, but what it includes is not: it is read again.
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "cache"))
    main = tmp_path / "main.tex"
    main.write_text("% derive\n% softmax: s of z\n\\input{part}\n", encoding="utf-8")
    part = tmp_path / "part.tex"
    part.write_text("\\[ s_i (1 - s_i) = s_i - s_i^2 \\]\n", encoding="utf-8")
    out = io.StringIO()

    def saves():
        part.write_text("\\[ s_i (1 - s_i) = s_i + s_i^2 \\]\n", encoding="utf-8")
        yield [str(main)]

    watcher = watch_loop([str(main)], saves(), out, out)
    assert watcher.status[str(main)] == 1, out.getvalue()
    assert "fails" in out.getvalue()


def test_watch_once_gives_the_exit_status_of_derive_check(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from derive.cli import cli

    monkeypatch.chdir(tmp_path)
    header = "<!-- derive\nsoftmax: s of z\n-->\n"
    (tmp_path / "fails.md").write_text(header + "$$ s_i = 2 s_i $$\n", encoding="utf-8")
    (tmp_path / "unread.md").write_text(header + "$$ s_i = \\frobnicate $$\n", encoding="utf-8")
    files = ["fails.md", "unread.md"]
    check = CliRunner().invoke(cli, ["check", *files])
    once = CliRunner().invoke(cli, ["watch", "--once", *files])
    assert check.exit_code == once.exit_code == 1  # a failed step outranks a block not read


@pytest.mark.parametrize("name", ["", "-", "."])
def test_watch_wants_files(name):
    from click.testing import CliRunner

    from derive.cli import cli

    result = CliRunner().invoke(cli, ["watch", "--once", name])
    assert result.exit_code == 2
    assert result.stderr.startswith("derive: ") and "expected a file to watch" in result.stderr


def test_watch_to_a_closed_pipe_is_141(notes):
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "derive", "watch", "--once", str(notes)],
            stdout=write,
            stderr=subprocess.PIPE,
            timeout=300,
        )
    finally:
        os.close(write)
    assert done.returncode == 141 and b"Traceback" not in done.stderr
