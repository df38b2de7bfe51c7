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
    (["labels: s"], 2, "s would be both the softmax (by default) and the labels"),
    (["softmax: z of z"], 2, "z would be both the softmax and the logits"),
    (["labels: z one-hot"], 2, "z would be both the logits (by default) and the labels"),
    (["softmax: \\hat{y} of z", "labels: \\hat{y}"], 3, "\\hat{y} would be both the softmax and the labels"),
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
        # y as the softmax or the logits and no labels declared: the labels get a name no
        # document can write, so y means only what the header says
        ["softmax: y of z"],
        ["softmax: s of y"],
        ["softmax: \\mathcal{y} of z"],
        ["softmax: s of z", "softmax: y of z"],
    ],
)
def test_one_role_a_letter_is_accepted(lines):
    read_header(header(*lines), ORIGIN)


@pytest.mark.parametrize("lines, line, message", CLASHES[:3] + CLASHES[5:7])
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
        ("labels: y one-hot\nlabels: y", "a second 'labels:' line"),
        ("classes: K\nclasses: C", "a second 'classes:' line"),
    ],
    ids=["labels", "classes"],
)
def test_a_header_that_says_one_thing_twice_is_bad_input(tmp_path, header, message):
    path = tmp_path / "twice.md"
    path.write_text(f"<!-- derive\nsoftmax: s of z\n{header}\n-->\n\n$$ s_i = s_i $$\n", encoding="utf-8")
    with pytest.raises(SourceError, match=message):
        read_derivation(path)


def test_a_loss_defined_twice_is_listed_as_not_read_and_used_nowhere(tmp_path):
    path = tmp_path / "twice.md"
    header = "loss: L = -\\sum_k y_k \\log s_k\nloss: L = \\sum_k y_k"
    path.write_text(f"<!-- derive\nsoftmax: s of z\n{header}\n-->\n\n$$ s_i = s_i $$\n", encoding="utf-8")
    derivation, skipped = read_derivation(path)
    assert [s.reason for s in skipped if "defined twice" in s.reason]
    assert not derivation.notation.definitions  # neither: the author may mean either one
