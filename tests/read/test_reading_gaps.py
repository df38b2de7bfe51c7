"""Notation from the corpus of real derivations that derive did not read (issue 13): each form is
checked for its reading (the SymPy expression it becomes), for a false step that the reading
makes checkable (it must fail), and for the look-alikes that mean something else (refused).

The forms, with the corpus line each comes from:
  \\sum^K_{j=1}                    limits in the other order (04)
  [\\sigma(\\mathbf{a})]_i           an entry of the softmax vector in a group (04)
  \\partial \\sum_j ...             the differential of a sum (06)
  \\sum e^{x_d} beside dy_i/dx_j   a sum without an index next to d/dx and other such sums (27)
  e^{z_1} + \\cdots + e^{z_K}      a sum written with dots (issue 13, item 5)
  \\text{for } c = 1, \\dots, C     the range of an index ending a row (20, 28, 61)
  exp\\{z_i\\}, \\left\\{ ... \\right\\}  braces as brackets (09, 21)
  {\\partial L}/{\\partial z_i}     a slash derivative with grouped parts (20, 61)
  \\textbf{x}                      one letter in a text font (27)
  \\text{If } i=j, ... &= ...      a leading condition ended by a comma (21)
  &{= ...}                        what \\color{blue}{= ...} leaves of a row (05)
  \\mathbb{\\theta}_i               a font around a Greek letter (10)
"""

from __future__ import annotations

import pytest
import sympy as sp

from derive.core import Partial, Status, check_derivation, classes_symbol, family, index
from derive.read.derivation import read_derivation
from derive.read.latex_tokens import scan
from derive.read.source import SourceError

s, z, y, x, t, a = (family(n) for n in "szyxta")
i, j, k, d = index("i"), index("j"), index("k"), index("d")
K = classes_symbol("K")
HOLDS, FAILS = Status.HOLDS, Status.FAILS

HEADER = "softmax: s of z\nlabels: y one-hot\nloss: L = -\\sum_{k=1}^{K} y_k \\log s_k\n"
EXP_SUM = sp.Sum(sp.exp(z[k]), (k, 1, K))


def read(tmp_path, body, header=HEADER):
    path = tmp_path / "u.md"
    path.write_text(f"<!-- derive\n{header}-->\n\n{body}", encoding="utf-8")
    return read_derivation(path)


def steps(tmp_path, math, header=HEADER):
    """The steps of one display, as (left, right, notes)."""
    derivation, skipped = read(tmp_path, f"$$ {math} $$\n", header)
    assert not skipped, skipped
    return [(step.previous, step.next, step.rule) for step in derivation.steps]


def sides(tmp_path, math, header=HEADER):
    (found,) = steps(tmp_path, math, header)
    return found


def refused(tmp_path, math, header=HEADER) -> str:
    try:
        derivation, skipped = read(tmp_path, f"$$ {math} $$\n", header)
    except SourceError as error:
        return str(error)
    assert not derivation.steps and len(skipped) == 1, (derivation.steps, skipped)
    return skipped[0].reason


def statuses(tmp_path, maths, header=HEADER):
    derivation, skipped = read(tmp_path, "".join(f"$$ {m} $$\n\n" for m in maths), header)
    assert not skipped, skipped
    return [verdict.status for verdict in check_derivation(derivation).verdicts]


# -- \sum^K_{j=1} ------------------------------------------------------------------------------


def test_limits_written_upper_first_are_the_same_sum(tmp_path):
    left, right, note = sides(tmp_path, r"\sum^K_{k=1} e^{z_k} = \sum_{k=1}^K e^{z_k}")
    assert left == EXP_SUM == right and note == ""
    assert statuses(
        tmp_path, [r"s_i = \frac{e^{z_i}}{\sum^K_{j=1} e^{z_j}}", r"s_i = \frac{e^{z_i}}{\sum^K_{j=1} e^{z_i}}"]
    ) == [
        HOLDS,
        FAILS,
    ]


def test_an_upper_limit_alone_is_still_refused(tmp_path):
    assert "unexpected" in refused(tmp_path, r"\sum^K e^{z_k} = 1")


# -- [\sigma(\mathbf{a})]_i --------------------------------------------------------------------

SIGMA = "softmax: \\sigma of a\nclasses: K\n"


def test_an_entry_of_the_softmax_vector_in_a_group(tmp_path):
    sigma = family("sigma")
    for written in (r"[\sigma(\mathbf{a})]_i", r"(\sigma(a))_i", r"\left[\sigma(\mathbf{a})\right]_i"):
        left, _, _ = sides(tmp_path, f"{written} = \\sigma_i", SIGMA)
        assert left == sigma[i], written
    left, _, _ = sides(tmp_path, r"[\sigma(\mathbf{a})]_i^2 = \sigma_i^2", SIGMA)
    assert left == sigma[i] ** 2
    body = [
        r"\frac{\partial[\sigma(\mathbf{a})]_i}{\partial a_j} = \sigma_i(1_{i=j} - \sigma_j)",
        r"\frac{\partial[\sigma(\mathbf{a})]_i}{\partial a_j} = \sigma_i(1_{i=j} + \sigma_j)",
    ]
    assert statuses(tmp_path, body, SIGMA) == [HOLDS, FAILS]


@pytest.mark.parametrize("written", [r"[\sigma(\mathbf{z})]_i", r"[\sigma(a_j)]_i", r"[a \sigma(a)]_i", r"[a_j]_i"])
def test_a_group_with_an_index_that_is_not_a_softmax_entry_is_refused(tmp_path, written):
    reason = refused(tmp_path, f"{written} = 1", SIGMA)
    assert "argument must be the logits" in reason or "has no meaning" in reason


# -- \partial of a sum -------------------------------------------------------------------------


def test_the_differential_of_a_sum(tmp_path):
    left, right, _ = sides(tmp_path, r"\frac{\partial \sum_k e^{z_k}}{\partial z_j} = e^{z_j}")
    assert left == Partial(EXP_SUM, z[j]) and right == sp.exp(z[j])
    body = r"\frac{\partial \sum_k e^{z_k}}{\partial z_j} = e^{z_j}"
    assert statuses(tmp_path, [body, r"\frac{\partial \sum_k e^{z_k}}{\partial z_j} = 2 e^{z_j}"]) == [
        HOLDS,
        FAILS,
    ]


# -- sums without an index beside d/dx and beside each other -----------------------------------

BIEBER = "softmax: y of x\nlabels: t one-hot\nloss: L = -\\sum_i t_i \\log y_i\n"


def test_the_d_of_dy_dx_and_another_sum_without_an_index_leave_the_index_free_in_the_body(tmp_path):
    left, right, note = sides(
        tmp_path, r"\frac{dy_i}{dx_j} = -\frac{e^{x_i}}{\sum e^{x_d}} \cdot \frac{e^{x_j}}{\sum e^{x_d}}", BIEBER
    )
    exp_sum = sp.Sum(sp.exp(x[d]), (d, 1, K))
    assert left == Partial(y[i], x[j])
    assert right == -sp.exp(x[i]) / exp_sum * sp.exp(x[j]) / exp_sum
    assert note == "read as: \\sum e^{x_d} as the sum over d"
    body = [
        r"\frac{dy_i}{dx_j} = -\frac{e^{x_i}}{\sum e^{x_d}} \cdot \frac{e^{x_j}}{\sum e^{x_d}}, \quad i \neq j",
        r"\frac{dy_i}{dx_j} = \frac{e^{x_i}}{\sum e^{x_d}} \cdot \frac{e^{x_j}}{\sum e^{x_d}}, \quad i \neq j",
        r"\frac{dy_i}{dx_j} = \frac{\sum e^{x_d} \cdot e^{x_i} - e^{x_i} \cdot e^{x_i}}{(\sum e^{x_d})^2}, \quad i = j",
        r"\frac{dy_i}{dx_j} = \frac{\sum e^{x_d} \cdot e^{x_i} - e^{x_i}}{(\sum e^{x_d})^2}, \quad i = j",
    ]
    assert statuses(tmp_path, body, BIEBER) == [HOLDS, FAILS, HOLDS, FAILS]
    # written \sum e^{x_d} \cdot 0: a sum of zeros (or the sum times 0), 0 either way; the off-
    # diagonal step then holds where i ≠ j, and with a wrong sign it fails
    zero = r"\frac{dy_i}{dx_j} = \frac{\sum e^{x_d} \cdot 0 - e^{x_i} \cdot e^{x_j}}{(\sum e^{x_d})^2}, \quad i \neq j"
    assert statuses(tmp_path, [zero, zero.replace("0 - e", "0 + e")], BIEBER) == [HOLDS, FAILS]


def test_an_index_bound_by_a_written_sum_elsewhere_is_not_free_there(tmp_path):
    math = (
        r"\frac{dL}{dx_j} = -\sum t_i \frac{1}{y_i} \frac{dy_i}{d{x_j}} = "
        r"\sum\limits_i \begin{cases} t_i (y_i - 1) & i=j \\ t_i y_j & i \ne j \end{cases}"
    )
    (first, second) = steps(tmp_path, math, BIEBER)
    assert first[1] == -sp.Sum(t[i] / y[i] * Partial(y[i], x[j]), (i, 1, K))
    assert "as the sum over i" in first[2]
    wrong = math.replace("t_i (y_i - 1) & i=j", "t_i (y_i + 1) & i=j")
    assert statuses(tmp_path, [math, wrong], BIEBER) == [HOLDS, HOLDS, HOLDS, FAILS]


@pytest.mark.parametrize(
    "math",
    [
        r"\sum e^{x_d} e^{x_i} + \sum e^{x_d} t_i = 1",  # d or i in each: two candidates
        r"\sum e^{x_i} = e^{x_i}",  # i is free outside
    ],
)
def test_sums_without_an_index_that_stay_ambiguous_are_refused(tmp_path, math):
    assert "a sum without an index" in refused(tmp_path, math, BIEBER)


def test_a_declared_d_is_not_taken_for_the_d_of_dy_dx(tmp_path):
    reason = refused(tmp_path, r"\frac{dy_i}{dx_j} = \frac{e^{x_i}}{\sum e^{x_d}}", BIEBER + "scalars: d\n")
    assert "d is declared here" in reason or "a sum without an index" in reason


# -- e^{z_1} + \cdots + e^{z_K} ----------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        r"e^{z_1} + \cdots + e^{z_K}",
        r"e^{z_1} + \dots + e^{z_K}",
        r"e^{z_1} + \ldots + e^{z_K}",
        r"e^{z_1} + e^{z_2} + \cdots + e^{z_K}",
    ],
)
def test_a_sum_written_with_dots_is_the_sum_over_the_classes(tmp_path, written):
    left, right, note = sides(tmp_path, f"{written} = \\sum_j e^{{z_j}}")
    assert left == EXP_SUM and right == sp.Sum(sp.exp(z[j]), (j, 1, K))
    assert note == f"read as: {written} as the sum over k from 1 to K"


def test_terms_before_the_dotted_sum_stay_and_the_fresh_index_avoids_the_letters_used(tmp_path):
    left, _, _ = sides(tmp_path, r"1 + y_1 s_k + \cdots + y_K s_k = 1 + s_k")
    m = index("j")
    assert left == 1 + sp.Sum(y[m] * s[k], (m, 1, K))


def test_a_false_step_with_a_dotted_sum_fails(tmp_path):
    body = [r"s_i (e^{z_1} + \cdots + e^{z_K}) = e^{z_i}", r"s_i (e^{z_1} + \cdots + e^{z_K}) = 2 e^{z_i}"]
    assert statuses(tmp_path, body) == [HOLDS, FAILS]
    body = [r"y_1 \log s_1 + \cdots + y_K \log s_K = -L", r"y_1 \log s_1 + \cdots + y_K \log s_K = L"]
    assert statuses(tmp_path, body) == [HOLDS, FAILS]


@pytest.mark.parametrize(
    "math, message",
    [
        (r"e^{z_2} + \cdots + e^{z_K} = 1", "must differ only in an index"),  # starts at 2
        (r"e^{z_1} + e^{z_3} + \cdots + e^{z_K} = 1", "must differ only in an index"),  # skips 2
        (r"e^{z_1} + \cdots + e^{y_K} = 1", "must differ only in an index"),  # another family
        (r"e^{z_1} + \cdots + e^{z_1} = 1", "must differ only in an index"),  # no count
        (r"z_1 + \cdots + z_K y_1 = 1", "must differ only in an index"),  # more than the index
        (r"-e^{z_1} + \cdots + e^{z_K} = 1", "must differ only in an index"),  # the sign differs
        (r"e^{z_1} - \cdots - e^{z_K} = 1", "must differ only in an index"),
        (r"e^{z_1} + \cdots = 1", "only between two terms of a sum"),
        (r"e^{z_1} + \cdots - e^{z_K} = 1", "only between two terms of a sum"),
        (r"e^{z_1} \cdots e^{z_K} = 1", "write every term out"),  # a product
        (r"\cdots + e^{z_K} = 1", "write every term out"),
        (r"e^{z_1} + \vdots + e^{z_K} = 1", "write every term out"),
    ],
)
def test_dots_that_are_not_such_a_sum_are_refused(tmp_path, math, message):
    assert message in refused(tmp_path, math)


def test_dots_over_a_class_count_written_n_read_the_seed_block(tmp_path):
    header = "softmax: s of z\nlabels: y one-hot\nclasses: n\nloss: L = -\\sum_{k=1}^{n} y_k \\log s_k\n"
    math = r"\frac{\partial}{\partial z_j} [e^{z_1} + \dots + e^{z_n}] = e^{z_j}"
    left, right, note = sides(tmp_path, math, header)
    n = classes_symbol("n")
    assert left == Partial(sp.Sum(sp.exp(z[k]), (k, 1, n)), z[j])
    assert "as the sum over k from 1 to n" in note


# -- \text{for } c = 1, \dots, C ---------------------------------------------------------------

ROELANTS = "softmax: y of z\nlabels: t one-hot\nclasses: C\nloss: L = -\\sum_c t_c \\log y_c\n"


@pytest.mark.parametrize(
    "written",
    [
        r"\quad \text{for} \; c = 1 \cdots C",
        r"\;\;\;\text{ for } c = 1, \dots, C",
        r"\text{ for } c = 1, \ldots, C.",
    ],
)
def test_the_range_of_an_index_ending_a_row_is_derives_own_range(tmp_path, written):
    left, right, note = sides(tmp_path, f"y_c = \\frac{{e^{{z_c}}}}{{\\sum_{{d=1}}^C e^{{z_d}}}} {written}", ROELANTS)
    c, C = index("c"), classes_symbol("C")
    assert left == y[c] and right == sp.exp(z[c]) / sp.Sum(sp.exp(z[d]), (d, 1, C))
    assert note == "read as: for c = 1, ..., C as the range of c (derive reads every index over 1..C)"
    assert scan(f"y_c = 1 {written}").ranges == [("c", "C", 1, scan(f"y_c = 1 {written}").ranges[0][3])]


def test_a_false_step_with_a_range_fails(tmp_path):
    body = [
        r"y_c = \frac{e^{z_c}}{\sum_{d=1}^C e^{z_d}} \text{ for } c = 1, \dots, C",
        r"y_c = \frac{e^{z_c}}{\sum_{d=1}^C e^{z_c}} \text{ for } c = 1, \dots, C",
    ]
    assert statuses(tmp_path, body, ROELANTS) == [HOLDS, FAILS]


@pytest.mark.parametrize(
    "math, message",
    [
        (r"y_c = 1 \text{ for } c = 1, \dots, K", "K is not the class count"),
        (r"y_c = 1 \text{ for } L = 1, \dots, C", "L is declared, not an index"),
        (r"y_c = 1 \text{ for } c = 2, \dots, C", ""),  # part of the range
        (r"y_c = 1 \text{ for } c = 1, \dots, C, \quad t_c = 1", ""),  # more after it
        (r"y_c = 1 \quad c = 1, \dots, C", ""),  # no word: not a range
        (r"y_c = 1 \text{ if } c = 1, \dots, C", ""),
    ],
)
def test_what_is_not_a_whole_range_is_refused(tmp_path, math, message):
    assert message in refused(tmp_path, math, ROELANTS)


# -- braces as brackets -------------------------------------------------------------------------

HINTON = "softmax: q of z\nlabels: y one-hot\nclasses: N\ntemperature: T\nloss: L = -\\sum_i y_i \\log q_i\n"


def test_a_function_with_its_argument_in_set_braces(tmp_path):
    left, right, note = sides(tmp_path, r"q_i=exp\{z_i\}/\sum_j exp\{z_j\}", HINTON)
    N = classes_symbol("N")
    assert right == sp.exp(z[i]) / sp.Sum(sp.exp(z[j]), (j, 1, N))
    assert "exp\\{...\\} as exp(...)" in note
    # q is the softmax at temperature T: without /T the page's line is false (a real error in 09)
    body = [r"q_i=\exp\{z_i/T\}/\sum_j \exp\{z_j/T\}", r"q_i=\exp\{z_i\}/\sum_j \exp\{z_j\}"]
    assert statuses(tmp_path, body, HINTON) == [HOLDS, FAILS]


def test_big_braces_around_an_expression_group_it_and_an_indicator_stays_one(tmp_path):
    left, right, _ = sides(
        tmp_path, r"\frac{\partial}{\partial z_i} \left\{ \frac{e^{z_i}}{\sum_k e^{z_k}} \right\} = s_i (1 - s_i)"
    )
    assert left == Partial(sp.exp(z[i]) / EXP_SUM, z[i])
    left, _, _ = sides(tmp_path, r"\mathbb{1}\{i=j\} s_i = s_j 1\{i = j\}")
    from derive.core import Indicator

    assert left == Indicator(i, j) * s[i]
    body = [
        r"\frac{\partial}{\partial z_i} \left\{ \frac{e^{z_i}}{\sum_k e^{z_k}} \right\} = s_i (1 - s_i)",
        r"\frac{\partial}{\partial z_i} \left\{ \frac{e^{z_i}}{\sum_k e^{z_k}} \right\} = s_i (1 + s_i)",
    ]
    assert statuses(tmp_path, body) == [HOLDS, FAILS]


@pytest.mark.parametrize("math", [r"q_i = \exp\{z_i)", r"q_i = \exp(z_i\}"])
def test_unbalanced_braces_after_a_function_are_refused(tmp_path, math):
    assert "unexpected" in refused(tmp_path, math, HINTON)


# -- {\partial L}/{\partial z_i} ---------------------------------------------------------------


def test_a_slash_derivative_with_grouped_parts(tmp_path):
    for written in (r"{\partial L}/{\partial z_i}", r"(\partial L)/(\partial z_i)"):
        left, _, _ = sides(tmp_path, f"{written} = s_i - y_i")
        assert left == Partial(sp.Symbol("L"), z[i]) or isinstance(left, Partial), written
    body = [r"{\partial L}/{\partial z_i} = s_i - y_i", r"{\partial L}/{\partial z_i} = y_i - s_i"]
    assert statuses(tmp_path, body) == [HOLDS, FAILS]


@pytest.mark.parametrize("math", [r"{\partial L s_i}/{\partial z_i} = 1", r"{\partial L}^2/{\partial z_i} = 1"])
def test_a_group_with_more_than_the_differential_is_refused(tmp_path, math):
    reason = refused(tmp_path, math)
    # refused as a lone differential, or (adversary 34) as TeX braces grouping a product
    assert "\\partial f alone" in reason or "{ } groups nothing on the page" in reason


# -- \textbf{x} -------------------------------------------------------------------------------


def test_one_letter_in_a_text_font_is_that_letter(tmp_path):
    left, right, note = sides(tmp_path, r"y_i = \text{softmax}(\textbf{x})_i", BIEBER)
    assert left == right == y[i] and "\\textbf{x} as x" in note
    assert statuses(
        tmp_path, [r"y_i = \text{softmax}(\textbf{x})_i", r"y_j = \text{softmax}(\textbf{x})_i"], BIEBER
    ) == [
        HOLDS,
        FAILS,
    ]


@pytest.mark.parametrize("math", [r"y_i = y_i \textbf{x}", r"y_i = y_i \text{ x }", r"y_i = y_i \textit{t}"])
def test_a_letter_in_a_text_font_is_never_dropped(tmp_path, math):
    # it used to be skipped as prose, and y_i = y_i \textbf{x} held
    assert "needs an index" in refused(tmp_path, math, BIEBER)


# -- \text{If } i=j, ... -----------------------------------------------------------------------


def test_a_leading_condition_ended_by_a_comma_is_the_case(tmp_path):
    assert list(scan(r"\text{If } i=j, \frac{\partial s_i}{\partial z_j} = s_i(1-s_j)").conditions.values()) == [
        "i = j"
    ]
    good = r"\begin{align} \text{If } i=j, \frac{\partial s_i}{\partial z_j} &= s_i (1 - s_j) \end{align}"
    bad = r"\begin{align} \text{If } i\neq j, \frac{\partial s_i}{\partial z_j} &= s_i (1 - s_j) \end{align}"
    assert statuses(tmp_path, [good, bad]) == [HOLDS, FAILS]


def test_a_comma_after_letters_that_are_not_indices_is_not_a_case(tmp_path):
    assert scan(r"\text{If } a=b, s_i = s_j").conditions == {}


# -- &{= ...} ---------------------------------------------------------------------------------

DEB = "softmax: q of z\nlabels: p sums to one\nclasses: n\nloss: J = -\\sum_i p_i \\log{q_i}\n"


def test_a_coloured_continuation_of_the_chain_is_read(tmp_path):
    good = r"\begin{align*} \frac{d}{dz_i}J &=-p_i+\frac{e^{z_i}}{\sum_{k=1}^ne^{z_k}}\\ &\,\,\color{blue}{=-p_i+q_i} \end{align*}"
    (_, second) = steps(tmp_path, good, DEB)
    assert second[1] == -family("p")[i] + family("q")[i]
    bad = good.replace("{=-p_i+q_i}", "{=p_i-q_i}")
    assert statuses(tmp_path, [good, bad], DEB) == [HOLDS, HOLDS, HOLDS, FAILS]


@pytest.mark.parametrize("math", [r"q_i = {= q_i} \\ &= q_i", r"q_i = {q_i = } q_i"])
def test_braces_that_do_not_end_a_continuing_row_stay_a_group(tmp_path, math):
    assert "unexpected '='" in refused(tmp_path, math, DEB)


# -- \mathbb{\theta} --------------------------------------------------------------------------


def test_a_font_around_a_greek_letter_is_the_letter(tmp_path):
    header = "softmax: \\hat{y} of \\theta\nlabels: y one-hot\nclasses: K\n"
    theta, yhat = family("theta"), family("yhat")
    left, right, note = sides(
        tmp_path, r"\hat{y}_i = \frac{\exp(\mathbb{\theta}_i)}{\sum_j \exp(\mathbb{\theta}_j)}", header
    )
    assert right == sp.exp(theta[i]) / sp.Sum(sp.exp(theta[j]), (j, 1, K)) and "\\mathbb{\\theta} as \\theta" in note
    assert left.base.label == yhat.label if hasattr(left, "base") else True
    body = [
        r"\hat{y}_i = \frac{\exp(\mathbb{\theta}_i)}{\sum_j \exp(\mathbb{\theta}_j)}",
        r"\hat{y}_i = \frac{\exp(\mathbb{\theta}_i)}{\sum_j \exp(\mathbb{\theta}_i)}",
    ]
    assert statuses(tmp_path, body, header) == [HOLDS, FAILS]
    assert "\\hat takes one letter" in refused(tmp_path, r"\hat{y}_i = \hat{\theta}_i", header)
