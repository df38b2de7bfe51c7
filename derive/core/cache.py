"""Verdicts kept on disk, so that a step checked once is not checked again.

A verdict is stored under a key made of the core's version (a hash of the source of every
module of derive.core: any change to the kernel invalidates everything) and the step as the
core reads it: both sides, every hypothesis it cites or stands on, its notation and the
reach of the exact witness, each written with ``sympy.srepr`` so that two steps that print
alike but differ (an index with other assumptions, another count) never share a key.

Only steps that hold are stored. A failed step is checked afresh on every run, with a fresh
counterexample, and so is an undecided one (more time might decide it). Entries are plain
JSON of strings and numbers, never pickles, and an entry that does not read back exactly as
written is a miss, not an error. A verdict read from here carries ``cached=True`` and the
views say so.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
import tempfile
from functools import cache
from pathlib import Path

import sympy as sp

from .verdict import _CORE, Status, Step, Strength, Verdict

__all__ = ["VerdictCache", "core_version"]

_FORMAT = 1  # the layout of an entry; part of every key


@cache
def core_version() -> str:
    """A hash of the kernel's own source (every module of this package) and of the versions
    of what it computes with: a SymPy that simplifies differently may decide differently."""
    import mpmath

    versions = f"python {sys.version}; sympy {sp.__version__}; mpmath {mpmath.__version__}"
    return hashlib.sha256(f"{source_hash(Path(__file__).parent)}; {versions}".encode()).hexdigest()[:16]


def source_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _written(thing) -> str:
    """An exact, canonical text of a step's parts, for hashing only (never read back)."""
    if isinstance(thing, sp.Basic):
        return sp.srepr(thing)
    if isinstance(thing, (tuple, list)):
        return "(" + ", ".join(_written(t) for t in thing) + ")"
    if dataclasses.is_dataclass(thing) and not isinstance(thing, type):
        fields = (f"{f.name}={_written(getattr(thing, f.name))}" for f in dataclasses.fields(thing))
        return f"{type(thing).__name__}({', '.join(fields)})"
    return repr(thing)


class VerdictCache:
    """A folder of verdicts, one small JSON file each.

    ``remember``: keep the text of every expression keyed, by the expression's identity, for a
    process that keys the same expressions again and again (derive watch re-reads a file on
    every save and gets the very same objects for unchanged displays). The identity is checked
    on every use and the expression is kept alive with its text, so a text never answers for
    another object, not even an equal one (``srepr`` tells apart what ``==`` may not)."""

    def __init__(self, folder: str | os.PathLike, remember: bool = False):
        self.folder = Path(folder) / "verdicts" / core_version()
        self._texts: dict[int, tuple[object, str]] | None = {} if remember else None

    def _text(self, thing) -> str:
        if self._texts is None or not isinstance(thing, sp.Basic):
            return _written(thing)
        kept = self._texts.get(id(thing))
        if kept is None or kept[0] is not thing:
            kept = self._texts[id(thing)] = (thing, _written(thing))
        return kept[1]

    def key(self, step: Step, notation, exact_classes: int, exact_examples: int) -> str:
        text = "\n".join(
            [
                f"format {_FORMAT}",
                f"core {core_version()}",
                self._text(step.previous),
                self._text(step.next),
                _written(step.all_cited),
                _written(notation),
                f"guards {self._text(sp.Tuple(*step.guards))}",
                f"reach {exact_classes} {exact_examples}",
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str, step: Step) -> Verdict | None:
        path = self._path(key)
        try:
            verdict = _verdict_from(json.loads(path.read_text(encoding="utf-8")), step)
        except Exception:  # anything that does not read back as written (even absurdly nested JSON) is a miss
            return None
        try:
            os.utime(path)  # used now: the cache's size cap removes the least recently used first
        except OSError:
            pass  # removed meanwhile, or a cache that cannot be written: the verdict was read all the same
        return verdict

    def put(self, key: str, step: Step, verdict: Verdict) -> None:
        if verdict.status is not Status.HOLDS or verdict.cached:
            return
        cited = step.all_cited
        entry = {
            "strength": verdict.strength.value,
            "scope": verdict.scope,
            "checked_up_to": verdict.checked_up_to,
            "examples_up_to": verdict.examples_up_to,
            "cited": len(cited),
            "needed": [cited.index(h) for h in verdict.needed],
            "witnesses": [list(w) for w in verdict.witnesses],
            "seconds": verdict.seconds,
        }
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written aside and renamed: a reader never sees half an entry, even with two runs at once.
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as handle:
                json.dump(entry, handle)
            os.replace(handle.name, path)
        except OSError:
            pass  # a cache that cannot be written only costs time


def _verdict_from(entry: dict, step: Step) -> Verdict:
    cited = step.all_cited
    if entry["cited"] != len(cited):
        raise ValueError("the entry was made for other hypotheses")
    strength = Strength(entry["strength"])

    def optional_int(value):
        if value is not None and not isinstance(value, int):
            raise TypeError("not a count")
        return value

    needed = []
    for n in entry["needed"]:
        if not (isinstance(n, int) and 0 <= n < len(cited)):
            raise ValueError(f"not a hypothesis number: {n!r}")
        needed.append(cited[n])
    witnesses = tuple((str(name), str(finding)) for name, finding in entry["witnesses"])
    return Verdict(
        Status.HOLDS,
        strength,
        str(entry["scope"]),
        optional_int(entry["checked_up_to"]),
        optional_int(entry["examples_up_to"]),
        cited,
        tuple(needed),
        None,
        None,
        witnesses,
        "",
        float(entry["seconds"]),
        cached=True,
        _seal=_CORE,
    )
