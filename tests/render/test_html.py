"""The HTML export (--format html): one self-contained page that parses, holds its mathematics
as MathML and nothing of LaTeX outside it, no script and no address to fetch, sets a failed
step apart with its counterexample, escapes what files put into it, falls back when LaTeX does
not convert, and is the same bytes cold or warm.

The Chromium test renders pages in headless Chromium (the Debian package ``chromium``); where
it is missing the test skips with the reason, unless DERIVE_REQUIRE_CHROMIUM is set (as
.ci/run does): then a missing browser is a failure. With DERIVE_SCREENSHOT_DIR set, the
screenshots are kept there.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.core import Derivation, Step, check_derivation
from derive.proofs import BUILTINS
from derive.render import html as html_export
from derive.render.formats import FORMATS, export

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".md", ".ipynb", ".tex"))


def _require(variable: str) -> bool:
    return os.environ.get(variable, "") not in ("", "0")


# -- what every page must be ---------------------------------------------------------------------

_VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr", "area", "base", "source", "track", "embed"}


class _Page(HTMLParser):
    """The page's elements, its text outside MathML annotations, and every problem of nesting."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
            return
        self.open.pop()

    def handle_data(self, data):
        if "annotation" not in self.open and "style" not in self.open:
            self.text.append(data)


def _parsed(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert not parser.problems, parser.problems[:5]
    assert parser.open == [], parser.open  # every element closed
    return parser


def _assert_clean(page: str, steps: int | None = None) -> _Page:
    """A page that parses, with MathML and no merror, no LaTeX outside the annotations, no
    script and no address to fetch; and, given ``steps``, every step numbered."""
    assert page.startswith("<!DOCTYPE html>\n")
    parsed = _parsed(page)
    assert "math" in parsed.tags
    assert "merror" not in parsed.tags and "merror" not in page
    assert "script" not in parsed.tags and "<script" not in page.lower()
    assert not re.search(r"https?:", page), re.search(r".{40}https?:.{40}", page)
    for name, value in parsed.attributes:
        assert not name.startswith("on"), name  # no event handlers
        assert name not in ("src", "href") or (value or "").startswith("#"), (name, value)
    text = "".join(parsed.text)
    for leftover in ("$", "\\frac", "\\sum", "\\left", "\\"):
        assert leftover not in text, (leftover, text[max(0, text.find(leftover) - 80) : text.find(leftover) + 80])
    if steps is not None:
        for number in range(1, steps + 1):
            assert f'id="step-{number}"' in page and f"({number})" in text
    return parsed


def test_every_builtin_exports_to_a_clean_page(builtins_checked):
    for name, checked in builtins_checked.items():
        page = export(checked, "html")
        _assert_clean(page, len(checked.verdicts))
        for verdict in checked.verdicts:
            assert verdict.label in page, (name, verdict.label)
        assert "✗" not in page and "0 failed" in page


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_exports_to_a_clean_page(path):
    from derive.api import check_file

    result = check_file(path, cache=False)
    page = result.export("html")
    _assert_clean(page, len(result.steps))
    for place, _source, _reason in result._listed():
        assert html_export.html.escape(place) in page  # what was not checked, with its place
    if any(not v.holds for v in result.steps):
        assert "✗" in page or "?" in page


def test_a_failed_step_is_set_apart_with_its_counterexample(with_failure):
    checked, number = with_failure
    verdict = checked.verdicts[number - 1]
    counterexample = verdict.counterexample
    page = export(checked, "html")
    _assert_clean(page, len(checked.verdicts))
    step = re.search(rf'<li class="step fails" id="step-{number}">(.*?)</li>', page, re.S)
    assert step is not None
    failed = step.group(1)
    assert '<span class="mark">✗</span>' in failed and "✗ fails" in failed  # a mark, not a colour alone
    assert "Counterexample:" in failed and "Diagnosis:" in failed and verdict.reason in failed
    assert f"left side <math><semantics><mrow><mn>{counterexample.left}</mn>" in failed
    for _name, latex, _value in counterexample.inputs:
        assert f"{latex} = " in failed  # each input, its LaTeX kept in the annotation
    # one step fails, and only that one is set apart; the summary says so, and links to it
    assert page.count('class="step fails"') == 1 and page.count("✗ fails") == 2
    assert '<p class="summary bad">' in page and f'<a href="#step-{number}">Step {number}</a>' in page
    assert "1 failed" in page


def test_what_was_not_checked_is_listed_with_its_place_and_reason(tmp_path):
    path = tmp_path / "gap.md"
    path.write_text(
        "<!-- derive: case i = j -->\n$$\n\\frac{\\partial s_i}{\\partial z_j} = s_i - s_i^2\n$$\n\n"
        "## Another case\n\n$$\n= s_i(1 - s_i)\n$$\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "html", str(path)])
    assert result.exit_code == 2, result.output
    page = result.output
    _assert_clean(page)
    unread = page[page.index('<section id="not-checked">') :]
    assert "Not checked (1)" in unread and "gap.md:8:3" in unread and "continues a chain across" in unread
    assert '<a href="#not-checked">1 not checked</a>' in page


# -- what files put into the page is text --------------------------------------------------------


def test_titles_headings_and_file_names_are_escaped(tmp_path):
    folder = tmp_path / "a&b<script>alert(1)<"
    folder.mkdir()
    path = folder / "notes&more.md"
    path.write_text(
        "# Title <script>alert('t')</script> & co\n\n<!-- derive\nsoftmax: s of z\n-->\n\n"
        "## Case <script>alert('h')</script> &amp; <b>bold</b>\n\n$$\ns_i (1 - s_i) = s_i - s_i^2\n$$\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "html", str(path)])
    assert result.exit_code == 0, result.output
    page = result.output
    parsed = _assert_clean(page, 1)
    assert "b" not in parsed.tags  # the heading's <b> is text
    assert "&lt;script&gt;alert(&#x27;h&#x27;)&lt;/script&gt; &amp;amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt; &amp; co" in page
    assert "a&amp;b&lt;script&gt;alert(1)&lt;/notes&amp;more.md:" in page  # the place of the step
    assert "<title>Title &lt;script&gt;" in page


def test_a_rule_reason_or_hypothesis_is_text(with_failure, monkeypatch):
    checked, _ = with_failure
    rule = '<img src=x onerror="alert(1)"> & $\\frac{a}{b}$ </li>'
    step = Step(checked.derivation.steps[0].previous, checked.derivation.steps[0].next, rule=rule, heading="<h1>&</h1>")
    derivation = Derivation("x", "<i>t</i>", checked.derivation.notation, (step,))
    page = export(check_derivation(derivation), "html", not_read=(("<a>:1:1", "\\frac{", "<b>why</b> & how"),))
    parsed = _assert_clean(page, 1)
    assert not {"img", "i", "b"} & set(parsed.tags) and parsed.tags.count("h1") == 1  # every <a> links within
    assert "&lt;img" in page and "onerror=&quot;alert(1)&quot;&gt; &amp; <math>" in page  # the $...$ as MathML
    assert "<mfrac>" in page
    assert "&lt;/li&gt;" in page and "&lt;h1&gt;&amp;&lt;/h1&gt;" in page
    assert "&lt;b&gt;why&lt;/b&gt; &amp; how" in page and "&lt;a&gt;:1:1" in page


# -- LaTeX that does not convert -----------------------------------------------------------------


@pytest.mark.parametrize(
    "latex",
    [
        "\\frac{a}{",  # an error of latex2mathml's
        "x^",
        "\\left( x",
        "\\unknowncommand x",  # left as <mi>\unknowncommand</mi>
        "a } b",  # a brace left as text
        "$x$",
        "\\href{https://example.com}{x}",  # a link
        "\\def\\x{\\x}\\x",  # a macro, which could run for ever
        "\\text{$b$}",
        "",
        "\\,",
    ],
)
def test_latex_that_does_not_convert_cleanly_is_refused(latex):
    assert html_export.mathml(latex) is None
    assert html_export.mathml(latex, True) is None


def test_the_mathml_holds_only_what_mathml_needs():
    page = html_export.mathml('\\color{red" onload="x}{a} \\text{<script>}', True) or ""
    names = {name for name, _ in _parsed(page).attributes}
    assert "<mtext>&lt;script&gt;</mtext>" in page and "onload" not in names and "mathcolor" not in names
    converted = html_export.mathml("\\text{<b>x</b>}")
    assert converted is not None and "<mtext>&lt;b&gt;x&lt;/b&gt;</mtext>" in converted
    assert "xmlns" not in html_export.mathml("x")  # no address of a namespace: HTML needs none


@pytest.mark.parametrize(
    "latex",
    [
        "\\mathrm{softmax}(z)_i",
        "\\left( \\frac{e^{z_i}}{\\sum_{k=1}^{K} e^{z_k}} \\right)",
        "\\frac{\\partial s_i}{\\partial z_j} = s_i(\\delta_{ij} - s_j)",
        "\\mathbf{1}\\{i = j\\} - s_j",
        "\\operatorname{diag}(s) - s s^\\top",
        "\\log s_k + \\text{const}",
        "\\color{red}{s_i - y_i}",
        "\\frac{\\partial L}{\\partial z_i} &= s_i - y_i \\\\",  # a row of an aligned block
        "s_i \\tag{3}\\label{eq:3}",
        "\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}",
    ],
)
def test_the_authors_latex_converts(latex):
    converted = html_export.mathml(latex, True)
    assert converted is not None
    _parsed(converted)


def test_a_side_that_does_not_convert_falls_back_to_derives_printing_then_to_text(with_failure, monkeypatch):
    from derive.render import latex as latex_printing

    checked, _ = with_failure
    monkeypatch.setattr(html_export, "written_latex", lambda step: ("\\frac{", "\\unknowncommand{x}"))
    page = export(checked, "html")
    _assert_clean(page, len(checked.verdicts))
    first = checked.derivation.steps[0]
    assert html_export.mathml(latex_printing.to_latex(first.next), True) in page  # derive's own printing
    assert '<code class="m">' not in page

    def broken(expression):
        raise ValueError("no printing")

    monkeypatch.setattr(latex_printing, "to_latex", broken)
    page = export(checked, "html")
    _assert_clean(page, len(checked.verdicts))
    shown = html_export.written_text(first)[1]
    assert f'<code class="m">{html_export.html.escape(shown)}</code>' in page  # the Unicode text
    monkeypatch.setattr(latex_printing, "to_latex", lambda expression: "\\left( x")  # converts to nothing
    _assert_clean(export(checked, "html"), len(checked.verdicts))


def test_mathematics_in_prose_that_does_not_convert_is_plain_unicode():
    prose = html_export._prose("Case $\\frac{\\partial L}{$ and $\\left( \\delta_{ij}$")
    assert prose.count("<code") == 2 and "<math" not in prose
    assert "\\" not in prose and "$" not in prose and "∂" in prose and "δ" in prose
    assert html_export.plain("\\frac{a}{b} \\cdot \\mathbb{R}^{K} \\unknown{x}") == "(a)/(b) · R^K x"


# -- the same bytes every run --------------------------------------------------------------------


def test_the_page_is_the_same_cold_or_warm(tmp_path):
    runner = CliRunner()
    for argv in (["mse-grad"], ["check", str(ROOT / "examples" / "log-softmax.md")]):
        fresh = runner.invoke(cli, [*argv, "--format", "html", "--no-cache"])
        cold = runner.invoke(cli, [*argv, "--format", "html"])  # checked, and kept in the cache
        warm = runner.invoke(cli, [*argv, "--format", "html"])  # replayed from the cache
        assert fresh.exit_code == cold.exit_code == warm.exit_code == 0, fresh.output
        assert fresh.output == cold.output == warm.output, argv
        assert "cache" not in warm.output
        _assert_clean(warm.output)
        written = tmp_path / "page.html"  # -o writes the same bytes
        assert runner.invoke(cli, [*argv, "--format", "html", "-o", str(written)]).exit_code == 0
        assert written.read_text(encoding="utf-8") == warm.output


def test_the_cli_offers_every_format_and_exports_one_file_at_a_time():
    (option,) = [p for p in cli.commands["check"].params if p.name == "format_"]
    assert tuple(option.type.choices) == FORMATS  # written out in the CLI, so that --help need not import SymPy
    result = CliRunner().invoke(
        cli,
        ["check", "--format", "html", str(ROOT / "examples" / "mse-grad.md"), str(ROOT / "examples" / "ce-grad.md")],
    )
    assert result.exit_code == 2 and "--format html exports one file at a time (2 given)" in result.output
    assert CliRunner().invoke(cli, ["mse-grad", "--format", "html", "--fragment"]).exit_code == 2


# -- what a browser shows ------------------------------------------------------------------------


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if _require("DERIVE_REQUIRE_CHROMIUM"):
            pytest.fail("DERIVE_REQUIRE_CHROMIUM is set but chromium is not installed")
        pytest.skip("no browser: install chromium (or set DERIVE_REQUIRE_CHROMIUM to demand it)")
    return found


def _pixels(png: bytes) -> tuple[int, int, int, list[bytes]]:
    """(width, height, bytes a pixel, rows) of an 8-bit PNG, unfiltered; no imaging library."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, data, header = 8, b"", None
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind, body = png[position + 4 : position + 8], png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            data += body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and interlace == 0, header
    size = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw, stride, rows, previous = zlib.decompress(data), width * size, [], bytearray(width * size)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - size] if x >= size else 0
            b, c = previous[x], previous[x - size] if x >= size else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, size, rows


def test_chromium_renders_the_page(with_failure, tmp_path):
    browser = _chromium()
    checked, number = with_failure
    pages = {
        "ce-grad-failure": export(checked, "html", not_read=(("notes.md:8:3", "= s_i(1 - s_i)", "not read"),)),
        "softmax-jacobian": export(check_derivation(BUILTINS["softmax-jacobian"].derivation(4)), "html"),
    }
    keep = os.environ.get("DERIVE_SCREENSHOT_DIR")
    for name, page in pages.items():
        source = tmp_path / f"{name}.html"
        source.write_text(page, encoding="utf-8")
        shot = tmp_path / f"{name}.png"
        common = [browser, "--headless", "--disable-gpu", "--no-sandbox", f"--user-data-dir={tmp_path / 'profile'}"]
        run = subprocess.run(
            [*common, f"--screenshot={shot}", "--window-size=1000,1400", source.as_uri()],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert run.returncode == 0 and shot.exists(), run.stderr[-2000:]
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, Path(keep) / shot.name)
        width, height, size, rows = _pixels(shot.read_bytes())
        assert (width, height) == (1000, 1400)
        light = bytes(range(128, 256))
        inked = sum(len(row[::size].translate(None, light)) for row in rows)  # a red channel below half
        assert inked > 0.005 * width * height, inked  # text and mathematics, not a blank page
        # the failed step's frame and mark are red, and nothing on a page where every step holds is
        red = sum(1 for row in rows for r, g in zip(row[::size], row[1::size]) if r > 130 and g < 90)
        assert red > 500 if name == "ce-grad-failure" else red < 50, (name, red)
        dom = subprocess.run([*common, "--dump-dom", source.as_uri()], capture_output=True, text=True, timeout=180)
        assert dom.returncode == 0, dom.stderr[-2000:]
        assert "<math" in dom.stdout and "merror" not in dom.stdout and "<script" not in dom.stdout
        assert dom.stdout.count('class="step ') == len(re.findall('class="step ', page))
    assert f'id="step-{number}"' in pages["ce-grad-failure"]
