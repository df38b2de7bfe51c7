"""The memo derive watch keeps between readings of a file: a display read before is not
parsed again, but only when its text, the header and the document's macros are all the same.
Each test reads two documents with one memo, the second built to be misread if the memo
answered for the first."""

from __future__ import annotations

import sympy as sp

from derive.core import VerdictCache, check_derivation
from derive.read.derivation import read_derivation

JACOBIAN = "$$ \\frac{\\partial L}{\\partial z_i} = -\\sum_{k=1}^{K} y_k (\\delta_{ki} - s_i) = s_i - y_i $$\n"


def _read(tmp_path, text: str, memo: dict, name: str = "notes.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_derivation(str(path), memo=memo)


def _labels(derivation) -> list[str]:
    return [verdict.label for verdict in check_derivation(derivation, time_limit=60).verdicts]


def test_the_same_file_read_again_gives_the_same_steps(tmp_path):
    text = "<!-- derive\nsoftmax: s of z\nlabels: y one-hot\nloss: L = -\\sum_k y_k \\log s_k\n-->\n\n" + JACOBIAN
    memo: dict = {}
    first, _ = _read(tmp_path, text, memo)
    again, _ = _read(tmp_path, text, memo)
    fresh, _ = read_derivation(str(tmp_path / "notes.md"))
    assert memo  # the memo was used
    assert [(s.previous, s.next) for s in again.steps] == [(s.previous, s.next) for s in fresh.steps]
    assert all(a.previous is b.previous for a, b in zip(first.steps, again.steps))  # not parsed again


def test_a_changed_header_reads_the_same_display_anew(tmp_path):
    with_fact = "<!-- derive\nsoftmax: s of z\nlabels: y one-hot\nloss: L = -\\sum_k y_k \\log s_k\n-->\n\n"
    without = "<!-- derive\nsoftmax: s of z\nlabels: y\nloss: L = -\\sum_k y_k \\log s_k\n-->\n\n"
    memo: dict = {}
    holds, _ = _read(tmp_path, with_fact + JACOBIAN, memo)
    fails, _ = _read(tmp_path, without + JACOBIAN, memo)
    assert _labels(holds)[-1] == "proved for all K"
    assert _labels(fails)[-1] == "fails"  # Σ y = 1 is no longer stated: the memo did not carry it


def test_other_letters_in_the_header_read_the_same_text_otherwise(tmp_path):
    memo: dict = {}
    display = "$$ \\frac{\\partial p_i}{\\partial o_j} = p_i (\\delta_{ij} - p_j) $$\n"
    read, _ = _read(tmp_path, "<!-- derive\nsoftmax: p of o\n-->\n\n" + display, memo)
    other, unread = _read(tmp_path, "<!-- derive\nsoftmax: q of o\n-->\n\n" + display, memo)
    assert len(read.steps) == 1 and _labels(read) == ["proved for all K"]
    assert not other.steps and any(item.unread for item in unread)  # p is no longer declared


def test_a_redefined_macro_reads_the_same_display_anew(tmp_path):
    header = "<!-- derive\nsoftmax: s of z\n-->\n\n"
    memo: dict = {}
    right, _ = _read(tmp_path, header + "$$ \\newcommand{\\D}{s_i - s_i^2} $$\n\n$$ s_i (1 - s_i) = \\D $$\n", memo)
    wrong, _ = _read(tmp_path, header + "$$ \\newcommand{\\D}{s_i + s_i^2} $$\n\n$$ s_i (1 - s_i) = \\D $$\n", memo)
    assert _labels(right) == ["proved for all K"]
    assert _labels(wrong) == ["fails"]


def test_a_remembered_key_is_the_key_of_that_very_object(tmp_path):
    plain = VerdictCache(tmp_path)
    remembering = VerdictCache(tmp_path, remember=True)
    text = "<!-- derive\nsoftmax: s of z\n-->\n\n$$ s_i (1 - s_i) = s_i - s_i^2 = s_i - s_i s_i $$\n"
    derivation, _ = _read(tmp_path, text, {})
    for step in derivation.steps:
        key = plain.key(step, derivation.notation, 5, 3)
        assert remembering.key(step, derivation.notation, 5, 3) == key
        assert remembering.key(step, derivation.notation, 5, 3) == key  # from what it kept
    # Equal under == but written differently (a Float's precision): never one text for both.
    coarse, fine = sp.Float("0.5", 15), sp.Float("0.5", 30)
    assert remembering._text(coarse) != remembering._text(fine) or sp.srepr(coarse) == sp.srepr(fine)
    assert remembering._text(fine) == sp.srepr(fine)
