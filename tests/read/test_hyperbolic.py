"""tanh, sinh, cosh, sech and softplus, read through exponentials (tanh u = (e^{2u} − 1)/(e^{2u} + 1)),
so that every witness decides them as it decides e^u; \\tanh^2 x is (tanh x)^2, and only a
whole power above 1 is read that way (\\tanh^{-1} is the inverse function); \\tanh'(x) is the
derivative at a variable."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from derive.cli import cli


def _check(tmp_path, display: str):
    path = tmp_path / "h.md"
    path.write_text(f"$$\nx + x = 2 x\n$$\n\n$$\n{display}\n$$\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "json", str(path)])
    return result.exit_code, json.loads(result.output)


@pytest.mark.parametrize(
    "display",
    [
        r"\frac{d}{dx} \tanh x = 1 - \tanh^2 x",
        r"\frac{d}{dx} \tanh x = \operatorname{sech}^2 x",
        r"\cosh^2 x - \sinh^2 x = 1",
        r"\frac{d}{dx} \cosh x = \sinh x",
        r"\frac{d}{dx} \sinh x = \cosh x",
        r"\tanh x = \frac{\sinh x}{\cosh x} = 2 \sigma(2x) - 1",
        r"\frac{d}{dx} \log \cosh x = \tanh x",
        r"\frac{d}{dx} \tanh(2x) = 2 (1 - \tanh^2 (2x))",
        r"\tanh'(x) = 1 - \tanh^2 x",
        r"\frac{d}{dx} \operatorname{softplus}(x) = \sigma(x)",
        r"\operatorname{softplus}'(x) = \sigma(x)",
    ],
)
def test_true_identities_hold(tmp_path, display):
    code, data = _check(tmp_path, display)
    assert code == 0, data
    assert all(step["verdict"] == "holds" for step in data["steps"])
    assert "e^{u}" in data["steps"][1]["rule"] or "e^{2u}" in data["steps"][1]["rule"]  # the reading is shown


@pytest.mark.parametrize(
    "display",
    [
        r"\frac{d}{dx} \tanh x = (1 - \tanh x)^2",  # squared the wrong thing
        r"\frac{d}{dx} \tanh x = 1 + \tanh^2 x",  # a sign
        r"\frac{d}{dx} \tanh x = \cosh^2 x",  # cosh for sech
        r"\cosh^2 x + \sinh^2 x = 1",  # the trigonometric identity's sign
        r"\frac{d}{dx} \cosh x = -\sinh x",  # the cosine's sign
        r"\frac{d}{dx} \tanh(2x) = 1 - \tanh^2 (2x)",  # the chain rule's factor 2 dropped
        r"\tanh^2 x = \tanh(x^2)",  # the power read on the argument
        r"\tanh'(x) = 1 + \tanh^2 x",
        r"\operatorname{softplus}'(x) = 1 - \sigma(x)",
        r"\operatorname{softplus}(x) = \log(1 + e^{-x})",
    ],
)
def test_false_steps_fail(tmp_path, display):
    code, data = _check(tmp_path, display)
    assert code == 1
    assert data["steps"][-1]["verdict"] == "fails"


@pytest.mark.parametrize(
    "display", [r"\tanh^{-1} x = x", r"\tanh^{1/2} x = x", r"\tanh^{x} x = 1", r"\tanh'(2x) = 1 - \tanh^2(2x)"]
)
def test_a_power_of_a_function_other_than_a_whole_power_is_not_read(tmp_path, display):
    code, data = _check(tmp_path, display)
    assert code == 2 and len(data["steps"]) == 1
    assert "only" in data["not_read"][0]["reason"] or "is read at a declared scalar" in data["not_read"][0]["reason"]
