"""Numbers in worked examples: a claim with decimals and no free variable is decided at the
precision written ("holds to the digits written"); a decimal anywhere else is bad input.

Every rule that can accept a claim is fed false claims too: off by one in the last digit,
the wrong sign, right to two digits but written with three, an exact half on either side.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction

import jsonschema
import pytest
import sympy as sp

from derive.core import (
    Derivation,
    EngineError,
    Status,
    Step,
    Strength,
    VerdictCache,
    VocabularyError,
    check,
    check_derivation,
    indices,
    sigmoid,
    softmax_notation,
)
from derive.core import digits as digits_module
from derive.core.vocabulary import DecimalNumber, decimal
from derive.read.latex_math import Letters, MathSyntaxError, read_block, read_expression
from derive.render.formats import export
from derive.render.json_export import SCHEMA

NT = softmax_notation()
s, z, y = NT.softmax, NT.logits, NT.labels
(i,) = indices("i")
d = decimal
E = sp.exp(1)

LABEL = "holds to the digits written"


def verdicts(*claims):
    """Check several claims at once (one pool), in order."""
    steps = tuple(Step(left, right) for left, right in claims)
    return check_derivation(Derivation("worked", "A worked example", NT, steps)).verdicts


# -- the decimal itself ------------------------------------------------------------------------


def test_a_decimal_is_the_exact_rational_it_spells_and_keeps_its_digits():
    assert d("0.755").value == sp.Rational(755, 1000) and d("0.755").digits == 3
    assert d("0.750").value == sp.Rational(3, 4) and d("0.750").digits == 3 and str(d("0.750")) == "0.750"
    assert d("12.05").value == sp.Rational(241, 20)
    assert d("0.750") != d("0.75")  # the digits written are part of the number
    # SymPy does not fold decimals into plain numbers: the digits survive arithmetic.
    assert (d("0.2") * d("0.3")).atoms(DecimalNumber) == {d("0.2"), d("0.3")}
    for bad in ("1", "-0.5", "0.5e3", "1/2", "0,5", "0.5 ", ""):
        with pytest.raises(ValueError):
            d(bad)
    with pytest.raises(TypeError):
        DecimalNumber(sp.Rational(1, 3), sp.Integer(3))  # 1/3 has no 3-digit decimal


# -- worked examples that hold ------------------------------------------------------------------


def test_worked_examples_hold_to_the_digits_written():
    found = verdicts(
        (sigmoid(d("0.5")), d("0.622")),  # 0.62246
        (sp.exp(2) / (sp.exp(2) + E), d("0.731")),  # 0.73106
        (-sp.log(d("0.7")), d("0.357")),  # 0.35667
        (d("0.2") * d("0.3"), d("0.06")),  # exactly
        (d("0.245") - 1, -d("0.755")),  # exactly, a negative result
        (sp.exp(-7), d("9.1") / 10**4),  # 9.1·10⁻⁴ for 0.000911882
    )
    for verdict in found:
        assert verdict.status is Status.HOLDS and verdict.strength is Strength.DIGITS
        assert verdict.label == LABEL
    assert [v.scope for v in found] == [
        "within 0.0005", "within 0.0005", "within 0.0005", "exactly equal", "exactly equal", "within 0.000005",
    ]  # fmt: skip


def test_a_rational_result_must_be_written_exactly():
    # 0.5 · 0.245 = 0.1225 exactly: nothing needed rounding, so a rounding of it is not it (the
    # fifth adversary: SymPy folds 1·0.7 + 0·0.3 into the one decimal 0.7, whose coarse band
    # then let 0.74 hold).
    found = verdicts(*[(d("0.5") * d("0.245"), d(w)) for w in ("0.1225", "0.122", "0.123", "0.124")])
    assert [v.status for v in found] == [Status.HOLDS, Status.FAILS, Status.FAILS, Status.FAILS]
    folded = verdicts((1 * d("0.7") + 0 * d("0.3"), d("0.74")), (1000 * d("0.5"), 549), (d("0.5") * 4 * 25, 54))
    assert [v.status for v in folded] == [Status.FAILS] * 3


# -- worked examples that fail -------------------------------------------------------------------


def test_off_by_one_in_the_last_digit_fails_with_the_exact_value_to_more_digits():
    sig, product, log = verdicts(
        (sigmoid(d("0.5")), d("0.623")),
        (d("0.2") * d("0.3"), d("0.07")),
        (-sp.log(d("0.7")), d("0.356")),
    )
    assert sig.status is Status.FAILS and sig.strength is None
    assert sig.counterexample.left == "≈ 0.622459" and sig.counterexample.right == "0.623"
    assert not sig.counterexample.exact
    assert sig.counterexample.describe() == "left = ≈ 0.622459, right = 0.623"
    assert "more than 0.0005" in sig.reason
    assert product.status is Status.FAILS
    assert (product.counterexample.left, product.counterexample.right) == ("0.06", "0.07")
    assert product.counterexample.exact
    assert log.status is Status.FAILS and log.counterexample.left == "≈ 0.356675"


def test_a_wrong_sign_fails():
    found = verdicts(
        (sp.exp(2) / (sp.exp(2) + E), -d("0.731")),
        (d("0.245") - 1, d("0.755")),
        (sp.log(d("0.7")), d("0.357")),
    )
    assert all(v.status is Status.FAILS for v in found)
    assert found[1].counterexample.left == "-0.755"


def test_right_to_two_digits_but_written_with_three_fails():
    # σ(0.5) = 0.62246: 0.62 is right to the two digits it writes, 0.620 claims a third.
    two, three = verdicts((sigmoid(d("0.5")), d("0.62")), (sigmoid(d("0.5")), d("0.620")))
    assert two.status is Status.HOLDS and two.scope == "within 0.005"
    assert three.status is Status.FAILS


def test_decimals_on_both_sides_must_be_equal():
    # σ(0.5) = 0.62 = 0.6 = 0.65 = ... = 0.9 drifted one coarse band a link (the fifth adversary)
    found = verdicts(
        (d("0.73"), d("0.731")),
        (d("0.731"), d("0.73")),
        (d("0.62"), d("0.6")),
        (d("0.730"), d("0.73")),  # the same number
    )
    assert [v.status for v in found] == [Status.FAILS, Status.FAILS, Status.FAILS, Status.HOLDS]


def test_a_rounded_irrational_value_written_with_a_power_of_ten():
    # e^{1000} = 1.97·10^434: the referee's intervals, no float (it overflowed: an engine error)
    big = sp.exp(1000)
    found = verdicts((big, d("2.0") * 10**434), (big, d("1.9") * 10**434))
    assert [v.status for v in found] == [Status.HOLDS, Status.FAILS]


def test_decimals_inside_expressions_are_exact_inputs_not_rounded_results():
    # No side is one decimal: the sides must be equal exactly (σ(0.5) = 0.65 must not hold
    # by the coarse precision of the input 0.5).
    found = verdicts(
        (d("0.2") * d("0.3"), d("0.03") * 2),
        (d("0.2") * d("0.3"), d("0.031") * 2),
        (sp.log(1 - d("0.3")), sp.log(d("0.7"))),  # equal, though no interval shows it
        (sigmoid(d("0.5")), d("0.65")),
    )
    assert [v.status for v in found] == [Status.HOLDS, Status.FAILS, Status.HOLDS, Status.FAILS]
    assert found[0].scope == "exactly equal"
    assert "must be equal exactly" in found[1].reason


def test_a_random_sweep_agrees_with_an_oracle_in_fractions():
    """a·b, a + b and a − b against a written result off by −2..2 units in its last digit,
    decided by plain Fraction arithmetic."""
    rng = random.Random(13)
    claims, expected = [], []
    for _ in range(40):
        a, b = (Fraction(rng.randint(1, 999), 1000) for _ in range(2))
        op = rng.choice("*+-")
        exact = a * b if op == "*" else a + b if op == "+" else a - b
        places = rng.randint(1, 4)
        unit = Fraction(1, 10**places)
        written = round(exact / unit) * unit + rng.randint(-2, 2) * unit
        text = f"{abs(written.numerator) * 10**places // written.denominator:0{places + 1}d}"
        result = d(f"{text[:-places]}.{text[-places:]}")
        A = d(f"0.{int(a * 1000):03d}")
        B = d(f"0.{int(b * 1000):03d}")
        left = A * B if op == "*" else A + B if op == "+" else A - B
        claims.append((left, result if written >= 0 else -result))
        expected.append(exact == written)  # rational arithmetic: exactly, nothing needed rounding
    found = verdicts(*claims)
    assert [v.status is Status.HOLDS for v in found] == expected
    assert not all(expected)


# -- what stays bad input ------------------------------------------------------------------------


def test_a_decimal_beside_a_variable_is_refused():
    for left, right, named in [
        (d("0.5") * s[i], s[i], "s_i"),  # beside an index
        (s[1], d("0.5"), "s_1"),  # a class named, but s_1 still varies with the logits
        (sp.Symbol("L"), d("0.5"), "L"),  # a defined symbol
        (d("0.5") * NT.classes, 1, "K"),  # the count
        (sp.exp(z[1]), d("2.718"), "z_1"),
    ]:
        with pytest.raises(VocabularyError, match="write exact numbers") as error:
            check(left, right, notation=NT)
        assert named in str(error.value)


def test_decimals_in_a_matrix_a_power_or_dividing_by_zero_are_refused():
    with pytest.raises(VocabularyError, match="in a matrix"):
        check(sp.ImmutableMatrix([[d("0.5"), 1]]), sp.ImmutableMatrix([[d("0.5"), 1]]), notation=NT)
    with pytest.raises(VocabularyError, match="powers must be rational"):
        check(2 ** d("0.5"), d("1.414"), notation=NT)
    with pytest.raises(VocabularyError, match="divides by zero"):
        check(1 / (1 - 2 * d("0.5")), d("1.0"), notation=NT)
    with pytest.raises(VocabularyError):
        check(sp.log(d("0.5") - d("0.6")), d("1.0"), notation=NT)  # log of a negative number


def test_digits_satisfy_require_numeric_and_nothing_stronger():
    assert Strength.DIGITS.rank == Strength.NUMERIC.rank < Strength.EXACT.rank < Strength.PROVED.rank


def test_the_cross_check_disagreeing_is_an_engine_error(monkeypatch):
    monkeypatch.setattr(digits_module, "_sympy_difference", lambda *args: (Fraction(1, 3), None))
    with pytest.raises(EngineError, match="SymPy evaluates"):
        digits_module.decide(sigmoid(d("0.5")), d("0.622"), NT)


def test_a_digits_verdict_is_cached_as_it_was_given(tmp_path):
    step = Step(sigmoid(d("0.5")), d("0.622"))
    derivation = Derivation("worked", "A worked example", NT, (step,))
    cache = VerdictCache(tmp_path)
    first = check_derivation(derivation, cache=cache).verdicts[0]
    again = check_derivation(derivation, cache=cache).verdicts[0]
    assert again.cached and again.strength is Strength.DIGITS and again.label == first.label == LABEL
    assert again.scope == first.scope
    # 0.6220 is another claim (one digit more): never answered by the entry for 0.622.
    other = check_derivation(Derivation("w", "w", NT, (Step(sigmoid(d("0.5")), d("0.6220")),)), cache=cache)
    assert other.verdicts[0].status is Status.FAILS and not other.verdicts[0].cached


# -- the exports show the label --------------------------------------------------------------------


@pytest.fixture(scope="module")
def worked():
    steps = (Step(sigmoid(d("0.5")), d("0.622")), Step(d("0.245") - 1, -d("0.754")))
    return check_derivation(Derivation("worked", "A worked example", NT, steps))


def test_json_markdown_latex_and_text_show_the_label(worked):
    data = json.loads(export(worked, "json"))
    jsonschema.validate(data, SCHEMA)
    held, failed = data["steps"]
    assert held["strength"] == "digits" and held["label"] == LABEL and held["scope"] == "within 0.0005"
    assert held["latex"] == r"\sigma\left(0.5\right) = 0.622" and held["text"] == "σ(0.5) = 0.622"
    assert failed["verdict"] == "fails" and failed["counterexample"]["left"] == "-0.755"
    assert failed["counterexample"]["K"] is None and failed["counterexample"]["inputs"] == {}
    assert data["summary"]["digits"] == 1 and data["summary"]["failed"] == 1
    assert "1 to the digits written" in data["summary"]["text"]
    for format in ("text", "markdown", "latex"):
        assert LABEL in export(worked, format), format
    latex = export(worked, "latex")
    assert "0.622" in latex and "Counterexample: left side $-0.755$, right side $-0.754$" in latex
    assert "fails" in export(worked, "markdown")


def test_the_schema_rejects_digits_without_its_count(worked):
    data = json.loads(export(worked, "json"))
    del data["summary"]["digits"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_the_summary_leaves_digits_out_when_there_are_none():
    checked = check_derivation(Derivation("plain", "Plain", NT, (Step(s[i], s[i]),)))
    assert "digits" not in json.loads(export(checked, "json"))["summary"]["text"]
    assert json.loads(export(checked, "json"))["summary"]["digits"] == 0


# -- the reader: a decimal token, read as written --------------------------------------------------


def _letters():
    return Letters(
        notation=NT,
        families={"s": s, "z": z, "y": y},
        aliases={},
        class_counts=frozenset({"K"}),
        example_counts=frozenset(),
        defined={"L": sp.Symbol("L")},
        scalars={},
    )


def _links(text):
    (statement,) = read_block(text, _letters())
    return [link.expr for link in statement.links]


def test_the_reader_reads_decimals_as_written():
    assert _links(r"\sigma(0.5) = 0.622") == [sigmoid(d("0.5")), d("0.622")]
    assert _links(r"0.2 \cdot 0.3 = 0.06") == [d("0.2") * d("0.3"), d("0.06")]
    assert _links(r"0.245 - 1 = -0.755") == [d("0.245") - 1, -d("0.755")]
    assert _links(r"-\log(0.7) = 0.357") == [-sp.log(d("0.7")), d("0.357")]
    assert _links(r"\frac{e^{2}}{e^{2} + e^{1}} = 0.731") == [sp.exp(2) / (sp.exp(2) + E), d("0.731")]
    assert _links(r"0.750 = 0.75") == [d("0.750"), d("0.75")]  # the trailing 0 is a digit written
    assert _links(r"e^{-0.5} = 0.607") == [sp.exp(-d("0.5")), d("0.607")]
    # The full stop of a sentence after a formula is not a decimal point.
    assert _links(r"\sigma(0.5) = 0.622.") == [sigmoid(d("0.5")), d("0.622")]


@pytest.mark.parametrize(
    "text, column, message",
    [
        ("0.5 2 = 1", 5, "two numbers with only a space between"),  # TeX prints 0.52
        ("2 0.5 = 1", 3, "two numbers with only a space between"),  # TeX prints 20.5
        ("s_i^0.5 = 1", 5, "TeX takes one digit"),  # TeX prints s_i^0 .5
        ("1.2.3 = 1", 1, "two decimal points"),
        (".5 = 0.5", 1, "write 0.5"),
        ("z_{0.5} = 1", 4, "unexpected '0.5'"),  # never an index
    ],
)
def test_decimals_that_look_alike_but_mean_something_else_are_refused(text, column, message):
    with pytest.raises(MathSyntaxError, match=message) as error:
        read_block(text, _letters())
    assert (error.value.line, error.value.column) == (1, column)


def test_a_decimal_beside_a_variable_in_a_lone_expression_is_refused_at_its_place():
    with pytest.raises(MathSyntaxError, match="decimal number 0.5: write exact numbers") as error:
        read_expression(r"s_i + 0.5 s_j", _letters())
    assert (error.value.line, error.value.column) == (1, 7)
    assert read_expression(r"\sigma(0.5)", _letters()) == sigmoid(d("0.5"))
