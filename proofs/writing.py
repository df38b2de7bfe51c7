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


def as_written(*factors: sp.Expr) -> sp.Expr:
    """A product kept as the author wrote it (SymPy would cancel (−y_k/s_k)·s_k at once,
    and the reader would no longer see the step being taken)."""
    return sp.Mul(*factors, evaluate=False)


def link(expr, rule: str = "", *cites: Hypothesis) -> Link:
    return Link(expr, rule, tuple(cites))


def chain(first, *links: Link, heading: str | None = None, notation=None) -> list[Step]:
    """first = links[0] = links[1] = ...: each link checked against the one before it."""
    steps = []
    previous = first
    for n, item in enumerate(links):
        steps.append(
            Step(
                previous,
                item.expr,
                item.cites,
                rule=item.rule,
                heading=heading if n == 0 else None,
                continues=n > 0,
                notation=notation,
            )
        )
        previous = item.expr
    return steps
