"""A denominator the author wrote and SymPy cancelled while building a side (y_i s_i/y_i is
s_i at once) must still be nonzero wherever the step claims something: the witnesses never
see it, so the core checks it as a guard of the step. A step that divides by something 0 for
every input in some case (an index pattern, a one-hot label, a K) is refused unless a cited
case excludes it; a division by something 0 only at isolated values (x − 1) stays what
algebra texts mean by it: an identity wherever both sides are defined."""

from __future__ import annotations

import json

import pytest
import sympy as sp
from click.testing import CliRunner

from derive.cli import cli
from derive.core import (
    Derivation,
    Step,
    VocabularyError,
    check,
    check_derivation,
    different,
    index,
    indices,
    one_hot,
    scalar,
    softmax_notation,
    sums_to_one,
)
from derive.core.checking import check_guards

nt = softmax_notation()
s, z, y, K = nt.softmax, nt.logits, nt.labels, nt.classes
i, j = indices("i j")
a = index("a")
x = scalar("x")


def _written_over(numerator, denominator):
    """numerator·d/d as an author writes it, without SymPy cancelling d."""
    return sp.Mul(denominator, numerator, sp.Pow(denominator, -1, evaluate=False), evaluate=False)


@pytest.mark.parametrize(
    "denominator, cites, where",
    [
        (s[i] - s[j], (), "i = 1, j = 1"),
        (1 - sp.KroneckerDelta(i, j), (), "i = 1, j = 1"),
        (y[i], (one_hot(y),), "labels"),
        (y[i] - y[j], (), "i = 1, j = 1"),
        (sp.Sum(s[a], (a, 1, K)) - 1, (), "K = 2"),
        (sp.Sum(y[a], (a, 1, K)) - 1, (sums_to_one(y),), "K = 2"),
        (s[i] + s[j] - 2 * s[i] * sp.KroneckerDelta(i, j) - s[j] + s[i] * (sp.KroneckerDelta(i, j) - 1), (), ""),
    ],
    ids=["s_i-s_j", "1-delta", "one-hot-y_i", "y_i-y_j", "softmax-sum-1", "labels-sum-1", "zero-at-i=j-in-disguise"],
)
def test_a_cancelled_division_by_something_zero_in_a_case_is_refused(denominator, cites, where):
    left = _written_over(s[i], denominator)
    with pytest.raises(VocabularyError, match="which is 0 for every input") as caught:
        check(left, s[i], cites, notation=nt)
    assert where in str(caught.value)
    # and as a guard a reader hands over beside the cancelled side
    with pytest.raises(VocabularyError, match="which is 0 for every input"):
        check_guards((sp.Pow(denominator, -1, evaluate=False),), nt, cites)


def test_a_cited_case_that_excludes_the_zero_makes_the_division_a_step_and_is_needed():
    left = _written_over(s[i], s[i] - s[j])
    verdict = check(left, s[i], (different(i, j),), notation=nt)
    assert verdict.holds and different(i, j) in verdict.needed
    # the same through a reader's guard: the side is already s_i, the guard needs i ≠ j
    step = Step(s[i], s[i], (different(i, j),), guards=(sp.Pow(s[i] - s[j], -1, evaluate=False),))
    (verdict,) = check_derivation(Derivation("t", "t", nt, (step,))).verdicts
    assert verdict.holds and different(i, j) in verdict.needed
    # without the case the same guard refuses the step
    with pytest.raises(VocabularyError, match="s_i - s_j"):
        check_derivation(Derivation("t", "t", nt, (Step(s[i], s[i], guards=step.guards),)))


@pytest.mark.parametrize(
    "numerator, denominator",
    [
        (s[i], 1 + s[j]),  # positive by construction
        (s[i], sp.exp(z[i])),
        (x + 1, x - 1),  # zero at one value of x only
        (s[i], y[i]),  # labels with no stated fact: any real numbers, 0 at isolated values
    ],
    ids=["1+s_j", "e^z_i", "x-1", "y_i-unconstrained"],
)
def test_a_division_by_something_not_zero_in_any_whole_case_still_holds(numerator, denominator):
    verdict = check(_written_over(numerator, denominator), numerator, notation=nt)
    assert verdict.holds, verdict.label


def test_a_denominator_too_large_to_decide_is_refused_not_skipped():
    big = sp.Add(*[(x - v) ** 3 * s[i] for v in range(30)])
    with pytest.raises(VocabularyError, match="too large"):
        check(_written_over(s[i], big), s[i], notation=nt)


def _check_markdown(tmp_path, body: str):
    path = tmp_path / "d.md"
    path.write_text("Let $s_i = \\frac{e^{z_i}}{\\sum_k e^{z_k}}$ be the softmax of $z$.\n\n" + body, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "json", str(path)])
    return result.exit_code, json.loads(result.output)


@pytest.mark.parametrize(
    "display",
    [
        r"\frac{(s_i - s_j) s_i}{s_i - s_j} = s_i",
        r"\frac{(1 - \delta_{ij}) s_i}{1 - \delta_{ij}} = s_i",
        r"\frac{s_i (\sum_k s_k - 1)}{\sum_k s_k - 1} = s_i",
        r"\frac{s_i^2 - s_j^2}{s_i - s_j} = s_i + s_j",
    ],
)
def test_a_file_that_divides_by_zero_in_a_case_is_not_read_there(tmp_path, display):
    code, data = _check_markdown(tmp_path, f"$$\n{display}\n$$\n")
    assert code == 2
    assert [step["latex"].split(" = ")[0] for step in data["steps"]] == ["s_i"]  # only the definition
    assert "which is 0 for every input" in data["not_read"][-1]["reason"]


def test_one_hot_labels_stated_in_the_prose_make_y_i_a_denominator_that_vanishes(tmp_path):
    body = "The labels $y$ are one-hot.\n\n$$\n\\frac{y_i s_i}{y_i} = s_i\n$$\n\n$$\n\\log \\frac{y_i}{y_i} = 0\n$$\n"
    code, data = _check_markdown(tmp_path, body)
    assert code == 2 and len(data["not_read"]) == 2
    assert all("y_i, which is 0 for every input" in item["reason"] for item in data["not_read"])


def test_a_defined_name_that_cancels_still_needs_its_definition_to_be_defined(tmp_path):
    body = (
        "$$\nH = -\\sum_k y_k \\log y_k\n$$\n\n$$\ns_i + H - H = s_i\n$$\n\n"
        "$$\nL = -\\sum_k y_k \\log s_k\n$$\n\n$$\ns_i + L - L = s_i\n$$\n"
    )
    code, data = _check_markdown(tmp_path, body)
    assert code == 2
    assert [step["latex"] for step in data["steps"]][-1].startswith("s_i + L - L")
    assert any("log" in item["reason"] and item["source"].startswith("s_i + H - H") for item in data["not_read"])


@pytest.mark.parametrize(
    "display",
    [
        r"\frac{y_1 s_1}{y_1} + \dots + \frac{y_K s_K}{y_K} = 1",  # each written term divides by a label
        r"\frac{y_2 s_1}{y_2} + s_2 + \dots + s_K = 1",  # a term outside the written-out sum
    ],
)
def test_a_sum_written_out_keeps_the_denominators_of_its_terms(tmp_path, display):
    code, data = _check_markdown(tmp_path, f"The labels $y$ are one-hot.\n\n$$\n{display}\n$$\n")
    assert code == 2, data
    assert [step["latex"].split(" = ")[0] for step in data["steps"]] == ["s_i"]


def test_a_sum_written_out_with_logarithms_of_its_terms_is_read(tmp_path):
    code, data = _check_markdown(tmp_path, "$$\n\\log s_1 + \\dots + \\log s_K = \\sum_k \\log s_k\n$$\n")
    assert code == 0, data
    assert data["steps"][-1]["verdict"] == "holds"
