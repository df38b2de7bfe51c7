"""A small way to write a calc-style chain of steps: ``chain(first, link, link, ...)``."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from derive.core import Hypothesis, Step


@dataclass(frozen=True)
class Link:
    """``= expr``, with the rule that gets there and the hypotheses it cites."""

    expr: sp.Expr
    rule: str = ""
    cites: tuple[Hypothesis, ...] = ()
    latex: str | None = None  # as a textbook writes it; a test reads it back and compares


def as_written(*factors: sp.Expr) -> sp.Expr:
    """A product kept as the author wrote it (SymPy would cancel (−y_k/s_k)·s_k at once,
    and the reader would no longer see the step being taken)."""
    return sp.Mul(*factors, evaluate=False)


def link(expr, rule: str = "", *cites: Hypothesis, latex: str | None = None) -> Link:
    return Link(expr, rule, tuple(cites), latex)


def written(expr, latex: str) -> Link:
    """The first expression of a chain with the LaTeX it is shown as."""
    return Link(expr, latex=latex)


def chain(first, *links: Link, heading: str | None = None, notation=None) -> list[Step]:
    """first = links[0] = links[1] = ...: each link checked against the one before it. Where
    both sides of a step carry their LaTeX, every view shows the step so written."""
    steps = []
    previous = first if isinstance(first, Link) else Link(first)
    for n, item in enumerate(links):
        steps.append(
            Step(
                previous.expr,
                item.expr,
                item.cites,
                rule=item.rule,
                heading=heading if n == 0 else None,
                continues=n > 0,
                notation=notation,
                written=(previous.latex, item.latex) if previous.latex and item.latex else None,
            )
        )
        previous = item
    return steps
