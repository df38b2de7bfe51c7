"""derive cache info / clear, the size cap, and where the cache folder is: the numbers info
prints, clear removing derive's entries and nothing else, the cap pruning the least recently
used first (older core versions before any), the folder platformdirs gives, and errors as
one line with exit status 2. Every cache here is a tmp folder (conftest sets
DERIVE_CACHE_DIR for each test)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import platformdirs
import pytest
from click.testing import CliRunner

from derive import cache_admin, replay
from derive.cli import cli

ROOT = Path(__file__).resolve().parents[1]
OLD = "0123456789abcdef"  # a core version that is not this one
OLDER = "fedcba9876543210"

PROBE = r"""# One step and one display that does not read

<!-- derive
softmax: s of z
-->

<!-- derive: case i \neq j -->
$$
\frac{\partial s_i}{\partial z_j} = -s_i s_j
$$

$$
\frac{\partial s_i}{\partial z_j} = \foo{bar}
$$
"""


def _current() -> str:
    from derive.core.cache import core_version

    return core_version()


def _key(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def _folder() -> Path:
    return Path(os.environ["DERIVE_CACHE_DIR"])


def _put(path: Path, size: int, age: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    if age is not None:
        when = time.time() - age
        os.utime(path, (when, when))
    return path


def _run(folder: Path, name: str, size: int = 1000, age: float | None = None) -> Path:
    return _put(folder / "runs" / f"{_key(name)}.json", size, age)


def _verdict(folder: Path, version: str, name: str, size: int = 500, age: float | None = None) -> Path:
    key = _key(name)
    return _put(folder / "verdicts" / version / key[:2] / f"{key}.json", size, age)


def _usage(path: Path) -> int:
    stat = path.stat()
    return stat.st_blocks * 512 if hasattr(stat, "st_blocks") else stat.st_size


def _rows(output: str) -> dict[str, str]:
    rows = {}
    for line in output.splitlines():
        name, _, value = line.partition("  ")
        rows[name.strip()] = value.strip()
    return rows


def _one_line_error(result, *words: str) -> str:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("derive: ")
    for word in words:
        assert word in line, line
    return line


# derive cache info


def test_info_on_an_empty_cache_counts_nothing_and_says_the_folder_and_the_cap(monkeypatch):
    monkeypatch.delenv("DERIVE_CACHE_MAX_MB", raising=False)
    result = CliRunner().invoke(cli, ["cache", "info"])
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert rows["folder"] == str(_folder())
    assert rows["runs"] == "0 entries, 0 bytes (0 bytes on disk)"
    assert rows["verdicts"].startswith("0 entries, 0 bytes (0 bytes on disk), for this core")
    assert rows["older cores"] == "0 entries, 0 bytes (0 bytes on disk), for 0 versions"
    assert rows["total"] == "0 bytes (0 bytes on disk)"
    assert rows["cap"] == "100.0 MB on disk (default)"
    assert "not derive's" not in rows


def test_info_on_a_folder_not_made_yet_says_so_and_makes_none(monkeypatch, tmp_path):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "later"))
    result = CliRunner().invoke(cli, ["cache", "info"])
    assert result.exit_code == 0, result.output
    assert _rows(result.output)["folder"] == f"{tmp_path / 'later'} (not made yet)"
    assert not (tmp_path / "later").exists()


def test_info_counts_runs_this_cores_verdicts_and_older_ones_apart(monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_MAX_MB", "2.5")
    folder = _folder()
    current = _current()
    runs = [_run(folder, f"r{n}", 1000) for n in range(2)]
    verdicts = [_verdict(folder, current, f"v{n}", 500) for n in range(3)]
    older = [_verdict(folder, version, f"o{n}{version}", 250) for n in range(2) for version in (OLD, OLDER)]
    (folder / "someone-elses.txt").write_text("keep me")
    result = CliRunner().invoke(cli, ["cache", "info"])
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    disk = cache_admin._size
    assert rows["runs"] == f"2 entries, 2.0 kB ({disk(sum(map(_usage, runs)))} on disk)"
    assert (
        rows["verdicts"] == f"3 entries, 1.5 kB ({disk(sum(map(_usage, verdicts)))} on disk), for this core ({current})"
    )
    assert rows["older cores"] == f"4 entries, 1.0 kB ({disk(sum(map(_usage, older)))} on disk), for 2 versions"
    assert rows["total"].startswith("4.5 kB (")
    assert rows["cap"] == "2.5 MB on disk ($DERIVE_CACHE_MAX_MB)"
    assert rows["not derive's"] == "1 file or folder, left alone"


def test_info_after_real_runs_counts_what_they_wrote():
    runner = CliRunner()
    assert runner.invoke(cli, ["mse-grad"]).exit_code == 0
    assert runner.invoke(cli, ["mse-grad", "--format", "json"]).exit_code == 0
    written = list((_folder() / "verdicts" / _current()).rglob("*.json"))
    assert written  # the steps that held
    rows = _rows(runner.invoke(cli, ["cache", "info"]).output)
    assert rows["runs"].startswith("2 entries, ")
    assert rows["verdicts"].startswith(f"{len(written)} entr")
    assert rows["older cores"].startswith("0 entries")


def test_cap_zero_is_no_cap_and_a_cap_that_is_not_a_number_is_an_error(monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_MAX_MB", "0")
    assert cache_admin.cap_from_environment() == 0
    assert _rows(CliRunner().invoke(cli, ["cache", "info"]).output)["cap"] == "none"
    _run(_folder(), "r", 5000)
    assert cache_admin.keep_within_cap(force=True) is None
    assert len(list((_folder() / "runs").iterdir())) == 1
    for wrong in ("lots", "-1", "nan", "inf", "1e303", "1e10"):
        monkeypatch.setenv("DERIVE_CACHE_MAX_MB", wrong)
        with pytest.raises(cache_admin.CapError):
            cache_admin.cap_from_environment()
        result = CliRunner().invoke(cli, ["cache", "info"])
        _one_line_error(result, "DERIVE_CACHE_MAX_MB", repr(wrong))
        # After a run it is not an error (the run's verdict is what counts): the default cap.
        assert cache_admin.keep_within_cap(force=True).removed == 0
    monkeypatch.setenv("DERIVE_CACHE_MAX_MB", "1e-7")  # a tenth of a byte: a cap of one byte, not none
    assert cache_admin.cap_from_environment() == 1


def test_a_cap_too_large_to_count_does_not_hide_a_runs_exit_status(monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_MAX_MB", "1e303")  # int() of it overflowed: exit 3
    assert CliRunner().invoke(cli, ["mse-grad"]).exit_code == 0


# derive cache clear


def test_clear_removes_derives_entries_and_nothing_else():
    folder = _folder()
    derives = [
        _run(folder, "a"),
        _run(folder, "b"),
        _verdict(folder, _current(), "c"),
        _verdict(folder, OLD, "d"),
        _verdict(folder, OLD, "e"),
        _put(folder / "runs" / "tmpab_c1234", 10),  # a write cut short
    ]
    foreign = {
        folder / "notes.txt": "mine",
        folder / "runs" / "README": "mine too",
        folder / "runs" / f"{_key('x').upper()}.json": "not derive's name",
        folder / "verdicts" / "index.json": "{}",
        folder / "verdicts" / OLD / "zz" / f"{_key('y')}.json": "not a shard",
        folder / "verdicts" / OLD / "ab" / f"{_key('z')}.json": "in the wrong shard",
        folder / "verdicts" / "not-a-version" / "ab" / "x.json": "{}",
        folder / "other-tool" / "runs" / f"{_key('w')}.json": "another program's",
    }
    for path, text in foreign.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    outside = folder.parent / "outside.txt"
    outside.write_text("linked to")
    link = folder / "runs" / f"{_key('link')}.json"
    link.symlink_to(outside)

    result = CliRunner().invoke(cli, ["cache", "clear"])
    assert result.exit_code == 0, result.output
    assert not any(path.exists() for path in derives)
    assert {path: path.read_text() for path in foreign} == foreign
    assert link.is_symlink() and outside.read_text() == "linked to"
    assert not (folder / "verdicts" / _current()).exists()  # emptied, so removed
    assert (folder / "verdicts" / OLD).is_dir()  # holds someone else's files
    lines = result.output.splitlines()
    assert lines[0].startswith("removed 2 runs and 3 verdicts (2 core versions), 3.5 kB (")
    assert lines[0].endswith(f"on disk), from {folder}")
    # notes.txt, other-tool/; runs/: README, the upper-case name, the link; verdicts/: index.json,
    # not-a-version/; verdicts/OLD: zz/, the file in the wrong shard.
    assert lines[1] == "left 9 files or folders that derive did not write"


def test_clear_after_real_runs_empties_the_cache_and_the_next_run_checks_again():
    runner = CliRunner()
    assert runner.invoke(cli, ["mse-grad"]).exit_code == 0
    assert "(cached)" in runner.invoke(cli, ["mse-grad"]).output
    result = runner.invoke(cli, ["cache", "clear"])
    assert result.exit_code == 0 and result.output.startswith("removed 1 run and ")
    assert not any(path.is_file() for path in _folder().rglob("*"))
    again = runner.invoke(cli, ["mse-grad"])
    assert again.exit_code == 0 and "(cached)" not in again.output
    assert runner.invoke(cli, ["cache", "clear"]).output.startswith("removed 1 run and ")
    assert runner.invoke(cli, ["cache", "clear"]).output == f"nothing to remove in {_folder()}\n"


# The cap


def test_the_cap_prunes_older_core_versions_first_then_the_least_recently_used():
    folder = _folder()
    current = _current()
    # Older core versions' verdicts, used more recently than anything else: still pruned first.
    old = [_verdict(folder, OLD, f"old{n}", age=10 + n) for n in range(3)]
    # This core's verdicts and runs, least recently used first.
    mine = [
        _run(folder, "r0", age=8000),
        _verdict(folder, current, "v0", age=7000),
        _run(folder, "r1", age=6000),
        _verdict(folder, current, "v1", age=5000),
        _run(folder, "r2", age=4000),
        _verdict(folder, current, "v2", age=3000),
        _run(folder, "r3", age=2000),
        _verdict(folder, current, "v3", age=1000),
    ]
    unit = _usage(mine[0])
    assert all(_usage(path) == unit for path in old + mine)
    # Down to 90% of the cap: 6.5 units, so 5 of the 11 entries go.
    cap = int(6.5 * unit / cache_admin.LOW_WATER)
    pruned = cache_admin.keep_within_cap(folder, cap, force=True)
    assert (pruned.removed, pruned.freed, pruned.usage) == (5, 5 * unit, 6 * unit)
    assert not (folder / "verdicts" / OLD).exists()
    assert [path.exists() for path in mine] == [False, False, True, True, True, True, True, True]


def test_a_record_replayed_is_kept_before_a_newer_one_that_was_not():
    folder = _folder()
    replay.store(_key("used"), replay.Record(verdicts=[("holds", 3, "proved")], text="used\n"))
    replay.store(_key("unused"), replay.Record(verdicts=[("holds", 3, "proved")], text="unused\n"))
    used, unused = (folder / "runs" / f"{_key(name)}.json" for name in ("used", "unused"))
    os.utime(used, (time.time() - 9000,) * 2)
    os.utime(unused, (time.time() - 5000,) * 2)
    assert replay.load(_key("used"))["text"] == "used\n"
    assert time.time() - used.stat().st_mtime < 60  # replaying it touched it
    pruned = cache_admin.keep_within_cap(folder, int(_usage(used) * 1.5 / cache_admin.LOW_WATER), force=True)
    assert pruned.removed == 1
    assert used.exists() and not unused.exists()


def test_under_the_cap_nothing_goes_and_the_folder_is_measured_at_most_once_a_while(monkeypatch):
    folder = _folder()
    paths = [_run(folder, f"r{n}") for n in range(3)]
    real = cache_admin._survey
    first = cache_admin.keep_within_cap()
    assert (first.removed, first.usage) == (0, sum(map(_usage, paths)))
    assert all(path.exists() for path in paths)

    def walk(*args):
        raise AssertionError("measured again")

    monkeypatch.setattr(cache_admin, "_survey", walk)
    assert cache_admin.keep_within_cap(cap_bytes=1) is None  # measured a moment ago: not again yet
    assert all(path.exists() for path in paths)
    stamp = folder / "derive-cap.json"
    os.utime(stamp, (time.time() - cache_admin.CHECK_EVERY - 1,) * 2)
    with pytest.raises(AssertionError, match="measured again"):
        cache_admin.keep_within_cap(cap_bytes=1)  # a while later: measured again
    monkeypatch.setattr(cache_admin, "_survey", real)
    assert cache_admin.keep_within_cap(cap_bytes=1).removed == 3


def test_no_folder_no_measurement_and_none_is_made(monkeypatch, tmp_path):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "none"))
    assert cache_admin.keep_within_cap() is None
    assert not (tmp_path / "none").exists()


def test_entries_pruned_meanwhile_by_another_derive_are_no_error(monkeypatch):
    folder = _folder()
    paths = [_run(folder, f"r{n}", age=100 - n) for n in range(4)] + [_verdict(folder, OLD, "v")]
    real = cache_admin._survey

    def then_someone_else_clears(where):
        found = real(where)
        for path in paths:
            path.unlink()
        (folder / "verdicts" / OLD / _key("v")[:2]).rmdir()
        return found

    monkeypatch.setattr(cache_admin, "_survey", then_someone_else_clears)
    # OLD is an older core's: this core's version is known only once derive.core is imported
    # (otherwise the most recently used folder is taken for it), so say which it is.
    monkeypatch.setattr(cache_admin, "_current_version", lambda found: "fedcba9876543210")
    pruned = cache_admin.keep_within_cap(folder, 1, force=True)
    assert pruned.removed == 0 and pruned.usage <= 0
    assert not (folder / "verdicts" / OLD).exists()


def test_pruning_while_runs_are_stored_and_replayed_does_not_crash():
    failures = []
    stop = threading.Event()

    def prune():
        try:
            while not stop.is_set():
                cache_admin.keep_within_cap(cap_bytes=1, force=True)
        except BaseException as error:  # noqa: BLE001 - any is a failure of the test
            failures.append(error)

    pruner = threading.Thread(target=prune)
    pruner.start()
    try:
        hits = 0
        for n in range(300):
            record = replay.Record(verdicts=[("holds", 3, "proved")], text=f"{n}\n")
            replay.store(_key(str(n)), record)
            back = replay.load(_key(str(n)))
            assert back is None or back["text"] == f"{n}\n"
            hits += back is not None
    finally:
        stop.set()
        pruner.join()
    assert not failures
    assert hits > 0  # the store/load side did run


# Where the cache is


def test_the_default_folder_is_platformdirs_and_follows_xdg_cache_home(monkeypatch, tmp_path):
    monkeypatch.delenv("DERIVE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert replay.cache_folder() == Path(platformdirs.user_cache_dir("derive"))
    if sys.platform.startswith("linux"):
        assert replay.cache_folder() == tmp_path / "xdg" / "derive"
        monkeypatch.delenv("XDG_CACHE_HOME")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert replay.cache_folder() == tmp_path / "home" / ".cache" / "derive"
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    result = CliRunner().invoke(cli, ["cache", "info"])
    assert result.exit_code == 0
    assert _rows(result.output)["folder"].startswith(str(replay.cache_folder()))


def test_derive_cache_dir_wins_over_xdg_cache_home(monkeypatch, tmp_path):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "mine"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert replay.cache_folder() == tmp_path / "mine"


def test_the_replay_and_the_cap_import_no_sympy(tmp_path):
    code = (
        "import sys; from derive import cache_admin, replay; replay.cache_folder();"
        "cache_admin.keep_within_cap(); print(sorted(m for m in sys.modules if m.split('.')[0] == 'sympy'))"
    )
    env = {**os.environ, "DERIVE_CACHE_DIR": str(tmp_path)}
    (tmp_path / "runs").mkdir()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert (tmp_path / "derive-cap.json").is_file()  # it did measure


# Errors: one line, exit 2


def test_a_cache_folder_that_is_a_file_is_one_line_and_exit_2(monkeypatch, tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(not_a_folder))
    for command in ("info", "clear"):
        result = CliRunner().invoke(cli, ["cache", command])
        _one_line_error(result, str(not_a_folder), "cannot read the cache folder")
    assert not_a_folder.read_text() == "x"
    assert cache_admin.keep_within_cap(force=True) is None  # after a run: no error at all


def test_a_folder_that_cannot_be_read_is_one_line_and_exit_2(monkeypatch):
    def refused(path):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(cache_admin.os, "scandir", refused)
    for command in ("info", "clear"):
        result = CliRunner().invoke(cli, ["cache", command])
        _one_line_error(result, "cannot read the cache folder (Permission denied)")


def test_entries_that_cannot_be_removed_are_one_line_and_exit_2_and_the_rest_go(monkeypatch):
    folder = _folder()
    stuck = _run(folder, "stuck")
    others = [_run(folder, "a"), _verdict(folder, _current(), "b")]
    real = os.unlink

    def unlink(path, *args, **kwargs):
        if Path(path) == stuck:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(cache_admin.os, "unlink", unlink)
    result = CliRunner().invoke(cli, ["cache", "clear"])
    line = _one_line_error(result, "could not remove 1 file", "Permission denied", str(stuck))
    assert line.startswith(f"derive: {folder}: ")
    assert result.stdout.startswith("removed 1 run and 1 verdict")
    assert stuck.exists() and not any(path.exists() for path in others)
    # The cap skips what it cannot remove and goes on, without an error.
    pruned = cache_admin.keep_within_cap(folder, 1, force=True)
    assert pruned.removed == 0 and stuck.exists()


# A replayed run keeps what it was not able to read


def test_a_replayed_run_with_a_display_not_read_still_exits_2(tmp_path):
    notes = tmp_path / "probe.md"
    notes.write_text(PROBE, encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(cli, ["check", str(notes), "--format", "json"])
    second = runner.invoke(cli, ["check", str(notes), "--format", "json"])
    assert first.exit_code == 2, first.output
    assert list((_folder() / "runs").glob("*.json"))  # kept: every step held
    assert second.exit_code == 2, second.output
    assert all(step["cached"] for step in json.loads(second.stdout)["steps"])  # it was a replay
