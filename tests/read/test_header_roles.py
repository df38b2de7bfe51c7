"""The notation header gives each letter one role: a softmax, logits, labels, class count,
example count, scalar or loss that shares its letter with another role is bad input, one line
naming the letter and both roles, never an engine error later."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.read.derivation import read_derivation
from derive.read.header import read_header
from derive.read.source import Header, Place, SourceError

ORIGIN = Place("h.md", 1, 1)


def header(*lines: str) -> Header:
    """A header whose n-th line is on line n + 1 of h.md (after '<!-- derive')."""
    parsed = []
    for number, line in enumerate(lines, start=2):
        key, value = line.split(":", 1)
        parsed.append((key.strip(), value.strip(), Place("h.md", number, 1)))
    return Header(tuple(parsed), ORIGIN)


CLASHES = [
    # (header lines, the line the error points at, the message)
    (["softmax: y of z"], 2, "y would be both the softmax and the labels (by default)"),
    (["labels: s"], 2, "s would be both the softmax (by default) and the labels"),
    (["softmax: s of y"], 2, "y would be both the logits and the labels (by default)"),
    (["softmax: z of z"], 2, "z would be both the softmax and the logits"),
    (["labels: z one-hot"], 2, "z would be both the logits (by default) and the labels"),
    (["softmax: \\hat{y} of z", "labels: \\hat{y}"], 3, "\\hat{y} would be both the softmax and the labels"),
    (["softmax: \\mathcal{y} of z"], 2, "\\mathcal{y} and y would be both the softmax and the labels (by default)"),
    (["softmax: s of z", "softmax: y of z"], 3, "y would be both the softmax and the labels (by default)"),
    (["softmax: o of v", "labels: v"], 3, "v would be both the logits and the labels"),
    (["classes: y"], 2, "y would be both the labels (by default) and the class count"),
    (["examples: K"], 2, "K would be both the class count (by default) and the example count"),
    (["softmax: s of z", "scalars: x, s"], 3, "s would be both the softmax and the scalar"),
    (["labels: y", "loss: y = -\\sum_k y_k \\log s_k"], 3, "y would be both the labels and the loss"),
    (["softmax: \\hat{y} of z", "scalars: yhat"], 3, "\\hat{y} and yhat would be both the softmax and the scalar"),
]


@pytest.mark.parametrize("lines, line, message", CLASHES)
def test_a_letter_with_two_roles_is_refused(lines, line, message):
    with pytest.raises(SourceError) as caught:
        read_header(header(*lines), ORIGIN)
    assert str(caught.value) == f"h.md:{line}:1: {message} (expected one letter per role)"


@pytest.mark.parametrize(
    "lines",
    [
        [],
        ["softmax: s of z", "softmax: \\hat{y} of z", "labels: y one-hot"],  # two names of one softmax
        ["scalars: x, y, p"],  # binary cross-entropy: a scalar y where no labels are declared
        ["softmax: o of v", "labels: y", "classes: K, k, C, c, n"],
        ["loss: L, \\mathcal{L} = -\\sum_k y_k \\log s_k"],  # two names of one loss
        ["scalars: x, T", "temperature: T"],  # the temperature is one of the scalars
    ],
)
def test_one_role_a_letter_is_accepted(lines):
    read_header(header(*lines), ORIGIN)


@pytest.mark.parametrize("lines, line, message", CLASHES[:5] + CLASHES[9:11])
def test_derive_check_refuses_a_clash_in_one_line(tmp_path, lines, line, message):
    path = tmp_path / "h.md"
    body = "<!-- derive\n" + "\n".join(lines) + "\n-->\n$$ \\frac{\\partial y_i}{\\partial z_i} = y_i (1 - y_i) $$\n"
    path.write_text(body, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.output == f"derive: {path}:{line}:1: {message} (expected one letter per role)\n"


@pytest.mark.parametrize(
    "header, message",
    [
        ("loss: L = -\\sum_k y_k \\log s_k\nloss: L = \\sum_k y_k", "L is defined twice"),
        ("labels: y one-hot\nlabels: y", "a second 'labels:' line"),
        ("classes: K\nclasses: C", "a second 'classes:' line"),
    ],
    ids=["loss", "labels", "classes"],
)
def test_a_header_that_says_one_thing_twice_is_bad_input(tmp_path, header, message):
    path = tmp_path / "twice.md"
    path.write_text(f"<!-- derive\nsoftmax: s of z\n{header}\n-->\n\n$$ s_i = s_i $$\n", encoding="utf-8")
    with pytest.raises(SourceError, match=message):
        read_derivation(path)
