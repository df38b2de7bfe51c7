"""Names (issue 13, items 1 and 4): the softmax written as a function, loss names in every form
the header's ``loss:`` key lists, and functions written without a backslash.

Each form is checked for its reading, for the misreadings it must refuse (a wrong argument, a
run of letters that could be a product of declared symbols), and for a false step that the new
reading makes checkable: that step must fail."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.core import Partial, Status, check_derivation, family, index, scalar, sigmoid
from derive.read.derivation import read_derivation
from derive.read.source import SourceError

s, z, y = family("s"), family("z"), family("y")
i, j, k = index("i"), index("j"), index("k")
x, t = scalar("x"), scalar("t")
L = sp.Symbol("L")

LOSS = r"L, \mathcal{L}_{CE}, J(\theta), CE, \mathrm{MSE}, \text{loss}, \ell = -\sum_{k=1}^{K} y_k \log s_k"
HEADER = f"<!-- derive\nsoftmax: s of z\nlabels: y one-hot\nscalars: x, t\nloss: {LOSS}\n-->\n\n"


def read(tmp_path, body, header=HEADER):
    path = tmp_path / "n.md"
    path.write_text(header + body, encoding="utf-8")
    return read_derivation(path)


def first(tmp_path, math, header=HEADER):
    """The left side of ``math = 0`` as read, and the notes of its step (as the reader reads
    it: whether the core can then take it, log of a real x, is not this reading's question)."""
    from derive.read.latex_math import read_block

    derivation, _ = read(tmp_path, "$$ x = x $$\n", header)  # the letters the header declares
    reading = read_header_of(tmp_path / "n.md")
    (statement,) = read_block(f"{math} = 0", reading.letters)
    notes = "; ".join(statement.notes)
    return statement.links[0].expr, ("read as: " + notes) if notes else ""


def read_header_of(path):
    from derive.read.header import read_header
    from derive.read.source import Header, Place, read_source

    (header,) = [e for e in read_source(path) if isinstance(e, Header)]
    return read_header(header, Place(str(path), 1, 1))


def refused(tmp_path, math, header=HEADER) -> str:
    """The one-line reason a display is not read (it is listed, never checked)."""
    try:
        derivation, skipped = read(tmp_path, f"$$ {math} = 0 $$\n", header)
    except SourceError as error:
        return str(error)
    assert not derivation.steps and len(skipped) == 1
    return skipped[0].reason


def statuses(tmp_path, body, header=HEADER):
    derivation, skipped = read(tmp_path, body, header)
    assert not skipped, skipped
    return [verdict.status for verdict in check_derivation(derivation).verdicts]


HOLDS, FAILS = Status.HOLDS, Status.FAILS


# -- the softmax as a function ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "math",
    [
        r"\mathrm{softmax}(\mathbf{z})_i",
        r"\mathrm{softmax}(z)_i",
        r"\operatorname{softmax}(z)_i",
        r"\text{softmax}(z)_i",
        r"softmax(z)_i",
        r"softmax\left(z\right)_i",
        r"s(z)_i",  # the softmax's own letter, applied to the logits
    ],
)
def test_the_softmax_written_as_a_function_is_its_entry(tmp_path, math):
    got, note = first(tmp_path, math)
    assert got == s[i]


def test_a_softmax_entry_takes_its_power(tmp_path):
    got, _ = first(tmp_path, r"softmax(z)_i^2")
    assert got == s[i] ** 2


def test_another_softmax_letter_applied_to_the_logits(tmp_path):
    header = HEADER.replace("s of z", "S of z").replace("s_k", "S_k")
    got, _ = first(tmp_path, r"S(z)_j", header)
    assert got == family("S")[j]


def test_sigma_of_the_logits_with_an_index_is_the_softmax_and_says_so(tmp_path):
    got, note = first(tmp_path, r"\sigma(z)_j")
    assert got == s[j]
    assert note == "read as: \\sigma(z)_j as the softmax entry s_{j}"


def test_sigma_of_a_number_is_still_the_sigmoid(tmp_path):
    got, note = first(tmp_path, r"\sigma(z_j) + \sigma(x)")
    assert got == sigmoid(z[j]) + sigmoid(x) and note == ""


@pytest.mark.parametrize(
    "math, message",
    [
        (r"softmax(y)_i", "its argument must be the logits z"),
        (r"softmax(z_i)_i", "its argument must be the logits z"),
        (r"\sigma(y)_j", "its argument must be the logits z"),
        (r"\mathrm{softmax}(x)_j", "its argument must be the logits z"),
        (r"softmax(z)", "softmax(z) is a vector"),
        (r"softmax", "softmax needs its argument and an index"),
        (r"\mathrm{softmx}(z)_i", "unknown name \\mathrm{softmx}"),
    ],
)
def test_a_softmax_with_the_wrong_argument_is_refused(tmp_path, math, message):
    assert message in refused(tmp_path, math)


@pytest.mark.parametrize(
    "left, right, wrong",
    [
        (r"softmax(z)_i", r"\frac{e^{z_i}}{\sum_k e^{z_k}}", r"e^{z_i}"),
        (r"\mathrm{softmax}(\mathbf{z})_i", r"\frac{e^{z_i}}{\sum_k e^{z_k}}", r"\frac{e^{z_k}}{\sum_k e^{z_k}}"),
        (r"\sigma(z)_j", r"\frac{e^{z_j}}{\sum_k e^{z_k}}", r"\frac{1}{1 + e^{-z_j}}"),
    ],
)
def test_a_false_step_about_a_named_softmax_fails(tmp_path, left, right, wrong):
    body = f"$$ {left} = {right} $$\n\n$$ {left} = {wrong} $$\n"
    assert statuses(tmp_path, body) == [HOLDS, FAILS]


# -- loss names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "L",
        r"\mathcal{L}_{CE}",
        r"J(\theta)",
        "CE",
        r"\mathrm{CE}",
        "MSE",
        r"\mathrm{MSE}",
        "loss",
        r"\text{loss}",
        r"\ell",
    ],
)
def test_every_declared_name_of_the_loss_reads_as_the_loss(tmp_path, name):
    got, _ = first(tmp_path, f"\\frac{{\\partial {name}}}{{\\partial z_i}}")
    assert got == Partial(L, z[i])
    body = f"$$ \\frac{{\\partial {name}}}{{\\partial z_i}} = s_i - y_i $$\n\n$$ \\frac{{\\partial {name}}}{{\\partial z_i}} = s_i + y_i $$\n"
    assert statuses(tmp_path, body) == [HOLDS, FAILS]


@pytest.mark.parametrize(
    "math, message",
    [
        (r"J(x)", "J is declared as J(\\theta)"),
        (r"\mathcal{L}_{MSE}", "unknown symbol \\mathcal{L}"),
        (r"BCE", "unknown symbol B"),  # not declared: the letters, one by one
    ],
)
def test_a_loss_name_not_as_declared_is_refused(tmp_path, math, message):
    assert message in refused(tmp_path, math)


def test_a_loss_name_that_is_not_a_name_is_a_header_error(tmp_path):
    header = HEADER.replace(LOSS, r"L, 2L = -\sum_{k=1}^{K} y_k \log s_k")
    derivation, skipped = read(tmp_path, "$$ L = 0 $$\n", header)
    assert not derivation.steps  # L is then unknown: not read, never guessed
    assert any("is not a name" in s.reason for s in skipped) and any("unknown symbol L" in s.reason for s in skipped)


# -- runs of letters without a backslash -------------------------------------------------------------


@pytest.mark.parametrize(
    "math, expected, note",
    [
        (r"log(x) + ln x", 2 * sp.log(x), "read as: log as \\log; ln as \\ln"),
        (r"exp(x)", sp.exp(x), "read as: exp as \\exp"),
        (r"x t", x * t, ""),  # a run that spells nothing stays a product
    ],
)
def test_a_function_written_without_a_backslash(tmp_path, math, expected, note):
    got, rule = first(tmp_path, math)
    assert got == expected and rule == note


@pytest.mark.parametrize(
    "math, scalars",
    [
        (r"exp(x)", "x, t, p"),  # e·x·p: e is a symbol too
        (r"log(x)", "x, l, o, g"),
        (r"ln x", "x, l, n"),
        (r"CE", "x, C, E"),
    ],
)
def test_a_run_that_could_be_a_product_of_declared_symbols_is_refused(tmp_path, math, scalars):
    header = HEADER.replace("scalars: x, t", f"scalars: {scalars}")
    message = refused(tmp_path, math, header)
    run = math.split("(")[0].split()[0]
    assert f"{run} is either the name {run} or the product" in message


def test_the_run_is_read_as_the_function_in_a_false_step_that_fails(tmp_path):
    body = "$$ log(s_i) = z_i - log(\\sum_k e^{z_k}) $$\n\n$$ log(s_i) = z_i + log(\\sum_k e^{z_k}) $$\n"
    assert statuses(tmp_path, body) == [HOLDS, FAILS]
