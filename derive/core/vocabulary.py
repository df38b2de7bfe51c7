"""The words a derivation is written in.

Expressions are SymPy trees built from a deliberately small vocabulary:

* indexed families (``z[i]``, ``y[n, i]``) whose role a :class:`Notation` names:
  logits, labels, softmax outputs of the logits;
* free indices (plain integer symbols) ranging over 1..K, or over 1..N in the first
  slot of a two-index family;
* ``Sum(f, (k, 1, K))`` over a whole range and :class:`SumExcept` for sums that
  leave one index out;
* ``KroneckerDelta(i, j)`` and its synonym :class:`Indicator` (printed 1{i=j});
* ``exp``, ``log``, powers, products, quotients and numbers;
* :class:`DecimalNumber`, a number written with decimals in a worked example (0.755):
  the exact rational it spells, and how many digits were written after the point;
* :class:`Partial`, the partial derivative of an expression with respect to one
  entry of a family, left unevaluated: what it means is decided by the core's
  semantics, never by SymPy's ``diff`` on the raw tree;
* symbols with a definition (a loss ``L``) listed in the notation.

Nothing here decides whether anything holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from fractions import Fraction

import sympy as sp

__all__ = [
    "StandIn",
    "DecimalNumber",
    "Indicator",
    "Notation",
    "as_expression",
    "Partial",
    "SumExcept",
    "classes_symbol",
    "decimal",
    "examples_symbol",
    "family",
    "index",
    "indices",
    "outermost",
    "scalar",
    "sigmoid",
    "softmax_notation",
]


def as_expression(value) -> sp.Basic:
    """A SymPy expression from a SymPy object or a Python number, and from nothing else:
    text never reaches SymPy's parser (``sympify`` would evaluate a string)."""
    if isinstance(value, (sp.Basic, sp.MatrixBase)):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
        raise TypeError(f"expected a SymPy expression or a number, not {type(value).__name__}")
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    return sp.Integer(value) if isinstance(value, int) else sp.Float(value)  # floats are refused later


def index(name: str) -> sp.Symbol:
    """A free or bound index: a positive integer symbol."""
    return sp.Symbol(name, integer=True, positive=True)


def indices(names: str) -> tuple[sp.Symbol, ...]:
    """Several indices at once: ``i, j, k = indices("i j k")``."""
    return tuple(index(n) for n in names.split())


def scalar(name: str) -> sp.Symbol:
    """A real variable that is not indexed: x, a temperature T, a shift m, ε."""
    return sp.Symbol(name, real=True)


def family(name: str) -> sp.IndexedBase:
    """An indexed family such as the logits ``z`` or the labels ``y``."""
    return sp.IndexedBase(name)


class Count(sp.Symbol):
    """The number of classes K (or of examples N). A class of its own, so that it is never
    equal to the index of the same letter: a text may use k for the count in Σ_{j=1}^{k}
    and for a bound index in Σ_k elsewhere."""


def classes_symbol(name: str = "K") -> sp.Symbol:
    return Count(name, integer=True, positive=True)


def examples_symbol(name: str = "N") -> sp.Symbol:
    return Count(name, integer=True, positive=True)


def outermost(total: sp.Sum) -> tuple[sp.Expr, tuple[sp.Symbol, sp.Expr, sp.Expr]]:
    """A sum as (body, outermost limit). SymPy merges Σ_n Σ_k f into one ``Sum`` with two
    limits, innermost first; the body returned is then the inner sum."""
    *inner, last = total.limits
    body = sp.Sum(total.function, *inner) if inner else total.function
    return body, tuple(last)


class Partial(sp.Function):
    """∂ expr / ∂ variable, where variable is one entry of a family (``z[j]``).

    Unevaluated on purpose: SymPy's own ``diff`` mishandles a bound index that shares
    its name with the variable's index, so the core alone gives this its meaning.
    """

    nargs = 2

    @property
    def expression(self) -> sp.Expr:
        return self.args[0]

    @property
    def variable(self) -> sp.Indexed:
        return self.args[1]

    def _eval_derivative(self, s):  # pragma: no cover - guards against misuse
        raise TypeError("nested derivatives are not part of derive's vocabulary")

    def _latex(self, printer):
        num = self.expression
        var = printer._print(self.variable)
        if isinstance(num, (sp.Symbol, sp.Indexed)):
            return r"\frac{\partial %s}{\partial %s}" % (printer._print(num), var)
        return r"\frac{\partial}{\partial %s}\left(%s\right)" % (var, printer._print(num))

    def _sympystr(self, printer):
        return "∂(%s)/∂%s" % (printer._print(self.expression), printer._print(self.variable))


class SumExcept(sp.Function):
    """Σ_{k ≠ excluded, 1 ≤ k ≤ upper} body — the sum that leaves one index out.

    Arguments: body, bound index, upper limit, excluded index.
    """

    nargs = 4

    @property
    def body(self) -> sp.Expr:
        return self.args[0]

    @property
    def bound(self) -> sp.Symbol:
        return self.args[1]

    @property
    def upper(self) -> sp.Expr:
        return self.args[2]

    @property
    def excluded(self) -> sp.Expr:
        return self.args[3]

    @property
    def free_symbols(self):
        # The bound index is not free: Σ_{k≠i} y_k depends on i, not on k.
        return (self.body.free_symbols - {self.bound}) | self.upper.free_symbols | self.excluded.free_symbols

    def _eval_subs(self, old, new):
        if old == self.bound:
            return self
        return None

    def _latex(self, printer):
        body = printer._print(self.body)
        if isinstance(self.body, sp.Add):
            body = r"\left(%s\right)" % body
        return r"\sum_{%s \neq %s} %s" % (
            printer._print(self.bound),
            printer._print(self.excluded),
            body,
        )

    def _sympystr(self, printer):
        return "Σ_{%s≠%s}(%s)" % (
            printer._print(self.bound),
            printer._print(self.excluded),
            printer._print(self.body),
        )


class StandIn(sp.Symbol):
    """A real number that stands for a quantity derive has no words for (max_k z_k in the
    logsumexp trick): a step that uses it holds only if it holds whatever its value. Where the
    sides differ at some value the step is undecided (the quantity may never take it), and a
    derivative of anything that uses it is not read (it depends on the inputs in a way the
    stand-in does not say)."""


class Sigmoid(sp.Function):
    """σ(u) = 1/(1 + e^{−u}), left unevaluated so that it prints as σ."""

    nargs = 1

    def _sympystr(self, printer):
        return "σ(%s)" % printer._print(self.args[0])


def sigmoid(u) -> sp.Expr:
    return Sigmoid(u)


class Indicator(sp.Function):
    """1{a = b}: the same value as KroneckerDelta(a, b), written the way the log-derivative
    proofs write it."""

    nargs = 2

    def _latex(self, printer):
        a, b = (printer._print(x) for x in self.args)
        return r"\mathbb{1}\{%s = %s\}" % (a, b)

    def _sympystr(self, printer):
        a, b = (printer._print(x) for x in self.args)
        return "1{%s=%s}" % (a, b)


class DecimalNumber(sp.Function):
    """A number written with decimals, as in a worked example: 0.755 is the exact rational
    755/1000, written to 3 digits after the point.

    Arguments: the value (a non-negative Rational whose denominator divides 10^digits) and
    the number of digits written (a minus sign is a product with −1, as for any number).
    Left unevaluated on purpose: SymPy would fold 0.2·0.3 into 3/50 and lose which digits
    the author wrote; the core alone decides what a claim with decimals means.

    >>> decimal("0.750")
    0.750
    >>> decimal("0.750").value, decimal("0.750").digits
    (3/4, 3)
    """

    nargs = 2

    @classmethod
    def eval(cls, value, digits):
        if not (value.is_Rational and value >= 0 and digits.is_Integer and 1 <= digits <= MAX_DECIMAL_DIGITS):
            raise TypeError("a decimal is a non-negative rational and a count of digits (1 to 100)")
        if not (value * sp.Integer(10) ** digits).is_Integer:
            raise TypeError(f"{value} cannot be written with {digits} digits after the point")
        return None  # never folded into a plain number

    @property
    def value(self) -> sp.Rational:
        return self.args[0]

    @property
    def digits(self) -> int:
        return int(self.args[1])

    @property
    def written(self) -> str:
        """The digits as the author wrote them (trailing zeros kept: 0.750)."""
        scaled = int(self.value * sp.Integer(10) ** self.digits)
        whole, fraction = divmod(scaled, 10**self.digits)
        return f"{whole}.{fraction:0{self.digits}d}"

    def _eval_is_extended_real(self):
        return True

    def _eval_is_finite(self):
        return True

    def _eval_is_zero(self):
        return self.value == 0

    def _eval_is_extended_positive(self):
        return self.value > 0

    def _eval_is_extended_negative(self):
        return False

    def _eval_evalf(self, prec):
        return self.value._eval_evalf(prec)

    def _eval_derivative(self, s):
        return sp.Integer(0)

    def _latex(self, printer):
        return self.written

    def _sympystr(self, printer):
        return self.written


MAX_DECIMAL_DIGITS = 100
_DECIMAL = re.compile(r"([0-9]*)\.([0-9]+)")


def decimal(text: str) -> DecimalNumber:
    """The number a decimal such as ``"0.755"`` or ``".5"`` spells (digits, a point, digits;
    no sign, no exponent): read digit by digit, never through float or SymPy's parser."""
    m = _DECIMAL.fullmatch(text)
    if m is None:
        raise ValueError(f"not a decimal number: {text!r}")
    whole, fraction = m.groups()
    if len(fraction) > MAX_DECIMAL_DIGITS:
        raise ValueError(f"a decimal with more than {MAX_DECIMAL_DIGITS} digits after the point")
    value = sp.Rational(int(whole or "0") * 10 ** len(fraction) + int(fraction), 10 ** len(fraction))
    return DecimalNumber(value, sp.Integer(len(fraction)))


@dataclass(frozen=True)
class Notation:
    """What the letters of a derivation mean.

    ``softmax`` is the softmax of ``logits`` over the classes 1..``classes``; with
    two-index families (``z[n, i]``) the first index runs over the examples 1..``examples``
    and the softmax is taken over the second. ``definitions`` maps a symbol (a loss ``L``)
    to the expression it abbreviates, written in terms of the softmax family, so that
    ∂L/∂s_i treats s as the variables and ∂L/∂z_i differentiates through s.

    ``classes`` may be a number: the claims are then about that one K only.
    """

    logits: sp.IndexedBase
    softmax: sp.IndexedBase | None
    labels: sp.IndexedBase
    classes: sp.Expr = field(default_factory=classes_symbol)
    examples: sp.Expr | None = None
    definitions: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()
    temperature: sp.Expr | None = None  # the softmax is e^{z_i/T} / Σ_k e^{z_k/T}
    label_rule: tuple[sp.Symbol, sp.Expr] | None = None  # labels defined: y_k := rule(k)
    # Families a document defines entry by entry: (ℓ, j, −y_j log p_j) means ℓ_k := −y_k log p_k.
    # Each value uses only the families and names defined before it (never itself).
    family_definitions: tuple[tuple[sp.IndexedBase, sp.Symbol, sp.Expr], ...] = ()

    def definition_of(self, symbol: sp.Symbol) -> sp.Expr | None:
        for name, value in self.definitions:
            if name == symbol:
                return value
        return None

    def rule_of(self, base: sp.IndexedBase) -> tuple[sp.Symbol, sp.Expr] | None:
        """(bound index, value) when the entries of ``base`` are defined by a rule: the labels'
        rule, or a family the document defines; None for a family of variables."""
        if base == self.labels and self.label_rule is not None:
            return self.label_rule
        for family, bound, value in self.family_definitions:
            if family == base:
                return bound, value
        return None

    @property
    def defined_families(self) -> tuple[sp.IndexedBase, ...]:
        return tuple(family for family, _, _ in self.family_definitions)

    def at_classes(self, count: int) -> Notation:
        """The same notation with K fixed to ``count`` (for claims such as a 4×4 Jacobian)."""
        return self.replace_count(self.classes, count)

    def replace_count(self, old: sp.Expr, count: int) -> Notation:
        """The notation with the count ``old`` (K or N) fixed to ``count``."""
        fixed = sp.Integer(count)
        definitions = tuple((name, value.subs(old, fixed)) for name, value in self.definitions)
        rule = None
        if self.label_rule is not None:
            rule = (self.label_rule[0], self.label_rule[1].subs(old, fixed))
        families = tuple((family, bound, value.subs(old, fixed)) for family, bound, value in self.family_definitions)
        return replace(
            self,
            classes=fixed if self.classes == old else self.classes,
            examples=fixed if self.examples == old else self.examples,
            definitions=definitions,
            label_rule=rule,
            family_definitions=families,
        )

    @property
    def logits_by_exponential(self) -> bool:
        """The witnesses give each logit by e^{z_k/T} when a softmax makes that rational;
        without a softmax (ŷ in a squared error) they give the value itself."""
        return self.softmax is not None

    @property
    def concrete(self) -> bool:
        return self.classes.is_Integer is True


def softmax_notation(
    logits: str = "z",
    softmax: str = "s",
    labels: str = "y",
    classes: str = "K",
    loss: str = "L",
    examples: str | None = None,
    temperature: str | None = None,
) -> Notation:
    """The usual notation: ``softmax`` is the softmax of ``logits``, ``labels`` are the
    targets and ``loss`` is the cross-entropy −Σ_k y_k log s_k. With ``examples`` (say "N")
    the families take two indices z_{n,k} and the loss is the average −(1/N) Σ_n Σ_k
    y_{n,k} log s_{n,k}."""
    z, s, y = family(logits), family(softmax), family(labels)
    K = classes_symbol(classes)
    T = scalar(temperature) if temperature else None
    k = index("k")
    if examples is None:
        definition = -sp.Sum(y[k] * sp.log(s[k]), (k, 1, K))
        return Notation(z, s, y, K, None, ((sp.Symbol(loss), definition),), temperature=T)
    N = examples_symbol(examples)
    n = index("n")
    definition = -sp.Sum(sp.Sum(y[n, k] * sp.log(s[n, k]), (k, 1, K)), (n, 1, N)) / N
    return Notation(z, s, y, K, N, ((sp.Symbol(loss), definition),), temperature=T)
