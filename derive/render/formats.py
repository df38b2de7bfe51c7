"""The export formats by name, for the CLI's ``--format``. Each takes a checked derivation
and returns text; none can change what the core decided."""

from __future__ import annotations

from derive.core import CheckedDerivation

FORMATS = ("text", "latex", "markdown", "json", "github", "html")


def export(
    checked: CheckedDerivation,
    format: str,
    *,
    fragment: bool = False,
    width: int = 100,
    not_read: tuple[tuple[str, str, str], ...] = (),
) -> str:
    """``checked`` as ``format`` text (``text`` is the terminal view, without colour).
    ``not_read``: (place, source, reason) of what the reader listed as not checked, which
    every export shows too: a document's unchecked equation must not vanish from its export."""
    if format == "latex":
        from .latex import LatexExport

        return LatexExport(fragment=fragment).render(checked, not_read)
    if format == "markdown":
        from .markdown import MarkdownExport

        return MarkdownExport().render(checked, not_read)
    if format == "html":
        from .html import HtmlExport

        return HtmlExport().render(checked, not_read)
    if format == "json":
        from .json_export import JsonExport

        return JsonExport().render(checked, not_read)
    if format == "github":
        from .github import GithubExport

        return GithubExport().render(checked, not_read)
    if format == "text":
        import io

        from rich.console import Console

        from .terminal import DerivationView

        buffer = io.StringIO()
        Console(file=buffer, no_color=True, width=width, soft_wrap=True, force_jupyter=False).print(
            DerivationView(checked)
        )
        return buffer.getvalue()
    raise ValueError(f"unknown format {format!r} (known: {', '.join(FORMATS)})")
