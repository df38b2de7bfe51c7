"""\\max_k z_k (the logsumexp trick's shift) is read as a stand-in: one real number the step
must hold for whatever its value. The shift invariance holds for every m, so it is proved; a
step that needs what a maximum is (m ≥ z_k, e^{max} = max e^z) cannot be decided that way and
is undecided, never failed at a value the maximum could not take; a derivative of it is not
read. A decorated letter (\\bar{x}, \\tilde{x}) can be the name a definition gives it."""

from __future__ import annotations

import json

import pytest
import sympy as sp
from click.testing import CliRunner

from derive.cli import cli
from derive.core import Partial, Status, VocabularyError, check, indices, softmax_notation
from derive.core.vocabulary import StandIn

_HEAD = "Let $s_i = \\frac{e^{z_i}}{\\sum_k e^{z_k}}$ be the softmax of $z$.\n\n"


def _check(tmp_path, body: str):
    path = tmp_path / "max.md"
    path.write_text(_HEAD + body, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "json", str(path)])
    return result.exit_code, json.loads(result.output)


@pytest.mark.parametrize("name", ["m", "M", "\\bar{z}", "\\tilde{z}"])
def test_the_shift_of_the_logsumexp_trick_is_proved_for_any_name(tmp_path, name):
    body = (
        f"Let ${name} = \\max_k z_k$.\n\n"
        f"$$\ns_i = \\frac{{e^{{z_i - {name}}}}}{{\\sum_k e^{{z_k - {name}}}}}\n$$\n\n"
        f"$$\n\\log \\sum_k e^{{z_k}} = {name} + \\log \\sum_k e^{{z_k - {name}}}\n$$\n"
    )
    code, data = _check(tmp_path, body)
    assert code == 0, data
    assert [step["verdict"] for step in data["steps"]] == ["holds"] * 3
    text = CliRunner().invoke(cli, ["check", "--no-cache", str(tmp_path / "max.md")]).output
    assert "is defined here" in text and "read as: max_k z_k as one real number" in text


@pytest.mark.parametrize(
    "display",
    [
        r"\log \sum_k e^{z_k} = m + \log \sum_k e^{z_k + m}",  # the shift's sign
        r"\log \sum_k e^{z_k} = m - \log \sum_k e^{z_k - m}",
        r"s_i = \frac{e^{z_i - m}}{\sum_k e^{z_k}}",  # shifted above only
        r"e^{\max_k z_k} = \max_k e^{z_k}",  # true, but only by what a maximum is
    ],
)
def test_a_step_that_holds_for_no_value_or_needs_the_maximum_is_undecided_not_proved(tmp_path, display):
    code, data = _check(tmp_path, f"Let $m = \\max_k z_k$.\n\n$$\n{display}\n$$\n")
    assert code == 1
    step = data["steps"][-1]
    assert step["verdict"] == "undecided" and step["counterexample"] is None
    assert "derive does not know which values" in step["reason"]


@pytest.mark.parametrize(
    ("display", "reason"),
    [
        (r"\frac{\partial m}{\partial z_j} = 0", "a derivative of max_k z_k"),
        (r"\frac{\partial}{\partial z_j} (z_i - m) = \delta_{ij}", "a derivative of max_k z_k"),
        (r"\max z_1 = z_1", "needs the index it runs over"),
        (r"\max_k z_1 = z_1", "does not use k"),
        (r"\max_k z_i = z_i", "another free index (i)"),
        (r"\max_k (z_k + z_i) = z_i", "another free index"),
    ],
)
def test_what_a_stand_in_cannot_say_is_not_read(tmp_path, display, reason):
    code, data = _check(tmp_path, f"Let $m = \\max_k z_k$.\n\n$$\n{display}\n$$\n")
    assert code == 2
    assert any(reason in item["reason"] for item in data["not_read"]), data["not_read"]


def test_the_core_refuses_a_derivative_of_a_stand_in_and_never_fails_a_step_on_one():
    nt = softmax_notation()
    s, z = nt.softmax, nt.logits
    (j,) = indices("j")
    m = StandIn("max_k z_k", real=True)
    with pytest.raises(VocabularyError, match="a derivative of max_k z_k"):
        check(Partial(m, z[j]), 0, notation=nt)
    verdict = check(sp.exp(m) * s[j], s[j], notation=nt)
    assert verdict.status is Status.UNDECIDED and verdict.counterexample is None
    assert check(sp.exp(z[j] - m) / sp.exp(-m), sp.exp(z[j]), notation=nt).holds
