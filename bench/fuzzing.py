"""Hypothesis strategies and the one-run oracle shared by ``bench/fuzz.py`` (thousands of
examples) and ``tests/read/test_fuzz.py`` (a few dozen, in CI).

A case is a file (name and bytes) and the options of one ``derive check`` run. The inputs
are token-level mutations of the example files and of the seeds' mathematics, broken headers,
directives and notebooks, and random text. :func:`run_case` drives the CLI in-process through
Click's CliRunner and returns what went wrong, if anything: an exit status outside 0/1/2, an
exception that escaped, a traceback, an error that is not one line naming the file and a
place, or a run longer than the time limit allows.
"""

from __future__ import annotations

import json
import math
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("DERIVE_SEEDS", ROOT.parent / "shared" / "seeds"))
WORKERS = 2  # derive.core.limits runs at most two steps at once

EXAMPLES = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.md"))}
NOTEBOOK = (ROOT / "examples" / "softmax-notebook.ipynb").read_text(encoding="utf-8")
# The seeds are real documents beside the checkout, not in it: without them the fuzzing has the
# examples only (fewer blocks, same checks).
SEED_TEXTS = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))} if SEEDS.is_dir() else {}

_BLOCK = re.compile(r"\$\$.*?\$\$|\\begin\{(align\*?|equation\*?)\}.*?\\end\{\1\}|\\\[.*?\\\]", re.S)
_HEADER = re.compile(r"<!-- derive\n.*?-->\n", re.S)


def _blocks(text: str) -> list[str]:
    return [m.group(0) for m in _BLOCK.finditer(text)]


BLOCKS = sorted({b for text in [*EXAMPLES.values(), *SEED_TEXTS.values()] for b in _blocks(text)})
HEADERS = sorted({m.group(0) for text in EXAMPLES.values() for m in _HEADER.finditer(text)})

# Whole LaTeX tokens, so that a mutation removes or adds what an author could mistype.
_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|[A-Za-z]+|\d+|\s+|.", re.S)

TOKENS = [
    "{", "}", "{}", "(", ")", "[", "]", "\\{", "\\}", "_", "^", "_{", "^{", "'", "!", "|", ",", ";",
    "\\frac", "\\frac{", "\\frac{1}{", "\\frac{\\partial}{\\partial", "\\dfrac", "\\tfrac", "\\sqrt",
    "\\sum", "\\sum_", "\\sum_{k=1}^{K}", "\\sum_{k \\neq i}", "\\sum_{n \\in N}", "\\prod_{k=1}^{K}",
    "\\partial", "\\partial z_j", "\\log", "\\ln", "\\exp", "e^", "\\delta_{ij}", "\\mathbb{1}", "1_{i=j}",
    "\\left(", "\\right)", "\\left[", "\\right]", "\\left.", "\\right|", "\\cdot", "\\times", "*", "/",
    "=", "&=", "&", "\\\\", "\\quad", "\\text{x}", "\\Rightarrow", "\\implies", "\\neq", "\\in", "<", ">",
    "\\begin{aligned}", "\\end{aligned}", "\\begin{cases}", "\\end{cases}", "\\begin{bmatrix}",
    "\\end{bmatrix}", "\\begin{align*}", "\\end{align*}", "\\begin{pmatrix}", "\\dots", "\\cdots",
    "\\foo", "\\unknown", "\\frak", "\\sigma", "\\hat{y}", "\\hat", "\\mathcal{L}", "\\mathcal", "\\T",
    "$$", "$", "\\[", "\\]", "%", "% derive: case i = j", "% cites \\sum y = 1", "<!--", "-->", "#", "\n",
    "\n\n", "\n# Heading\n", "z_{n i}", "z_{n,i}", "z_{1,2,3}", "s_0", "s_{-1}", "s_i^{10^{9}}", "2^{2^{40}}",
    "10^{1000}", "99999999999999999999", "0", "1/0", "\\frac{1}{0}", "0^{-1}", "x", "K", "T", "N",
]  # fmt: skip

UNICODE = [
    "\u0301", "\u0338", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202e", "\u2066", "\ufeff",
    "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1b", "\x7f", "\x00", "\r", "\t", "１２", "ｓ＿ｉ", "＝",
    "σ", "ŷ", "∑", "∂", "−", "×", "·", "≠", "≤", "∞", "𝑥", "𝟙", "ﬁ", "é", "e\u0301", "😀", "\U000e0041",
    "\ud800", "\udfff", "\U0010ffff", "\ufffd", "\u0000",
]  # fmt: skip

HEADER_KEYS = ["softmax", "alias", "labels", "classes", "examples", "loss", "scalars", "temperature", "summation"]
HEADER_VALUES = [
    "", " ", "s of z", "s of", "of z", "s of z of w", "\\hat{y} of z", "\\hat{y}} of z", "σ of z", "s of \\foo",
    "y", "y one-hot", "y two-hot", "y sums to one", "y sums to", "K", "K, k", "K, \\foo{x}", "1, 2", ",", ",,",
    "N", "N, N", "L = -\\sum_{k} y_k \\log s_k", "L = ", "L =", "L", "L = \\sum", "L = -\\sum_k y_i \\log s_k",
    "L = y_k", "L = \\frac{1}{0}", "L = s_i^{10^{9}}", "\\mathcal{L} = x", "T", "x, T", "\\sigma_{v_j} = o_j",
    "\\sigma_{v_j} = q_j", "repeated", "off", "sometimes", "x" * 500, "ü", "\u200b", "L = " + "(" * 300,
]  # fmt: skip

DIRECTIVES = [
    "", "case", "case i = j", "case i \\neq j", "case i = ", "case i = j,", "case ,", "case i = j, i \\neq j",
    "case T > 0", "case x > 0", "case 0 < p < 1", "case 1 < T < 0", "case 0 < T < 1/0", "case 0 <= T < 1",
    "case 99999999999999999999/3 < T < 1", "cites \\sum y = 1", "cites y one-hot", "cites y two-hot", "cites",
    "uses i = j", "cite \\sum_k y_k = 1", "classes", "classes 0", "classes 4", "classes 16", "classes 17",
    "classes 99999999999", "classes -1", "classes four", "skip", "skip me", "unknown", "case ü = ß", "case \u200b",
]  # fmt: skip

FORMATS = ["text", "text", "text", "json", "latex", "markdown"]


@dataclass(frozen=True)
class Case:
    """One run: the file derive reads and the options of ``derive check``. ``unbridged``: the
    place of a block that begins with '=' right after a change of case or a block not
    checked, which the run must list as skipped (None when the case has none)."""

    name: str
    data: bytes
    options: tuple[str, ...] = ()
    unbridged: tuple[int, int, str] | None = None  # line, column, and what comes before it

    def describe(self) -> str:
        return f"{self.name} {' '.join(self.options)} ({len(self.data)} bytes)"


def _encode(text: str) -> bytes:
    # A lone surrogate cannot be UTF-8; written as its three bytes it is the bad input a file may hold.
    return text.encode("utf-8", "surrogatepass")


# -- mutations ---------------------------------------------------------------------------------------


def _math_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _BLOCK.finditer(text)] or [(0, len(text))]


@st.composite
def _position(draw, text: str) -> int:
    """Somewhere in the text, mostly inside the mathematics where a token matters."""
    if text and draw(st.integers(0, 3)):
        start, end = draw(st.sampled_from(_math_spans(text)))
        return draw(st.integers(start, end))
    return draw(st.integers(0, len(text)))


def _tokens_at(text: str, at: int) -> tuple[list[str], int]:
    tokens = _TOKEN.findall(text)
    offset = 0
    for n, token in enumerate(tokens):
        if offset >= at:
            return tokens, n
        offset += len(token)
    return tokens, len(tokens)


@st.composite
def mutate(draw, text: str) -> str:
    """One token-level change, of the kind an author or a copy-paste makes."""
    kind = draw(
        st.sampled_from(
            [
                "delete",
                "delete",
                "insert",
                "insert",
                "brace",
                "brace",
                "swap",
                "subscript",
                "subscript",
                "unknown",
                "frac",
                "truncate",
                "truncate-block",
                "unicode",
                "unicode",
                "crlf",
                "duplicate",
            ]  # fmt: skip
        )
    )
    at = draw(_position(text))
    tokens, n = _tokens_at(text, at)
    if kind == "delete" and tokens:
        n = min(n, len(tokens) - 1)
        del tokens[n : n + draw(st.integers(1, 3))]
    elif kind == "insert":
        tokens.insert(n, draw(st.sampled_from(TOKENS)))
    elif kind == "brace":
        braces = [i for i, t in enumerate(tokens) if t in "{}"]
        if braces and draw(st.booleans()):
            del tokens[draw(st.sampled_from(braces))]
        else:
            tokens.insert(n, draw(st.sampled_from(["{", "}", "{{", "}}"])))
    elif kind == "swap" and len(tokens) > 1:
        n = min(n, len(tokens) - 2)
        tokens[n], tokens[n + 1] = tokens[n + 1], tokens[n]
    elif kind == "subscript":
        subs = [i + 1 for i, t in enumerate(tokens[:-1]) if t == "_"]
        if len(subs) >= 2:  # exchange two subscripts: s_i ... z_j -> s_j ... z_i
            a, b = draw(st.sampled_from(subs)), draw(st.sampled_from(subs))
            tokens[a], tokens[b] = tokens[b], tokens[a]
        elif subs:
            tokens[subs[0]] = draw(st.sampled_from(["i", "j", "k", "o", "n", "{ij}", "{i,j}", "{}", "1", "0"]))
    elif kind == "unknown":
        commands = [i for i, t in enumerate(tokens) if t.startswith("\\") and t[1:2].isalpha()]
        if commands:
            tokens[draw(st.sampled_from(commands))] = draw(st.sampled_from(["\\foo", "\\bar", "\\frak", "\\x"]))
        else:
            tokens.insert(n, "\\foo")
    elif kind == "frac":
        tokens.insert(n, draw(st.sampled_from(["\\frac", "\\frac{", "\\frac{}", "\\frac{1}{", "\\frac{1}"])))
    elif kind == "truncate":
        return "".join(tokens[:n])
    elif kind == "truncate-block":  # an unclosed $$ or environment: the rest of the file is the block
        text = "".join(tokens)
        start, end = draw(st.sampled_from(_math_spans(text)))
        return text[: draw(st.integers(start, max(start, end - 1)))]
    elif kind == "unicode":
        tokens.insert(n, draw(st.sampled_from(UNICODE)))
    elif kind == "crlf":
        return "".join(tokens).replace("\n", draw(st.sampled_from(["\r\n", "\r", "\n\r"])))
    elif kind == "duplicate" and tokens:
        n = min(n, len(tokens) - 1)
        span = tokens[n : n + draw(st.integers(1, 12))]
        tokens[n:n] = span
    return "".join(tokens)


@st.composite
def mutated(draw, text: str, most: int = 4) -> str:
    for _ in range(draw(st.integers(1, most))):
        text = draw(mutate(text))
    return text


@st.composite
def broken_header(draw, text: str) -> str:
    """A notation header with an unknown key, a missing colon or a bad value."""
    lines = text.split("\n")
    inside, n_header = False, []
    for n, line in enumerate(lines):
        if line.strip() == "<!-- derive":
            inside = True
        elif inside and "-->" in line:
            inside = False
        elif inside:
            n_header.append(n)
    if not n_header:
        return draw(st.sampled_from(HEADERS)) + text
    n = draw(st.sampled_from(n_header))
    key = draw(st.sampled_from([*HEADER_KEYS, "bogus", "Softmax", "LOSS", "", "loss loss", "derive", "-->"]))
    value = draw(st.sampled_from(HEADER_VALUES))
    form = draw(st.sampled_from(["{k}: {v}", "{k}:{v}", "{k} {v}", "{k}", "  {k}: {v}  # remark", "#{k}: {v}"]))
    new = form.format(k=key, v=value)
    if draw(st.booleans()):
        lines[n] = new
    else:
        lines.insert(n, new)
    return "\n".join(lines)


@st.composite
def broken_directive(draw, text: str) -> str:
    """A derive: directive that names an unknown thing, lacks its argument or is malformed."""
    body = draw(st.sampled_from(DIRECTIVES))
    form = draw(
        st.sampled_from(
            [
                "<!-- derive: {} -->\n",
                "<!--derive:{}-->\n",
                "<!-- derive: {}\n",
                "% derive: {}\n",
                " % {}\n",
                "<!-- {} -->",
            ]
        )
    )
    spans = _math_spans(text)
    start, end = draw(st.sampled_from(spans))
    where = draw(st.sampled_from([start, end, draw(st.integers(start, end))]))
    if form == " % {}\n":  # the comment at the end of one line of a chain
        line_end = text.find("\n", where)
        where = len(text) if line_end < 0 else line_end
        return text[:where] + form.format(body).rstrip("\n") + text[where:]
    return text[:where] + form.format(body) + text[where:]


@st.composite
def fragment(draw) -> str:
    """A small document: an example's header and a few blocks of the examples' or the seeds'
    mathematics, so that most of the run is reading (the checks are short)."""
    header = draw(st.sampled_from(HEADERS)) if draw(st.integers(0, 4)) else ""
    blocks = draw(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=3))
    glue = draw(st.sampled_from(["\n\n", "\n", "\ntext $x = 1$ more\n", "\n## Heading\n"]))
    return header + "\n" + glue.join(blocks) + "\n"


def as_latex(text: str) -> str:
    """A Markdown derivation as a LaTeX file: the header and directives in % comments."""
    text = re.sub(
        r"<!-- derive\n(.*?)-->\n",
        lambda m: "% derive\n" + "".join(f"% {line}\n" for line in m.group(1).splitlines()),
        text,
        flags=re.S,
    )
    text = re.sub(r"<!-- derive: (.*?) -->", r"% derive: \1", text)
    return text.replace("## ", "\\section{").replace("# ", "\\section*{")


@st.composite
def notebook_case(draw) -> Case:
    """The example notebook with a mutated cell, a wrong shape or nbformat, or broken JSON."""
    notebook = json.loads(NOTEBOOK)
    if draw(st.integers(0, 3)):  # a small notebook of fragments: the example's full check takes seconds
        sources = draw(st.lists(fragment(), min_size=1, max_size=2))
        notebook["cells"] = [
            {"cell_type": "markdown", "metadata": {}, "source": source.splitlines(keepends=True)} for source in sources
        ] + notebook["cells"][1:2]
    kind = draw(st.sampled_from(["cell", "cell", "cell", "shape", "nbformat", "json", "surrogate"]))
    cells = notebook["cells"]
    markdown = [i for i, cell in enumerate(cells) if cell["cell_type"] == "markdown"]
    n = draw(st.sampled_from(markdown) if markdown and draw(st.integers(0, 3)) else st.integers(0, len(cells) - 1))
    if kind == "cell":
        source = "".join(cells[n]["source"]) if isinstance(cells[n]["source"], list) else cells[n]["source"]
        source = draw(mutated(source))
        cells[n]["source"] = source.splitlines(keepends=True) if draw(st.booleans()) else source
        if draw(st.integers(0, 4)) == 0:
            cells[n]["cell_type"] = draw(st.sampled_from(["markdown", "code", "raw", "", None, 3]))
    elif kind == "shape":
        where, what = draw(
            st.sampled_from(
                [
                    ("source", 42),
                    ("source", None),
                    ("source", [1, 2]),
                    ("source", {"a": 1}),
                    ("source", ["$$", 3]),
                    ("cell_type", None),
                    ("cell_type", ["markdown"]),
                    ("metadata", []),
                    ("cell", "text"),
                    ("cells", {}),
                    ("cells", None),
                    ("cells", "x"),
                    ("notebook", []),
                    ("notebook", "x"),
                ]  # fmt: skip
            )
        )
        if where == "cell":
            cells[n] = what
        elif where == "cells":
            notebook["cells"] = what
        elif where == "notebook":
            notebook = what
        else:
            cells[n][where] = what
    elif kind == "nbformat":
        key = draw(st.sampled_from(["nbformat", "nbformat_minor"]))
        notebook[key] = draw(st.sampled_from([3, 5, 1, 0, -1, "4", None, 4.5, 10**30, [4]]))
    elif kind == "surrogate":
        cells[n]["source"] = "$$ s_i \ud800 = z_j $$ \udfff"
    text = json.dumps(notebook, indent=1, ensure_ascii=draw(st.booleans()))
    if kind == "json":
        at = draw(st.integers(0, len(text)))
        text = draw(st.sampled_from([text[:at], text[:at] + text[at + 1 :], text[:at] + "," + text[at:]]))
    return Case("fuzz.ipynb", _encode(text), draw(options()))


# -- chains: what a continuation must not bridge ----------------------------------------------------

_DISPLAY_OPEN = re.compile(r"\$\$|\\\[|\\begin\{(?:align\*?|equation\*?)\}")
# What may stand between a display's opening and its first expression.
_LEAD = re.compile(r"\s*(?:\\begin\{(?:aligned|split|gathered|align\*?)\}\s*)?&?\s*")
_CASE_EVENT = {
    "md": re.compile(r"<!--\s*derive:\s*case\b(?P<case>.*?)-->|(?P<heading>^#{1,6}\s)", re.S | re.M),
    "tex": re.compile(
        r"^[ \t]*%[ \t]*derive:[ \t]*case\b(?P<case>[^\n]*)|(?P<heading>\\(?:sub)*section\*?\{|\\chapter\*?\{)", re.M
    ),
}
CASES = ["i \\neq j", "i = j", "j \\neq i", "i \\neq k", "k = i"]
# What a continuation may not cross: a change of case, a heading (ATX or Setext), a block the
# skip directive covers, an unreadable one (each listed as skipped).
BREAKS = ("case", "heading", "setext", "skip", "unread")


def _place(text: str, offset: int) -> tuple[int, int]:
    """Line and column (from 1) of ``offset``, as derive counts them."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _case_before(text: str, at: int, flavour: str) -> str:
    """The case in force at ``at``: the last case directive since the last heading ('' for none)."""
    case = ""
    for m in _CASE_EVENT[flavour].finditer(text, 0, at):
        case = "" if m.group("heading") else m.group("case").strip()
    return case


def _first_equals(body: str) -> int | None:
    """Where the first '=' outside brackets is, if any."""
    depth = 0
    for at, c in enumerate(body):
        depth += {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}.get(c, 0)
        if c == "=" and depth <= 0:
            return at
    return None


def _body_start(block: str) -> int:
    """Where the first expression of a display block begins."""
    opening = _DISPLAY_OPEN.match(block)
    return _LEAD.match(block, opening.end() if opening else 0).end()


def _continuation(block: str, how: str) -> str:
    """The display ``block`` made to begin with '=': '= ' put before it, or its first side cut
    off (always in an aligned block: '= A &= B' is two equations on one row, bad input)."""
    head = _body_start(block)
    rest = block[head:]
    cut = _first_equals(rest) if how == "cut" or "&" in rest else None
    return block[:head] + (rest[cut:] if cut is not None else "= " + rest)


def _opening_width(block: str) -> int:
    """How far into the block derive places it: past $$ and \\[, at an environment's \\begin."""
    return 2 if block.startswith(("$$", "\\[")) else 0


@st.composite
def _between(draw, text: str, at: int, flavour: str) -> tuple[str, str | None]:
    """What to put between two blocks of a chain, and which of BREAKS it is (None: nothing a
    continuation may not cross, or bad input)."""
    kind = draw(st.sampled_from(["case", "case", "heading", "setext", "skip", "skip", "unread", "unread", "none"]))
    md = flavour == "md"
    if kind == "case":  # always a change: another case than the one in force, or none
        now = _case_before(text, at, flavour)
        body = f"case {draw(st.sampled_from([c for c in ['', *CASES] if c != now] if now else CASES))}".rstrip()
        return (f"<!-- derive: {body} -->\n" if md else f"% derive: {body}\n"), "case"
    if kind == "heading" or (kind == "setext" and not md):
        return ("\n## Other case\n\n" if md else "\n\\section{Other case}\n\n"), "heading"
    if kind == "setext":  # a line of text underlined: a heading in Markdown
        return "\nOther case\n" + "-" * draw(st.integers(1, 12)) + "\n\n", "setext"
    if kind == "skip":
        block = draw(st.sampled_from(["$$\ns_i = x y \\text{ in prose}\n$$", "$$ \\foo = 1 $$", *BLOCKS[:12]]))
        return ("<!-- derive: skip -->\n" if md else "% derive: skip\n") + block + "\n\n", "skip"
    if kind == "unread":
        return draw(
            st.sampled_from(
                [
                    ("text $s_i = \\foo{x}$ text\n\n", "unread"),  # inline with '=': skipped, "does not read"
                    ("text \\( s_i = \\bar \\) text\n\n", "unread"),
                    ("text $N = 1$ text\n\n", "unread"),  # a condition in prose: skipped, states no step
                    ("$$ \\foo{x} + $$\n\n", "unread"),  # a display without '=': skipped, "no equation"
                    ("$$ s_i = \\foo{x} $$\n\n", None),  # a display with '=': bad input, exit 2
                    ("text $\\foo$ text\n\n", None),  # inline without '=' is prose, not a block
                ]
            )
        )
    return "", None


def _header_end(text: str) -> int:
    m = re.search(r"^% derive\n(?:%[^\n]*\n)*", text, re.M) or _HEADER.search(text)
    return m.end() if m else 0


@st.composite
def chain_text(draw, text: str, flavour: str = "md") -> tuple[str, tuple[int, int, str] | None]:
    """``text`` with something put between two of its display blocks (the second often made
    to begin with '='), and where that block is when it would continue a chain across a
    change of case or a block not checked (None otherwise)."""
    spans = [m.span() for m in _BLOCK.finditer(text)]
    if len(spans) < 2:
        return text, None
    n = draw(st.integers(0, len(spans) - 2))
    start, end = spans[n + 1]
    block = text[start:end]
    if draw(st.integers(0, 3)):
        block = _continuation(block, draw(st.sampled_from(["prefix", "cut"])))
    inserted, what = draw(_between(text, start, flavour))
    text = text[:start] + inserted + block + text[end:]
    start += len(inserted)
    unbridged = None
    if what is not None and block[_body_start(block) :].startswith("="):
        unbridged = (*_place(text, start + _opening_width(block)), what)
    return text, unbridged


@st.composite
def chain_case(draw) -> Case:
    """An example, or an excerpt of one (its header and a few blocks: most runs stay short),
    as Markdown or LaTeX, with a chain broken between two display blocks (chain_text)."""
    flavour = "tex" if draw(st.integers(0, 3)) == 0 else "md"
    text = draw(st.sampled_from(sorted(EXAMPLES.values())))
    if flavour == "tex":
        text = as_latex(text)
    if draw(st.integers(0, 2)):
        spans = [m.span() for m in _BLOCK.finditer(text)]
        first = draw(st.integers(0, max(0, len(spans) - 2)))
        last = min(len(spans) - 1, first + draw(st.integers(1, 3)))
        head = _header_end(text)
        text = text[:head] + "\n" + text[max(head, spans[first][0]) : spans[last][1]] + "\n"
    text, unbridged = draw(chain_text(text, flavour))
    name = "fuzz.tex" if flavour == "tex" else draw(st.sampled_from(["fuzz.md", "fuzz.md", "fuzz.markdown"]))
    options_ = () if unbridged and draw(st.integers(0, 3)) else draw(options())
    return Case(name, _encode(text), options_, unbridged)


# -- crash shapes a red team found ------------------------------------------------------------------

# Header lines whose letters clash: a role's letter taken by another role (labels y by default,
# the softmax s of z by default).
CLASHING_HEADERS = [
    ["softmax: y of z"], ["labels: s"], ["softmax: s of y", "labels: y"], ["softmax: s of z", "labels: z"],
    ["labels: z"], ["softmax: z of z"], ["classes: s"], ["classes: z"], ["classes: y"], ["examples: s"],
    ["examples: K"], ["classes: N", "examples: N"], ["scalars: s"], ["scalars: K"], ["scalars: y, x"],
    ["temperature: z"], ["temperature: K"], ["loss: s = -\\sum_{k} y_k \\log s_k"], ["loss: y = x"],
    ["loss: z = y"], ["softmax: s of z", "softmax: y of z"], ["softmax: s of z", "softmax: z of s"],
    ["alias: y_j = s_j"], ["alias: \\sigma_{z_j} = y_j"], ["softmax: \\hat{y} of z", "labels: \\hat{y}"],
    ["softmax: p of z", "scalars: p"], ["softmax: s of z", "labels: y", "classes: K, y"],
    ["examples: N", "classes: n"], ["examples: N", "classes: K, N"],
]  # fmt: skip
PLAIN_BODIES = [
    "s_i = s_i", "y_i = y_i", "z_i = z_i", "\\frac{\\partial L}{\\partial z_i} = s_i - y_i", "L = L",
    "\\frac{\\partial s_i}{\\partial z_i} = s_i (1 - s_i)", "\\sum_{k=1}^{K} s_k = 1", "x = x",
]  # fmt: skip

# A sum over the example count without a family of two indices.
EXAMPLE_SUMS = [
    "\\sum_{n=1}^{N} z_i = N z_i", "\\frac{1}{N} \\sum_{n=1}^{N} s_i = s_i", "\\sum_{n=1}^{N} y_i = N y_i",
    "\\sum_{n=1}^{N} z_{n,i} = \\sum_{n=1}^{N} z_{n,i}", "\\sum_{n} y_n = 1", "\\sum_{i=1}^{N} s_i = 1",
    "\\sum_{n=1}^{N} 1 = N", "\\sum_{n=1}^{N} \\sum_{k=1}^{K} s_k = N", "\\sum_{n \\in N} z_i = N z_i",
    "\\frac{\\partial}{\\partial z_i} \\sum_{n=1}^{N} z_i = N",
]  # fmt: skip

_ROW, _COLUMN = "\\begin{bmatrix} s_1 & s_2 \\end{bmatrix}", "\\begin{bmatrix} s_1 \\\\ s_2 \\end{bmatrix}"
_SQUARE = "\\begin{bmatrix} s_1 & 0 \\\\ 0 & s_2 \\end{bmatrix}"
_PSQUARE = "\\begin{pmatrix} s_1 & s_2 \\\\ s_2 & s_1 \\end{pmatrix}"
# Matrix arithmetic in a claim about K = 2 (the reader compares matrices entry by entry).
MATRIX_SIDES = [
    f"{_ROW}^2", f"{_ROW} + {_COLUMN}", f"{_SQUARE}^{{-1}}", f"\\frac{{1}}{{{_SQUARE}}}", f"{_ROW}^T",
    f"{_ROW}^{{T}}", f"e^{{{_SQUARE}}}", f"\\log {_SQUARE}", f"\\log {_ROW}", f"{_ROW} {_COLUMN}",
    f"{_COLUMN} {_ROW}", f"2 {_ROW}", f"{_ROW} - {_ROW}", f"{_SQUARE}^{{1/2}}", f"{_PSQUARE}^{{-1}}",
    f"{_PSQUARE} {_SQUARE}", f"\\frac{{{_ROW}}}{{2}}", f"{_ROW} \\cdot {_COLUMN}", f"{_ROW} \\times {_COLUMN}",
    f"s_1 {_ROW}", f"{_SQUARE}^{{0}}", f"\\sum_{{k=1}}^{{2}} {_ROW}", f"\\frac{{\\partial {_ROW}}}{{\\partial z_1}}",
    _ROW, _COLUMN, _SQUARE, "s_1 + s_2", "1", "0",
]  # fmt: skip

# Steps with numbers too large or too small to evaluate naively, and powers with rational exponents.
NUMBER_STEPS = [
    "2^{40001/2} s_i = s_i", "s_i^{40001/2} = s_i", "2^{\\frac{40001}{2}} s_i = s_i", "(2^{40001})^{1/2} = 2",
    "e^{10^{6}/3} s_i = s_i", "3^{99999/7} = 3", "2^{40001/2} = 2^{20000} \\cdot 2^{1/2}",
    "e^{-1000} + s_i = s_i", "e^{-10^{5}} s_i + s_i = s_i", "10^{-400} + s_i = s_i",
    "s_i + \\frac{1}{2^{5000}} = s_i", "e^{-1000} = 0", "e^{-1000} s_i = 0", "e^{1000} s_i = e^{1000} s_i",
    "(y_i^3)^{1/3} = y_i", "(x^2)^{1/2} = x", "(s_i^2)^{1/2} = s_i", "\\sqrt{x^2} = x", "\\sqrt{s_i^2} = s_i",
    "(z_i^2)^{1/2} = z_i", "(x^{1/3})^3 = x", "(-1)^{1/3} = -1", "(z_i^3)^{1/3} = z_i", "(x^4)^{1/4} = x",
    "(y_i^2)^{1/2} = y_i", "x^{1/2} x^{1/2} = x", "(e^{z_i})^{1/2} = e^{z_i/2}",
]  # fmt: skip

# Conditions no value satisfies, and facts cited about another family than the labels.
CONDITIONS = [
    "cites 1 < p < 0", "case 1 < p < 0", "cites 0 < p < 0", "cites 2 \\le p \\le 1", "case 1/2 < p < 1/3",
    "cites 0 \\le p \\le 0", "cites -1 < p < -2", "cites \\sum_k s_k = 1", "cites z one-hot", "cites s one-hot",
    "cites \\sum_k z_k = 1", "cites \\sum_{k=1}^{K} s_k = 1", "cites L one-hot", "cites p one-hot",
    "cites \\sum_k p_k = 1", "cites \\sum_{k=1}^{N} y_k = 1", "cites \\sum_k y_k = 1", "cites y one-hot",
    "cites \\sum_{k \\neq i} y_k = 1", "cites \\sum_k y_i = 1",
]  # fmt: skip
CONDITION_BODIES = [
    "\\log p = \\log p", "p = p", "\\log(1 - p) = 0", "\\frac{1}{p} = 1", "\\sum_k s_k = 1", "\\sum_k z_k = 1",
    "z_i = 0", "s_i y_i = y_i", "z_i^2 = z_i", "\\sum_{k=1}^{K} y_k = 1", "y_i^2 = y_i", "p = 2",
]  # fmt: skip

DELTA_STEPS = [
    "\\frac{1}{\\delta_{ij}} = 1", "1/\\delta_{ij} = 1", "\\delta_{ij}^{-1} = 1", "\\frac{\\delta_{ij}}{\\delta_{ij}} = 1",
    "\\frac{1}{1 - \\delta_{ij}} = 1", "\\log \\delta_{ij} = 0", "s_i / \\delta_{ij} = s_i", "\\delta_{ii}^{-1} = 1",
    "\\frac{1}{\\delta_{ij} - 1} = -1", "e^{1/\\delta_{ij}} = e",
]  # fmt: skip

# Mathematics between odd delimiters: in Markdown files, and in LaTeX files.
ODD_DELIMITERS_MD = [
    "```math\n{}\n```",
    "~~~math\n{}\n~~~",
    "\\( {} \\)",
    "\\begin{{alignat*}}{{2}} {} \\end{{alignat*}}",
]
ODD_DELIMITERS_TEX = [
    "\\begin{{eqnarray}} {} \\end{{eqnarray}}", "\\begin{{eqnarray*}} {} \\end{{eqnarray*}}",
    "\\begin{{flalign*}} {} \\end{{flalign*}}", "\\begin{{displaymath}} {} \\end{{displaymath}}",
    "\\begin{{alignat}}{{3}} {} \\end{{alignat}}", "\\begin{{math}} {} \\end{{math}}", "\\( {} \\)",
]  # fmt: skip
DELIMITED_BODIES = [
    "s_i = s_i", "s_i &= s_i \\\\ &= s_i", "s_i &=& s_i \\\\ &=& s_i", "= s_i", "s_i = y_i", "s_i &= s_i & z_i &= z_i",
    "\\frac{\\partial s_i}{\\partial z_i} &= s_i(1 - s_i)", "", "s_i = \\foo",
]  # fmt: skip


@st.composite
def crash_shape(draw) -> tuple[list[str], str, bool]:
    """One shape a red team found crashing derive: header lines, a document body, and whether
    it must be a LaTeX file."""
    kind = draw(st.sampled_from(["header", "examples", "matrix", "numbers", "condition", "delta", "delimiters"]))
    if kind == "header":
        return draw(st.sampled_from(CLASHING_HEADERS)), f"$$ {draw(st.sampled_from(PLAIN_BODIES))} $$", False
    if kind == "examples":
        header = draw(st.sampled_from([[], ["examples: N"], ["examples: N", "classes: K"], ["scalars: N"]]))
        return header, f"$$\n{draw(st.sampled_from(EXAMPLE_SUMS))}\n$$", False
    if kind == "matrix":
        left, right = draw(st.sampled_from(MATRIX_SIDES)), draw(st.sampled_from(MATRIX_SIDES))
        classes = draw(st.sampled_from([2, 2, 2, 1, 3, 16]))
        return [], f"<!-- derive: classes {classes} -->\n$$\n{left} = {right}\n$$", False
    if kind == "numbers":
        return ["scalars: x"] if draw(st.booleans()) else [], f"$$ {draw(st.sampled_from(NUMBER_STEPS))} $$", False
    if kind == "condition":
        condition, body = draw(st.sampled_from(CONDITIONS)), draw(st.sampled_from(CONDITION_BODIES))
        header = draw(st.sampled_from([["scalars: p"], ["scalars: p", "labels: y one-hot"], []]))
        return header, f"<!-- derive: {condition} -->\n$$ {body} $$", False
    if kind == "delta":
        case = draw(st.sampled_from(["", "<!-- derive: case i = j -->\n", "<!-- derive: case i \\neq j -->\n"]))
        return [], f"{case}$$ {draw(st.sampled_from(DELTA_STEPS))} $$", False
    tex = draw(st.booleans())
    delimiter = draw(st.sampled_from(ODD_DELIMITERS_TEX if tex else ODD_DELIMITERS_MD))
    return [], delimiter.format(draw(st.sampled_from(DELIMITED_BODIES))), tex


@st.composite
def red_team_case(draw) -> Case:
    """One or two crash shapes in a small file (header lines merged), sometimes mutated."""
    shapes = draw(st.lists(crash_shape(), min_size=1, max_size=2))
    lines = list(dict.fromkeys(line for header, _, _ in shapes for line in header))
    text = ("<!-- derive\n" + "".join(f"{line}\n" for line in lines) + "-->\n\n" if lines else "") + "\n\n".join(
        body for _, body, _ in shapes
    )
    tex = any(tex for _, _, tex in shapes)
    if tex:
        text = as_latex(text)
    if draw(st.integers(0, 3)) == 0:
        text = draw(mutate(text))
    name = "fuzz.tex" if tex else draw(st.sampled_from(["fuzz.md", "fuzz.md", "fuzz.markdown", "fuzz.txt"]))
    return Case(name, _encode(text + "\n"), draw(options()))


@st.composite
def options(draw) -> tuple[str, ...]:
    format_ = draw(st.sampled_from(FORMATS))
    return () if format_ == "text" else ("--format", format_)


RANDOM_ALPHABET = list("$=\\{}_^ab sxyzK12()&%#-<>!:\n") + TOKENS + UNICODE


@st.composite
def random_text(draw) -> str:
    if draw(st.booleans()):
        return "".join(draw(st.lists(st.sampled_from(RANDOM_ALPHABET), max_size=80)))
    text = draw(st.text(max_size=200))
    return draw(st.sampled_from(["{}", "$${}$$", "<!-- derive\n{}\n-->\n$$ s_i = s_i $$", "# {}\n$x=1$"])).format(text)


# Shapes that make derive fail (each a strict xfail test in tests/read/test_fuzz_regressions.py):
# generated no more, so that a run finds what else there is. Empty: the two found so far, exit 3
# on e^{-10^{5}} s_i + s_i = s_i and on 1/p under "cites 0 \le p \le 0", are fixed and their
# tests are plain regression tests now.
KNOWN_BUGS: dict[str, re.Pattern] = {}


def known_bug(data: bytes) -> str | None:
    text = data.decode("utf-8", "replace")
    return next((name for name, shape in KNOWN_BUGS.items() if shape.search(text)), None)


@st.composite
def cases(draw) -> Case:
    """Every kind of input, weighted so that most runs fail fast in the reader."""
    kind = draw(
        st.sampled_from(
            [
                "example",
                "fragment",
                "fragment",
                "fragment",
                "header",
                "directive",
                "notebook",
                "random",
                "random",
                "latex",
                "chain",
                "chain",
                "red-team",
                "red-team",
            ]
        )
    )
    if kind == "notebook":
        return draw(notebook_case())
    if kind == "chain":
        return draw(chain_case())
    if kind == "red-team":
        return draw(red_team_case().filter(lambda case: known_bug(case.data) is None))
    if kind == "random":
        text = draw(random_text())
    elif kind == "example":
        text = draw(mutated(draw(st.sampled_from(sorted(EXAMPLES.values())))))
    elif kind == "fragment":
        text = draw(mutated(draw(fragment()), most=3))
    elif kind == "header":
        base = draw(st.sampled_from(sorted(EXAMPLES.values()))) if draw(st.integers(0, 3)) == 0 else draw(fragment())
        text = draw(broken_header(base))
    elif kind == "directive":
        text = draw(broken_directive(draw(fragment())))
    else:
        text = draw(mutated(as_latex(draw(fragment())), most=2))
    if kind == "latex":
        name = "fuzz.tex"
    else:
        name = draw(st.sampled_from(["fuzz.md", "fuzz.md", "fuzz.md", "fuzz.txt", "fuzz.markdown", "fuzz.tex"]))
    data = _encode(text)
    if draw(st.integers(0, 19)) == 0:  # bytes no text editor writes
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\x00"])) + data[at:]
    return Case(name, data, draw(options()))


# -- the oracle --------------------------------------------------------------------------------------


@dataclass
class Outcome:
    exit_code: int | None
    seconds: float
    problems: list[str] = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""
    chain: str | None = None  # the chain property: "asserted", or why not


_STEPS = re.compile(r"(\d+)\$? steps?: \$?\d+\$? proved")


def _steps(stdout: str) -> int:
    """How many steps the run checked, from its summary line (or the JSON's list)."""
    if stdout.lstrip().startswith("{"):
        try:
            return len(json.loads(stdout).get("steps", []))
        except (ValueError, AttributeError):
            return 0
    return sum(int(n) for n in _STEPS.findall(stdout))


def run_case(case: Case, directory: Path, time_limit: float, allowance: float, extra: tuple[str, ...] = ()) -> Outcome:
    """Run ``derive check`` on the case in-process and say what, if anything, went wrong."""
    from click.testing import CliRunner

    from derive.cli import cli

    path = directory / case.name
    path.write_bytes(case.data)
    start = time.monotonic()
    argv = ["check", str(path), "--time-limit", f"{time_limit:g}", *case.options, *extra]
    result = CliRunner().invoke(cli, argv)
    seconds = time.monotonic() - start
    outcome = Outcome(result.exit_code, seconds, [], result.stdout, result.stderr)
    problems = outcome.problems
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        problems.append(f"exception escaped: {type(result.exception).__name__}: {result.exception}")
    if result.exit_code not in (0, 1, 2):
        problems.append(f"exit status {result.exit_code}")
    if "Traceback" in result.stdout or "Traceback" in result.stderr:
        problems.append("a traceback in the output")
    placed = re.compile(rf"derive: {re.escape(str(path))}:(cell \d+:)?\d+:\d+: \S")
    notice = re.compile(rf"derive: {re.escape(str(path))}: no step to check \([^)]*\); exit 0 needs a checked step")
    errors = notices = 0
    for line in result.stderr.splitlines():
        if placed.match(line):
            errors += 1
        elif notice.fullmatch(line):
            notices += 1  # a file with no step to check: exit 2, said in this one line
        else:
            problems.append(f"a stderr line that is not one error with a place: {line[:200]!r}")
    unread = re.search(r": \d+ checked, ([1-9]\d*) not read,", result.stdout) or (
        case.options and re.search(r"does not read|continues a chain across|is not read", result.stdout)
    )
    if not unread and "json" in case.options:
        try:  # JSON lists what was not read, whatever the reason's words
            unread = bool(json.loads(result.stdout).get("not_read"))
        except (ValueError, AttributeError):
            pass
    if result.exit_code == 2 and not errors and not unread and not notices:
        # exit 2: bad input (one line with its place each), or displays not read (listed, counted)
        problems.append("exit 2 with no placed error line and nothing listed as not read")
    outcome.chain = _check_unbridged(case, str(path), result, problems)
    # Each step has the time limit, and derive runs as many at once as it has CPUs (at most
    # WORKERS): one in a test worker pinned to one CPU.
    from derive.core.limits import _usable_cpus

    rounds = max(1, math.ceil(_steps(result.stdout) / min(WORKERS, _usable_cpus())))
    if seconds > rounds * time_limit + allowance:
        problems.append(f"took {seconds:.1f} s (limit {time_limit:g} s x {rounds} + {allowance:g} s)")
    return outcome


_SUMMARY = re.compile(r"^\S.*: \d+ checked, \d+ not read, .*, \d+ failed or undecided$", re.M)


def _check_unbridged(case: Case, path: str, result, problems: list[str]) -> str | None:
    """A block that begins with '=' right after a change of case or a block not checked is
    listed as skipped (its own place, any reason), and the rest of the file is still read.
    Returns "asserted", or why the property was not (None when the case has no such block)."""
    if case.unbridged is None:
        return None
    why = None
    if result.exit_code not in (0, 1, 2):
        why = f"exit {result.exit_code}"
    if why is None and case.options:
        why = "skipped blocks are listed in the text output only"
    if why is None and not _SUMMARY.search(result.stdout):
        why = "no step checked"
    if why is not None:
        return why
    line, column, what = case.unbridged
    if f"  not read {path}:{line}:{column}: " not in result.stdout:
        problems.append(f"the block at {line}:{column} continues a chain across a {what} but is not listed as skipped")
    return "asserted"
