"""``derive cache info`` and ``derive cache clear``, and the cache's size cap.

The cache folder (:func:`derive.replay.cache_folder`) holds two kinds of entries, each one
small JSON file, and nothing else that derive wrote:

- ``runs/<64 hex>.json``: whole runs (derive.replay);
- ``verdicts/<16 hex: core version>/<2 hex>/<64 hex>.json``: verdicts (derive.core.cache);

and, beside them, ``derive-cap.json``: when the size was last measured and what it was.
Only files with exactly these names are ever counted or removed, so a folder that
``$DERIVE_CACHE_DIR`` points at and that other programs share loses nothing of theirs
(a write that was cut short may leave a ``tmpXXXXXXXX`` file inside ``runs/`` or a verdict
shard, or a ``derive-cap.XXXXXXXX`` beside them: those are derive's too).

The cap (:func:`keep_within_cap`, called after each run) bounds the space on disk the
entries take (their blocks, not only their bytes: a verdict of 300 bytes takes a 4 kB
block). It is ``$DERIVE_CACHE_MAX_MB`` megabytes (10^6 bytes; 0 means no cap), 100 MB when
that is unset or not a number. Over the cap, entries go least recently used first, those of
older core versions before any other, down to 90% of the cap, so that the next runs do not
prune again at once. Measuring the folder costs a directory walk, so it is done at most once
every :data:`CHECK_EVERY` seconds per folder; in between, a call costs one ``stat``.

"Used" is the later of an entry's modification and access times. A run's record is touched
when it is replayed (derive.replay.load). A verdict is not: the core reads it without
touching it, so its use shows only where the file system updates access times (Linux's
default, relatime, does at least once a day); elsewhere verdicts go oldest written first.

Nothing here imports SymPy, except ``derive cache info``, which asks the core for its
version to say which verdicts are the current core's.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
import time
from pathlib import Path

import click

from derive import replay
from derive.cli import DeriveError

__all__ = [
    "CHECK_EVERY",
    "DEFAULT_CAP_MB",
    "CapError",
    "Pruned",
    "cache_group",
    "cap_from_environment",
    "keep_within_cap",
]

DEFAULT_CAP_MB = 100
MB = 1_000_000
CHECK_EVERY = 60.0  # seconds between two measurements of one folder
LOW_WATER = 0.9  # a prune goes down to this fraction of the cap
STALE_TEMPORARY = 3600.0  # seconds: a tmp file this old is a write that was cut short, not one under way

_STAMP = "derive-cap.json"
_RUN = re.compile(r"[0-9a-f]{64}\.json")
_VERSION = re.compile(r"[0-9a-f]{16}")
_SHARD = re.compile(r"[0-9a-f]{2}")
_TEMPORARY = re.compile(r"tmp[a-z0-9_]{8}")  # tempfile.NamedTemporaryFile's names
_STAMP_TEMPORARY = re.compile(r"derive-cap\.[a-z0-9_]{8}")


class _Entry:
    """One file: its path, bytes, bytes on disk, and when it was last used (the later of its
    mtime and atime). Plain classes here, not dataclasses: this module is imported after
    every run, and each dataclass costs milliseconds to make."""

    __slots__ = ("path", "size", "usage", "used")

    def __init__(self, path: str, size: int, usage: int, used: float):
        self.path, self.size, self.usage, self.used = path, size, usage, used


class _Survey:
    """Derive's entries in one cache folder, as found by one walk."""

    def __init__(self):
        self.runs: list[_Entry] = []
        self.verdicts: dict[str, list[_Entry]] = {}  # core version -> its entries
        self.temporary: list[_Entry] = []  # writes cut short (or under way)
        self.stamp: list[_Entry] = []
        self.others = 0  # files and folders derive did not write, where it looked

    def entries(self) -> list[_Entry]:
        return [*self.runs, *(e for es in self.verdicts.values() for e in es), *self.temporary, *self.stamp]


def _entry(path: str, stat: os.stat_result) -> _Entry:
    usage = stat.st_blocks * 512 if hasattr(stat, "st_blocks") else stat.st_size
    return _Entry(path, stat.st_size, usage, max(stat.st_mtime, stat.st_atime))


def _listing(folder: str, top: bool = False) -> list[os.DirEntry]:
    """The folder's entries; a folder removed meanwhile (by another derive) is empty. The
    top folder's errors are the caller's to report."""
    try:
        with os.scandir(folder) as it:
            return list(it)
    except (FileNotFoundError, NotADirectoryError):
        if top and os.path.lexists(folder):
            raise  # the cache "folder" is a file: say so
        return []


def _file(item: os.DirEntry) -> _Entry | None:
    """A regular file's entry (never a link's); None for anything else, or if it is gone."""
    try:
        if not item.is_file(follow_symlinks=False):
            return None
        return _entry(item.path, item.stat(follow_symlinks=False))
    except FileNotFoundError:
        return None


def _folder(item: os.DirEntry) -> bool:
    try:
        return item.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _survey(folder: Path) -> _Survey:
    """Walk the cache folder, visiting only derive's own names. OSError for a top folder that
    cannot be read."""
    found = _Survey()
    for item in _listing(str(folder), top=True):
        if item.name == "runs" and _folder(item):
            for run in _listing(item.path):
                entry = _file(run)
                if entry is not None and _RUN.fullmatch(run.name):
                    found.runs.append(entry)
                elif entry is not None and _TEMPORARY.fullmatch(run.name):
                    found.temporary.append(entry)
                else:
                    found.others += 1
        elif item.name == "verdicts" and _folder(item):
            for version in _listing(item.path):
                if not (_VERSION.fullmatch(version.name) and _folder(version)):
                    found.others += 1
                    continue
                entries = found.verdicts.setdefault(version.name, [])
                for shard in _listing(version.path):
                    if not (_SHARD.fullmatch(shard.name) and _folder(shard)):
                        found.others += 1
                        continue
                    for verdict in _listing(shard.path):
                        entry = _file(verdict)
                        if entry is not None and _RUN.fullmatch(verdict.name) and verdict.name[:2] == shard.name:
                            entries.append(entry)
                        elif entry is not None and _TEMPORARY.fullmatch(verdict.name):
                            found.temporary.append(entry)
                        else:
                            found.others += 1
        elif item.name == _STAMP and (entry := _file(item)) is not None:
            found.stamp.append(entry)
        elif _STAMP_TEMPORARY.fullmatch(item.name) and (entry := _file(item)) is not None:
            found.temporary.append(entry)
        else:
            found.others += 1
    return found


def _current_version(found: _Survey, exact: bool = False) -> str | None:
    """The core version this derive writes verdicts under: asked of the core when it is
    already imported (or when ``exact``, which imports SymPy); otherwise the version whose
    verdicts were used last."""
    module = sys.modules.get("derive.core.cache")
    if module is None and exact:
        try:
            from derive.core import cache as module
        except Exception:  # a core that does not import has no verdicts to keep: guess as below
            module = None
    if module is not None:
        try:
            return module.core_version()
        except Exception:
            pass
    used = {version: max((e.used for e in entries), default=0.0) for version, entries in found.verdicts.items()}
    return max(used, key=used.__getitem__, default=None)


def _remove(path: str) -> bool:
    """True when the file is gone because of this call, False when it was gone already
    (another derive pruned it); OSError when it cannot be removed here."""
    try:
        os.unlink(path)
        return True
    except FileNotFoundError:
        return False


def _remove_empty_folders(folder: Path, versions) -> None:
    """Remove the verdict folders of these versions, their shards, and verdicts/ and runs/,
    when empty (a folder with anything else in it stays, with it)."""
    for version in versions:
        base = folder / "verdicts" / version
        for shard in _listing(str(base)):
            if _SHARD.fullmatch(shard.name):
                _rmdir(shard.path)
        _rmdir(str(base))


def _rmdir(path: str) -> None:
    try:
        os.rmdir(path)
    except OSError:
        pass  # not empty (a file written meanwhile, or someone else's), or gone already


# The cap.


class CapError(ValueError):
    """$DERIVE_CACHE_MAX_MB is not a number of megabytes."""


MAX_CAP_MB = 1e9  # a petabyte


def cap_from_environment() -> int:
    """The cap in bytes: ``$DERIVE_CACHE_MAX_MB`` megabytes (10^6 bytes; 0: no cap), else
    :data:`DEFAULT_CAP_MB`. CapError when it is set to anything but a number ≥ 0."""
    text = os.environ.get("DERIVE_CACHE_MAX_MB", "").strip()
    if not text:
        return DEFAULT_CAP_MB * MB
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise CapError(f"DERIVE_CACHE_MAX_MB must be a number of megabytes, 0 for no cap (got {text!r})")
    if value > MAX_CAP_MB:  # 1e303 megabytes is no byte count (int() of it overflowed)
        raise CapError(f"DERIVE_CACHE_MAX_MB must be at most {MAX_CAP_MB:g} megabytes, 0 for no cap (got {text!r})")
    return math.ceil(value * MB)  # a cap under one byte is one byte, not 0 (no cap)


class Pruned:
    """What one measurement found and what it removed: ``usage``, bytes on disk of derive's
    entries after pruning; ``removed``, entries removed; ``freed``, bytes on disk they took."""

    __slots__ = ("usage", "removed", "freed")

    def __init__(self, usage: int, removed: int = 0, freed: int = 0):
        self.usage, self.removed, self.freed = usage, removed, freed

    def __repr__(self) -> str:
        return f"Pruned(usage={self.usage}, removed={self.removed}, freed={self.freed})"


def keep_within_cap(folder=None, cap_bytes: int | None = None, *, force: bool = False) -> Pruned | None:
    """Remove the least recently used entries while the cache takes more than the cap.

    ``folder``: the cache folder (default :func:`derive.replay.cache_folder`); ``cap_bytes``:
    the cap (default :func:`cap_from_environment`, or 100 MB if that is not a number; 0 or
    less is no cap). The folder is measured at most once every :data:`CHECK_EVERY` seconds
    (``force`` measures now); None when it was not measured. Never raises for what it finds
    on disk: another derive pruning or clearing the same folder meanwhile, a folder that
    cannot be read or written, all cost at most a prune put off."""
    try:
        folder = Path(folder) if folder is not None else replay.cache_folder()
        if cap_bytes is None:
            try:
                cap_bytes = cap_from_environment()
            except CapError:
                cap_bytes = DEFAULT_CAP_MB * MB
        if cap_bytes <= 0:
            return None
        stamp = folder / _STAMP
        if not force:
            try:
                if 0 <= time.time() - stamp.stat().st_mtime < CHECK_EVERY:
                    return None
            except FileNotFoundError:
                if not folder.is_dir():
                    return None  # no cache yet, and none is made here
        return _prune(folder, cap_bytes)
    except OSError:
        return None


def _prune(folder: Path, cap_bytes: int) -> Pruned:
    found = _survey(folder)
    found.stamp = []  # rewritten below, never pruned
    usage = sum(e.usage for e in found.entries())
    result = Pruned(usage)
    if usage > cap_bytes:
        current = _current_version(found)
        now = time.time()
        # Older core versions first, the one used longest ago first, each least recently used first.
        stale = sorted(
            (version for version in found.verdicts if version != current),
            key=lambda version: max((e.used for e in found.verdicts[version]), default=0.0),
        )
        order = [e for e in found.temporary if now - e.used > STALE_TEMPORARY]
        order += [e for version in stale for e in sorted(found.verdicts[version], key=lambda e: e.used)]
        order += sorted([*found.runs, *found.verdicts.get(current, [])], key=lambda e: e.used)
        target = int(cap_bytes * LOW_WATER)
        for entry in order:
            if result.usage <= target:
                break
            try:
                gone = _remove(entry.path)
            except OSError:
                continue  # cannot be removed here (a read-only shared cache): the next one may
            result.usage -= entry.usage  # gone, by this call or another derive's
            if gone:
                result.removed += 1
                result.freed += entry.usage
        _remove_empty_folders(folder, stale)
    _write_stamp(folder, result)
    return result


def _write_stamp(folder: Path, result: Pruned) -> None:
    import tempfile

    # Written aside and renamed, like every entry, under a name of derive's (derive-cap.XXXXXXXX).
    try:
        handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, prefix="derive-cap.", delete=False)
    except OSError:
        return  # a cache that cannot be written is measured at every call: the price of a read-only cache
    try:
        with handle:
            json.dump({"measured": time.time(), "usage": result.usage}, handle)
        os.replace(handle.name, folder / _STAMP)
    except OSError:
        try:
            os.unlink(handle.name)
        except OSError:
            pass


# The commands.


def _size(n: int) -> str:
    if n < 1000:
        return f"{n} bytes"
    for unit in ("kB", "MB", "GB", "TB"):
        n /= 1000
        if n < 999.95 or unit == "TB":
            return f"{n:.1f} {unit}"
    raise AssertionError("unreachable")


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _sizes(entries: list[_Entry]) -> str:
    size = sum(e.size for e in entries)
    usage = sum(e.usage for e in entries)
    return f"{_size(size)} ({_size(usage)} on disk)"


def _surveyed(folder: Path) -> _Survey:
    try:
        return _survey(folder)
    except OSError as error:
        raise DeriveError(f"{folder}: cannot read the cache folder ({error.strerror or error})") from None


@click.group("cache", invoke_without_command=True)
@click.pass_context
def cache_group(ctx: click.Context) -> None:
    """Show or empty derive's cache of verdicts and runs.

    \b
    The folder: $DERIVE_CACHE_DIR, else the user's cache folder (~/.cache/derive on Linux).
    The cap: $DERIVE_CACHE_MAX_MB megabytes on disk (default 100; 0: no cap); over it, the
    least recently used entries are removed after a run, older core versions' verdicts first.
    """
    if ctx.invoked_subcommand is None:  # `derive cache`: its help, and success, as `derive` alone
        click.echo(ctx.get_help())
        ctx.exit(0)


@cache_group.command("info")
def info() -> None:
    """Where the cache is, what it holds, and its size cap."""
    folder = replay.cache_folder()
    try:
        cap = cap_from_environment()
    except CapError as error:
        raise DeriveError(str(error)) from None
    found = _surveyed(folder)
    current = _current_version(found, exact=True)
    now = found.verdicts.get(current, [])
    older = {version: entries for version, entries in found.verdicts.items() if version != current}
    old = [e for entries in older.values() for e in entries]
    total = [e for e in found.entries() if e not in found.stamp]  # the stamp: one small file, derive's own
    rows = [
        ("folder", str(folder) + ("" if os.path.isdir(folder) else " (not made yet)")),
        ("runs", f"{_count(len(found.runs), 'entry', 'entries')}, {_sizes(found.runs)}"),
        ("verdicts", f"{_count(len(now), 'entry', 'entries')}, {_sizes(now)}, for this core ({current or 'none yet'})"),
        ("older cores", f"{_count(len(old), 'entry', 'entries')}, {_sizes(old)}, for {_count(len(older), 'version')}"),
    ]
    if found.temporary:
        rows.append(("unfinished", f"{_count(len(found.temporary), 'file')}, {_sizes(found.temporary)}"))
    source = "$DERIVE_CACHE_MAX_MB" if os.environ.get("DERIVE_CACHE_MAX_MB", "").strip() else "default"
    limit = "none" if cap <= 0 else f"{_size(cap)} on disk ({source})"
    rows += [("total", _sizes(total)), ("cap", limit)]
    if found.others:
        rows.append(("not derive's", f"{_count(found.others, 'file or folder', 'files or folders')}, left alone"))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        click.echo(f"{name.ljust(width)}  {value}")


@cache_group.command("clear")
def clear() -> None:
    """Remove every entry derive wrote in the cache (runs and verdicts), and nothing else."""
    folder = replay.cache_folder()
    found = _surveyed(folder)
    removed: dict[str, list[_Entry]] = {"runs": [], "verdicts": [], "other": []}
    failures: list[OSError] = []
    groups = [
        ("runs", found.runs),
        *(("verdicts", es) for es in found.verdicts.values()),
        ("other", [*found.temporary, *found.stamp]),
    ]
    for kind, entries in groups:
        for entry in entries:
            try:
                if _remove(entry.path):
                    removed[kind].append(entry)
            except OSError as error:
                failures.append(error)
    _remove_empty_folders(folder, found.verdicts)
    for name in ("verdicts", "runs"):
        _rmdir(str(folder / name))
    gone = [e for entries in removed.values() for e in entries]
    if gone:
        versions = _count(len(found.verdicts), "core version")
        click.echo(
            f"removed {_count(len(removed['runs']), 'run')} and {_count(len(removed['verdicts']), 'verdict')}"
            f" ({versions}), {_sizes(gone)}, from {folder}"
        )
    else:
        click.echo(f"nothing to remove in {folder}")
    if found.others:
        click.echo(f"left {_count(found.others, 'file or folder', 'files or folders')} that derive did not write")
    if failures:
        first = failures[0]
        raise DeriveError(
            f"{folder}: could not remove {_count(len(failures), 'file')} ({first.strerror or first}: {first.filename})"
        )
