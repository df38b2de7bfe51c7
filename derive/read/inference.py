"""What a document without a notation header declares by what it writes.

Nobody writes a derive header into a blog post. A derivation says what it uses: "p_j =
e^{o_j}/Σ_k e^{o_k}", "L = −Σ_j y_j log p_j", "y is one-hot", sums up to C. From those this
module writes the header the author would have written, each line with the place it was
learned from, and derive.read.header reads it as it reads a header a person wrote:

- **softmax**: X of Z, when an equation gives an entry of X (X_j, S(x_j), σ(z)_j) a formula with
  e^{Z_…} in it and **the core proves** X_j equal to that formula with X the softmax of Z (with
  a temperature T: e^{Z_j/T}/Σ_k e^{Z_k/T}). Never by the look of the formula alone.
- **labels**: the one other family written just before a logarithm (y_j log p_j). The labels
  are any real numbers unless a clause of the prose says more in so many words ("one-hot",
  "sums to one", "given that $Σ_k y_k = 1$") with every other word on a short allowed list.
- **classes**: the letter written most often as the upper limit of a sum or product (a second
  letter is not made the same count: its sums are not read).
- **scalars**: every letter a display uses alone that nothing else declares or defines, is
  no index, count or family, is never written before "(" (f(x) may be a function), in bold,
  transposed or differentiated, and that the prose does not describe as something else.
- derive's own letters (s of z, y, K, L) fill the roles left open, unless the document writes
  or describes those letters otherwise.

What is inferred is shown first in the output, with its place ("inferred"). A header in the
document or given with --notation is used instead, and then nothing is inferred.
"""

from __future__ import annotations

import bisect
import functools
import html
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from .source import Block, Header, MacroDefinitions, Place

__all__ = ["Inferred", "Written", "indices_described", "infer_header"]

_BASE = r"(?:\\[A-Za-z]+\{[A-Za-z]\}|\\?[A-Za-z]+)"  # as the header writes a family: y, \hat{y}, \sigma
_INDEX = r"(?:\{\s*[a-z]\s*\}|[a-z])"
# where a name may begin when a pattern searches for one: not inside a run of letters (tried
# from every letter of a run, a name is quadratic in the run's length, and finds nothing more)
_RUN_START = r"(?<![A-Za-z\\])"
_RELATION = r"(?::=|\\equiv|\\coloneqq|\\triangleq|=)"
# the left side of an equation that may give an entry of a family its formula: p_j, S(x_i), \sigma(z)_i
_ENTRY_LEFT = re.compile(rf"(?P<base>{_BASE})_{_INDEX}")
_CALL_LEFT = re.compile(rf"(?P<base>{_BASE})\s*(?:\\left)?\((?:[^()]|\([^()]*\))*(?:\\right)?\)(?:_{_INDEX})?")
# the family in an exponent: e^{o_j}, e^{z_i/T}, \exp(a_j), \exp (\theta_i)
_EXPONENT = re.compile(
    rf"(?:e\s*\^\s*\{{?|\\exp\s*(?:\\left|\\big|\\Big)?\s*[({{])\s*(?:\\(?:mathbf|mathbb|boldsymbol|bm)\{{)?"
    rf"(?P<base>{_BASE})\}}?\s*_"
)
# the softmax by name, of a family or of one of its entries: softmax(o), \mathrm{softmax}(\mathbf{z})_i
_NAMED_SOFTMAX = re.compile(
    rf"(?:\\(?:mathrm|operatorname|text|textrm|mathit)\s*\{{\s*softmax\s*\}}|softmax)\s*(?:\\left)?\(\s*"
    rf"(?:\\(?:mathbf|mathbb|boldsymbol|bm|vec|textbf)\s*\{{\s*)?(?P<base>{_BASE})\s*\}}?(?:_{_INDEX})?\s*(?:\\right)?\)"
    rf"(?:_{_INDEX})?"
)
_OVER = re.compile(r"e\s*\^\s*\{[^{}]*?/\s*(?P<t>[A-Za-z])\s*\}|e\s*\^\s*\{\s*\\frac\{[^{}]*\}\{(?P<f>[A-Za-z])\}\s*\}")
_UPPER = re.compile(
    r"\\(?:sum|prod)\s*(?:\\limits|\\nolimits)?\s*(?:_(?:\{(?:[^{}]|\{[^{}]*\})*\}|[A-Za-z0-9])\s*)?"
    r"\^\s*(?:\{\s*(?P<a>[A-Za-z])\s*\}|(?P<b>[A-Za-z]))"
    r"|\\sum\s*\^\s*(?:\{\s*(?P<c>[A-Za-z])\s*\}|(?P<d>[A-Za-z]))"
)
_BEFORE_LOG = re.compile(
    r"(?P<base>\\[A-Za-z]+\{[A-Za-z]\}|\\[A-Za-z]+|[A-Za-z])_(?:\{[^{}]*\}|[A-Za-z0-9])"
    r"\s*(?:\\cdot|\*|\\,|\\;|\\!|\\ )?\s*\\?(?:log|ln)(?![A-Za-z])"
)
# the numerator of a derivative: \frac{\partial E}{...}, \dfrac{ \partial{E} }{...}, dE/dx
_DIFFERENTIATED = re.compile(
    rf"\\[dt]?frac\s*\{{\s*(?:\\partial|d)\s*\{{?\s*(?P<name>{_BASE})|(?:\\partial|\bd)\s*(?P<over>{_BASE})\s*/"
)
# A letter the author means as more than a number: in bold or with an arrow (a vector, a matrix,
# an operator: \mathbf{D}\Sigma), transposed, or with a letter as its superscript (s^i: an entry).
_NOT_A_NUMBER = re.compile(
    rf"\\(?:mathbf|boldsymbol|bm|vec|overrightarrow|textbf|mathbold)\s*\{{\s*(?P<name>{_BASE})\s*\}}"
    rf"|{_RUN_START}(?P<power>{_BASE})\s*\^\s*(?:\{{\s*)?(?:[a-z]|\(\s*[a-z]\s*\)|T|\\top|\\intercal|\\mathsf\{{T\}})(?![A-Za-z])"
)
_UNKNOWN = re.compile(r"unknown symbol (?P<name>\\?[A-Za-z]+) \(declared")
_NOT_NAMES = {"e", "d", "i", "j", "k", "l", "\\delta", "\\partial", "\\nabla", "\\sum", "\\prod", "\\frac", "\\log"}
_NOT_NAMES |= {"\\ln", "\\exp", "\\mathrm", "\\text", "\\operatorname", "\\left", "\\right", "\\cdot"}
_OWN = "derive's own letters"
# Each pass declares the letters the one before found unknown; a document needs a pass for a
# letter that stops a display before another unknown letter is reached.
MAX_SCALAR_PASSES = 8
# A softmax is tried once per (name, logits) pair, each proof within SOFTMAX_PROOF_SECONDS, and
# at most this many pairs per document: a file of many formulas with e^{z_j} in them must not
# make the reading take minutes (an adversary's 251-byte file took 3 minutes).
MAX_SOFTMAX_TRIALS = 6
SOFTMAX_PROOF_SECONDS = 5


@dataclass(frozen=True)
class Inferred:
    """One header line learned from the document: where, and why."""

    key: str
    value: str
    place: Place
    why: str

    @property
    def news(self) -> bool:
        """Whether it says more than derive's own letters, which the README documents and a
        document in derive's dialect relies on without a word (those are not listed)."""
        return not self.why.startswith(_OWN) and (self.key, self.value) != ("classes", "K")


def infer_header(events, origin: Place, masked, text: Written) -> tuple[Header, tuple[Inferred, ...]]:
    """The header the document implies, and each line with its reason. ``masked`` turns a
    block's text into what the math reader reads; ``text``: the document as written (the
    prose, for the facts)."""
    blocks = list(_math_blocks(events, masked))
    found: list[Inferred] = []
    found += _classes(blocks)
    found += _softmax(blocks, found, origin)
    found += _labels(blocks, found, text, origin)
    found += _own_letters(blocks, found, text, origin)
    found += _scalars(events, blocks, found, origin, masked, text)
    return _as_header(found, origin), tuple(found)


def _as_header(lines: list[Inferred], origin: Place) -> Header:
    """The header that ``lines`` write, as derive.read.header reads a written one."""
    return Header(tuple((i.key, i.value, i.place) for i in lines), origin)


def _own_letters(blocks, found: list[Inferred], text: Written, origin: Place) -> list[Inferred]:
    """derive's own letters for the roles the document leaves open: s the softmax of z, labels
    y, K classes, the loss L = −Σ_k y_k log s_k (its examples are written in them). Each only
    where the document does not write the letter in another way: alone where a family needs an
    index, or on the left of an equation (the document defines it)."""
    keys = {i.key for i in found}
    heads = {left for _, text_, _ in blocks for _, left, _ in _rows(text_)}
    alone: set[str] = set()  # each role tried on its own: a letter found alone stops its equation
    if "softmax" not in keys:
        alone |= _written_alone(blocks, [*found, Inferred("softmax", "s of z", origin, "")], origin, {"s", "z"})
    if "labels" not in keys and "y" not in _roles(found):
        alone |= _written_alone(blocks, [*found, Inferred("labels", "y", origin, "")], origin, {"y"})
    own: list[Inferred] = []
    why = _OWN + " (nothing else in the document names this role)"
    otherwise = _own_letters_described(text, origin)
    if "softmax" not in keys and not {"s", "z"} & (alone | heads | otherwise):
        own.append(Inferred("softmax", "s of z", origin, why))
    if "labels" not in keys and "y" not in alone | heads and "y" not in _roles(found):
        fact, where = _stated_fact("y", text, origin, _counts(found) or frozenset({"K"}))
        value = f"y {fact}" if fact else "y"
        own.append(Inferred("labels", value, where or origin, why + (f"; {fact}, stated at {where}" if fact else "")))
    if "classes" not in keys and "K" not in heads:
        own.append(Inferred("classes", "K", origin, why))
    if (
        own
        and own[0].key == "softmax"
        and any(i.key == "labels" for i in own)
        and not {"L", "\\mathcal{L}"} & (heads | otherwise)
    ):
        own.append(Inferred("loss", "L, \\mathcal{L} = -\\sum_{k} y_k \\log s_k", origin, why))
    return own


# Words that give s, z or L another meaning than derive's own letters: "each output $s_k$ is the
# logistic sigmoid of its own logit", "the squared error $L$" (an adversary's false accepts).
_NOT_OWN_MEANING = re.compile(
    r"\b(?:sigmoid\w*|logistic|squared?|mse|mean|tanh|relu|independent\w*|binary|hinge|absolute|kl|divergence"
    r"|focal|smooth\w*|margin|norm\w*|probit|gaussian|regression|max|min|(?!softmax\b)\w+max|\w+-?softmax|log\s+softmax"
    r"|temperature|tempered|scaled|penalty|penali[sz]\w*|regulari[sz]\w*"
    # the log-likelihood is the cross-entropy negated
    r"|(?<!negative )(?<!negative-)log[- ]?likelihood)\b",
    re.IGNORECASE,
)


def _is_checked_claim(span: str) -> bool:
    """An equation derive reads and checks; a relation without "=" ($s_i \approx 2 e^{z_i}/Σ$)
    is listed as not an equality and would say unchecked what s is."""
    top = re.sub(r"[_^]\s*\{[^{}]*\}", " ", span)  # not the "=" of \sum_{k=1}
    return "=" in top or "＝" in top


_DEFINES_MACRO = re.compile(r"\\(?:(?:re)?newcommand|providecommand|[gex]?def|DeclareMathOperator)(?![A-Za-z])")
# what a title says of the softmax without giving s another meaning ("The softmax Jacobian",
# "Derivative of the softmax"): a sentence that names s so is held to the list above
_TITLE_WORDS = frozenset("jacobian derivative derivatives gradient gradients".split())
_FUNCTION_NAMED = re.compile(r"softmax|cross[- ]?entropy|log[- ]?likelihood|log[- ]loss", re.IGNORECASE)
# s, z or L as a letter of a formula (not the s of \sum, not the L of \Lambda)
_OWN_LETTER_IN = re.compile(r"(?<![A-Za-z\\])[szL](?![A-Za-z])|\\mathcal\s*\{?\s*L")


def _own_letters_described(text: Written, origin: Place) -> set[str]:
    """Which of s, z and L the prose names without saying what derive's own letters mean: each
    one named needs a sentence that names it beside the word softmax (s, z) or cross-entropy
    (L; or negative log-likelihood, log loss), and no clause naming one of them may say
    something else (a sigmoid, a squared error, a formula of it). A letter the prose
    names otherwise ("the sparsemax of the logits $z$", "the Brier score $L$") is then not
    derive's: an adversary made derive check such steps as softmax and cross-entropy steps."""
    named: set[str] = set()
    other: set[str] = set()
    sentences: list[tuple[str, set[str]]] = []
    for clause, _, _, _, hiding in _prose_clauses_of(text, origin):
        clause = _as_plain_letters(clause)  # $𝑠_k$ names s as $s_k$ does
        # a mention ($s$, $s_k$, $\\mathbf{z}$, $\\mathbf{s} \\in \\mathbb{R}^K$), where the words
        # say what the letter is; an equation in the prose ($s_i = 1$) says it in mathematics
        formulas = _inline_math(clause)
        letters = {_mentioned(m.group(1)) for span in formulas if (m := _MENTION.fullmatch(span))}
        # a formula with them that is more than a mention says something of them in mathematics
        # ("the softmax of $2z$", "is $1 - s$", "$L(s, y)$", "$s_1, \dots, s_K$")
        written = {
            _mentioned(m.group(0))
            for span in formulas
            # a relation is a claim (checked), a macro definition names nothing
            if not _MENTION.fullmatch(span) and not _is_checked_claim(span) and not _DEFINES_MACRO.search(span)
            for m in _OWN_LETTER_IN.finditer(span)
        }
        other |= written
        named |= written
        plain = _without_math(clause)
        named |= letters
        if _NOT_OWN_MEANING.search(plain) or hiding:
            other |= letters  # or what is hidden beside them may ("$s$ <b>divided by two</b>")
        other |= _described_beside_the_function(plain.lower(), letters)
        other |= _roles_swapped(clause, letters)
        sentences.append((plain.lower(), letters))
    # the sentences after the one that says what they are may say more ("Let $s$ be the
    # softmax of $z$." and, paragraphs later, "From here on $s$ denotes half of it."): every
    # sentence of the document that names them holds allowed words only
    said = set().union(*(_described_beside_the_function(p, ls, strict=False) for p, ls in sentences))
    for plain, letters in sentences:
        if letters & said and _unlisted_words(plain):
            other |= letters & said
    # and anywhere in the document, whatever hides it from the prose above (a list item, a
    # quote, a heading, a table, \text{...} in a display, a footnote): a word that may give them
    # another meaning leaves them to the document
    if _NOT_OWN_MEANING.search(text.text):
        other |= {"s", "z", "L"}
    # and any sentence anywhere that speaks of the softmax or the cross-entropy with other words
    # may give them another meaning, whatever letters it writes them with ("s denotes twice the
    # softmax", "$𝑠$", "ѕ_k", "L denotes half of the cross-entropy")
    for sentence in re.split(r"[.!?;:\n]", _cells_text(text)):
        words = re.sub(r"\\[A-Za-z]+", " ", _without_math(sentence)).lower()  # \DeclareMathOperator{\sm}{softmax}
        if _FUNCTION_NAMED.search(sentence) and _unlisted_words(words) - _TITLE_WORDS:
            other |= {"s", "z", "L"}
            break
    other |= _named_outside_the_prose(text)
    # a letter the prose names must be said to be what derive means by it somewhere
    return other | (named - said)


# s, z or L written as a word of plain text (not the s of "it's"), with a subscript or not:
# "s denotes the exponentials", "sₖ = exp(zₖ)", "s_k is ...", "𝑠ₖ" (over the text as
# _as_plain_letters writes it)
_OWN_LETTER_PLAIN = re.compile(r"(?<![\w'’\\])(?<!\w\()([szL])(?:_\w|_)*(?![\w])")  # not label(s)


# letters of other scripts that look like s, z and L, which NFKC leaves as they are
_LOOK_ALIKES = {"ѕ": "s", "ꜱ": "s", "ᴢ": "z", "ʟ": "L", "Ꮮ": "L", "ⅼ": "L"}


def _as_plain_letters(text: str) -> str:
    """``text`` with each letter of another alphabet of mathematics written as its plain letter
    (𝑠 as s: NFKC's reading) and each subscript or superscript as "_", one character for one."""
    out = []
    for c in text:
        if c.isascii():
            out.append(c)
            continue
        if c in _LOOK_ALIKES:
            out.append(_LOOK_ALIKES[c])
            continue
        plain = unicodedata.normalize("NFKC", c)
        if len(plain) == 1 and plain.isascii() and plain.isalpha() and unicodedata.category(c) in ("Lu", "Ll"):
            out.append(plain)
        elif unicodedata.category(c) in ("Lm", "No") and unicodedata.normalize("NFKC", c).isalnum():
            out.append("_")
        else:
            out.append(c)
    return "".join(out)


def _named_outside_the_prose(text: Written) -> set[str]:
    """s, z or L written where the sentences read above do not see them: in a list item, a
    table, a quote, code, a LaTeX list, a footnote, or as plain letters ("s denotes the vector
    of exponentials"). What is written there may say what they are ("- $s_k$: the exponential of
    $z_k$, before any division"): they are then the document's. A heading may name them with
    a title's words ("## Derivative of $s_i$ with respect to $z_j$")."""
    sources = (
        [source for _, kind, source in _notebook_cells(text.text) or () if kind == "markdown"]
        if text.kind == "ipynb"
        else [text.text]
    )
    found: set[str] = set()
    # code that gives them a value ("s = np.exp(z)"), in a fence or a notebook's code cell
    code = [source for _, kind, source in _notebook_cells(text.text) or () if kind == "code"]
    for source in sources:
        blanked = _code_blanked(source, text.kind != "tex")
        code.append("".join(c if c != b else "\n" if c == "\n" else " " for c, b in zip(source, blanked)))
    found |= {m.group(1) or m.group(2) for piece in code for m in _ASSIGNED_IN_CODE.finditer(piece)}
    for source in sources:
        source = _as_plain_letters(source)  # $𝑠_k$ names s as $s_k$ does
        markdown = text.kind != "tex"
        prose = _prose(source, markdown)
        # the document without its code (code is code: `s = exp(z)` names no letter of the
        # mathematics), its macro definitions and its displays, every character in its place
        outside = _code_blanked(source, markdown)
        displays: list[str] = []  # a display that sets words may say what its letters are

        def display_blanked(span, displays: list[str] = displays) -> str:
            displays.append(span)
            return _spaces(span)

        outside = _blank_delimited(
            outside,
            _DISPLAY_OPEN,
            _display_close,
            display_blanked,
        )
        for display in displays:
            if _sets_words(display) and "=" not in display:  # "$$ s_k \text{ denotes ...} z_k $$"
                found |= {_mentioned(o.group(0)) for o in _OWN_LETTER_IN.finditer(display)}
            elif _sets_words(display):  # an equation: what its words name ("\tag{here s is e^z}")
                for group in _text_groups(display):
                    found |= {
                        m.group(1) for m in _OWN_LETTER_PLAIN.finditer(_as_plain_letters(group.replace("{", " ")))
                    }
            found |= _named_by_a_brace(display)
        # a character reference that shows s, z or L ("Here &#115; is ...")
        found |= {
            letter
            for m in _CHARACTER_REFERENCE.finditer(outside)
            if (letter := _as_plain_letters(html.unescape(m.group(0)))) in ("s", "z", "L")
        }
        # a formula that says what a letter is ("$s_k = e^{z_k}$" is a claim, checked; a
        # relation derive does not check, or a formula that writes more than the letter, says it)
        mentions = [
            (m.start(), _mentioned(o.group(0)))
            for m in _PROSE_MATH.finditer(outside)
            if not _is_checked_claim(m.group(1) or m.group(2) or "")
            for o in _OWN_LETTER_IN.finditer(m.group(1) or m.group(2) or "")
        ]
        plain = _as_plain_letters(_PROSE_MATH.sub(lambda m: " " * len(m.group(0)), outside))
        mentions += [(m.start(), m.group(1)) for m in _OWN_LETTER_PLAIN.finditer(plain)]
        titles: dict[int, bool] = {}  # by the line's start: a line of many mentions is read once
        for at, letter in mentions:
            in_prose = prose[at : at + 1].strip(" \t\n" + HIDDEN + SHOWN) != ""
            if in_prose and not _PROSE_MATH.match(outside, at):
                found.add(letter)  # a plain letter in a sentence: the words above read only formulas
            elif not in_prose:
                start = outside.rfind("\n", 0, at) + 1
                if start not in titles:
                    end = outside.find("\n", at)
                    line = outside[start : end if end >= 0 else len(outside)]
                    heading = re.match(r"[ \t]{0,3}#+[ \t]|\\(?:sub)*section\*?\{", line)
                    words = re.sub(r"\\[A-Za-z]+", " ", _without_math(line)).lower()
                    titles[start] = bool(heading) and not _unlisted_words(words) - _TITLE_WORDS - _TITLE_TIES
                if not titles[start]:
                    found.add(letter)
    return found


_TITLE_TIES = frozenset("with respect to".split())


# s = ..., s[i] = ..., s: np.ndarray = ..., s *= 2, s := ..., s <- exp(z) (R)
_ASSIGNED_IN_CODE = re.compile(
    r"(?<![\w.])([szL])\s*(?:\[[^\]\n]*\])?\s*(?::[^=\n]*)?(?:[-+*/%@&|^]|\*\*|//|<<|>>|:)?=(?!=)"
    r"|(?<![\w.])([szL])\s*<<?-"
)
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX][0-9a-fA-F]{1,6}|[0-9]{1,7});|&[A-Za-z][A-Za-z0-9]{1,31};")
_TEXT_IN_MATH = re.compile(r"\\(?:text\w*|mbox|hbox|intertext|shortintertext|mathrm|operatorname|tag\*?)\s*\{")
_WORDS_A_DISPLAY_MAY_SET = frozenset(
    "if when for and or otherwise where all else softmax sigmoid log ln exp tanh diag max min argmax".split()
)


def _named_by_a_brace(display: str) -> set[str]:
    """s, z or L written as the label of an \\overbrace or \\underbrace: the brace names what
    it spans ("\\overbrace{e^{z_i}/(2\\sum_k e^{z_k})}^{s_i}" says what s_i is)."""
    named = set()
    for m in _BRACE.finditer(display):
        end = _group_end(display, m.end())
        label = re.match(r"\s*[_^]\s*(\{)?", display[end : end + 40])
        if label:
            start = end + label.end()
            text = display[start : _group_end(display, start)] if label.group(1) else display[start : start + 1]
            named |= {_mentioned(o.group(0)) for o in _OWN_LETTER_IN.finditer(text)}
    return named


_BRACE = re.compile(r"\\(?:over|under)brace\s*\{")


def _text_groups(display: str) -> list[str]:
    """What a display sets as text (\\text, \\tag, \\intertext, ...), braces inside too."""
    return [display[m.end() : _group_end(display, m.end())] for m in _TEXT_IN_MATH.finditer(display)]


def _sets_words(display: str) -> bool:
    """Does a display set words beyond a condition's and a function's name ("\\text{ denotes
    the exponential of the logit }")?"""
    for group in _text_groups(display):  # {paper}, \emph{...} inside too
        words = re.findall(r"[A-Za-z]{2,}", re.sub(r"\\[A-Za-z]+", " ", group))
        if any(word.lower() not in _WORDS_A_DISPLAY_MAY_SET for word in words):
            return True
    return False


def _spaces(span) -> str:
    span = span if isinstance(span, str) else span.group(0)
    return "".join("\n" if c == "\n" else " " for c in span)


def _code_blanked(source: str, markdown: bool) -> str:
    """``source`` without its code and its macro definitions, every character in its place:
    fences (a math fence too: it is a display) and code spans in Markdown, verbatim text in
    LaTeX, and every line that defines a macro (\\newcommand{\\w}{s_i} names nothing)."""
    if markdown:
        source = _blank_delimited(source, re.compile(r"```+|~~~+"), lambda m: m.group(0), _spaces)
        source = _code_spans_blanked(source, _spaces)
    else:
        source = _blank_delimited(
            source,
            re.compile(r"\\begin\{(verbatim\*?|Verbatim|lstlisting|minted)\}|\\(?:verb|lstinline)\*?(.)"),
            lambda m: f"\\end{{{m.group(1)}}}" if m.group(1) else m.group(2),
            _spaces,
        )
    return re.sub(rf"^.*{_DEFINES_MACRO.pattern}.*$", _spaces, source, flags=re.MULTILINE)


# The words a sentence may have that names s or z beside the word softmax, or L beside
# cross-entropy: it then says what derive's own letters mean, and nothing more. A list of allowed
# words, not of forbidden ones: "the log-softmax of the logits", "not the softmax of", "the
# softmax of z divided by a temperature", "the negative of the cross-entropy", "the
# cross-entropy plus a penalty" (an adversary's false accepts) each have a word not on it.
_OWN_MEANING_WORDS = frozenset(
    "the a an of is are be its their this these which where here we let denote call write and as to for "
    "in into with respect each every entry entries element elements component components by given "
    "network model final last unnormalized raw activations activation "
    "softmax function output outputs probabilities probability predicted prediction predictions "
    "class classes logits logit scores score vector vectors so now then below above following "
    "loss cross-entropy cross entropy categorical likelihood cost objective "
    "labels label targets target".split()
)
_OWN_MEANING_PHRASES = re.compile(r"\bnegative log[- ]likelihood\b|\bcross[- ]entropy loss\b|\blog[- ]loss\b")


def _notebook_cells(text: str) -> list[tuple[int, str, str]] | None:
    """Each cell of a notebook's JSON: its number, its type and its source as one string;
    None when the text is no notebook derive can read."""
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError):
        return None
    found = []
    for number, cell in enumerate(cells if isinstance(cells, list) else (), start=1):
        if isinstance(cell, dict):
            source = cell.get("source", "")
            source = "".join(map(str, source)) if isinstance(source, list) else str(source)
            found.append((number, cell.get("cell_type"), source))
    return found


def _cells_text(written: Written) -> str:
    """The text a reader of the document sees and does not: a notebook's cells (Markdown and
    code) one per paragraph, not its JSON; any other document as it is."""
    cells = _notebook_cells(written.text) if written.kind == "ipynb" else None
    if cells is None:
        return written.text
    return "\n\n".join(source for _, _, source in cells)


def _roles_swapped(clause: str, letters: set[str]) -> set[str]:
    """A sentence that names s or z beside the word softmax must give each its role, in so
    many words: s named the softmax ("the softmax $s$", "$s$ is the softmax") and not its
    argument, z its argument ("the softmax of the logits $z$") or named the logits ("the
    logits $z$", "$z$ are the logits"); and one softmax only. Otherwise the sentence may give
    them other roles ("Let $z$ be the output of the softmax.", "Let $s$ be the logits of the
    softmax.", "the softmax of the logits and $z$ the probabilities", "the softmax of the
    softmax"): both are then the document's."""
    named = letters & {"s", "z"}
    lowered = clause.lower()
    softmaxes = [m.start() for m in re.finditer("softmax", lowered)]
    if not named:
        return set()
    if not softmaxes:
        # no softmax, but words of the roles ("we write $s$ for the raw scores and $z$ for the
        # class probabilities"): each letter must be named for derive's role in so many words
        if not _ROLE_WORDS.search(lowered):
            return set()
        for m in _PROSE_MATH.finditer(clause):
            mention = _MENTION.fullmatch(_one_space(m.group(1) or m.group(2) or ""))
            letter = _mentioned(mention.group(1)) if mention else None
            before, after = lowered[max(0, m.start() - 40) : m.start()], m.end()
            if letter == "s" and not (_AFTER_PROBABILITIES.search(before) or _IS_PROBABILITIES.match(lowered, after)):
                return {"s", "z"}
            if letter == "z" and not (_AFTER_LOGITS.search(before) or _IS_LOGITS.match(lowered, after)):
                return {"s", "z"}
        return set()
    if len(softmaxes) > 1:
        return {"s", "z"}
    (word,) = softmaxes
    formulas = list(_PROSE_MATH.finditer(clause))
    # the softmax's argument: the first formula after "softmax of" ("the softmax of the logits $z$")
    argument = next((m for m in formulas if m.start() > word), None)
    if argument is not None and not _ARGUMENT_OF.fullmatch(lowered[word : argument.start()]):
        argument = None
    for m in formulas:
        mention = _MENTION.fullmatch(_one_space(m.group(1) or m.group(2) or ""))
        letter = _mentioned(mention.group(1)) if mention else None
        # s must be named the softmax ("the softmax $s$", "$s$ is the softmax output") and not be
        # its argument ("Let the logits $z$ be the softmax of $s$.")
        named_softmax = _AFTER_SOFTMAX.search(lowered[max(0, m.start() - 40) : m.start()]) or _IS_SOFTMAX.match(
            lowered, m.end()
        )
        if letter == "s" and (m is argument or not named_softmax):
            return {"s", "z"}
        # z must be named the logits: the softmax's argument, "the logits $z$", "$z$ are the
        # logits"; nearness alone is not enough ("the softmax of the logits and let $z$ denote
        # the probabilities")
        named_logits = _AFTER_LOGITS.search(lowered[max(0, m.start() - 40) : m.start()]) or _IS_LOGITS.match(
            lowered, m.end()
        )
        if letter == "z" and m is not argument and not named_logits:
            return {"s", "z"}  # "Let $z$ be the softmax output.", "the softmax gives $z$"
    return set()


_ROLE_WORDS = re.compile(r"logit|score|probabilit|output|prediction|activation|input|exponential|weight|target|label")
_AFTER_PROBABILITIES = re.compile(r"(?:probabilit(?:y|ies)|outputs?|predictions?)\s*,?\s*$")
_IS_PROBABILITIES = re.compile(
    r"\s*,?\s*(?:is|are|denotes?|be)\s+(?:the\s+|a\s+)?(?:predicted\s+|class\s+|output\s+)?"
    r"(?:probabilit(?:y|ies)|outputs?|predictions?)\b"
)
_AFTER_SOFTMAX = re.compile(r"softmax(?: outputs?| probabilit(?:y|ies)| function)?\s*,?\s*$")
_IS_SOFTMAX = re.compile(r"\s*,?\s*(?:is|are|denotes?|be)\s+(?:the\s+)?softmax\b")
_AFTER_LOGITS = re.compile(r"(?:logits?|scores?)\s*,?\s*$")
_IS_LOGITS = re.compile(
    r"\s*,?\s*(?:is|are|denotes?|be)\s+(?:the\s+)?(?:raw\s+|unnormali[sz]ed\s+)?(?:logits?|scores?)\b"
)


_ARGUMENT_OF = re.compile(
    r"softmax(?: function)?\s*(?:\(\s*|(?:of|applied to|to|over|on|takes)\s+)(?:the\s+)?(?:[a-z-]+\s+)?"
)


def _described_beside_the_function(plain: str, letters: set[str], strict: bool = True) -> set[str]:
    """The letters of a sentence that names them beside the function derive gives them (s, z
    beside softmax; L beside cross-entropy or log-likelihood) with any word besides those that
    only say so: such a sentence may say they are something else. With ``strict`` False: the
    letters it names so, whatever its other words."""
    said = set()
    if re.search(r"softmax", plain):
        said |= letters & {"s", "z"}
    if re.search(r"cross[- ]?entropy|negative log[- ]?likelihood|log[- ]loss", plain):
        said |= letters & {"L"}
    if not said or not strict:
        return said
    return said if _unlisted_words(plain) else set()


def _unlisted_words(plain: str) -> set[str]:
    return set(re.findall(_WORD, _OWN_MEANING_PHRASES.sub(" ", plain))) - _OWN_MEANING_WORDS


# A word in any script ("不是", "ＮＯＴ" are words, not on any list of allowed ones), a number, n't.
_WORD = r"[^\W\d_][\w-]*|[0-9]+|n['’]t"


_MENTION = re.compile(
    r"\s*(?:\\(?:mathbf|boldsymbol|bm|vec|mathrm)\s*\{?\s*)?([szL]|\\mathcal\s*\{\s*L\s*\}|\\mathcal\s*L)\s*\}?\s*"
    r"(?:_\{?\s*[a-z]\s*\}?)?\s*(?:\\in\b.*)?"
)


def _mentioned(letter: str) -> str:
    """The letter a mention names: \\mathcal{L} is the loss L."""
    return "L" if letter.startswith("\\mathcal") else letter


# a formula of the prose: $...$ or \(...\)
_PROSE_MATH = re.compile(r"\$([^$]*)\$|\\\((.*?)\\\)")


def _inline_math(clause: str) -> list[str]:
    """The formulas of a clause of prose: $...$ and \\(...\\), each with its runs of white space
    made one space (the patterns read over them then cannot backtrack over long runs)."""
    return [_one_space(a or b) for a, b in _PROSE_MATH.findall(clause)]


def _one_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _without_math(clause: str) -> str:
    return _PROSE_MATH.sub(" ", clause)


def _roles(found: list[Inferred]) -> set[str]:
    return {part.strip().split()[0] for i in found if i.key in ("softmax", "labels") for part in i.value.split(" of ")}


def _written_alone(blocks, trial: list[Inferred], origin: Place, letters: set[str]) -> set[str]:
    """Which of ``letters`` the document writes where a family would need an index (σ(z), z
    alone), read with ``trial`` as its header. A letter nothing declares would stop the reading
    of an equation before it gets there: each is read as a number for this trial only."""
    from .header import read_header
    from .latex_math import MathSyntaxError, Unreadable, read_block
    from .source import SourceError

    alone: set[str] = set()
    numbers: list[Inferred] = []
    for _ in range(MAX_SCALAR_PASSES):
        try:
            header = _as_header([*trial, *numbers], origin)
            reading = read_header(header, origin, True)
        except SourceError:
            return set(letters)
        unknown: set[str] = set()
        for _, text, macros in blocks:
            if "=" not in text:
                continue  # "as $y$ is a vector": a mention, not a use
            try:
                problems = [s.message for s in read_block(text, reading.letters, macros) if isinstance(s, Unreadable)]
            except MathSyntaxError as error:
                problems = [error.message]
            alone |= {m.group(1) for p in problems if (m := re.match(r"(\\?[A-Za-z]+) needs an index", p))}
            unknown |= {m.group("name") for p in problems if (m := _UNKNOWN.match(p))}
        unknown -= letters | {i.value for i in numbers}
        if not unknown:
            break
        numbers += [Inferred("scalars", name, origin, "") for name in sorted(unknown)]
    return alone & letters


def _math_blocks(events, masked):
    macros: dict = {}
    for event in events:
        if isinstance(event, MacroDefinitions):
            macros = {**macros, **{macro.name: macro for macro in event.macros}}
        if isinstance(event, Block) and event.defining:
            yield event, masked(event.text), macros


def _place(block: Block, text: str, at: int) -> Place:
    line = text.count("\n", 0, at)
    column = at - (text.rfind("\n", 0, at) + 1)
    if line == 0:
        return Place(block.place.file, block.place.line, block.place.column + column, block.place.cell)
    return Place(block.place.file, block.place.line + line, column + 1, block.place.cell)


def _classes(blocks) -> list[Inferred]:
    seen: dict[str, tuple[int, Place]] = {}
    for block, text, _ in blocks:
        for m in _UPPER.finditer(text):
            letter = m.group("a") or m.group("b") or m.group("c") or m.group("d")
            if letter in ("e", "d", "i", "j", "k", "l", "T"):
                continue
            count, place = seen.get(letter, (0, _place(block, text, m.start())))
            seen[letter] = (count + 1, place)
    if not seen:
        return []
    letter, (count, place) = max(seen.items(), key=lambda kv: kv[1][0])
    others = sorted(set(seen) - {letter})
    why = f"{letter} is the upper limit of {count} sum{'s' * (count > 1)}: the number of classes"
    if others:
        why += f" ({', '.join(others)} not: one count is inferred, sums up to another are not read)"
    return [Inferred("classes", letter, place, why)]


_STYLE = re.compile(r"\\(?:displaystyle|textstyle|left|right|big|Big)\b")
_ACCENTED_ENTRY = re.compile(r"\\(hat|tilde|bar)\{\s*([A-Za-z])\s*_\s*(\{?\s*[a-z]\s*\}?)\s*\}")


# What the prose may call a letter for it to be a number: "an input $z$", "the variable $x$".
_NUMBER_WORDS = frozenset(
    "input inputs variable variables scalar scalars real number numbers constant parameter parameters".split()
)
# ... and what makes it something else, whatever else is said: "$Z$ is the partition function,
# the sum of ...", "a weight $w$ that depends on $x$", "matrices $A$ and $B$".
_OTHER_WORDS = re.compile(
    r"\b(?:depend\w*|function\w*|matri\w*|vector\w*|sums?|partition|operator\w*|sets?|distribution\w*"
    r"|probabilit\w*|sequence\w*|random|tensor\w*|series|array\w*|map\w*|defined|denote\w*|is the|are the"
    # "a number $m$ equal to the largest logit": a number that is a function of the logits
    r"|equal\w*|same|larg\w*|small\w*|bigg\w*|max\w*|min\w*|logits?|mean|average|computed|chos\w*|entr(?:y|ies)"
    r"|elements?|components?|shift\w*|subtract\w*|stabil\w*|per)\b"
)


# "target $t$ is either $0$ or $1$": a number (a binary label), said with the mathematics
_ZERO_OR_ONE = re.compile(
    r"\b(?:is|are|takes?|equals?)\s+(?:either\s+|the\s+values?\s+)?\$?\s*0\s*\$?\s+or\s+\$?\s*1\s*\$?"
)


def _described_otherwise(text: Written, origin: Place) -> set[str]:
    """Letters the prose names alone ("$Z$", "$\\mathbf{x}$") without calling them an input, a
    variable, a number...: the words may make them a function, a sum, a matrix (an adversary's
    "where $Z$ is the partition function, the sum of e^{z_k}" let ∂(e^{z_i}/Z)/∂z_i = e^{z_i}/Z
    hold). Such a letter is never made a number."""
    return {letter for letter, number in _told(text, origin).items() if not number}


def _told(text: Written, origin: Place) -> dict[str, bool]:
    """Each letter the prose names alone, and whether every clause naming it calls it a number."""
    told: dict[str, bool] = {}
    for clause, _ in _prose_clauses(text, origin):
        named = _named_alone(clause)
        plain = _without_math(clause).lower()
        words = set(re.findall(r"[a-z]+", plain))
        number = (bool(words & _NUMBER_WORDS) or bool(_ZERO_OR_ONE.search(clause))) and not _OTHER_WORDS.search(plain)
        for letter in named:
            told[letter] = told.get(letter, True) and number
    return told


def _named_alone(clause: str) -> set[str]:
    """The letters a clause of prose names alone in its mathematics ("$Z$", "$\\mathbf{x}$")."""
    return {
        m.group(1)
        for span in _inline_math(clause)
        if (
            m := re.fullmatch(
                r"\s*\{?\s*(?:\\(?:mathbf|mathbb|boldsymbol|bm|vec|mathrm)\s*\{\s*)?(\\?[A-Za-z]+)\s*\}?\s*\}?\s*",
                span,
            )
        )
    }


def indices_described(text: Written, origin: Place) -> set[str]:
    """Letters a sentence of the prose names alone without speaking of a sum ("Let $o$ be the
    predicted class"): such an index is one value, never summed by the summation convention."""
    named: set[str] = set()
    for clause, _ in _prose_clauses(text, origin):
        if not re.search(r"\bsumm?(?:ed|ing|ation|s)?\b", clause, re.I):
            named |= _named_alone(clause)
    return named


def _described_as_numbers(text: Written, origin: Place) -> set[str]:
    """Letters the prose names alone only as numbers, each in a clause that names no other
    letter ("target $t$ is either $0$ or $1$", "the scalar $a$"; not "the network $f$ takes a
    real input $x$"): t(1 + e^{-s}) is then t times 1 + e^{-s}, not t applied to it."""
    alone: set[str] = set()
    others: set[str] = set()
    for clause, _ in _prose_clauses(text, origin):
        named = _named_alone(clause)
        (alone if len(named) == 1 else others).update(named)
    return {letter for letter, number in _told(text, origin).items() if number and letter in alone - others}


def _unwrapped(name: str) -> str:
    """A name without the font around it: \\mathbf{y} is y (as the math reader reads it)."""
    m = re.fullmatch(r"\\(?:mathbf|boldsymbol|bm|vec|mathit|mathrm)\{(.+)\}", name.strip())
    return m.group(1).strip() if m else name


def _rows(text: str):
    """(offset, left side, right side) of each equation row that starts with a name."""
    at = 0
    for row in re.split(r"(\\\\)", text):
        if row == "\\\\":
            at += 2
            continue
        m = re.search(_RELATION, row)
        if m:
            left = _STYLE.sub("", row[: m.start()].replace("&", " ")).strip()
            left = _ACCENTED_ENTRY.sub(r"\\\1{\2}_\3", left)  # \hat{y_i}: \hat{y}_i, as the reader reads it
            yield at + len(row) - len(row.lstrip()), left, row[m.end() :]
        at += len(row)


def _softmax(blocks, found: list[Inferred], origin: Place) -> list[Inferred]:
    """Every family whose definition the core proves to be a softmax, of the logits the
    document uses most: a softmax of other logits is left unknown (one logits per document)."""
    proved: list[tuple[Inferred, ...]] = []
    tried: set[tuple[str, str]] = set()
    for block, text, macros in blocks:
        for at, left, right in _rows(text):
            m = _ENTRY_LEFT.fullmatch(left) or _CALL_LEFT.fullmatch(left)
            if not m or m.group("base") in _NOT_NAMES:
                continue
            name = m.group("base")
            for raw, part in zip(_raw_parts(right), _parts(right)):
                named = _NAMED_SOFTMAX.fullmatch(part.strip())
                if named and not _named_alone_with_remark(raw):
                    named = None  # "softmax(o)_j \; m_j": a factor after it, cut off as a remark
                if (
                    named
                    and m.re is _ENTRY_LEFT
                    and (name, named.group("base")) not in tried
                    and named.group("base") not in _NOT_NAMES
                    and any(re.search(rf"{re.escape(named.group('base'))}\s*_", t) for _, t, _ in blocks)
                ):
                    # "p_j = softmax(o)_j", "a_i = \\mathrm{softmax}(z_i)", even "p_j = softmax(o_i)":
                    # the author names p the softmax of o (a family the document subscripts: not
                    # "o_b = softmax(b)" of a class b); the reader reads the entry at p's index
                    logits = named.group("base")
                    tried.add((name, logits))
                    index = left[len(name) :].strip("_{} ")
                    why = f"{left} is named {part.strip()}: the softmax of {logits}"
                    line = Inferred("softmax", f"{name} of {logits}", _place(block, text, at), why)
                    written = f"{left} = \\mathrm{{softmax}}({logits})_{{{index}}}"
                    if logits != name and _reads_as_softmax_entry(written, macros, [*found, line], origin):
                        proved.append((line,))
                    continue
                for exponent in _EXPONENT.finditer(part):
                    logits = exponent.group("base")
                    if logits == name or (name, logits) in tried or logits in _NOT_NAMES:
                        continue
                    over = _OVER.search(part)
                    temperature = (over.group("t") or over.group("f")) if over else None
                    place = _place(block, text, at)
                    line = Inferred(
                        "softmax", f"{name} of {logits}", place, f"{left} is proved equal to {part.strip()}"
                    )
                    options = [(line,)]
                    if temperature:
                        why = f"{temperature} divides the logits in the softmax proved here"
                        options.append(
                            (line, *(Inferred(k, temperature, place, why) for k in ("scalars", "temperature")))
                        )
                    tried.add((name, logits))  # proved or not, once: a failed proof costs its time limit
                    for lines in options:
                        if len(tried) > MAX_SOFTMAX_TRIALS:
                            break
                        if _proves_softmax(f"{left} = {part}", macros, [*found, *lines], origin):
                            proved.append(lines)
                            if m.re is _CALL_LEFT and len(lines) == 1:
                                proved += _applied_elsewhere(
                                    blocks, block, place, (name, logits, left, part), macros, found, origin, tried
                                )
                            break
    if not proved:
        return []
    # One notation holds one logits family and one temperature for all its softmax names: the
    # names of the logits and temperature (or none) the document writes most are kept, the
    # others stay unknown (a temperature proved for q must not apply to p).
    uses: dict[tuple[str, str | None], int] = {}
    for lines in proved:
        names = [p.strip() for p in lines[0].value.split(" of ")]
        key = (names[1], lines[-1].value if len(lines) > 1 else None)
        uses[key] = uses.get(key, 0) + sum(
            len(re.findall(rf"(?<![A-Za-z]){re.escape(n)}\s*[_(]", t)) for _, t, _ in blocks for n in names
        )
    chosen = max(uses, key=lambda key: uses[key])
    kept = [
        lines
        for lines in proved
        if (lines[0].value.split(" of ")[1], lines[-1].value if len(lines) > 1 else None) == chosen
    ]
    return [lines[0] for lines in kept] + list(kept[0][1:])


def _applied_elsewhere(blocks, defining, place, definition, macros, found, origin, tried) -> list:
    """σ(\\mathbf{z})_i = e^{z_i}/Σ_j e^{z_j} defines the function σ, z standing for whatever it
    is applied to: where the document applies σ to another family, σ(\\mathbf{a}), the same
    definition with a for z is proved too, and σ is the softmax of a (when a is the family the
    document writes most; see _softmax)."""
    name, logits, left, part = definition
    applied = re.compile(
        rf"(?<![A-Za-z]){re.escape(name)}\s*(?:\\left)?\(\s*(?:\\(?:mathbf|mathbb|boldsymbol|bm|vec)\s*\{{\s*)?"
        rf"(?P<arg>{_BASE})\s*\}}?\s*(?:\\right)?\)"
    )
    others = dict.fromkeys(
        m.group("arg")
        for block, text, _ in blocks
        if block is not defining
        for m in applied.finditer(text)
        if m.group("arg") not in (logits, name) and m.group("arg") not in _NOT_NAMES
    )
    proved = []
    for other in others:
        if (name, other) in tried or len(tried) > MAX_SOFTMAX_TRIALS:
            continue
        tried.add((name, other))
        if not any(re.search(rf"(?<![A-Za-z]){re.escape(other)}\s*_", t) for _, t, _ in blocks):
            continue  # not a family anywhere: σ(x) of a variable x is the sigmoid
        # a function, not a template: "\\phi" as a template is the escape \p (an error)
        renamed = re.sub(
            rf"(?<![A-Za-z\\]){re.escape(logits)}(?![A-Za-z])", lambda _, other=other: other, f"{left} = {part}"
        )
        line = Inferred(
            "softmax",
            f"{name} of {other}",
            place,
            f"{left} defines {name} for any input; {name} is applied to {other}",
        )
        if _proves_softmax(renamed, macros, [*found, line], origin):
            proved.append((line,))
    return proved


def _raw_parts(right: str) -> list[str]:
    from .header import split_outside_brackets

    return [p for p in split_outside_brackets(right, "=") if p.strip()]


# what may follow a softmax named alone: punctuation, or a remark that states a range or a
# condition (\quad \text{for } i = 1, \dots, K; \forall i) and nothing that multiplies
_REMARK = re.compile(
    r"\s*[,.;]?\s*(?:(?:\\q?quad|\\[,;: ])\s*)*"
    r"(?P<condition>(?:\\text\w*|\\mbox)\s*\{\s*(?:for|if|where|when)(?:\s+all)?\s*\}|\\forall(?![A-Za-z]))?"
    r"(?P<tail>.*)",
    re.S,
)
_RANGE_TAIL = re.compile(r"[A-Za-z0-9\s=,.<>]*")


def _named_alone_with_remark(raw: str) -> bool:
    """Is this expression of a chain the softmax by name and nothing else (a remark aside)?"""
    m = _NAMED_SOFTMAX.match(raw.strip())
    if not m:
        return False
    remark = _REMARK.fullmatch(raw.strip()[m.end() :])
    tail = re.sub(
        r"\\(?:dots|ldots|in|neq|ne|leq|le|geq|ge)(?![A-Za-z])|\\mathbb\s*\{\s*[A-Z]\s*\}|[{}\[\]]",
        " ",
        remark.group("tail"),
    )
    # a tail only after the words of a condition: "\\; c", "\\quad T" multiply
    return not tail.strip() or (bool(remark.group("condition")) and bool(_RANGE_TAIL.fullmatch(tail)))


def _parts(right: str) -> list[str]:
    """The expressions of a chain's right side (split at "=" outside braces), each without a
    trailing remark (\\quad, \\text{for ...}, a comma)."""
    from .header import split_outside_brackets

    parts = split_outside_brackets(right, "=")
    return [re.split(r"\\q?quad|\\text\s*\{|\\mbox|\\;|,\s*(?:\\|$)", p)[0] for p in parts if p.strip()]


def _reads_as_softmax_entry(text: str, macros: dict, lines: list[Inferred], origin: Place) -> bool:
    """Does the reader, with ``lines`` as the header, read both sides of ``text`` as the same
    entry of the softmax (X_j = softmax(Z)_j with X the softmax of Z)?"""
    import sympy as sp

    from .header import read_header
    from .latex_math import MathSyntaxError, Statement, read_block
    from .source import SourceError

    try:
        reading = read_header(_as_header(lines, origin), origin, inferred=True)
        statements = read_block(text, reading.letters, macros)
    except (MathSyntaxError, SourceError):
        return False
    softmax = reading.letters.notation.softmax
    return any(
        isinstance(statement, Statement)
        and len(statement.links) == 2
        and None not in statement.links
        and isinstance(statement.links[0].expr, sp.Indexed)
        and statement.links[0].expr.base == softmax
        and statement.links[0].expr == statement.links[1].expr
        for statement in statements
    )


def _proves_softmax(text: str, macros: dict, lines: list[Inferred], origin: Place) -> bool:
    """Does the core prove, with ``lines`` as the header, that the two sides of ``text`` (an
    entry of the softmax, and a formula) are equal?"""
    import sympy as sp

    from derive.core import Status, Strength, check
    from derive.core.semantics import VocabularyError

    from .header import read_header
    from .latex_math import MathSyntaxError, Statement, read_block
    from .source import SourceError

    try:
        reading = read_header(_as_header(lines, origin), origin, inferred=True)
        statements = read_block(text, reading.letters, macros)
    except (MathSyntaxError, SourceError):
        return False
    notation = reading.letters.notation
    for statement in statements:
        if not isinstance(statement, Statement) or len(statement.links) != 2 or None in statement.links:
            continue
        first, last = statement.links[0].expr, statement.links[1].expr
        if not (isinstance(first, sp.Indexed) and first.base == notation.softmax):
            continue
        if not isinstance(last, sp.Expr) or last.has(notation.softmax):
            continue
        # proved for every number of classes, or not at all: a softmax of 3 classes
        # (Σ_{k=1}^{3} e^{o_k}) is not the softmax over all C that the steps are checked with
        # (Σ_{j=1}^{C} p_j = 1 holds for one, not for the other)
        try:
            verdict = check(first, last, notation=notation, time_limit=SOFTMAX_PROOF_SECONDS)
        except VocabularyError:
            return False
        return verdict.status is Status.HOLDS and verdict.strength is Strength.PROVED
    return False


def _labels(blocks, found: list[Inferred], text: Written, origin: Place) -> list[Inferred]:
    taken = {part.strip() for i in found if i.key == "softmax" for part in i.value.split(" of ")}
    candidates: dict[str, Place] = {}
    for block, math, _ in blocks:
        for m in _BEFORE_LOG.finditer(math):
            base = m.group("base")
            if base not in taken and base not in _NOT_NAMES:
                candidates.setdefault(base, _place(block, math, m.start()))
    if len(candidates) != 1:
        return []
    ((letter, place),) = candidates.items()
    if letter in _written_alone(blocks, [*found, Inferred("labels", letter, place, "")], origin, {letter}):
        return []  # t_i log y_i beside -t log(y): a scalar t, not a family
    fact, where = _stated_fact(letter, text, origin, _counts(found))
    why = f"{letter} multiplies a logarithm: the labels"
    if fact:
        why += f"; {fact}, stated at {where}"
    return [Inferred("labels", f"{letter} {fact}" if fact else letter, where if fact else place, why)]


def _counts(found: list[Inferred]) -> frozenset[str]:
    """The names of the class count inferred so far ("n", or "n, c, C")."""
    return frozenset(part.strip() for i in found if i.key == "classes" for part in i.value.split(","))


def _stated_fact(letter: str, text: Written, origin: Place, counts: frozenset[str]) -> tuple[str, Place | None]:
    """ "one-hot" or "sums to one" when a clause of the prose says so of ``letter`` in so many
    words: besides the phrase that states the fact (one-hot, only one non-zero element, sums to
    one, the sum of ... is equal to 1, given that $\\sum_k y_k = 1$), the clause may hold only
    the letter and words from a short list (the, labels, is, a, vector, given, that, ...). A list
    of allowed words, not of forbidden ones: "cannot be assumed one-hot", "unlike one-hot
    labels", "rarely one-hot", "were one-hot in the first version" must all state nothing, and
    no list of negations is complete."""
    clauses = _prose_clauses_of(text, origin)
    # a fact stands alone in its paragraph: any other sentence there may take it back or narrow
    # it ("The labels $y$ are one-hot. That was the first draft; this note uses mixup targets.")
    # a sentence of words, or of symbols a reader reads as one ("❌", "(✗)" on the next line)
    sentences_in = Counter(
        paragraph for clause, _, _, paragraph, _ in clauses if re.search(r"\w|[^\x00-\x7f\s]", clause)
    )
    for clause, place, denied, paragraph, _ in clauses:
        if denied or sentences_in[paragraph] > 1:
            continue  # another sentence of its paragraph may take it back
        marked = _clause_words(clause, letter, counts)
        if marked is None or ("LETTER" not in marked and "SUMFACT" not in marked):
            continue
        words = [word for word in marked if word != "PAUSE"]
        while words and words[-1] == "CLOSE":
            words.pop()  # "(as $y$ is one-hot)": the parenthesis closes the clause, and nothing after it
        # a parenthesis closed inside the clause stays: what comes after it is not said of what
        # is inside ("The loss (with $y$), which is one-hot" is said of the loss)
        starts = _clause_starts(marked)
        joined = " ".join(words)
        for phrases, fact in ((_ONE_HOT_PHRASES, "one-hot"), (_SUMS_TO_ONE_PHRASES, "sums to one")):
            said = next(reversed(list(phrases.finditer(joined))), None)  # the last: what ends the clause
            if said is not None and not _said_of_the_letter(joined, said, starts):
                continue  # "the labels $y$ and the one-hot vectors", "$y$ of the slides are one-hot"
            if said is not None:
                rest = _ALLOWED_PHRASES.sub(" ", phrases.sub(" ", joined)).split()
            elif fact == "sums to one" and "SUMFACT" in words:
                at = words.index("SUMFACT")
                if at and words[at - 1] in _CONDITION_BEFORE:
                    continue  # "This holds for $\sum_k y_k = 1$.": a condition, not a fact
                rest = _ALLOWED_PHRASES.sub(" ", joined).split()
            else:
                continue
            rest = [word for word in rest if word != "CLOSE"]
            if set(rest) <= _FACT_WORDS:
                said_at = re.search(r"one[- ]?hot|only|exactly one|sums? |probabilit|\\sum", clause, re.IGNORECASE)
                return fact, place.moved(clause[: said_at.start()]) if said_at else place
    return "", None


def _clause_starts(marked: list[str]) -> set[int]:
    """Where, among a clause's words (its pauses left out), a subordinate clause may begin: at
    its first word, after a comma, semicolon, colon or parenthesis, after a statement
    ("$\\sum_i y_i = 1$ because $y$ is one-hot"), or after a verb that introduces one ("we know
    that"). Not after a noun: "The loss given $y$ is one-hot" and "The loss as
    $y$ is a probability distribution" speak of the loss, and state nothing of $y$."""
    starts, at, previous = {0}, 0, "PAUSE"
    for word in marked:
        if word == "PAUSE":
            previous = word
            continue
        if previous == "PAUSE" or previous in _LEAD_INS:
            starts.add(at)
        previous, at = word, at + 1
    return starts


_LEAD_INS = frozenset("SUMFACT note recall remember know assume suppose and".split())


def _said_of_the_letter(joined: str, said: re.Match, starts: set[int]) -> bool:
    """Whether the phrase that states the fact is said of the letter: it holds the letter, or
    follows it with only the words that tie a noun to what it is between ("$y$, which are
    one-hot", "$y$ is a vector with only one non-zero element"), or comes just before it
    ("one-hot labels $y$")."""
    after = joined[said.end() :].split()
    # nothing after the phrase may narrow it ("sum to one with the targets")
    if not set(after) <= _TRAILING_WORDS and not (after[:1] == ["LETTER"] and set(after[1:]) <= _TRAILING_WORDS):
        return False
    if "LETTER" in said.group(0) or after[:1] == ["LETTER"]:
        return True
    before = joined[: said.start()].split()
    if "LETTER" not in before:
        return False
    at = len(before) - 1 - before[::-1].index("LETTER")
    between = before[at + 1 :]
    if not set(between) <= _TIE_WORDS:
        return False
    if "which" in between or "that" in between:
        # "the targets $y$, which are one-hot": said of the noun just before; not "the labels
        # $y$ with the vector that sums to one", said of another noun
        return between[0] in ("which", "that")
    # and the letter is the subject alone: not "the true label and $y$", "the loss with the
    # labels $y$", "the target of the labels $y$"; a clause may begin before it ("since $y$
    # is one-hot") only where a clause can begin
    for index in range(at - 1, -1, -1):
        word = before[index]
        if word in _CLAUSE_START:
            return index in starts
        if word not in _SUBJECT_WORDS:
            return False
    return True


_CONDITION_BEFORE = frozenset("for with if when whenever provided assuming".split())
_TIE_WORDS = frozenset("is are be a an the which that vector vectors with in classification".split())
_CLAUSE_START = frozenset("because as since that so thus hence given where here SUMFACT".split())
_SUBJECT_WORDS = frozenset("the a an labels label targets target vector".split())
_TRAILING_WORDS = frozenset(
    "this further simplifies to thus hence so here vector vectors encoded labels label targets target SUMFACT "
    "the loss cross-entropy".split()
)


# The phrases that state a fact, over a clause's words (its mathematics replaced by LETTER for
# the letter alone, SUMFACT for \sum_k y_k = 1, ONE for 1).
_ONE_HOT_PHRASES = re.compile(
    r"\bone-?hot(?: encoded| encoding| vectors?| labels?| targets?)?\b"
    r"|\bone hot(?: encoded| encoding| vectors?| labels?| targets?)?\b"
    r"|\bonly (?:one|ONE|a single) non-?zero (?:element|entry|component)(?: which is ONE)?\b"
    r"|\bonly (?:one|ONE|a single) class (?:can be activated|is active|is on) in\b"
    r"|\bexactly (?:one|ONE) of (?:the )?LETTER(?: s)? (?:is|equals) ONE and the (?:rest|others) (?:are|equal) "
    r"(?:zeros?|zeroes|0|ZERO)\b"
    r"|\bLETTER (?:can|may) only be (?:ONE|one) for the (?:true|correct|target) class and (?:ZERO|0|zero) otherwise\b"
    r"|\bLETTER ISONE for exactly (?:one|ONE) (?:class|entry|element|component|index) and (?:ZERO|0|zero) "
    r"(?:for|at|in) all (?:else|others|other (?:classes|entries|elements|components|indices))\b"
)
_SUMS_TO_ONE_PHRASES = re.compile(
    r"\bsums? (?:up )?to (?:one|ONE)\b|\bis a probability distribution\b"
    r"|\bthe sum of the (?:probabilities|labels|targets|entries) LETTER (?:is equal to|equals|is) (?:one|ONE)\b"
)
_FACT_WORDS = frozenset(
    "LETTER SUMFACT ONE the a an labels label targets target vector vectors true is are as since because "
    "given that so here in classification each every with which of and by definition "
    "line use we write this holds every examples loss cross-entropy further simplifies where "
    "to thus hence".split()
)
# Phrases whose words alone may narrow a fact or tie it to something else ("the targets $y$
# of the last example", "the labels $y$ of the slides", "the labels $y$ and the one-hot
# vectors"): allowed only as these whole phrases.
_ALLOWED_PHRASES = re.compile(
    r"\b(?:we can write|we have|in the last line|for (?:each|every) example|from the slides)\b"
)


def _clause_words(clause: str, letter: str, counts: frozenset[str]) -> list[str] | None:
    """The clause's words, lower case, with each formula replaced by what it is: LETTER (the
    letter alone, in any font), SUMFACT (\\sum_k y_k = 1), ONE; None when it holds another
    formula (about something else, or that derive does not read as one of those)."""
    plain = re.escape(letter.lstrip("\\"))
    font = r"(?:\\(?:mathbf|mathbb|boldsymbol|bm|vec|mathrm)\s*\{\s*)?"
    # a range or an upper limit must be the class count: Σ_{k=1}^{M} y_k = 1 for another M
    # says nothing of all the classes
    upper = "|".join(re.escape(c) for c in sorted(counts)) or "(?!)"
    alone = re.compile(
        rf"{font}\\?{plain}\s*\}}?(?:_\{{?\s*[a-z]\s*\}}?(?:\s*,\s*1\s*\\leq?\s*[a-z]\s*\\leq?\s*(?:{upper}))?)?"
    )
    total = re.compile(
        rf"\\sum\s*(?:_\{{?\s*([a-z])(?:\s*=\s*1)?\s*\}}?)?\s*(?:\^\{{?\s*(?:{upper})\s*\}}?)?\s*"
        rf"{font}\\?{plain}\s*\}}?_\{{?\s*([a-z])\s*\}}?\s*=\s*1"
    )
    # a sign, a symbol, a unit beside the words: "sum to -1", "1%", "¬one-hot", "$y$ + 1",
    # "sum to - $1$" (each formula stands as a number here, so that a dash before it is a sign)
    if _NOT_PLAIN.search(_DASH.sub(" ", _PROSE_MATH.sub(" 0 ", clause))):
        return None
    pieces = []
    for part in re.split(r"(\$[^$]*\$|\\\(.*?\\\))", clause):
        if part.startswith("$") or part.startswith("\\("):
            math = part[1:-1] if part.startswith("$") else part[2:-2]
            math = _one_space(re.sub(r"\\(?:because|therefore|displaystyle|,|;|!|quad)", " ", math))
            m = total.fullmatch(math)
            if alone.fullmatch(math):
                pieces.append(" LETTER ")
            elif (one := re.fullmatch(r"(.*?)\s*=\s*1", math)) and alone.fullmatch(one.group(1)):
                pieces.append(" LETTER ISONE ")  # "$y_o = 1$ for exactly one class"
            elif m and (m.group(1) is None or m.group(1) == m.group(2)):
                pieces.append(" SUMFACT ")
            elif math == "1":
                pieces.append(" ONE ")
            elif math == "0":
                pieces.append(" ZERO ")
            else:
                return None
        else:
            part = re.sub(r"\)", " CLOSE ", re.sub(r"[,;:(]", " PAUSE ", part.lower()))
            pieces.append(re.sub(r"(?<![A-Za-z0-9])1(?![0-9])", " ONE ", part))
    return re.findall(rf"LETTER|SUMFACT|ISONE|ONE|ZERO|PAUSE|CLOSE|{_WORD}", "".join(pieces))


# What the words of a fact's clause may be written with besides letters, digits and spaces:
# plain punctuation, a hyphen inside a word (one-hot, non-zero), a dash between spaces.
_DASH = re.compile(r"(?<=\s)[-–—](?=\s)(?!\s*[\d$\\])")  # not "sum to - 1", "to - $1$"
_NOT_PLAIN = re.compile(r"[^\w\s,.:;()'’\"-]|_|(?<![^\W\d_])-|-(?![^\W\d_])")


def _prose_clauses(text: Written, origin: Place):
    """The sentences of the document's prose and where each begins: not its mathematics in
    displays, code, comments, quotes or link texts (a fact said there is not the author's
    statement about this document). A sentence ends at a full stop, a blank line or a display.
    Worked out once per document (several rules read them)."""
    return tuple((clause, place) for clause, place, *_ in _prose_clauses_of(text, origin))


# Words that, in another sentence of the same paragraph, may take back or narrow what a
# sentence states ("The labels $y$ are one-hot. Just kidding: they are soft."): a fact is not
# read from that paragraph. A second line of defence behind the allowed words of the sentence
# itself; no such list is complete.
_DENIAL = re.compile(
    r"\b(?:not|never|no longer|however|instead|unlike|false|wrong|incorrect|lie|lied|kidding|joke|joking"
    r"|soft|smooth\w*|arbitrary|rather|except|nonsense|untrue)\b|n['’]t\b",
    re.I,
)


@dataclass(frozen=True)
class Written:
    """The document as its author wrote it, and how it is written: "markdown", "tex" or
    "ipynb", as the reader took it (by the file's suffix, or as --input-format says), never
    guessed again from a name (a .TEX file or standard input is still LaTeX)."""

    text: str
    kind: str


@functools.lru_cache(maxsize=4)
def _prose_clauses_of(written: Written, origin: Place) -> tuple:
    """(sentence, place, whether another sentence of its paragraph or what is hidden in it may
    take it back, which paragraph it is in, whether something is hidden in that paragraph)."""
    found = []
    text = written.text
    if written.kind == "ipynb":
        for number, kind, source in _notebook_cells(text) or ():
            if kind == "markdown":
                for clause, at, denied, paragraph, hiding in _sentences(_prose(source, True), _wordy_displays(source)):
                    place = replace(_text_place(source, at, origin), cell=number)
                    found.append((clause, place, denied, (number, paragraph), hiding))
        return tuple(found)
    prose = _prose(text, written.kind != "tex")
    for clause, at, denied, paragraph, hiding in _sentences(prose, _wordy_displays(text)):
        found.append((clause, _text_place(text, at, origin), denied, paragraph, hiding))
    return tuple(found)


def _wordy_displays(text: str) -> tuple[frozenset[int], frozenset[int]]:
    """Where the displays begin that set words of their own ("$$ \\text{only in the first
    example} $$": one right after a sentence that did not end may narrow it), and those that
    words follow on the next line, in the same paragraph ("$$…$$\\nOnly in the paper.": a
    sentence that leads into one with a colon may be narrowed after it)."""
    wordy, run_on, at = set(), set(), 0
    while (m := _DISPLAY_OPEN.search(text, at)) is not None:
        close = _display_close(m)
        end = text.find(close, m.end())
        end = len(text) if end < 0 else end + len(close)
        if _sets_words(text[m.start() : end]):
            wordy.add(m.start())
        if _RUN_ON.match(text, end):
            run_on.add(m.start())
        at = end
    return frozenset(wordy), frozenset(run_on)


_RUN_ON = re.compile(r"[ \t]*(?:\n[ \t]*)?(?!\$\$|\\\[|\\begin)\S")


def _sentences(prose: str, displays: tuple[frozenset[int], frozenset[int]] = (frozenset(), frozenset())):
    """Each sentence of ``prose``, where it begins, whether another sentence of its paragraph
    has a word that may take it back (see _DENIAL), which paragraph it is in, and whether that
    paragraph has something hidden beside its words (a code span, an HTML element, a link's
    text, a command's argument: "The labels $y$ are <b>not</b> one-hot")."""
    prose = _continuations_joined(prose)
    clauses = list(_clauses(prose))
    wordy, run_on = displays
    in_order = sorted(wordy)
    # a paragraph: lines up to a blank line or a display; not up to a line of what was blanked
    # (a TeX comment, a line of punctuation: "one-hot\n%\nNot really." is one paragraph)
    starts, at, blank_before = [], 0, True
    hiding: set[int] = set()
    for line in prose.split("\n"):
        blank_line = not line.strip(" \t" + SHOWN)  # CommonMark: spaces and tabs only (not \f, \v)
        if not blank_line and blank_before:
            starts.append(at)
        if HIDDEN in line and re.search(r"\w", line):
            hiding.add(max(len(starts) - 1, 0))
        blank_before = blank_line
        at += len(line) + 1
    starts = starts or [0]
    of: dict[int, list[int]] = {}
    for n, (_, at) in enumerate(clauses):
        of.setdefault(bisect.bisect_right(starts, at) - 1, []).append(n)
    denying = [bool(_DENIAL.search(_without_math(clause))) for clause, _ in clauses]
    for paragraph, members in of.items():
        total = sum(denying[m] for m in members)
        for n in members:
            clause, at = clauses[n]
            # "The labels $y$ are one-hot:" and a list that narrows it ("- in the paper only"):
            # a colon may lead into a display, into anything else it says what follows
            announces = clause.rstrip().endswith(":") and not _into_a_display(prose, at + len(clause), run_on)
            # "The labels $y$ are one-hot $$\\text{only in the first example}$$": a display that
            # sets words, inside the sentence or right after it when it did not end, may narrow it
            following = _SPACES.match(prose, at + len(clause)).end()
            ended = clause.rstrip().endswith((".", "!", "?"))
            inside = bisect.bisect_left(in_order, at)
            # a display that sets words inside the sentence, or right after it when it has not
            # ended; or, after it, words in the same paragraph ("$$…$$\nOnly in the paper.")
            narrowed = (
                (following in wordy and not ended)
                or (inside < len(in_order) and in_order[inside] < at + len(clause))
                or (following in run_on and not ended)
            )
            # another sentence of the paragraph denies, or what is hidden in it may
            denied = total - denying[n] > 0 or paragraph in hiding or announces or narrowed
            yield clause, at, denied, paragraph, paragraph in hiding


def _continuations_joined(prose: str) -> str:
    """A display that the words after it continue ("... would collapse to $$...$$ since $y$
    is one-hot."): a sentence that did not end before the display runs across it, and what it
    says after the display is said under what it said before ("If they were one-hot"). Such a
    display parts neither the sentence nor the paragraph: it stands as blank space of the same
    length (every character keeps its place)."""
    chars = list(prose)
    # each run of displays and the blank space around it, looked at once: found forwards, then
    # widened backwards over the spaces before it by hand (a pattern that looks ahead from every
    # display of a run, or begins with \s*, is quadratic in the run)
    at = 0
    while (found := prose.find(SHOWN, at)) >= 0:
        m = _BLANK_RUN.match(prose, found)
        at = m.end()
        start = m.start()
        while start > 0 and prose[start - 1].isspace():
            start -= 1
        # "... two cases. $$...$$ given that ..." (not a colon: "If they were one-hot, we would
        # have: $$…$$ since $y$ is one-hot." is one sentence, said under its "if")
        ended = start == 0 or prose[start - 1] in ".!?"
        lower_after = at < len(prose) and prose[at].isalpha() and prose[at].islower()
        # the words after a display go on with the sentence before it when it has not ended
        # and they go on in lower case (a sentence before a display that words follow in the
        # same paragraph is held back in _sentences: "The labels $y$ are one-hot $$…$$ *not* in
        # this note")
        if lower_after and not ended:
            for blank in range(start, m.end()):
                chars[blank] = " "
            chars[m.start()] = ","  # a pause where the display stands: "We have $$…$$ where $y$ is one-hot"
    return "".join(chars)


def _into_a_display(prose: str, at: int, run_on: frozenset[int] = frozenset()) -> bool:
    """What a colon may lead into and still state a fact: a display, or an equation alone in
    its paragraph ("$\\sum_k y_k = 1$" and a blank line, or the end). Looked at by hand: a
    pattern for it backtracks over a long line."""
    at = _SPACES.match(prose, at).end()
    if prose.startswith(SHOWN, at):
        return at not in run_on  # not "$$…$$\nOnly in the paper." in the same paragraph
    for opening, closing in (("$", "$"), ("\\(", "\\)")):
        if prose.startswith(opening, at):
            line_end = prose.find("\n", at)
            line_end = len(prose) if line_end < 0 else line_end
            end = prose.find(closing, at + len(opening), line_end)
            if end < 0 or "=" not in prose[at:end] or prose[end + len(closing) : line_end].strip():
                return False
            next_line_end = prose.find("\n", line_end + 1)
            next_line = prose[line_end + 1 : next_line_end if next_line_end >= 0 else len(prose)]
            return line_end >= len(prose) or not next_line.strip()
    return False


def _blank_delimited(text: str, opener: re.Pattern, closer, blank) -> str:
    """Each span from a match of ``opener`` to the first ``closer(match)`` after it (to the end
    of the text when there is none) blanked: in one pass, however many openers stay unclosed
    (a lazy regex restarts its scan at each of them)."""
    out, at = [], 0
    while (m := opener.search(text, at)) is not None:
        close = closer(m)
        end = (text.lower() if close.startswith("</") else text).find(close, m.end())
        end = len(text) if end < 0 else end + len(close)
        out += [text[at : m.start()], blank(text[m.start() : end])]
        at = end
    out.append(text[at:])
    return "".join(out)


# mathematics the page shows (math itself is inline: "\begin{math}...\end{math} is wrong too")
_DISPLAY_OPEN = re.compile(
    r"\$\$|\\\[|\\begin\{(equation|align|alignat|flalign|eqnarray|gather|multline|displaymath|math)(\*?)\}"
)


def _display_close(opening: re.Match) -> str:
    """What ends the display a match of _DISPLAY_OPEN begins: $$, \\], or its \\end{...}."""
    return {"$$": "$$", "\\[": "\\]"}.get(opening.group(0)) or f"\\end{{{opening.group(1)}{opening.group(2)}}}"


_MARKDOWN_OPEN = re.compile(
    r"```|~~~|<!--|~~"
    r"|<(del|s|strike|blockquote|table|details|aside|q|cite|pre|code|figure|footer|nav)(?:\s[^<>]*)?>"
    r"|<(span|div|p)\s[^<>]*line-through[^<>]*>",
    re.IGNORECASE,
)
_MARKDOWN_CLOSE = {"```": "```", "~~~": "~~~", "<!--": "-->", "~~": "~~"}


@functools.lru_cache(maxsize=8)  # read by the sentences and by derive's own letters alike
def _prose(text: str, markdown: bool) -> str:
    """``text`` with everything that is not prose blanked out, every other character kept in
    its place (a blanked span is marked at both ends, a display where it begins: see HIDDEN
    and SHOWN). Every pattern is linear in the text: a document of unclosed delimiters must
    not hang reading."""

    def shown(span) -> str:
        span = span if isinstance(span, str) else span.group(0)
        return SHOWN + "".join("\n" if c == "\n" else " " for c in span[1:])

    def blank(span) -> str:
        # marked at both ends: a sentence with something hidden in it may say more than its
        # words ("The labels $y$ are <b>not</b> one-hot"), see _sentences
        span = span if isinstance(span, str) else span.group(0)
        if not span.strip(" \t\n" + SHOWN):
            return span  # nothing but a display's place: it still parts paragraphs
        chars = ["\n" if c == "\n" else " " for c in span]
        for end in {0, len(chars) - 1} if chars else ():
            if chars[end] != "\n":
                chars[end] = HIDDEN
        return "".join(chars)

    # the markers below are derive's: the document's own control characters are kept as
    # characters that are neither words nor blank (a line of them is no blank line)
    text = re.sub(f"[{HIDDEN}{SHOWN}{_SET_ASIDE}]", "\x7f", text)
    if markdown:
        # "`$$` Just kidding: they are soft. `$$`": a code span is code before anything in it
        # opens a display, and the words between two such spans are the paragraph's
        text = _code_spans_blanked(text, lambda span: blank(span) if _DISPLAY_OPEN.search(span) else span)
    # a display is mathematics the reader sees: it ends the sentence before it
    text = _blank_delimited(
        text,
        _DISPLAY_OPEN,
        _display_close,
        shown,
    )
    if markdown:
        # only the lines of a paragraph of the document itself, as CommonMark parses it: not a
        # heading (Setext too), code (a fence of four backticks holding three), an HTML block
        # (<div hidden>, <h2>), a quote or a list item (with their lazy continuation lines)
        text = _outside_paragraphs_blanked(text, blank)
        text = _code_spans_blanked(text, blank)
        # <![CDATA[ ... ]]>, <!X ... >, <? ... ?>: a browser shows none of it
        text = _blank_delimited(
            text,
            re.compile(r"<!\[CDATA\[|<![A-Za-z]|<\?"),
            lambda m: {"<![CDATA[": "]]>", "<?": "?>"}.get(m.group(0), ">"),
            blank,
        )
        text = _html_elements_blanked(text, blank)
        # code, comments, struck text (~~...~~, <del>, <s>, <strike>)
        text = _blank_delimited(
            text,
            _MARKDOWN_OPEN,
            lambda m: _MARKDOWN_CLOSE.get(m.group(0)) or f"</{(m.group(1) or m.group(2)).lower()}>",
            blank,
        )
        # quotes, indented code, and headings ("## With one-hot labels $y$" names a section, it
        # states nothing about the document)
        text = re.sub(r"^[ \t]*>.*$|^(?: {4}|\t).*$|^[ \t]{0,3}#.*$", blank, text, flags=re.MULTILINE)
        # links and images, tags, and footnote references (the footnote may take it back:
        # "one-hot[^1]" ... "[^1]: Not really")
        text = re.sub(r"!?\[[^\[\]\n]*\]\([^()\n]*\)|<[^<>\n]+>|\[\^[^\[\]\n]*\]", blank, text)
        text = _list_items(text, blank)
        # table rows: a cell means what its column's header says, which derive does not read
        text = re.sub(r"^[ \t]*\|.*$", blank, text, flags=re.MULTILINE)
    elif _PROGRAMS_TEX.search(text):  # in comments too: TeX runs what follows \verb|%|
        # a macro or an environment the document defines may hide any text (\def\thus#1\hence{},
        # \renewenvironment{center}{\setbox0\vbox\bgroup}{\egroup}): derive does not run TeX, so
        # such a document's prose states nothing
        return blank(text) if text else text
    else:  # comments, what TeX may not typeset, quotes, verbatim text, lists, and headings
        text = _blank_delimited(
            text,
            re.compile(
                r"\\begin\{(quote|quotation|verse|displayquote|displaycquote|verbatim\*?|Verbatim|lstlisting|minted"
                r"|itemize\*?|enumerate\*?|description\*?|tabular[x*]?|longtable|table\*?|figure\*?|minipage)\}"
            ),
            lambda m: f"\\end{{{m.group(1)}}}",
            blank,
        )
        # verbatim text first: the % of "\verb|%| Not really" is printed, it begins no comment
        text = re.sub(r"\\(?:verb|lstinline)\*?([^A-Za-z\s*{])[^\n]*?\1|\\lstinline\s*\{[^{}\n]*\}", blank, text)
        text = re.sub(r"(?<!\\)%.*$", blank, text, flags=re.MULTILINE)
        text = _conditionals_blanked(text, blank)
        text = _blank_delimited(text, re.compile(r"\\begin\{comment\}"), lambda m: "\\end{comment}", blank)
        text = _outside_the_body_blanked(text, blank)
        text = _environments_blanked(text, blank)
        # the arguments of commands in the prose, not in its inline mathematics (\frac{..}{..}
        # hides nothing there)
        text, maths = _maths_set_aside(text)
        text = _colour_blanked(text, blank)
        text = _arguments_blanked(text, blank)
        text = _maths_put_back(text, maths)
        text = re.sub(
            r"\\(?:part|chapter|(?:sub)*section|(?:sub)?paragraph|caption)\*?\s*\{[^{}]{0,500}\}", blank, text
        )
    # a question states nothing ("Are the labels $y$ one-hot?"); tried only where a sentence
    # begins, so that a long line with no question mark is scanned once
    return re.sub(r"(?:(?<=[.?!;\n\x01\x03])|\A)[^.?!;\n\x01\x03]*+\?", blank, text)


_INLINE_MATH = re.compile(r"(?<!\\)\$[^$]*(?<!\\)\$|\\\((?:(?!\\\)).)*\\\)", re.S)
_SET_ASIDE = "\x02"


def _maths_set_aside(text: str) -> tuple[str, list[tuple[int, str]]]:
    """``text`` with each inline formula replaced by as many placeholder characters, and the
    formulas with their places."""
    maths = [(m.start(), m.group(0)) for m in _INLINE_MATH.finditer(text.replace(_SET_ASIDE, " "))]
    out, at = [], 0
    for start, math in maths:
        out += [text[at:start], _SET_ASIDE * len(math)]
        at = start + len(math)
    out.append(text[at:])
    return "".join(out), maths


def _maths_put_back(text: str, maths: list[tuple[int, str]]) -> str:
    """Each formula set aside back in its place, where nothing blanked it meanwhile (a part
    blanked leaves the whole blank)."""
    out, at = [], 0
    for start, math in maths:
        kept = text[start : start + len(math)]
        out += [text[at:start], math if kept == _SET_ASIDE * len(math) else kept.replace(_SET_ASIDE, " ")]
        at = start + len(math)
    out.append(text[at:])
    return "".join(out)


def _outside_paragraphs_blanked(text: str, blank) -> str:
    """Every line of ``text`` that is not in a top-level paragraph blanked (each line keeps its
    length, so that places stay exact)."""
    from .source import _NEWLINE, Place, _front_matter, _markdown_parser, html_elements_open

    kept: set[int] = set()
    # YAML front matter is not the page (blanked as the reader blanks it, a line per line)
    parsed = _front_matter(_NEWLINE.sub("\n", text), Place("", 1, 1), [])
    open_names: list = []  # the HTML elements an HTML block left open: <div hidden> may hide what follows
    for token in _markdown_parser().parse(parsed):
        if token.type == "html_block":
            open_names = html_elements_open(token.content, open_names)
        elif token.type == "paragraph_open" and token.level == 0 and token.map and not open_names:
            kept.update(range(*token.map))
    lines = text.split("\n")
    return "\n".join(line if n in kept else (blank(line) if line else line) for n, line in enumerate(lines))


_VOID_ELEMENTS = frozenset("area base br col embed hr img input link meta source track wbr".split())


def _html_elements_blanked(text: str, blank) -> str:
    """Each raw HTML element in the prose blanked with what it holds (<span hidden>...</span>:
    derive does not know what the page shows of it), nested ones counted; an element never
    closed, to the end of the text. Linear: each tag is looked at once."""
    out, at, stack, start = [], 0, [], 0
    opened: dict[str, int] = {}  # how many of each name the stack holds
    # a closing tag has no attributes (CommonMark leaves "</span x>" as text: the span stays
    # open), and the slash of "<span hidden/>" closes nothing (HTML ignores it but on a void
    # element: the span hides what follows)
    for m in re.finditer(r"<(?:([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?|/([A-Za-z][A-Za-z0-9-]*)\s*)>", text):
        closing, name = m.group(2) is not None, (m.group(1) or m.group(2)).lower()
        if not closing and name in _VOID_ELEMENTS:
            if not stack:
                out += [text[at : m.start()], blank(m.group(0))]
                at = m.end()
            continue
        if not closing:
            if not stack:
                start = m.start()
            stack.append(name)
            opened[name] = opened.get(name, 0) + 1
        elif opened.get(name):
            while stack:
                popped = stack.pop()
                opened[popped] -= 1
                if popped == name:
                    break
            if not stack:
                out += [text[at:start], blank(text[start : m.end()])]
                at = m.end()
    if stack:
        out += [text[at:start], blank(text[start:])]
        at = len(text)
    out.append(text[at:])
    return "".join(out)


def _code_spans_blanked(text: str, blank) -> str:
    """CommonMark code spans blanked: a run of n backticks up to the next run of exactly n
    (``a `b` c``, not only `a`); an opening run with no closing one is literal text. Linear:
    each run is looked at once."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text)]
    by_length: dict[int, list[int]] = {}
    for n, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(n)
    out, at, n = [], 0, 0
    while n < len(runs):
        start, end = runs[n]
        same = by_length[end - start]
        later = same[bisect.bisect_right(same, n) :]
        if not later:
            n += 1  # no closing run: literal backticks
            continue
        close = later[0]
        out += [text[at:start], blank(text[start : runs[close][1]])]
        at, n = runs[close][1], close + 1
    out.append(text[at:])
    return "".join(out)


_PROGRAMS_TEX = re.compile(
    r"\\(?:[gex]?def|let|csname|catcode|(?:re)?newcommand|providecommand|DeclareRobustCommand|newcommandx"
    r"|(?:re)?newenvironment|NewDocumentCommand|RenewDocumentCommand|NewDocumentEnvironment|makeatletter"
    r"|excludecomment|includecomment|specialcomment|processcomment)(?![A-Za-z])"
)


def _outside_the_body_blanked(text: str, blank) -> str:
    """The preamble and what follows \\end{document}: TeX typesets neither."""
    begin = re.search(r"\\begin\s*\{document\}", text)
    end = re.search(r"\\end\s*\{document\}|\\endinput(?![A-Za-z])|\\enddocument(?![A-Za-z])", text)
    if end is not None:
        text = text[: end.start()] + blank(text[end.start() :])
    if begin is not None:
        text = blank(text[: begin.end()]) + text[begin.end() :]
    return text


# Environments whose body TeX typesets as running text; the body of any other (a theorem, a
# custom \newenvironment that boxes its body away, \excludecomment) is not read as prose.
_TEXT_ENVIRONMENTS = frozenset({"document", "abstract", "center", "flushleft", "flushright"})


def _environments_blanked(text: str, blank) -> str:
    """The body of every environment but the running-text ones blanked, nested ones counted."""
    out, at, stack, start = [], 0, [], 0
    for m in re.finditer(r"\\(begin|end)\s*\{([^{}]*)\}", text):
        name = m.group(2).strip()
        if m.group(1) == "begin":
            if not stack and name not in _TEXT_ENVIRONMENTS:
                start = m.start()
            if stack or name not in _TEXT_ENVIRONMENTS:
                stack.append(name)
        elif stack and stack[-1] == name:
            stack.pop()
            if not stack:
                out += [text[at:start], blank(text[start : m.end()])]
                at = m.end()
    if stack:
        out += [text[at:start], blank(text[start:])]  # never closed: to the end
        at = len(text)
    out.append(text[at:])
    return "".join(out)


def _conditionals_blanked(text: str, blank) -> str:
    """Each TeX conditional (\\iffalse ... \\fi, nested ones counted) blanked whole, both
    branches: what TeX shows of it depends on what derive does not evaluate."""
    out, at, depth, start = [], 0, 0, 0
    for m in re.finditer(r"\\(?:if[A-Za-z]*|fi)(?![A-Za-z])", text):
        if m.group(0) != "\\fi":
            if depth == 0:
                start = m.start()
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                out += [text[at:start], blank(text[start : m.end()])]
                at = m.end()
    if depth > 0:
        out += [text[at:start], blank(text[start:])]  # never closed: to the end
        at = len(text)
    out.append(text[at:])
    return "".join(out)


# Commands whose argument TeX typesets as text in place: a sentence may go on in them.
_TEXT_ARGUMENTS = frozenset("emph textbf textit textrm textsf textsc textup textmd textnormal underline mbox".split())


def _arguments_blanked(text: str, blank) -> str:
    """The braced arguments of every other command blanked (\\hide{...} for a macro that drops
    it, \\phantom, \\footnote, \\newcommand): derive does not know what the page shows of them.
    Linear: each character is looked at a bounded number of times."""
    out, at = [], 0
    command = re.compile(r"\\([A-Za-z]+)\*?\s*(?:\[[^\[\]{}]*\]\s*)?\{")
    while (m := command.search(text, at)) is not None:
        if m.group(1) in _TEXT_ARGUMENTS:
            out.append(text[at : m.end()])
            at = m.end()
            continue
        end = _group_end(text, m.end())
        # and every argument after it: \\textcolor{white}{...}, a macro of two arguments
        while (more := re.match(r"\s*[{\[]", text[end:])) is not None:
            if more.group(0).strip() == "[":
                close = text.find("]", end + more.end())
                end = len(text) if close < 0 else close + 1
            else:
                end = _group_end(text, end + more.end())
        out += [text[at : m.start()], blank(text[m.start() : end])]
        at = end
    out.append(text[at:])
    return "".join(out)


def _group_end(text: str, at: int) -> int:
    """Where the brace group whose body starts at ``at`` ends (after its closing brace), or the
    text's end."""
    depth, end = 1, at
    while end < len(text) and depth:
        depth += {"{": 1, "}": -1}.get(text[end], 0) if text[end - 1] != "\\" else 0
        end += 1
    return end


_COLOUR = re.compile(r"\\color\b")


def _colour_blanked(text: str, blank) -> str:
    """From each \\color to the end of the group it is in (or of the text): the colour may be the
    page's own ({\\color{white} ...})."""
    out, at = [], 0
    while (m := _COLOUR.search(text, at)) is not None:
        end = _group_end(text, m.end())  # the end of the group \color stands in
        out += [text[at : m.start()], blank(text[m.start() : end])]
        at = end
    out.append(text[at:])
    return "".join(out)


def _list_items(text: str, blank) -> str:
    """A list item states no fact: what it means depends on the sentence that introduces its
    list ("Two assumptions this note does **not** make:", a heading, a bold line), which derive
    does not read."""
    lines = text.split("\n")
    inside = False
    for n, line in enumerate(lines):
        if re.match(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]", line):
            inside = True
            lines[n] = blank(line)
        elif inside and line.strip() and line[:1] in " \t":
            lines[n] = blank(line)  # the item's continuation
        elif line.strip():
            inside = False
    return "\n".join(lines)


def _clauses(text: str):
    """Whole sentences: a fact said before ", but in this note they are not" or "; not so
    here" is no fact, so nothing is split at a comma or a semicolon (the words after it must
    be allowed too), nor after an abbreviation ("e.g. Goodfellow et al."), nor at a full stop
    that no capital, formula or line end follows ("(Ch. 1) the labels")."""
    text = _ABBREVIATION.sub(lambda m: m.group(0).replace(".", "\x00"), text)
    at = 0
    for piece in re.split(r"(\.[ \t]*\n\s*|\.\s+(?=[A-Z$\\])|\n\s*\n|\.$|[\x01\x03]\s*)", text):
        if piece and not re.fullmatch(r"\.\s+|\n\s*\n|\.|[\x01\x03]\s*", piece):
            yield piece.replace("\x00", "."), at
        at += len(piece)


# What _prose puts at both ends of a span it blanks: a sentence ends there, and the paragraph
# that has it beside its words has something hidden. And where a display begins: a sentence
# ends there, and the lines of a display part paragraphs as a blank line does.
HIDDEN = "\x01"
SHOWN = "\x03"
_SPACES = re.compile(r"[ \t\n]*")
_BLANK_RUN = re.compile(rf"[\s{SHOWN}]*")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|et al|etc|cf|vs|resp|approx|Fig|Figs|Eq|Eqs|Sec|No|i\.i\.d)\.", re.I)


def _text_place(text: str, at: int, origin: Place) -> Place:
    line = text.count("\n", 0, at) + 1
    return Place(origin.file, line, at - (text.rfind("\n", 0, at) + 1) + 1)


def _called(math: str) -> set[str]:
    """Letters written before "(" that may be functions applied to it: f(x), f(x+1), J(\\theta).
    Not one whose every parenthesis holds the letter itself, z(1 - z), p(1-p): a function applied
    to an expression of itself is not what anyone writes, a product is."""
    # each parenthesis's partner and each name's places found once: scanning from every "("
    # to its partner is quadratic in a(a(a(...)))
    partner: dict[int, int] = {}
    opened: list[int] = []
    for at, c in enumerate(math):
        if c == "(":
            opened.append(at)
        elif c == ")" and opened:
            partner[opened.pop()] = at
    places: dict[str, list[int]] = {}
    called = set()
    for m in re.finditer(rf"{_RUN_START}({_BASE})\s*(?:\\left)?\(", math):
        name, start = m.group(1), m.end()  # just after the "("
        end = partner.get(start - 1)
        if end is None:
            called.add(name)  # never closed
            continue
        if name not in places:
            places[name] = [w.start() for w in re.finditer(rf"(?<![A-Za-z\\]){re.escape(name)}(?![A-Za-z])", math)]
        first = bisect.bisect_left(places[name], start)
        if first == len(places[name]) or places[name][first] + len(name) > end:
            called.add(name)
    return called


_DEFINING_RELATION = re.compile(
    r"=:|:=|\\coloneqq|\\eqqcolon|\\doteq|\\triangleq|\\equiv|\\mathrel\s*\{[^{}]*\}"
    r"|\\(?:overset|stackrel)\s*\{[^{}]*\}\s*\{\s*=\s*\}"
)


def _named_at_end(math: str) -> set[str]:
    """Names standing alone beside a sum or a product in an equation, whatever relation joins
    them ("\\sum_k e^{a_k} = \\Sigma", "Z := \\sum_k ...", "... =: Z", "\\doteq"; not "x \\cdot 1 = x"):
    what the document names there, even where derive cannot read the equation."""
    from .header import split_outside_brackets

    named = set()
    for piece in split_outside_brackets(_DEFINING_RELATION.sub("=", math), ","):
        parts = [p.strip().strip(".;!").strip() for p in split_outside_brackets(piece, "=")]
        for a, b in zip(parts, parts[1:]):
            for name, other in ((b, a), (a, b)):
                if re.search(r"\\(?:sum|prod)(?![A-Za-z])", other) and re.fullmatch(
                    rf"{_BASE}|\\(?:mathbf|boldsymbol|bm|vec|mathit|mathrm)\{{{_BASE}\}}", name
                ):
                    named.add(name)
    return named


def _scalars(events, blocks, found: list[Inferred], origin: Place, masked, text: Written) -> list[Inferred]:
    """Letters a display uses alone that nothing declares: real variables (x in σ(x), z and t of
    a binary cross-entropy). Not a letter written before "(", with a subscript, as an index or a
    count, or on the left of an equation (the document defines it)."""
    from .definitions import document_definitions
    from .header import read_header
    from .latex_math import MathSyntaxError, Unreadable, read_block
    from .source import SourceError

    excluded = set(_NOT_NAMES)
    numbers = _described_as_numbers(text, origin)
    for _, math, _ in blocks:
        excluded |= _called(math) - numbers
        excluded |= {m.group(1) for m in re.finditer(rf"{_RUN_START}({_BASE})\s*_", math)}
        # an index (s_i, z_{j}), but not the variable of \nabla_{x} or \partial_x
        excluded |= {m.group(1) for m in re.finditer(r"(?<!\\nabla)(?<!\\partial)_\{?\s*([A-Za-z])", math)}
        excluded |= {_unwrapped(left) for _, left, _ in _rows(math)}
        # "h_i = \\sum_k e^{a_k} = \\Sigma": a name alone at the end of a chain names what is before it
        excluded |= {_unwrapped(last) for last in _named_at_end(math)}
        # ∂E/∂y_i, dE/dx: a quantity that depends on something, not a variable of its own
        excluded |= {m.group("name") or m.group("over") for m in _DIFFERENTIATED.finditer(math)}
        excluded |= {m.group("name") or m.group("power") for m in _NOT_A_NUMBER.finditer(math)}
    excluded |= {part.strip() for i in found if i.key in ("softmax", "labels") for part in i.value.split(" of ")}
    excluded |= {i.value.split()[0] for i in found}
    excluded |= _described_otherwise(text, origin)
    added: list[Inferred] = []
    for _ in range(MAX_SCALAR_PASSES):
        lines = [*found, *added]
        try:
            reading = read_header(_as_header(lines, origin), origin, True)
        except SourceError:
            return []  # the letters clash with the roles inferred: none is declared
        reading, *_ = document_definitions(events, reading, masked)
        new: dict[str, Place] = {}
        # the right side of a definition alone, too: its own left side, not yet defined, would
        # stop the reading of the equation before the letters it is defined from
        rights = [(block, right, macros) for block, text, macros in blocks for _, _, right in _rows(text)]
        for block, text, macros in [*blocks, *rights]:
            if "=" not in text and (block, text, macros) in blocks:
                continue  # math that states nothing ("highlighted in $\\color{red}{red}$")
            try:
                statements = read_block(text, reading.letters, macros)
                problems = [s.message for s in statements if isinstance(s, Unreadable)]
            except MathSyntaxError as error:
                problems = [error.message]
            for message in problems:
                m = _UNKNOWN.match(message)
                if m and m.group("name") not in excluded and m.group("name") not in new:
                    new[m.group("name")] = block.place
        if not new:
            break
        for name, place in new.items():
            why = f"{name} is written alone and defined nowhere: a real variable"
            added.append(Inferred("scalars", name, place, why))
    return added
