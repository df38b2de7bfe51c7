"""``derive check FILE --annotate``: the user's own document, every byte of it, with derive's
verdict after each piece of mathematics it checked or did not check.

The copy is the original with whole lines inserted, never a byte of the original changed, and
every inserted line ends with a fixed marker in a comment, :data:`MARKDOWN_MARK` (Markdown and
notebook cells) or :data:`LATEX_MARK` (LaTeX): removing those lines gives the original back
(:func:`strip_marks`). One rule more: when the original does not end with a line break, the
inserted lines that end the copy come after a break of their own, and the copy ends without
one as the original did; removing them removes that break too.

* Markdown: a quotation after the top-level block (the ``$$`` display, the paragraph, or the
  list or quotation) that holds the mathematics, ``> ✓ derive: (3) proved for all K``. An
  inserted HTML comment line ends the quotation when a line of the author's follows at once,
  so that it does not run on into it (and starts it after a quotation of the author's).
  Text that comes from the document or from derive's messages is put in code spans (with
  ``$`` written as the full-width ``＄``) when it could mean anything to Markdown or to a
  math renderer, so that a mark can never be read as mathematics, markup or a comment.
* LaTeX: comment lines after the line where the display ends (``%% ✓ derive: ...``): they
  change nothing TeX typesets, wherever they stand (in a paragraph, an argument, a table).
* Notebooks: the marks go into the markdown cells' own sources, as in Markdown; what a code
  cell's outputs showed and was not read is marked in a markdown cell inserted after it, and
  the summary in one at the end: each such cell holds only marked lines. The notebook is
  written as it was formatted (indentation, key order, escapes) when that can be told from
  its text, as Jupyter writes them.

The verdicts are the checked derivation's, the same every export shows; nothing here decides
anything.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from dataclasses import dataclass

from derive.core import CheckedDerivation, Status

from .json_export import place_fields
from .layout import NumberedStep, parts
from .terminal import summary
from .written import written_text

__all__ = [
    "LATEX_MARK",
    "MARKDOWN_MARK",
    "AnnotateError",
    "annotated",
    "annotated_unchecked",
    "is_mark",
    "strip_marks",
]

MARKDOWN_MARK = "<!-- derive-annotate -->"  # the end of every line inserted in Markdown
LATEX_MARK = "% derive-annotate"  # the end of every line inserted in LaTeX
_MARKED = re.compile(r"(?:<!-- derive-annotate -->|% derive-annotate)(?:\r\n|\r|\n)?\Z")
_QUOTED_SOURCE = 72  # characters of an unchecked piece of mathematics quoted in its mark


class AnnotateError(ValueError):
    """A document that cannot be annotated (it holds lines that look inserted already)."""


def is_mark(line: str) -> bool:
    """Whether a line of a copy (with or without its line break) is one derive inserted."""
    return _MARKED.search(line) is not None


# -- what is said where ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Note:
    file: str | None
    cell: int | None
    line: int  # 1-based; 0 when the place names no line
    column: int
    step: NumberedStep | None = None
    unread: tuple[str, str] | None = None  # (source, reason) of what was not checked


def _notes(checked: CheckedDerivation | None, not_read) -> list[_Note]:
    notes = []
    for part in parts(checked) if checked is not None else ():
        for item in part.steps:
            place = place_fields(item.step.where)
            notes.append(_Note(place["file"], place["cell"], place["line"] or 0, place["column"] or 0, step=item))
    for where, source, reason in not_read:
        place = place_fields(where)
        if place["file"] is None:
            place = {"file": None, "cell": None, "line": 0, "column": 0}
        notes.append(
            _Note(place["file"], place["cell"], place["line"] or 0, place["column"] or 0, unread=(source, reason))
        )
    return notes


def _order(note: _Note) -> tuple:
    return (note.line, note.column, note.step.number if note.step else 0)


# -- a mark's words ------------------------------------------------------------------------------

# A line is a list of pieces: (text, True) is quoted (a formula, the author's source), (text,
# False) derive's own words. Markdown quotes a piece in a code span; so it does a word piece
# that holds anything Markdown or a math renderer might read (a reason quoting the source).
_Line = tuple[bool, list]  # (a list item?, pieces)

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN_UNSAFE = re.compile(r"[\\`*_\[\]<>&~$^]|:[A-Za-z0-9_+-]+:")


def _one_line(text: str) -> str:
    """Text on one line: every line break, control character and direction override a space."""
    return " ".join(_CONTROLS.sub(" ", text).split())


def _shortened(text: str, limit: int = _QUOTED_SOURCE) -> str:
    text = _one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _code_span(text: str) -> str:
    """``text`` as a Markdown code span: nothing in it is markup or mathematics, and it holds no
    dollar sign (written ＄, which no renderer opens mathematics with)."""
    text = text.replace("$", "＄")
    if not text:
        return "(nothing)"
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    if text[0] in "` " or text[-1] in "` ":
        text = f" {text} "
    return f"{ticks}{text}{ticks}"


def _markdown(pieces: list) -> str:
    out = []
    for text, quoted in pieces:
        text = _flat(text)
        if quoted or _MARKDOWN_UNSAFE.search(text):  # the spaces around it stay words
            core = text.strip(" ")
            start = text.index(core) if core else len(text)
            text = text[:start] + _code_span(core) + text[start + len(core) :]
        out.append(text)
    return "".join(out)


def _flat(text: str) -> str:
    """One line, its spaces kept: line breaks, control characters and direction overrides a space."""
    return re.sub(r"\s+", " ", _CONTROLS.sub(" ", text))


def _latex(pieces: list) -> str:
    return "".join(f"`{_flat(text)}`" if quoted else _flat(text) for text, quoted in pieces)


def _symbol(notes: list[_Note]) -> str:
    statuses = {note.step.verdict.status for note in notes if note.step is not None}
    if Status.FAILS in statuses:
        return "✗"
    if Status.UNDECIDED in statuses:
        return "?"
    return "✓" if statuses else "○"


def _runs(steps: list[NumberedStep]) -> list:
    """Pieces listing each step's label, consecutive steps with one label as one run: (5)–(9)."""
    runs: list[list[NumberedStep]] = []
    for item in steps:
        last = runs[-1][-1] if runs else None
        if last is not None and item.number == last.number + 1 and item.verdict.label == last.verdict.label:
            runs[-1].append(item)
        else:
            runs.append([item])
    words = []
    for run in runs:
        numbers = f"({run[0].number})" if len(run) == 1 else f"({run[0].number})–({run[-1].number})"
        words.append(f"{numbers} {_one_line(run[0].verdict.label)}")
    return [("; ".join(words), False)]


def _problem_lines(item: NumberedStep) -> list[_Line]:
    """What a failed or undecided step gets under the mark: the claim, why, the counterexample."""
    verdict = item.verdict
    left, right = written_text(item.step)
    first: list = [(f"({item.number}) ", False), (f"{_one_line(left)} = {_one_line(right)}", True)]
    first.append((f" {verdict.label}" + (":" if verdict.reason else ""), False))
    if verdict.reason:
        first.append((" " + _one_line(verdict.reason), False))
    lines: list[_Line] = [(True, first)]
    if verdict.counterexample is not None:
        lines.append(
            (True, [(f"({item.number}) counterexample: ", False), (_one_line(verdict.counterexample.describe()), True)])
        )
    if verdict.difference is not None:
        from .text import to_text

        lines.append(
            (True, [(f"({item.number}) left − right = ", False), (_one_line(to_text(verdict.difference)), True)])
        )
    return lines


def _unread_pieces(note: _Note) -> list:
    source, reason = note.unread
    return [(_shortened(source), True), (" (", False), (_one_line(reason), False), (")", False)]


def _group_lines(notes: list[_Note], where: str | None = None) -> list[_Line]:
    """The lines of one mark: the verdict of every step in ``notes``, what went wrong, and what
    was not checked. ``where``: the file they are in, when it is not the document."""
    notes = sorted(notes, key=_order)
    steps = [note.step for note in notes if note.step is not None]
    unread = [note for note in notes if note.unread is not None]
    lead: list = [(f"{_symbol(notes)} derive", False)]
    if where is not None:
        lead += [(", in ", False), (where, True)]
    lines: list[_Line] = []
    if steps:
        lines.append((False, [*lead, (": ", False), *_runs(steps)]))
        for item in steps:
            if not item.verdict.holds:
                lines += _problem_lines(item)
        lines += [(True, [("○ not checked: ", False), *_unread_pieces(note)]) for note in unread]
    elif len(unread) == 1:
        lines.append((False, [*lead, (": not checked: ", False), *_unread_pieces(unread[0])]))
    else:
        lines.append((False, [*lead, (f": {len(unread)} not checked", False)]))
        lines += [(True, _unread_pieces(note)) for note in unread]
    return lines


def _summary_lines(checked: CheckedDerivation | None, not_read, problem: str | None) -> list[_Line]:
    if checked is None:
        return [(False, [("○ derive: nothing in this file was checked: ", False), (_one_line(problem or ""), False)])]
    symbol = "✗" if checked.count(Status.FAILS) else "?" if checked.count(Status.UNDECIDED) else "✓"
    words = f"{symbol} derive: {summary(checked)}" + (f"; {len(not_read)} not checked (○)" if not_read else "")
    return [(False, [(words, False)])]


# -- lines of a text --------------------------------------------------------------------------


def _lines(text: str, latex: bool) -> list[str]:
    """The lines of a text with their breaks, as derive numbers them: a LaTeX line ends at a line
    feed, a Markdown line at a line feed, a carriage return or both."""
    pattern = r"[^\n]*\n|[^\n]+\Z" if latex else r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z"
    return re.findall(pattern, text)


def _break(line: str) -> str:
    for ending in ("\r\n", "\n", "\r"):
        if line.endswith(ending):
            return ending
    return ""


def _blank(line: str) -> bool:
    return not line.rstrip("\r\n").strip(" \t")


def _refuse_marked(lines, name: str) -> None:
    for number, line in enumerate(lines, start=1):
        if is_mark(line):
            raise AnnotateError(
                f"{name}:{number}: the line ends with {MARKDOWN_MARK if 'derive-annotate -->' in line else LATEX_MARK},"
                " as the lines --annotate inserts do (an annotated copy?): annotate the original"
            )


def _rendered(lines: list[_Line], latex: bool) -> list[str]:
    if latex:
        return [f"%% {'- ' if item else ''}{_latex(pieces)} {LATEX_MARK}" for item, pieces in lines]
    return [f"> {'- ' if item else ''}{_markdown(pieces)} {MARKDOWN_MARK}" for item, pieces in lines]


def _joined(lines: list[str], inserts: dict[int, list[str]]) -> str:
    """The text with the inserted lines after the lines they follow, each with that line's break."""
    default = next((_break(line) for line in lines if _break(line)), "\n")
    out = []
    for number, line in enumerate(lines):
        out.append(line)
        added = inserts.get(number)
        if not added:
            continue
        ending = _break(line)
        if ending:
            out.append("".join(text + ending for text in added))
        else:  # the last line, without a break: the break before the marks is theirs
            out.append(default + default.join(added))
    return "".join(out)


# -- Markdown -----------------------------------------------------------------------------------

_HTML_CLOSED = re.compile(r"[ ]{0,3}<(?:(?:script|pre|style|textarea)(?:[\s>]|$)|!--|\?|![A-Za-z]|!\[CDATA\[)", re.I)


def _markdown_parser():
    try:  # the reader's own parser: the blocks it found the mathematics in
        from derive.read.source import _markdown_parser as parser

        return parser()
    except ImportError:  # pragma: no cover - the reader renamed it: the same plugins
        from markdown_it import MarkdownIt
        from mdit_py_plugins.amsmath import amsmath_plugin
        from mdit_py_plugins.dollarmath import dollarmath_plugin

        return MarkdownIt("commonmark").use(dollarmath_plugin, double_inline=True).use(amsmath_plugin)


@dataclass(frozen=True)
class _Unit:
    first: int  # 0-based line of the top-level block
    last: int  # its last line that is not blank
    quote: bool  # a quotation: a mark right after it would join it
    open_html: bool  # an HTML block that only a blank line ends


# YAML front matter, which the reader blanks before it finds the blocks (derive.read.source)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?=[\w-]+[ \t]*:)(?P<body>.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def _markdown_units(lines: list[str]) -> list[_Unit]:
    text = "".join(line.rstrip("\r\n") + "\n" for line in lines)
    front = _FRONT_MATTER.match(text)
    if front is not None:
        text = "\n" * front.group(0).count("\n") + text[front.end() :]
    tokens = _markdown_parser().parse(text)
    found = sorted(
        {t.map[0]: t for t in reversed(tokens) if t.level == 0 and t.map is not None and t.nesting >= 0}.items()
    )
    units = []
    for k, (first, token) in enumerate(found):
        limit = found[k + 1][0] if k + 1 < len(found) else len(lines)
        last = max((n for n in range(first, min(limit, len(lines))) if not _blank(lines[n])), default=first)
        open_html = token.type == "html_block" and not _HTML_CLOSED.match(lines[first])
        units.append(_Unit(first, last, token.type == "blockquote_open", open_html))
    return units


def _markdown_inserts(lines: list[str], groups: dict[int, list], tail: list[_Line]) -> dict[int, list[str]]:
    """Where each mark goes: after the top-level block its line is in (after the blank line that
    ends an HTML block that only a blank line ends), with the comment lines that keep it a
    quotation of its own."""
    units = _markdown_units(lines)
    starts = [unit.first for unit in units]
    placed: dict[int, list] = {}
    quote_before: dict[int, bool] = {}
    for line, notes in groups.items():
        k = bisect.bisect_right(starts, line) - 1
        after, quote = line, False
        if k >= 0:
            unit = units[k]
            after, quote = max(unit.last, line), unit.quote and line <= unit.last
            if unit.open_html and after + 1 < len(lines) and _blank(lines[after + 1]):
                after, quote = after + 1, False
        placed.setdefault(after, []).extend(notes)
        quote_before[after] = quote_before.get(after, False) or quote
    inserts: dict[int, list[str]] = {}
    for after in sorted(placed):
        block = _rendered(_group_lines(placed[after]), latex=False)
        if quote_before[after] and not _blank(lines[after]):
            block.insert(0, MARKDOWN_MARK)
        if after + 1 < len(lines) and not _blank(lines[after + 1]):
            block.append(MARKDOWN_MARK)
        inserts[after] = block
    if tail:
        last = len(lines) - 1
        k = bisect.bisect_right(starts, last) - 1
        ends_in_quote = k >= 0 and units[k].quote and not _blank(lines[last])
        block = _rendered(tail, latex=False)
        if inserts.get(last) or ends_in_quote:
            block.insert(0, MARKDOWN_MARK)
        inserts[last] = inserts.get(last, []) + block
    return inserts


def _annotate_markdown(text: str, notes: list[_Note], tail: list[_Line], name: str) -> str:
    lines = _lines(text, latex=False)
    _refuse_marked(lines, name)
    groups: dict[int, list] = {}
    for note in notes:
        groups.setdefault(min(max(note.line - 1, 0), len(lines) - 1), []).append(note)
    return _joined(lines, _markdown_inserts(lines, groups, tail))


# -- LaTeX ---------------------------------------------------------------------------------------

_INCLUDE = re.compile(r"\\(?:input|include)(?![A-Za-z])\s*(?:\{\s*([^{}]*?)\s*\}|([^\s{}\\%]+))")


def _latex_spans(text: str, name: str) -> list[tuple[int, int, int]]:
    """(line, column, last line) of every piece of mathematics in the document itself, 1-based."""
    from derive.read.source import Block, Place, SourceError, scan_latex

    try:
        events = scan_latex(text, Place(name, 1, 1))  # no folder: the included files are not read again
    except SourceError:
        return []
    return sorted(
        (e.place.line, e.place.column, e.place.line + e.text.count("\n"))
        for e in events
        if isinstance(e, Block) and e.place.file == name
    )


def _including_line(lines: list[str], name: str, file: str) -> int | None:
    """The 0-based line of the document's ``\\input`` or ``\\include`` of ``file``, if there is one."""
    folder = os.path.dirname(name)
    wanted = os.path.normpath(file)
    for number, line in enumerate(lines):
        code = re.split(r"(?<!\\)%", line, maxsplit=1)[0]
        for found in _INCLUDE.finditer(code):
            named = found.group(1) or found.group(2) or ""
            candidates = {os.path.normpath(os.path.join(folder, named))}
            candidates.add(os.path.normpath(os.path.join(folder, named + ".tex")))
            if wanted in candidates:
                return number
    return None


def _annotate_latex(text: str, notes: list[_Note], elsewhere: list[_Note], tail: list[_Line], name: str) -> str:
    lines = _lines(text, latex=True)
    _refuse_marked(lines, name)
    spans = _latex_spans(text, name)
    placed: dict[int, list] = {}
    for note in notes:
        after = min(max(note.line - 1, 0), len(lines) - 1)
        for line, column, last in reversed(spans):
            if (line, column) <= (note.line, note.column):
                if note.line <= last:
                    after = min(last - 1, len(lines) - 1)
                break
        placed.setdefault(after, []).append(note)
    inserts = {after: _rendered(_group_lines(group), latex=True) for after, group in sorted(placed.items())}
    late: list[_Line] = []
    by_file: dict[str, list[_Note]] = {}
    for note in elsewhere:
        by_file.setdefault(note.file or "?", []).append(note)
    for file, group in by_file.items():
        lines_of = _group_lines(group, where=file)
        including = _including_line(lines, name, file)
        if including is None:
            late += lines_of
        else:
            inserts[including] = inserts.get(including, []) + _rendered(lines_of, latex=True)
    if late or tail:
        last = len(lines) - 1
        inserts[last] = inserts.get(last, []) + _rendered(late + tail, latex=True)
    return _joined(lines, inserts)


# -- notebooks -----------------------------------------------------------------------------------


def _json_style(text: str, data) -> tuple:
    """How the notebook's JSON was written (indent, sorted keys, ASCII only, final line break),
    found by writing it again; Jupyter's own way (nbformat's) when none gives the text back."""
    match = re.match(r"\{\r?\n( *)\S", text)
    indent = len(match.group(1)) if match else None
    # a Windows checkout (git's autocrlf) turns every line break into CRLF
    crlf = "\r\n" in text and text.count("\r\n") == text.count("\n")
    ending = "\n" if text.endswith("\n") else ""
    for sort_keys in (True, False):
        for ascii_only in (False, True) if text.isascii() else (False,):
            style = (indent, sort_keys, ascii_only, ending, crlf)
            if _dumped(data, style) == text:
                return style
    return (1, True, False, "\n", crlf)


def _dumped(data, style: tuple) -> str:
    indent, sort_keys, ascii_only, ending, crlf = style
    text = json.dumps(data, indent=indent, sort_keys=sort_keys, ensure_ascii=ascii_only) + ending
    return text.replace("\n", "\r\n") if crlf else text


def _source(cell) -> str | None:
    source = cell.get("source", "") if isinstance(cell, dict) else None
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        return "".join(source)
    return source if isinstance(source, str) else None


def _with_source(cell: dict, text: str) -> None:
    cell["source"] = text.splitlines(True) if isinstance(cell.get("source"), list) else text


def _mark_cell(lines: list[_Line], data: dict, taken: set) -> dict:
    cell: dict = {"cell_type": "markdown"}
    if (data.get("nbformat"), data.get("nbformat_minor", 0)) >= (4, 5):
        number = 1
        while f"derive-annotate-{number}" in taken:
            number += 1
        taken.add(f"derive-annotate-{number}")
        cell["id"] = f"derive-annotate-{number}"
    cell["metadata"] = {}
    cell["source"] = "\n".join(_rendered(lines, latex=False)).splitlines(True)
    return cell


def _annotate_notebook(text: str, notes: list[_Note], tail: list[_Line], name: str) -> str:
    data = json.loads(text)
    style = _json_style(text, data)
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        raise AnnotateError(f"{name}: not a notebook with a list of cells")
    by_cell: dict[int | None, list[_Note]] = {}
    for note in notes:
        by_cell.setdefault(note.cell, []).append(note)
    taken = {cell.get("id") for cell in cells if isinstance(cell, dict)}
    annotated_cells = []
    for number, cell in enumerate(cells, start=1):
        source = _source(cell)
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown" and source is not None:
            _refuse_marked(_lines(source, latex=False), f"{name}:cell {number}")
        annotated_cells.append(cell)
        here = by_cell.pop(number, [])
        if not here:
            continue
        if cell.get("cell_type") == "markdown" and source is not None:
            _with_source(cell, _annotate_markdown(source, here, [], f"{name}:cell {number}"))
        else:  # a code cell's outputs: a cell of marks after it
            annotated_cells.append(_mark_cell(_group_lines(here), data, taken))
    rest = [note for group in by_cell.values() for note in group]
    last = (_group_lines(rest) if rest else []) + tail
    if last:
        annotated_cells.append(_mark_cell(last, data, taken))
    data["cells"] = annotated_cells
    return _dumped(data, style)


def _strip_notebook(copy: str) -> str:
    data = json.loads(copy)
    style = _json_style(copy, data)
    kept = []
    for cell in data.get("cells", []):
        source = _source(cell)
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown" and source is not None:
            lines = _lines(source, latex=False)
            if lines and all(is_mark(line) for line in lines):
                continue  # a cell derive added
            _with_source(cell, _strip_text(source))
        kept.append(cell)
    data["cells"] = kept
    return _dumped(data, style)


# -- the copy -----------------------------------------------------------------------------------


def _kind(name: str, input_format: str | None) -> str:
    from derive.read.source import source_kind

    return source_kind(name, input_format)


def _copy(data: bytes, name: str, input_format, checked, not_read, problem: str | None = None) -> str:
    text = data.decode("utf-8")
    kind = _kind(name, input_format)
    notes = _notes(checked, not_read)
    at_home = [note.file == name and (note.cell is not None) == (kind == "ipynb") for note in notes]
    here = [note for note, home in zip(notes, at_home) if home]
    elsewhere = [note for note, home in zip(notes, at_home) if not home]
    tail = _summary_lines(checked, not_read, problem)
    if kind == "ipynb":
        return _annotate_notebook(text, here + elsewhere, tail, name)
    if kind == "tex":
        return _annotate_latex(text, here, elsewhere, tail, name)
    others = [line for file, group in _by_file(elsewhere).items() for line in _group_lines(group, where=file)]
    return _annotate_markdown(text, here, others + tail, name)


def _by_file(notes: list[_Note]) -> dict[str, list[_Note]]:
    grouped: dict[str, list[_Note]] = {}
    for note in notes:
        grouped.setdefault(note.file or "?", []).append(note)
    return grouped


def annotated(data: bytes, name: str, input_format: str | None, checked: CheckedDerivation, not_read=()) -> str:
    """The document ``data`` (read as ``name``, ``input_format`` as for ``derive check``) with a
    mark after each piece of mathematics: the verdict of every step of ``checked`` written there,
    with the counterexample and the reason under a step that fails, and every (place, source,
    reason) of ``not_read`` marked as not checked, with why; then a summary at the end."""
    return _copy(data, name, input_format, checked, tuple(not_read))


def annotated_unchecked(data: bytes, name: str, input_format: str | None, not_read, problem: str) -> str | None:
    """A document derive checked nothing of: what it did not read marked where it stands, and
    ``problem`` at the end. None when the document is not text (or not JSON, for a notebook)
    that a copy could be made of."""
    try:
        copy = _copy(data, name, input_format, None, tuple(not_read), problem)
        copy.encode("utf-8")  # a notebook's JSON may hold half a character (the reader refused it)
        return copy
    except (UnicodeError, json.JSONDecodeError, RecursionError):
        return None


def _strip_text(copy: str) -> str:
    lines = _lines(copy, latex=False)
    text = "".join(line for line in lines if not is_mark(line))
    if lines and is_mark(lines[-1]) and not _break(lines[-1]):
        ending = _break(text)
        text = text[: len(text) - len(ending)]
    return text


def strip_marks(copy: str, kind: str = "markdown") -> str:
    """The original of an annotated copy: every inserted line removed with its line break (the
    break before it when it ends the copy without one); in a notebook ``kind="ipynb"``, from
    each markdown cell's source, and the cells that hold only inserted lines."""
    return _strip_notebook(copy) if kind == "ipynb" else _strip_text(copy)
