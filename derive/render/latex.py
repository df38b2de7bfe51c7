"""A checked derivation as LaTeX: a standalone amsmath document, or an ``align*`` fragment
to paste into a paper.

Expressions are printed in the derivation's notation (s_i, z_j, δ_ij, Σ_{k=1}^{K}, 1{i=j})
by a :class:`~sympy.printing.latex.LatexPrinter` that knows derive's vocabulary. Each step
is one equation line; its rule, the hypotheses it used and the core's label are the line's
annotation, and a failed step carries its counterexample. The renderer reads a
:class:`~derive.core.CheckedDerivation` and nothing else.
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.printing.latex import LatexPrinter

from derive.core import CheckedDerivation, Step, Verdict
from derive.core.vocabulary import as_expression

from .layout import parts

__all__ = ["LatexExport", "latex_text", "to_latex"]


class DeriveLatexPrinter(LatexPrinter):
    # The core's classes carry no printing of their own for LaTeX; a private method name
    # keeps SymPy from picking up anything but the _print_<Class> methods below.
    printmethod = "_derive_latex"

    def __init__(self):
        super().__init__({"mat_str": "pmatrix", "mat_delim": "", "mul_symbol": None})
        self._in_matrix = False

    def _print_MatrixBase(self, expr):
        self._in_matrix = True
        try:
            return super()._print_MatrixBase(expr)
        finally:
            self._in_matrix = False

    def _print_DecimalNumber(self, expr, exp=None):
        return f"{expr.written}^{{{exp}}}" if exp else expr.written

    def _print_Indexed(self, expr):
        base = self._print(expr.base.label)
        subscripts = ",".join(self._print(i) for i in expr.indices)
        return f"{base}_{{{subscripts}}}"

    def _print_KroneckerDelta(self, expr, exp=None):
        a, b = (self._print(x) for x in expr.args)
        text = f"\\delta_{{{a}{b}}}" if len(a) == len(b) == 1 else f"\\delta_{{{a},{b}}}"
        return f"{text}^{{{exp}}}" if exp else text

    def _print_Indicator(self, expr, exp=None):
        a, b = (self._print(x) for x in expr.args)
        # \mathbf{1}: amssymb's \mathbb has no blackboard 1 (it prints a stray glyph).
        return f"\\mathbf{{1}}\\{{{a} = {b}\\}}"

    def _print_Partial(self, expr, exp=None):
        body, variable = expr.args
        var = self._print(variable)
        if isinstance(body, (sp.Symbol, sp.Indexed)) and self._in_matrix:
            text = f"\\partial {self._print(body)}/\\partial {var}"  # stacked fractions crowd a matrix
        elif isinstance(body, (sp.Symbol, sp.Indexed)):
            text = f"\\frac{{\\partial {self._print(body)}}}{{\\partial {var}}}"
        else:
            text = f"\\frac{{\\partial}}{{\\partial {var}}}\\left({self._print(body)}\\right)"
        return f"\\left({text}\\right)^{{{exp}}}" if exp else text

    def _print_SumExcept(self, expr, exp=None):
        body, bound, _upper, excluded = expr.args
        inner = self._print(body)
        if isinstance(body, sp.Add) or inner.lstrip().startswith("-"):
            inner = f"\\left({inner}\\right)"
        text = f"\\sum_{{{self._print(bound)} \\neq {self._print(excluded)}}} {inner}"
        return f"\\left({text}\\right)^{{{exp}}}" if exp else text

    def _print_Sum(self, expr):
        # One sign per index, outermost first, as people write Σ_n Σ_k.
        text = self._print(expr.function)
        if isinstance(expr.function, sp.Add) or text.lstrip().startswith("-"):
            text = f"\\left({text}\\right)"
        for k, lo, hi in expr.limits:
            text = f"\\sum_{{{self._print(k)}={self._print(lo)}}}^{{{self._print(hi)}}} {text}"
        return text

    def _print_log(self, expr, exp=None):
        (argument,) = expr.args
        if isinstance(argument, (sp.Symbol, sp.Indexed)):
            text = f"\\log({self._print(argument)})"  # log(s_k) y_k, never log s_k y_k
        else:
            text = f"\\log\\left({self._print(argument)}\\right)"
        return f"\\left({text}\\right)^{{{exp}}}" if exp else text

    def _print_Sigmoid(self, expr, exp=None):
        text = f"\\sigma\\left({self._print(expr.args[0])}\\right)"
        return f"{text}^{{{exp}}}" if exp else text

    def _print_Symbol(self, expr, style="plain"):
        if expr.name == "L":
            return "L"
        return super()._print_Symbol(expr, style)


_PRINTER = DeriveLatexPrinter()


def to_latex(expr) -> str:
    """An expression of the core's vocabulary as LaTeX math.

    >>> from derive.core import Partial, indices, softmax_notation
    >>> nt = softmax_notation()
    >>> i, j = indices("i j")
    >>> to_latex(Partial(nt.softmax[i], nt.logits[j]))
    '\\\\frac{\\\\partial s_{i}}{\\\\partial z_{j}}'
    """
    return _PRINTER.doprint(as_expression(expr))


# -- prose with a little mathematics in it (rules, titles) --------------------------------

_MATH_CHARS = {
    "∂": r"\partial ",
    "Σ": r"\sum ",
    "δ": r"\delta ",
    "ε": r"\varepsilon ",
    "σ": r"\sigma ",
    "∇": r"\nabla ",
    "≠": r"\neq ",
    "≤": r"\leq ",
    "≥": r"\geq ",
    "−": "-",
    "·": r"\cdot ",
    "×": r"\times ",
    "ᵀ": r"^{\top}",
    "²": "^{2}",
    "→": r"\to ",
    "′": "'",
    "ŷ": r"\hat{y}",
    "≈": r"\approx ",
    "∈": r"\in ",
    "…": r"\ldots ",
}
_TEXT_SPECIALS = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\~{}",
    "^": r"\^{}",
    "\\": r"\textbackslash{}",
}
_MATHY = re.compile(r"[_^{}=<>+/]|[∂Σδεσ∇≠≤≥−·×ᵀ²→′ŷ≈∈…]")


_MATH_WORDS = {"log": r"\log", "exp": r"\exp", "ln": r"\ln"}


def _math_word(word: str) -> str:
    if word in _MATH_WORDS:
        return _MATH_WORDS[word]
    text = "".join(_MATH_CHARS.get(ch, ch) for ch in word)
    text = re.sub(r"1\{([^{}]*)\}", r"\\mathbf{1}\\{\1\\}", text)  # 1{i=j}
    text = re.sub(r"^(diag|softmax)\(", r"\\operatorname{\1}(", text)
    text = re.sub(r"_([A-Za-z0-9]{2,})", r"_{\1}", text)  # δ_ki: both letters are the subscript
    return text


# The commands a word of prose may hold and still be set as mathematics: the mathematics of a
# rule or a heading. Any other (\input, \write18, \def) is set as text, never run.
_SAFE_COMMANDS = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi rho sigma "
    "varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega "
    "frac dfrac tfrac partial nabla sum prod log ln exp cdot times neq ne le leq ge geq approx propto in to "
    "mathbf mathrm mathcal mathbb boldsymbol bm hat bar tilde vec text operatorname left right top intercal "
    "sqrt infty ldots cdots dots delta_ mid quad qquad displaystyle textstyle".split()
)


def _is_math(word: str) -> bool:
    if any(command not in _SAFE_COMMANDS for command in re.findall(r"\\([A-Za-z]+)", word)):
        return False  # set as text, its backslashes escaped
    if "^^" in word or any(c in word for c in "%#$&~"):
        return False  # TeX reads ^^5c as a backslash, % as a comment: text, escaped
    if re.match(r"^(diag|softmax|log|exp)\(.*\)$", word):
        return True
    return bool(_MATHY.search(word)) or word in _MATH_WORDS or (len(word) == 1 and word.isalnum() and word not in "aAI")


def latex_text(prose: str) -> str:
    """Prose such as a rule ("quotient rule; ∂e^{z_i}/∂z_j = 0 when i ≠ j") as LaTeX text
    mode: words stay words, and each run of words with mathematics in it becomes one piece
    of inline math."""
    pieces: list[tuple[bool, str]] = []  # (is math, text)
    for token in prose.split():
        core, trail = token, ""
        while core and core[-1] in ",;:.":
            core, trail = core[:-1], core[-1] + trail
        if core and _is_math(core):
            if pieces and pieces[-1][0] and not pieces[-1][1].endswith((",", ";", ":", ".")):
                pieces[-1] = (True, pieces[-1][1] + " " + _math_word(core))
            else:
                pieces.append((True, _math_word(core)))
            if trail:
                pieces.append((False, trail))
        else:
            pieces.append((False, "".join(_TEXT_SPECIALS.get(ch, ch) for ch in token)))
    out = []
    for n, (is_math, text) in enumerate(pieces):
        if n and not (not is_math and text in (",", ";", ":", ".")):
            out.append(" ")
        out.append(f"${text}$" if is_math else text)
    return "".join(out).replace(" ,", ",")


# -- verdicts --------------------------------------------------------------------------


def _label(verdict: Verdict) -> str:
    """The core's label, in LaTeX; never stronger than verdict.label."""
    return latex_text(verdict.label.replace("K ≤", "K≤").replace("N ≤", "N≤"))


def _value(text: str) -> str:
    if text.startswith("≈"):
        return r"\approx " + text[1:].strip().replace("-", "-")
    if "/" in text:
        numerator, denominator = text.split("/")
        sign = "-" if numerator.startswith("-") else ""
        return f"{sign}\\tfrac{{{numerator.lstrip('-')}}}{{{denominator}}}"
    return text


def counterexample_latex(verdict: Verdict) -> str:
    c = verdict.counterexample
    if c is None:
        return ""
    parts = [f"{c.count_name} = {c.classes}"] if c.classes is not None else []
    if c.examples is not None:
        parts.append(f"N = {c.examples}")
    parts += [f"{name} = {value}" for name, value in c.indices]
    inputs = [f"{latex} = {_value(value)}" for _, latex, value in c.inputs]
    separator = ",\\ "
    where = "; ".join(f"${separator.join(group)}$" for group in (parts, inputs) if group)
    sides = f"left side ${_value(c.left)}$, right side ${_value(c.right)}$"
    return f"{where}: {sides}" if where else sides  # a claim with no variable: its sides alone


def _annotation(number: int, step: Step, verdict: Verdict) -> str:
    """What the page shows beside a step: its number, the author's rule and the verdict. Where
    the step and its facts were written goes into the source (:func:`_places_comment`): a
    file's path on every line pushed the verdicts off the page."""
    bits = [f"({number})"]
    if step.rule:
        bits.append(latex_text(step.rule))
    if verdict.holds:
        used = ", ".join(f"${h.latex()}$" for h in verdict.needed)
        bits.append(f"[{_label(verdict)}" + (f"; uses {used}" if used else "") + "]")
    else:
        bits.append(r"[\textbf{" + _label(verdict) + "}]")
    return r"\text{\small " + " ".join(bits) + "}"


def _places_comment(step: Step, verdict: Verdict) -> str:
    """A LaTeX comment with where the step was written and where each fact it used was
    stated ("% notes.md:14:3; y one-hot stated at notes.md:5:12"), or nothing (a built-in)."""
    stated = dict(zip(step.standing, step.stated_at))
    places = [step.where] if step.where else []
    places += [f"{h} stated at {stated[h]}" for h in verdict.needed if stated.get(h)]
    return _comment("; ".join(places)) if places else ""


def _comment(text: str) -> str:
    """A LaTeX comment of one line, whatever ``text`` holds: a line break in a title or a file's
    name would end the comment and set the rest (a Setext title's second line, \\def...)."""
    return "% " + " ".join(text.splitlines())  # every line break Python knows, as Markdown's _text


def _verbatim(text: str) -> str:
    """Text as LaTeX text mode, every special character escaped (a place, a reason)."""
    special = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
               "_": r"\_", "%": r"\%", "^": r"\^{}", "~": r"\~{}"}  # fmt: skip
    # A place or a reason may hold any character of the author's file: what pdflatex's
    # default fonts lack is shown as its code point rather than stopping the document.
    return "".join(special.get(c, c) if c.isascii() else f"[U+{ord(c):04X}]" for c in text)


# What a fragment needs of the document it is pasted into. Everything it sets is grouped
# (align* environments, \text{...}, {\small ...\par}) or plain text, so that the author's text
# after it is set exactly as before.
_FRAGMENT_HEAD = (
    "% derive --fragment: needs \\usepackage{amsmath,amssymb} in the preamble;",
    "% every size or font change it makes is grouped.",
)


class LatexExport:
    """A standalone amsmath document, or (``fragment=True``) the ``align*`` blocks alone."""

    def __init__(self, fragment: bool = False):
        self.fragment = fragment

    def render(self, checked: CheckedDerivation, not_read=()) -> str:
        body = []
        for part in parts(checked):
            heading = part.heading
            items = [(item.number, item.step, item.verdict) for item in part.steps]
            if heading and not self.fragment:
                body.append(f"\\subsection*{{{latex_text(heading)}}}")
            assumed = [h.latex() for h in part.assumed]
            if assumed:  # in a fragment too: a reader of the paper must see what a step assumes
                body.append("Assume " + ", ".join(f"${h}$" for h in assumed) + ".\\par")
            body.extend(self._aligns(items))
            for number, _step, verdict in items:
                if not verdict.holds:
                    note = f"Step ({number}) {latex_text(verdict.label)}: {latex_text(verdict.reason)}."
                    if verdict.counterexample is not None:
                        note += " Counterexample: " + counterexample_latex(verdict) + "."
                    body.append(note + "\\par")
        summary = latex_text(_summary(checked))
        unread = [f"{_verbatim(place)}: {_verbatim(reason)}" for place, _source, reason in not_read]
        if self.fragment:
            comments = [_comment(checked.derivation.title), *body, _comment(summary)]
            comments += [_comment(f"not checked: {line}") for line in unread]
            return "\n".join([*_FRAGMENT_HEAD, *comments]) + "\n"
        if unread:
            listing = "\n".join(f"  \\item {line}" for line in unread)
            summary += f"\n\n\\noindent Not checked ({len(unread)}):\n\\begin{{itemize}}\n{listing}\n\\end{{itemize}}"
        return "\n".join(
            [
                r"\documentclass{article}",
                r"\usepackage{amsmath,amssymb}",
                r"\usepackage[margin=2cm]{geometry}",
                r"\begin{document}",
                f"\\section*{{{latex_text(checked.derivation.title)}}}",
                *body,
                "",
                r"\noindent " + summary,
                r"\end{document}",
                "",
            ]
        )

    def _aligns(self, items) -> list[str]:
        """align* blocks for the steps; a step between matrices fills the width, so its note
        is a line of its own above an align* of its own."""
        blocks, run = [], []
        for item in items:
            number, step, verdict = item
            if isinstance(step.next, sp.MatrixBase):
                if run:
                    blocks.append(self._align(run))
                    run = []
                note = _annotation(number, step, verdict)[len("\\text{") : -1]
                left = "" if step.continues else to_latex(step.previous)
                # grouped: the note's \small must not shrink what follows (in the author's paper too)
                comment = _places_comment(step, verdict)
                blocks.append(
                    f"{{\\noindent {note}\\par}}"
                    + (f" {comment}" if comment else "")
                    + f"\n\\begin{{align*}}\n{left} &= {to_latex(step.next)}\n\\end{{align*}}"
                )
            else:
                run.append(item)
        if run:
            blocks.append(self._align(run))
        return blocks

    def _align(self, items) -> str:
        rows = []
        for number, step, verdict in items:
            right = to_latex(step.next)
            annotation = _annotation(number, step, verdict)
            left = "  " if step.continues and rows else to_latex(step.previous) + " "
            rows.append((f"{left}&= {right} && {annotation}", _places_comment(step, verdict)))
        # a comment ends its source line: it goes after the row's \\, never before it
        lines = [
            row + (" \\\\" if n < len(rows) - 1 else "") + (f" {comment}" if comment else "")
            for n, (row, comment) in enumerate(rows)
        ]
        return "\\begin{align*}\n" + "\n".join(lines) + "\n\\end{align*}"


def _summary(checked: CheckedDerivation) -> str:
    from .terminal import summary

    return summary(checked)
