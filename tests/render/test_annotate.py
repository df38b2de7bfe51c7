"""derive check FILE --annotate: the user's own document with a mark after each piece of
mathematics. Removing the lines it inserts (each ends with a fixed marker) gives the original
back byte for byte; the author's document renders as before (the same blocks, the same math
for KaTeX), a LaTeX copy typesets the very same PDF, a notebook copy is a valid notebook.

The TeX and KaTeX tests skip, saying why, when latexmk or KaTeX is missing, unless
DERIVE_REQUIRE_TEX / DERIVE_REQUIRE_KATEX is set (as in tests/render/test_exports.py).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.render.annotate import LATEX_MARK, MARKDOWN_MARK, annotated, is_mark, strip_marks
from derive.render.markdown import math_blocks

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE_NAMES = sorted(path.name for path in EXAMPLES.iterdir() if path.suffix in (".md", ".ipynb"))


def _require(variable: str) -> bool:
    return os.environ.get(variable, "") not in ("", "0")


# -- the rule the README gives, written out here on its own --------------------------------------

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _inserted(line: str) -> bool:
    content = line.rstrip("\r\n")
    return content.endswith("<!-- derive-annotate -->") or content.endswith("% derive-annotate")


def _removed(copy: str) -> str:
    """Every line that ends with the marker, with its line break; when the copy ends with such a
    line without a break, the break before it too."""
    lines = _LINE.findall(copy)
    text = "".join(line for line in lines if not _inserted(line))
    if lines and _inserted(lines[-1]) and not lines[-1].endswith(("\n", "\r")):
        text = re.sub(r"(?:\r\n|\r|\n)\Z", "", text)
    return text


def _removed_notebook(copy: str) -> str:
    """The same, in each markdown cell's source; a cell made only of marked lines goes."""
    data = json.loads(copy)
    cells = []
    for cell in data["cells"]:
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            lines = _LINE.findall(source)
            if lines and all(_inserted(line) for line in lines):
                continue
            text = _removed(source)
            cell["source"] = text.splitlines(True) if isinstance(cell["source"], list) else text
        cells.append(cell)
    data["cells"] = cells
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# -- running derive ------------------------------------------------------------------------------


def _check(*args: str):
    return CliRunner().invoke(cli, ["check", *args])


def _annotate(path: Path, *options: str) -> tuple[bytes, object]:
    """The copy (the bytes of the -o file) and the run."""
    target = path.with_name(path.stem + ".checked" + path.suffix)
    result = _check(str(path), "--annotate", "-o", str(target), *options)
    return target.read_bytes(), result


@functools.cache
def _example(name: str) -> tuple[bytes, bytes, int, dict | None]:
    """An example's bytes, its copy, the exit status, and the JSON export of the same check
    (None when nothing was checked)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="derive-annotate-"))
    shutil.copy(EXAMPLES / name, folder / name)
    copy, run = _annotate(folder / name)  # the verdicts kept in this test's own cache folder
    export = _check(str(folder / name), "--format", "json")  # serve the export
    assert export.exit_code == run.exit_code, (run.output, export.output)  # the exit status of check
    data = json.loads(export.stdout) if export.stdout.strip() else None
    return (EXAMPLES / name).read_bytes(), copy, run.exit_code, data


def _marks(copy: str) -> list[str]:
    return [line.rstrip("\r\n") for line in _LINE.findall(copy) if _inserted(line)]


def _listed(marks: list[str]) -> tuple[list[int], int]:
    """The step numbers the marks give a verdict of, and how many things they say were not checked."""
    numbers: list[int] = []
    unread = 0
    for line in marks:
        body = re.sub(r"^(?:> |%% )", "", line)
        if re.match(r"[✓✗?○] derive(?:, in .*?)?: \(", body):  # a mark's first line, not a detail under it
            for first, last in re.findall(r"\((\d+)\)(?:–\((\d+)\))?", body.split(" not checked")[0]):
                numbers += range(int(first), int(last or first) + 1)
        unread += body.count("not checked: ") - body.count("nothing in this file was checked: ")
        many = re.match(r"○ derive(?:, in .*?)?: (\d+) not checked", body)
        unread += int(many.group(1)) if many else 0
    return numbers, unread


# -- Markdown as a renderer sees it --------------------------------------------------------------


def _parser():
    from derive.read.source import _markdown_parser

    return _markdown_parser()


_MARK_QUOTE = re.compile(
    r"<blockquote>\n<p>[^\n]*<!-- derive-annotate --></p>\n"
    r"(?:<ul>\n(?:<li>[^\n]*<!-- derive-annotate --></li>\n)+</ul>\n)?</blockquote>\n"
)


def _rendered_without_marks(copy: str) -> str:
    """The copy rendered to HTML, the marks' quotations and comments taken out again."""
    return _MARK_QUOTE.sub("", _parser().render(copy)).replace("<!-- derive-annotate -->\n", "")


def _math_tokens(text: str) -> list[tuple[str, bool]]:
    """Every piece of mathematics a Markdown renderer (markdown-it with the math plugins) hands
    to KaTeX, as (source, display?)."""
    found = []
    for token in _parser().parse(text):
        for t in [token, *(token.children or [])]:
            if t.type.startswith(("math", "amsmath")):
                found.append((t.content, t.type in ("math_block", "math_block_label", "amsmath", "math_inline_double")))
    return found


def _read_math(text: str, name: str = "doc.md") -> list[tuple[str, bool]]:
    """The mathematics derive's own reader finds."""
    from derive.read.source import Block, read_source

    return [(e.text, e.display) for e in read_source(name, text.encode("utf-8")) if isinstance(e, Block)]


def _assert_renders_as_before(original: str, copy: str) -> None:
    assert _rendered_without_marks(copy) == _parser().render(original)
    assert _math_tokens(copy) == _math_tokens(original)
    assert _read_math(copy) == _read_math(original)
    assert math_blocks(copy) == math_blocks(original)  # no '$' added to shift the pairs
    for line in _marks(copy):
        assert "$" not in line, line
        # outside code spans, no backslash, no tag or comment opener but the marker itself
        words = re.sub(r"(`+).*?\1", "", line.replace(MARKDOWN_MARK, ""))
        assert not re.search(r"[\\<$]|-->", words), line


# -- every example -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_example_comes_back_byte_for_byte_with_every_step_marked(name):
    original, copy_bytes, status, data = _example(name)
    copy = copy_bytes.decode("utf-8")
    kind = "ipynb" if name.endswith(".ipynb") else "markdown"
    if kind == "ipynb":
        assert _removed_notebook(copy).encode("utf-8") == original
        nbformat.validate(nbformat.reads(copy, as_version=4))
        assert nbformat.reads(strip_marks(copy, kind), as_version=4) == nbformat.reads(original.decode(), as_version=4)
        marks = [line for cell in json.loads(copy)["cells"] for line in _marks("".join(cell["source"]))]
    else:
        assert _removed(copy).encode("utf-8") == original
        marks = _marks(copy)
    assert strip_marks(copy, kind).encode("utf-8") == original
    assert status in (0, 1, 2)
    numbers, unread = _listed(marks)
    assert numbers == list(range(1, len(data["steps"]) + 1)), numbers  # each step once, in order
    assert unread == len(data["not_read"])
    assert any(line.startswith("> ") and " steps: " in line for line in marks)  # the summary
    if kind == "markdown":
        _assert_renders_as_before(original.decode("utf-8"), copy)
    else:
        for before, after in zip(_markdown_cells(original.decode()), _markdown_cells(_removed_cells(copy))):
            _assert_renders_as_before(before, after)


def _markdown_cells(notebook: str) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(notebook)["cells"] if c["cell_type"] == "markdown"]


def _removed_cells(copy: str) -> str:
    """The copy without the cells derive added (their sources are marks only)."""
    data = json.loads(copy)
    data["cells"] = [c for c in data["cells"] if not all(_inserted(x) for x in _LINE.findall("".join(c["source"])))]
    return json.dumps(data)


def test_a_failed_step_gets_its_counterexample_and_why():
    original, copy, status, data = _example("format-example.md")
    text = copy.decode("utf-8")
    assert status == 1  # as derive check says: the copy is written all the same
    failed = [step for step in data["steps"] if step["verdict"] == "fails"]
    assert failed
    for step in failed:
        assert f"> - ({step['index']}) counterexample: `{step['counterexample']['text']}`" in text
        assert f"fails: {step['reason']}" in text
        assert f"> - ({step['index']}) left − right = `{step['difference']}`" in text
    assert "> ✗ derive: (2)–(3) proved for all K; (4) fails " + MARKDOWN_MARK + "\n" in text
    # the mark follows the display it is about, before the next display begins
    display_end = text.index("&= s_i \\sum_{k=1}^{K} y_k - y_k\n$$\n") + len("&= s_i \\sum_{k=1}^{K} y_k - y_k\n$$\n")
    assert text[display_end:].startswith("> ✗ derive: (2)–(3)")


# -- line endings and the end of the file -----------------------------------------------------------

_DOC = (
    "<!-- derive\nsoftmax: s of z\n-->\n\n"
    "# Notes\n\n"
    "$$\ns_i - s_i = 0\n$$\n"
    "where the display above holds for every $i$.\n\n"
    "> In a quote of the author's: $$ 2 s_i = s_i + s_i $$\n"
    "- a list item with $s_i + 1 = 1 + s_i$\n"
    "- and a wrong one, $s_i s_i = 2 s_i$\n\n"
    "<div>\n\n$$ 3 s_i = s_i + 2 s_i $$\n</div>\n\n"
    "Words, then a display at the very end:\n\n"
    "$$\ns_i = s_i + 0\n$$"
)


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
@pytest.mark.parametrize("final", [True, False], ids=["final-newline", "no-final-newline"])
def test_line_endings_and_a_display_at_the_very_end(tmp_path, ending, final):
    text = _DOC.replace("\n", ending) + (ending if final else "")
    path = tmp_path / "notes.md"
    path.write_bytes(text.encode("utf-8"))
    copy_bytes, run = _annotate(path)
    assert run.exit_code == 1, run.output  # the wrong list item
    copy = copy_bytes.decode("utf-8")
    assert _removed(copy) == text and strip_marks(copy) == text
    assert copy.endswith(ending) == final  # ends as the original ends
    # every inserted line has the document's own line break
    assert set(re.findall(r"\r\n|\r|\n", copy)) == {ending}
    last_display = f"${ending}s_i = s_i + 0{ending}$${ending}"
    assert last_display in copy  # the last display, then its mark
    after = copy.split(last_display, 1)[1]
    assert after.startswith("> ✓ derive: (")
    assert "> ✗ derive: (3) proved for all K; (4) fails " + MARKDOWN_MARK in copy
    _assert_renders_as_before(text, copy)


def test_marks_after_a_quote_a_list_and_a_paragraph_keep_to_themselves(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(_DOC + "\n", encoding="utf-8")
    copy = _annotate(path)[0].decode("utf-8")
    lines = copy.split("\n")
    # after the author's quotation: a comment line first, so that the mark is a quotation of its own
    quote = lines.index("> In a quote of the author's: $$ 2 s_i = s_i + s_i $$")
    assert lines[quote + 1] == MARKDOWN_MARK and lines[quote + 2].startswith("> ✓ derive: ")
    # a line of the author's right after the display: a comment line ends the mark before it
    words = lines.index("where the display above holds for every $i$.")
    assert lines[words - 1] == MARKDOWN_MARK and lines[words - 2].startswith("> ✓ derive: (1)")
    assert _rendered_without_marks(copy) == _parser().render(_DOC + "\n")


# -- what the marks may hold -----------------------------------------------------------------------


def test_text_from_the_file_cannot_break_the_copy(tmp_path):
    text = (
        "<!-- derive\nsoftmax: s of z\n-->\n\n"
        "$$\ns_i = \\mathrm{`-->$x$} + \\foo{a`b}\n$$\n\n"
        "$$ s_i = \\text{$a$ --> `q` <!-- c -->} $$\n\n"
        "$$ s_i - s_i = 0 $$\n"
    )
    path = tmp_path / "weird.md"
    path.write_text(text, encoding="utf-8")
    copy_bytes, run = _annotate(path)
    copy = copy_bytes.decode("utf-8")
    assert run.exit_code == 2  # displays not read
    assert _removed(copy) == text
    assert copy.count("○ derive: not checked: ") == 2
    _assert_renders_as_before(text, copy)


def test_a_reason_with_dollars_a_comment_closer_and_backticks_is_neutralised():
    """A reason (it may quote the source) is text from the file: it must not open mathematics,
    close a comment or end a code span."""
    text = "# Notes\n\n$$\nx = y\n$$\n\nMore words.\n"
    nasty = "expected `$$` here --> <!-- and $x$ \\(y\\) ``` *not* _this_"
    copy = annotated(text.encode(), "notes.md", None, _no_steps(), [("notes.md:4:1", "x = $y$ -->", nasty)])
    assert _removed(copy) == text
    _assert_renders_as_before(text, copy)
    (mark,) = [line for line in _marks(copy) if "not checked: " in line]
    spans = [span for _, span in re.findall(r"(`+)(.+?)\1", mark.replace(MARKDOWN_MARK, ""))]
    assert any("--> <!--" in span and "＄x＄" in span for span in spans)  # kept, written ＄, in a code span


def _no_steps():
    """A checked derivation of no steps (a document whose mathematics was all passed over)."""
    from derive.core import Derivation, check_derivation, softmax_notation

    return check_derivation(Derivation("notes", "Notes", softmax_notation(), ()))


def test_is_mark_and_strip_marks_on_their_own():
    assert is_mark("> ✓ derive: (1) proved for all K " + MARKDOWN_MARK + "\r\n")
    assert is_mark(MARKDOWN_MARK) and is_mark("%% ✓ derive: (1) proved " + LATEX_MARK + "\n")
    assert not is_mark("> ✓ derive: (1) proved for all K") and not is_mark(MARKDOWN_MARK + " and more")
    assert strip_marks("a\n> m " + MARKDOWN_MARK) == "a"
    assert strip_marks("a\r\n> m " + MARKDOWN_MARK + "\r\n") == "a\r\n"
    assert strip_marks("a\r> m " + MARKDOWN_MARK + "\rb") == "a\rb"


# -- the command -------------------------------------------------------------------------------------


def test_without_o_the_copy_goes_to_standard_output(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(_DOC, encoding="utf-8")
    copy, _ = _annotate(path)
    result = _check(str(path), "--annotate")
    assert result.exit_code == 1
    assert result.stdout_bytes == copy


@pytest.mark.parametrize(
    "options, message",
    [
        (["--format", "json"], "derive: --annotate writes the document itself: it goes without --format json\n"),
        (
            ["--format", "markdown"],
            "derive: --annotate writes the document itself: it goes without --format markdown\n",
        ),
        (["SECOND"], "derive: --annotate writes the copy of one file at a time (2 given)\n"),
    ],
)
def test_annotate_with_another_format_or_several_files_is_one_line_and_exit_2(tmp_path, options, message):
    for name in ("one.md", "two.md"):
        (tmp_path / name).write_text("$$ s_i = s_i $$\n", encoding="utf-8")
    options = [str(tmp_path / "two.md") if option == "SECOND" else option for option in options]
    result = _check(str(tmp_path / "one.md"), "--annotate", "-o", str(tmp_path / "out.md"), *options)
    assert result.exit_code == 2
    assert result.stderr == message and "Traceback" not in result.output
    assert not (tmp_path / "out.md").exists()  # refused before anything is written


def test_the_copy_is_the_same_cold_warm_and_without_the_cache(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(_DOC.replace("$s_i s_i = 2 s_i$", "$s_i s_i = s_i^2$") + "\n", encoding="utf-8")
    cold, run = _annotate(path)
    assert run.exit_code == 0, run.output
    assert list((Path(os.environ["DERIVE_CACHE_DIR"]) / "runs").iterdir())  # kept for a replay
    warm, _ = _annotate(path)
    uncached, _ = _annotate(path, "--no-cache")
    assert cold == warm == uncached
    assert b"cached" not in cold


def test_a_file_with_nothing_checked_is_copied_saying_so(tmp_path):
    path = tmp_path / "notes.md"
    text = "# Notes\n\n<!-- derive: skip -->\n$$\na = b\n$$\n"
    path.write_text(text, encoding="utf-8")
    copy, run = _annotate(path)
    assert run.exit_code == 2
    copy = copy.decode()
    assert _removed(copy) == text
    assert "○ derive: not checked: `a = b` (skip directive)" in copy
    assert "○ derive: nothing in this file was checked: " in copy


def test_a_file_that_cannot_be_read_is_not_copied(tmp_path):
    path = tmp_path / "notes.md"
    path.write_bytes(b"$$ a = b $$ \xff\n")
    copy, run = _annotate(path)
    assert run.exit_code == 2 and copy == b""
    assert run.stderr.startswith(f"derive: {path}:1:13: not UTF-8 text")


def test_an_annotated_copy_is_not_annotated_again(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(_DOC, encoding="utf-8")
    copy, _ = _annotate(path)
    again = tmp_path / "again.md"
    again.write_bytes(copy)
    result = _check(str(again), "--annotate")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"derive: {again}:") and "annotate the original" in result.stderr
    assert result.stderr.count("\n") == 1


def test_the_copy_reads_as_the_original_does(tmp_path):
    """Checked again, an annotated copy gives the same verdicts: derive's reader takes none of the
    marks for mathematics, a directive or a header."""
    shutil.copy(EXAMPLES / "ce-grad.md", tmp_path / "ce-grad.md")
    copy, _ = _annotate(tmp_path / "ce-grad.md")
    (tmp_path / "copy.md").write_bytes(copy)
    before = json.loads(_check(str(tmp_path / "ce-grad.md"), "--format", "json").stdout)
    after = json.loads(_check(str(tmp_path / "copy.md"), "--format", "json").stdout)
    assert [s["label"] for s in after["steps"]] == [s["label"] for s in before["steps"]]
    assert [r["source"] for r in after["not_read"]] == [r["source"] for r in before["not_read"]]


# -- notebooks -----------------------------------------------------------------------------------------


def _notebook(minor: int, string_sources: bool) -> str:
    """A notebook as Jupyter writes one: a markdown cell ending in a display without a line
    break, a code cell whose saved Markdown output shows mathematics (not read)."""

    def source(text: str):
        return text if string_sources else text.splitlines(True)

    cells = [
        {
            "cell_type": "markdown",
            "metadata": {},
            "source": source("<!-- derive\nsoftmax: s of z\n-->\n# Notes\n\n$$\ns_i - s_i = 0\n$$"),
        },
        {
            "cell_type": "code",
            "execution_count": 1,
            "metadata": {},
            "outputs": [
                {
                    "data": {
                        "text/markdown": ["$$ a = b $$"],
                        "text/plain": ["<IPython.core.display.Markdown object>"],
                    },
                    "execution_count": 1,
                    "metadata": {},
                    "output_type": "execute_result",
                }
            ],
            "source": source("from IPython.display import Markdown\nMarkdown('$$ a = b $$')"),
        },
        {
            "cell_type": "markdown",
            "metadata": {},
            "source": source("Then $$ 2 s_i = s_i + s_i $$ and $s_i s_i = 2 s_i$.\n"),
        },
    ]
    if minor >= 5:
        for number, cell in enumerate(cells):
            cell["id"] = f"cell-{number}"
    data = {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": minor,
    }
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("minor", [4, 5])
@pytest.mark.parametrize("string_sources", [False, True], ids=["line-lists", "strings"])
def test_a_notebook_copy_is_valid_and_comes_back(tmp_path, minor, string_sources):
    text = _notebook(minor, string_sources)
    nbformat.validate(nbformat.reads(text, as_version=4))
    path = tmp_path / "notes.ipynb"
    path.write_text(text, encoding="utf-8")
    copy_bytes, run = _annotate(path)
    assert run.exit_code == 1, run.output  # s_i s_i = 2 s_i fails
    copy = copy_bytes.decode("utf-8")
    notebook = nbformat.reads(copy, as_version=4)
    nbformat.validate(notebook)
    assert strip_marks(copy, "ipynb") == text
    assert nbformat.reads(strip_marks(copy, "ipynb"), as_version=4) == nbformat.reads(text, as_version=4)
    kinds = [cell.cell_type for cell in notebook.cells]
    assert kinds == ["markdown", "code", "markdown", "markdown", "markdown"]  # a cell of marks after the code
    first, _, after_code, third, last = notebook.cells
    assert first.source.endswith("$$\n> ✓ derive: (1) proved for all values " + MARKDOWN_MARK)
    assert (
        after_code.source
        == "> ○ derive: not checked: `a = b` (in the cell's text/markdown output, which derive does not read) "
        + MARKDOWN_MARK
    )
    assert "> ✗ derive: (2) proved for all K; (3) fails" in third.source
    assert " steps: " in last.source
    assert ("id" in after_code) == (minor >= 5)
    if not string_sources:
        assert _removed_notebook(copy) == text  # the README's rule, cell by cell


def test_a_notebook_formatted_otherwise_keeps_its_formatting(tmp_path):
    data = json.loads(_notebook(5, False))
    data["cells"][0]["source"][3] = "# Notes on ∂L/∂z\n"  # written \u2202 below: ASCII only
    text = json.dumps(data, indent=2, ensure_ascii=True)  # keys unsorted, no final line break
    path = tmp_path / "notes.ipynb"
    path.write_text(text, encoding="utf-8")
    copy = _annotate(path)[0].decode("utf-8")
    assert copy.startswith('{\n  "cells": [') and copy.isascii() and not copy.endswith("\n")
    assert strip_marks(copy, "ipynb") == text


# -- LaTeX ---------------------------------------------------------------------------------------------

_TEX = r"""\documentclass{article}
\usepackage{amsmath,amssymb}
% derive
% softmax: s of z
% labels: y one-hot
% loss: L = -\sum_{k=1}^{K} y_k \log s_k
\begin{document}
\section{The gradient}
The labels sum to one, $\sum_k y_k = 1$, and
\begin{align}
\frac{\partial L}{\partial z_i} &= \sum_{k=1}^{K} \frac{\partial L}{\partial s_k} \frac{\partial s_k}{\partial z_i} \\
&= -\sum_{k=1}^{K} y_k (\delta_{ki} - s_i) \\
&= s_i \sum_{k=1}^{K} y_k - y_k
\end{align}
so that, for $i = k$, \footnote{And in a footnote, \[ s_i - s_i = 0 \] too.}
\[ \frac{\partial L}{\partial z_i} = s_i - y_i \]
\input{part}
\end{document}"""


def _tex_copy(tmp_path: Path) -> tuple[str, str]:
    (tmp_path / "notes.tex").write_text(_TEX, encoding="utf-8")
    (tmp_path / "part.tex").write_text("And again \\[ \\frac{\\partial L}{\\partial z_i} = s_i + y_i \\]\n", "utf-8")
    copy, run = _annotate(tmp_path / "notes.tex")
    assert run.exit_code == 1, run.output
    return _TEX, copy.decode("utf-8")


def test_a_latex_copy_marks_in_comment_lines(tmp_path):
    text, copy = _tex_copy(tmp_path)
    assert _removed(copy) == text and strip_marks(copy) == text
    lines = copy.split("\n")
    assert all(line.startswith("%% ") and line.endswith(" " + LATEX_MARK) for line in _marks(copy))
    end = lines.index("\\end{align}")
    assert lines[end + 1] == "%% ✗ derive: (2)–(3) proved for all K; (4) fails " + LATEX_MARK
    assert lines[end + 2].startswith("%% - (4) `")
    assert lines[lines.index("\\input{part}") + 1].startswith("%% ✗ derive, in `")
    assert "part.tex`: (7) fails" in copy
    assert lines[-1].startswith("%% ✗ derive: 7 steps: ") and not copy.endswith("\n")


def test_a_latex_copy_typesets_the_very_same_pdf(tmp_path):
    latexmk = shutil.which("latexmk")
    if latexmk is None:
        if _require("DERIVE_REQUIRE_TEX"):
            pytest.fail("DERIVE_REQUIRE_TEX is set but latexmk is not installed")
        pytest.skip("no TeX engine: install latexmk and texlive (or set DERIVE_REQUIRE_TEX to demand them)")
    text, copy = _tex_copy(tmp_path)
    pdfs = []
    for folder, source in (("original", text), ("annotated", copy)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.tex").write_text(source, encoding="utf-8")
        shutil.copy(tmp_path / "part.tex", tmp_path / folder / "part.tex")
        run = subprocess.run(
            [latexmk, "-pdf", "-interaction=nonstopmode", "-halt-on-error", "notes.tex"],
            cwd=tmp_path / folder,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "SOURCE_DATE_EPOCH": "0", "FORCE_SOURCE_DATE": "1"},
        )
        log = (tmp_path / folder / "notes.log").read_text(encoding="utf-8", errors="replace")
        assert run.returncode == 0 and "! " not in log, log[-3000:]
        pdfs.append((tmp_path / folder / "notes.pdf").read_bytes())
    assert pdfs[0] == pdfs[1]  # comment lines: not a mark on the page, nothing moved


# -- KaTeX ---------------------------------------------------------------------------------------------

_KATEX_SCRIPT = r"""
const katex = require(process.env.KATEX_MODULE || "katex");
const blocks = JSON.parse(require("fs").readFileSync(0, "utf8"));
const rendered = blocks.map(([source, display]) => {
  try {
    katex.renderToString(source, {throwOnError: true, displayMode: display, strict: "ignore"});
    return true;
  } catch (error) {
    return false;
  }
});
console.log(JSON.stringify(rendered));
"""


def _katex(blocks: list[tuple[str, bool]]) -> list[bool]:
    node = shutil.which("node")
    directory = os.environ.get("DERIVE_KATEX_DIR")
    module = Path(directory) / "node_modules" / "katex" if directory else None
    if node is None or module is None or not module.exists():
        if _require("DERIVE_REQUIRE_KATEX"):
            pytest.fail("DERIVE_REQUIRE_KATEX is set but node or the katex package is missing (DERIVE_KATEX_DIR)")
        pytest.skip("KaTeX not available: set DERIVE_KATEX_DIR to a folder with node_modules/katex")
    run = subprocess.run(
        [node, "-e", _KATEX_SCRIPT],
        input=json.dumps(blocks),
        capture_output=True,
        text=True,
        env={**os.environ, "KATEX_MODULE": str(module)},
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


@pytest.mark.parametrize("name", ["handwritten-notes.md", "format-example.md", "softmax-blog.md"])
def test_katex_renders_every_block_of_the_copy_it_rendered_in_the_original(name):
    original, copy, _, _ = _example(name)
    before, after = _math_tokens(original.decode()), _math_tokens(copy.decode())
    assert after == before
    rendered_before, rendered_after = _katex(before), _katex(after)
    assert sum(rendered_before) > 0
    assert all(a for b, a in zip(rendered_before, rendered_after) if b)
    marks = "\n".join(_marks(copy.decode()))
    assert _math_tokens(marks) == [] and "$" not in marks
