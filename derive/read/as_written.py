"""An expression as its author wrote it: the LaTeX of its span in the author's text (for the
exports) and a Unicode rendering of the author's own syntax tree (for the terminal), in the
author's order and grouping, never SymPy's re-printing of what was read.

Both are shown beside the expression the core checks and never read by it. Where the span
cannot be cut cleanly out of the author's text (a group or a \\left that it would split), or a
node of the tree has no rendering here (cases, matrices), the answer is None and the views
print the checked expression instead.
"""

from __future__ import annotations

import re
import unicodedata

from lark import Token, Tree

__all__ = ["latex_as_written", "unicode_of", "unicode_of_latex"]


class _NoRendering(Exception):
    pass


# -- the author's LaTeX ------------------------------------------------------------------
_LAYOUT = re.compile(
    r"%[^\n]*"  # a comment (derive reads its cites there; a view shows them apart)
    r"|\\(?:tag|label)\*?\s*\{[^{}]*\}"
    r"|\\(?:nonumber|notag)(?![A-Za-z])"
    r"|(?<!\\)&"
    r"|\\\\(?:\[[^\]]*\])?"
)
_DEFINES = re.compile(
    r"\\(?:def|edef|gdef|xdef|let|newcommand|renewcommand|providecommand|DeclareMathOperator)(?![A-Za-z])"
)
_TRAILING = re.compile(r"(?:\s|,|\.|;|\\[,;:!> ]|\\q?quad(?![A-Za-z]))+\Z")
_LEADING = re.compile(r"\A(?:\s|\\[,;:!> ]|\\q?quad(?![A-Za-z]))+")


def latex_as_written(original: str, origin: list[int] | None, start: int, end: int, macros=()) -> str | None:
    """The author's LaTeX for the scanned text's [start, end): from where its first character
    came to where the next scanned character came from, without alignment marks, row breaks,
    tags, labels and comments (layout, not mathematics), spacing collapsed. ``macros``: the
    names of the document's own macros; a span using one is not kept (an export has no
    definition for it)."""
    if origin is None:
        first, stop = start, end
    else:
        if start >= len(origin):
            return None
        first = origin[start]
        stop = origin[end] if end < len(origin) else len(original)
    if not 0 <= first < stop <= len(original):
        return None
    if origin is not None and any(not first <= origin[at] < stop for at in range(start, min(end, len(origin)))):
        return None  # a macro's body came from outside the span (\sq x: the x is inside, the ^2 not)
    if _DEFINES.search(original):
        return None  # a macro defined in this very block: the span shows its name, not its meaning
    text = _LAYOUT.sub(" ", original[first:stop])
    text = _LEADING.sub("", _TRAILING.sub("", text))
    text = re.sub(r"\s+", " ", text).strip()
    if not text or not _balanced(text):
        return None
    for name in macros:
        if re.search(rf"\\{re.escape(name)}(?![A-Za-z])", text):
            return None
    return text


def _balanced(text: str) -> bool:
    """Braces and \\left/\\right pair up, and no environment is cut."""
    depth = 0
    for m in re.finditer(r"\\[{}]|[{}]", text):
        if m.group() == "{":
            depth += 1
        elif m.group() == "}":
            depth -= 1
            if depth < 0:
                return False
    if depth:
        return False
    if len(re.findall(r"\\left(?![A-Za-z])", text)) != len(re.findall(r"\\right(?![A-Za-z])", text)):
        return False
    return "\\begin" not in text and "\\end" not in text


# -- Unicode of the author's tree ------------------------------------------------------------
_SPECIAL = {
    "ell": "ℓ",
    "infty": "∞",
    "cdot": "·",
    "times": "×",
    "ast": "∗",
    "dots": "…",
    "ldots": "…",
    "cdots": "⋯",
    "dotsi": "⋯",
    "dotsb": "⋯",
    "varepsilon": "ε",
    "epsilon": "ϵ",
    "vartheta": "ϑ",
    "varphi": "φ",
    "phi": "ϕ",
    "varsigma": "ς",
    "varrho": "ϱ",
    "varpi": "ϖ",
    "lambda": "λ",
    "top": "ᵀ",
    "intercal": "ᵀ",
    "prime": "′",
    "Lambda": "Λ",
}


def _symbol(value: str) -> str:
    """\\alpha → α, \\mathcal{L} → L, \\hat{y} → ŷ; a plain letter as it is."""
    styled = re.fullmatch(r"\\([A-Za-z]+)\{(.*)\}", value)
    if styled:
        style, inner = styled.groups()
        inner = _symbol(inner)
        marks = {"hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303", "widetilde": "\u0303", "bar": "\u0304"}
        marks |= {"overline": "\u0305", "dot": "\u0307", "ddot": "\u0308", "vec": "\u20d7"}
        return inner + marks[style] if style in marks and len(inner) == 1 else inner
    if not value.startswith("\\"):
        return value
    name = value[1:]
    if name in _SPECIAL:
        return _SPECIAL[name]
    case = "CAPITAL" if name[:1].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    except KeyError:
        return name


_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", _SUPERSCRIPTS)


def _sign(token) -> str:
    """Σ for \\sum, Π for \\prod."""
    return "Π" if "prod" in str(token.value) else "Σ"


def _script(text: str) -> str:
    """A sub- or superscript's body: braced unless it is one or two letters or digits (δ_ij,
    s_12, as derive prints them)."""
    return text if len(text) <= 2 and text.isalnum() else "{" + text + "}"


def _outside_brackets(text: str, characters: str) -> bool:
    """Does one of ``characters`` stand outside every bracket of the text?"""
    depth = 0
    for c in text:
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        elif depth == 0 and c in characters:
            return True
    return False


def _loose(text: str) -> bool:
    """Does the text need parentheses as a numerator or a denominator?"""
    return _outside_brackets(text, " +−-·/")


def _divides(text: str) -> bool:
    """Is there a '/' outside every bracket of the text (a fraction written on one line)?"""
    return _outside_brackets(text, "/")


_ATOM = re.compile(r"(?:\d+|[∂∇]?[^\W\d_][\u0300-\u036f\u20d7]*′*)(?:[_^](?:\{[^{}]*\}|[^\W_]{1,2})|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|′)*")


def _atomic(text: str) -> bool:
    """One symbol with its scripts (s_k, e^{z_j}, ŷ_{n,k}, 12) or one bracketed group: nothing
    a reader could take as a product (p(1 − p), s_i s_j, 2x)."""
    return _one_group(text) or _ATOM.fullmatch(text) is not None


def _is_mulop(child) -> bool:
    """\\cdot or / after an operator's group: the operator is of the group alone."""
    return isinstance(child, Tree) and child.data in ("mulop", "mulop_negated")


def _operator_on_the_rest(child):
    """The ∂/∂x applied to a factor (partial_apply) that ``child`` is, if it is one."""
    if isinstance(child, Tree) and child.data == "factor" and len(child.children) == 1:
        child = child.children[0]
    if isinstance(child, Tree) and child.data == "partial_apply":
        return child
    return None


def _one_group(text: str) -> bool:
    """Is the whole text one bracketed group, "(a + b)" (not "(a)(b)")?"""
    if not text.startswith("("):
        return False
    depth = 0
    for at, c in enumerate(text):
        depth += c in "({[" and 1 or c in ")}]" and -1 or 0
        if depth == 0:
            return at == len(text) - 1
    return False


class _Shown:
    def __init__(self, text: str):
        self.text = text  # the scanned text the tree's positions point into

    def node(self, node) -> str:
        if isinstance(node, Token):
            return self.token(node)
        method = getattr(self, "_" + node.data, None)
        if method is None:
            raise _NoRendering(node.data)
        return method(node)

    def token(self, token: Token) -> str:
        kind, value = token.type, str(token.value)
        if kind in ("LETTER", "SYMBOL"):
            return _symbol(value)
        if kind in ("INT", "DECIMAL"):
            return value
        if kind == "PLUS":
            return "+"
        if kind == "MINUS":
            return "−"
        if kind == "EQ":
            return "="
        if kind == "NEQ":
            return "≠"
        raise _NoRendering(kind)

    def children(self, node) -> list[str]:
        return [self.node(c) for c in node.children]

    # expressions
    def _link(self, node):
        return self.node(node.children[0])

    _expression = _link

    def _expr(self, node):
        out = self.node(node.children[0])
        rest = node.children[1:]
        for op, term in zip(rest[::2], rest[1::2]):
            out += f" {self.node(op)} {self.node(term)}"
        return out

    def _signed(self, node):
        if len(node.children) == 2:
            return self.node(node.children[0]) + self.node(node.children[1])
        return self.node(node.children[0])

    def _addop(self, node):
        return self.node(node.children[0])

    def _mulop(self, node):
        value = str(node.children[0].value)
        return "/" if value == "/" else "·"

    def _mulop_negated(self, node):
        return self._mulop(node) + "−"

    def _term(self, node):
        out = ""
        previous_op = True
        several = len(node.children) > 1
        for at, child in enumerate(node.children):
            operator = _operator_on_the_rest(child)
            following = node.children[at + 1] if at + 1 < len(node.children) else None
            if operator is not None and following is not None and not _is_mulop(following):
                # ∂/∂z_j s_i s_j: derive reads the operator as applied to the whole product
                # after it, and says so; shown with that grouping
                rest = Tree("term", [operator.children[1], *node.children[at + 1 :]])
                piece = f"{self.node(operator.children[0])} ({self._term(rest)})"
                out += ("" if previous_op else " ") + piece
                break
            if isinstance(child, Tree) and child.data in ("mulop", "mulop_negated"):
                out += self.node(child)
                previous_op = True
                continue
            piece = self.node(child)
            if several and _divides(piece):
                piece = f"({piece})"  # ∂L/∂s_k ∂s_k/∂z_i would read as one fraction
            tight = piece.startswith(("(", "{")) or (out[-1:].isdigit() and piece[:1].isalpha())
            if not previous_op and not tight:
                out += " "
            out += piece
            previous_op = False
        return out

    def _ellipsis(self, node):
        return "…"

    def _sum(self, node):
        sign, *scripts, body = node.children
        out = _sign(sign)
        for script in scripts:  # Σ_k, Σ_{k=1}^{K}: an upper limit braced, as derive prints it
            shown = self.node(script)
            upper = shown.startswith("^") and shown[1:2] != "{"
            out += f"^{{{shown[1:]}}}" if upper else shown
        return out + " " + self.node(body)

    def _bare_sum(self, node):
        sign, body = node.children
        return _sign(sign) + " " + self.node(body)

    def _partial_tail(self, node):
        operand = self.node(node.children[1])
        if (" " in operand or _divides(operand)) and not _one_group(operand):
            operand = f"({operand})"  # ∂/∂z_j (e^{z_i}/S): where the operand ends
        return self.node(node.children[0]) + " " + operand

    _partial_apply = _partial_tail

    def _dop(self, node):
        *_, variable = node.children
        return f"∂/∂{self.node(variable)}"

    def _factor(self, node):
        base, *scripts = self.children(node)
        if any(script.startswith(("^", *_SUPERSCRIPTS)) for script in scripts) and not _atomic(base):
            base = f"({base})"  # \frac{a}{b}^2: the power is the fraction's
        return base + "".join(scripts)

    def _letter(self, node):
        return self.node(node.children[0])

    _number = _letter
    _decimal = _letter

    def _bbone(self, node):
        value = str(node.children[0].value)
        inner = re.search(r"\{(.*)\}", value)
        letter = inner.group(1) if inner else value
        return {"E": "𝔼", "R": "ℝ"}.get(letter, letter)  # \mathbb{1}{i=j} as 1{i=j}, as derive prints it

    def _bracketed(self, node, inner: str) -> str:
        opening = self.text[node.meta.start_pos :] if not node.meta.empty else ""
        opening = re.sub(r"\A\\(?:left|bigl|Bigl|biggl|Biggl|big|Big|bigg|Bigg)(?![A-Za-z])\s*", "", opening)
        if opening.startswith("["):
            return f"[{inner}]"
        if opening.startswith("\\{"):
            return "{" + inner + "}"
        if opening.startswith("{"):
            return inner  # a TeX group: grouping, no mark on the page
        return f"({inner})"

    def _paren(self, node):
        return self._bracketed(node, self.node(node.children[0]))

    def _arguments(self, node):
        inner = ", ".join(self.node(c) for c in node.children if isinstance(c, Tree))
        return f"({inner})"

    def _condition(self, node):
        return self._bracketed(node, self.node(node.children[0]))

    def _cond(self, node):
        return "".join(self.children(node))  # 1{i=j}

    def _primed_expression(self, node):
        inner = self.node(node.children[0])
        if isinstance(node.children[0], Token):
            return inner + "′"
        return self._bracketed(node, inner) + "′"

    def _frac(self, node):
        _, top, bottom = node.children
        top, bottom = self.node(top), self.node(bottom)
        if top.startswith("d ") and bottom.startswith("d"):  # d x²/dx, written \frac{d x^2}{dx}
            rest = top[2:]
            top = "d" + (rest if re.fullmatch(r"[^\W\d_]", rest) else f"({rest})")
            bottom = "d" + bottom[1:].lstrip()
            return f"{top}/{bottom}"
        elif _loose(top) and not (top.startswith("∂") and not re.search(r" [+−/·] ", top)):
            top = f"({top})"  # ∂ log s_k/∂z_i stays: a differential over another
        if _loose(bottom) or not _atomic(bottom):  # 1/(p(1 − p)), not 1/p(1 − p)
            bottom = f"({bottom})"
        return f"{top}/{bottom}"

    def _name(self, node):
        value = str(node.children[0].value)
        styled = re.fullmatch(r"\\[A-Za-z]+\{(.*)\}", value)
        return styled.group(1) if styled else value.lstrip("\\")

    def _opaque(self, node):
        return str(node.children[0].value).split(" (", 1)[0]

    def _primed(self, node):
        base = node.children[0]
        shown = self._name(node) if base.type == "NAME" else self.node(base)
        return shown + "′"

    def _differential(self, node):
        body = self.node(node.children[1])
        return "∂" + (f" {body}" if " " in body or len(body) > 1 and body[:2].isalpha() else body)

    def _partial_sub(self, node):
        return "∂" + self.node(node.children[1])

    def _nabla(self, node):
        return "∇" + self.node(node.children[1])

    def _function(self, node):
        name = str(node.children[0].value).lstrip("\\")
        argument = self.node(node.children[1])
        if _one_group(argument):
            return name + argument
        if not _atomic(argument):
            return f"{name}({argument})"  # log(1/(1 + e^{−x})), never log 1/(1 + e^{−x})
        return f"{name} {argument}"

    def _function_power(self, node):
        name = str(node.children[0].value).lstrip("\\")
        power = self.node(node.children[1])
        argument = self.node(node.children[2])
        if _one_group(argument):
            return name + power + argument
        if not _atomic(argument):
            return f"{name}{power}({argument})"
        return f"{name}{power} {argument}"

    def _function_prime(self, node):
        name = str(node.children[0].value).lstrip("\\")
        argument = self.node(node.children[2])
        return f"{name}′{argument}" if _one_group(argument) else f"{name}′({argument})"

    def _function_sub(self, node):
        name = str(node.children[0].value).lstrip("\\")
        return f"{name}{self.node(node.children[1])} {self.node(node.children[2])}"

    # scripts
    def _subscript(self, node):
        return "_" + _script("".join(self.children(node)))

    def _sub_equal(self, node):
        a, _, b = node.children
        return "_{" + f"{self.node(a)}={self.node(b)}" + "}"

    def _sub_except(self, node):
        a, _, b = node.children
        return "_{" + f"{self.node(a)}≠{self.node(b)}" + "}"

    def _sub_in(self, node):
        a, _, b = node.children
        return "_{" + f"{self.node(a)}∈{self.node(b)}" + "}"

    def _sub_condition(self, node):
        return "_{" + self.node(node.children[0]) + "}"

    def _slots(self, node):
        return ",".join(self.node(c) for c in node.children if isinstance(c, Tree))

    def _slot(self, node):
        return "".join(self.children(node))

    def _sub_atom(self, node):
        return self.node(node.children[0])

    def _nested_index(self, node):
        return "".join(self.children(node))

    def _superscript(self, node):
        body = "".join(self.children(node))
        if body.isdigit():
            return body.translate(_SUPERSCRIPT_DIGITS)
        return "^" + (body if len(body) == 1 else "{" + body + "}")  # e^{2x}, never e^2x


def unicode_of(link: Tree, text: str) -> str | None:
    """The link's tree as one line of Unicode (None where a node has no rendering here)."""
    try:
        return _Shown(text).node(link)
    except (_NoRendering, AttributeError, IndexError, ValueError):
        return None


def unicode_of_latex(text: str) -> str | None:
    """One expression's LaTeX as one line of Unicode (None where it does not parse)."""
    from lark.exceptions import LarkError

    from .grammar import PARSER
    from .latex_tokens import MathSyntaxError, scan

    try:
        found = scan(text)
        tree = PARSER.parse(found.tokens, start="expression")
    except (MathSyntaxError, LarkError):  # a view falls back to derive's own printing
        return None
    return unicode_of(tree.children[0], found.text)
