"""The twenty-ninth adversary (README and code only), on the twenty-eighth's fixes and the
conditional probability: a sentence that runs across a display ("If they were one-hot, the
gradient would collapse to $$…$$ since $y$ is one-hot."), `$$` in a code span hiding a
retraction, a fact sentence ending in a colon before a list that narrows it, "which" after a
closing parenthesis, derive's letters described in a list, a table, a quote, a LaTeX list or
as plain letters, z or s given another role though near the right word, a % comment inside
P(...|...), a condition read as a fact ("This holds for ..."), a retraction in symbols
("❌"); and two texts that took minutes to read. Beside them, what real authors write,
which must still be read. Every file is the adversary's or written for it, kept in
adversary29/."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from derive.core import Status

from .test_adversary_fifteen import steps_of

HERE = Path(__file__).parent / "adversary29"

FALSE_ACCEPTS = [
    "f1b.md",  # a hypothetical sentence continued after a display
    "f1.md",
    "colon_hypothetical.md",  # "If they were one-hot, we would have: $$…$$ since $y$ is one-hot."
    "f5.md",  # `$$` in code spans
    "f2.md",  # "The labels $y$ are one-hot:" and a list
    "s_w1.md",  # "The loss (with $y$), which is one-hot."
    "s_w3.md",
    "r3.md",  # 𝑠ₖ
    "r4.md",  # sₖ = exp(zₖ)
    "r5.md",  # plain s
    "r6.md",  # a list
    "r7.md",  # a table
    "r8.md",  # a quote
    "r9.tex",  # \item
    "rs_q1.md",  # z named near "scores", but the probabilities
    "rs_q2.md",
    "rs_q4.md",
    "rs_q7.md",
    "rs_q8.md",
    "o5.md",  # P(t % | z): the comment is not mathematics
    "o6.tex",
    "s_p1.md",  # "This holds for $\sum_k y_k = 1$."
    "s_p6.md",  # ❌ on the next line
    "s_p7.md",
]


@pytest.mark.parametrize("name", FALSE_ACCEPTS)
def test_nothing_false_holds(name):
    assert Status.HOLDS not in steps_of(HERE / name).values()


@pytest.mark.parametrize("name", ["ok1.md", "ok2.md", "ok3.md", "ok4.md"])
def test_what_real_authors_write_is_still_read(name):
    # a heading with a title's words, "$z$ are the logits and $s$ is the softmax output", a
    # colon into a display, "We have $$…$$ where $y$ is one-hot."
    assert list(steps_of(HERE / name).values()) == [Status.HOLDS]


@pytest.mark.parametrize(
    "display",
    [
        "s_i = " + "a(" * 9000,  # every "(" scanned to its partner: quadratic (17 s a block)
        "x" + ",x" * 9000,  # at every comma, every token looked at again: quadratic (15 s a block)
    ],
)
def test_texts_that_took_minutes_are_read_in_seconds(tmp_path, display):
    path = tmp_path / "long.md"
    header = "<!-- derive\nsoftmax: s of z\nscalars: x\n-->\n" if display.startswith("x") else ""
    path.write_text(f"# T\n\n{header}" + f"$$ {display} $$\n\n" * 5, encoding="utf-8")
    start = time.perf_counter()
    steps_of(path)
    assert time.perf_counter() - start < 30  # over a minute before; a guard against the quadratic, not a speed target
