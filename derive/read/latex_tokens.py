"""LaTeX display math -> a flat list of tokens for the grammar in :mod:`derive.read.latex_math`.

A hand-written scanner rather than Lark's own lexer, because what a character means in
LaTeX depends on where it stands: after ``_`` or ``^`` a digit run contributes one digit
(``s_12`` is s_1 times 2), ``&`` and ``\\`` separate cells inside ``cases`` and matrices but
are alignment marks elsewhere, ``\text{...}`` and ``\tag{...}`` are skipped with their
balanced braces, and ``\boxed{...}`` around a whole equation loses its braces. The scanner
never evaluates anything; it only classifies characters and reports the first one it cannot
classify, with its 1-based line and column.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from lark import Token

from .latex_markup import normalise

__all__ = ["MAX_BLOCK", "MAX_NESTING", "MathSyntaxError", "Scan", "Words", "scan"]

MAX_BLOCK = 20_000  # characters in one display-math block
MAX_NESTING = 40  # open groups at once; deeper input is refused before any recursion sees it
MAX_DIGITS = 30


class MathSyntaxError(ValueError):
    """Math that cannot be read: ``line`` and ``column`` are 1-based within the block."""

    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.message}"


GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi "
    "rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell".split()  # and \\ell, a letter too
)
DECORATIONS = frozenset("hat widehat bar overline tilde widetilde vec mathcal mathbf boldsymbol bm mathbb".split())
IGNORED = frozenset(
    "quad qquad displaystyle textstyle scriptstyle limits nolimits notag nonumber cancel bcancel xcancel".split()
)
# $...$, \(...\), \ensuremath{...} and \begin{math} inside \text all typeset as mathematics.
_MATH_IN_TEXT = re.compile(
    r"(\$|\\\(|\\\[|\\ensuremath(?![A-Za-z])|\\begin\s*\{math\})[^$]*?(=|<|>|＝|\\ne|\\le|\\ge|\\approx|\\equiv)"
)
IGNORED_WITH_ARGUMENT = frozenset("text textrm textit textbf textsf mbox tag label hspace vspace".split())
SIZES = frozenset("left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr middle".split())
ARROWS = frozenset(
    "Rightarrow implies rightarrow Longrightarrow longrightarrow hookrightarrow to therefore because iff "
    "Leftrightarrow Longleftrightarrow Leftarrow impliedby".split()
)
NON_EQUALITIES = frozenset("approx propto le leq ge geq lt gt leqslant geqslant sim simeq ll gg cong".split())
ELLIPSES = frozenset("dots cdots ldots vdots ddots".split())
# the hyperbolic functions are read through exponentials (tanh u = (e^{2u} − 1)/(e^{2u} + 1)),
# so that every witness sees only what it already decides
FUNCTIONS = frozenset("log ln exp tanh sinh cosh sech softplus max".split())
ALIGNMENTS = frozenset(
    "aligned align align* equation equation* split gather gather* gathered multline multline* alignat alignat* "
    "alignedat flalign flalign* eqnarray eqnarray* displaymath math".split()
)
MATRICES = frozenset("pmatrix bmatrix matrix".split())

PUNCTUATION = {
    "+": "PLUS",
    "-": "MINUS",
    "=": "EQ",
    "*": "MUL",
    "/": "DIV",
    "(": "LPAR",
    ")": "RPAR",
    "[": "LBRACK",
    "]": "RBRACK",
    "{": "LBRACE",
    "}": "RBRACE",
    "_": "UNDER",
    "^": "CARET",
    ",": "COMMA",
}
OPENERS = {"LPAR", "LBRACK", "LBRACE", "LSET"}
CLOSERS = {"RPAR": "LPAR", "RBRACK": "LBRACK", "RBRACE": "LBRACE", "RSET": "LSET"}

_COMMAND = re.compile(r"\\([a-zA-Z]+\*?|.)", re.S)
_ENV = re.compile(r"\s*\{([a-zA-Z]+\*?)\}")
_FONT_GREEK = re.compile(r"\s*\{\s*\\([a-zA-Z]+)\s*\}")
# \mathbb{\hat{y_i}}: one accented name (with its subscript) and nothing else in the braces
_FONT_AROUND_ACCENT = re.compile(
    r"\s*\{\s*(\\(hat|widehat|bar|overline|tilde|widetilde)\s*\{[^{}]*\}(?:_\{[^{}]*\}|_[A-Za-z0-9])?)\s*\}"
)
_WORDS_NEXT = re.compile(r"\s*\\(?:text|textrm|mbox)\s*\{\s*(?:and|so|then|thus|hence)\s*\}")
_FORALL_NEXT = re.compile(r"\s*\\forall(?![A-Za-z])")
_DECORATED = re.compile(r"\s*(?:\{\s*([a-zA-Z0-9])\s*\}|([a-zA-Z0-9]))")
_SPACING_ARGUMENT = re.compile(r"\s*\[\s*-?[0-9.]+\s*[a-z]{2}\s*\]")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")


@dataclass
class Scan:
    tokens: list[Token]
    comments: dict[int, str]  # line -> the text after % on that line
    notes: list[str] = field(default_factory=list)  # readings that involved a choice
    text: str = ""  # the text the tokens' positions (start_pos, end_pos) point into
    # position in ``text`` -> a condition written in the equation there ("\\text{if } i = j",
    # ", \\quad i \\neq j"): the case of the link it follows.
    conditions: dict[int, str] = field(default_factory=dict)
    # "\text{for } c = 1, \dots, C" ending a row: (c, C, line, column of C), C to be a declared count
    ranges: list = field(default_factory=list)
    # for the author's LaTeX of a span (derive.read.as_written): the text as the author wrote
    # it, where in it each character of ``text`` came from, and the document's own macros
    original: str = ""
    origin: list | None = None
    macro_names: tuple = ()


@dataclass(frozen=True)
class Words:
    """What a run of letters without a backslash can mean in one document: ``names`` are the
    multi-letter names the notation declares (CE, MSE, loss, softmax), ``letters`` the single
    letters that are symbols on their own (a run made only of them could be their product)."""

    names: frozenset = frozenset({"softmax"})
    letters: frozenset = frozenset()


# \mathrm{softmax}, \operatorname{CE}, \text{loss}: a word set upright is a name (or log, exp).
NAMING = frozenset("mathrm operatorname mathit mathsf textrm text mbox".split())
_WORD = re.compile(r"\s*\{\s*([A-Za-z]+)\s*\}")
_CONDITIONAL_HEAD = re.compile(r"(?:Pr|[A-Za-z])\s*\(")
_RUN = re.compile(r"[A-Za-z]+")


class _Scanner:
    def __init__(
        self, text: str, origin: list[int] | None = None, original: str | None = None, words: Words | None = None
    ):
        self.text = text
        self.words = words or Words()
        self.notes: list[str] = []
        self.script_braces: set[int] = set()  # where the '{' of a sub- or superscript group stands
        self.origin = origin  # position in the author's text of each character of ``text``
        self.pos = 0
        self.row_ends: list[int] | None = None
        self.tokens: list[Token] = []
        # kept as tokens are emitted: asked at every comma, a scan of the tokens is quadratic
        self.last_arrow_end = 0
        self.last_relation_start = -1
        self.row_breaks: list[int] | None = None
        self.relations_of_row: dict[int, list[int]] = {}
        self.comments: dict[int, str] = {}
        self.conditions: dict[int, str] = {}
        self.ranges: list[tuple[str, str, int, int]] = []  # "for c = 1, ..., C": (c, C, line, column of C)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text if original is None else original)]
        self.open: list[tuple[str, int]] = []  # (kind, position): groups and environments
        self.dropped_braces: set[int] = set()  # depths whose closing brace belongs to \boxed
        self.single = False  # the next digit is a one-character sub/superscript
        # In an aligned row, '&' after a relation starts another column: a relation there is
        # a second equation, which reading the row as one chain would run into the first.
        self.row_related = False
        self.row_next_column = False
        self.row_has_relation = False

    # -- positions -------------------------------------------------------------------------
    def where(self, pos: int) -> tuple[int, int]:
        """The 1-based line and column, in the author's text, of ``pos`` in the scanned text."""
        if self.origin is not None:
            pos = self.origin[min(pos, len(self.origin) - 1)]
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, pos - self.line_starts[lo] + 1

    def fail(self, pos: int, message: str) -> MathSyntaxError:
        line, column = self.where(pos)
        return MathSyntaxError(line, column, message)

    def emit(self, kind: str, value: str, start: int, end: int) -> None:
        self.last_number_end = end if kind == "INT" else None
        if kind in ("EQ", "NEQ") and not self.in_cells and not self.in_group:
            if self.row_next_column:
                raise self.fail(start, "a second equation after '&' on one row (expected one chain a row)")
            self.row_related = True
        elif kind == "ARROW":
            self.row_related = self.row_next_column = False
        if kind in ("EQ", "NEQ", "ARROW") and not self.in_cells:
            self.row_has_relation = True  # in \boxed{...} too: the next row is not a factor of it
        line, column = self.where(start)
        end_line, end_column = self.where(end)
        self.tokens.append(Token(kind, value, start, line, column, end_line, end_column, end))
        if kind == "ARROW":
            self.last_arrow_end = end
        elif kind in ("EQ", "NEQ"):
            self.last_relation_start = start
        self.single = kind in ("UNDER", "CARET")

    # -- groups ----------------------------------------------------------------------------
    def push(self, kind: str, start: int) -> None:
        self.open.append((kind, start))
        if len(self.open) > MAX_NESTING:
            raise self.fail(start, f"nested too deeply (more than {MAX_NESTING} groups)")

    def pop(self, kind: str, start: int, shown: str) -> None:
        if not self.open:
            raise self.fail(start, f"unexpected '{shown}' (unbalanced {_NAMES[kind]})")
        top, where = self.open[-1]
        if top != kind:
            line, column = self.where(where)
            raise self.fail(
                start, f"unexpected '{shown}' ('{self.opening(top, where)}' at {line}:{column} is not closed)"
            )
        self.open.pop()

    def opening(self, kind: str, where: int) -> str:
        """What the author wrote to open the group: '{', or \\begin{bmatrix} for an environment."""
        if kind.startswith("env:"):
            return _ENV_BEGIN.match(self.text, where).group(0)
        return _SHOWN[kind]

    @property
    def in_group(self) -> bool:
        """Inside braces, brackets or parentheses (an environment is not a group here)."""
        return any(not k.startswith("env:") for k, _ in self.open)

    @property
    def in_cells(self) -> bool:
        envs = [k for k, _ in self.open if k.startswith("env:")]
        return bool(envs) and envs[-1] in ("env:cases", "env:matrix")

    # -- the scan --------------------------------------------------------------------------
    def run(self) -> Scan:
        text = self.text
        while self.pos < len(text):
            c = text[self.pos]
            start = self.pos
            if c.isspace() or c == "~" or c == "$":
                self.pos += 1
            elif c == "%":
                end = text.find("\n", start)
                end = len(text) if end < 0 else end
                line, _ = self.where(start)
                self.comments[line] = text[start + 1 : end].strip()
                self.pos = end
            elif c == "\\":
                self.command(start)
            elif ("a" <= c <= "z" or "A" <= c <= "Z") and self.conditional_probability(start):
                continue
            elif "a" <= c <= "z" or "A" <= c <= "Z":
                self.letters(start)
            elif c == "'":
                self.pos += 1
                if self.pos < len(text) and text[self.pos] == "'":
                    raise self.fail(start, "a second derivative (f'') is not read (expected one prime: f'(x))")
                self.emit("PRIME", c, start, self.pos)
            elif c in "0123456789.":  # not str.isdigit: ① and ² are digits to Python
                self.number(start)
            elif c == "&":
                self.pos += 1
                if self.in_cells:
                    self.emit("AMP", c, start, self.pos)
                elif self.row_related:
                    rest = self.next_row_from(self.pos)
                    label = _EQUATION_NUMBER.fullmatch(rest)
                    after_relation = self.tokens and self.tokens[-1].type in ("EQ", "NEQ")  # a &=& b
                    if label and not after_relation:
                        self.notes.append(
                            f"the equation number {label.group(1).strip()} in a column of its own not read"
                        )
                        self.pos += len(rest)
                    elif (
                        not after_relation
                        and _unspaced(rest)
                        and not _unspaced(rest).startswith(("\\text", "\\mbox", "\\tag", "\\label", "%"))
                        and not _ROW_RELATION.search(_SCRIPT_OR_TEXT.sub(" ", rest))
                    ):
                        # "a && (2)" is a number, "a && \text{why}" a remark: anything else in a
                        # column of its own would be read as a factor of the equation.
                        raise self.fail(
                            start,
                            "a column after the equation that is not an equation number or a remark"
                            " (derive cannot tell what it adds)",
                        )
                    self.row_next_column = True
            elif text.startswith(("->", "=>"), start) and not self.open:
                # "f(x) = 3x^4 -> f'(x) = 12x^3": an arrow typed as text separates statements
                self.pos += 2
                self.emit("ARROW", "\\rightarrow" if c == "-" else "\\Rightarrow", start, self.pos)
            elif c in "<>":
                self.pos += 1
                self.emit("ARROW", c, start, self.pos)  # not an equality: see NON_EQUALITIES
            elif c in PUNCTUATION:
                self.pos += 1
                kind = PUNCTUATION[c]
                if c == "," and not text[self.pos :].strip() and not self.open:
                    continue  # a sentence's comma after the last formula
                if c == "," and _FORALL_NEXT.match(text, self.pos):
                    continue  # "A = B, \forall i = 1, 2, 3": the comma before a stated range
                if c == "," and not self.open and _WORDS_NEXT.match(text, self.pos):
                    continue  # "A = B, \text{and}\ C = D": the comma before words that separate
                if (c == "," or c == "(" and self.stands_apart(start)) and self.condition(
                    start, start + (c == ","), trailing_only=True
                ):
                    continue
                if c == "," and not self.open and self.separates(start):
                    continue  # "g_i = e^{a_i}, h_i = \sum_k e^{a_k}": two equations in one sentence
                if kind in OPENERS:
                    if kind == "LBRACE" and self.tokens and self.tokens[-1].type in ("UNDER", "CARET"):
                        self.script_braces.add(start)
                    elif kind == "LBRACE" and self.continues_row(start):
                        # &{= -p_i + q_i} (what is left of \color{blue}{= ...}): braces around the
                        # rest of a row that continues the chain group nothing
                        self.push(kind, start)
                        self.dropped_braces.add(len(self.open))
                        continue
                    self.push(kind, start)
                elif kind in CLOSERS:
                    if kind == "RBRACE" and len(self.open) in self.dropped_braces:
                        self.dropped_braces.discard(len(self.open))
                        self.pop("LBRACE", start, c)
                        if re.match(r"(?:\s|%[^\n]*(?:\n|$))*[\^_]", self.text[self.pos :]):
                            # \boxed{s_i + s_j}^2: the power is the box's, which dropping the
                            # box's braces would give to s_j alone
                            raise self.fail(start, "a script after a box or group derive drops: write ( ) around it")
                        continue
                    self.pop(CLOSERS[kind], start, c)
                self.emit(kind, c, start, self.pos)
            else:
                raise self.fail(start, f"unexpected character {c!r}")
        if self.open:
            kind, where = self.open[-1]
            line, column = self.where(where)
            if kind.startswith("env:"):
                raise MathSyntaxError(line, column, f"\\begin{{{kind[4:]}}} is never ended")
            raise MathSyntaxError(line, column, f"'{_SHOWN[kind]}' is never closed (unbalanced {_NAMES[kind]})")
        return Scan(self.tokens, self.comments, self.notes, self.text, self.conditions, self.ranges)

    def conditional_probability(self, start: int) -> bool:
        """P(t=1|z), Pr(y | x): a probability given something, which derive has no words for.
        It stands as one term that does not read, so that the links of its chain that do not
        touch it are still read ("P(t=1|z) = \\sigma(z) = 1/(1+e^{-z})" checks the second)."""
        head = _CONDITIONAL_HEAD.match(self.text, start)
        if head is None or (start and self.text[start - 1].isalpha()):
            return False
        depth, at, given = 0, head.end() - 1, 0
        while at < len(self.text):
            c = self.text[at]
            if c == "%":
                before = at
                while before > 0 and self.text[before - 1] == "\\":
                    before -= 1
                if (at - before) % 2 == 0:  # not \%, but \\% (a line break, then a comment)
                    return False  # a comment: TeX sets none of the rest of the line, nor may derive read it
            if c in "({[":
                depth += 1
            elif c in ")}]":
                depth -= 1
                if depth == 0:
                    break
            elif depth == 1 and (c == "|" or self.text.startswith("\\mid", at)):
                given += 1
            at += 1
        if depth or given != 1:  # g(|x|) is no probability given anything
            return False
        self.pos = at + 1
        self.emit("OPAQUE", f"{self.text[start : self.pos]} (a conditional probability) is not read", start, self.pos)
        return True

    def letters(self, start: int) -> None:
        """One letter, or a run of letters that spells a name (softmax, CE) or a function
        (log, ln, exp) written without a backslash: that reading only where the letters cannot
        be a product of declared symbols, and refused where they could."""
        run = _RUN.match(self.text, start).group(0)
        scripted = (self.tokens and self.tokens[-1].type in ("UNDER", "CARET")) or any(
            where in self.script_braces for _, where in self.open
        )
        if len(run) < 2 or scripted or (run not in FUNCTIONS and run not in self.words.names):
            self.pos = start + 1
            self.emit("LETTER", run[0], start, self.pos)
            return
        readable = self.words.letters | {"e"}
        if all(c in readable for c in run):
            product = " \\cdot ".join(run)
            raise self.fail(
                start,
                f"{run} is either the name {run} or the product {' '.join(run)} of declared symbols "
                f"(write \\operatorname{{{run}}} for the name, {product} for the product)",
            )
        self.pos = start + len(run)
        if run in FUNCTIONS:
            self.notes.append(f"{run} as \\{run}")
            self.emit("FUNC", run, start, self.pos)
        else:
            self.emit("NAME", run, start, self.pos)

    def named(self, start: int, name: str) -> bool:
        """\\mathrm{softmax}, \\operatorname{CE}, \\text{loss}, \\mathrm{d}: True when read here."""
        m = _WORD.match(self.text, self.pos)
        if m is None:
            if name in ("mathrm", "operatorname", "mathit", "mathsf"):
                raise self.fail(start, f"\\{name}{{...}}: expected a name such as \\{name}{{softmax}}")
            return False
        word = m.group(1)
        end = m.end()
        if len(word) == 1:
            if name.startswith(("text", "mbox")):
                return False
            self.pos = end
            self.emit("LETTER", word, start, end)  # \mathrm{d}, \mathrm{e}: the letter
            return True
        if word in FUNCTIONS:
            self.pos = end
            self.emit("FUNC", word, start, end)
            return True
        if word in self.words.names:
            self.pos = end
            self.emit("NAME", word, start, end)
            return True
        if name.startswith(("text", "mbox")):
            return False  # prose: "if", "for all"
        names = ", ".join(sorted(self.words.names | FUNCTIONS))
        raise self.fail(start, f"unknown name \\{name}{{{word}}} (known: {names})")

    def number(self, start: int) -> None:
        m = _NUMBER.match(self.text, start)
        if self.text.startswith("...", start):
            # a_1 + ... + a_K typed with three full stops: the \ldots of a written-out sum
            if self.tokens and self.tokens[-1].type in ("PLUS", "MINUS"):
                self.pos = start + 3
                self.emit("ELLIPSIS", "...", start, self.pos)
                return
            raise self.fail(start, "...: write every term out (derive checks exact expressions)")
        if m is None or m.group(0) == ".":
            rest = self.text[start + 1 :]
            if re.fullmatch(r"(?:\s|\\\\)*", rest) and not self.open:
                self.pos = len(self.text)  # the full stop of a sentence ending in a formula (and a last \\)
                return
            raise self.fail(start, "unexpected '.'")
        if m.group(0).startswith("."):
            raise self.fail(start, f"decimal number {m.group(0)}: write 0{m.group(0)} (or an exact number)")
        decimal = m.group(1) is not None and m.group(1) != "."
        if decimal and self.single:
            # TeX raises x^0.5 to 0 and prints .5 after it: the page does not show 0.5 as a power.
            raise self.fail(
                start, f"a decimal after ^ or _ without braces: TeX takes one digit (write ^{{{m.group(0)}}})"
            )
        if decimal and self.text.startswith(".", m.end()) and self.text[m.end() + 1 : m.end() + 2].isdigit():
            raise self.fail(start, f"a number with two decimal points: {m.group(0)}.")
        digits = m.group(0) if decimal else m.group(0).rstrip(".")
        before = getattr(self, "last_number_end", None)
        previous = getattr(self, "last_number_start", 0)
        scripted = self.text[:previous].rstrip().endswith(("^", "_"))  # x^2 3 is x²·3 on the page
        if before is not None and before < start and not self.text[before:start].strip() and not scripted:
            # TeX ignores spaces in math: "2 0" is printed 20, and reading it as 2·0 would
            # check something other than what the page shows.
            raise self.fail(
                start, "two numbers with only a space between: TeX prints them as one (write 20, or 2 \\cdot 0)"
            )
        if self.single:
            digits = digits[0]  # x^23 is x^2 times 3, as TeX reads it
        elif len(digits) > MAX_DIGITS:
            raise self.fail(start, f"number with more than {MAX_DIGITS} digits")
        self.pos = start + len(digits)
        self.emit("DECIMAL" if decimal else "INT", digits, start, self.pos)
        self.last_number_end = self.pos  # "0.5 2" is printed 0.52, as "2 0" is 20
        self.last_number_start = start

    def argument(self, start: int, name: str) -> int:
        """The end of the balanced ``{...}`` after ``\\name`` (or of a single character)."""
        text = self.text
        pos = self.pos
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            raise self.fail(start, f"\\{name} needs an argument")
        if text[pos] != "{":
            return pos + 1
        depth = 0
        while pos < len(text):
            if text[pos] == "\\":
                pos += 2
                continue
            if text[pos] == "{":
                depth += 1
            elif text[pos] == "}":
                depth -= 1
                if depth == 0:
                    return pos + 1
            pos += 1
        raise self.fail(start, f"\\{name}{{ is never closed (unbalanced braces)")

    def command(self, start: int) -> None:
        text = self.text
        m = _COMMAND.match(text, start)
        if m is None:
            raise self.fail(start, "a lone backslash")
        name = m.group(1)
        self.pos = m.end()
        if name in ("quad", "qquad", ",", ";") and self.condition(start, self.pos, trailing_only=True):
            return
        if name in ("quad", "qquad") and self.separates(start):
            return
        if name in (",", ";", ":", "!", " ", "\n", "\t") or name in IGNORED:
            return
        if name in NAMING and self.named(start, name):
            return
        if name in IGNORED_WITH_ARGUMENT:
            end = self.argument(start, name)
            inner = self.text[self.pos : end]
            if (
                name.startswith(("text", "mbox"))
                and _CONDITION_WORD.fullmatch(inner.strip()[1:-1])
                and (self.condition(start, end) or self.index_range(start, end, inner.strip()[1:-1].strip()))
            ):
                return
            letter = re.fullmatch(r"\{\s*([A-Za-z])\s*\}", inner)
            if name.startswith(("text", "mbox")) and letter:
                # \textbf{x}, \text{x}: one letter in a text font is that letter, never prose to drop
                self.notes.append(f"\\{name}{{{letter.group(1)}}} as {letter.group(1)}")
                self.pos = end
                self.emit("LETTER", letter.group(1), self.pos - len(inner) + inner.index(letter.group(1)), end)
                return
            if name.startswith(("text", "mbox")) and _MATH_IN_TEXT.search(inner):
                # KaTeX and MathJax render $...$ inside \text as mathematics: a relation there
                # is an equation the reader would otherwise drop with the prose around it.
                raise self.fail(
                    start, f"an equation inside \\{name}{{...}}: write it outside the text to have it checked"
                )
            if name.startswith(("text", "mbox")):
                self.prose(start, end, name, inner.strip()[1:-1] if inner.strip().startswith("{") else inner)
                return
            self.pos = end
            return
        if name == "\\":
            spacing = _SPACING_ARGUMENT.match(text, self.pos)
            if spacing:
                self.pos = spacing.end()
            if self.in_cells:
                self.emit("BREAK", "\\\\", start, m.end())
            else:
                new = (
                    _starts_new_equation(self.next_row_from(self.pos))
                    if self.row_related or self.row_has_relation
                    else False
                )
                if new is None:
                    raise self.fail(
                        m.end(),
                        "a row that starts with '-' and has a relation of its own may go on with the row"
                        " above or start a new equation (end the row above with the '-', or brace a new"
                        " left side: {-c} &= ...)",
                    )
                if new:
                    # "s_i &= ... \\ \log s_i &= ...": a new left-hand side starts a new equation,
                    # never a product with the row before.
                    self.emit("ARROW", "\\\\", start, m.end())
                self.row_related = self.row_next_column = self.row_has_relation = False
            return
        if name in ("{", "}"):
            listed = _LISTED_RANGE.match(text, start)
            if name == "{" and listed and self.tokens and self.tokens[-1].type == "IN":
                # k \in \{1, \dots, K\}: the range 1..K, as k \in [K]
                self.pos = listed.end()
                self.emit("LBRACK", "[", start, start + 2)
                self.emit("LETTER", listed.group(1), listed.start(1), listed.end(1))
                self.emit("RBRACK", "]", listed.end() - 2, listed.end())
                return
            self.set_brace(name, start, self.pos)
            return
        if name in SIZES:
            self.delimiter(start, name)
            return
        if name == "boxed":
            if not self.in_group:
                # \boxed{A = B} around a whole equation: its braces are not a group
                while self.pos < len(text) and text[self.pos].isspace():
                    self.pos += 1
                if self.pos < len(text) and text[self.pos] == "{":
                    self.push("LBRACE", self.pos)
                    self.dropped_braces.add(len(self.open))
                    self.pos += 1
            return
        if name in ("begin", "end"):
            self.environment(start, name)
            return
        if name == "forall":
            # "\quad \forall i = 1 \dots n" states a range in words: skipped to the end of the
            # line (or of the row, the column, a % comment), but only a range: a relation there
            # is an equation that would go unread.
            end = _QUANTIFIER_END.search(text, self.pos)
            end = len(text) if end is None else end.start()
            if not _is_range(text[self.pos : end]):
                raise self.fail(
                    start, "a relation after \\forall is not read (expected a range such as \\forall i = 1, ..., K)"
                )
            self.pos = end
            return
        if name in DECORATIONS:
            greek = _FONT_GREEK.match(text, self.pos)
            if greek and greek.group(1) in GREEK and name in ("mathbb", "mathbf", "boldsymbol", "bm"):
                # \mathbb{\theta}, \boldsymbol{\theta}: a font around one Greek letter is the letter
                self.pos = greek.end()
                self.notes.append(f"\\{name}{{\\{greek.group(1)}}} as \\{greek.group(1)}")
                self.emit("SYMBOL", "\\" + greek.group(1), start, self.pos)
                return
            around = _FONT_AROUND_ACCENT.match(text, self.pos)
            if around and name in ("mathbb", "mathbf", "boldsymbol", "bm"):
                # \mathbb{\hat{y_i}}: a font around an accented name is that name; the font's
                # braces group nothing (the name inside is read as usual)
                self.pos = around.start(1)
                self.push("LBRACE", self.pos)
                self.dropped_braces.add(len(self.open))
                self.notes.append(f"\\{name}{{{around.group(1)}}} as {around.group(1)}")
                return
            arg = _DECORATED.match(text, self.pos)
            if arg is None:
                raise self.fail(start, f"\\{name} takes one letter: \\{name}{{y}}")
            letter = arg.group(1) or arg.group(2)
            self.pos = arg.end()
            if name in ("mathbb", "mathbf", "bm") and letter in ("1", "I"):
                self.emit("BBONE", f"\\{name}{{{letter}}}", start, self.pos)
            else:
                self.emit("SYMBOL", f"\\{name}{{{letter}}}", start, self.pos)
            return
        kind = _COMMANDS.get(name)
        if kind is not None:
            self.emit(kind, "\\" + name, start, self.pos)
        elif name in GREEK:
            self.emit("SYMBOL", "\\" + name, start, self.pos)
        elif name in ARROWS:
            self.emit("ARROW", "\\" + name, start, self.pos)
        elif name in NON_EQUALITIES:
            # \approx, \le, \propto ...: a relation, but not an equality: it separates the
            # equations around it and is reported as not checked.
            self.emit("ARROW", "\\" + name, start, self.pos)
        elif name in FUNCTIONS:
            self.emit("FUNC", name, start, self.pos)
        elif name in ELLIPSES:
            if name in ("dots", "cdots", "ldots") and self.tokens and self.tokens[-1].type in ("PLUS", "MINUS"):
                self.emit("ELLIPSIS", "\\" + name, start, self.pos)  # a_1 + \cdots + a_K: the reader decides
                return
            raise self.fail(start, f"\\{name}: write every term out (derive checks exact expressions)")
        else:
            raise self.fail(start, f"unknown command \\{name}")

    def prose(self, start: int, end: int, name: str, words: str) -> None:
        """Text in an equation is dropped only where it cannot change what the page shows: at
        the end of a row (a remark, an equation number), at the start of a row before what is
        not a relation (\\text{so } L = ...), or as a connective between two equations (\\text{and},
        which then separates them). A number or sign in text (\\text{2}, \\text{-}), text standing
        for a left side (\\text{loss} = ...) or inside an expression is refused."""
        if _MATHEMATICS_IN_TEXT.search(words) and not re.search(r"[A-Za-z]", _WITHOUT_MATH.sub(" ", words)):
            # \text{$+ s_i$}: mathematics and no words, part of what the page shows, which
            # dropping the text would drop with it (\text{for all $i$} is a remark)
            raise self.fail(start, f"\\{name}{{...}} holds mathematics and no words: write it as mathematics")
        if self.in_cells:  # "a & \\text{if } i = j": the row's condition, read by the grammar
            self.pos = end
            return
        row = _COMMENT.sub("", self.next_row_from(end))  # "... && \\text{why} % cites ...": a remark
        before = self.text[self.statement_start(start) : start]
        trailing = not row.strip(" \t\n.,;:&")
        if not re.search(r"[A-Za-z]", words):
            # \text{2}, \text{-}, \text{/2} show a number or a sign; only an equation number
            # such as \text{--- (2)} at the end of a row is not part of the equation
            if trailing and _TEXT_NUMBER.fullmatch(words):
                self.pos = end
                return
            raise self.fail(
                start,
                f"\\{name}{{{words.strip()}}} in an equation: a number or sign in text is part of what the"
                " page shows (write it as mathematics)",
            )
        if trailing:
            self.pos = end
            return
        if (
            _CONNECTIVE.fullmatch(words)
            and self.row_has_relation
            and _ROW_RELATION.search(_SCRIPT_OR_TEXT.sub(" ", row))
        ):
            self.pos = end
            self.emit("ARROW", "\\text", start, end)  # "A = B \text{ and } C = D": two statements
            return
        first = _SCRIPT_OR_TEXT.sub(" ", row).lstrip(" \t\n&")
        if not before.strip(" \t\n&") and first and not _ROW_RELATION.match(first):
            self.pos = end  # "\text{so } L = ...": prose before the left side
            return
        raise self.fail(
            start,
            f"\\{name}{{{words.strip()}}} inside an equation: derive cannot tell what it stands for (write it as mathematics, or outside the equation)",
        )

    def separates(self, start: int) -> bool:
        """ "A = B \\quad C = D": a wide space between two equations on one row separates them
        (read as one chain, B and C were multiplied). True when it did."""
        if self.in_cells or self.in_group:
            return False
        since = self.statement_start(start)
        had_relation = self.last_relation_start >= since
        if had_relation and self.relation_ahead(self.pos):
            self.emit("ARROW", "\\quad", start, self.pos)
            return True
        return False

    def relation_ahead(self, at: int) -> bool:
        """Whether the row has a relation after ``at`` outside scripts and text. Asked at every
        comma and \\quad: the row's relations are listed once (``at`` is never inside a group,
        so no script or text spans it, and blanking from an earlier place blanks the same)."""
        end = self.row_end(at)
        if end not in self.relations_of_row:
            blanked = _SCRIPT_OR_TEXT.sub(lambda m: " " * len(m.group(0)), self.text[at:end])
            self.relations_of_row[end] = [at + m.start() for m in _ROW_RELATION.finditer(blanked)]
        found = self.relations_of_row[end]
        return bisect.bisect_left(found, at) < len(found)

    def statement_start(self, start: int) -> int:
        """Where the statement that ``start`` is in begins: after the row break or the
        separator (an arrow, \\quad between equations, \\text{and}) nearest before it."""
        if self.row_breaks is None:  # where "\\\\" stands, overlapping ones too, as rfind finds them
            self.row_breaks = [at for at in range(len(self.text) - 1) if self.text.startswith("\\\\", at)]
        before = bisect.bisect_right(self.row_breaks, start - 2)
        row = self.row_breaks[before - 1] if before else -1
        return max(row + 2 if row >= 0 else 0, self.last_arrow_end)

    def row_end(self, at: int) -> int:
        """Where the row that ``at`` is in ends: the next row break, \\end{...} or the end
        (found by bisection in the row ends, listed once: this is asked at every comma)."""
        if self.row_ends is None:
            self.row_ends = [m.start() for m in _ROW_END.finditer(self.text)]
        found = bisect.bisect_left(self.row_ends, at)
        return self.row_ends[found] if found < len(self.row_ends) else len(self.text)

    def next_row_from(self, at: int) -> str:
        return self.text[at : self.row_end(at)]

    def stands_apart(self, start: int) -> bool:
        """A '(' set off by a space after a letter or ')': "s_i (i \\neq j)" may be a condition,
        but never "1(i = j)", "\\mathbb{1}(i = j)" or "f(i = j)", where the parentheses belong
        to what stands before them (1(i = j) is the indicator, a factor of the equation)."""
        before = self.text[:start]
        stripped = before.rstrip()
        return bool(stripped) and before != stripped and (stripped[-1].isalpha() or stripped[-1] == ")")

    def condition(self, start: int, after: int, trailing_only: bool = False) -> bool:
        """A condition written in the equation: ``\\text{if } i = j`` (at the end of the row, or
        at its start followed by ':'), ``, \\quad i \\neq j`` or ``(i \\neq j)`` ending the row,
        when both letters are indices of the row. It is recorded as the case of the equation on
        that line and skipped; anything else is left to be read."""
        if self.in_cells or self.in_group:
            return False
        row_end = self.row_end(after)
        found = _TRAILING_CONDITION.match(self.text, after, row_end)
        if found is None or found.end() != row_end:
            found = None if trailing_only else _LEADING_CONDITION.match(self.text, after, row_end)
        if found is None:
            return False
        first, second = found.group("a"), found.group("b")
        if first in self.words.letters or second in self.words.letters:
            return False  # "..., \quad a = b" with scalars a, b: an equation, never a case
        row_start = max(self.text.rfind("\\\\", 0, start), 0)
        leading = found.end() != row_end
        row = self.text[found.end() : row_end] if leading else self.text[row_start:start]
        indices = [
            bool(re.search(rf"_\{{?[^}}=]*{letter}|\\delta_?\{{?[^}}]*{letter}", row)) for letter in (first, second)
        ]
        # "x = y \quad a = b": letters that are not indices make a second equation. A word (if,
        # for) or parentheses say it is a condition: one of its letters must be an index here.
        said_so = not trailing_only or self.text[after - 1 : after] == "(" or "(" in found.group(0)[:3]
        if not (all(indices) or (said_so and any(indices))):
            return False
        relation = "=" if found.group("rel") == "=" else "\\neq"
        # Kept by where it stands: the reader gives it to the one link it follows (or, written
        # before the first relation, the first), never to another row on the same line.
        self.conditions[start] = f"{first} {relation} {second}"
        self.pos = found.end()
        return True

    def continues_row(self, start: int) -> bool:
        """The group opened at ``start`` begins with '=' and ends its row."""
        text = self.text
        if not text[start + 1 :].lstrip().startswith("="):
            return False
        depth, pos = 0, start
        while pos < len(text):
            if text[pos] == "\\":
                pos += 2
                continue
            depth += {"{": 1, "}": -1}.get(text[pos], 0)
            if depth == 0:
                break
            pos += 1
        return bool(re.match(r"\s*(?:\\\\|\\end\s*\{|$)", text[pos + 1 :]))

    def index_range(self, start: int, after: int, word: str) -> bool:
        """``\\text{for } c = 1, \\dots, C`` ending the row: the range of an index, which derive
        reads over all of 1..C anyway. Recorded (the reader checks that C is a declared count)
        and skipped; anything else is left to be read."""
        if word.lower() not in ("for", "where") or self.in_cells or self.in_group:
            return False
        row_end = self.row_end(after)
        found = _INDEX_RANGE.match(self.text, after, row_end)
        if found is None or found.end() != row_end:
            return False
        line, column = self.where(found.start("n"))
        self.ranges.append((found.group("a"), found.group("n"), line, column))
        self.pos = row_end
        return True

    def set_brace(self, which: str, start: int, end: int) -> None:
        """\\{ or \\}: set braces (1\\{i=j\\}), or brackets around a function's argument
        (\\exp\\{z_i\\} is exp(z_i))."""
        if which == "{":
            if self.tokens and self.tokens[-1].type == "FUNC":
                self.notes.append(f"{self.tokens[-1].value}\\{{...\\}} as {self.tokens[-1].value}(...)")
                self.push("LSETPAR", start)
                self.emit("LPAR", "\\{", start, end)
                return
            self.push("LSET", start)
            self.emit("LSET", "\\{", start, end)
        elif self.open and self.open[-1][0] == "LSETPAR":
            self.open.pop()
            self.emit("RPAR", "\\}", start, end)
        else:
            self.pop("LSET", start, "\\}")
            self.emit("RSET", "\\}", start, end)

    def delimiter(self, start: int, name: str) -> None:
        text = self.text
        while self.pos < len(text) and text[self.pos].isspace():
            self.pos += 1
        if text.startswith("\\{", self.pos) or text.startswith("\\}", self.pos):
            self.pos += 2
            self.set_brace(text[self.pos - 1], start, self.pos)
            return
        c = text[self.pos : self.pos + 1]
        if c == ".":
            self.pos += 1  # \left. and \right. draw nothing
            return
        if c not in ("(", ")", "[", "]"):
            raise self.fail(start, f"\\{name} must be followed by ( ) [ ] \\{{ \\}} or .")
        self.pos += 1
        kind = PUNCTUATION[c]
        if kind in OPENERS:
            self.push(kind, start)
        else:
            self.pop(CLOSERS[kind], start, c)
        self.emit(kind, c, start, self.pos)

    def environment(self, start: int, name: str) -> None:
        m = _ENV.match(self.text, self.pos)
        if m is None:
            raise self.fail(start, f"\\{name} needs an environment name")
        env = m.group(1)
        self.pos = m.end()
        if env in ALIGNMENTS:
            kind = "env:align"
        elif env == "cases":
            kind = "env:cases"
        elif env in MATRICES:
            kind = "env:matrix"
        else:
            raise self.fail(start, f"unknown environment {env}")
        if name == "begin":
            self.push(kind, start)
            if kind == "env:align":
                # {lcl}-style column arguments of alignat
                if env.startswith(("alignat", "alignedat")):
                    self.pos = self.argument(start, env)
                return
            self.emit("BEGIN_CASES" if kind == "env:cases" else "BEGIN_MATRIX", env, start, self.pos)
        else:
            if not self.open or self.open[-1][0] != kind:
                raise self.fail(start, f"\\end{{{env}}} without its \\begin")
            self.open.pop()
            if kind != "env:align":
                self.emit("END_CASES" if kind == "env:cases" else "END_MATRIX", env, start, self.pos)


def _unspaced(text: str) -> str:
    """The text without spaces, '&' and spacing commands around it."""
    return re.sub(r"\\(?:q?quad(?![A-Za-z])|[,;:! ])", " ", text).strip(" \t\n&")


_COMMENT = re.compile(r"(?<!\\)%[^\n]*")
# mathematics inside \text: $...$, \(...\), \ensuremath{...}, \textsuperscript{...}; and what is
# left of the text without it and without command names (\relax, \textbf): words or nothing
_MATHEMATICS_IN_TEXT = re.compile(r"\$|\\\(|\\ensuremath|\\text(?:super|sub)script")
_WITHOUT_MATH = re.compile(
    r"\$[^$]*\$|\\\(.*?\\\)|\\(?:ensuremath|text(?:super|sub)script)\s*\{[^{}]*\}|\\[A-Za-z]+", re.S
)
_TEXT_NUMBER = re.compile(r"[\s\-–—.,]*[\(\[]?\s*(?:\d+|[①-⑳])[a-z]?\s*[\)\]]?[\s.,]*")
_CONNECTIVE = re.compile(
    r"\s*(?:and|or|so|thus|hence|therefore|then|i\.e\.,?|that is,?|which gives|giving|we get)\s*", re.I
)
_CONDITION_WORD = re.compile(r"\s*(?:if|for|when|where|whenever)\s*", re.I)
_CONDITION = r"\(?\s*(?P<a>[A-Za-z])\s*(?P<rel>=|\\neq?(?![A-Za-z])|≠)\s*(?P<b>[A-Za-z])\s*\)?"
_SPACE = r"(?:\s|\\[,;:! ]|\\q?quad(?![A-Za-z])|~|\\text\s*\{\s*(?:if|for|when|where)?\s*\}|,)*"
_TRAILING_CONDITION = re.compile(rf"{_SPACE}{_CONDITION}\s*[.,;]?\s*")
_DOTS = r"(?:\s|\\[,;:! ]|~)*,?(?:\s|\\[,;:! ]|~)*\\(?:dots|cdots|ldots|dotsc)(?![A-Za-z])(?:\s|\\[,;:! ]|~)*,?"
_INDEX_RANGE = re.compile(rf"{_SPACE}(?P<a>[A-Za-z])\s*=\s*1{_DOTS}(?:\s|\\[,;:! ]|~)*(?P<n>[A-Za-z])\s*[.,;]?\s*")
_LEADING_CONDITION = re.compile(rf"{_SPACE}{_CONDITION}\s*[:,]\s*&?")
_EQUATION_NUMBER = re.compile(r"\s*&?\s*(?:\\text\s*\{)?\s*(\(\s*\d+[a-z]?\s*\)|\d+[a-z]?)\s*\}?\s*")
_ROW_END = re.compile(r"\\\\|\\end\s*\{")
_ROW_RELATION = re.compile(r"(?<![<>])=|\\(?:approx|propto|le|leq|ge|geq|neq|ne)(?![A-Za-z])")


def _starts_new_equation(row: str) -> bool | None:
    """A row with a relation of its own that does not begin with it: a new left-hand side.
    A row that begins with '=' (or '&=') continues the chain; one without a relation
    continues the expression of the row before."""
    # Only sub- and superscripts and text are blanked (\sum_{k=1}, \text{if }): a relation in
    # any other group (\boxed{a = b}) is one of the row's own.
    flat = _SCRIPT_OR_TEXT.sub(lambda m: " " * len(m.group(0)), row)
    # A relation inside parentheses or brackets, 1(i = j), is part of an expression, not the row's.
    found = next((m for m in _ROW_RELATION.finditer(flat) if _bracket_depth(flat[: m.start()]) == 0), None)
    if found is None:
        return False
    before = flat[: found.start()].replace("&", " ")
    before = re.sub(r"\\(?:[,;:! ]|q?quad(?![A-Za-z]))", " ", before).strip()
    if before.startswith(("+", "*", "/", "\\cdot", "\\times")):
        return False  # "& + c = d": the expression of the row before goes on, then the chain
    if before.startswith("-"):
        return None  # "- c = d" may go on with the row before or be a new left-hand side
    return bool(before)


def _bracket_depth(text: str) -> int:
    return text.count("(") + text.count("[") - text.count(")") - text.count("]")


_SCRIPT_OR_TEXT = re.compile(r"[_^]\s*\{(?:[^{}]|\{[^{}]*\})*\}|\\(?:text|mbox|textrm|operatorname)\s*\{[^{}]*\}")
_LISTED_RANGE = re.compile(r"\\\{\s*1\s*,\s*\\(?:dots|ldots|cdots|dotsc)\s*,\s*([A-Za-z])\s*\\\}")
_QUANTIFIER_END = re.compile(r"\n|\\\\|(?<!\\)%|&")
_RELATION = re.compile(
    r"=|<|>|≠|≈|≤|≥|＝|≡|≔|⩵|≃|≅|∝|∼|⩽|⩾"
    r"|\\(?:neq|ne|leq|le|geq|ge|leqslant|geqslant|lt|gt|approx|equiv|sim|simeq|cong|propto"
    r"|doteq|triangleq|coloneqq|eqqcolon|coloneq|eqcolon|stackrel|overset|underset|not)(?![A-Za-z])"
)
_SPACING = re.compile(r"\\(?:[,;:! ]|q?quad(?![A-Za-z]))|~|\\text\{[^{}]*\}")
_INDICES = re.compile(r"\s*[A-Za-z](?:\s*,\s*[A-Za-z])*\s*")


def _is_range(quantified: str) -> bool:
    """What follows ``\\forall`` on its line is a range of indices and nothing more:
    ``i``, ``i, j``, ``i \\in [K]``, ``i = 1, \\dots, K``, ``i \\neq j``, ``1 \\le i \\le K``.
    ``\\forall i: s_i = t_i`` or ``\\forall i \\quad u = v`` hide an equation: not a range."""
    parts = _RELATION.split(_SPACING.sub(" ", quantified))
    if len(parts) == 1:
        return True
    if len(parts) == 2:
        return _INDICES.fullmatch(parts[0]) is not None
    return len(parts) == 3 and _INDICES.fullmatch(parts[1]) is not None


_COMMANDS = {
    "frac": "FRAC",
    "dfrac": "FRAC",
    "tfrac": "FRAC",
    "partial": "PARTIAL",
    "sum": "SUM",
    "cdot": "MUL",
    "times": "MUL",
    "ast": "MUL",
    "neq": "NEQ",
    "ne": "NEQ",
    "in": "IN",
    "nabla": "NABLA",
}
_ENV_BEGIN = re.compile(r"\\begin\s*\{[^{}]*\}")
_SHOWN = {"LPAR": "(", "LBRACK": "[", "LBRACE": "{", "LSET": "\\{", "LSETPAR": "\\{"}
_NAMES = {
    "LPAR": "parentheses",
    "LBRACK": "brackets",
    "LBRACE": "braces",
    "LSET": "set braces",
    "LSETPAR": "set braces",
}


# Every command and environment the scanner gives a meaning to: a document that redefines one
# (\renewcommand, \def, \let) is refused, since the page would show another statement.
READ_COMMANDS = frozenset(
    {*GREEK, *DECORATIONS, *IGNORED, *IGNORED_WITH_ARGUMENT, *SIZES, *ARROWS, *NON_EQUALITIES, *ELLIPSES, *FUNCTIONS}
    | NAMING
    | set(_COMMANDS)
    | {"begin", "end", "boxed", "forall", "{", "}", "[", "]", "(", ")", ",", ";", ":", "!", " ", "\\"}
)
READ_ENVIRONMENTS = frozenset({*ALIGNMENTS, *MATRICES, "cases"})


def scan(text: str, macros: dict | None = None, words: Words | None = None) -> Scan:
    """The tokens and ``%`` comments of one block of display math (after markup that means
    nothing and the document's macros are taken out: :mod:`derive.read.latex_markup`).

    >>> [t.type for t in scan(r"s_12 \\quad % why").tokens]
    ['LETTER', 'UNDER', 'INT', 'INT']
    """
    if len(text) > MAX_BLOCK:
        raise MathSyntaxError(1, 1, f"block too long ({len(text)} characters; at most {MAX_BLOCK})")
    normalised = normalise(text, macros)
    if len(normalised.text) > MAX_BLOCK:
        raise MathSyntaxError(1, 1, f"block too long once its macros are expanded (at most {MAX_BLOCK} characters)")
    found = _Scanner(normalised.text, normalised.origin, text, words).run()
    found.notes = list(normalised.notes) + found.notes
    found.original, found.origin, found.macro_names = text, normalised.origin, tuple(macros or ())
    return found
