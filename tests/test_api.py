"""The Python API: derive.check_text and derive.check_file, and the Result they return."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

import derive
from derive.api import DeriveInputError, Result
from derive.cli import cli

HOLDS = r"""# The softmax Jacobian

<!-- derive: case i \neq j -->
$$
\frac{\partial s_i}{\partial z_j} = -\frac{e^{z_i} e^{z_j}}{\left(\sum_{k=1}^{K} e^{z_k}\right)^2} = -s_i s_j
$$
"""

FAILS = r"""<!-- derive
softmax: s of z
labels: y one-hot
loss: L = -\sum_{k=1}^{K} y_k \log s_k
-->

$$
\frac{\partial L}{\partial z_i} = -\sum_{k=1}^{K} y_k (\delta_{ki} - s_i) = y_i - s_i
$$
"""

LATEX = r"""\documentclass{article}
\begin{document}
% derive: case i = j
\begin{align*}
\frac{\partial s_i}{\partial z_j} &= s_i (1 - s_i) \\
  &= s_i - s_i^2
\end{align*}
\end{document}
"""


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path_factory.mktemp("api-cache")))


def test_import_derive_stays_light_and_exports_lazily():
    code = (
        "import sys, derive\n"
        "assert derive.__version__\n"
        "assert callable(derive.check_text) and callable(derive.check_file)\n"
        "assert callable(derive.load_ipython_extension)\n"
        "assert 'sympy' not in sys.modules, 'sympy imported'\n"
        "assert 'IPython' not in sys.modules, 'IPython imported'\n"
        "print('ok')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        derive.nonsense  # noqa: B018


def test_a_holding_derivation():
    result = derive.check_text(HOLDS)
    assert isinstance(result, Result)
    assert [v.label for v in result.steps] == ["proved for all K", "proved for all K"]
    assert result.all_hold and result.exit_status == 0 and result.status("proved") == 0
    text = str(result)
    assert text.startswith("The softmax Jacobian\n")
    assert "<text>:5:37; cites i ≠ j" in text
    assert "<text>: 2 checked, 0 not read, 0 skipped by a directive, 0 not an equality, 0 failed or undecided" in text
    markdown = result._repr_markdown_()
    assert markdown.startswith("# The softmax Jacobian\n")
    assert markdown.count("✓ proved for all K") == 2
    assert "**2 steps: 2 proved for all K" in markdown


def test_a_failing_step_shows_its_counterexample():
    result = derive.check_text(FAILS, name="notes.md")
    assert [v.status.value for v in result.steps] == ["holds", "fails"]
    assert not result.all_hold and result.exit_status == 1
    failed = result.steps[1]
    assert failed.counterexample is not None
    seen = failed.counterexample.describe()
    assert seen == "K = 2, i = 1; e^{z_1} = 1, e^{z_2} = 1, y_1 = 1, y_2 = 0: left = -1/2, right = 1/2"
    assert f"counterexample: {seen}" in str(result)
    assert "✗ fails" in str(result)
    row = next(line for line in result._repr_markdown_().splitlines() if line.startswith("| (2)"))
    assert "notes.md:8:77" in row and "✗ **fails**" in row and f"counterexample: {seen}" in row


def test_the_api_agrees_with_derive_check(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(FAILS, encoding="utf-8")
    run = CliRunner().invoke(cli, ["check", str(path), "--format", "json"])
    from_cli = [(step["verdict"], step["label"], step["where"]) for step in json.loads(run.stdout)["steps"]]
    result = derive.check_file(path)
    assert [(v.status.value, v.label, s.where) for s, v in result.pairs] == from_cli
    assert result.exit_status == run.exit_code == 1
    assert json.loads(result.export("json"))["steps"][1]["counterexample"]["left"] == "-1/2"


def test_what_does_not_read_is_listed_and_exit_status_2():
    text = HOLDS + "\n$$\n\\frac{\\partial q_i}{\\partial z_j} = q_i\n$$\n"
    result = derive.check_text(text)
    assert result.all_hold and result.exit_status == 2  # every step holds, but one display did not read
    assert [(str(item.place), item.reason) for item in result.not_read] == [
        ("<text>:9:16", "does not read: unknown symbol q (declared: s, z, y, L, \\mathcal{L}, K)")
    ]
    assert "not read <text>:9:16: does not read: unknown symbol q" in str(result)
    assert "Not checked (1):" in result._repr_markdown_()


def test_nothing_to_check_is_exit_status_2():
    result = derive.check_text("# Notes\n\nNo mathematics here, $x$ only.\n")
    assert result.steps == () and not result.all_hold and result.exit_status == 2
    assert "no step to check" in str(result)


@pytest.mark.parametrize(
    ("text", "input_format", "expected"),
    [
        ("", "md", "<text>:1:1: the file is empty"),
        ("<!-- derive: frobnicate -->\n$$ s_i = s_i $$\n", "md", "<text>:1:5: unknown directive 'frobnicate'"),
        ("<!-- derive\nsoftmax s of z\n-->\n", "md", "<text>:2:1: header line 'softmax s of z'"),
        ('{"cells": 3}', "ipynb", "<text>:"),
        ("% derive: case K = j\n\\[ s_i = s_i \\]\n", "tex", "<text>:1:1: case K = j: K is a count"),
    ],
)
def test_bad_input_raises_one_line_naming_the_place(text, input_format, expected):
    with pytest.raises(DeriveInputError) as caught:
        derive.check_text(text, input_format)
    message = str(caught.value)
    assert message.startswith(expected), message
    assert "\n" not in message
    assert caught.value.place and message.startswith(caught.value.place)


def test_latex_text():
    result = derive.check_text(LATEX, "tex", name="paper.tex")
    assert [v.label for v in result.steps] == ["proved for all K", "proved for all K"]
    assert [s.where for s in result.checked.derivation.steps] == ["paper.tex:5:38", "paper.tex:6:6"]
    assert result.exit_status == 0
    assert "$i = j$" in result._repr_markdown_()  # the case the steps cite


def test_check_file_with_a_notation_file(tmp_path):
    header = tmp_path / "header.txt"
    header.write_text("softmax: o of v\nlabels: y one-hot\n", encoding="utf-8")
    post = tmp_path / "post.md"
    post.write_text("$$\n\\frac{\\partial o_i}{\\partial v_i} = o_i (1 - o_i)\n$$\n", encoding="utf-8")
    assert [v.label for v in derive.check_file(post, notation=header).steps] == ["proved for all K"]
    assert derive.check_file(post).exit_status == 2  # without the header, o is not a known letter
    with pytest.raises(DeriveInputError, match=r"missing\.md:1:1: cannot read"):
        derive.check_file(tmp_path / "missing.md")


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="input_format"):
        derive.check_text(HOLDS, "rst")
    with pytest.raises(ValueError, match="time_limit"):
        derive.check_text(HOLDS, time_limit=0)
    for too_long in (3e6, 1e10, float("inf"), float("nan")):  # the OS timers overflow beyond a day
        with pytest.raises(ValueError, match="time_limit"):
            derive.check_text(HOLDS, time_limit=too_long)
    with pytest.raises(TypeError, match="str"):
        derive.check_text(HOLDS.encode())
