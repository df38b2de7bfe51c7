"""Whole runs kept on disk, so that running derive again on what it has already checked
prints the same result at once, without importing SymPy.

This is a cache of *output*, not a place where anything is decided: the core's verdicts
were decided (or read from the core's own verdict cache) by an earlier run, which stored
what it printed, with every verdict already marked as cached. The key is everything that
could change that output: a hash of derive's own source (the core, the reader, the views,
the built-ins), the input (a built-in's name, or a file's path and bytes), and every option
given. Records are JSON strings and numbers; one that does not read back as written is a
miss.

Nothing here imports SymPy: that is the point of it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path

__all__ = ["Record", "cache_folder", "load", "run_key", "store"]

_FORMAT = 1


def cache_folder() -> Path:
    """``$DERIVE_CACHE_DIR`` when it is set; else the user's cache folder as platformdirs
    gives it for ``derive``: ``$XDG_CACHE_HOME/derive`` or ``~/.cache/derive`` on Linux,
    ``~/Library/Caches/derive`` on macOS, ``%LOCALAPPDATA%\\derive\\derive\\Cache`` on Windows."""
    if os.environ.get("DERIVE_CACHE_DIR"):
        return Path(os.environ["DERIVE_CACHE_DIR"])
    import platformdirs  # here, not above: importing this module stays as light as it can be

    folder = Path(platformdirs.user_cache_dir("derive"))
    if not folder.is_absolute():  # no home folder to be found ("~" left as it is): a cache per machine, then
        folder = Path(tempfile.gettempdir()) / "derive"
    return folder


@cache
def _source_version() -> str:
    """A hash of every module of derive and of the built-in derivations."""
    digest = hashlib.sha256(sys.version.encode())
    # What derive computes and prints with: their versions, read without importing them.
    for package in ("sympy", "mpmath", "lark", "nbformat", "click", "rich"):
        try:
            digest.update(f"{package} {metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} absent".encode())
    # The package's folder holds the built-ins too (derive/proofs, the repository's proofs/).
    package = Path(__file__).parent
    found = (Path(folder, name) for folder, _, names in os.walk(package, followlinks=True) for name in names)
    for path in sorted(path for path in found if path.suffix == ".py"):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def run_key(*parts: object) -> str:
    """The key of one run: derive's source, then the input and options, in order."""
    text = json.dumps([_FORMAT, _source_version(), *[repr(p) for p in parts]])
    return hashlib.sha256(text.encode()).hexdigest()


class Record(dict):
    """What a run printed and what its exit status is made from.

    ``lines``: the terminal view, one line each as its text, its styled spans
    ``[start, end, style]`` and the line's own style (the terminal wraps them at replay, as it would have); or ``text``: an export, exactly. ``verdicts``: for each step,
    its status, the rank of its strength (3 proved, 2 exact, 1 numeric, 0 none) and its
    label, from which ``--require`` is judged again."""


def load(key: str) -> Record | None:
    path = cache_folder() / "runs" / f"{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        verdicts = [(str(status), int(rank), str(label)) for status, rank, label in data["verdicts"]]
        record = Record(verdicts=verdicts, unread=int(data.get("unread", 0)))
        if "lines" in data:
            record["lines"] = [_line(line) for line in data["lines"]]
        else:
            record["text"] = str(data["text"])
    except Exception:  # anything that does not read back as written (even absurdly nested JSON) is a miss
        return None
    try:
        # Used now: the size cap (derive.cache_admin) prunes the least recently used first.
        os.utime(path)
    except OSError:
        pass  # pruned meanwhile, or a cache that cannot be written: the record was read all the same
    return record


def _line(line: list) -> list:
    """A line of the terminal view as it was stored: its text and spans, and its own style
    when the record has one (the key holds derive's source, so a record is only ever read by
    the derive that wrote it, whichever of the two it writes)."""
    text, spans, *style = line
    if len(style) > 1:
        raise ValueError("not a line")
    read = [str(text), [[int(a), int(b), str(name)] for a, b, name in spans]]
    return [*read, str(style[0])] if style else read


def store(key: str, record: Record) -> None:
    folder = cache_folder() / "runs"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so that a reader never sees half a record.
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False) as handle:
            json.dump(record, handle, ensure_ascii=False)
        os.replace(handle.name, folder / f"{key}.json")
    except OSError:
        pass  # a cache that cannot be written only costs time
