"""derive check FILE: documents in, verdicts (with the author's places) out; bad input is one
line FILE:LINE:COL and exit 2, never a traceback."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.read.derivation import read_derivation
from derive.read.source import SourceError

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"

HEADER = """<!-- derive
softmax: s of z
labels: y
loss: L = -\\sum_{k=1}^{K} y_k \\log s_k
-->
"""


def run(*args):
    result = CliRunner().invoke(cli, ["check", *map(str, args)])
    return result.exit_code, result.output


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def one_error_line(output: str) -> str:
    # the file's one problem, and (when nothing was checked) the line saying so
    lines = [line for line in output.splitlines() if line.startswith("derive: ") and "no step to check" not in line]
    assert len(lines) == 1, output
    assert "Traceback" not in output
    return lines[0]


# -- the seeds, transcribed ------------------------------------------------------------------


def _without_additions(text: str) -> str:
    text = re.sub(r"\A<!-- derive\n.*?-->\n", "", text, flags=re.S)
    text = text.replace("<!-- derive: skip -->\n", "").replace(" <!-- derive: case -->", "")
    text = re.sub(r"<!-- derive: case[^>]*-->\n", "", text)
    return text.rstrip()


@pytest.mark.parametrize(
    "example, seed",
    [("softmax-blog.md", "001_1a0ae137ec7ca028.txt"), ("handwritten-notes.md", "002_d1a3c933ae2c4245.txt")],
)
def test_the_seed_examples_change_no_formula(example, seed):
    if not SEEDS.exists():
        pytest.skip("shared/seeds is not beside the checkout")
    written = (ROOT / "examples" / example).read_text(encoding="utf-8")
    assert _without_additions(written) == (SEEDS / seed).read_text(encoding="utf-8").rstrip()


def test_the_notebook_seed_holds():
    code, output = run(ROOT / "examples" / "softmax-notebook.ipynb")
    assert code == 0, output
    assert "softmax-notebook.ipynb: 19 checked" in output
    assert "cell 3:" in output  # places name the notebook cell


def test_the_blog_seed_fails_at_its_two_errors():
    code, output = run(ROOT / "examples" / "softmax-blog.md")
    assert code == 1
    failed = re.findall(r"softmax-blog\.md:(\d+):\d+[^\n]*\n\s+✗ fails", output)
    # Case 2 differentiates ŷ_i where ŷ_o is meant; ∂L/∂ŷ_o sums over its own free index o.
    assert failed == ["34", "35"], output
    assert "counterexample: k = 2, o = 1" in output


def test_the_blog_seed_as_written_with_no_header_fails_at_the_same_two_errors_and_needs_its_fact(tmp_path):
    # issue 14: the seed with its header and directives taken out, as its author wrote it; the
    # notation is inferred (ŷ of z, the cases from "• Case 1: $i = o$", the chain rule's
    # repeated o summed). Its fact, "y_o = 1 for exactly one class and 0 for all else", shares
    # its paragraph with two other sentences, either of which could take it back: it is not
    # read (the twenty-fourth adversary), and the two steps that need it say so.
    path = write(tmp_path, "blog.md", _without_additions((ROOT / "examples" / "softmax-blog.md").read_text("utf-8")))
    code, output = run(path)
    assert code == 1 and "2 not read" in output  # a failed step; two displays do not read (N undeclared)
    failing = re.compile(r"^\s+\d+\s+(.*)\n[^\n]*\n\s+✗ fails", re.M)
    _, with_header = run(ROOT / "examples" / "softmax-blog.md")  # its header names the count k
    author_errors = [step.replace("^{k}", "^{K}") for step in failing.findall(with_header)]
    assert len(author_errors) == 2 and "∂L/∂" in author_errors[1]
    assert failing.findall(output)[:2] == author_errors
    needs_the_fact = [unicodedata.normalize("NFC", " ".join(step.split())) for step in failing.findall(output)[2:]]
    assert needs_the_fact == [unicodedata.normalize("NFC", s) for s in ("Σ_o y_o = 1", "∂L/∂z_i = ŷ_i − y_i")]
    assert output.count("holds only if Σ_k y_k = 1: cite it") == 2
    assert "19 checked" in output and "y one-hot" not in output


def test_the_handwritten_seed_fails_where_the_notes_go_wrong():
    code, output = run(ROOT / "examples" / "handwritten-notes.md")
    assert code == 1
    failed = re.findall(r"handwritten-notes\.md:(\d+):\d+[^\n]*\n\s+✗ fails", output)
    # (3) writes ∂L/∂z_j for ∂s_i/∂z_j; Σ_i y_i 1{i=j} becomes Σ_i y_i.
    assert failed == ["55", "78"], output
    assert "left − right = 1 − y_j" in output
    # Line 83 continues the chain of line 78 across prose math that states no step ($i=j$ on
    # line 80): it never bridges what was not checked.
    assert "not read examples/handwritten-notes.md:83:3: continues a chain across a block that was not checked" in (
        output.replace(str(ROOT) + "/", "")
    )
    # the written-out sum of line 44 reads (two skip directives removed), and holds
    assert "e^{z_1} + \\dots + e^{z_n} as the sum over k from 1 to n" in output


# -- constructs --------------------------------------------------------------------------------


def test_chains_continuations_and_statements(tmp_path):
    path = write(
        tmp_path,
        "chain.md",
        HEADER
        + "$$\n\\frac{\\partial L}{\\partial s_i} &= -\\frac{y_i}{s_i} \\\\\n&= -y_i s_i^{-1}\n$$\n"
        + "$$ = -\\frac{y_i}{s_i} $$\n"
        + "\\[ s_i = \\frac{e^{z_i}}{\\sum_k e^{z_k}} \\Rightarrow \\log s_i = z_i - \\log \\sum_k e^{z_k} \\]\n"
        + "$$\\begin{aligned} \\sum_k y_k s_k &= y_i s_i + \\sum_{k \\neq i} y_k s_k \\end{aligned}$$\n"
        + "\\begin{align*} \\frac{\\partial}{\\partial z_j} \\log s_i &= \\delta_{ij} - s_j \\end{align*}\n",
    )
    derivation, skipped = read_derivation(path)
    assert len(derivation.steps) == 7
    assert [s.continues for s in derivation.steps] == [False, True, True, False, False, False, False]
    code, output = run(path)
    assert code == 0, output
    assert "7 checked, 0 not read, 0 skipped by a directive, 0 not an equality" in output


def test_a_wrong_first_link_is_a_wrong_step(tmp_path):
    path = write(
        tmp_path, "first.md", HEADER + "$$ \\frac{\\partial L}{\\partial s_i} = \\frac{y_i}{s_i} = y_i s_i^{-1} $$\n"
    )
    code, output = run(path)
    assert code == 1
    assert output.count("✗ fails") == 1 and "first.md:6:" in output


def test_case_directives_last_until_the_next_heading(tmp_path):
    body = (
        "<!-- derive: case i \\neq j -->\n"
        "$$ \\frac{\\partial s_i}{\\partial z_j} = -s_i s_j $$\n"
        "## Next part\n"
        "$$ \\frac{\\partial s_i}{\\partial z_j} = -s_i s_j $$\n"
    )
    code, output = run(write(tmp_path, "case.md", HEADER + body))
    assert code == 1
    assert output.count("✓ proved for all K") == 1 and output.count("✗ fails") == 1
    assert "holds only if i ≠ j: cite it" in output


def test_cites_and_a_comment_on_one_link(tmp_path):
    body = (
        "<!-- derive: cites \\sum y = 1 -->\n"
        "$$ \\frac{\\partial L}{\\partial z_i} = s_i - y_i $$\n"
        "$$\n\\frac{\\partial L}{\\partial z_i} &= s_i \\sum_k y_k - y_i \\\\\n&= s_i - y_i % cites \\sum y = 1\n$$\n"
    )
    code, output = run(write(tmp_path, "cites.md", HEADER + body))
    assert code == 0, output
    assert output.count("cites Σ_k y_k = 1") == 2


def test_skip_and_inline_math(tmp_path):
    body = (
        "Prose with $i = j$ and $N = 1$ and $\\frac{\\partial L}{\\partial s_i} = -\\frac{y_i}{s_i}$.\n"
        "<!-- derive: skip -->\n$$ J = \\begin{bmatrix} a & \\dots \\end{bmatrix} $$\n"
    )
    code, output = run(write(tmp_path, "inline.md", HEADER + body))
    assert code == 0, output
    assert "1 checked, 0 not read, 1 skipped by a directive" in output
    assert "skip directive" in output and output.count("inline math that states no step") == 2


def test_a_latex_file_with_percent_directives(tmp_path):
    text = (
        "% derive\n% softmax: s of z\n% labels: y one-hot\n"
        "\\section{Jacobian}\n% derive: case i = j\n"
        "\\begin{equation*} \\frac{\\partial s_i}{\\partial z_j} = s_i (1 - s_i) \\end{equation*}\n"
        "Inline $\\sum_k y_k = 1$ holds for one-hot labels.\n"
    )
    code, output = run(write(tmp_path, "notes.tex", text))
    assert code == 0, output
    assert "notes.tex: 2 checked" in output
    assert "uses, stated for the whole document: y one-hot" in output


def test_several_files_and_a_glob(tmp_path):
    good = write(tmp_path, "a.md", HEADER + "$$ \\frac{\\partial L}{\\partial s_i} = -\\frac{y_i}{s_i} $$\n")
    write(tmp_path, "b.md", HEADER + "$$ \\frac{\\partial L}{\\partial s_i} = \\frac{y_i}{s_i} $$\n")
    code, output = run(str(tmp_path / "*.md"))
    assert code == 1
    assert (
        "a.md: 1 checked, 0 not read, 0 skipped by a directive, 0 not an equality, 0 failed" in output
        and "b.md: 1 checked, 0 not read, 0 skipped by a directive, 0 not an equality, 1 failed" in output
    )
    code, output = run(good)
    assert code == 0


def test_json_export_of_a_file(tmp_path):
    import json

    path = write(tmp_path, "j.md", HEADER + "$$ \\frac{\\partial L}{\\partial s_i} = \\frac{y_i}{s_i} $$\n")
    result = CliRunner().invoke(cli, ["check", str(path), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    (step,) = data["steps"]
    assert step["verdict"] == "fails" and step["where"].endswith("j.md:6:38")
    assert step["difference"] == "−2y_i/s_i"


# -- bad input: one line, FILE:LINE:COL, exit 2 ------------------------------------------------


@pytest.mark.parametrize(
    "name, content, where, words",
    [
        ("parse.md", HEADER + "$$ s_i = \\frac{e^{z_i}}{ $$\n", "parse.md:6:24", "never closed"),
        ("token.md", HEADER + "$$ s_i = ) $$\n", "token.md:6:", "expected"),
        ("symbol.md", HEADER + "$$ s_i = q_i $$\n", "symbol.md:6:", "unknown symbol q"),
        ("header.md", "<!-- derive\nsoftmax s of z\n-->\n$$ s_i = s_i $$\n", "header.md:2:1", "key: value"),
        ("key.md", "<!-- derive\ncolour: red\n-->\n$$ s_i = s_i $$\n", "key.md:2:1", "unknown header key"),
        ("empty.md", "   \n", "empty.md:1:1", "empty"),
        ("directive.md", HEADER + "<!-- derive: frobnicate -->\n", "directive.md:6:", "unknown directive"),
        ("hyp.md", HEADER + "<!-- derive: case i < j -->\n", "hyp.md:6:", "unknown hypothesis"),
        ("log.md", HEADER + "$$ \\log y_i = \\log y_i $$\n", "log.md:6:", "positive quantities"),
    ],
)
def test_bad_input_is_one_line_with_a_place(tmp_path, name, content, where, words):
    code, output = run(write(tmp_path, name, content))
    assert code == 2, output
    line = one_error_line(output)
    assert where in line and words in line, line


def test_binary_and_broken_notebooks(tmp_path):
    binary = tmp_path / "b.md"
    binary.write_bytes(b"\x00\x01\x02")
    code, output = run(binary)
    assert code == 2 and "binary" in one_error_line(output)
    broken = write(tmp_path, "n.ipynb", '{"cells": [')
    code, output = run(broken)
    assert code == 2 and "notebook" in one_error_line(output)


def test_a_notebook_error_names_the_cell(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(HEADER),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("Text\n$$ s_i = \\frac{1}{ $$"),
    ]
    path = tmp_path / "nb.ipynb"
    nbformat.write(notebook, str(path))
    code, output = run(path)
    assert code == 2
    assert "nb.ipynb:cell 3:2:" in one_error_line(output)


def test_a_file_with_no_step_exits_2(tmp_path):
    # Nothing to check is the user's to fix (not a derivation, or nothing derive can read),
    # not a step that fails: exit 2, as the README's table says.
    code, output = run(write(tmp_path, "prose.md", HEADER + "Only prose, and $i = j$.\n"))
    assert code == 2
    assert "no step to check" in output


def test_a_missing_file_and_an_empty_glob(tmp_path):
    code, output = run(tmp_path / "nope.md")
    assert code == 2 and "cannot read" in one_error_line(output)
    code, output = run(str(tmp_path / "*.tex"))
    assert code == 2 and "no file matches" in one_error_line(output)


def test_a_display_that_does_not_read_is_listed_and_the_file_goes_on(tmp_path):
    text = HEADER + "$$ s_i = \\frac{1}{ $$\n\n$$ \\frac{\\partial L}{\\partial s_i} = \\frac{y_i}{s_i} $$\n"
    derivation, skipped = read_derivation(write(tmp_path, "x.md", text))
    (unread,) = skipped
    assert unread.unread and unread.place.line == 6 and "never closed" in unread.reason
    assert len(derivation.steps) == 1  # the display after it is still read
    code, output = run(tmp_path / "x.md")
    assert code == 1 and "✗ fails" in output and "1 not read" in output  # a failed step outranks it


def test_read_derivation_raises_source_errors(tmp_path):
    with pytest.raises(SourceError):
        read_derivation(write(tmp_path, "x.md", "<!-- derive\nsoftmax s of z\n-->\n$$ s_i = s_i $$\n"))


def test_a_classes_directive_makes_the_next_block_a_claim_about_one_k(tmp_path):
    body = (
        "<!-- derive: classes 2 -->\n"
        "$$ \\begin{pmatrix} \\frac{\\partial s_1}{\\partial z_1} & \\frac{\\partial s_1}{\\partial z_2} \\end{pmatrix}"
        " = \\begin{pmatrix} s_1(1 - s_1) & -s_1 s_2 \\end{pmatrix}"
        " = \\begin{pmatrix} s_1(1 - s_1) & s_1 s_2 \\end{pmatrix} $$\n"
        "$$ \\sum_{k=1}^{K} s_k = 1 $$\n"
    )
    code, output = run(write(tmp_path, "k.md", HEADER + body))
    assert code == 1
    assert output.count("✓ proved for K = 2") == 1 and "at entry (1,2)" in output
    assert "✓ proved for all K" in output  # the directive covers the next block only
    code, output = run(write(tmp_path, "bad.md", HEADER + "<!-- derive: classes many -->\n"))
    assert code == 2 and "bad.md:6:" in one_error_line(output)


def test_an_edit_of_an_included_file_is_never_answered_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "part.tex").write_text("\\[ \\frac{\\partial L}{\\partial s_i} = -\\frac{y_i}{s_i} \\]\n")
    main = tmp_path / "main.tex"
    main.write_text("\\[ s_i = s_i \\]\n\\input{part}\n")
    first = CliRunner().invoke(cli, ["check", str(main)])
    assert first.exit_code == 0, first.output
    (tmp_path / "part.tex").write_text("\\[ \\frac{\\partial L}{\\partial s_i} = \\frac{y_i}{s_i} \\]\n")
    second = CliRunner().invoke(cli, ["check", str(main)])
    assert second.exit_code == 1 and "✗ fails" in second.output, second.output


def test_with_a_notation_file_an_edit_of_an_included_file_is_still_never_replayed(tmp_path, monkeypatch):
    # The key for --notation was once computed anew, without the included files' contents.
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "h.txt").write_text("softmax: s of z\n")
    (tmp_path / "part.tex").write_text("\\[ \\frac{\\partial s_i}{\\partial z_i} = s_i(1 - s_i) \\]\n")
    main = tmp_path / "main.tex"
    main.write_text("\\[ s_i = s_i \\]\n\\input{part}\n")
    args = ["check", str(main), "--notation", str(tmp_path / "h.txt")]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    (tmp_path / "part.tex").write_text("\\[ \\frac{\\partial s_i}{\\partial z_i} = s_i(1 + s_i) \\]\n")
    second = CliRunner().invoke(cli, args)
    assert second.exit_code == 1 and "✗ fails" in second.output, second.output
