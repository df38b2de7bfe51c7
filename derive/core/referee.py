"""The referee: evaluates a step's two sides at one concrete point, from the expressions as
written, with nothing but Python's ``fractions.Fraction`` (and, where a logarithm makes a
value irrational, mpmath interval arithmetic, whose enclosures are rigorous).

It shares no code with the witnesses: it walks the vocabulary tree itself, writes each sum
out as a loop and takes each partial derivative by forward-mode dual numbers. A
counterexample is shown only when the referee confirms that the two sides differ. The same
walker, run on floating-point numbers, is the numeric witness.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy as sp

from .vocabulary import DecimalNumber, Indicator, Notation, Partial, Sigmoid, SumExcept, as_expression

__all__ = ["Irrational", "Point", "Referee"]


class Irrational(Exception):
    """An exact evaluation met a value that is not rational (a logarithm)."""


@dataclass(frozen=True)
class Point:
    """Concrete values: K (and N), the free indices, and every real variable.

    A variable is a concrete entry of the logits or labels (``z[1]``, ``y[2, 1]``) or a real
    scalar (``x``, ``T``). It is given either by its exponential, in ``exponentials`` (for a
    logit, e^{z_k/T} with T the temperature, or e^{z_k}; for a scalar, e^{x}), so that the
    softmax is rational, or by its value, in ``values``."""

    classes: int
    examples: int | None
    indices: tuple[tuple[sp.Symbol, int], ...]
    exponentials: tuple[tuple[sp.Basic, Fraction], ...]
    values: tuple[tuple[sp.Basic, Fraction], ...]


class _Unknown:
    """An irrational value in the exact mode (log 2, say). It may vanish from a result
    (0 · log 2 = 0, as in the value part of a derivative that is never used), and it
    poisons everything else."""

    __slots__ = ()

    def __add__(self, other):
        return self

    __radd__ = __sub__ = __rsub__ = __truediv__ = __rtruediv__ = __add__

    def __mul__(self, other):
        return Fraction(0) if (isinstance(other, Fraction) and other == 0) else self

    __rmul__ = __mul__

    def __neg__(self):
        return self

    def __pow__(self, other):
        return self

    def __eq__(self, other):
        raise Irrational("comparison with an irrational value")

    __hash__ = None


UNKNOWN = _Unknown()


class _Dual:
    """value + derivative·ε with ε² = 0."""

    __slots__ = ("v", "d")

    def __init__(self, v, d):
        self.v, self.d = v, d

    def __add__(self, o):
        return _Dual(self.v + o.v, self.d + o.d)

    def __sub__(self, o):
        return _Dual(self.v - o.v, self.d - o.d)

    def __mul__(self, o):
        return _Dual(self.v * o.v, self.d * o.v + self.v * o.d)

    def __truediv__(self, o):
        return _Dual(self.v / o.v, (self.d * o.v - self.v * o.d) / (o.v * o.v))


class _Arithmetic:
    """Number operations for one mode: exact, interval or float."""

    def __init__(self, mode: str, bits: int = 300):
        self.mode = mode
        if mode == "interval":
            self.ctx = mpmath.iv
            self.ctx.prec = bits
        elif mode == "float":
            self.ctx = mpmath.mp
            self.ctx.dps = 40 if bits == 300 else bits // 3

    def number(self, q: Fraction):
        if self.mode == "exact":
            return q
        return self.ctx.mpf(q.numerator) / q.denominator

    def zero(self):
        return self.number(Fraction(0))

    def is_zero(self, x) -> bool:
        if x is UNKNOWN:
            return False
        if self.mode == "interval":
            return x.a == 0 and x.b == 0
        return x == 0

    def log(self, x):
        if self.mode == "exact":
            if x is not UNKNOWN and x == 1:
                return Fraction(0)
            return UNKNOWN
        return self.ctx.log(x)

    def exp(self, x):
        if self.mode == "exact":
            if x is not UNKNOWN and x == 0:
                return Fraction(1)
            return UNKNOWN
        return self.ctx.exp(x)

    def power(self, x, p: Fraction):
        if p.denominator == 1:
            n = p.numerator
            if self.mode == "exact":
                return x**n
            if n >= 0:
                return x**n
            return 1 / (x ** (-n))
        if self.mode == "exact":
            return UNKNOWN
        if self.mode == "interval":
            negative, nonnegative = x.b < 0, x.a >= 0
        else:
            negative, nonnegative = x < 0, x >= 0
        if nonnegative:
            return x ** self.number(p)
        if p.denominator % 2 == 0 or not negative:
            # An even root of a negative number (the core refuses such a step), or an
            # enclosure around 0: no real value here, so not a point of the claim.
            raise ZeroDivisionError("no real root here")
        # An odd root of a negative number: the real branch, −(−x)^{p} with the sign of p's numerator.
        magnitude = (-x) ** self.number(p)
        return -magnitude if p.numerator % 2 else magnitude


class Referee:
    """Evaluate vocabulary expressions at a :class:`Point`."""

    def __init__(self, notation: Notation, point: Point, mode: str = "exact", bits: int = 300):
        self.notation = notation
        self.point = point
        self.arith = _Arithmetic(mode, bits)
        self.exponentials = {self._variable(v): self.arith.number(q) for v, q in point.exponentials}
        self.values = {self._variable(v): self.arith.number(q) for v, q in point.values}

    # -- public -------------------------------------------------------------------------

    def value(self, expr: sp.Expr):
        env = {self.notation.classes: self.point.classes}
        if self.notation.examples is not None and self.point.examples is not None:
            env[self.notation.examples] = self.point.examples
        env.update(dict(self.point.indices))
        result = self._eval(as_expression(expr), env, None).v
        if result is UNKNOWN:
            raise Irrational(str(expr))
        return result

    # -- the walk -------------------------------------------------------------------------

    @staticmethod
    def _variable(v):
        """A variable's identity: (family, index tuple) for an entry, the symbol for a scalar."""
        if isinstance(v, sp.Indexed):
            return (v.base, tuple(int(i) for i in v.indices))
        return v

    def _const(self, v):
        return _Dual(v, self.arith.zero())

    def _int(self, e, env) -> int:
        if e.is_Integer:
            return int(e)
        if e in env:
            return int(env[e])
        if isinstance(e, sp.Add):
            return sum(self._int(a, env) for a in e.args)
        raise ValueError(f"no value for the index {e}")

    def _key(self, indexed: sp.Indexed, env) -> tuple[int, ...]:
        return tuple(self._int(i, env) for i in indexed.indices)

    def _row_keys(self, key: tuple[int, ...]):
        return [(*key[:-1], c) for c in range(1, self.point.classes + 1)]

    def _temperature(self):
        T = self.notation.temperature
        return self.values[T] if T is not None else self.arith.number(Fraction(1))

    def _exp_logit(self, key, wrt):
        """e^{z_key/T} as a dual number: its derivative by z_key is e^{z_key/T}/T."""
        v = self.exponentials[(self.notation.logits, key)]
        d = v / self._temperature() if wrt == (self.notation.logits, key) else self.arith.zero()
        return _Dual(v, d)

    def _one(self, hit: bool):
        return self.arith.number(Fraction(1 if hit else 0))

    def _eval(self, e, env, wrt):
        a = self.arith
        if e.is_Rational:
            return self._const(a.number(Fraction(int(e.p), int(e.q))))
        if isinstance(e, DecimalNumber):  # the exact rational it spells
            return self._const(a.number(Fraction(int(e.value.p), int(e.value.q))))
        if e is sp.E:  # e^{1}, which SymPy folds into its constant E
            return self._exp(sp.Integer(1), env, wrt)
        if isinstance(e, sp.Symbol):
            if e in env:
                return self._const(a.number(Fraction(int(env[e]))))
            definition = self.notation.definition_of(e)
            if definition is not None and wrt == e:
                # ∂/∂y for a defined y (y := σ(z)): y itself is the variable
                return _Dual(self._eval(definition, env, None).v, self._one(True))
            if definition is not None:
                return self._eval(definition, env, wrt)
            if e in self.exponentials:  # given by e^{x}: x itself is log of it
                return _Dual(a.log(self.exponentials[e]), self._one(wrt == e))
            if e in self.values:
                return _Dual(self.values[e], self._one(wrt == e))
            raise ValueError(f"no value for {e}")
        if isinstance(e, sp.Indexed):
            key = self._key(e, env)
            family = e.base
            defined = self.notation.rule_of(family)
            if defined is not None:  # defined labels, or ℓ_k of a family the document defines: the rule at k
                bound, rule = defined
                return self._eval(rule, {**env, bound: key[-1]}, wrt)
            if family == self.notation.labels:
                return _Dual(self.values[(family, key)], self._one(wrt == (family, key)))
            if family == self.notation.softmax:
                if wrt is not None and isinstance(wrt, tuple) and wrt[0] == self.notation.softmax:
                    total = sum((self.exponentials[(self.notation.logits, k)] for k in self._row_keys(key)), a.zero())
                    share = self.exponentials[(self.notation.logits, key)] / total
                    return _Dual(share, self._one(wrt == (family, key)))
                numerator = self._exp_logit(key, wrt)
                total = self._const(a.zero())
                for k in self._row_keys(key):
                    total = total + self._exp_logit(k, wrt)
                return numerator / total
            if family == self.notation.logits:
                if (family, key) in self.values:
                    return _Dual(self.values[(family, key)], self._one(wrt == (family, key)))
                x = self.exponentials[(family, key)]
                return _Dual(a.log(x) * self._temperature(), self._one(wrt == (family, key)))
            raise ValueError(f"unknown family {family}")
        if isinstance(e, sp.Add):
            total = self._const(a.zero())
            for t in e.args:
                total = total + self._eval(t, env, wrt)
            return total
        if isinstance(e, sp.Mul):
            product = self._const(a.number(Fraction(1)))
            for t in e.args:
                product = product * self._eval(t, env, wrt)
            return product
        if isinstance(e, sp.Pow):
            if not e.exp.is_Rational:
                raise ValueError(f"power {e.exp} is not a number")
            p = Fraction(int(e.exp.p), int(e.exp.q))
            base = self._eval(e.base, env, wrt)
            value = a.power(base.v, p)
            d = base.d if a.is_zero(base.d) else a.number(p) * a.power(base.v, p - 1) * base.d
            return _Dual(value, d)
        if isinstance(e, sp.exp):
            return self._exp(e.args[0], env, wrt)
        if isinstance(e, sp.log):
            x = self._eval(e.args[0], env, wrt)
            return _Dual(a.log(x.v), x.d / x.v)
        if isinstance(e, sp.Sum):
            return self._sum(e.function, list(e.limits), env, wrt)
        if isinstance(e, SumExcept):
            skip = self._int(e.excluded, env)
            total = self._const(a.zero())
            for v in range(1, self._int(e.upper, env) + 1):
                if v != skip:
                    total = total + self._eval(e.body, {**env, e.bound: v}, wrt)
            return total
        if isinstance(e, (sp.KroneckerDelta, Indicator)):
            x, y = (self._int(t, env) for t in e.args)
            return self._const(a.number(Fraction(1 if x == y else 0)))
        if isinstance(e, Partial):
            if wrt is not None:
                raise ValueError("a derivative of a derivative is not part of the vocabulary yet")
            variable = e.variable
            if isinstance(variable, sp.Indexed):
                target = (variable.base, self._key(variable, env))
            else:
                target = variable
            return self._const(self._eval(e.expression, env, target).d)
        if isinstance(e, Sigmoid):
            one = self._const(a.number(Fraction(1)))
            return one / (one + self._exp(-e.args[0], env, wrt))
        raise ValueError(f"the referee has no meaning for {type(e).__name__}")

    def _sum(self, body, limits, env, wrt):
        # SymPy lists the limits innermost first: loop over the last one outermost.
        (k, lo, hi) = limits[-1]
        total = self._const(self.arith.zero())
        for v in range(self._int(lo, env), self._int(hi, env) + 1):
            inner_env = {**env, k: v}
            if len(limits) > 1:
                total = total + self._sum(body, limits[:-1], inner_env, wrt)
            else:
                total = total + self._eval(body, inner_env, wrt)
        return total

    def _exp(self, arg, env, wrt):
        """e^{arg}. Exact when arg is a combination of variables given by their exponential
        whose powers come out whole (e^{2 z_k/T} = (e^{z_k/T})²); otherwise through the
        arithmetic's own exp."""
        a = self.arith
        x = self._eval(arg, env, wrt)
        if a.mode != "exact":
            v = a.exp(x.v)
            return _Dual(v, v * x.d)
        value = a.number(Fraction(1))
        for term in sp.Add.make_args(sp.expand(arg)):
            value = value * self._exp_term(term, env)
        if value is UNKNOWN:
            return _Dual(UNKNOWN, UNKNOWN if not a.is_zero(x.d) else x.d)
        return _Dual(value, value * x.d)

    def _exp_term(self, term, env):
        a = self.arith
        variables = [f for f in sp.Mul.make_args(term) if self._exponential_of(f, env) is not None]
        if len(variables) != 1:
            return UNKNOWN
        (variable,) = variables
        base, scale = self._exponential_of(variable, env)
        coefficient = self._eval(term / variable, env, None).v
        if coefficient is UNKNOWN:
            return UNKNOWN
        power = coefficient * scale
        if not (isinstance(power, Fraction) and power.denominator == 1):
            return UNKNOWN
        return a.power(base, Fraction(power))

    def _exponential_of(self, factor, env):
        """(e^{v/scale}, scale) for a variable given by its exponential, else None."""
        if isinstance(factor, sp.Indexed) and factor.base == self.notation.logits:
            key = (factor.base, self._key(factor, env))
            if key in self.exponentials:
                return self.exponentials[key], self._temperature()
        if isinstance(factor, sp.Symbol) and factor in self.exponentials:
            return self.exponentials[factor], self.arith.number(Fraction(1))
        return None


def sides_differ(notation: Notation, point: Point, left: sp.Expr, right: sp.Expr):
    """Evaluate both sides; return (differ, left_text, right_text, exact).

    ``differ`` is True only when the two values are proved different: unequal fractions, or
    disjoint intervals. It is False when they are equal fractions and None when intervals
    overlap (the referee cannot tell)."""
    try:
        referee = Referee(notation, point, "exact")
        lv, rv = referee.value(left), referee.value(right)
        return (lv != rv), _fraction_text(lv), _fraction_text(rv), True
    except Irrational:
        pass
    # A difference as small as e^{−1000} needs more than 300 bits to separate the enclosures.
    for bits in (300, 1500, 6000, 24000):
        referee = Referee(notation, point, "interval", bits)
        lv, rv = referee.value(left), referee.value(right)
        disjoint = lv.b < rv.a or rv.b < lv.a
        if disjoint:
            break
    left_text, right_text = _interval_text(lv), _interval_text(rv)
    if disjoint and left_text == right_text:
        # Equal to 12 digits: say by how much they differ, or the counterexample reads as none.
        left_text += f" (more by ≈ {mpmath.nstr(mpmath.mpf((lv - rv).a), 6)})"
    return (True if disjoint else None), left_text, right_text, False


def _fraction_text(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def _interval_text(x) -> str:
    return "≈ " + mpmath.nstr(mpmath.mpf(x.a.a), 12)
