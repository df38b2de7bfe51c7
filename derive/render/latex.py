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

from derive.core import CheckedDerivation, Status, Step, Verdict
from derive.core.vocabulary import as_expression

from .layout import parts
from .written import written_latex

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
            body.append(_align(items))
            # what each step is, in a small paragraph of its own under the display: the rule,
            # the label and the facts used wrap at the line's end instead of running off it
            body.append(
                "\\medskip{\\small\\noindent "
                + "\\quad\n".join(_note(n, step, verdict) for n, step, verdict in items)
                + "\\par}"
            )
        summary = latex_text(_summary(checked))
        unread = [f"{_verbatim(place)}: {_verbatim(reason)}" for place, _source, reason in not_read]
        packages = _packages_for("\n".join(body))
        if self.fragment:
            head = list(_FRAGMENT_HEAD)
            head[0] = head[0].replace("amsmath,amssymb", ",".join(["amsmath", "amssymb", *packages]))
            comments = [_comment(checked.derivation.title), *body, _comment(summary)]
            comments += [_comment(f"not checked: {line}") for line in unread]
            return "\n".join([*head, *comments]) + "\n"
        if unread:
            listing = "\n".join(f"  \\item {line}" for line in unread)
            summary += f"\n\n\\noindent Not checked ({len(unread)}):\n\\begin{{itemize}}\n{listing}\n\\end{{itemize}}"
        return "\n".join(
            [
                r"\documentclass{article}",
                r"\usepackage{amsmath,amssymb}",
                *package_lines(packages),
                r"\usepackage[margin=2cm]{geometry}",
                r"\begin{document}",
                f"\\section*{{{latex_text(checked.derivation.title)}}}",
                *body,
                "",
                r"\medskip\noindent " + summary,
                r"\end{document}",
                "",
            ]
        )


# The packages an author's own LaTeX may need beyond amsmath and amssymb (their steps are set
# as they wrote them).
_PACKAGES = (("xcolor", r"\\(?:color|textcolor|colorbox)(?![A-Za-z])"), ("cancel", r"\\[bx]?cancel(?:to)?(?![A-Za-z])"),
             ("bm", r"\\bm(?![A-Za-z])"))  # fmt: skip


def _packages_for(body: str) -> list[str]:
    return [name for name, pattern in _PACKAGES if re.search(pattern, body)]


def package_lines(packages) -> list[str]:
    """The preamble lines for ``packages``. cancel is not in every small TeX installation
    (Debian's texlive-latex-recommended lacks it): without it a cancelled term is set plain."""
    lines = []
    for name in packages:
        if name == "cancel":
            lines.append(r"\IfFileExists{cancel.sty}{\usepackage{cancel}}{}\providecommand{\cancel}[1]{#1}")
        else:
            lines.append(f"\\usepackage{{{name}}}")
    return lines


def _tag(number: int, verdict: Verdict) -> str:
    """The step's number at the line's end, marked when it does not hold: a cross survives
    black-and-white printing where a colour would not."""
    if verdict.holds:
        return f"\\tag*{{({number})}}"
    if verdict.status is Status.FAILS:
        return f"\\tag*{{$\\boldsymbol{{\\times}}$\\,({number})}}"
    return f"\\tag*{{?\\,({number})}}"


def _align(items) -> str:
    """One align* of the steps as written, each numbered; a failed step's counterexample set
    right under it."""
    lines: list[str] = []
    for at, (number, step, verdict) in enumerate(items):
        left, right = written_latex(step)
        if step.continues and at:
            left = "  "
        elif isinstance(step.previous, sp.MatrixBase):
            # two matrices side by side are wider than a line (so is the column the left one
            # would take in every row): the left alone, every side under it
            left = f"& {left} \\\\\n  "
        else:
            left += " "
        row = f"{left}&= {right} {_tag(number, verdict)}"
        last = at == len(items) - 1
        comment = _places_comment(step, verdict)
        # a comment ends its source line: it goes after the row's \\, never before it
        row += ("" if last else " \\\\") + (f" {comment}" if comment else "")
        if not verdict.holds and not last:
            row += f"\n\\intertext{{{_failure(number, verdict)}}}"  # the counterexample under the step
        lines.append(row)
    block = "\\begin{align*}\n" + "\n".join(lines) + "\n\\end{align*}"
    number, _step, verdict = items[-1]
    if not verdict.holds:
        block += f"\n{{\\noindent {_failure(number, verdict)}\\par}}"
    return block


def _failure(number: int, verdict: Verdict) -> str:
    """Under a failed (or undecided) step: what the core found, with its counterexample."""
    note = f"\\small Step ({number}) {latex_text(verdict.label)}: {latex_text(verdict.reason)}."
    if verdict.counterexample is not None:
        note += " Counterexample: " + counterexample_latex(verdict) + "."
    return note


def _note(number: int, step: Step, verdict: Verdict) -> str:
    """(n) rule --- label; uses ...: the step's entry in the notes under its display."""
    bits = [f"({number})"]
    if step.rule:
        bits.append(latex_text(step.rule))
    if verdict.holds:
        used = ", ".join(f"${h.latex()}$" for h in verdict.needed)
        bits.append(_label(verdict) + (f"; uses {used}" if used else ""))
    else:
        bits.append(r"\textbf{" + _label(verdict) + "}")
    return f"{bits[0]}~" + " --- ".join(bits[1:])


def _summary(checked: CheckedDerivation) -> str:
    from .terminal import summary

    return summary(checked)
