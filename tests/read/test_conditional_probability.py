"""P(t=1|z): a probability given something stands as one term that does not read, so that the
links of its chain that do not touch it are still read, and no link bridges it."""

from __future__ import annotations

from pathlib import Path

from derive.core import Status
from derive.read.derivation import read_derivation

from .test_adversary_fifteen import steps_of

SIGMOID = "Let $\\sigma(z) = \\frac{1}{1+e^{-z}}$.\n\n"


def _written(tmp_path: Path, display: str) -> Path:
    path = tmp_path / "notes.md"
    path.write_text(f"# Notes\n\n{SIGMOID}$$ {display} $$\n", encoding="utf-8")
    return path


def _unread(path: Path) -> list[str]:
    _, skipped = read_derivation(path)
    return [s.reason for s in skipped if s.unread]


def test_the_links_after_a_conditional_probability_are_read(tmp_path):
    path = _written(tmp_path, r"P(t=1| z) = \sigma(z) = \frac{1}{1+e^{-z}}")
    assert list(steps_of(path).values())[-1] is Status.HOLDS
    assert any("P(t=1| z) (a conditional probability) is not read" in m for m in _unread(path))


def test_a_false_link_after_a_conditional_probability_fails(tmp_path):
    path = _written(tmp_path, r"P(t=0| z) = 1 - \sigma(z) = \frac{1}{1+e^{-z}}")
    assert list(steps_of(path).values())[-1] is Status.FAILS


def test_no_link_bridges_a_conditional_probability(tmp_path):
    # 2 sigma(z) = P(t=1|z) = sigma(z): read across P, it would be a false 2σ = σ, or, were
    # the right side 2σ too, a true step the author never wrote
    for right in (r"\sigma(z)", r"2\sigma(z)"):
        path = _written(tmp_path, rf"2\sigma(z) = P(t=1|z) = {right}")
        assert len(steps_of(path)) == 1  # the sentence's definition of σ alone
        assert any("(a conditional probability)" in m for m in _unread(path))


def test_a_conditional_probability_in_a_fraction_stops_only_its_expression(tmp_path):
    path = _written(
        tmp_path,
        r"\log \frac{P(t=1|z)}{P(t=0|z)} = \log \frac{\frac{1}{1+e^{-z}}}{\frac{e^{-z}}{1+e^{-z}}}"
        r" = \log(1) - \log(e^{-z}) = 2z",
    )
    verdicts = list(steps_of(path).values())
    assert verdicts[-2:] == [Status.HOLDS, Status.FAILS]


def test_bars_that_are_no_conditional_stay_unread_as_before(tmp_path):
    for display in (r"g(|z|) = 2", r"P(a|b|c) = 2"):
        path = _written(tmp_path, display)
        assert any("unexpected character '|'" in m for m in _unread(path)), display
