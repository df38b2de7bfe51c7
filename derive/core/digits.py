"""Claims with decimals, as in a worked example: decided at the precision written.

A decimal is the exact rational it spells (0.755 is 755/1000), written to some number of
digits after the point. A claim that contains one is decided only when it has no free
variable at all (no index, no symbol, no count K: ``σ(0.5) = 0.622``,
``e²/(e² + e) = 0.731``, ``−log 0.7 = 0.357``, ``0.2 · 0.3 = 0.06``); a decimal beside a
variable is bad input, as before (write 1/2, not 0.5).

The precision is that of a side written as one decimal, the rounded result of the
computation (``0.755``, ``−0.755``, or a decimal times a power of ten such as
``1.2 × 10^{−3}``): the claim holds *to the digits written* when the exact values of the
two sides differ by at most half a unit in that decimal's last digit (the boundary
included: an exact half may be rounded either way). With both sides so written, the
coarser of the two precisions counts (``0.73 = 0.731``: ± 0.005). Decimals inside an
expression (the 0.5 of σ(0.5)) are exact inputs, not rounded results; with no side written
as one decimal the two sides must be equal exactly.

Two evaluations decide, sharing no code: the referee (:mod:`.referee`: exact fractions, or
rigorous mpmath intervals refined until the difference is inside or outside the band) and,
as a cross-check, SymPy's own ``evalf`` of the difference; their disagreement is an
:class:`EngineError`. A difference too close to the edge of the band for 24,000 bits is
undecided, never rounded either way.

>>> import sympy as sp
>>> from derive.core.vocabulary import decimal, sigmoid, softmax_notation
>>> raw = decide(sigmoid(decimal("0.5")), decimal("0.622"), softmax_notation())
>>> raw["holds"], raw["band"]
(True, '0.0005')
>>> decide(sigmoid(decimal("0.5")), decimal("0.623"), softmax_notation())["holds"]
False
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import sympy as sp
from mpmath import libmp

from .referee import Irrational, Point, Referee
from .semantics import VocabularyError, symbolic_value
from .verdict import EngineError
from .vocabulary import DecimalNumber, Notation, as_expression

__all__ = ["band", "check_defined", "check_written", "decide", "has_decimals"]

_BITS = (300, 1500, 6000, 24000)  # the referee's interval precisions, as for a counterexample


def _parts(side) -> list:
    side = as_expression(side)
    return list(side) if isinstance(side, sp.MatrixBase) else [side]


def has_decimals(*sides) -> bool:
    return any(part.has(DecimalNumber) for side in sides for part in _parts(side))


def as_written(side):
    """e^{1} as the exponential it is: SymPy folds exp(1) into its constant E, which the
    vocabulary has no word for (a worked example writes e^{2}/(e^{2} + e^{1}))."""
    side = as_expression(side)
    return side.xreplace({sp.E: sp.exp(sp.Integer(1), evaluate=False)}) if isinstance(side, sp.Basic) else side


def check_written(left, right) -> None:
    """Refuse (VocabularyError) a decimal the core cannot decide: one in a claim with a free
    variable, or in a matrix. Call only when :func:`has_decimals`."""
    parts = [*_parts(left), *_parts(right)]
    first = next(x for part in parts for x in sp.preorder_traversal(part) if isinstance(x, DecimalNumber))
    if isinstance(as_expression(left), sp.MatrixBase) or isinstance(as_expression(right), sp.MatrixBase):
        raise VocabularyError(
            f"decimal number {first.written} in a matrix: write exact numbers (1/2, not 0.5); "
            "a decimal is checked only in a claim between two numbers"
        )
    free = sp.Tuple(*parts).free_symbols
    if free:
        # z_1 is free together with its family's name z: name the entry only.
        families = {x.base.label for x in free if isinstance(x, sp.Indexed)}
        names = ", ".join(sorted(_name(x) for x in free if x not in families)[:3])
        raise VocabularyError(
            f"decimal number {first.written} beside a variable ({names}): write exact numbers (1/2, not 0.5); "
            "a decimal is checked only in a claim with no variable, as in a worked example"
        )


def check_defined(left, right, notation: Notation) -> None:
    """Refuse a claim that divides by zero where its value is rational (1/(1 − 2·0.5)): SymPy
    folds 1/(0.5 − 0.5) itself, not a decimal times a number."""
    referee = Referee(notation, _point(notation), "exact")
    for side in (left, right):
        try:
            referee.value(side)
        except Irrational:
            continue
        except ZeroDivisionError:
            raise VocabularyError(f"{side}: the expression divides by zero") from None


def _name(x) -> str:
    if isinstance(x, sp.Indexed):
        key = ",".join(str(i) for i in x.indices)
        return f"{x.base}_{key}" if len(x.indices) == 1 else f"{x.base}_{{{key}}}"
    return str(x)


def _lone(side) -> Fraction | None:
    """Half a unit in the last digit of a side written as one decimal (c·d with c = ±10^n),
    or None for any other side."""
    coefficient, rest = as_expression(side).as_coeff_Mul()
    if not isinstance(rest, DecimalNumber) or not coefficient.is_Rational:
        return None
    scale = abs(Fraction(int(coefficient.p), int(coefficient.q)))
    power = scale.numerator if scale.denominator == 1 else scale.denominator
    if scale.numerator != 1 and scale.denominator != 1 or not _is_power_of_ten(power):
        return None
    return scale / (2 * 10**rest.digits)


def _is_power_of_ten(n: int) -> bool:
    while n % 10 == 0:
        n //= 10
    return n == 1


def band(left, right) -> Fraction:
    """How far apart the two sides may be: half a unit in the last digit of the coarser side
    written as one decimal, when the other side is a computation whose value is irrational
    (an exponential, a logarithm, σ, a root): that value can only be written rounded. Between
    rational values (1·0.7 + 0·0.3 = 0.74, 1000 × 0.5 = 549, 0.62 = 0.6) the sides must be
    equal: SymPy folds such arithmetic into one decimal before the band could tell a rounded
    result from a computation, and nothing there needed rounding."""
    halves = [
        h for h, other in ((_lone(left), right), (_lone(right), left)) if h is not None and _transcendental(other)
    ]
    return max(halves, default=Fraction(0))


def _transcendental(side) -> bool:
    """Whether a side computes an exponential, a logarithm, σ or a non-integer power."""
    for node in sp.preorder_traversal(as_expression(side)):
        if isinstance(node, (sp.exp, sp.log)) or type(node).__name__ in ("Sigmoid", "tanh"):
            return True
        if isinstance(node, sp.Pow) and not node.exp.is_Integer:
            return True
    return False


def _g(x) -> str:
    """A number of any size in six significant digits (float() overflows past 1e308)."""
    import mpmath

    value = Fraction(x)
    return mpmath.nstr(mpmath.mpf(value.numerator) / value.denominator, 6)


def _rational(raw) -> Fraction | None:
    if raw in (libmp.finf, libmp.fninf, libmp.fnan):
        return None
    p, q = libmp.to_rational(raw)
    return Fraction(p, q)


def _point(notation: Notation) -> Point:
    # No K, index or variable in the claim: any K serves the referee's environment.
    classes = int(notation.classes) if notation.concrete else 1
    return Point(classes, None, (), (), ())


def _exact_text(value: Fraction) -> str | None:
    """A terminating decimal, digit for digit (0.0005), or None."""
    for places in range(0, 200):
        scaled = value * 10**places
        if scaled.denominator == 1:
            sign = "-" if scaled < 0 else ""  # ASCII, as in every counterexample's values
            whole, fraction = divmod(abs(scaled.numerator), 10**places)
            return f"{sign}{whole}.{fraction:0{places}d}" if places else f"{sign}{whole}"
    return None


def _value_text(value: Fraction, places: int) -> str:
    """``value`` exactly when it ends within ``places`` digits after the point, else ≈ to them."""
    text = _exact_text(value)
    if text is not None and len(text.partition(".")[2]) <= places:
        return text
    rounded = Fraction(round(value * 10**places), 10**places)
    return f"≈ {_exact_text(rounded)}"


def _places(width: Fraction) -> int:
    """Digits after the point that show a value two digits finer than the band ``width``."""
    places = 6
    while places < 60 and Fraction(1, 10**places) > width / 100:
        places += 1
    return places


def _roughly(value: Fraction) -> str:
    return mpmath.nstr(mpmath.mpf(value.numerator) / value.denominator, 3).replace("-", "−")


def _sympy_difference(left, right, notation: Notation) -> tuple[Fraction | None, Fraction | None]:
    """The cross-check: SymPy's own value of left − right, to 60 digits (or None), and the
    difference itself when SymPy's own arithmetic reduces it to a rational number (log 0.7 −
    log(1 − 0.3) is 0, which no interval can show)."""
    difference = symbolic_value(left, notation) - symbolic_value(right, notation)
    exact = sp.expand(difference.replace(lambda x: isinstance(x, DecimalNumber), lambda x: x.value).doit())
    reduced = Fraction(int(exact.p), int(exact.q)) if exact.is_Rational else None
    value = sp.N(exact, 60)
    if not (value.is_Number and value.is_real):
        return None, reduced
    return Fraction(sp.Rational(value).p, sp.Rational(value).q), reduced


def decide(left, right, notation: Notation) -> dict:
    """Decide a claim with decimals (validated by :func:`check_written`): ``holds`` is True,
    False, or None (undecided), with the two sides' values as text and the witnesses."""
    width = band(left, right)
    referee_left = referee_right = None
    exact = True
    try:
        referee = Referee(notation, _point(notation), "exact")
        lv, rv = referee.value(left), referee.value(right)
        low = high = lv - rv
        referee_left, referee_right = lv, rv
    except Irrational:
        exact = False
    except ZeroDivisionError:
        raise VocabularyError("the expression divides by zero") from None
    if not exact:
        low = high = None
        for bits in _BITS:
            referee = Referee(notation, _point(notation), "interval", bits)
            try:
                lv, rv = referee.value(left), referee.value(right)
            except ZeroDivisionError:
                break
            d = lv - rv
            low, high = _rational(d._mpi_[0]), _rational(d._mpi_[1])
            referee_left, referee_right = _rational(lv._mpi_[0]), _rational(rv._mpi_[0])
            if (
                low is not None
                and high is not None
                and (high < -width or low > width or -width <= low <= high <= width)
            ):
                break
    places = _places(width)
    shown = _exact_text(width)
    if low is None or high is None or referee_left is None or referee_right is None:
        return _undecided("the referee's intervals do not bound a side (a denominator too close to 0)", width)
    # SymPy's evalf (60 digits) must find the difference where the referee bounds it.
    check, reduced = _sympy_difference(left, right, notation)
    if check is None:
        return _undecided("SymPy's evaluation, the cross-check, gives no real number", width)
    slack = Fraction(1, 10**40) * max(1, abs(check))
    if check < low - slack or check > high + slack or (reduced is not None and not low <= reduced <= high):
        raise EngineError(
            f"the referee bounds left − right in [{_g(low)}, {_g(high)}] but SymPy evaluates it to {_g(check)}"
        )
    if reduced is not None:
        low = high = reduced  # exact: SymPy's arithmetic reduced it, inside the referee's bounds
    if -width <= low and high <= width:
        holds = True
    elif high < -width or low > width:
        holds = False
    else:
        return _undecided(
            "the difference is too close to half a unit in the last digit written to decide", width
        )  # fmt: skip
    within = f"within {shown}" if width else "exactly equal"
    witnesses = (
        (
            "referee",
            f"left − right in [{_roughly(low)}, {_roughly(high)}]"
            if not exact
            else f"left − right = {_value_text(low, places)}",
        ),
        ("sympy", f"left − right ≈ {_g(check)}".replace("-", "−")),
    )
    result = {
        "digits": True,
        "holds": holds,
        "band": shown,
        "scope": within,
        "exact": exact,
        "witnesses": witnesses,
    }
    if not holds:
        result["left"] = _side_text(left, referee_left, exact, places)
        result["right"] = _side_text(right, referee_right, exact, places)
        gap = abs(low if low > width else high)
        if width:
            by = _exact_text(gap) if exact and _exact_text(gap) is not None else f"≈ {_roughly(gap)}"
            result["reason"] = f"the two sides differ by {by}, more than {shown}: half a unit in the last digit written"
        else:
            result["reason"] = "the two sides differ (neither is written as one decimal: they must be equal exactly)"
    return result


def _side_text(side, value: Fraction, exact: bool, places: int) -> str:
    """A side written as one decimal as written; any other by its exact value to more digits
    (an interval's lower end, to well within its width, when the value is irrational)."""
    coefficient, rest = as_expression(side).as_coeff_Mul()
    if isinstance(rest, DecimalNumber) and abs(coefficient) == 1:
        return ("-" if coefficient < 0 else "") + rest.written
    text = _value_text(value, places)
    return text if exact or text.startswith("≈") else f"≈ {text}"


def _undecided(reason: str, width: Fraction) -> dict:
    return {"digits": True, "holds": None, "reason": reason, "band": _exact_text(width)}
