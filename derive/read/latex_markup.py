r"""Markup that renders and means nothing, and the document's own macros, removed before scanning.

The scanner (:mod:`derive.read.latex_tokens`) reads what remains. Every character of the
normalised text remembers the position in the author's text it came from (``origin``), so that
places in messages and in the output stay the author's: a token from an expanded macro is placed
at the macro's use.

Three passes, in this order:

1. the document's macros are expanded (their arguments too, and macros defined inside the
   block from their definition on); every character of a body is placed at the backslash of
   the use, every character of an argument where the author wrote it;
2. Unicode mathematics becomes LaTeX (∂ → ``\partial``, ² → ``^2``, ŷ → ``\hat{y}``);
3. markup that changes how a formula looks and not what it says is taken out (``\color``,
   ``\mathbf{W}`` → ``W``, spacing, ``\underbrace{X}_{...}`` → X, ``{a \over b}`` →
   ``\frac{a}{b}``), and two habits are read as their authors mean them (``e^-x`` as
   ``e^{-x}``, ``\hat{y_i}`` as ``\hat{y}_i``), each with a note.

What carries meaning stays: ``\hat``, ``\bar``, ``\tilde``, ``\mathcal``, ``\mathbb`` and the
indicator ``\mathbf{1}`` are symbols of their own; ``\mathrm{softmax}``, ``\operatorname{...}``
and ``\text{...}`` are names or prose and are left to the scanner. Nothing is evaluated.

>>> normalise(r"{\color{red} \mathbf{W}} x").text.split()
['{', 'W}', 'x']
>>> r = normalise(r"\R^2", {"R": Macro("R", 0, r"\mathbb{R}")})
>>> r.text.strip(), r.notes
('\\mathbb{R} ^2', ['expanded \\R'])
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["MARKUP_COMMANDS", "Macro", "Normalised", "normalise", "parse_definition"]

MAX_DEPTH = 32  # macros inside macros
MAX_EXPANDED = 100_000  # characters that the expansions of one block may produce
MAX_GROUPS = 60  # groups nested inside \underbrace, \cancel ...


@dataclass(frozen=True)
class Macro:
    """A macro the document defines: ``\\newcommand{\\name}[nargs]{body}`` and its kin."""

    name: str  # without the backslash
    nargs: int
    body: str
    where: str = ""  # the place of its definition, for messages
    default: str | None = None  # the first argument's default: it is optional ([...]) when given
    # Not empty: a definition derive does not read (\\edef, one inside a TeX conditional or a
    # group...); the name is then refused where it is used, with this reason.
    refused: str = ""


@dataclass
class Normalised:
    text: str
    origin: list[int] = field(default_factory=list)  # origin[k]: position in the author's text of text[k]
    notes: list[str] = field(default_factory=list)  # readings that involved a choice ("expanded \\R")


# -- definitions -------------------------------------------------------------------------------

_DEFINER = re.compile(
    r"\\(?P<definer>(?:renew|provide|new)command|[gex]?def|DeclareMathOperator)(?![A-Za-z])(?P<star>\*?)\s*"
)
_NAME = re.compile(r"\\([A-Za-z]+|[^A-Za-z\s])")
_PARAMETERS = re.compile(r"(?:#[1-9])*")


def _group(text: str, pos: int) -> int | None:
    """The end of the balanced ``{...}`` that opens at ``pos`` (None if it never closes)."""
    depth = 0
    at = pos
    while at < len(text):
        c = text[at]
        if c == "\\":
            at += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return at + 1
        at += 1
    return None


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def parse_definition(text: str, pos: int) -> tuple[Macro, int] | None:
    """The macro that ``\\newcommand``, ``\\renewcommand``, ``\\providecommand``, ``\\def`` (and
    ``\\gdef``, ``\\edef``, ``\\xdef``) or ``\\DeclareMathOperator`` at ``pos`` defines, and the end
    of its definition; None for a form derive does not read (delimited parameters, \\let)."""
    m = _DEFINER.match(text, pos)
    if m is None:
        return None
    definer, at = m.group("definer"), m.end()
    braced = text.startswith("{", at)
    name = _NAME.match(text, _skip_space(text, at + 1) if braced else at)
    if name is None:
        return None
    at = name.end()
    if braced:
        at = _skip_space(text, at)
        if not text.startswith("}", at):
            return None
        at += 1
    nargs, default = 0, None
    if definer.endswith("def"):
        params = _PARAMETERS.match(text, at)
        written = params.group(0)
        if written != "".join(f"#{n}" for n in range(1, len(written) // 2 + 1)):
            return None  # #2#1 or delimited parameters: not a plain macro
        nargs, at = len(written) // 2, params.end()
    elif definer.endswith("command"):
        count = re.compile(r"\s*\[\s*([0-9])\s*\]").match(text, at)
        if count:
            nargs, at = int(count.group(1)), count.end()
            optional = re.compile(r"\s*\[([^\[\]{}]*)\]").match(text, at)
            if optional:
                default, at = optional.group(1), optional.end()
    at = _skip_space(text, at)
    if not text.startswith("{", at):
        return None
    end = _group(text, at)
    if end is None:
        return None
    body = text[at + 1 : end - 1]
    if definer == "DeclareMathOperator":
        body = f"\\operatorname{{{body}}}"
    return Macro(name.group(1), nargs, body, default=default), end


# -- the normalised text, built a piece at a time ---------------------------------------------


# Signs for "is defined as", read as "=" (item 7 of issue 13).
_DEFINING = frozenset("coloneqq coloneq equiv triangleq".split())


class _Text:
    """Characters and their origins."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.origin: list[int] = []
        self.state = 0  # 1: just after a backslash; 2: inside a control word (\\alpha)

    def add(self, text: str, origin: int | list[int]) -> None:
        if not text:
            return
        # A control word followed by a letter would become another word (\\cdot then x: \\cdotx).
        if self.state == 2 and text[0].isascii() and text[0].isalpha():
            self.raw(" ", origin if isinstance(origin, int) else origin[0])
        for at, char in enumerate(text):
            self.raw(char, origin if isinstance(origin, int) else origin[at])

    def raw(self, char: str, origin: int) -> None:
        self.chars.append(char)
        self.origin.append(origin)
        letter = char.isascii() and char.isalpha()
        if self.state == 1:
            self.state = 2 if letter else 0  # \\\\ and \\, are complete control symbols
        elif char == "\\":
            self.state = 1
        elif not (self.state == 2 and letter):
            self.state = 0

    def space(self, origin: int) -> None:
        self.raw(" ", origin)

    def text(self) -> str:
        return "".join(self.chars)

    def tail(self) -> str:
        """The last characters written, without the spaces after them."""
        return "".join(self.chars[-60:]).rstrip()

    def ends_with_break(self) -> bool:
        return self.tail().endswith("\\\\")


# -- the three passes --------------------------------------------------------------------------

GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi "
    "rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split()
)
_FONTS = frozenset("mathrm mathbf boldsymbol bm vec mathit".split())  # around one letter: the letter
_DROPPED = frozenset(
    "rm bf it displaystyle textstyle scriptstyle scriptscriptstyle limits nolimits nonumber notag mathstrut strut "
    "enspace thinspace medspace thickspace negthinspace negmedspace negthickspace".split()
)  # \quad and \qquad stay for the scanner: between two equations they separate them
_DROPPED_WITH_ARGUMENT = frozenset("hspace hspace* tag tag* label phantom hphantom vphantom color".split())
_CANCELS = frozenset("cancel bcancel xcancel".split())
_BRACES = frozenset("underbrace overbrace".split())
_ACCENTS = frozenset("hat widehat tilde widetilde bar overline".split())
# Their argument is prose or a name, read (or refused) by the scanner as written.
_VERBATIM = frozenset(
    "text textrm textit textbf textsf texttt textnormal mbox operatorname operatorname* mathrm mathsf".split()
)
_INTERTEXT = frozenset("intertext shortintertext".split())
_SIZES = frozenset("left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr bigm Bigm".split())
_BARS = frozenset("| vert lvert rvert Vert lVert rVert".split())
_STARRED = frozenset("hspace tag operatorname".split())
_RELATION = re.compile(
    r"=|<|>|≠|≈|≤|≥|≡|∝|∼|\\(?:neq|ne|leq?|geq?|lt|gt|approx|equiv|sim|simeq|cong|propto|to|rightarrow|Rightarrow"
    r"|implies)(?![A-Za-z])"
)
_MATH_IN_TEXT = re.compile(r"(\$|\\\(|\\\[|\\ensuremath(?![A-Za-z])|\\begin\s*\{math\})[^$]*?(=|<|>|≠|\\ne|\\le|\\ge)")

# Every command this module gives a meaning to: a document that redefines one would show
# another statement than the one derive reads (source.py refuses it with the scanner's).
MARKUP_COMMANDS = frozenset(
    {*_FONTS, *_DROPPED, *_DROPPED_WITH_ARGUMENT, *_CANCELS, *_BRACES, *_ACCENTS, *_VERBATIM, *_INTERTEXT, *_SIZES}
    | {"over", "textcolor", "operatorname", "newcommand", "renewcommand", "def", "DeclareMathOperator"}
)


def _definer(text: str, at: int) -> str:
    return _DEFINER.match(text, at).group("definer")


def _protected() -> frozenset:
    """Commands derive gives a meaning to: a macro of that name is refused, never expanded."""
    from .latex_tokens import READ_COMMANDS

    return READ_COMMANDS | MARKUP_COMMANDS


def _copy_comment(text: str, origin: list[int], at: int, out: _Text) -> int:
    """A % comment is the author's note (it may hold a directive): copied as written, unread."""
    end = text.find("\n", at)
    end = len(text) if end < 0 else end
    out.add(text[at:end], origin[at:end])
    return end


class _Normaliser:
    def __init__(self, original: str, macros: dict[str, Macro]):
        self.original = original
        self.macros = dict(macros)
        self.notes: list[str] = []
        self.expanded = 0
        self.braces = 0  # groups open where a definition would stand (expansion included)
        self.environments = 0
        self.defined = False  # a definition was made: an alignment cell after it would end it

    def define(self, text: str, origin: list[int], at: int) -> None:
        """A definition inside the mathematics, in force from here to the end of the block (TeX:
        a math block is a group); refused where TeX, MathJax and KaTeX would not agree on that."""
        definer = _definer(text, at)
        if definer in ("edef", "xdef"):
            raise self.fail(
                origin[at], f"\\{definer} expands its body when it is defined: derive does not read it (use \\def)"
            )
        defined = parse_definition(text, at)
        if defined is None:
            return  # a form derive does not read: left to the scanner, which refuses it
        macro = defined[0]
        if macro.name in _protected():
            raise self.fail(origin[at], f"\\{definer} redefines \\{macro.name}, which derive reads (define a new name)")
        if self.braces > 0 or self.environments > 0:
            raise self.fail(
                origin[at],
                f"\\{definer} inside braces or an environment: the definition holds only inside them (TeX,"
                " KaTeX) or for the whole page (MathJax); derive does not read it (define it outside)",
            )
        known = self.macros.get(macro.name)
        if definer == "providecommand" and known is not None:
            self.note(f"\\providecommand left \\{macro.name} as it was (TeX keeps the first definition)")
            return
        if definer == "newcommand" and known is not None:
            raise self.fail(
                origin[at],
                f"\\newcommand{{\\{macro.name}}}: \\{macro.name} is already defined (LaTeX keeps the first"
                " and reports an error, MathJax takes the second: use \\renewcommand)",
            )
        self.macros[macro.name] = macro  # from here on, as MathJax and TeX read it
        self.defined = True

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def fail(self, pos: int, message: str) -> Exception:
        from .latex_tokens import MathSyntaxError

        before = self.original[:pos]
        line = before.count("\n") + 1
        return MathSyntaxError(line, pos - (before.rfind("\n") + 1) + 1, message)

    # -- 1. the document's macros ----------------------------------------------------------
    def expand(self, text: str, origin: list[int], depth: int = 0) -> _Text:
        out = _Text()
        at = 0
        while at < len(text):
            c = text[at]
            if c == "%":
                at = _copy_comment(text, origin, at, out)
                continue
            if c != "\\":
                if c in "{}":
                    self.braces += 1 if c == "{" else -1
                elif c == "&" and self.defined:
                    raise self.fail(origin[at], _IN_A_CELL)
                out.add(c, origin[at])
                at += 1
                continue
            name = _NAME.match(text, at)
            if name is None:  # a lone backslash at the end: the scanner says so
                out.add(c, origin[at])
                at += 1
                continue
            word = name.group(1)
            if word in ("begin", "end"):
                self.environments += 1 if word == "begin" else -1
            elif word in ("\\", "cr") and self.defined:
                raise self.fail(origin[at], _IN_A_CELL)
            if _DEFINER.match(text, at):
                self.define(text, origin, at)
                defined = parse_definition(text, at)
                if defined is not None:
                    out.space(origin[at])
                    at = defined[1]
                    continue
            macro = self.macros.get(word)
            if macro is not None and macro.refused:
                raise self.fail(origin[at], f"\\{word} {macro.refused}")
            if macro is not None and word in _protected():
                raise self.fail(
                    origin[at],
                    f"\\{word} is redefined by the document, and derive reads it (define a new name instead)",
                )
            if macro is None:
                out.add(name.group(0), origin[at : name.end()])
                at = name.end()
                continue
            if depth >= MAX_DEPTH:
                raise self.fail(
                    origin[at], f"\\{word} expands more than {MAX_DEPTH} levels deep (a macro defined through itself?)"
                )
            body, body_origin, at = self.use(macro, text, origin, at, name.end())
            self.note(f"expanded \\{word}")
            inner = self.expand(body, body_origin, depth + 1)
            out.add(inner.text(), inner.origin)
            out.space(origin[name.start()])
        return out

    def use(self, macro: Macro, text: str, origin: list[int], start: int, at: int) -> tuple[str, list[int], int]:
        """The body of one use of ``macro`` with its arguments put in, and where the use ends."""
        arguments: list[tuple[str, list[int]]] = []
        for number in range(macro.nargs):
            if number == 0 and macro.default is not None:
                peek = _skip_space(text, at)
                if peek < len(text) and text[peek] == "[":
                    close = text.find("]", peek)
                    if close < 0:
                        raise self.fail(origin[peek], f"\\{macro.name}[ is never closed")
                    arguments.append((text[peek + 1 : close], origin[peek + 1 : close]))
                    at = close + 1
                else:
                    arguments.append((macro.default, [origin[start]] * len(macro.default)))
                continue
            at = _skip_space(text, at)
            if at >= len(text) or text[at] in "}]&":
                raise self.fail(origin[start], f"\\{macro.name} needs {macro.nargs} argument{'s' * (macro.nargs > 1)}")
            if text[at] == "{":
                end = _group(text, at)
                if end is None:
                    raise self.fail(origin[at], f"an argument of \\{macro.name} is never closed (unbalanced braces)")
                arguments.append((text[at + 1 : end - 1], origin[at + 1 : end - 1]))
            else:
                one = _NAME.match(text, at)
                end = one.end() if one else at + 1
                arguments.append((text[at:end], origin[at:end]))
            at = end
        chars: list[str] = []
        where: list[int] = []
        body = macro.body
        k = 0
        while k < len(body):
            if body[k] == "#" and k + 1 < len(body) and body[k + 1].isdigit() and 0 < int(body[k + 1]) <= macro.nargs:
                argument, argument_origin = arguments[int(body[k + 1]) - 1]
                chars.extend(argument)
                where.extend(argument_origin)
                k += 2
                continue
            if body.startswith("##", k):
                k += 1
            chars.append(body[k])
            where.append(origin[start])
            k += 1
        self.expanded += len(chars)
        if self.expanded > MAX_EXPANDED:
            raise self.fail(
                origin[start],
                f"\\{macro.name}: the macros of this block expand to more than {MAX_EXPANDED} characters",
            )
        return "".join(chars), where, at

    # -- 2. Unicode mathematics --------------------------------------------------------------
    def unicode(self, text: str, origin: list[int]) -> _Text:
        out = _Text()
        at = 0
        while at < len(text):
            c = text[at]
            if c.isascii():
                if at + 1 < len(text) and text[at + 1] in _COMBINING and c.isalpha():
                    out.add(f"\\{_COMBINING[text[at + 1]]}{{{c}}}", origin[at])
                    at += 2
                    continue
                out.raw(c, origin[at])  # the author's own text: a letter after \alpha is part of it
                at += 1
                continue
            for runs, mark in ((_SUPERSCRIPTS, "^"), (_SUBSCRIPTS, "_")):
                if c in runs:
                    end = at
                    while end < len(text) and text[end] in runs:
                        end += 1
                    written = "".join(runs[ch] for ch in text[at:end])
                    after_mark = out.tail().endswith(mark)
                    shown = written if len(written) == 1 else "{" + written + "}"
                    out.add(shown if after_mark else mark + shown, origin[at])
                    at = end
                    break
            else:
                if c == "⊤":  # the transpose: x^⊤ and x⊤ alike
                    raised = out.tail().endswith(("^", "^{"))
                    out.add("T" if raised else "^T", origin[at])
                elif c in _UNICODE:
                    latex = _UNICODE[c]
                    if c == "Σ":
                        self.note("Σ read as \\sum")
                    out.add(latex + (" " if latex[-1].isalpha() and latex[0] == "\\" else ""), origin[at])
                else:
                    parts = unicodedata.normalize("NFD", c)
                    if len(parts) == 2 and parts[0].isascii() and parts[0].isalpha() and parts[1] in _COMBINING:
                        out.add(f"\\{_COMBINING[parts[1]]}{{{parts[0]}}}", origin[at])
                    else:
                        out.add(c, origin[at])  # the scanner names it
                at += 1
        return out

    # -- 3. markup ---------------------------------------------------------------------------
    def over(self, text: str, origin: list[int]) -> tuple[str, list[int]]:
        """``{a \\over b}`` -> ``{\\frac{a}{b}}``."""
        if not re.search(r"\\over(?![A-Za-z])", text):
            return text, origin
        groups: list[list] = []  # [open position, \over position or None]
        rewrite: dict[int, tuple[str, int]] = {}  # position -> (replacement, characters replaced)
        at = 0
        while at < len(text):
            c = text[at]
            if c == "%":
                end = text.find("\n", at)
                at = len(text) if end < 0 else end
                continue
            if c == "\\":
                name = _NAME.match(text, at)
                if name and name.group(1) == "over":
                    if not groups:
                        raise self.fail(origin[at], "\\over outside braces (expected {a \\over b})")
                    if groups[-1][1] is not None:
                        raise self.fail(origin[at], "two \\over in one group (TeX refuses it)")
                    groups[-1][1] = at
                at = name.end() if name else at + 1
                continue
            if c == "{":
                groups.append([at, None])
            elif c == "}" and groups:
                opened, over = groups.pop()
                if over is not None:
                    rewrite[opened] = ("{\\frac{", 1)
                    rewrite[over] = ("}{", len("\\over"))
                    rewrite[at] = ("}}", 1)
            at += 1
        chars: list[str] = []
        where: list[int] = []
        at = 0
        while at < len(text):
            if at in rewrite:
                replacement, length = rewrite[at]
                chars.extend(replacement)
                where.extend([origin[at]] * len(replacement))
                at += length
                continue
            chars.append(text[at])
            where.append(origin[at])
            at += 1
        return "".join(chars), where

    def markup(self, text: str, origin: list[int], depth: int = 0) -> _Text:
        if depth > MAX_GROUPS:
            raise self.fail(origin[0] if origin else 0, f"nested too deeply (more than {MAX_GROUPS} groups)")
        out = _Text()
        at = 0
        while at < len(text):
            c = text[at]
            if c == "%":
                at = _copy_comment(text, origin, at, out)
            elif c == "\\":
                at = self.command(text, origin, at, out, depth)
            elif c == "{" and _FONT_GROUP.match(text, at):
                letter = _FONT_GROUP.match(text, at)  # {\rm d}: the letter
                out.add(letter.group(1), origin[letter.start(1)])
                at = letter.end()
            elif c == "{" and text.startswith("{}", at) and self.empty_group_drops(text, at, out):
                out.space(origin[at])
                at += 2
            elif c == ":" and text.startswith(":=", at):
                self.note(":= read as =")
                out.add("=", origin[at])
                at += 2
            elif c == "^" and _NEGATIVE_EXPONENT.match(text, at + 1):
                at = self.negative_exponent(text, origin, at, out)
            else:
                out.add(c, origin[at])
                at += 1
        return out

    def empty_group_drops(self, text: str, at: int, out: _Text) -> bool:
        """``{}`` between operators (``&={}``, ``x{} + y``) draws nothing; after ``^``, ``_``, a
        command or an argument it is an (empty) argument, and before ``^``, ``_`` a base."""
        before = out.tail()
        after = text[at + 2 :].lstrip()
        if after.startswith(("^", "_")):
            return False
        return not before or before[-1] in "=&<>(,[+-" or _arguments_complete("".join(out.chars))

    def negative_exponent(self, text: str, origin: list[int], at: int, out: _Text) -> int:
        m = _NEGATIVE_EXPONENT.match(text, at + 1)
        token = m.group("token")
        base = out.tail()
        base = base[-1] if base and base[-1].isalnum() else ""
        shown = f"{base}^-{token}"
        if token.startswith("\\") or m.group("next"):
            raise self.fail(
                origin[at], f"{shown}{m.group('next') or ''}...: TeX raises only the '-' (write {base}^{{-...}})"
            )
        self.note(f"{shown} read as {base}^{{-{token}}}")
        out.add("^{", origin[at])
        out.add("-", origin[m.start("minus")])
        out.add(token, origin[m.start("token")])
        out.add("}", origin[m.end("token") - 1])
        return m.end("token")

    def argument(self, text: str, at: int, name: str, origin: list[int], start: int) -> tuple[int, int, int]:
        """The argument after ``\\name``: where its content starts and stops (inside its braces),
        and where the argument ends."""
        at = _skip_space(text, at)
        if at >= len(text):
            raise self.fail(origin[start], f"\\{name} needs an argument")
        if text[at] == "{":
            end = _group(text, at)
            if end is None:
                raise self.fail(origin[start], f"\\{name}{{ is never closed (unbalanced braces)")
            return at + 1, end - 1, end
        if text[at] == "}":
            raise self.fail(origin[start], f"\\{name} needs an argument")
        one = _NAME.match(text, at)
        stop = one.end() if one else at + 1
        return at, stop, stop

    def command(self, text: str, origin: list[int], at: int, out: _Text, depth: int) -> int:
        m = _NAME.match(text, at)
        if m is None:
            out.add("\\", origin[at])
            return at + 1
        name, end = m.group(1), m.end()
        if name in _STARRED and text.startswith("*", end):
            name, end = name + "*", end + 1
        if name in (",", ";", ":", "!") or name in _DROPPED:
            out.space(origin[at])
            return end
        if name in _DEFINING:
            # A sign that says "is defined as": an equation to the reader (derive.read.definitions
            # decides whether it defines a name; an equation of declared names is checked)
            self.note(f"\\{name} read as =")
            out.add("=", origin[at])
            return end
        if name in ("stackrel", "overset"):
            start, stop, after = self.argument(text, end, name, origin, at)
            above = text[start:stop].strip()
            start2, stop2, after2 = self.argument(text, after, name, origin, at)
            if text[start2:stop2].strip() == "=" and re.fullmatch(
                r"(?:\\text\{\s*)?(?:def|\\mathrm\{def\}|\\Delta)?\s*\}?", above
            ):
                self.note(f"\\{name}{{{above}}}{{=}} read as =")
                out.add("=", origin[at])
                return after2
            out.add(text[at:end], origin[at:end])
            return end
        if name in ("frac", "dfrac", "tfrac"):
            short = _SHORT_FRACTION.match(text, end)
            if short:  # \frac12 is \frac{1}{2} to TeX: each argument one character
                out.add(f"\\{name}{{", origin[at])
                out.add(short.group(1), origin[short.start(1)])
                out.add("}{", origin[at])
                out.add(short.group(2), origin[short.start(2)])
                out.add("}", origin[at])
                return short.end()
        if name in _DROPPED_WITH_ARGUMENT or name == "textcolor":
            model = ""
            if name in ("color", "textcolor") and text.startswith("[", _skip_space(text, end)):
                close = text.find("]", end) + 1 or len(text)  # \color[rgb]{1,0,0}
                model, end = text[_skip_space(text, end) + 1 : close - 1], close
            start, stop, after = self.argument(text, end, name, origin, at)
            if name in ("color", "textcolor") and _invisible(model, text[start:stop]):
                raise self.fail(
                    origin[at],
                    f"\\{name}{f'[{model}]' if model else ''}{{{text[start:stop].strip()}}}: what follows is invisible on a white page; derive"
                    " does not read it (remove it, or \\phantom it outside the equation)",
                )
            out.space(origin[at])
            return after  # after \textcolor{red}, the coloured text stays, as a group
        if name in _FONTS or name in _VERBATIM:
            start, stop, after = self.argument(text, end, name, origin, at)
            one = text[start:stop].strip()
            # \mathbf{I} and \bm{I} are the scanner's indicator, like \mathbf{1}
            if name in _FONTS and _ONE_LETTER.fullmatch(one) and not (one == "I" and name in ("mathbf", "bm")):
                begin = text.index(one, start)
                out.add(one, origin[begin : begin + len(one)])
                if one.startswith("\\"):
                    out.space(origin[begin])
                return after
            if name in _VERBATIM:  # prose, or a name: read by the scanner as written
                out.add(text[at:after], origin[at:after])
                return after
            out.add(text[at:end], origin[at:end])  # the scanner reads \mathbf{1} and refuses the rest
            return end
        if name in _ACCENTS:
            start, stop, after = self.argument(text, end, name, origin, at)
            scripted = _SCRIPTED.fullmatch(text, start, stop) if text[start - 1 : start] == "{" else None
            if scripted:
                letter, sub = scripted.group("letter"), scripted.group("sub")
                self.note(f"\\{name}{{{letter}_{sub}}} read as \\{name}{{{letter}}}_{sub}")
                out.add(f"\\{name}{{", origin[at])
                out.add(letter, origin[scripted.start("letter")])
                out.add("}_", origin[scripted.start("sub")])
                out.add(sub, origin[scripted.start("sub") : scripted.end("sub")])
                return after
            out.add(text[at:end], origin[at:end])
            return end
        if name in _CANCELS or name in _BRACES:
            start, stop, after = self.argument(text, end, name, origin, at)
            body = self.markup(text[start:stop], origin[start:stop], depth + 1)
            out.add("{", origin[at])
            out.add(body.text(), body.origin)
            out.add("}", origin[after - 1])
            if name in _BRACES:
                label = _skip_space(text, after)
                if label < len(text) and text[label] in "_^":
                    start, stop, after = self.argument(text, label + 1, name, origin, at)
                    if _RELATION.search(text[start:stop]) or _MATH_IN_TEXT.search(text[start:stop]):
                        raise self.fail(
                            origin[label],
                            f"a relation in the label of \\{name}: it is a claim (write it as a step of its own)",
                        )
            self.note(f"\\{name} read as its body")
            return after
        if name in _INTERTEXT:
            start, stop, after = self.argument(text, end, name, origin, at)
            if _MATH_IN_TEXT.search(text[start:stop]):
                raise self.fail(
                    origin[at], f"an equation inside \\{name}{{...}}: write it outside the text to have it checked"
                )
            if out.ends_with_break():
                out.space(origin[at])
            else:
                out.add("\\\\", origin[at])  # a row break: the prose ends the row before
            return after
        if name in _SIZES:
            rest = _skip_space(text, end)
            bar = _NAME.match(text, rest)
            if text.startswith("|", rest) or bar and bar.group(1) in _BARS:
                raise self.fail(
                    origin[at],
                    f"\\{name}{text[rest] if text[rest] == '|' else bar.group(0)}: an absolute value or a"
                    " norm is not read (expected ( [ \\{ or .)",
                )
        out.add(text[at:end], origin[at:end])
        return end


def _invisible(model: str, colour: str) -> bool:
    """White or transparent, as xcolor names it (``white``, ``white!100``, ``[rgb]{1,1,1}``,
    ``[RGB]{255,255,255}``, ``[gray]{1}``, ``[HTML]{FFFFFF}``...). A colour the document
    defines (\\definecolor) is not known here; black on a dark page is not refused either."""
    colour = re.sub(r"\s+", "", colour).lower()
    model = model.strip()
    if not model:
        return re.fullmatch(r"(white|transparent|none)(!100)?", colour) is not None
    if model.lower() == "html":
        return colour in ("ffffff", "fff")
    try:
        values = [float(part) for part in colour.split(",")]
    except ValueError:
        return False
    white = {"rgb": [1.0] * 3, "RGB": [255.0] * 3, "gray": [1.0], "Gray": [15.0], "cmyk": [0.0] * 4, "cmy": [0.0] * 3}
    return white.get(model) == values


_IN_A_CELL = (
    "an alignment cell (& or \\\\) after a definition in the same block: in TeX a definition holds only in"
    " its cell; derive does not read it (define it outside the alignment)"
)
_SHORT_FRACTION = re.compile(r"\s*([0-9A-Za-z])\s*([0-9A-Za-z])")
_FONT_GROUP = re.compile(r"\{\s*\\(?:rm|bf|it)(?![A-Za-z])\s*([A-Za-z])\s*\}")
_ONE_LETTER = re.compile(r"[A-Za-z]|\\(?:" + "|".join(sorted(GREEK, key=len, reverse=True)) + r")")
_SCRIPTED = re.compile(r"\s*(?P<letter>[A-Za-z])\s*_\s*(?P<sub>\{[A-Za-z0-9, ]+\}|[A-Za-z0-9])\s*")
# e^-x: a sign, then one letter or one digit (a command, or more letters, digits or scripts after it, is refused)
_NEGATIVE_EXPONENT = re.compile(r"\s*(?P<minus>-)\s*(?P<token>\\[A-Za-z]+|[A-Za-z]|[0-9])(?P<next>[A-Za-z0-9_^'{])?")

_GREEK_LETTERS = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ϵ": "epsilon", "ε": "varepsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ϑ": "vartheta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
    "ξ": "xi", "π": "pi", "ρ": "rho", "ϱ": "varrho", "σ": "sigma", "ς": "varsigma", "τ": "tau", "υ": "upsilon",
    "ϕ": "phi", "φ": "varphi", "χ": "chi", "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta",
    "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi", "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}  # fmt: skip
_UNICODE = {
    **{letter: "\\" + name for letter, name in _GREEK_LETTERS.items()},
    "Σ": "\\sum", "∑": "\\sum", "∂": "\\partial", "∇": "\\nabla", "−": "-", "–": "-", "·": "\\cdot", "⋅": "\\cdot",
    "×": "\\times", "∗": "*", "≠": "\\neq", "≤": "\\le", "≥": "\\ge", "≈": "\\approx", "∈": "\\in",
    "∞": "\\infty", "′": "'", "″": "''", "ℓ": "\\ell", "→": "\\to", "⇒": "\\Rightarrow", "\u00a0": " ",
    "\u2009": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ", "\u200a": " ",
}  # fmt: skip
_SUPERSCRIPTS = {
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9",
    "⁻": "-", "⁺": "+", "ᵀ": "T", "ⁱ": "i", "ʲ": "j", "ᵏ": "k", "ⁿ": "n",
}  # fmt: skip
_SUBSCRIPTS = {
    "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8", "₉": "9",
    "ᵢ": "i", "ⱼ": "j", "ₖ": "k", "ₙ": "n", "ₘ": "m", "ₗ": "l", "ₒ": "o", "ₜ": "t", "ₓ": "x", "ₐ": "a",
}  # fmt: skip
_COMBINING = {"\u0302": "hat", "\u0303": "tilde", "\u0304": "bar", "\u0305": "bar"}


def normalise(text: str, macros: dict[str, Macro] | None = None) -> Normalised:
    """The text the scanner reads, with the origin of each of its characters."""
    work = _Normaliser(text, macros or {})
    origin = list(range(len(text)))
    if macros or _DEFINER.search(text):
        expanded = work.expand(text, origin)
        text, origin = expanded.text(), expanded.origin
    if not text.isascii():
        converted = work.unicode(text, origin)
        text, origin = converted.text(), converted.origin
    text, origin = work.over(text, origin)
    marked = work.markup(text, origin)
    return Normalised(marked.text(), marked.origin + [len(work.original)], work.notes)


_TWO_ARGUMENTS = re.compile(r"\\[dt]?frac\s*$")


def _arguments_complete(before: str) -> bool:
    """Whether the text before a ``{}`` ends with a command whose arguments are all there (a
    fraction's two groups, a subscript's or a superscript's group), so that the ``{}`` is an
    empty group standing alone (``\\frac{a}{b}{}``) and not an argument of that command."""
    groups, end = 0, len(before)
    while end > 0 and before[end - 1] == "}":
        depth, start = 0, end
        while start > 0:
            start -= 1
            depth += (before[start] == "}") - (before[start] == "{")
            if depth == 0:
                break
        if depth != 0:
            return False
        groups, end = groups + 1, start
        while end > 0 and before[end - 1] == " ":
            end -= 1
    if groups == 0:
        return False
    head = before[:end]
    if head.endswith(("_", "^")):
        return groups == 1
    return groups == 2 and bool(_TWO_ARGUMENTS.search(head))
