"""Hypotheses a step may cite. They are data: the core uses exactly the ones cited."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

__all__ = ["Hypothesis", "different", "one_hot", "same", "sums_to_one"]


@dataclass(frozen=True)
class Hypothesis:
    """``kind`` is one of ``same``, ``different`` (two indices), ``sums_to_one`` and
    ``one_hot`` (a label family; one-hot means every entry is 0 or 1 and each row sums to 1)."""

    kind: str
    subjects: tuple[sp.Basic, ...]

    def __post_init__(self) -> None:
        if self.kind not in ("same", "different", "sums_to_one", "one_hot"):
            raise ValueError(f"unknown hypothesis kind {self.kind!r}")

    @property
    def is_case(self) -> bool:
        return self.kind in ("same", "different")

    def __str__(self) -> str:
        if self.kind == "same":
            return f"{self.subjects[0]} = {self.subjects[1]}"
        if self.kind == "different":
            return f"{self.subjects[0]} ≠ {self.subjects[1]}"
        labels = self.subjects[0]
        if self.kind == "sums_to_one":
            return f"Σ_k {labels}_k = 1"
        return f"{labels} one-hot"

    def latex(self) -> str:
        if self.kind == "same":
            return f"{sp.latex(self.subjects[0])} = {sp.latex(self.subjects[1])}"
        if self.kind == "different":
            return f"{sp.latex(self.subjects[0])} \\neq {sp.latex(self.subjects[1])}"
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
