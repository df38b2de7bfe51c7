"""derive in IPython and Jupyter: ``%load_ext derive``, then a ``%%derive`` cell.

.. code-block:: text

    %%derive [--tex] [--notation FILE] [--time-limit S] [--require proved|exact|numeric] [--no-cache]
    <the derivation, in Markdown (default) or LaTeX (--tex), with a header and directives>

The cell is read and checked as ``derive check`` reads and checks a file, and the checked
derivation is shown rendered (the Markdown export: equations, and a table of verdicts with
the counterexample of every step that fails).

The cells of one session form one document, as far as two things go:

* the **notation header**: the last one seen (in a cell, or given with ``--notation``)
  applies to every later cell that has none, exactly as ``derive check --notation`` gives a
  header to a file (so the facts it states, ``labels: y one-hot``, stand there too). A cell
  with a header of its own (or ``--notation``) replaces it, and starts afresh;
* the **case** in force (``<!-- derive: case i = j -->``) at the end of a cell goes on in the
  next cell, as it goes on in a document until a heading or another case directive; a
  heading in a cell, or ``<!-- derive: case -->``, ends it.

What is carried is said above the verdicts of every cell that uses it, and the steps it
governs cite it, as they would in one file. ``cites``, ``classes`` and ``skip`` are for the
next block only and never pass from one cell to the next, and neither does a chain: a cell
that begins with ``=`` continues nothing. ``%derive reset`` forgets the header and the case;
``%derive`` alone says what is carried.

A cell is checked exactly as the CLI checks the same text under the same header and case
(a file beginning with that case directive, given ``--notation`` that header). Bad input is
one line, ``derive: PLACE: what is wrong``, in the cell's output, never a traceback.
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
import tempfile
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

__all__ = ["Session", "load_ipython_extension", "run_cell", "unload_ipython_extension"]

_STRENGTHS = ("proved", "exact", "numeric")


class _Usage(Exception):
    """A magic's line that does not parse: one line in the cell's output."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would exit the kernel's process: say it in one line
        usage = " ".join(self.format_usage().split()).removeprefix("usage: ")
        raise _Usage(f"%%derive: {message} (usage: {usage})")


def _parser() -> _Parser:
    parser = _Parser(prog="%%derive", add_help=False)
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--tex", action="store_const", const="tex", dest="input_format", default="md")
    kind.add_argument("--md", action="store_const", const="md", dest="input_format")
    parser.add_argument("--notation", metavar="FILE", default=None)
    parser.add_argument("--time-limit", metavar="S", type=float, default=30.0)
    parser.add_argument("--require", choices=_STRENGTHS, default=None)
    parser.add_argument("--no-cache", action="store_true")
    return parser


@dataclass(frozen=True)
class _Case:
    text: str  # "case i = j", as the directive says it (whitespace made single spaces)
    place: object  # derive.read.source.Place of the directive that set it


@dataclass
class Session:
    """What the ``%%derive`` cells of one IPython session carry from one cell to the next."""

    header: object = None  # derive.read.source.Header: the last notation header seen
    header_from: str = ""  # where it was written (a cell's name, or the --notation file)
    case: _Case | None = None  # the case in force at the end of the last cell

    def reset(self) -> None:
        self.header, self.header_from, self.case = None, "", None

    def describe(self) -> str:
        parts = []
        if self.header is not None:
            parts.append(f"the notation header of {self.header_from}")
        if self.case is not None:
            parts.append(f"`{self.case.text}` (set at {self.case.place})")
        return " and ".join(parts)


@dataclass(frozen=True)
class CellOutcome:
    """What a ``%%derive`` cell shows: ``markdown`` and ``text`` (the same, for a front end
    that shows plain text) when it was checked, or ``error``, one line."""

    markdown: str | None = None
    text: str | None = None
    error: str | None = None
    result: object = None  # derive.api.Result


def _final_case(events, inherited: _Case | None, own_header: bool) -> _Case | None:
    """The case in force after ``events``: set by a case directive, ended by a heading or an
    empty ``case``; a cell with a header of its own starts with none."""
    from derive.read.source import Directive, Heading

    case = None if own_header else inherited
    for event in events:
        if isinstance(event, Heading):
            case = None
        elif isinstance(event, Directive):
            text = " ".join(event.text.split())
            word, _, rest = text.partition(" ")
            if word == "case":
                case = _Case(text, event.place) if rest.strip() else None
    return case


def _governs(events) -> bool:
    """Whether a case carried into a cell governs any of its mathematics: not when a heading or
    a case directive comes before its first block (then it would be said for nothing)."""
    from derive.read.source import Block, Directive, Heading

    for event in events:
        if isinstance(event, Block):
            return True
        if isinstance(event, Heading) or (isinstance(event, Directive) and event.text.split()[:1] == ["case"]):
            return False
    return False


def _write_header(header, folder: str) -> Path:
    """The header's ``key: value`` lines as a notation file, each on the line and at the column
    where it was written, so that a place in this file is the place in the original."""
    rows: dict[int, str] = {}
    for key, value, place in header.lines:
        rows[place.line] = " " * max(place.column - 1, 0) + f"{key}: {value}"
    last = max(rows, default=0)
    path = Path(folder) / "header.txt"
    path.write_text("\n".join(rows.get(n, "") for n in range(1, last + 1)) + "\n", encoding="utf-8")
    return path


class _Places:
    """Places in the text that was read, as places in what the user wrote: the cell's lines
    come one line later (after the carried case directive), and the carried header's file
    stands for the cell (or file) the header was written in."""

    def __init__(self, name: str, shift: int, case: _Case | None, header_file: str | None, header_from: str):
        self.name, self.shift, self.case = name, shift, case
        self.header_file, self.header_from = header_file, header_from
        self.pattern = re.compile(re.escape(name) + r":(\d+):(\d+)$")

    def place(self, place):
        if self.header_file is not None and place.file == self.header_file:
            return replace(place, file=self.header_from)
        if place.file != self.name or not self.shift:
            return place
        if place.line <= self.shift:
            return self.case.place  # the carried directive: where it was written
        return replace(place, line=place.line - self.shift)

    def where(self, where: str) -> str:
        match = self.pattern.fullmatch(where)
        if not self.shift or match is None:
            return where
        from derive.read.source import Place

        return str(self.place(Place(self.name, int(match.group(1)), int(match.group(2)))))

    def derivation(self, derivation):
        from derive.core import Derivation

        steps = tuple(replace(step, where=self.where(step.where)) for step in derivation.steps)
        return Derivation(derivation.name, derivation.title, derivation.notation, steps, derivation.summary)

    def skipped(self, skipped) -> tuple:
        return tuple(replace(item, place=self.place(item.place)) for item in skipped)


def _one_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def run_cell(session: Session, line: str, cell: str, name: str) -> CellOutcome:
    """Check one ``%%derive`` cell (``line``: its options) in ``session``, and carry its header
    and case on. Decides nothing itself: the reader reads, the core checks."""
    try:
        options = _parser().parse_args(shlex.split(line))
    except ValueError as error:  # shlex: an unclosed quote
        return CellOutcome(error=f"%%derive: {error}")
    except _Usage as error:
        return CellOutcome(error=str(error))
    from derive import api

    try:
        api._time_limit(options.time_limit)  # the API's bounds, which are derive check's
    except ValueError as error:
        return CellOutcome(error=f"%%derive: --{error}".replace("time_limit", "time-limit"))
    if not cell.strip():
        return CellOutcome(error=f"{name}:1:1: the cell is empty (expected a derivation)")

    from derive import api
    from derive.core import EngineError, VocabularyError
    from derive.read.derivation import read_derivation
    from derive.read.source import Header, SourceError, read_notation_file, read_source

    fmt = options.input_format
    data = cell.encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="derive-magic-") as folder:
        try:
            events = read_source(name, data, input_format=fmt)
            own = next((e for e in events if isinstance(e, Header)), None)
            fresh = own is not None or options.notation is not None  # a header of its own: a new document
            carried_header = None if fresh else session.header
            carried_case = None if fresh or not _governs(events) else session.case
            header_file = _write_header(carried_header, folder) if carried_header is not None else None
            notation = options.notation if options.notation is not None else header_file
            if carried_case is not None:
                prefix = (
                    f"% derive: {carried_case.text}\n" if fmt == "tex" else f"<!-- derive: {carried_case.text} -->\n"
                )
                data = prefix.encode("utf-8") + data
            places = _Places(
                name,
                1 if carried_case is not None else 0,
                carried_case,
                str(header_file) if header_file is not None else None,
                session.header_from,
            )
            try:
                derivation, skipped = read_derivation(name, data, notation, False, input_format=fmt)
            except SourceError as error:
                return CellOutcome(error=f"{places.place(error.place)}: {error.message}")
            except VocabularyError as error:
                return CellOutcome(error=f"{name}: {_one_line(error)}")
            given = read_notation_file(options.notation) if options.notation is not None else None
            # The case goes on from the text as it was checked, the carried directive included:
            # what ends the case for the reader (a heading, front matter that the directive in
            # front turned into one) ends it for the next cells too.
            checked_events = read_source(name, data, input_format=fmt) if carried_case is not None else events
        except SourceError as error:  # in the cell as written: its places need no mapping
            return CellOutcome(error=str(error).splitlines()[0])

        # Read: what this cell says about the header and the case goes on to the next cells.
        carried_from = session.header_from if carried_header is not None else ""
        if own is not None:
            session.header, session.header_from = own, name
        elif given is not None:
            session.header, session.header_from = given, str(options.notation)
        session.case = _final_case(checked_events, None if carried_case is not None else session.case, fresh)

        derivation, skipped = places.derivation(derivation), places.skipped(skipped)
        try:
            result = api.check(
                derivation, skipped, source=name, time_limit=options.time_limit, cache=not options.no_cache
            )
        except api.DeriveInputError as error:
            return CellOutcome(error=str(error))
        except EngineError as error:
            return CellOutcome(error=f"engine error: {_one_line(error)} (a bug in derive, not a verdict)")

    notes, plain = [], []
    carried = " and ".join(
        part
        for part in (
            f"the notation header of {carried_from}" if carried_header is not None else "",
            f"`{carried_case.text}` (set at {carried_case.place})" if carried_case else "",
        )
        if part
    )
    if carried:
        note = f"From earlier `%%derive` cells: {carried}. `%derive reset` forgets them."
        notes.append(f"*{note}*")
        plain.append(note.replace("`", ""))
    tail = []
    if not result.steps:
        tail.append(f"**Nothing to check**: no step was read from {name}.")
    elif require_line := _require_line(result, options.require):
        tail.append(f"**{require_line}**")
    markdown = "\n\n".join([*notes, result.export("markdown").rstrip("\n"), *tail]) + "\n"
    if result.steps:  # the text view says itself when there was nothing to check
        plain_tail = [t.replace("**", "").replace("`", "") for t in tail]
    else:
        plain_tail = []
    text = "\n".join([*plain, str(result).rstrip("\n"), *plain_tail])
    return CellOutcome(markdown=markdown, text=text + "\n", result=result)


def _require_line(result, require: str | None) -> str:
    """As ``derive check --require``: said when every step holds but one is weaker."""
    if require is None or any(not v.holds for v in result.steps):
        return ""
    weaker = result.weaker_than(require)
    if not weaker:
        return ""
    n, label = weaker[0]
    more = f" (and {len(weaker) - 1} more)" if len(weaker) > 1 else ""
    return f"--require {require} is not met: step {n} is {label}{more}, weaker than {require}"


@cache
def _magics_class():
    from IPython.core.magic import Magics, line_cell_magic, magics_class

    @magics_class
    class DeriveMagics(Magics):
        """``%%derive`` checks a cell; ``%derive reset`` forgets what earlier cells set."""

        def __init__(self, shell=None):
            super().__init__(shell)
            self.session = Session()
            self.last = None  # the last cell's CellOutcome

        @line_cell_magic
        def derive(self, line: str, cell: str | None = None):
            if cell is None:
                return self._line(line)
            name = f"In[{self._number()}]"
            outcome = run_cell(self.session, line, cell, name)
            self.last = outcome
            if outcome.error is not None:
                print(f"derive: {outcome.error}", file=sys.stderr)
                return None
            from IPython.display import display

            # Markdown for a notebook; the plain text view for a terminal (IPython's own
            # Markdown object would show there as "<IPython.core.display.Markdown object>").
            display({"text/markdown": outcome.markdown, "text/plain": outcome.text}, raw=True)
            return None

        def _number(self) -> int:
            """This cell's number, as its In[n] prompt shows it: its place in the input history
            (stored before the cell runs), which does not depend on when a version of IPython
            counts the cell as executed."""
            history = getattr(getattr(self.shell, "history_manager", None), "input_hist_raw", None)
            if history:
                return len(history) - 1
            return getattr(self.shell, "execution_count", 0)

        def _line(self, line: str):
            words = line.split()
            if words == ["reset"]:
                self.session.reset()
                print("derive: earlier cells' notation header and case forgotten")
            elif not words or words == ["status"]:
                carried = self.session.describe()
                print(f"derive: carried to the next %%derive cell: {carried or 'nothing'}")
            else:
                expected = "expected %derive reset, %derive status, or a %%derive cell"
                print(f"derive: %derive {line.strip()}: unknown ({expected})", file=sys.stderr)

    return DeriveMagics


def __getattr__(name: str):
    if name == "DeriveMagics":  # IPython is imported only when the magics are wanted
        return _magics_class()
    raise AttributeError(f"module 'derive.jupyter' has no attribute {name!r}")


_loaded: dict[int, object] = {}


def load_ipython_extension(ipython) -> None:
    """``%load_ext derive``: registers ``%%derive`` and ``%derive`` (loading twice is harmless)."""
    if id(ipython) in _loaded:
        return
    magics = _magics_class()(ipython)
    ipython.register_magics(magics)
    _loaded[id(ipython)] = magics


def unload_ipython_extension(ipython) -> None:
    magics = _loaded.pop(id(ipython), None)
    if magics is not None:
        ipython.magics_manager.magics["line"].pop("derive", None)
        ipython.magics_manager.magics["cell"].pop("derive", None)
