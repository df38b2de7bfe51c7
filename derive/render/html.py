"""A checked derivation as one self-contained HTML page: no script, no stylesheet, font or
image fetched from anywhere, so that it can be mailed, attached to a CI run or opened from a
disk and always shows the same thing.

Each part's steps are rows of one grid, aligned at the equals sign: the step's number, its two
sides as MathML (converted from LaTeX by latex2mathml), then under it the core's label, the
author's rule, the hypotheses it used and where they were stated. A failed step is set apart in a way
that survives printing in black and white (a frame, a ✗ and the word "fails"), with its
counterexample and diagnosis under it. Then the items that were not checked, with their places
and reasons.

Every piece of text comes from a file someone else may have written (titles, headings, rules,
places, reasons): all of it goes through :func:`html.escape`, and the MathML is serialised here
from latex2mathml's element tree, tag and attribute by tag and attribute from lists of what
MathML needs, never from its own string (which unescapes the text it holds). LaTeX that does
not convert cleanly (an error, an unknown command left as text, an ``merror``) never reaches
the page: a step's side falls back to derive's own printing, then to its Unicode text.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable

from derive.core import CheckedDerivation, Status, Step, Strength, Verdict

from .layout import Part, parts
from .terminal import _mark
from .written import written_latex, written_text

__all__ = ["HtmlExport", "mathml", "plain"]


# -- LaTeX to MathML ---------------------------------------------------------------------------

# What MathML Core (and latex2mathml) uses; any other element (merror, or something new in a
# later latex2mathml) makes the conversion count as failed.
_TAGS = frozenset(
    "math mrow mi mn mo ms mtext mspace msub msup msubsup munder mover munderover mfrac msqrt mroot "
    "mstyle mtable mtr mtd mpadded mphantom menclose mmultiscripts mprescripts none semantics".split()
)
_ATTRIBUTES = frozenset(
    "mathvariant stretchy fence form accent accentunder columnalign columnlines columnspacing rowspacing "
    "rowlines rowalign frame framespacing displaystyle scriptlevel width height depth lspace rspace voffset "
    "linethickness minsize maxsize movablelimits symmetric separator largeop notation mathcolor "
    "mathbackground mathsize columnspan rowspan align".split()
)  # never href (\href), nor anything that could name a place to fetch
_VALUE = re.compile(r"[-+#.%A-Za-z0-9 ]{0,40}")  # a length, a colour name or #rgb, a keyword
_ENTITY = re.compile(r"&#x([0-9A-Fa-f]{1,6});")
_LEFTOVER = re.compile(r"[\\${}&]")  # LaTeX the converter left as text: a command, $, a brace, &
# Definitions and links: nothing on the page may depend on macros an author defined, or point
# anywhere; such LaTeX is shown through the fallbacks.
_REFUSED = re.compile(
    r"\\(?:def|gdef|edef|xdef|let|newcommand|renewcommand|providecommand|DeclareMathOperator|href|url|"
    r"require|input|include|write|special|unicode)(?![A-Za-z])"
)
_NOT_SHOWN = re.compile(r"\\(?:label|tag\*?)\s*\{[^{}]*\}|\\(?:nonumber|notag)(?![A-Za-z])")
_MAX_LATEX = 20_000  # characters: longer LaTeX is shown as text
_DOUBLE_STRUCK_DIGITS = {str(d): chr(0x1D7D8 + d) for d in range(10)}  # \mathbb{1}: 𝟙


class _Unclean(ValueError):
    """latex2mathml's tree holds something that must not reach the page."""


def _text(raw: str | None) -> str:
    """An element's text as latex2mathml left it ("&#x02211;" for ∑), escaped for HTML."""
    if not raw:
        return ""
    if _LEFTOVER.search(_ENTITY.sub("", raw)):
        raise _Unclean(raw)

    def character(match: re.Match) -> str:
        code = int(match.group(1), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or code < 0x20 and code not in (9, 10):
            raise _Unclean(raw)
        return chr(code)

    return html.escape(_ENTITY.sub(character, raw), quote=False)


def _serialise(element, out: list[str]) -> None:
    tag = element.tag
    if tag not in _TAGS:
        raise _Unclean(tag)
    attributes = {
        name: value
        for name, value in element.attrib.items()
        if name in _ATTRIBUTES and _VALUE.fullmatch(value) and not value.lower().startswith("url")
    }
    text = element.text
    if tag in ("mi", "mn") and attributes.get("mathvariant") == "double-struck" and text in _DOUBLE_STRUCK_DIGITS:
        text = _DOUBLE_STRUCK_DIGITS[text]  # browsers draw no double-struck variant of a digit
        del attributes["mathvariant"]
    if tag == "mo" and text and text.isalpha() and len(text) > 1 and len(element) == 0:
        tag = "mi"  # \operatorname{softmax}: a name, set upright with no operator's spacing around it
        attributes.pop("movablelimits", None)
    out.append(f"<{tag}" + "".join(f' {name}="{html.escape(value)}"' for name, value in attributes.items()) + ">")
    out.append(_text(text))
    children = list(element)
    for n, child in enumerate(children):
        _serialise(child, out)
        following = children[n + 1] if n + 1 < len(children) else None
        if _function_name(child) and following is not None and not _opens(following):
            out.append('<mspace width="0.1667em"></mspace>')  # \log s_k: a thin space, as TeX sets it
        out.append(_text(child.tail))
    out.append(f"</{tag}>")


def _function_name(element) -> bool:
    """log, exp, \\operatorname{diag}: a name of two letters or more."""
    text = element.text or ""
    return element.tag in ("mi", "mo") and len(element) == 0 and len(text) > 1 and text.isalpha()


def _opens(element) -> bool:
    """A bracket that follows a function's name with no space: log(x), diag(s)."""
    first = element
    while len(first) and first.tag in ("mrow", "msub", "msup", "msubsup"):
        first = first[0]
    return first.tag == "mo" and _character(first)[:1] in "([{|"


_TALL = frozenset("mfrac munderover munder mtable msqrt mroot".split())


def _tall(element) -> bool:
    """Whether brackets around ``element`` should grow to its height: a fraction, a sum, a matrix."""
    return any(
        e.tag in _TALL or (e.tag == "mover" and e.get("accent") != "true") or (e.tag == "mo" and _character(e) in "∑∏∫")
        for e in element.iter()
    )


def _tidy(tree) -> None:
    """What browsers set less well than TeX: \\left( \\right) around a line of symbols are
    drawn at their plain size (a browser takes the next larger, wider glyph for a subscript),
    a slash, ∂ and ∇ are ordinary symbols, with no space around them (∂L/∂z_i), and a sign
    after an opening bracket is unary (−s_k)."""
    for row in tree.iter("mrow"):
        fences = [c for c in row if c.tag == "mo" and c.get("fence") == "true" and c.get("stretchy") == "true"]
        if fences and not any(_tall(c) for c in row if c.tag != "mo"):
            for fence in fences:
                fence.set("stretchy", "false")
    for mo in tree.iter("mo"):
        if mo.text in ("/", "&#x0002F;", "&#x02202;", "∂", "&#x02207;", "∇") and len(mo) == 0:
            mo.set("lspace", "0")
            mo.set("rspace", "0")
    for parent in tree.iter():
        for before, mo in zip(parent, parent[1:]):
            # (−s_k s_i), = −y_i: a sign after an opening bracket or an operator is unary
            if (
                mo.tag == "mo"
                and _character(mo) in "−-+±"
                and before.tag == "mo"
                and _character(before) not in _CLOSING
            ):
                mo.set("form", "prefix")


_CLOSING = ")]}|⟩‖′!"


def _character(element) -> str:
    """The text of an element of latex2mathml's tree, its character references decoded."""
    return _ENTITY.sub(lambda m: chr(int(m.group(1), 16)), element.text or "") if len(element) == 0 else "<>"


def _prepared(latex: str) -> str | None:
    """The LaTeX to convert: equation labels and alignment marks of a display dropped (a side
    cut from an ``aligned`` block may keep its ``&``), or None when it is not to be converted."""
    text = _NOT_SHOWN.sub("", latex).strip()
    if "\\begin" not in text:
        text = re.sub(r"(?<!\\)&", " ", text).strip()
    if text.endswith("\\\\"):
        text = text[:-2].rstrip()
    if not text or len(text) > _MAX_LATEX or _REFUSED.search(text):
        return None
    return text


@functools.lru_cache(maxsize=4096)
def mathml(latex: str, display: bool = False) -> str | None:
    """``latex`` (math mode, without $) as a MathML ``<math>`` element, its LaTeX kept in an
    ``annotation`` for copying; None when latex2mathml cannot convert it cleanly (an error, an
    ``merror``, a command or a brace left as text, a macro definition or a link).

    >>> mathml(r"\\frac{a}{b}")
    '<math><semantics><mrow><mfrac><mrow><mi>a</mi></mrow><mrow><mi>b</mi></mrow></mfrac></mrow><annotation encoding="application/x-tex">\\\\frac{a}{b}</annotation></semantics></math>'
    >>> mathml(r"\\frac{a}{") is None, mathml(r"\\unknowncommand x") is None
    (True, True)
    """
    source = _prepared(latex)
    if source is None:
        return None
    try:
        from latex2mathml.converter import convert_to_element

        tree = convert_to_element(source, display="block" if display else "inline")
        _tidy(tree)
        out: list[str] = []
        for child in tree:
            _serialise(child, out)
    except Exception:  # any error of the converter's, or of ours above: not convertible
        return None
    body = "".join(out)
    if not re.search(r"<(mi|mn|mo|mtext|ms)[ >]", body):
        return None  # nothing to see (\, alone): the fallback says more
    attributes = ' class="d"' if display else ""  # set in display style, inline (see _STYLE)
    annotation = f'<annotation encoding="application/x-tex">{html.escape(latex, quote=False)}</annotation>'
    return f"<math{attributes}><semantics>{body}{annotation}</semantics></math>"


# -- LaTeX as plain Unicode, for what cannot be converted -------------------------------------

_WORDS = {"log", "ln", "exp", "sin", "cos", "tan", "max", "min", "sup", "inf", "lim", "det", "diag", "softmax"}
_SPACES = {",", ";", ":", " ", "!", "quad", "qquad", "enspace", "thinspace"}
_DROPPED = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "displaystyle"}


def _command(match: re.Match) -> str:
    name = match.group(1)
    if name in _SPACES:
        return " "
    if name in _WORDS:
        return name + " "
    if name in _DROPPED:
        return ""
    from latex2mathml.symbols_parser import convert_symbol

    code = convert_symbol("\\" + name)
    return chr(int(code, 16)) if code else ""  # an unknown command: dropped, never shown as LaTeX


def _script(match: re.Match) -> str:
    """A sub- or superscript in braces: x_{i} as x_i, x_{ij} as x_(ij)."""
    mark, script = match.groups()
    return mark + (script if len(script) < 2 else f"({script})")


def plain(latex: str) -> str:
    """LaTeX as readable Unicode with nothing of LaTeX's syntax left (``\\frac{a}{b}`` as
    ``(a)/(b)``, ``\\partial`` as ∂, an unknown command dropped): the last resort for mathematics
    that cannot be shown as MathML.

    >>> plain(r"\\frac{\\partial L}{\\partial z_{i}} = \\sum_{k} y_k \\mathrm{x} \\foo")
    '(∂ L)/(∂ z_i) = ∑_k y_k x'
    """
    text = latex
    for _ in range(20):  # innermost braces first, until nothing changes
        before = text
        text = re.sub(r"([_^])\{([^{}]*)\}", _script, text)
        text = re.sub(r"\\(?:text|math[a-z]*|boldsymbol|bm|mbox|operatorname)\s*\{([^{}]*)\}", r"\1", text)
        text = re.sub(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"(\1)/(\2)", text)
        if text == before:
            break
    text = re.sub(r"\\([A-Za-z]+|[,;:! ])", _command, text)
    text = text.replace("\\{", "\x00").replace("\\}", "\x01")  # 1\{i = j\}: braces meant
    text = re.sub(r"\\(.)", r"\1", text)  # \$ \% \&: the character itself
    text = text.translate({ord(c): None for c in "{}$\\&"}).replace("\x00", "{").replace("\x01", "}")
    return " ".join(text.split())


# -- pieces of the page ------------------------------------------------------------------------


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _inline(latex: str) -> str:
    """Inline mathematics, or its plain Unicode in a ``code`` element."""
    return mathml(latex) or f'<code class="m">{_escape(plain(latex))}</code>'


_DOLLARS = re.compile(r"(?<!\\)\$(?!\$)((?:\\.|[^$\\])+?)(?<!\\)\$")


def _prose(text: str) -> str:
    """A title, a heading, a rule or a reason: text, with each ``$...$`` in it as MathML, and
    each run of words written in Unicode mathematics (∂L/∂z_i = s_i − y_i) too."""
    text = re.sub(r"(?<!\\)\$\$", "$", " ".join(text.split()))  # $$...$$ in a line of prose: inline
    out, end = [], 0
    for match in _DOLLARS.finditer(text):
        out.append(_words(text[end : match.start()]))
        out.append(_inline(match.group(1)))
        end = match.end()
    out.append(_words(text[end:]))
    return "".join(out)


# Prose with a little mathematics in it, as derive's built-ins and the authors' rules write it.
_UNICODE = {
    "∂": r"\partial ", "Σ": r"\sum ", "δ": r"\delta ", "ε": r"\varepsilon ", "σ": r"\sigma ", "∇": r"\nabla ",
    "≠": r"\neq ", "≤": r"\leq ", "≥": r"\geq ", "−": "-", "·": r"\cdot ", "×": r"\times ", "ᵀ": r"^{\top}",
    "²": "^{2}", "→": r"\to ", "′": "'", "≈": r"\approx ", "∈": r"\in ", "…": r"\ldots ",
}  # fmt: skip
_MATHY = re.compile(r"[_^{}=<>+/\\]|[∂Σδεσ∇≠≤≥−·×ᵀ²→′ŷ≈∈…]")


def _is_math(word: str) -> bool:
    if "://" in word or "$" in word or (re.search("[<>]", word) and len(word) > 2):
        return False  # a link, a dollar, <stdin> or a tag: text
    if re.fullmatch(r"(log|exp|ln)(\(.*\))?|(diag|softmax)\(.*\)", word):
        return True
    letter = word.strip("()")  # (1 − ε): the 1 is mathematics
    return bool(_MATHY.search(word)) or (len(letter) == 1 and letter.isalnum() and letter not in "aAI")


def _unicode_latex(words: str) -> str:
    """A run of words of Unicode mathematics as LaTeX: δ_ij as \\delta_{ij}, 1{i=j} as
    \\mathbf{1}\\{i=j\\}, log as \\log."""
    text = "".join(_UNICODE.get(ch, ch) for ch in words)
    text = re.sub(r"(?<![A-Za-z\\])1\{([^{}]*)\}", r"\\mathbf{1}\\{\1\\}", text)
    text = re.sub(r"(?<![A-Za-z\\])(log|exp|ln)(?![A-Za-z])", r"\\\1", text)
    text = re.sub(r"(?<![A-Za-z\\])(diag|softmax)(?=\()", r"\\operatorname{\1}", text)
    return re.sub(r"_([A-Za-z0-9]{2,})", r"_{\1}", text)  # δ_ij: both letters are the subscript


def _words(text: str) -> str:
    """Text whose runs of mathematical words are set as MathML (each run whole, its trailing
    punctuation left as text); a run that does not convert stays as written."""
    pieces: list[tuple[bool, str]] = []  # (joined to the piece before it with no space, HTML)
    run: list[str] = []

    def flush() -> None:
        if run:
            words = " ".join(run)
            converted = mathml(_unicode_latex(words))
            pieces.append((False, converted or _escape(plain(words) if "\\" in words else words)))
            run.clear()

    for token in text.split(" "):
        core = token.rstrip(",;:.")
        if core and _is_math(core):
            run.append(core)
            if core != token:
                flush()
                pieces.append((True, _escape(token[len(core) :])))
        else:
            flush()
            pieces.append((False, _escape(token)))
    flush()
    return "".join(("" if joined or n == 0 else " ") + piece for n, (joined, piece) in enumerate(pieces))


def _prose_plain(text: str) -> str:
    """A title as plain text (the window's title): its mathematics as Unicode."""
    text = re.sub(r"(?<!\\)\$\$", "$", " ".join(text.split()))
    return _DOLLARS.sub(lambda m: plain(m.group(1)), text)


def _side(latex: str | None, expression, shown: str) -> str:
    """One side of a step: the LaTeX given (the author's, or derive's), else derive's own
    printing of the expression checked, else its Unicode text."""
    for attempt in (lambda: latex, lambda: _to_latex(expression)):
        try:
            source = attempt()
        except Exception:
            continue  # a printer that cannot print this: the next way
        if source is not None:
            converted = mathml(source, True)
            if converted is not None:
                return converted
    return f'<code class="m">{_escape(shown)}</code>'


def _to_latex(expression) -> str:
    from .latex import to_latex

    return to_latex(expression)


def _sides(step: Step) -> tuple[str, str]:
    try:
        left, right = written_latex(step)
    except Exception:
        left = right = None
    try:
        shown_left, shown_right = written_text(step)
    except Exception:
        shown_left, shown_right = str(step.previous), str(step.next)
    return _side(left, step.previous, shown_left), _side(right, step.next, shown_right)


def _hypothesis(h) -> str:
    try:
        return mathml(h.latex()) or f'<code class="m">{_escape(str(h))}</code>'
    except Exception:
        return f'<code class="m">{_escape(str(h))}</code>'


def _kind(verdict: Verdict) -> str:
    """The class a step's verdict is styled by."""
    if verdict.status is Status.FAILS:
        return "fails"
    if verdict.status is Status.UNDECIDED:
        return "undecided"
    return "proved" if verdict.strength is Strength.PROVED else "weaker"


def _value(text: str) -> str:
    """A value of a counterexample ("3/7", "-1", "≈0.1234") as LaTeX."""
    if text.startswith("≈"):
        return r"\approx " + text[1:].strip()
    if re.fullmatch(r"-?\d+/\d+", text):
        numerator, denominator = text.split("/")
        sign = "-" if numerator.startswith("-") else ""
        return f"{sign}\\tfrac{{{numerator.lstrip('-')}}}{{{denominator}}}"
    return text


def _assignment(latex_name: str, text_name: str, value: str) -> str:
    """``name = value`` as MathML, or as text when either will not convert."""
    return mathml(f"{latex_name} = {_value(value)}") or f'<code class="m">{_escape(f"{text_name} = {value}")}</code>'


def counterexample_html(verdict: Verdict) -> str:
    """The point where the two sides differ, each value as mathematics: the class count and
    the indices, then the inputs, then the value of each side there."""
    c = verdict.counterexample
    if c is None:
        return ""
    where = [(c.count_name, c.classes)] if c.classes is not None else []
    if c.examples is not None:
        where.append(("N", c.examples))
    where += list(c.indices)
    groups = []
    if where:
        groups.append(", ".join(_assignment(name, name, str(value)) for name, value in where))
    if c.inputs:
        groups.append(", ".join(_assignment(latex, name, value) for name, latex, value in c.inputs))
    sides = f"left side {_number(c.left)}, right side {_number(c.right)}"
    return f"{'; '.join(groups)}: {sides}" if groups else sides  # a claim with no variable: its sides alone


def _number(value: str) -> str:
    return mathml(_value(value)) or f'<code class="m">{_escape(value)}</code>'


def _failure(verdict: Verdict) -> str:
    """What is said under a step that does not hold: why, where it fails, what is left."""
    rows = []
    if verdict.reason:
        rows.append(f'<p><span class="k">Why:</span> {_prose(verdict.reason)}</p>')
    if verdict.counterexample is not None:
        rows.append(f'<p><span class="k">Counterexample:</span> {counterexample_html(verdict)}</p>')
    if verdict.difference is not None:
        try:
            difference = _side(None, verdict.difference, _to_text(verdict.difference))
        except Exception:
            difference = None
        if difference is not None:
            rows.append(f'<p><span class="k">Diagnosis:</span> left − right = {difference}</p>')
    if verdict.missing is not None:
        rows.append(f'<p><span class="k">Would hold if:</span> {_hypothesis(verdict.missing)}</p>')
    return f'<div class="problem">{"".join(rows)}</div>' if rows else ""


def _to_text(expression) -> str:
    from .text import to_text

    return to_text(expression)


# -- the page ------------------------------------------------------------------------------------

_STYLE = """
:root { color-scheme: light; --ink: #1b1f24; --muted: #4d5560; --rule: #d0d7de; --ok: #116329;
  --weak: #7a4800; --bad: #a40e26; --bad-bg: #fff4f4; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 .75rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; padding-bottom: .2rem; border-bottom: 1px solid var(--rule); }
math { font-family: "Latin Modern Math", "STIX Two Math", "Cambria Math", "DejaVu Math TeX Gyre", math;
  font-size: 1.1em; }
math.d { math-style: normal; }  /* display style, but aligned as text */
[mathvariant="bold"] { font-weight: bold; }
[mathvariant="bold-italic"] { font-weight: bold; font-style: italic; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em; }
code.m { white-space: pre-wrap; }
.summary { margin: 0 0 1rem; padding: .6rem .9rem; border: 2px solid var(--ok); border-radius: 4px;
  font-weight: 600; }
.summary.bad { border-color: var(--bad); border-style: double; border-width: 4px; background: var(--bad-bg); }
.summary .mark { font-size: 1.15em; margin-right: .35em; }
.attention { margin: 0 0 1rem; padding-left: 1.3rem; }
.attention li { margin: .2rem 0; }
a { color: inherit; }
.assume { margin: .25rem 0 .5rem; color: var(--muted); }
.scroll { overflow-x: auto; }
ol.steps { list-style: none; margin: .25rem 0; padding: 0; display: grid;
  grid-template-columns: 4rem max-content max-content 1fr; }
li.step { grid-column: 1 / -1; display: grid; grid-template-columns: subgrid; align-items: baseline;
  margin: 0 0 .35rem; padding: .35rem .5rem .45rem 0; border: 2px solid transparent; break-inside: avoid; }
.n { grid-column: 1; padding-right: .6rem; text-align: right; font-weight: 600; color: var(--muted);
  white-space: nowrap; font-variant-numeric: tabular-nums; }
.lhs { grid-column: 2; text-align: right; white-space: nowrap; }
.rel { grid-column: 3; padding: 0 .1rem; }
.rhs { grid-column: 4; white-space: nowrap; }
.note { grid-column: 2 / -1; margin-top: .15rem; font-size: .88rem; color: var(--muted); }
.label { font-weight: 600; white-space: nowrap; }
.proved .label { color: var(--ok); }
.weaker .label { color: var(--weak); }
.fails .label, .undecided .label { color: var(--bad); }
.sep { color: #8c959f; }
.where { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .82rem; }
li.fails, li.undecided { border-color: var(--bad); background: var(--bad-bg); }
li.undecided { border-style: dashed; }
li.fails .n, li.undecided .n { color: var(--bad); }
.problem { margin: .4rem 0 .1rem; padding: .4rem .7rem; border-left: 4px solid var(--bad); background: #fff;
  color: var(--ink); font-size: .95rem; }
.problem p { margin: .15rem 0; }
.problem .k { font-weight: 700; }
table.unread { border-collapse: collapse; font-size: .92rem; }
table.unread th, table.unread td { border: 1px solid var(--rule); padding: .3rem .55rem; text-align: left;
  vertical-align: top; }
table.unread th { background: #f6f8fa; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem; }
@media print {
  main { max-width: none; padding: 0; }
  .scroll { overflow: visible; }
  .summary.bad, li.fails, li.undecided { background: none; }
}
"""


class HtmlExport:
    """One self-contained HTML page: the derivation, its verdicts, and what was not checked."""

    def render(self, checked: CheckedDerivation, not_read: Iterable[tuple[str, str, str]] = ()) -> str:
        from derive import __version__

        from .terminal import summary

        derivation = checked.derivation
        title = derivation.title or derivation.name
        not_read = tuple(not_read)
        body = [f"<header><h1>{_prose(title)}</h1>"]
        counts = _escape(summary(checked))
        if checked.all_hold:
            body.append(f'<p class="summary ok"><span class="mark">✓</span>{counts}</p>')
        else:
            body.append(f'<p class="summary bad"><span class="mark">✗</span>{counts}</p>')
            body.append(self._attention(checked))
        if not_read:
            body.append(f'<p><a href="#not-checked">{len(not_read)} not checked</a>: listed at the end.</p>')
        body.append("</header>")
        for part in parts(checked):
            body.append(self._part(part))
        if not_read:
            body.append(self._unread(not_read))
        body.append(f"<footer>Checked by derive {_escape(__version__)}.</footer>")
        return "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="en">',
                "<head>",
                '<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                # nothing on the page may run or be fetched, whatever a file put into it
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
                f"<title>{_escape(_prose_plain(title))}</title>",
                f"<style>{_STYLE}</style>",
                "</head>",
                "<body>",
                "<main>",
                *body,
                "</main>",
                "</body>",
                "</html>",
                "",
            ]
        )

    def _attention(self, checked: CheckedDerivation) -> str:
        """The steps that do not hold, each linked to where it is on the page."""
        items = []
        for number, (_step, verdict) in enumerate(checked.pairs, start=1):
            if verdict.holds:
                continue
            text = (
                f'<a href="#step-{number}">Step {number}</a> <strong>{_mark(verdict)} {_escape(verdict.label)}</strong>'
            )
            if verdict.counterexample is not None:
                text += f": counterexample {counterexample_html(verdict)}"
            elif verdict.reason:
                text += f": {_prose(verdict.reason)}"
            items.append(f"<li>{text}</li>")
        return f'<ul class="attention">{"".join(items)}</ul>'

    def _part(self, part: Part) -> str:
        out = ["<section>"]
        if part.heading:
            out.append(f"<h2>{_prose(part.heading)}</h2>")
        if part.assumed:
            out.append(f'<p class="assume">Assume {", ".join(_hypothesis(h) for h in part.assumed)}.</p>')
        # one grid a part, each step a row of it (CSS subgrid): the sides align at the = sign
        out.append('<div class="scroll"><ol class="steps">')
        for n, item in enumerate(part.steps):
            out.append(self._step(item.number, item.step, item.verdict, chained=n > 0))
        out.append("</ol></div></section>")
        return "\n".join(out)

    def _step(self, number: int, step: Step, verdict: Verdict, chained: bool) -> str:
        left, right = _sides(step)
        if step.continues and chained:
            left = ""  # "= next", as the author wrote the chain
        mark = f'<span class="mark">{_mark(verdict)}</span> ' if not verdict.holds else ""
        equation = (
            f'<span class="n">{mark}({number})</span><span class="lhs">{left}</span>'
            f'<span class="rel"><math><mo>=</mo></math></span><span class="rhs">{right}</span>'
        )
        notes = [f'<span class="label">{_mark(verdict)} {_escape(verdict.label)}</span>']
        if step.rule:
            notes.append(f'<span class="rule">{_prose(step.rule)}</span>')
        stated = dict(zip(step.standing, step.stated_at))
        for h in verdict.needed:
            where = f' (stated at <span class="where">{_escape(stated[h])}</span>)' if stated.get(h) else ""
            notes.append(f'<span class="uses">uses {_hypothesis(h)}{where}</span>')
        if step.where:
            notes.append(f'<span class="where">{_escape(step.where)}</span>')
        note = '<span class="sep"> · </span>'.join(notes)
        if not verdict.holds:
            note += _failure(verdict)
        return f'<li class="step {_kind(verdict)}" id="step-{number}">{equation}<div class="note">{note}</div></li>'

    def _unread(self, not_read: tuple[tuple[str, str, str], ...]) -> str:
        rows = [
            f'<tr><td class="where">{_escape(place)}</td><td>{_inline(source) if source.strip() else ""}</td>'
            f"<td>{_prose(reason)}</td></tr>"
            for place, source, reason in not_read
        ]
        return (
            f'<section id="not-checked"><h2>Not checked ({len(not_read)})</h2>'
            '<div class="scroll"><table class="unread"><thead><tr><th>place</th><th>as written</th><th>reason</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>"
        )
