"""A checked derivation as Markdown for GitHub, KaTeX and MathJax: each part's equations in
one ``$$`` display block (``aligned``, numbered like the steps), then a table of the steps
with their rule, the hypotheses they used and the core's verdict."""

from __future__ import annotations

from derive.core import CheckedDerivation, Verdict

from .layout import Part, parts
from .terminal import summary
from .written import written_latex

__all__ = ["MarkdownExport", "math_blocks"]


def _text(text: str) -> str:
    """Text on the page (a title, a heading, a cell): '<' outside $...$ would open an HTML tag
    (a place in <stdin> would vanish); inside, KaTeX reads it as written."""
    text = " ".join(text.splitlines())  # one line: a title's second line would be live Markdown
    pieces = text.split("$")
    pieces[::2] = [piece.replace("<", "&lt;") for piece in pieces[::2]]
    return "$".join(pieces)


def _cell(text: str) -> str:
    return _text(text).replace("|", "\\|").replace("\n", " ")


def _verdict_cell(verdict: Verdict) -> str:
    mark = "✓" if verdict.holds else ("✗" if verdict.status.value == "fails" else "?")
    text = f"{mark} {verdict.label}"
    if not verdict.holds:
        text = f"{mark} **{verdict.label}**: {verdict.reason}"
        if verdict.counterexample is not None:
            text += f"; counterexample: {verdict.counterexample.describe()}"
    return _cell(text)


def _display(part: Part) -> str:
    lines = []
    for item in part.steps:
        left, right = written_latex(item.step)
        tag = f"&& \\text{{({item.number})}}"
        if item.step.continues and lines:
            lines.append(f"&= {right} {tag}")
        else:
            lines.append(f"{left} &= {right} {tag}")
    return "$$\n\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}\n$$"


class MarkdownExport:
    def render(self, checked: CheckedDerivation, not_read=()) -> str:
        out = [f"# {_text(checked.derivation.title)}", ""]
        for part in parts(checked):
            if part.heading:
                out += [f"## {_text(part.heading)}", ""]
            if part.assumed:
                out += ["Assume " + ", ".join(f"${h.latex()}$" for h in part.assumed) + ".", ""]
            out += [_display(part), ""]
            out += ["| step | rule | hypotheses used | verdict |", "|---|---|---|---|"]
            for item in part.steps:
                stated = dict(zip(item.step.standing, item.step.stated_at))
                used = (
                    ", ".join(
                        f"${h.latex()}$" + (f" (stated at {stated[h]})" if stated.get(h) else "")
                        for h in item.verdict.needed
                    )
                    or "none"
                )
                rule = " ".join(x for x in (item.step.where, item.step.rule) if x)
                out.append(f"| ({item.number}) | {_cell(rule)} | {_cell(used)} | {_verdict_cell(item.verdict)} |")
            out.append("")
        out += [f"**{summary(checked)}**", ""]
        if not_read:
            out += [f"Not checked ({len(not_read)}):", ""]
            out += [f"- {_cell(place)}: {_cell(reason)}" for place, _source, reason in not_read]
            out.append("")
        return "\n".join(out)


def math_blocks(markdown: str) -> list[tuple[str, bool]]:
    """Every piece of math in an export as (source, display?), for rendering checks."""
    blocks = []
    rest = markdown
    while "$$" in rest:
        before, _, after = rest.partition("$$")
        blocks += _inline(before)
        math, _, rest = after.partition("$$")
        blocks.append((math.strip(), True))
    blocks += _inline(rest)
    return blocks


def _inline(text: str) -> list[tuple[str, bool]]:
    pieces = text.split("$")
    return [(piece, False) for piece in pieces[1::2] if piece.strip()]
