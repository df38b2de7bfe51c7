"""A step's two sides as every view shows them: as the author wrote them when the reader kept
that (``Step.written`` and ``Step.shown``), else as derive prints the expressions it checked."""

from __future__ import annotations

from derive.core import Step

__all__ = ["written_latex", "written_text"]


def written_latex(step: Step) -> tuple[str, str]:
    """LaTeX math of the left and the right side (without $ delimiters)."""
    if step.written is not None:
        return step.written
    from .latex import to_latex

    return to_latex(step.previous), to_latex(step.next)


def written_text(step: Step) -> tuple[str, str]:
    """Unicode of the left and the right side, one line each."""
    if step.shown is not None:
        return step.shown
    from .text import to_text

    if step.written is not None:  # a built-in's steps: their LaTeX as a textbook writes it
        from derive.read.as_written import unicode_of_latex

        left, right = (unicode_of_latex(side) for side in step.written)
        if left is not None and right is not None:
            return left, right
    return to_text(step.previous), to_text(step.next)
