"""Hypotheses a step may cite. They are data: the core uses exactly the ones cited."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .vocabulary import as_expression

__all__ = ["Hypothesis", "between", "different", "one_hot", "open_between", "positive", "same", "sums_to_one"]

_KINDS = ("same", "different", "sums_to_one", "one_hot", "positive", "between", "open_between")


@dataclass(frozen=True)
class Hypothesis:
    """``kind`` is one of ``same``, ``different`` (two indices), ``sums_to_one`` and
    ``one_hot`` (a label family; one-hot means every entry is 0 or 1 and each row sums to 1),
    and the domain conditions ``positive`` (T > 0), ``between`` (0 ≤ ε ≤ 1) and
    ``open_between`` (0 < p < 1) on a real variable."""

    kind: str
    subjects: tuple[sp.Basic, ...]

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown hypothesis kind {self.kind!r}")

    @property
    def is_case(self) -> bool:
        return self.kind in ("same", "different")

    @property
    def is_domain(self) -> bool:
        return self.kind in ("positive", "between", "open_between")

    def allows(self, value) -> bool:
        """Does this domain condition allow ``value`` (a number) for its variable?"""
        if self.kind == "positive":
            return value > 0
        lo, hi = self.subjects[1], self.subjects[2]
        if self.kind == "between":
            return lo <= value <= hi
        return lo < value < hi

    def __str__(self) -> str:
        if self.kind == "same":
            return f"{self.subjects[0]} = {self.subjects[1]}"
        if self.kind == "different":
            return f"{self.subjects[0]} ≠ {self.subjects[1]}"
        if self.kind == "positive":
            return f"{sp.pretty(self.subjects[0], use_unicode=True)} > 0"
        if self.kind in ("between", "open_between"):
            v, lo, hi = self.subjects
            v = sp.pretty(v, use_unicode=True)
            sign = "≤" if self.kind == "between" else "<"
            return f"{lo} {sign} {v} {sign} {hi}"
        labels = self.subjects[0]
        if self.kind == "sums_to_one":
            return f"Σ_k {labels}_k = 1"
        return f"{labels} one-hot"

    def latex(self) -> str:
        if self.kind == "same":
            return f"{sp.latex(self.subjects[0])} = {sp.latex(self.subjects[1])}"
        if self.kind == "different":
            return f"{sp.latex(self.subjects[0])} \\neq {sp.latex(self.subjects[1])}"
        if self.kind == "positive":
            return f"{sp.latex(self.subjects[0])} > 0"
        if self.kind in ("between", "open_between"):
            v, lo, hi = (sp.latex(x) for x in self.subjects)
            sign = "\\leq" if self.kind == "between" else "<"
            return f"{lo} {sign} {v} {sign} {hi}"
        labels = sp.latex(self.subjects[0])
        if self.kind == "sums_to_one":
            return f"\\textstyle\\sum_k {labels}_k = 1"
        return f"{labels} \\text{{ one-hot}}"


def same(a: sp.Symbol, b: sp.Symbol) -> Hypothesis:
    """The case a = b."""
    return Hypothesis("same", tuple(sorted((a, b), key=str)))


def different(a: sp.Symbol, b: sp.Symbol) -> Hypothesis:
    """The case a ≠ b."""
    return Hypothesis("different", tuple(sorted((a, b), key=str)))


def sums_to_one(labels: sp.IndexedBase) -> Hypothesis:
    """Σ_k y_k = 1 (for every example, when the labels carry an example index)."""
    return Hypothesis("sums_to_one", (labels,))


def one_hot(labels: sp.IndexedBase) -> Hypothesis:
    """Every y_k is 0 or 1 and Σ_k y_k = 1."""
    return Hypothesis("one_hot", (labels,))


def positive(variable: sp.Symbol) -> Hypothesis:
    """variable > 0 (a temperature T, say)."""
    return Hypothesis("positive", (variable,))


def between(variable: sp.Symbol, lo, hi) -> Hypothesis:
    """lo ≤ variable ≤ hi (0 ≤ ε ≤ 1, say)."""
    return Hypothesis("between", (variable, as_expression(lo), as_expression(hi)))


def open_between(variable: sp.Symbol, lo, hi) -> Hypothesis:
    """lo < variable < hi (a probability in (0, 1) before its log is taken, say)."""
    return Hypothesis("open_between", (variable, as_expression(lo), as_expression(hi)))
