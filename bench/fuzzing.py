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
    """One run: the file derive reads and the options of ``derive check``."""

    name: str
    data: bytes
    options: tuple[str, ...] = ()

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
            ]
        )
    )
    if kind == "notebook":
        return draw(notebook_case())
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
    notice = re.compile(
        rf"derive: {re.escape(str(path))}: no step to check \(\d+ skipped\); exit 0 needs a checked step"
    )
    errors = 0
    for line in result.stderr.splitlines():
        if placed.match(line):
            errors += 1
        elif not notice.fullmatch(line):
            problems.append(f"a stderr line that is not one error with a place: {line[:200]!r}")
    if result.exit_code == 2 and errors != 1:
        problems.append(f"exit 2 with {errors} placed error lines (expected exactly one)")
    # Each step has the time limit, and two run at once.
    rounds = max(1, math.ceil(_steps(result.stdout) / WORKERS))
    if seconds > rounds * time_limit + allowance:
        problems.append(f"took {seconds:.1f} s (limit {time_limit:g} s x {rounds} + {allowance:g} s)")
    return outcome
