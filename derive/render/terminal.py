"""A checked derivation drawn in the terminal with rich.

:class:`DerivationView` is a rich renderable (``console.print(DerivationView(checked))``):
it reads a sealed :class:`~derive.core.CheckedDerivation` and prints what the core
concluded, step by step, with each verdict's own label and never a stronger one. Colour
is rich's business: a terminal gets it, a pipe or ``NO_COLOR`` gets plain text.
"""

from __future__ import annotations

import sympy as sp
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from derive.core import CheckedDerivation, Status, Step, Strength, Verdict

from .text import to_text
from .written import written_text

__all__ = ["DerivationView", "label_style", "summary"]

_INDENT = "      "


def label_style(verdict: Verdict) -> str:
    """Green for proved, yellow for exact or numeric evidence, red for failed or undecided."""
    if verdict.status is not Status.HOLDS:
        return "bold red"
    return "green" if verdict.strength is Strength.PROVED else "yellow"


def _mark(verdict: Verdict) -> str:
    if verdict.status is Status.FAILS:
        return "✗"
    if verdict.status is Status.UNDECIDED:
        return "?"
    return "✓"


def summary(checked: CheckedDerivation) -> str:
    """One line of counts, each worded as weakly as the weakest verdict it counts, every
    category shown even at zero (except claims with decimals, shown only when there are some):
    ``17 steps: 15 proved for all K, 2 proved for K = 4, 0 exact for K ≤ 5, 0 numeric only,
    0 failed, 0 undecided``."""
    from derive.core import EXACT_CLASSES

    verdicts = checked.verdicts
    proved: dict[str, int] = {}
    for v in verdicts:
        if v.strength is Strength.PROVED:
            proved[v.label] = proved.get(v.label, 0) + 1
    parts = [f"{count} {label}" for label, count in proved.items()] or ["0 proved"]
    exact = [v for v in verdicts if v.strength is Strength.EXACT]
    # Several bounds are summarised by the smallest: the count never claims more.
    reach = min((v.checked_up_to for v in exact), default=EXACT_CLASSES)
    examples = [v.examples_up_to for v in exact if v.examples_up_to is not None]
    bound = f"K ≤ {reach}" + (f", N ≤ {min(examples)}" if examples else "")
    parts.append(f"{len(exact)} exact for {bound}")
    parts.append(f"{checked.count(Status.HOLDS, Strength.NUMERIC)} numeric only")
    digits = checked.count(Status.HOLDS, Strength.DIGITS)
    if digits:  # only where a worked example with decimals was checked
        parts.append(f"{digits} to the digits written")
    parts.append(f"{checked.count(Status.FAILS)} failed")
    parts.append(f"{checked.count(Status.UNDECIDED)} undecided")
    total = len(verdicts)
    return f"{total} step{'s' if total != 1 else ''}: " + ", ".join(parts)


def _expression_lines(expr) -> list[str]:
    """A matrix as an aligned grid, one row a line; anything else as one line."""
    if not isinstance(expr, sp.MatrixBase) or expr.rows < 2 or expr.cols < 2:
        return [to_text(expr)]
    cells = [[to_text(expr[r, c]) for c in range(expr.cols)] for r in range(expr.rows)]
    widths = [max(len(cells[r][c]) for r in range(expr.rows)) for c in range(expr.cols)]
    return ["[ " + "   ".join(cell.ljust(w) for cell, w in zip(row, widths)) + " ]" for row in cells]


def _equation_lines(step: Step) -> list[str]:
    if step.shown is not None or step.written is not None:  # as the author (or a textbook) wrote it
        left, right = written_text(step)
        return [f"  = {right}" if step.continues else f"{left} = {right}"]
    left = [] if step.continues else _expression_lines(step.previous)
    right = _expression_lines(step.next)
    if len(left) <= 1 and len(right) <= 1:
        start = f"{left[0]} = " if left else "  = "
        return [start + right[0]]
    # A matrix on either side: each side as its own block.
    lines = [*left, "="] if left else ["  ="]
    return lines + [("  " if not left else "") + line for line in right]


class DerivationView:
    """Every step of a checked derivation with its verdict, then a summary line.

    ``details`` adds each witness's finding and the time a step took; ``only_problems`` leaves
    out the steps that hold (each step keeps its number, so it can be found in the full view)."""

    def __init__(self, checked: CheckedDerivation, *, details: bool = False, only_problems: bool = False):
        self.checked = checked
        self.details = details
        self.only_problems = only_problems

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.lines()

    def lines(self):
        """The view, one :class:`rich.text.Text` a line (a terminal wraps the long ones)."""
        derivation = self.checked.derivation
        yield Text(derivation.title or derivation.name, style="bold")
        for number, (step, verdict) in enumerate(self.checked.pairs, start=1):
            if self.only_problems and verdict.status is Status.HOLDS:
                continue
            if step.heading and not self.only_problems:
                yield Text()
                yield Text(step.heading, style="bold underline")
            yield from self._step(number, step, verdict)
        yield Text()
        counts = summary(self.checked)
        style = "green" if self.checked.all_hold else "bold red"
        yield Text(counts, style=style)

    def _step(self, number: int, step: Step, verdict: Verdict):
        first, *rest = _equation_lines(step)
        yield Text.assemble((f"{number:>4}  ", "bold"), first)
        for line in rest:
            yield Text(_INDENT + line)
        notes = []
        if step.where:
            notes.append(step.where)
        if step.rule:
            notes.append(step.rule)
        if step.cites:
            notes.append("cites " + ", ".join(str(h) for h in step.cites))
        if notes:
            yield Text(_INDENT + "; ".join(notes), style="dim")
        cached = ("  (cached)", "dim") if verdict.cached else ""
        yield Text.assemble(_INDENT, (f"{_mark(verdict)} {verdict.label}", label_style(verdict)), cached)
        if verdict.status is Status.HOLDS:
            unused = [h for h in step.cites if h not in verdict.needed]
            if unused and verdict.strength is not None:
                yield Text(_INDENT + "  not needed: " + ", ".join(str(h) for h in unused), style="dim")
            used = [h for h in step.standing if h in verdict.needed]
            if used:
                yield Text(
                    _INDENT + "  uses, stated for the whole document: " + ", ".join(_stated(h, step) for h in used),
                    style="dim",
                )
        else:
            if verdict.reason:
                yield Text(_INDENT + "  " + verdict.reason, style="red")
            if verdict.counterexample is not None:
                yield Text(_INDENT + "  counterexample: " + verdict.counterexample.describe())
            if verdict.difference is not None:
                yield Text(_INDENT + "  left − right = " + to_text(verdict.difference))
        if self.details:
            for witness, finding in verdict.witnesses:
                yield Text(f"{_INDENT}  {witness}: {finding}", style="dim")
            parts = ", ".join(f"{name} {seconds:.2f}" for name, seconds in verdict.timings)
            yield Text(f"{_INDENT}  {verdict.seconds:.2f} s" + (f" ({parts})" if parts else ""), style="dim")


def _stated(fact, step) -> str:
    """A standing fact as shown beside a step that used it: with where it was stated."""
    places = dict(zip(step.standing, step.stated_at))
    return f"{fact} (stated at {places[fact]})" if places.get(fact) else str(fact)
