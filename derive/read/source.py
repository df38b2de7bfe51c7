"""Find the mathematics in a document as its author wrote it: Markdown (``$$ … $$``,
``\\[ … \\]``, fences whose info string is ``math``, ``\\begin{align*} … \\end{align*}`` and the other
display environments, inline ``$ … $`` and ``\\( … \\)``), LaTeX, and the markdown cells of
Jupyter notebooks. Also the parts of a document that do not render: the notation
header and the ``derive:`` directives (HTML comments in Markdown, ``%`` comments in LaTeX),
and the headings that end a case.

Markdown is read as CommonMark by markdown-it-py (with the dollarmath and amsmath plugins
and a rule for ``\\[ … \\]`` blocks): it decides what is a heading, code, an HTML block
or a paragraph, and each block's own source lines are then searched for comments, code
spans and math, so that a place is exact and nothing crosses a block. What is typeset but
not read (an ``\\input`` file, a notebook's rendered outputs) is an :class:`Unread`.

Every piece carries its :class:`Place` so that errors and verdicts point at the file, line
and column (and notebook cell) where the author wrote it.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

__all__ = [
    "Block",
    "Directive",
    "Header",
    "Heading",
    "MacroDefinitions",
    "Place",
    "SourceError",
    "Unread",
    "read_source",
]

MAX_BYTES = 2_000_000  # a derivation, not a data set (for a notebook: one cell)
MAX_NOTEBOOK_BYTES = 200_000_000  # a notebook with its outputs


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
        self.message = message


@dataclass(frozen=True)
class Block:
    """A piece of mathematics: its text and the place of its first character."""

    text: str
    place: Place
    display: bool
    # Inline mathematics only: the words of its paragraph before it ("If", "When"), and the text
    # between it and the display that comes next (", then"), from which the reader may learn a
    # case stated in the prose for that display ("If $i = k$, then $$ ... $$"). lead is empty
    # when the math opens a paragraph, follows other mathematics in it, or is quoted;
    # into_display is None when what comes next is not a display of the same passage.
    lead: str = ""
    into_display: str | None = None
    # Shown as part of the text, for certain: an equation in it may define a name for the whole
    # document. False for math in an HTML block, in lines outside every Markdown block (a link
    # reference definition), in an image's alt text or a link's title, and in LaTeX inside a
    # command's argument (\comment{...} may swallow it, \phantom hide it).
    defining: bool = True
    # A case stated in the prose governs the run of displays right after it (see
    # derive.read.derivation): ``alone`` marks inline mathematics that is all its paragraph holds
    # (punctuation aside), set apart like a display; ``after_words``, mathematics with words of
    # the text (a code span, an HTML tag) between it and the mathematics (or the paragraph
    # start) before it; ``words_after``, the same after it, to the next mathematics or the
    # paragraph's end.
    alone: bool = False
    after_words: bool = False
    words_after: bool = False  # Markdown: words after it in its paragraph (LaTeX: after_words of the next)


@dataclass(frozen=True)
class Passage:
    """A Markdown block begins (a paragraph, a display, a fence, a list item's paragraph, an HTML
    block): what a case stated in the prose may not reach across (see Block.into_display)."""

    place: Place


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
class MacroDefinitions:
    """Macros the document defines (``\\newcommand``, ``\\def``, ``\\DeclareMathOperator``, a
    notebook's MathJax macros), in force for the mathematics after them."""

    macros: tuple  # of derive.read.latex_markup.Macro
    place: Place
    # How it meets an earlier definition of the same name (read_source settles it): "provide"
    # keeps the first (\providecommand, as TeX does); "new" keeps the first and lists this one
    # (\newcommand of a defined name: LaTeX reports an error); "contested": renderers disagree
    # (a Markdown math block redefining a name: MathJax takes it for the page, KaTeX does not),
    # so the name is refused from there on.
    meets: str = ""


@dataclass(frozen=True)
class Heading:
    place: Place
    text: str = ""
    level: int = 1
    # shown on the page for certain: not inside an HTML block that may hide it (<div hidden>),
    # a TeX conditional or a command's argument (a heading there starts no new section)
    shown: bool = True


# Every math environment, display or inline (``math``), that either scanner finds: one not
# found is never read and never reported, so a relation in it would go unchecked unseen.
_ENVIRONMENT = (
    r"(?P<env>\\begin\{(?P<env_name>align\*?|alignat\*?|flalign\*?|eqnarray\*?|equation\*?|gather\*?"
    r"|multline\*?|displaymath|math)\}(?:(?!\\(?:begin|end)\{(?P=env_name)\}).)*\\end\{(?P=env_name)\})"
)
# Each body above and below stops at an opener of its own kind (no environment nests in itself,
# no display in a display): a scan from an opener that never closes then ends at the next one,
# so that a text of many unclosed openers is read in linear time, not quadratic.
# A dollar escaped by one backslash is text; after an escaped backslash (\\$) it opens math.
_UNESCAPED = r"(?<!(?<!\\)\\)"
_MATH = (
    r"|" + _UNESCAPED + r"\$\$(?P<dollars>.*?)\$\$"
    r"|" + _UNESCAPED + r"\\\[(?P<brackets>(?:(?!(?<!\\)\\[\[\]]).)*)\\\]"
    r"|" + _UNESCAPED + r"\\\((?P<parens>(?:(?!(?<!\\)\\[()]).)*)\\\)"
    r"|" + _ENVIRONMENT + r"|" + _UNESCAPED + r"(?<!\$)\$"
    # inline math may go on to the next line of its paragraph (never across a blank line)
    r"(?P<inline>(?:[^$\n]|\n(?![ \t]*(?:\n|\Z)))+?)\$(?!\$)"
)

# A (re)definition of a command changes what the page shows: \renewcommand{\sum}{\prod}
# typesets a product where derive would read a sum.
_DEFINITION = (
    r"|(?P<definition>\\(?P<definer>(?:renew|provide|new)command|DeclareRobustCommand|[gex]?def|let|futurelet"
    r"|DeclareMathOperator|(?:New|Renew|Provide|Declare)DocumentCommand|(?:re)?newenvironment)(?![A-Za-z])"
    r"\*?\s*\{?\s*(?P<defined>\\[A-Za-z]+|\\.|[A-Za-z]+\*?)?)"
)

# Markdown, one block at a time (markdown-it-py finds the blocks): a code span is code, an
# HTML tag is markup (a comment opener inside an attribute opens nothing), and a comment is
# <!-->, <!---> or <!-- ... --> as CommonMark and HTML close it.
_MARKDOWN = re.compile(
    r"(?P<code>(?<![`\\])(?P<ticks>`+)(?!`).*?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<comment><!--(?:-?>|(?P<comment_body>.*?)-->))"
    r"|(?P<tag><[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*"
    r"\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)" + _DEFINITION + _MATH,
    re.S,
)

_LATEX = re.compile(
    r"(?P<comment>(?<!\\)%[^\n]*)"
    r"|(?P<verbatim>\\verb\*?(?P<verb_mark>[^A-Za-z\s*]).*?(?P=verb_mark)"
    r"|\\begin\{(?P<verb_env>verbatim\*?|Verbatim\*?|lstlisting|minted|comment)\}"
    r"(?:(?!\\(?:begin|end)\{(?P=verb_env)\}).)*\\end\{(?P=verb_env)\})"
    # \section{...}, \section*{...}, \section[short]{...}, \section {...}: the command is the heading
    r"|(?P<heading>\\(?:part|chapter|section|subsection|subsubsection|paragraph|subparagraph"
    r"|addpart|addchap|addsec|minisec)(?![A-Za-z]))"
    r"|(?P<include>\\(?:input|include|subfile|import|subimport|InputIfFileExists)(?![A-Za-z])"
    r"\s*(?:\{(?P<included>[^{}]*)\}|(?P<bare>[^\s{}\\]+))?)" + _DEFINITION + _MATH,
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


def _decoded(data: bytes, origin: Place, expected: str) -> str:
    """The bytes as UTF-8 text, or bad input placed at the first byte that is not."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        where = origin.moved(data[: error.start].decode("utf-8", errors="replace"))
        raise SourceError(where, f"not UTF-8 text (expected {expected})") from None


def read_notation_file(path: str | Path, data: bytes | None = None) -> Header:
    """A notation header given as a file of its own: its ``key: value`` lines, nothing else
    (``data``: its bytes, when the caller has read them already)."""
    origin = Place(str(path), 1, 1)
    try:
        data = Path(path).read_bytes() if data is None else data
    except OSError as error:
        raise SourceError(origin, f"cannot read the notation file ({error.strerror})") from None
    if len(data) > 100_000:
        raise SourceError(origin, "the notation file is larger than 100 kB (expected a header's lines)")
    text = _NEWLINE.sub("\n", _decoded(data, origin, "a notation header's lines"))
    # _header skips its first line (the opening "derive" of a comment): give it an empty one.
    return _header("\n" + text, Place(str(path), 0, 1))


def _latex_comment_events(comment: str, place: Place, events: list, pending_header: list) -> None:
    body = comment[1:].strip()
    if body.startswith("derive:"):
        events.append(Directive(body[len("derive:") :].strip(), place))
    elif body == "derive":
        pending_header.append(place)
    elif pending_header and ":" in body:
        events.append(("header-line", body, place))


def _is_display(match: re.Match) -> bool:
    groups = match.groupdict()
    if groups.get("dollars") is not None or groups.get("brackets") is not None:
        return True
    return bool(groups.get("env")) and groups.get("env_name") != "math"


def _case_context(text: str, matches: list, k: int, previous_end: int, passage: bool) -> tuple[str, str | None]:
    """``lead`` and ``into_display`` of the k-th match (see Block). ``passage``: ``text`` is one
    Markdown block (a paragraph), whose end is followed by a Passage event; otherwise (LaTeX)
    the display must come next in the same text."""
    lead = _lead(text, matches[k].start(), previous_end)
    if not lead and k > 0 and _is_display(matches[k - 1]) and matches[k - 1].end() == previous_end:
        # "\[ ... \] If \(i=j\), \[ ... \]": words after a display begin a new sentence
        lead = text[previous_end : matches[k].start()].strip()
    following = matches[k + 1] if k + 1 < len(matches) else None
    if following is None:
        return lead, text[matches[k].end() :] if passage else None
    if not _is_display(following) and _is_inline_math(following):
        # "When $i=k$, using $\frac{d \log x}{dx} = \frac{1}{x}$, we get:" and the display: the
        # words with the one formula they cite (derive.read.derivation decides what they say)
        after = matches[k + 2] if k + 2 < len(matches) else None
        if after is None and passage:
            return lead, text[matches[k].end() :]
        if after is not None and _is_display(after):
            return lead, text[matches[k].end() : after.start()]
        return lead, None
    return lead, text[matches[k].end() : following.start()] if _is_display(following) else None


def _has_words(text: str) -> bool:
    """Anything but spacing and punctuation: words (or symbols) a reader reads between two
    pieces of mathematics."""
    return bool(re.search(r"[^\s.,;:]", text))


def _is_inline_math(match: re.Match) -> bool:
    groups = match.groupdict()
    return groups.get("inline") is not None or groups.get("parens") is not None


def _lead(text: str, start: int, previous_end: int) -> str:
    """The words of the paragraph before ``start``, back to the previous match or the blank line
    that begins the paragraph; '' when other mathematics comes first in it."""
    before = text[previous_end:start]
    paragraph = re.split(r"\n[ \t]*\n", before)
    if len(paragraph) == 1 and previous_end > 0:
        return ""  # something else (mathematics, a comment) opened the paragraph
    return paragraph[-1].strip()


def _math_block(
    match: re.Match,
    place: Place,
    events: list,
    latex: bool = False,
    lead: str = "",
    into: str | None = None,
    defining: bool = True,
    alone: bool = False,
    after_words: bool = False,
    words_after: bool = False,
) -> None:
    """The Block a math match of either scanner stands for; its place is where the math begins."""
    if match.group("dollars") is not None:
        block = Block(match.group("dollars"), place.moved("$$"), True)
    elif match.group("brackets") is not None:
        block = Block(match.group("brackets"), place.moved("\\["), True)
    elif match.group("parens") is not None:
        block = Block(match.group("parens"), place.moved("\\("), False, lead, into)
    elif match.group("env"):
        block = Block(match.group("env"), place, match.group("env_name") != "math")
    elif match.group("inline") is not None:
        block = Block(match.group("inline"), place.moved("$"), False, lead, into)
    else:
        return
    if not defining:
        block = replace(block, defining=False)
    if alone or after_words or words_after:
        block = replace(block, alone=alone and not block.display, after_words=after_words, words_after=words_after)
    # A definition inside the mathematics holds from where it stands to the end of the block
    # (the math reader applies it). In TeX a math block is a group: nothing is carried to the
    # blocks after it (a \gdef would be: its name is refused from there on). MathJax keeps a
    # definition for the whole page, KaTeX for its block only: in Markdown a new name is carried
    # on, and a name defined before is refused after the block (settled in read_source).
    defined: list = []
    rest = block.text
    found = list(re.finditer(_DEFINITION[1:], block.text))
    scopes = _scopes(block.text) if found else {}
    for definition in found:
        where = block.place.moved(block.text[: definition.start()])
        braces, groups, _, is_global, _ = scopes.get(definition.start(), (0, 0, 0, False, False))
        _refuse_redefinition(definition, where)
        if latex:
            if is_global or definition.group("definer") in ("gdef", "xdef"):
                _refused(definition, where, "with \\gdef inside a math block, which derive does not carry on", defined)
        elif braces or groups or re.search(r"&|\\\\|\\cr(?![A-Za-z])", block.text[definition.end() :]):
            _refused(definition, where, _IN_A_MATH_GROUP, defined)
        else:
            _definition(definition, block.text, where, defined, meets="contested")
    if found:
        from .latex_markup import parse_definition

        for definition in reversed(found):
            parsed = parse_definition(block.text, definition.start())
            if parsed is not None:
                rest = rest[: definition.start()] + rest[parsed[1] :]
    if rest.strip():  # a block of definitions alone states nothing
        events.append(block)
    events.extend(defined)


_IN_A_MATH_GROUP = (
    "inside braces, an environment or an alignment cell of a math block: TeX and KaTeX keep it there, MathJax for"
    " the whole page"
)


def _refuse_redefinition(match: re.Match, place: Place) -> None:
    """A definition of a command (or environment) that derive reads is bad input: the page
    would show one statement and derive would check another. A new name is left alone (the
    math reader refuses a command it does not know where it is used)."""
    from .latex_markup import MARKUP_COMMANDS
    from .latex_tokens import READ_COMMANDS, READ_ENVIRONMENTS

    defined = match.group("defined") or ""
    definer = match.group("definer")
    if definer.endswith("environment"):
        if defined.lstrip("\\") in READ_ENVIRONMENTS:
            raise SourceError(
                place,
                f"\\{definer} redefines the environment {defined}, which derive reads (expected its standard meaning)",
            )
        return
    if not defined.startswith("\\"):
        return
    if defined[1:] in READ_COMMANDS or defined[1:] in MARKUP_COMMANDS:
        raise SourceError(
            place,
            f"\\{definer} redefines {defined}, which derive reads: the page would show another statement than the"
            " one checked (expected the standard meaning; define a new name instead)",
        )


@dataclass(frozen=True)
class Unread:
    """Something that renders (or is typeset) but is not read: listed with the reason, never dropped."""

    place: Place
    text: str
    reason: str


def _markdown_parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.amsmath import amsmath_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    # The math plugins keep the lines of a display block out of Markdown's hands (a "---" or
    # an indented line in a $$ block is not a heading or code); the math itself is then found
    # in each block's own source lines, so that every place is exact.
    md = MarkdownIt("commonmark").use(dollarmath_plugin, double_inline=True).use(amsmath_plugin)
    md.block.ruler.before(
        "fence", "math_brackets", _bracket_block, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    return md


def _bracket_block(state, start: int, end: int, silent: bool) -> bool:
    """``\\[`` at the start of a line, up to the line with ``\\]``: a display block."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    first = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("\\[", first):
        return False
    line = start
    while line < end:
        begin = first + 2 if line == start else state.bMarks[line] + state.tShift[line]
        if "\\]" in state.src[begin : state.eMarks[line]]:
            break
        line += 1
    else:
        return False
    if not silent:
        token = state.push("math_block_brackets", "math", 0)
        token.block = True
        token.map = [start, line + 1]
    state.line = line + 1
    return True


_CONTAINERS = ("blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open", "inline")
_NEWLINE = re.compile(r"\r\n?")
_MATH_FENCE = ("math", "{math}", "latex math")


def scan_markdown(text: str, origin: Place) -> list:
    """The events of a Markdown document. markdown-it-py (CommonMark) decides what is a
    block: a heading (ATX, indented or empty, or Setext whatever its title begins with), a
    fence or an indented code block (code, never math, unless the fence says ``math``), an
    HTML block. Each block's own lines are then searched for comments, code spans and math."""
    text = _NEWLINE.sub("\n", text)  # as markdown-it reads it, so that its lines are ours
    events: list = []
    text = _front_matter(text, origin, events)
    lines = text.split("\n")
    tokens = _markdown_parser().parse(text)
    events += _page_macros(text, origin, _scripts(tokens, lines))
    leaves = []  # (token, blockquote depth, its index, whether a list or quote began or ended before it)
    depth = 0
    crossed = False
    for at, token in enumerate(tokens):
        if token.type.endswith(
            ("list_open", "list_close", "item_open", "item_close", "blockquote_open", "blockquote_close")
        ):
            crossed = True
        if token.type == "blockquote_open":
            depth += 1
        elif token.type == "blockquote_close":
            depth -= 1
        elif token.map is not None and token.type not in _CONTAINERS:
            leaves.append((token, depth, at, crossed))
            crossed = False
    covered = 0  # lines before this have been read (or are code)
    open_elements = 0  # HTML elements an HTML block opened and none has closed yet (<div hidden>)
    open_names: list = []
    for number, (token, quoted, at, crossed) in enumerate(leaves):
        if crossed:  # out of a list item or a quote, or into one: one more block boundary
            events.append(Passage(_line_place(origin, token.map[0])))
        first, last = token.map
        first = max(first, covered)
        # A block's lines run to the next block (the plugins' maps may stop one line short).
        following = leaves[number + 1][0].map[0] if number + 1 < len(leaves) else len(lines)
        code = token.type == "code_block" or (token.type == "fence" and token.info.strip().lower() not in _MATH_FENCE)
        if covered < first:
            events.append(Passage(_line_place(origin, covered)))
            _scan_region(lines, covered, first, 0, origin, events, defining=False)
        events.append(Passage(_line_place(origin, first)))
        if code:
            covered = max(covered, last)
            continue
        if token.type == "fence":
            body = token.content.count("\n")
            region = _unquoted(lines[first + 1 : first + 1 + body], quoted)
            where = Place(origin.file, origin.line + first + 1, 1, origin.cell)
            events.append(Block("".join(line + "\n" for line in region), where, True))
            covered = max(covered, last)
            continue
        if token.type == "heading_open":
            indent = len(lines[first]) - len(lines[first].lstrip(" >"))
            title = tokens[at + 1].content.strip()
            place = _line_place(origin, first, indent)
            events.append(Heading(place, title, int(token.tag[1]), shown=open_elements == 0))
        end = max(last, following)
        if token.type == "html_block":
            open_names = html_elements_open(token.content, open_names)
            open_elements = len(open_names)
            _scan_region(lines, first, end, quoted, origin, events, defining=False)
        else:  # Markdown inside an element an HTML block opened may be hidden with it
            # and an element a paragraph leaves open stays open after it (a <div hidden> there
            # ends the paragraph and hides what follows), but one of the text's own (<span>,
            # <small>, <b>), which the paragraph's end closes
            left_open = _scan_region(lines, first, end, quoted, origin, events, defining=open_elements == 0)
            carried = [
                name.rstrip("!") for name in left_open or () if name.endswith("!") or not re.fullmatch(_PHRASING, name)
            ]
            open_names = html_elements_open("".join(f"<{name}>" for name in carried), open_names)
            open_elements = len(open_names)
        covered = max(covered, end)
    if covered < len(lines):
        events.append(Passage(_line_place(origin, covered)))
        _scan_region(lines, covered, len(lines), 0, origin, events, defining=False)
    return events


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?=[\w-]+[ \t]*:)(?P<body>.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def _front_matter(text: str, origin: Place, events: list) -> str:
    """YAML front matter (Jekyll, Quarto, R Markdown) is not the page: its lines are blanked
    (so that no '---' makes a heading of them), and the macros it defines (``header-includes``)
    are kept."""
    m = _FRONT_MATTER.match(text)
    if m is None:
        return text
    for definition in re.finditer(_DEFINITION[1:], m.group(0)):
        _definition(definition, m.group(0), _place_of(m.group(0), definition.start(), origin), events)
    return "\n" * m.group(0).count("\n") + text[m.end() :]


# MathJax 3: MathJax = {tex: {macros: {R: "{\\mathbb{R}}", norm: ["\\lVert #1 \\rVert", 1]}}};
# MathJax 2: MathJax.Hub.Config({TeX: {Macros: {...}}}).
_MACROS_OBJECT = re.compile(r"\b[Mm]acros\s*:\s*\{")
_JS_STRING = r"(?:\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')"
_JS_ENTRY = re.compile(
    r"\s*(?:(?P<key>[A-Za-z]+)|[\"'](?P<quoted>[A-Za-z]+)[\"'])\s*:\s*"
    r"(?:(?P<body>" + _JS_STRING + r")|\[\s*(?P<listed>" + _JS_STRING + r")\s*,\s*(?P<nargs>[0-9])\s*"
    r"(?:,\s*(?P<default>" + _JS_STRING + r")\s*)?\])\s*(?P<end>,|\})"
)


def _js_string(written: str) -> str | None:
    """A JavaScript string literal's text; None if it holds an escape other than \\\\ or a
    quote (\"\\frac" is a form feed and 'rac' to JavaScript: the page shows no fraction)."""
    body = written[1:-1]
    if re.search(r"\\[^\\\"']", body.replace("\\\\", "")):
        return None
    return re.sub(r"\\(.)", r"\1", body)


def _scripts(tokens: list, lines: list[str]) -> list[tuple[int, int]]:
    """Where the page's scripts are (their bodies, as offsets in the text): an HTML block that
    is a <script> element, as CommonMark finds it. A script shown in a code span or block, in
    an HTML comment, inside another element or in a quote is not counted (it may not run)."""
    found = []
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for token in tokens:
        if token.type != "html_block" or not token.map:
            continue
        first, last = token.map
        block = "\n".join(lines[first:last])
        script = re.match(r"[ ]{0,3}<script\b[^>]*>(.*?)</script\s*>", block, re.S | re.I)
        if script:
            found.append((starts[first] + script.start(1), starts[first] + script.end(1)))
    return found


def _page_macros(text: str, origin: Place, scripts: list[tuple[int, int]]) -> list:
    """The macros a page's MathJax configuration defines (in ``scripts``), for the whole page."""
    if "MathJax" not in text:
        return []
    events: list = []
    for found in _MACROS_OBJECT.finditer(text):
        if not any(start <= found.start() < end for start, end in scripts):
            continue  # shown (in code, in prose), not run
        at, macros = found.end(), []
        place = _place_of(text, found.start(), origin)
        while True:
            entry = _JS_ENTRY.match(text, at)
            if entry is None:
                break
            at = entry.end()
            name = entry.group("key") or entry.group("quoted")
            body = _js_string(entry.group("body") or entry.group("listed"))
            default = _js_string(entry.group("default")) if entry.group("default") else None
            if body is not None and (default is not None or not entry.group("default")):
                macros.append(_macro(name, int(entry.group("nargs") or 0), body, default, place))
            if entry.group("end") == "}":
                break
        if macros:
            events.append(MacroDefinitions(tuple(macros), place))
    return events


def _macro(name: str, nargs: int, body: str, default: str | None, place: Place):
    """A macro from a configuration (MathJax, a notebook's metadata): refused if derive reads its name."""
    from .latex_markup import MARKUP_COMMANDS, Macro
    from .latex_tokens import READ_COMMANDS

    if name in READ_COMMANDS or name in MARKUP_COMMANDS:
        raise SourceError(
            place, f"the MathJax macro {name} redefines \\{name}, which derive reads (expected a new name)"
        )
    return Macro(name, nargs, body, str(place), default)


def _line_place(origin: Place, line: int, column: int = 0) -> Place:
    """The place of 0-based ``line`` and ``column`` of a text that begins at ``origin``."""
    if line == 0:
        return Place(origin.file, origin.line, origin.column + column, origin.cell)
    return Place(origin.file, origin.line + line, column + 1, origin.cell)


def _unquoted(region: list[str], quoted: int) -> list[str]:
    """Lines of a block inside ``>`` quotes, the quote marks blanked (columns kept)."""
    if not quoted:
        return list(region)
    # Only the block's own depth of marks, and only at the start of a line: a '>' further on
    # (2 > s_i/2 inside the math, or a lazy continuation line with none) is the author's.
    marks = re.compile(rf"^(?:[ ]{{0,3}}>[ ]?){{1,{quoted}}}")
    return [marks.sub(lambda m: " " * len(m.group(0)), line, count=1) for line in region]


def _scan_region(
    lines: list[str], first: int, end: int, quoted: int, origin: Place, events: list, defining: bool = True
) -> list | None:
    """The events of one block's lines; the HTML elements its tags leave open."""
    if first >= end:
        return None
    region = "\n".join(_unquoted(lines[first:end], quoted))
    if not region.strip():
        return None
    hidden = [m.span() for m in _NOT_SHOWN_AS_TEXT.finditer(region)]
    start = _line_place(origin, first)
    previous_end = 0
    matches = list(_MARKDOWN.finditer(region))
    hidden = _merged(hidden + _struck(region, matches) + _not_markup(region))
    hidden_starts = [span[0] for span in hidden]
    open_inline: list = []  # HTML elements opened in this block: <span hidden>, <del>, <template>
    open_counts: Counter = Counter()
    hiding: list = []  # for each, whether it may hide what it holds beyond the paragraph
    maths = [m for m in matches if not (m.group("code") or m.group("tag") or m.group("comment"))]
    math_starts = [m.start() for m in maths]
    is_math = {id(m) for m in maths}
    math_end = 0  # the end of the mathematics before: code spans and tags between are words
    for k, match in enumerate(matches):
        lead, into = _case_context(region, matches, k, previous_end, True) if not quoted else ("", None)
        after_words = _has_words(region[math_end : match.start()])
        following = bisect.bisect_left(math_starts, match.end())
        words_after = _has_words(
            region[match.end() : math_starts[following] if following < len(math_starts) else len(region)]
        )
        alone = (
            len(maths) == 1 and maths[0] is match and not _has_words(region[: match.start()] + region[match.end() :])
        )
        previous_end = match.end()
        if id(match) in is_math:
            math_end = match.end()
        if match.group("tag"):
            _tag_met(match.group("tag"), open_inline, open_counts, hiding)
        if match.group("code") or match.group("tag"):
            continue
        place = _place_of(region, match.start(), start)
        if match.group("comment"):
            if match.group("comment_body") is not None:
                _comment_events(match.group("comment_body"), place.moved("<!--"), events)
        elif match.group("definition"):
            # MathJax and KaTeX read only the mathematics; pandoc reads a definition in the prose too
            _refuse_redefinition(match, place)
            _refused(
                match, place, "in the prose, outside the mathematics (MathJax does not run it, pandoc does)", events
            )
        else:
            # a definition only where the page shows it for certain: not struck through, not
            # in an element that may hide it (<span hidden>, <del>, <noscript>: any element)
            shown = defining and not open_inline and not _inside(match.start(), hidden, hidden_starts)
            _math_block(
                match,
                place,
                events,
                lead=lead,
                into=into,
                defining=shown,
                alone=alone,
                after_words=after_words,
                words_after=words_after,
            )
    # a browser reopens a formatting element (<b hidden>, <font color=white>, <s>) in the next
    # paragraph: one written with attributes, or struck, is carried on (marked "!")
    return [name + "!" if hides else name for name, hides in zip(open_inline, hiding)]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans made disjoint and ordered (so that one bisection finds the one a place is in)."""
    merged: list[tuple[int, int]] = []
    for start, stop in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


def _inside(at: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    k = bisect.bisect_right(starts, at) - 1
    return k >= 0 and at < spans[k][1]


_NOT_MARKUP_OPEN = re.compile(r"<\?|<!\[CDATA\[|<![A-Za-z]")


def _not_markup(region: str) -> list[tuple[int, int]]:
    """Processing instructions, CDATA sections and declarations (<?x ... ?>, <!X ... >): raw
    HTML that a browser shows nothing of. Each to its closer, or to the end of the block; one
    pass however many stay unclosed."""
    spans, at = [], 0
    while (m := _NOT_MARKUP_OPEN.search(region, at)) is not None:
        closer = {"<?": "?>", "<![CDATA[": "]]>"}.get(m.group(0), ">")
        end = region.find(closer, m.end())
        end = len(region) if end < 0 else end + len(closer)
        spans.append((m.start(), end))
        at = end
    return spans


def _struck(region: str, matches: list) -> list[tuple[int, int]]:
    """The spans struck through with ~~ (GitHub's Markdown) outside code, tags, comments and
    math: from each opener to its closer, or to the end of the block when none closes it."""
    taken = [m.span() for m in matches]  # in order, none overlapping
    starts = [span[0] for span in taken]
    marks = [m.start() for m in re.finditer(r"~~", region) if not _inside(m.start(), taken, starts)]
    marks.append(len(region))
    return [(marks[k], marks[k + 1]) for k in range(0, len(marks) - 1, 2)]


_VOID = "area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr"
# elements of the text itself, which the end of a paragraph closes (HTML's phrasing content
# that a </p> pops; not <div>, <details>, <template>, which end the paragraph instead)
_PHRASING = (
    "a|abbr|b|bdi|bdo|big|cite|code|data|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span|strike"
    "|strong|sub|sup|time|tt|u|var"
)
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*>")
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


def html_elements_open(content: str, open_names: list) -> list:
    """The HTML elements still open after ``content``, given those open before it, as a browser
    counts them: "<div hidden/>" opens a div (HTML ignores the slash on an element that is not
    void), and a closing tag that matches no open element ("</b>") closes nothing."""
    names = list(open_names)
    counts = Counter(names)
    for m in _HTML_TAG.finditer(content):
        _tag_met(m.group(0), names, counts)
    return names


def _tag_met(tag: str, names: list, counts: Counter, hiding: list | None = None) -> None:
    """``names`` (and how many of each) after one tag, in place: each tag costs what it opens
    or closes, however many elements are open. ``hiding``, kept beside ``names``: whether
    each was written with attributes or is struck text."""
    closing, name = _TAG_NAME.match(tag).groups()
    name = name.lower()
    if not closing:
        if not re.fullmatch(_VOID, name):
            names.append(name)
            counts[name] += 1
            if hiding is not None:
                hiding.append(bool(re.search(r"\s[A-Za-z_:]", tag)) or name in ("s", "strike", "del"))
    elif counts[name]:
        while (popped := names.pop()) != name:
            counts[popped] -= 1
            if hiding is not None:
                hiding.pop()
        counts[name] -= 1
        if hiding is not None:
            hiding.pop()


# An image's alt text and a link's destination and title: text, but not shown as the text.
_NOT_SHOWN_AS_TEXT = re.compile(r"!\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]|\]\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)")


def _definition(match: re.Match, text: str, place: Place, events: list, refused: str = "", meets: str = "") -> None:
    r"""A (re)definition: refused if it changes a command derive reads, else a macro for the
    mathematics after it. One derive does not read (``refused``, \edef, \let, delimited
    parameters) makes its name refused where it is used: an earlier meaning never stands in."""
    from .latex_markup import parse_definition

    _refuse_redefinition(match, place)
    definer = match.group("definer")
    if not refused and definer in ("edef", "xdef"):
        refused = f"by \\{definer}, which expands its body when it is defined"
    defined = None if refused else parse_definition(text, match.start())
    if defined is None:
        _refused(match, place, refused or "in a form derive does not read (\\let, delimited parameters...)", events)
        if refused.startswith(("by \\", "inside a TeX conditional")):
            events.append(Unread(place, match.group(0), f"a definition {refused}: not read"))
        return
    macro, _ = defined
    if definer == "providecommand":
        meets = "provide"
    elif definer == "newcommand" and not meets:
        meets = "new"
    events.append(MacroDefinitions((replace(macro, where=str(place)),), place, meets))


def _refused(match: re.Match, place: Place, reason: str, events: list) -> None:
    """The defined name, refused from here on where it is used (if it is a command)."""
    from .latex_markup import Macro

    name = match.group("defined") or ""
    if re.fullmatch(r"\\[A-Za-z]+", name) and not match.group("definer").endswith("environment"):
        why = f"is defined at {place} {reason}: derive does not read that definition"
        events.append(MacroDefinitions((Macro(name[1:], 0, "", str(place), refused=why),), place))


_TEX_GROUPING = re.compile(
    r"(?P<comment>%[^\n]*)"
    r"|(?P<verbatim>\\verb\*?(?P<verb_mark>[^A-Za-z\s*]).*?(?P=verb_mark)"
    r"|\\begin\{(?P<verb_env>verbatim\*?|Verbatim\*?|lstlisting|minted|comment)\}"
    r"(?:(?!\\(?:begin|end)\{(?P=verb_env)\}).)*\\end\{(?P=verb_env)\})"
    r"|\\(?P<word>[A-Za-z@]+)|(?P<symbol>\\.|\$)|(?P<brace>[{}])",
    re.S,
)
# Commands whose next control sequences are names, not run: \newif\ifdraft, \let\a\iftrue
_NAMING = {"newif": 1, "def": 1, "gdef": 1, "edef": 1, "xdef": 1, "let": 2, "futurelet": 3}


def _scopes(text: str) -> dict[int, tuple[int, int, int, bool, bool]]:
    r"""For each control word of a TeX text, where it stands: inside how many braces, groups (an
    environment other than ``document``, \begingroup) and TeX conditionals (\if... \fi outside
    braces), whether \global comes just before it, and whether it defines a name it computes
    (\csname, \expandafter\def...)."""
    found: dict[int, tuple[int, int, int, bool, bool]] = {}
    braces = groups = conditionals = 0
    names_left = 0
    is_global = False
    for m in _TEX_GROUPING.finditer(text):
        if m.group("brace"):
            braces += 1 if m.group("brace") == "{" else -1
            continue
        word = m.group("word")
        if word is None:
            if m.group("symbol"):  # \[, \(, $: where mathematics may open
                found[m.start()] = (max(braces, 0), groups, conditionals, is_global, False)
            continue
        computed = word in _COMPUTED or (word == "expandafter" and _DEFINER_NEXT.match(text, m.end()) is not None)
        found[m.start()] = (max(braces, 0), groups, conditionals, is_global, computed)
        is_global = word == "global"
        if names_left:
            names_left -= 1
        elif word in _NAMING:
            names_left = _NAMING[word]
        elif word in ("begin", "end"):
            env = re.match(r"\s*\{([^{}]*)\}", text[m.end() : m.end() + 200])
            if env and env.group(1).strip() != "document":
                groups = groups + 1 if word == "begin" else max(groups - 1, 0)
        elif word in ("begingroup", "endgroup"):
            groups = groups + 1 if word == "begingroup" else max(groups - 1, 0)
        elif braces <= 0 and word.startswith("if") and word not in ("iff", "ifthenelse"):
            conditionals += 1
        elif braces <= 0 and word == "fi":
            conditionals = max(conditionals - 1, 0)
    return found


_COMPUTED = frozenset(
    "csname @namedef csdef csgdef csedef csxdef cslet letcs csletcs NewCommandCopy RenewCommandCopy"
    " DeclareCommandCopy".split()
)
_DEFINER_NEXT = re.compile(r"\s*\\(?:[gex]?def|let|(?:re)?newcommand|providecommand)(?![A-Za-z])")


def _latex_refusal(scope: tuple, definer: str) -> str:
    """Why a definition in a LaTeX text may not hold where derive would use it ('' if it does)."""
    braces, groups, conditionals, is_global = scope[:4]
    if conditionals:
        return "inside a TeX conditional (\\if... \\fi), which may not run"
    if braces:
        return "inside braces { } (it holds only inside them, or is part of another definition)"
    if groups and not (is_global or definer in ("gdef", "xdef")):
        return "inside an environment or \\begingroup (it holds only there)"
    return ""


MAX_INCLUDED = 16  # files \input inside one another


def scan_latex(
    text: str, origin: Place, folder: Path | None = None, read: list | None = None, outer: tuple = (0, 0, 0, False)
) -> list:
    """The events of a LaTeX document; ``folder``: where the files it ``\\input``s are looked
    for (none are read without it); ``read``: the files read so far (each one, in order);
    ``outer``: where the ``\\input`` of this text stands (see :func:`_scopes`)."""
    events: list = []
    pending_header: list = []
    header_lines: list = []
    scopes = _scopes(text)
    dynamic = sorted(at for at, scope in scopes.items() if scope[4])
    computed = bool(dynamic)  # a name computed anywhere (\csname iffalse\endcsname): no heading is sure to show
    previous_end = 0
    matches = list(_LATEX.finditer(text))
    math_end = 0  # the end of the mathematics before: verbatim text, a heading between are words
    for k, match in enumerate(matches):
        lead, into = _case_context(text, matches, k, previous_end, False)
        after_words = _has_words(text[math_end : match.start()])
        previous_end = match.end()
        place = _place_of(text, match.start(), origin)
        while dynamic and dynamic[0] < match.start():
            events.append(_everything_refused(_place_of(text, dynamic.pop(0), origin)))
        scope = _within(outer, scopes.get(match.start(), (0, 0, 0, False, False)))
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
        if match.group("verbatim"):
            continue
        if match.group("heading"):
            events.append(Heading(place, shown=scope[0] == 0 and scope[2] == 0 and not computed))
        elif match.group("include"):
            events += _included(match, place, folder, read, scope)
        elif match.group("definition"):
            refusal = _latex_refusal(scope, match.group("definer"))
            if re.search(r"\\expandafter\s*\Z", text[max(0, match.start() - 40) : match.start()]):
                refusal = "after \\expandafter (the name it defines is computed)"
            _definition(match, text, place, events, refusal)
        elif scope[2]:
            # \iffalse ... \fi, \ifdraft ...: whether this is typeset depends on a condition derive
            # does not evaluate; read, it could define a name or state a step the page never shows
            events.append(
                Unread(place, match.group(0), "inside a TeX conditional (\\if... \\fi): may not be typeset, not read")
            )
        else:
            math_end = match.end()
            _math_block(
                match,
                place,
                events,
                latex=True,
                lead=lead,
                into=into,
                defining=scope[0] == 0,
                after_words=after_words,
            )
    if pending_header and header_lines:
        events.insert(0, _latex_header(header_lines, pending_header[0]))
    events += [_everything_refused(_place_of(text, at, origin)) for at in dynamic]
    return events


def _within(outer: tuple, inner: tuple) -> tuple:
    """Where a command stands in a file \\input at ``outer``."""
    return (outer[0] + inner[0], outer[1] + inner[1], outer[2] + inner[2], inner[3])


def _everything_refused(place: Place) -> MacroDefinitions:
    """A definition whose name is computed (\\csname, \\expandafter\\def, \\csdef...): any macro
    defined so far may have changed, so each is refused from here on (settled in read_source)."""
    from .latex_markup import Macro

    why = (
        f"may be redefined at {place} by a definition whose name is computed (\\csname...), which derive does not read"
    )
    return MacroDefinitions((Macro("*", 0, "", str(place), refused=why),), place)


def _included(match: re.Match, place: Place, folder: Path | None, read: list | None, scope: tuple) -> list:
    """``\\input{f}`` and ``\\include{f}`` of a file beside the document: its events, in place
    (their places name that file). Anything else is listed as not read, with the reason."""
    named = (match.group("included") or match.group("bare") or "").strip()
    written = match.group("include")

    def unread(reason: str) -> list:
        return [Unread(place, written, reason)]

    command = re.match(r"\\([A-Za-z]+)", written).group(1)
    if folder is None or read is None or command not in ("input", "include") or not named:
        return unread(f"the file {named or '?'} is not read (paste it in to check it)")
    if Path(named).is_absolute() or named.startswith("~"):
        return unread(f"the file {named} is not read: an absolute path (expected a file beside the document)")
    # As TeX finds it (kpathsea): the name with .tex added first, then the name as written.
    candidate = folder / named
    if not named.endswith(".tex") and (folder / f"{named}.tex").is_file():
        candidate = folder / f"{named}.tex"
    try:
        resolved = candidate.resolve()
        inside = resolved.is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        return unread(f"the file {named} is not read: it is outside the document's folder")
    if not resolved.is_file():
        return unread(f"the file {named} is not read: no such file beside the document")
    if resolved in (path for path, _ in read):
        return unread(f"the file {named} is not read again: it includes itself")
    if len(read) >= MAX_INCLUDED:
        return unread(f"the file {named} is not read: more than {MAX_INCLUDED} files included")
    try:
        data = resolved.read_bytes()
    except OSError as error:
        return unread(f"the file {named} is not read ({error.strerror})")
    if len(data) > MAX_BYTES:
        return unread(f"the file {named} is not read: larger than {MAX_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return unread(f"the file {named} is not read: not UTF-8 text")
    read.append((resolved, hashlib.sha256(data).hexdigest()))
    shown = Path(place.file).parent / candidate.relative_to(folder)
    return scan_latex(_NEWLINE.sub("\n", text), Place(str(shown), 1, 1), folder, read, scope)


def included_files(path: str | Path, data: bytes | None = None, input_format: str | None = None) -> tuple[Path, ...]:
    """The files a LaTeX document ``\\input``s (and they in turn), as they were read: what a
    cached verdict must also depend on."""
    read: list = []
    read_source(path, data, read, input_format)
    return tuple(path for path, _ in read[1:])


def _latex_header(lines, place: Place) -> Header:
    parsed = []
    for _, body, where in lines:
        key, value = body.split(":", 1)
        parsed.append((key.strip().lower(), value.strip(), where))
    return Header(tuple(parsed), place)


INPUT_FORMATS = {"md": "Markdown", "tex": "LaTeX", "ipynb": "a Jupyter notebook"}


def source_kind(path: str | Path, input_format: str | None = None) -> str:
    """How a document is written: "ipynb", "tex" or "markdown" (also Quarto and R Markdown),
    as --input-format says, or else by its suffix, whatever its case."""
    suffix = input_format if input_format is not None else Path(path).suffix.lower().lstrip(".")
    if suffix == "ipynb":
        return "ipynb"
    return "tex" if suffix in ("tex", "latex") else "markdown"


def read_source(
    path: str | Path, data: bytes | None = None, read: list | None = None, input_format: str | None = None
) -> list:
    """The events of a document, in order: Header, Directive, Heading, Block, MacroDefinitions,
    Unread. ``data``: the file's bytes when the caller has read them already (then they are
    what is read, even if the file has changed since). ``read``: given, it receives every file
    read (the document, then the files a LaTeX document includes), each as its resolved path
    and the SHA-256 of the bytes that were read. ``input_format``: one of
    :data:`INPUT_FORMATS`, for text whose name says nothing (standard input, a notebook cell);
    by default the file's suffix decides."""
    path = Path(path)
    name = str(path)
    origin = Place(name, 1, 1)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise SourceError(origin, f"cannot read ({error.strerror})") from None
    suffix = f".{source_kind(path, input_format)}"
    # A notebook's size is mostly its outputs (images), which are not read: its limit is per cell.
    limit = MAX_NOTEBOOK_BYTES if suffix == ".ipynb" else MAX_BYTES
    if len(data) > limit:
        raise SourceError(origin, f"the file is larger than {limit // 1_000_000} MB (expected a derivation)")
    if b"\x00" in data:
        raise SourceError(origin, "a binary file (expected Markdown, LaTeX or a notebook)")
    text = _decoded(data, origin, "Markdown, LaTeX or a notebook")
    if not text.strip():
        raise SourceError(origin, "the file is empty (expected a derivation)")
    read = [] if read is None else read
    read.append((path.resolve(), hashlib.sha256(data).hexdigest()))
    if suffix == ".ipynb":
        return _settled(_scan_notebook(text, name))
    if suffix == ".tex":
        return _settled(scan_latex(text, origin, path.parent, read))
    # Markdown, Quarto (.qmd) and R Markdown (.Rmd) alike
    return _settled(scan_markdown(text, origin))


def _settled(events: list) -> list:
    r"""The definitions as the page has them, in order: a \providecommand of a defined name is
    dropped (TeX keeps the first), a \newcommand of one is listed as not read (LaTeX reports an
    error and keeps the first), and a name a Markdown math block redefines is refused after it
    (MathJax takes the new meaning for the page, KaTeX keeps the old)."""
    from .latex_markup import Macro

    known: set[str] = set()
    settled: list = []
    for event in events:
        if not isinstance(event, MacroDefinitions):
            settled.append(event)
            continue
        kept = []
        for macro in event.macros:
            if macro.name == "*":  # every name defined so far is refused from here on
                kept += [replace(macro, name=name) for name in sorted(known)]
                continue
            if macro.name in known and event.meets == "provide":
                continue
            if macro.name in known and event.meets == "new":
                settled.append(
                    Unread(
                        event.place,
                        f"\\newcommand{{\\{macro.name}}}",
                        f"\\{macro.name} is already defined: LaTeX reports an error and keeps the first definition"
                        " (use \\renewcommand); not read",
                    )
                )
                continue
            if macro.name in known and event.meets == "contested":
                why = (
                    f"is redefined at {event.place} inside a math block: MathJax shows the new meaning in the blocks"
                    " after it, KaTeX the old one (define it once, or outside the mathematics)"
                )
                macro = Macro(macro.name, 0, "", macro.where, refused=why)
            known.add(macro.name)
            kept.append(macro)
        if kept:
            settled.append(replace(event, macros=tuple(kept), meets=""))
    return settled


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
    metadata = notebook.get("metadata")
    events: list = _notebook_macros(metadata, Place(name, 1, 1)) if isinstance(metadata, dict) else []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            raise SourceError(Place(name, 1, 1, number), "not a notebook cell (expected a JSON object)")
        if cell.get("cell_type") == "code":
            events += _outputs(cell, Place(name, 1, 1, number))
        if cell.get("cell_type") != "markdown":
            events.append(Passage(Place(name, 1, 1, number)))  # code between: a case stated before ends
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise SourceError(Place(name, 1, 1, number), "the cell's source is not text (expected a string or lines)")
        if re.search("[\ud800-\udfff]", source):  # JSON may escape half of a character: no text holds it
            raise SourceError(Place(name, 1, 1, number), "the cell's source holds a lone surrogate (not Unicode text)")
        if len(source) > MAX_BYTES:
            where = Place(name, 1, 1, number)
            events.append(Unread(where, source[:80], f"a cell larger than {MAX_BYTES // 1_000_000} MB is not read"))
            continue
        events += scan_markdown(source, Place(name, 1, 1, number))
    return events


_RENDERED = ("text/markdown", "text/latex", "text/html")
# Mathematics that Jupyter typesets in an HTML output (MathJax reads the page's text).
_HTML_MATH = re.compile(
    r"\$\$(?P<a>.+?)\$\$|\\\[(?P<b>.+?)\\\]|\\\((?P<c>.+?)\\\)|\$(?P<d>[^$\n]+)\$|(?P<e>\\begin\{(\w+\*?)\}.+?\\end\{\6\})",
    re.S,
)


def _outputs(cell: dict, place: Place) -> list:
    """A code cell's saved outputs that Jupyter renders as Markdown or LaTeX: mathematics in
    them shows as equations, but it is output, not the derivation: listed as not read."""
    events = []
    outputs = cell.get("outputs")
    for output in outputs if isinstance(outputs, list) else ():
        data = output.get("data") if isinstance(output, dict) else None
        for kind in _RENDERED if isinstance(data, dict) else ():
            shown = data.get(kind)
            if isinstance(shown, list) and all(isinstance(part, str) for part in shown):
                shown = "".join(shown)
            if not isinstance(shown, str):
                continue
            if len(shown) > MAX_BYTES:
                events.append(
                    Unread(place, shown[:80], f"a {kind} output larger than 2 MB, which derive does not read")
                )
                continue
            if kind == "text/html":
                found = [
                    next(part for part in match.group(1, 2, 3, 4, 5) if part) for match in _HTML_MATH.finditer(shown)
                ]
            else:
                found = scan_markdown(shown, place) if kind == "text/markdown" else scan_latex(shown, place)
                found = [event.text for event in found if isinstance(event, Block)]
            for text in found:
                events.append(Unread(place, text, f"in the cell's {kind} output, which derive does not read"))
    return events


def _notebook_macros(metadata: dict, place: Place, depth: int = 0) -> list:
    """MathJax (or KaTeX) macros kept in a notebook's metadata: under a key that names MathJax
    or KaTeX, a ``macros`` table of ``name: body`` or ``name: [body, nargs]``."""
    events: list = []
    for key, value in metadata.items():
        if not isinstance(value, dict) or depth > 6:
            continue
        if str(key).lower() == "macros" and depth > 0:
            macros = []
            for name, body in value.items():
                if isinstance(body, list) and len(body) in (2, 3) and isinstance(body[1], int) and 0 <= body[1] <= 9:
                    default = body[2] if len(body) == 3 and isinstance(body[2], str) else None
                    body, nargs = body[0], body[1]
                else:
                    default, nargs = None, 0
                if isinstance(name, str) and re.fullmatch(r"[A-Za-z]+", name) and isinstance(body, str):
                    macros.append(_macro(name, nargs, body, default, place))
            if macros:
                events.append(MacroDefinitions(tuple(macros), place))
        elif depth > 0 or any(word in str(key).lower() for word in ("mathjax", "katex")):
            events += _notebook_macros(value, place, depth + 1)
    return events
