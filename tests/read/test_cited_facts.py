"""A cited fact is read with its subject: Σ_k y_k = 1 and y one-hot are about the labels,
Σ_k s_k = 1 about the softmax; a fact about the logits, an undeclared letter or a sum over
fewer classes is bad input at the directive's place, never a fact about the labels."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.core import one_hot, sums_to_one
from derive.read.derivation import read_derivation
from derive.read.source import SourceError

HEADER = "<!-- derive\nsoftmax: s of z\nlabels: y\nloss: L = -\\sum_{k=1}^{K} y_k \\log s_k\n-->\n"  # 5 lines
STEP = "$$ \\frac{\\partial L}{\\partial z_i} = s_i \\sum_{k=1}^{K} y_k - y_i $$\n"


def cited(tmp_path, fact, header=HEADER, step=STEP):
    path = tmp_path / "c.md"
    path.write_text(header + f"<!-- derive: cites {fact} -->\n" + step, encoding="utf-8")
    derivation, _ = read_derivation(path)
    return derivation.steps[0].cites, derivation.notation


@pytest.mark.parametrize(
    "fact",
    [
        "\\sum y = 1",
        "\\sum_k y_k = 1",
        "\\sum_{k} y_{k} = 1",
        "\\sum_{k=1}^{K} y_k = 1",
        "\\sum_{k = 1}^K y_k=1",
        "sum y = 1",
        "Σ_k y_k = 1",
    ],
)
def test_a_sum_of_the_labels(tmp_path, fact):
    cites, notation = cited(tmp_path, fact)
    assert cites == (sums_to_one(notation.labels),)


@pytest.mark.parametrize("fact", ["y one-hot", "y is one-hot"])
def test_one_hot_labels(tmp_path, fact):
    cites, notation = cited(tmp_path, fact)
    assert cites == (one_hot(notation.labels),)


@pytest.mark.parametrize("fact", ["\\sum_k s_k = 1", "\\sum s = 1", "\\sum_{j=1}^{K} s_j = 1"])
def test_a_sum_of_the_softmax_is_about_the_softmax(tmp_path, fact):
    cites, notation = cited(tmp_path, fact)
    assert cites == (sums_to_one(notation.softmax),)
    assert cites != (sums_to_one(notation.labels),)


def test_other_letters_for_the_families(tmp_path):
    header = "<!-- derive\nsoftmax: \\hat{y} of z\nlabels: t\n-->\n"
    step = "$$ \\sum_{k=1}^{K} t_k = 1 $$\n"
    cites, notation = cited(tmp_path, "\\sum_o \\hat{y}_o = 1", header, step)
    assert cites == (sums_to_one(notation.softmax),)
    cites, notation = cited(tmp_path, "t one-hot, \\sum_k t_k = 1", header, step)
    assert cites == (one_hot(notation.labels), sums_to_one(notation.labels))


def test_a_comma_inside_braces_does_not_split_the_fact(tmp_path):
    header = "<!-- derive\nsoftmax: s of z\nlabels: y\nexamples: N\n-->\n"
    step = "$$ \\sum_{k=1}^{K} y_{n,k} = 1 $$\n"
    cites, notation = cited(tmp_path, "\\sum_k y_{n,k} = 1", header, step)
    assert cites == (sums_to_one(notation.labels),)


EXPECTED = " (expected such as \\sum_k y_k = 1)"
REFUSED = [
    ("z one-hot", "cites z one-hot: z is the logits, only the labels (y) can be one-hot"),
    ("s one-hot", "cites s one-hot: s is the softmax, only the labels (y) can be one-hot"),
    ("q one-hot", "cites q one-hot: q is not a declared family (declared: s, z, y)"),
    (
        "\\sum_k z_k = 1",
        "cites \\sum_k z_k = 1: z is the logits, only the labels (y) or the softmax (s) sum to one",
    ),
    ("\\sum_k q_k = 1", "cites \\sum_k q_k = 1: q is not a declared family (declared: s, z, y)"),
    ("\\sum_k K_k = 1", "cites \\sum_k K_k = 1: K is not a declared family (declared: s, z, y)"),
    ("\\sum_{k \\neq i} y_k = 1", "cites \\sum_{k \\neq i} y_k = 1: not a sum over every class" + EXPECTED),
    ("\\sum_{k=2}^{K} y_k = 1", "cites \\sum_{k=2}^{K} y_k = 1: not a sum over every class" + EXPECTED),
    ("\\sum_k y_j = 1", "cites \\sum_k y_j = 1: not a sum over every class" + EXPECTED),
    ("\\sum_{k=1}^{N} y_k = 1", "cites \\sum_{k=1}^{N} y_k = 1: not a sum over every class" + EXPECTED),
]


@pytest.mark.parametrize("fact, message", REFUSED)
def test_a_fact_about_anything_else_is_refused(tmp_path, fact, message):
    with pytest.raises(SourceError) as caught:
        cited(tmp_path, fact)
    assert str(caught.value) == f"{tmp_path / 'c.md'}:6:5: {message}"


@pytest.mark.parametrize("fact", ["one-hot", "\\sum_k = 1", "\\sum = 1", "y two-hot"])
def test_a_fact_without_its_subject_is_unknown(tmp_path, fact):
    with pytest.raises(SourceError, match="unknown hypothesis"):
        cited(tmp_path, fact)


def test_a_link_comment_and_a_case_directive_are_read_the_same_way(tmp_path):
    path = tmp_path / "l.md"
    path.write_text(HEADER + "$$\nL &= L \\\\\n&= L % cites z one-hot\n$$\n", encoding="utf-8")
    # the statement is not read (listed with the reason, at the link); the file goes on
    _, skipped = read_derivation(path)
    assert [(str(s.place).split("/")[-1], s.reason) for s in skipped] == [
        ("l.md:8:4", "does not read: cites z one-hot: z is the logits, only the labels (y) can be one-hot")
    ]
    path.write_text(HEADER + "<!-- derive: case \\sum_k z_k = 1 -->\n" + STEP, encoding="utf-8")
    with pytest.raises(SourceError, match="case \\\\sum_k z_k = 1: z is the logits"):
        read_derivation(path)


def test_an_ordinary_comment_on_a_link_is_not_a_directive(tmp_path):
    path = tmp_path / "o.md"
    path.write_text(HEADER + "$$\nL &= L \\\\\n&= L % by the rule, see above\n$$\n", encoding="utf-8")
    derivation, _ = read_derivation(path)
    assert [step.cites for step in derivation.steps] == [(), ()]


@pytest.mark.parametrize("word", ["skip", "classes 3"])
def test_a_block_directive_on_one_link_is_refused(tmp_path, word):
    path = tmp_path / "w.md"
    path.write_text(HEADER + f"$$\nL &= L % {word}\n$$\n", encoding="utf-8")
    derivation, skipped = read_derivation(path)  # the statement is not read, the file goes on
    assert not derivation.steps and "goes in a directive before the block" in skipped[0].reason


# -- end to end: a fact about the softmax proves nothing about the labels ----------------------


def check(tmp_path, body, name="e.md"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "body",
    [
        "<!-- derive: cites \\sum_k s_k = 1 -->\n$$ \\sum_{k=1}^{K} y_k = 1 $$\n",
        "<!-- derive: cites \\sum_k s_k = 1 -->\n" + STEP.replace("$$\n", "= s_i - y_i $$\n"),
        "$$\n\\frac{\\partial L}{\\partial z_i} &= s_i \\sum_{k=1}^{K} y_k - y_i \\\\\n"
        "&= s_i - y_i % cites \\sum_j s_j = 1\n$$\n",
    ],
)
def test_a_softmax_fact_cited_for_the_labels_does_not_pass(tmp_path, body):
    code, output = check(tmp_path, body)
    assert code != 0, output
    assert "✗ fails" in output


def test_the_labels_fact_cited_for_the_labels_passes(tmp_path):
    body = "$$\n\\frac{\\partial L}{\\partial z_i} &= s_i \\sum_{k=1}^{K} y_k - y_i \\\\\n&= s_i - y_i % cites \\sum_k y_k = 1\n$$\n"
    code, output = check(tmp_path, body)
    assert code == 0, output


@pytest.mark.parametrize("fact", ["z one-hot", "\\sum_k z_k = 1", "\\sum_k q_k = 1"])
def test_derive_check_refuses_a_fact_about_another_family_in_one_line(tmp_path, fact):
    code, output = check(tmp_path, f"<!-- derive: cites {fact} -->\n" + STEP)
    assert code == 2
    assert output.startswith(f"derive: {tmp_path / 'e.md'}:6:5: cites {fact}: ") and output.count("\n") == 1
