"""The sixteenth adversary (README, code and the last commit's diff), on the fifteenth's fixes:
one word or nested braces in \\text{...} inside a display, verbatim text between LaTeX displays,
a bare condition in other forms ("$i > j$:", "$(i \\neq j)$", "$i \\not= j$:"), "we do not sum
over $c$", struck text with attributes, lists introduced by a bold line or a heading, "e.g." and
";" splitting a sentence, a negation in the next sentence, and "softmax(o)_j \\text{ times } m_j".
Every file is the adversary's, kept in adversary16/; its false step must never hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.core import Status

from .test_adversary_fifteen import steps_of

HERE = Path(__file__).parent / "adversary16"

# the false steps, as the terminal prints them (either side), one family of files each
FALSE = {
    "case": "∂s_i/∂z_j = s_i(1 − s_j)",  # K = 2, i = 1, j = 2, z = 0: −1/4 against 1/4
    "fact": "∂L/∂o_i = p_i − y_i",  # soft labels y = (1, 1): 0 against −1/2
    "sum": "∂L/∂z_i = Σ_{c=1}^{K} (∂L/∂s_c)(∂s_c/∂z_i)",  # one term is not the gradient
    "mask": "Σ_{j=1}^{C} p_j = 1",  # a masked softmax: 1/2 with m = (1, 0)
}


def _family(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if "times" in text or "\\cdot m_j" in text:
        return "mask"
    if "sum over $c$" in text:
        return "sum"
    return "fact" if "p_i - y_i" in text or "p_i-y_i" in text else "case"


@pytest.mark.parametrize("name", sorted(p.name for p in HERE.iterdir()))
def test_the_false_step_never_holds(name):
    path = HERE / name
    steps = steps_of(path)
    assert steps.get(FALSE[_family(path)]) is not Status.HOLDS, (name, steps)
