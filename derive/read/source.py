"""Find the mathematics in a document as its author wrote it: Markdown (``$$ … $$``,
``\\[ … \\]``, fences whose info string is ``math``, ``\\begin{align*} … \\end{align*}`` and the other
display environments, inline ``$ … $`` and ``\\( … \\)``), LaTeX, and the markdown cells of
Jupyter notebooks. Also the parts of a document that do not render: the notation
header and the ``derive:`` directives (HTML comments in Markdown, ``%`` comments in LaTeX),
and the headings that end a case.

Every piece carries its :class:`Place` so that errors and verdicts point at the file, line
and column (and notebook cell) where the author wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Block", "Directive", "Header", "Heading", "Place", "SourceError", "read_source"]

MAX_BYTES = 2_000_000  # a derivation, not a data set


@dataclass(frozen=True)
class Place:
    file: str
    line: int  # 1-based
    column: int  # 1-based
    cell: int | None = None  # the notebook cell (1-based), for .ipynb files

    def __str__(self) -> str:
        if self.cell is not None:
            return f"{self.file}:cell {self.cell}:{self.line}:{self.column}"
        return f"{self.file}:{self.line}:{self.column}"

    def moved(self, text_before: str) -> Place:
        """The place ``text_before`` further on."""
        lines = text_before.split("\n")
        if len(lines) == 1:
            return Place(self.file, self.line, self.column + len(text_before), self.cell)
        return Place(self.file, self.line + len(lines) - 1, len(lines[-1]) + 1, self.cell)


class SourceError(ValueError):
    """A document that cannot be read: ``place: what is wrong (what was expected)``."""

    def __init__(self, place: Place, message: str):
        super().__init__(f"{place}: {message}")
        self.place = place


@dataclass(frozen=True)
class Block:
    """A piece of mathematics: its text and the place of its first character."""

    text: str
    place: Place
    display: bool


@dataclass(frozen=True)
class Directive:
    """``derive: <text>`` in a comment that does not render."""

    text: str
    place: Place


@dataclass(frozen=True)
class Header:
    """The notation header: ``key: value`` lines, each with its place."""

    lines: tuple[tuple[str, str, Place], ...]
    place: Place


@dataclass(frozen=True)
class Heading:
    place: Place
    text: str = ""
    level: int = 1


# Every math environment, display or inline (``math``), that either scanner finds: one not
# found is never read and never reported, so a relation in it would go unchecked unseen.
_ENVIRONMENT = (
    r"(?P<env>\\begin\{(?P<env_name>align\*?|alignat\*?|flalign\*?|eqnarray\*?|equation\*?|gather\*?"
    r"|multline\*?|displaymath|math)\}.*?\\end\{(?P=env_name)\})"
)
_MATH = (
    r"|\$\$(?P<dollars>.*?)\$\$"
    r"|\\\[(?P<brackets>.*?)\\\]"
    r"|\\\((?P<parens>.*?)\\\)"
    r"|" + _ENVIRONMENT + r"|(?<![\\$])\$(?P<inline>[^$\n]+?)\$(?!\$)"
)

_MARKDOWN = re.compile(
    # A fence is code, never math, unless its info string says math (```math, GitHub's and
    # GitLab's display math): that one is a display block.
    r"(?P<fence>^(?P<marks>```|~~~)[ \t]*(?P<info>[^\n]*)\n(?P<fence_body>.*?)^(?P=marks)[^\n]*$)"
    r"|(?P<comment><!--(?P<comment_body>.*?)-->)"
    r"|(?P<heading>^\#{1,6}\s[^\n]*$)"
    # A Setext heading: a line of text underlined with = (level 1) or - (level 2).
    r"|(?P<setext>^[ ]{0,3}(?P<setext_title>[^\s$\\<|>#-][^\n]*)\n[ ]{0,3}(?P<underline>=+|-+)[ \t]*$)" + _MATH,
    re.S | re.M,
)

_LATEX = re.compile(
    r"(?P<comment>(?<!\\)%[^\n]*)"
    r"|(?P<heading>\\(?:section|subsection|subsubsection|chapter|paragraph)\*?\{)" + _MATH,
    re.S,
)


def _place_of(text: str, offset: int, origin: Place) -> Place:
    return origin.moved(text[:offset])


def _comment_events(body: str, place: Place, events: list) -> None:
    stripped = body.strip()
    if stripped.startswith("derive:"):
        events.append(Directive(stripped[len("derive:") :].strip(), place))
    elif stripped.split("\n", 1)[0].strip() == "derive":
        events.append(_header(body.lstrip(" "), place))


def _header(body: str, place: Place) -> Header:
    """``<!-- derive`` on a line of its own, then ``key: value`` lines, then ``-->``."""
    lines = []
    offset = 0
    for number, raw in enumerate(body.split("\n")):
        where = place.moved(body[:offset])
        offset += len(raw) + 1
        text = raw.strip()
        if number == 0 or not text or text.startswith("#"):
            continue  # the opening "derive", blank lines and remarks
        column = where.column + len(raw) - len(raw.lstrip())
        where = Place(where.file, where.line, column, where.cell)
        if ":" not in text:
            raise SourceError(where, f"header line {text!r} (expected 'key: value')")
        key, value = text.split(":", 1)
        lines.append((key.strip().lower(), value.strip(), where))
    return Header(tuple(lines), place)


def _latex_comment_events(comment: str, place: Place, events: list, pending_header: list) -> None:
    body = comment[1:].strip()
    if body.startswith("derive:"):
        events.append(Directive(body[len("derive:") :].strip(), place))
    elif body == "derive":
        pending_header.append(place)
    elif pending_header and ":" in body:
        events.append(("header-line", body, place))


def _math_block(match: re.Match, place: Place, events: list) -> None:
    """The Block a math match of either scanner stands for; its place is where the math begins."""
    if match.group("dollars") is not None:
        events.append(Block(match.group("dollars"), place.moved("$$"), True))
    elif match.group("brackets") is not None:
        events.append(Block(match.group("brackets"), place.moved("\\["), True))
    elif match.group("parens") is not None:
        events.append(Block(match.group("parens"), place.moved("\\("), False))
    elif match.group("env"):
        events.append(Block(match.group("env"), place, match.group("env_name") != "math"))
    elif match.group("inline") is not None:
        events.append(Block(match.group("inline"), place.moved("$"), False))


def scan_markdown(text: str, origin: Place) -> list:
    events: list = []
    for match in _MARKDOWN.finditer(text):
        place = _place_of(text, match.start(), origin)
        if match.group("fence"):
            if match.group("info").strip().lower() in ("math", "{math}", "latex math"):
                body = match.group("fence_body")
                at = match.start("fence_body") - match.start()
                events.append(Block(body, place.moved(match.group(0)[:at]), True))
            continue
        if match.group("comment"):
            _comment_events(match.group("comment_body"), place.moved("<!--"), events)
        elif match.group("heading"):
            marks, _, title = match.group("heading").partition(" ")
            events.append(Heading(place, title.strip(), len(marks)))
        elif match.group("setext"):
            level = 1 if match.group("underline").startswith("=") else 2
            events.append(Heading(place, match.group("setext_title").strip(), level))
        else:
            _math_block(match, place, events)
    return events


def scan_latex(text: str, origin: Place) -> list:
    events: list = []
    pending_header: list = []
    header_lines: list = []
    for match in _LATEX.finditer(text):
        place = _place_of(text, match.start(), origin)
        if match.group("comment"):
            before = len(events)
            _latex_comment_events(match.group("comment"), place, events, pending_header)
            if len(events) > before and isinstance(events[-1], tuple):
                header_lines.append(events.pop())
            continue
        if pending_header and header_lines:
            events.insert(0, _latex_header(header_lines, pending_header[0]))
            pending_header.clear()
            header_lines = []
        if match.group("heading"):
            events.append(Heading(place))
        else:
            _math_block(match, place, events)
    if pending_header and header_lines:
        events.insert(0, _latex_header(header_lines, pending_header[0]))
    return events


def _latex_header(lines, place: Place) -> Header:
    parsed = []
    for _, body, where in lines:
        key, value = body.split(":", 1)
        parsed.append((key.strip().lower(), value.strip(), where))
    return Header(tuple(parsed), place)


def read_source(path: str | Path, data: bytes | None = None) -> list:
    """The events of a document, in order: Header, Directive, Heading, Block. ``data``: the
    file's bytes when the caller has read them already (then they are what is read, even if
    the file has changed since)."""
    path = Path(path)
    name = str(path)
    origin = Place(name, 1, 1)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise SourceError(origin, f"cannot read ({error.strerror})") from None
    if len(data) > MAX_BYTES:
        raise SourceError(origin, f"the file is larger than {MAX_BYTES // 1_000_000} MB (expected a derivation)")
    if b"\x00" in data:
        raise SourceError(origin, "a binary file (expected Markdown, LaTeX or a notebook)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        where = origin.moved(data[: error.start].decode("utf-8", errors="replace"))
        raise SourceError(where, "not UTF-8 text (expected Markdown, LaTeX or a notebook)") from None
    if not text.strip():
        raise SourceError(origin, "the file is empty (expected a derivation)")
    suffix = path.suffix.lower()
    if suffix == ".ipynb":
        return _scan_notebook(text, name)
    if suffix in (".tex", ".latex"):
        return scan_latex(text, origin)
    return scan_markdown(text, origin)


def _scan_notebook(text: str, name: str) -> list:
    import json
    import warnings

    import nbformat

    try:
        with warnings.catch_warnings():
            # nbformat warns on stderr, in several lines, about what derive does not read (a
            # cell without an id); the markdown cells are all it needs.
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(text, as_version=4)
    except (nbformat.reader.NotJSONError, json.JSONDecodeError, ValueError) as error:
        line = getattr(error, "lineno", 1) or 1
        column = getattr(error, "colno", 1) or 1
        raise SourceError(Place(name, line, column), "not a readable notebook (expected Jupyter's JSON)") from None
    except Exception as error:  # nbformat raises several kinds for malformed notebooks
        raise SourceError(Place(name, 1, 1), f"not a readable notebook ({type(error).__name__})") from None
    # nbformat reads JSON of any shape without complaint: cells, and their sources, may be anything.
    cells = notebook.get("cells", []) if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise SourceError(Place(name, 1, 1), "not a readable notebook (expected a list of cells)")
    events: list = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            raise SourceError(Place(name, 1, 1, number), "not a notebook cell (expected a JSON object)")
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise SourceError(Place(name, 1, 1, number), "the cell's source is not text (expected a string or lines)")
        events += scan_markdown(source, Place(name, 1, 1, number))
    return events
