"""Core expressions as readable one-line Unicode math, in the derivation's own notation.

The printer shows what a person would write on paper (``∂s_i/∂z_j``, ``s_i(δ_ij − s_j)``,
``Σ_{k=1}^{K} e^{z_k}``), never SymPy's internals (``Indexed``, ``KroneckerDelta``,
``Sum(``). It only prints: it never simplifies or reorders anything beyond the order in
which the terms of a sum or the factors of a product are written.

>>> import sympy as sp
>>> from derive.core import Partial, indices, softmax_notation
>>> nt = softmax_notation()
>>> s, z = nt.softmax, nt.logits
>>> i, j = indices("i j")
>>> to_text(Partial(s[i], z[j]))
'∂s_i/∂z_j'
>>> to_text(s[i] * (sp.KroneckerDelta(i, j) - s[j]))
's_i(δ_ij − s_j)'
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.pretty.pretty_symbology import pretty_symbol
from sympy.printing.str import StrPrinter

from derive.core.vocabulary import as_expression

__all__ = ["TextPrinter", "to_text"]

MINUS = "\u2212"  # "−": a real minus sign, not a hyphen
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _is_atom_like(expr) -> bool:
    """Printed without parentheses wherever it appears (s_i, K, 3, e^{z_i})."""
    return isinstance(expr, (sp.Symbol, sp.Indexed, sp.exp)) or (expr.is_Integer and expr >= 0)


def _parenthesised(text: str) -> str:
    """``(text)``, unless one pair of parentheses already encloses all of it."""
    if text.startswith("(") and text.endswith(")"):
        depth = 0
        for position, ch in enumerate(text):
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if depth == 0 and position < len(text) - 1:
                break
        else:
            return text
    return f"({text})"


def _is_sum(expr) -> bool:
    """A sum sign whose body runs to the right: it must come last or be parenthesised."""
    from derive.core import SumExcept

    return isinstance(expr, (sp.Sum, SumExcept))


_SCRIPT_LETTERS = {"ell": "ℓ"}  # \ell, which SymPy's pretty symbols leave as a word


class TextPrinter(StrPrinter):
    """A :class:`~sympy.printing.str.StrPrinter` for derive's vocabulary."""

    # The core's classes define ``_sympystr`` (SymPy's own str form); a different method
    # name makes the printer use the ``_print_<Class>`` methods below instead.
    printmethod = "_derive_text"

    # -- atoms ---------------------------------------------------------------------------

    def _print_Symbol(self, expr):
        # Greek names and accents as people write them: epsilon → ε, yhat → ŷ, Sigma_C → Σ_C.
        base, underscore, rest = expr.name.partition("_")
        if base.isalpha() and (not underscore or rest.isalnum()):
            return (_SCRIPT_LETTERS.get(base) or pretty_symbol(base)) + underscore + rest
        return expr.name

    def _print_Sigmoid(self, expr):
        return f"σ({self._print(expr.args[0])})"

    def _print_Exp1(self, expr):
        return "e"  # e^{1}, which SymPy folds into its constant E

    def _print_DecimalNumber(self, expr):
        return expr.written  # the digits as written: 0.750 keeps its last 0

    def _print_Integer(self, expr):
        return f"{MINUS}{-expr.p}" if expr.p < 0 else str(expr.p)

    def _print_Rational(self, expr):
        sign = MINUS if expr.p < 0 else ""
        return f"{sign}{abs(expr.p)}/{expr.q}"

    def _print_Float(self, expr):
        return super()._print_Float(expr).replace("-", MINUS)

    def _print_Indexed(self, expr):
        base = self._print(expr.base.label)
        subscripts = [self._print(x) for x in expr.indices]
        if len(subscripts) == 1 and len(subscripts[0]) == 1:
            return f"{base}_{subscripts[0]}"
        return f"{base}_{{{','.join(subscripts)}}}"

    def _print_IndexedBase(self, expr):
        return self._print(expr.label)

    # -- functions -----------------------------------------------------------------------

    def _print_exp(self, expr):
        return f"e^{{{self._print(expr.args[0])}}}"

    def _print_log(self, expr):
        (argument,) = expr.args
        if isinstance(argument, (sp.Symbol, sp.Indexed)):
            return f"log {self._print(argument)}"
        return f"log({self._print(argument)})"

    def _print_KroneckerDelta(self, expr):
        # A third argument (the range of both indices) is a proof detail, not notation.
        a, b = (self._print(x) for x in expr.args[:2])
        if len(a) == 1 and len(b) == 1:
            return f"δ_{a}{b}"
        return f"δ_{{{a},{b}}}"

    def _print_Indicator(self, expr):
        a, b = (self._print(x) for x in expr.args)
        return f"1{{{a}={b}}}"

    def _print_Partial(self, expr):
        numerator, variable = expr.args
        if isinstance(numerator, (sp.Symbol, sp.Indexed)):
            return f"∂{self._print(numerator)}/∂{self._print(variable)}"
        return f"∂/∂{self._print(variable)} ({self._print(numerator)})"

    def _print_Function(self, expr):
        return f"{expr.func.__name__}({', '.join(self._print(a) for a in expr.args)})"

    # -- sums ----------------------------------------------------------------------------

    def _body(self, body) -> str:
        text = self._print(body)
        return f"({text})" if isinstance(body, sp.Add) else text

    def _print_Sum(self, expr):
        # SymPy merges nested sums into one Sum whose limits run innermost first.
        signs = [
            f"Σ_{{{self._print(k)}={self._print(lower)}}}^{{{self._print(upper)}}}"
            for k, lower, upper in reversed(expr.limits)
        ]
        return f"{' '.join(signs)} {self._body(expr.function)}"

    def _print_SumExcept(self, expr):
        body, bound, _upper, excluded = expr.args
        return f"Σ_{{{self._print(bound)}≠{self._print(excluded)}}} {self._body(body)}"

    def _print_Add(self, expr, order=None):
        terms = list(self._as_ordered_terms(expr, order=order))
        # Lead with a positive term when there is one: s_i − s_i², not −s_i² + s_i.
        if _negative(terms[0]):
            first_positive = next((t for t in terms if not _negative(t)), None)
            if first_positive is not None:
                terms.remove(first_positive)
                terms.insert(0, first_positive)
        pieces = []
        for position, term in enumerate(terms):
            if _negative(term):
                text = self._print(-term)
                if isinstance(-term, sp.Add):
                    text = f"({text})"
                pieces.append(f"{MINUS}{text}" if position == 0 else f" {MINUS} {text}")
            else:
                pieces.append(self._print(term) if position == 0 else f" + {self._print(term)}")
        return "".join(pieces)

    # -- products, quotients, powers -----------------------------------------------------

    def _factor(self, factor, alone: bool, last: bool) -> str:
        """One factor of a product, parenthesised where juxtaposition would misread."""
        text = self._print(factor)
        if isinstance(factor, sp.Add):
            return f"({text})"
        if alone:
            return text
        if _is_sum(factor) and not last:
            return f"({text})"
        if _partial_needs_parentheses(factor):
            return f"({text})"
        # A product kept as written (Mul(..., evaluate=False)) nests: (−y_k/s_k)·s_k.
        if isinstance(factor, sp.Mul) and (text.startswith(MINUS) or "/" in text):
            return f"({text})"
        if factor.is_Number and text.startswith(MINUS):
            return f"({text})"
        return text

    def _product(self, factors, fraction: bool = False) -> str:
        factors = sorted(factors, key=_factor_rank)  # stable: SymPy's order within a rank
        alone = len(factors) == 1 and not fraction
        texts = [self._factor(factor, alone, position == len(factors) - 1) for position, factor in enumerate(factors)]
        out = texts[0] if texts else ""
        for previous, text in zip(factors, texts[1:]):
            juxtapose = text.startswith("(") or (previous.is_Integer and not text[0].isdigit())
            out += text if juxtapose else f"·{text}"
        return out

    def _print_Mul(self, expr):
        coefficient, factors = expr.as_coeff_mul()
        sign = ""
        if coefficient.is_negative:
            sign, coefficient = MINUS, -coefficient
        numerator, denominator = [], []
        if coefficient != 1:
            if coefficient.is_Rational:
                if coefficient.p != 1:
                    numerator.append(sp.Integer(coefficient.p))
                if coefficient.q != 1:
                    denominator.append(sp.Integer(coefficient.q))
            else:
                numerator.append(coefficient)
        for factor in factors:
            if isinstance(factor, sp.Pow) and factor.exp.is_Rational and factor.exp.is_negative:
                denominator.append(factor.base if factor.exp == -1 else sp.Pow(factor.base, -factor.exp))
            else:
                numerator.append(factor)
        if not denominator:
            return sign + self._product(numerator)
        under = self._product(denominator, fraction=True)
        if len(denominator) > 1 or not (_is_atom_like(denominator[0]) or isinstance(denominator[0], sp.Pow)):
            under = _parenthesised(under)
        sums = [f for f in numerator if _is_sum(f)]
        if sums:
            # "Σ ... /N" would read as part of the sum's body: write (1/N)·Σ ... instead.
            rest = [f for f in numerator if not _is_sum(f)]
            front = f"{self._product(rest, fraction=True)}/{under}" if rest else f"1/{under}"
            return f"{sign}({front})·{self._product(sums)}"
        over = self._product(numerator, fraction=True) if numerator else "1"
        return f"{sign}{over}/{under}"

    def _print_Pow(self, expr, rational=False):
        base, exponent = expr.args
        if exponent.is_Rational and exponent.is_negative:
            flipped = base if exponent == -1 else sp.Pow(base, -exponent)
            under = self._print(flipped)
            if not (_is_atom_like(flipped) or isinstance(flipped, sp.Pow)):
                under = f"({under})"
            return f"1/{under}"
        if exponent == sp.S.Half:
            return f"√{self._power_base(base)}"
        text = self._power_base(base)
        if exponent.is_Integer:
            return text + str(exponent.p).translate(_SUPERSCRIPTS)
        return f"{text}^{{{self._print(exponent)}}}"

    def _power_base(self, base) -> str:
        text = self._print(base)
        if isinstance(base, (sp.Symbol, sp.Indexed)) or (base.is_Integer and base >= 0):
            return text
        return f"({text})"

    # -- matrices (Jacobians at one concrete K) ------------------------------------------

    def _print_MatrixBase(self, expr):
        if expr.cols == 1 and expr.rows > 1:  # a column vector, such as a gradient
            return "[" + ", ".join(self._print(x) for x in expr) + "]ᵀ"
        rows = ", ".join("[" + ", ".join(self._print(x) for x in expr.row(r)) + "]" for r in range(expr.rows))
        return f"[{rows}]"

    _print_ImmutableDenseMatrix = _print_MatrixBase
    _print_MutableDenseMatrix = _print_MatrixBase

    def _print_Equality(self, expr):
        return f"{self._print(expr.lhs)} = {self._print(expr.rhs)}"


def _negative(term) -> bool:
    """Printed with a leading minus sign."""
    if term.is_Number:
        return term.is_negative
    if isinstance(term, sp.Mul):
        coefficient, _ = term.as_coeff_mul()
        return coefficient.is_negative is True
    return False


def _partial_needs_parentheses(factor) -> bool:
    from derive.core import Partial

    return isinstance(factor, Partial)


def _factor_rank(factor) -> int:
    """Write numbers first, then letters, exponentials, other functions, brackets, sums."""
    from derive.core import Indicator, Partial

    if factor.is_Number:
        return 0
    if isinstance(factor, (sp.Symbol, sp.Indexed)) or (
        isinstance(factor, sp.Pow) and isinstance(factor.base, (sp.Symbol, sp.Indexed))
    ):
        return 1
    if isinstance(factor, sp.exp):
        return 2
    if isinstance(factor, (sp.KroneckerDelta, Indicator, sp.log, Partial)):
        return 3
    if isinstance(factor, sp.Add):
        return 4
    if _is_sum(factor):
        return 5
    return 3


_PRINTER = TextPrinter()


def to_text(expr) -> str:
    """``expr`` as one line of Unicode math: ``∂s_i/∂z_j``, ``Σ_{k≠i} y_k``, ``s_i − y_i``."""
    return _PRINTER.doprint(as_expression(expr))
