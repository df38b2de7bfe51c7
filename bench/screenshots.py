"""The pictures of what users see, for the README: each export rendered as a reader would see it.

* LaTeX: `--format latex`, compiled with latexmk, first page through pdftoppm;
* Markdown: `--format markdown`, turned into HTML by markdown-it (dollarmath) with every math
  block typeset by KaTeX, photographed by headless Chromium;
* HTML: `--format html` (MathML), photographed by headless Chromium;

for a built-in (ce-grad), a seed (the handwritten notes, which fail at two steps) and a file with
failed steps (examples/format-example.md).

    python -m bench.screenshots [--out docs]   # needs latexmk, pdftoppm, chromium, KaTeX

KaTeX is found as the Markdown tests find it: DERIVE_KATEX_DIR/node_modules/katex.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUBJECTS = (
    ("ce-grad", ["ce-grad"]),
    ("handwritten-notes", ["check", "examples/handwritten-notes.md"]),
    ("format-example", ["check", "examples/format-example.md"]),
)


def _export(args: list[str], format_: str) -> str:
    from click.testing import CliRunner

    from derive.cli import cli

    return CliRunner().invoke(cli, [*args, "--format", format_, "--no-cache"]).output


def latex_png(args: list[str], out: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "page.tex"
        source.write_text(_export(args, "latex"), encoding="utf-8")
        subprocess.run(["latexmk", "-pdf", "-interaction=nonstopmode", "-quiet", source.name], cwd=folder,
                       capture_output=True, check=True, timeout=300)  # fmt: skip
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", "-f", "1", "-l", "1", "page.pdf", "page"],
                       cwd=folder, check=True, timeout=120)  # fmt: skip
        shutil.copy(Path(folder) / "page.png", out)


_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="{katex}/katex.min.css">
<style>body {{ font-family: sans-serif; max-width: 860px; margin: 24px auto; font-size: 15px; }}
table {{ border-collapse: collapse; font-size: 13px; }} td, th {{ border: 1px solid #bbb; padding: 2px 6px; }}</style>
<script src="{katex}/katex.min.js"></script></head><body>{body}
<script>
for (const el of document.querySelectorAll(".math")) {{
  katex.render(el.textContent, el, {{displayMode: el.classList.contains("block"), throwOnError: true}});
}}
</script></body></html>"""


def markdown_png(args: list[str], out: Path, katex: Path) -> None:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    parser = MarkdownIt("commonmark").enable("table").use(dollarmath_plugin, double_inline=True)
    body = parser.render(_export(args, "markdown"))
    page = _PAGE.format(katex=html.escape(katex.as_uri()), body=body)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "page.html"
        source.write_text(page, encoding="utf-8")
        subprocess.run(
            ["chromium", "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
             "--allow-file-access-from-files", "--virtual-time-budget=5000", "--window-size=960,1200",
             f"--screenshot={out}", source.as_uri()],
            capture_output=True, check=True, timeout=120,
        )  # fmt: skip


def html_png(args: list[str], out: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "page.html"
        source.write_text(_export(args, "html"), encoding="utf-8")
        subprocess.run(
            ["chromium", "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
             "--window-size=960,1200", f"--screenshot={out}", source.as_uri()],
            capture_output=True, check=True, timeout=120,
        )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"))
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    katex = Path(os.environ.get("DERIVE_KATEX_DIR", "/tmp/derive-ci-katex")) / "node_modules" / "katex" / "dist"
    os.chdir(ROOT)  # the examples' paths are relative to the project
    for name, args in SUBJECTS:
        latex_png(args, out / f"latex-{name}.png")
        markdown_png(args, out / f"markdown-{name}.png", katex)
        html_png(args, out / f"html-{name}.png")
        print(f"{out}/latex-{name}.png, {out}/markdown-{name}.png, {out}/html-{name}.png")


if __name__ == "__main__":
    main()
