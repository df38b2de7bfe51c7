"""The fifteenth adversary (README and code only), on the reading added for documents with no
header: a case that reached displays after words it did not see (a bare condition, an HTML tag,
a code span, words in the display, a notebook code cell, words after a display), the chain
rule's sum read where the author said "no sum", a function made a number by another letter's
description, one-hot facts from a clause cut off before ", but", from struck text and from a
list the note rejects, a softmax named with a factor after it, and three texts that hung the
reader. Each file is the adversary's, kept in adversary15/; every false step in them must fail
(or not be read), never hold."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from derive.core import Status, check_derivation
from derive.read.derivation import read_derivation
from derive.render.text import to_text

HERE = Path(__file__).parent / "adversary15"

# file: the steps (as the terminal prints them) that are false and must not hold
FALSE_STEPS = {
    "f1.md": ["∂s_i/∂z_j = s_i(1 − s_j)"],  # a bare "$i \\neq j$:" paragraph is no display the case governs
    "f2.md": ["∂s_i/∂z_j = s_i(1 − s_j)"],  # <b>For all i and j:</b> before the display
    "f4.md": ["∂s_i/∂z_j = s_i(1 − s_j)"],  # a code span before the display
    "f5.md": ["∂s_i/∂z_j = s_i(1 − s_j)"],  # \\text{In general:} inside the display
    "f7.tex": ["∂s_i/∂z_j = s_i(1 − s_j)"],  # \\intertext{and in general, ...} inside the align
    "f14.md": ["∂s_i/∂z_j = s_i(1 − s_j)"],  # words after the display in its paragraph
    "f6.ipynb": ["∂s_i/∂z_j = s_i(1 − s_j)"],  # a code cell between the markdown cells
    "f8.md": ["∂L/∂z_i = (∂L/∂s_c)(∂s_c/∂z_i)"],  # "for one fixed class $c$ (no sum over $c$)"
    "f11.md": ["∂L/∂z_i = s_i − y_i"],  # "one-hot, but in this note they are arbitrary weights"
    "f12.md": ["∂L/∂z_i = s_i − y_i"],  # <del>The labels $y$ are one-hot.</del>
    "f13.md": ["∂L/∂z_i = s_i − y_i"],  # a list of assumptions "this note does **not** make:"
}
# files whose false step must not be read at all (f a function; a masked softmax, not a softmax)
NOT_READ = ["f9.md", "f10.md", "f15.md"]


def steps_of(path: Path) -> dict[str, Status]:
    """Each step of the file as the terminal prints it, and its verdict (the adversary tests' one reading)."""
    derivation, _ = read_derivation(path)
    verdicts = check_derivation(derivation).verdicts if derivation.steps else ()
    return {f"{to_text(s.previous)} = {to_text(s.next)}": v.status for s, v in zip(derivation.steps, verdicts)}


@pytest.mark.parametrize("name", sorted(FALSE_STEPS))
def test_the_false_step_is_read_and_fails(name):
    steps = steps_of(HERE / name)
    for false in FALSE_STEPS[name]:
        assert steps.get(false) is Status.FAILS, (name, steps)


@pytest.mark.parametrize("name", NOT_READ)
def test_the_false_step_is_not_read(name):
    assert steps_of(HERE / name) == {}


def _long_line(tmp_path, text: str) -> Path:
    path = tmp_path / "long.md"
    path.write_text("# T\n\n" + text + "\n\n$$ x + x = 2 x $$\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "text",
    [
        "and so on " * 8000,  # a long line with no full stop: the question pattern was quadratic
        "Text " + "\\begin{equation} x " * 20000,  # unclosed environments: the scanners were quadratic
        "Text " + "\\[ x " * 20000,
        "Text " + "<!-- x " * 5000 + "<del> x " * 5000,
    ],
)
def test_texts_of_unclosed_openers_are_read_in_seconds(tmp_path, text):
    start = time.perf_counter()
    derivation, _ = read_derivation(_long_line(tmp_path, text))
    # a loose bound (the machine may be busy): quadratic scanning took minutes on these
    assert time.perf_counter() - start < 30
    assert derivation is not None
