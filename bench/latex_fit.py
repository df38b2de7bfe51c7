"""Does `--format latex` fit the page? Every built-in (at its default K) and every file in
examples/ is exported with --fragment and set, one after the other, in the standard article
class at 10 pt (no geometry: the narrowest line a paper gives it, 345 pt), then TeX's overfull
boxes are counted from the log, per export:

* outside the align* displays (the notes under a display, a failed step's counterexample, the
  assumptions, the headings): derive's own material; none may be over 1 pt;
* on a line of an align* display. For a built-in that is derive's writing (none may be over 1 pt);
  for a user's file it is the author's own equation, wider than the line as they wrote it, and
  is counted apart (derive sets it as written and moves its number to a line of its own).

    python -m bench.latex_fit        # prints the counts; exit 1 if derive's own overflow

CI runs it after the tests, so the counts are in its log; tests/render/test_latex_fit.py
asserts the same with the same function.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOLERANCE_PT = 1.0
_OVERFULL = re.compile(
    r"Overfull \\hbox \(([0-9.]+)pt too wide\) (?:in paragraph|in alignment|detected) at lines? (\d+)"
)
_MARK = re.compile(r"^DERIVE-EXPORT (\S+)$", re.M)


@dataclass(frozen=True)
class Fit:
    name: str
    derive_overfull: tuple[float, ...]  # widths over the tolerance, in pt, of derive's own material
    author_overfull: tuple[float, ...]  # the author's own displays wider than the line


def _exports() -> list[tuple[str, str, bool]]:
    """(name, LaTeX fragment, written by derive) for every built-in and every example."""
    from click.testing import CliRunner

    from derive.cli import cli
    from derive.proofs import BUILTINS

    runner = CliRunner()
    out = []
    for name in BUILTINS:
        result = runner.invoke(cli, [name, "--format", "latex", "--fragment"])
        out.append((name, result.output, True))
    for path in sorted((ROOT / "examples").iterdir()):
        if path.suffix in (".md", ".tex", ".ipynb"):
            result = runner.invoke(cli, ["check", str(path), "--format", "latex", "--fragment"])
            out.append((f"examples/{path.name}", result.output, False))
    return out


def _packages(fragment: str) -> str:
    """The packages the fragment's first comment says it needs."""
    head = fragment.splitlines()[0] if fragment else ""
    return ",".join(
        dict.fromkeys(p for group in re.findall(r"\\usepackage\{([^}]*)\}", head) for p in group.split(","))
    )


def measure(latexmk: str | None = None, exports: list[tuple[str, str, bool]] | None = None) -> list[Fit]:
    """The overfull boxes of ``exports`` ((name, fragment, written by derive); by default every
    built-in and every example)."""
    from derive.render.latex import package_lines

    latexmk = latexmk or shutil.which("latexmk")
    if latexmk is None:
        raise RuntimeError("no latexmk: install a TeX engine (latexmk, texlive-latex-recommended)")
    exports = _exports() if exports is None else exports
    packages = {p for _, fragment, _ in exports for p in _packages(fragment).split(",") if p}
    body = []
    for name, fragment, _ in exports:
        # each export starts on a fresh line of the log: its overfull boxes come after its mark
        body += [f"\\typeout{{^^JDERIVE-EXPORT {name}}}", fragment, "\\clearpage"]
    document = "\n".join(
        [
            r"\documentclass[10pt]{article}",
            r"\usepackage[T1]{fontenc}",
            *package_lines(sorted(packages)),
            r"\begin{document}",
            *body,
            r"\end{document}",
            "",
        ]
    )
    displays, inside = set(), False  # the document's lines that belong to an align*
    for number, line in enumerate(document.splitlines(), start=1):
        inside = inside or line.startswith(r"\begin{align*}")
        if inside:
            displays.add(number)
        inside = inside and not line.startswith(r"\end{align*}")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "fit.tex"
        source.write_text(document, encoding="utf-8")
        run = subprocess.run(
            [latexmk, "-pdf", "-interaction=nonstopmode", "-halt-on-error", source.name],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=600,
        )
        log = (Path(folder) / "fit.log").read_text(encoding="utf-8", errors="replace")
        if run.returncode != 0:
            raise RuntimeError("the exports do not compile:\n" + log[-3000:])
    marks = list(_MARK.finditer(log))
    fits = []
    by_name = {name: by_derive for name, _, by_derive in exports}
    for at, mark in enumerate(marks):
        end = marks[at + 1].start() if at + 1 < len(marks) else len(log)
        mine, theirs = [], []
        for box in _OVERFULL.finditer(log, mark.end(), end):
            width = float(box.group(1))
            if width <= TOLERANCE_PT:
                continue
            in_display = int(box.group(2)) in displays  # amsmath reports an align row "detected at line"
            (theirs if in_display and not by_name[mark.group(1)] else mine).append(width)
        fits.append(Fit(mark.group(1), tuple(mine), tuple(theirs)))
    return fits


def main() -> int:
    fits = measure()
    width = max(len(f.name) for f in fits)
    print(
        f"{'export'.ljust(width)}  derive's overfull boxes > {TOLERANCE_PT} pt   author's displays wider than the line"
    )
    for f in fits:
        mine = ", ".join(f"{w:.1f} pt" for w in f.derive_overfull) or "0"
        theirs = ", ".join(f"{w:.1f} pt" for w in f.author_overfull) or "0"
        print(f"{f.name.ljust(width)}  {mine.ljust(40)} {theirs}")
    total = sum(len(f.derive_overfull) for f in fits)
    print(f"{len(fits)} exports: {total} overfull boxes of derive's own, "
          f"{sum(len(f.author_overfull) for f in fits)} author's displays wider than a 10 pt article's line")  # fmt: skip
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
