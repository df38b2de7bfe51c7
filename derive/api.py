"""derive from Python: check a derivation written as text or in a file, and get its verdicts.

.. code-block:: python

    import derive

    result = derive.check_text(open("notes.md").read())   # or derive.check_file("notes.md")
    print(result)              # the terminal view, as plain text
    result.exit_status         # 0, 1 or 2, as `derive check` would exit
    result.steps               # the core's verdicts, one per step
    result                     # in a notebook: the Markdown export, rendered

It does what ``derive check`` does (the same reader, the same core, the same verdict
cache), without the command line: bad input raises :class:`DeriveInputError`, one line
naming the place. Importing this module is light; SymPy is imported by the first check.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# The command's own wording of what was skipped, counted and said in one line: one text for both.
from derive.cli import _SKIP_LABELS, _counts, _one_line

__all__ = ["DeriveInputError", "Result", "check_file", "check_text"]

INPUT_FORMATS = ("md", "tex", "ipynb")
_STRENGTHS = ("proved", "exact", "numeric")  # the values of core.Strength a requirement names, strongest first


class DeriveInputError(ValueError):
    """Input derive cannot read (a malformed header or notebook, an empty or binary file, an
    unknown directive, a step the core refuses): one line, ``PLACE: what is wrong``."""

    def __init__(self, message: str, place: str | None = None):
        super().__init__(message)
        self.place = place  # "notes.md:3:1", when the error says where


@dataclass(frozen=True)
class Result:
    """A checked derivation (``checked``, the core's sealed value) and what the reader left
    unchecked (``skipped``: not read, skipped by a directive, not an equality, prose), for the
    text called ``source``."""

    checked: object  # derive.core.CheckedDerivation
    skipped: tuple = ()  # derive.read.derivation.Skipped
    source: str = "<text>"

    @property
    def steps(self) -> tuple:
        """The verdicts (derive.core.Verdict), one per checked step, in order."""
        return self.checked.verdicts

    @property
    def pairs(self) -> tuple:
        """(step, verdict) for every checked step."""
        return self.checked.pairs

    @property
    def not_read(self) -> tuple:
        """What looks like mathematics and was not read (the user has it to fix)."""
        return tuple(item for item in self.skipped if item.unread)

    @property
    def all_hold(self) -> bool:
        """At least one step was checked, and every checked step holds. (Something not read
        does not change it; :attr:`exit_status` counts that too.)"""
        return bool(self.steps) and self.checked.all_hold

    def weaker_than(self, require: str) -> list[tuple[int, str]]:
        """(number, label) of every step that holds less strongly than ``require``
        ("proved", "exact" or "numeric") asks, or does not hold."""
        if require not in _STRENGTHS:
            raise ValueError(f"require must be one of {', '.join(_STRENGTHS)} (got {require!r})")
        wanted = 3 - _STRENGTHS.index(require)
        return [
            (n, v.label)
            for n, v in enumerate(self.steps, start=1)
            if (v.strength.rank if v.strength is not None else 0) < wanted
        ]

    def status(self, require: str | None = None) -> int:
        """The exit status ``derive check`` gives: 1 when a step fails or is undecided (or is
        weaker than ``require``); otherwise 2 when something was not read or no step was
        checked; otherwise 0."""
        if any(not v.holds for v in self.steps):
            return 1
        if require is not None and self.weaker_than(require):
            return 1
        return 2 if self.not_read or not self.steps else 0

    @property
    def exit_status(self) -> int:
        return self.status()

    def export(self, format: str = "markdown", *, fragment: bool = False) -> str:
        """The checked derivation as "markdown", "latex", "json", "github" or "text", listing what was
        not checked as ``derive check --format`` does."""
        if format == "text":
            return _text_view(self.checked)
        from derive.render.formats import export

        return export(self.checked, format, fragment=fragment, not_read=self._listed())

    def _listed(self) -> tuple[tuple[str, str, str], ...]:
        from derive.read.derivation import unchecked

        return unchecked(self.skipped)

    def __str__(self) -> str:
        from derive.core import Status

        lines = [_text_view(self.checked).rstrip("\n")]
        lines += [f"  {_SKIP_LABELS.get(item.kind, 'skipped')} {item.place}: {item.reason}" for item in self.skipped]
        failed = self.checked.count(Status.FAILS) + self.checked.count(Status.UNDECIDED)
        lines.append(f"{self.source}: {len(self.steps)} checked, {_counts(self.skipped)}, {failed} failed or undecided")
        if not self.steps:
            lines.append(f"{self.source}: no step to check; exit status 0 needs a checked step")
        return "\n".join(lines) + "\n"

    def _repr_markdown_(self) -> str:
        return self.export("markdown")

    def __repr__(self) -> str:
        return f"<derive.Result {self.source}: {len(self.steps)} steps, exit status {self.exit_status}>"


def _text_view(checked, width: int = 100) -> str:
    """The terminal view without colour, as ``export(checked, "text")`` makes it, but never
    displayed by rich in a notebook on the way (rich's Console shows itself in Jupyter and
    returns nothing unless told not to)."""
    import io

    from rich.console import Console

    from derive.render.terminal import DerivationView

    buffer = io.StringIO()
    console = Console(file=buffer, no_color=True, width=width, soft_wrap=True, force_jupyter=False)
    console.print(DerivationView(checked))
    return buffer.getvalue()


def _time_limit(seconds: float) -> float:
    try:
        seconds = float(seconds)
    except (TypeError, ValueError):
        raise ValueError(f"time_limit must be a positive number of seconds (got {seconds!r})") from None
    from derive.cli import MAX_TIME_LIMIT

    if not seconds > 0:
        raise ValueError(f"time_limit must be a positive number of seconds (got {seconds:g})")
    if seconds > MAX_TIME_LIMIT:  # as derive check --time-limit: the OS timers overflow beyond
        raise ValueError(f"time_limit must be at most {MAX_TIME_LIMIT:g} seconds, a day (got {seconds:g})")
    return seconds


def read(name: str, data: bytes | None, input_format: str | None, notation=None, explain: bool = False):
    """The unchecked derivation and the skipped items of ``data`` (or of the file ``name``
    when ``data`` is None), as ``derive check`` reads them; bad input raises
    :class:`DeriveInputError`."""
    from derive.core import VocabularyError
    from derive.read.derivation import read_derivation
    from derive.read.source import SourceError

    if input_format is not None and input_format not in INPUT_FORMATS:
        raise ValueError(f"input_format must be one of {', '.join(INPUT_FORMATS)} (got {input_format!r})")
    try:
        return read_derivation(name, data, notation, explain, input_format=input_format)
    except SourceError as error:
        raise DeriveInputError(_one_line(error), str(error.place)) from None
    except VocabularyError as error:  # a reader that could not say where: say which text
        raise DeriveInputError(f"{name}: {_one_line(error)}", name) from None


def check(derivation, skipped=(), *, source: str = "<text>", time_limit: float = 30.0, cache: bool = True) -> Result:
    """Check a derivation the reader made (see :func:`read`). A step the core refuses raises
    :class:`DeriveInputError` placed at that step; :class:`derive.core.EngineError` (two
    witnesses disagree: a bug in derive, never a verdict) is raised as it is."""
    from derive import core, replay

    time_limit = _time_limit(time_limit)
    verdict_cache = core.VerdictCache(replay.cache_folder()) if cache else None
    try:
        checked = core.check_derivation(derivation, time_limit=time_limit, cache=verdict_cache)
    except core.VocabularyError as error:
        number = getattr(error, "step_index", None)
        where = derivation.steps[number].where if number is not None else ""
        raise DeriveInputError(f"{where or source}: {_one_line(error)}", where or source) from None
    return Result(checked, tuple(skipped), source)


def check_text(
    text: str,
    input_format: str = "md",
    *,
    notation: str | os.PathLike | None = None,
    time_limit: float = 30.0,
    cache: bool = True,
    name: str = "<text>",
) -> Result:
    """Check the derivation written in ``text``: Markdown ("md", the default), LaTeX ("tex")
    or a notebook's JSON ("ipynb"). ``notation``: a file holding a notation header's lines,
    for a text that carries none (``derive check --notation``). ``time_limit``: seconds per
    step. ``cache``: read and keep verdicts in derive's cache (``$DERIVE_CACHE_DIR``).
    ``name``: how places are named (``name:LINE:COL``). Raises :class:`DeriveInputError`."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str (got {type(text).__name__}); for a file use check_file")
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"input_format must be one of {', '.join(INPUT_FORMATS)} (got {input_format!r})")
    _time_limit(time_limit)
    derivation, skipped = read(name, text.encode("utf-8"), input_format, notation)
    return check(derivation, skipped, source=name, time_limit=time_limit, cache=cache)


def check_file(
    path: str | os.PathLike,
    *,
    notation: str | os.PathLike | None = None,
    time_limit: float = 30.0,
    cache: bool = True,
) -> Result:
    """Check the derivation in the file ``path`` (Markdown, LaTeX or a notebook, by its
    suffix), as ``derive check PATH`` does. Raises :class:`DeriveInputError`."""
    _time_limit(time_limit)
    name = os.fspath(path)
    try:
        data = Path(name).read_bytes()  # read once: the bytes checked are the bytes read
    except OSError as error:
        raise DeriveInputError(f"{name}:1:1: cannot read ({error.strerror})", f"{name}:1:1") from None
    derivation, skipped = read(name, data, None, notation)
    return check(derivation, skipped, source=name, time_limit=time_limit, cache=cache)
