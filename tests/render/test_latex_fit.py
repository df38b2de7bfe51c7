"""`--format latex` fits the page: every built-in and every example, set in the standard article
class at 10 pt, has no overfull box over 1 pt from derive's own material (bench/latex_fit.py
counts them; CI prints its table). Needs latexmk: skipped with the reason where it is missing,
a failure when DERIVE_REQUIRE_TEX is set (as .ci/run does)."""

from __future__ import annotations

import os
import shutil

import pytest

from bench.latex_fit import measure


def _latexmk() -> str:
    latexmk = shutil.which("latexmk")
    if latexmk is None:
        if os.environ.get("DERIVE_REQUIRE_TEX"):
            pytest.fail("DERIVE_REQUIRE_TEX is set but latexmk is not installed")
        pytest.skip("no TeX engine: install latexmk and texlive (or set DERIVE_REQUIRE_TEX to demand them)")
    return latexmk


def test_no_export_overflows_a_ten_point_article_line():
    fits = measure(_latexmk())
    assert len(fits) >= 8 + 14  # every built-in and every example was set
    overflowing = {f.name: f.derive_overfull for f in fits if f.derive_overfull}
    assert overflowing == {}


WIDE = " + ".join(f"s_{{{n}}} y_{{{n}}}" for n in range(1, 40))


def test_the_count_sees_an_overflow_and_tells_whose_it_is():
    # a note too wide for the line is derive's; a display too wide is the author's in a user's
    # file and derive's in a built-in
    note = (
        "% derive --fragment: needs \\usepackage{amsmath,amssymb} in the preamble;\n{\\small\\noindent \\mbox{$"
        + WIDE
        + "$}\\par}"
    )
    display = (
        "% derive --fragment: needs \\usepackage{amsmath,amssymb} in the preamble;\n\\begin{align*}\nL &= "
        + WIDE
        + "\n\\end{align*}"
    )
    fits = {
        f.name: f
        for f in measure(_latexmk(), [("note", note, False), ("file", display, False), ("builtin", display, True)])
    }
    assert fits["note"].derive_overfull and not fits["note"].author_overfull
    assert fits["file"].author_overfull and not fits["file"].derive_overfull
    assert fits["builtin"].derive_overfull and not fits["builtin"].author_overfull
