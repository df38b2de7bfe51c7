"""A checked derivation in Jupyter: ``NotebookView(checked)`` as the last line of a cell
shows it through ``_repr_markdown_`` (equations and the table of verdicts) or, where a
front end prefers LaTeX, ``_repr_latex_``. A view of the render side, not a method on the
core's types."""

from __future__ import annotations

from derive.core import CheckedDerivation

from .markdown import MarkdownExport
from .written import written_latex

__all__ = ["NotebookView"]


class NotebookView:
    def __init__(self, checked: CheckedDerivation):
        self.checked = checked

    def _repr_markdown_(self) -> str:
        return MarkdownExport().render(self.checked)

    def _repr_latex_(self) -> str:
        lines = []
        for number, (step, verdict) in enumerate(self.checked.pairs, start=1):
            left, right = written_latex(step)
            left = "" if step.continues else left
            lines.append(f"{left} &= {right} && \\text{{({number}) {verdict.label}}}")
        return "$$\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}$$"
