"""log x of a real variable: a step whose left side takes it (d/dx ln x = 1/x, as calculus
notes write it) is read for x > 0, where that side is defined, and says so; a step that would
narrow the domain of its left side (log x² = 2 log x), or takes a log the left does not, stays
not read. False steps on that domain still fail."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from derive.cli import cli


def _check(tmp_path, display: str):
    path = tmp_path / "log.md"
    # a control step first, so that the file always has a checked step
    path.write_text(f"$$\nx + x = 2 x\n$$\n\n$$\n{display}\n$$\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "json", str(path)])
    return result.exit_code, json.loads(result.output)


@pytest.mark.parametrize(
    "display",
    [
        r"\frac{d}{dx} \ln x = \frac{1}{x}",
        r"\frac{\partial \log(x)}{\partial x} = \frac{1}{x}",
        r"2 \log x = \log x^2",
        r"\frac{d}{dx} x \log x = \log x + 1",
    ],
)
def test_a_left_side_that_takes_log_x_is_read_for_positive_x(tmp_path, display):
    code, data = _check(tmp_path, display)
    assert code == 0, data
    _, step = data["steps"]
    assert step["verdict"] == "holds"
    assert "x > 0, where log x on the left is defined" in json.dumps(step)


@pytest.mark.parametrize(
    "display",
    [
        r"\frac{d}{dx} \ln x = \frac{2}{x}",
        r"\frac{d}{dx} \ln x = -\frac{1}{x}",
        r"\frac{d}{dx} x \log x = \log x",
        r"\log x + \log x = \log (2x)",
    ],
)
def test_a_false_step_on_that_domain_fails(tmp_path, display):
    code, data = _check(tmp_path, display)
    assert code == 1
    _, step = data["steps"]
    assert step["verdict"] == "fails"


@pytest.mark.parametrize(
    "display",
    [
        r"\log x^2 = 2 \log x",  # the left is defined for x < 0, the right is not
        r"x + x = x + e^{\log x}",  # the log is on the right only
        r"\log (x y) = \log x + \log y",  # xy > 0 does not make x and y positive
        r"\log x - \log x + 1 = 1",  # the left's log cancelled while the side was built
    ],
)
def test_a_step_that_narrows_its_domain_is_not_read(tmp_path, display):
    code, data = _check(tmp_path, display)
    assert code == 2
    assert len(data["steps"]) == 1 and "logarithms of positive quantities only" in data["not_read"][0]["reason"]
