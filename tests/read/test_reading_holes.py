"""What renders as an equation is checked or listed, and a heading is always a heading: the
reading holes an adversary found (headings a regular expression missed, comments, code spans
and fences that CommonMark reads otherwise, macro redefinitions, included files, notebook
outputs), each fed a false step that must now be seen."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.read.derivation import read_derivation
from derive.read.source import Block, Heading, SourceError, read_source

TRUE = "\\frac{\\partial s_i}{\\partial z_j} = s_i - s_i^2"  # true for i = j only
FALSE = "\\frac{\\partial s_i}{\\partial z_j} = s_i s_j"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(path):
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def found(path):
    return [e.text.strip() for e in read_source(path) if isinstance(e, Block)]


# -- a heading ends the case, however it is written ------------------------------------------


def _case_then(heading: str) -> str:
    return f"<!-- derive: case i = j -->\n\n$$\n{TRUE}\n$$\n\n{heading}\n\n$$\n{TRUE}\n$$\n"


@pytest.mark.parametrize(
    "heading",
    [
        "$i \\neq j$: the entries off the diagonal\n---",
        "\\(i \\neq j\\): off the diagonal\n===",
        "<b>Off</b> the diagonal\n---",
        "| Off the diagonal\n---",
        " ## Off the diagonal",
        "   ### Off the diagonal ###",
        "#",
    ],
    ids=["setext-dollar", "setext-backslash", "setext-tag", "setext-bar", "atx-1", "atx-3", "atx-empty"],
)
def test_a_markdown_heading_ends_the_case(tmp_path, heading):
    path = write(tmp_path, "h.md", _case_then(heading))
    assert sum(isinstance(e, Heading) for e in read_source(path)) == 1
    derivation, _ = read_derivation(path)
    assert [len(step.cites) for step in derivation.steps] == [1, 0]
    code, output = run(path)
    assert code == 1 and output.count("✗ fails") == 1, output


def test_four_spaces_are_code_not_a_heading(tmp_path):
    path = write(tmp_path, "c.md", "Text.\n\n    ## not a heading\n    $$ s_i = 2 s_i $$\n")
    assert not [e for e in read_source(path) if isinstance(e, (Heading, Block))]


@pytest.mark.parametrize(
    "heading",
    [
        "\\section[Off-diagonal]{The entries off the diagonal}",
        "\\section {The entries off the diagonal}",
        "\\section*{Off}",
        "\\subsection*[x]{Off}",
        "\\subsubsection{Off}",
        "\\paragraph{Off}",
        "\\subparagraph{Off}",
        "\\chapter{Off}",
        "\\part{Off}",
    ],
)
def test_a_latex_heading_ends_the_case(tmp_path, heading):
    text = f"% derive: case i = j\n\\[\n{TRUE}\n\\]\n{heading}\n\\[\n{TRUE}\n\\]\n"
    path = write(tmp_path, "h.tex", text)
    derivation, _ = read_derivation(path)
    assert [len(step.cites) for step in derivation.steps] == [1, 0]
    code, output = run(path)
    assert code == 1 and output.count("✗ fails") == 1, output


# -- Markdown as CommonMark reads it ----------------------------------------------------------


@pytest.mark.parametrize(
    "before, after",
    [
        ("#", ""),  # an empty heading does not take the next line as its title
        ("<!-->", "Prose. <!-- a note -->"),  # an empty comment, closed at once
        ("<!--->", "Prose. <!-- a note -->"),
        ('<div title="<!--">', "</div>\n\n<!-- end -->"),  # a comment opener inside an attribute
        ("<span title='<!--'>x</span>", "<!-- end -->"),
        ("```x``` is inline code in a paragraph.", "```y``` is inline code too."),  # not a fence
        ("In the shell type `$` then:", "and `$` again."),
        ("Open display math with `$$` on a line of its own:", "Close it with `$$`."),
    ],
    ids=["empty-atx", "short-comment", "shorter-comment", "div-attribute", "span-attribute", "fake-fence",
         "codespan-dollar", "codespan-dollars"],
)  # fmt: skip
def test_a_false_display_block_is_found(tmp_path, before, after):
    path = write(tmp_path, "m.md", f"$$ s_i = s_i $$\n\n{before}\n$$\n{FALSE}\n$$\n\n{after}\n")
    assert FALSE in found(path)
    code, output = run(path)
    assert code == 1 and "✗ fails" in output, output


def test_inline_math_after_a_code_span_dollar_is_found(tmp_path):
    path = write(tmp_path, "i.md", f"$$ s_i = s_i $$\n\nType `$` then read: ${FALSE}$ holds, and `$$`.\n")
    assert found(path) == ["s_i = s_i", FALSE]
    code, output = run(path)
    assert code == 1 and "✗ fails" in output


def test_code_spans_and_fences_stay_code(tmp_path):
    text = (
        "$$ s_i = s_i $$\n\nWrite `$s_i = 2 s_i$` or ``a ` $s_i = 3 s_i$ b``.\n\n"
        "- item\n\n  ```\n  $$ s_i = 4 s_i $$\n  ```\n\n> ```latex\n> $$ s_i = 5 s_i $$\n> ```\n"
    )
    assert found(write(tmp_path, "c.md", text)) == ["s_i = s_i"]


@pytest.mark.parametrize("indent", ["  ", "   "])
def test_a_math_fence_in_a_list_item_is_read_with_its_place(tmp_path, indent):
    text = f"$$ s_i = s_i $$\n\n- The entries:\n\n{indent}```math\n{indent}{FALSE}\n{indent}```\n"
    path = write(tmp_path, "l.md", text)
    blocks = [e for e in read_source(path) if isinstance(e, Block)]
    assert [b.text.strip() for b in blocks] == ["s_i = s_i", FALSE]
    assert blocks[1].place.line == 6
    code, output = run(path)
    assert code == 1 and f"l.md:6:{len(indent) + 1 + FALSE.index('=') + 2}" in output, output


def test_a_block_quote_keeps_its_places_and_loses_its_marks(tmp_path):
    path = write(tmp_path, "q.md", f"> $$\n> {FALSE}\n> $$\n")
    (block,) = [e for e in read_source(path) if isinstance(e, Block)]
    assert ">" not in block.text and block.place.line == 1
    code, output = run(path)
    assert code == 1 and f"q.md:2:{FALSE.index('=') + 5}" in output, output


def test_a_display_block_is_not_broken_up_by_markdown(tmp_path):
    # Inside $$ or \[ a line of dashes is not a Setext underline, an indented line not code.
    text = f"$$\n{TRUE}\n\n    = s_i - s_i^2\n---\n$$\n\n\\[\n{FALSE}\n---\n\\]\n"
    assert len(found(write(tmp_path, "d.md", text))) == 2


def test_inline_math_may_run_over_two_lines_of_a_paragraph(tmp_path):
    path = write(tmp_path, "t.md", "$$ s_i = s_i $$\n\nThen $\\frac{\\partial s_i}{\\partial z_j} =\ns_i s_j$ holds.\n")
    code, output = run(path)
    assert code == 1 and "✗ fails" in output
    # never across a blank line (a new paragraph)
    assert found(write(tmp_path, "u.md", "Costs $5.\n\nAnd $4.\n")) == []


def test_an_escaped_backslash_does_not_escape_the_dollar(tmp_path):
    path = write(tmp_path, "b.md", f"$$ s_i = s_i $$\n\nThe path C:\\\\${FALSE}$ and a price \\$5 and \\$6.\n")
    assert found(path) == ["s_i = s_i", FALSE]


def test_math_in_a_heading_is_read(tmp_path):
    path = write(tmp_path, "t.md", f"$$ s_i = s_i $$\n\n## Hence ${FALSE}$\n")
    code, output = run(path)
    assert code == 1 and "✗ fails" in output


# -- redefinitions and included files -----------------------------------------------------------


@pytest.mark.parametrize(
    "definition, name",
    [
        ("\\renewcommand{\\sum}{\\prod}", "\\sum"),
        ("\\renewcommand*{\\frac}[2]{#2/#1}", "\\frac"),
        ("\\renewcommand\\log{\\sin}", "\\log"),
        ("\\def\\exp{\\ln}", "\\exp"),
        ("\\let\\partial\\delta", "\\partial"),
        ("\\let\\delta=\\epsilon", "\\delta"),
        ("\\DeclareMathOperator{\\log}{lg}", "\\log"),
        ("\\newcommand{\\sum}{\\prod}", "\\sum"),
        ("\\providecommand{\\cdot}{+}", "\\cdot"),
        ("\\RenewDocumentCommand{\\frac}{mm}{#2}", "\\frac"),
        ("\\renewenvironment{cases}{}{}", "cases"),
    ],
)
@pytest.mark.parametrize("suffix", ["tex", "md"])
def test_redefining_a_command_derive_reads_is_bad_input(tmp_path, definition, name, suffix):
    text = f"Some text.\n{definition}\n\\[ \\sum_{{k=1}}^{{K}} s_k = 1 \\]\n"
    path = write(tmp_path, f"r.{suffix}", text)
    with pytest.raises(SourceError, match="redefines") as error:
        read_source(path)
    assert f"r.{suffix}:2:1:" in str(error.value) and name in str(error.value)
    code, output = run(path)
    assert code == 2 and output.count("\n") == 1 and name in output


def test_a_redefinition_inside_the_mathematics_is_refused(tmp_path):
    path = write(tmp_path, "m.md", "Prose $\\renewcommand{\\sum}{\\prod}$.\n\n$$ \\sum_{k=1}^{K} s_k = 1 $$\n")
    with pytest.raises(SourceError, match=r"m\.md:1:8: \\renewcommand redefines \\sum"):
        read_source(path)


def test_a_new_name_and_a_definition_in_code_are_left_alone(tmp_path):
    tex = "\\newcommand{\\R}{\\mathbb{R}}\n\\def\\myvec{v}\n% \\renewcommand{\\sum}{\\prod}\n\\[ s_i = s_i \\]\n"
    assert found(write(tmp_path, "n.tex", tex)) == ["s_i = s_i"]
    md = "Use `\\renewcommand{\\sum}{\\prod}` to break it.\n\n```latex\n\\def\\log{x}\n```\n\n$$ s_i = s_i $$\n"
    assert found(write(tmp_path, "n.md", md)) == ["s_i = s_i"]


@pytest.mark.parametrize("include", ["\\subfile{part}"])  # \input and \include are read in place (test_documents_more)
def test_an_included_file_is_listed_as_not_read(tmp_path, include):
    write(tmp_path, "part.tex", f"\\[ {FALSE} \\]\n")
    path = write(tmp_path, "main.tex", f"\\[ s_i = s_i \\]\n{include}\n")
    derivation, skipped = read_derivation(path)
    assert len(derivation.steps) == 1
    ((item,),) = [skipped]
    assert item.place.line == 2 and "is not read" in item.reason and "part" in item.reason
    code, output = run(path)
    assert code == 2 and "1 checked, 1 not read" in output  # exit 2: something was not read


def test_verbatim_is_not_math_and_does_not_pair_dollars(tmp_path):
    tex = f"\\verb|$| and ${FALSE}$.\n\\begin{{verbatim}}\n$$ s_i = 2 s_i $$\n\\end{{verbatim}}\n"
    assert found(write(tmp_path, "v.tex", tex)) == [FALSE]


# -- mathematics in \text, after \forall, in notebook outputs ----------------------------------


@pytest.mark.parametrize(
    "math",
    [
        f"s_i = s_i \\quad \\text{{and also \\ensuremath{{{FALSE}}}}}",
        f"s_i = s_i \\quad \\text{{and also \\begin{{math}}{FALSE}\\end{{math}}}}",
    ],
    ids=["ensuremath", "begin-math"],
)
@pytest.mark.parametrize("suffix", ["tex", "md"])
def test_an_equation_in_text_is_refused_however_it_enters_math(tmp_path, math, suffix):
    code, output = run(write(tmp_path, f"e.{suffix}", f"\\[\n{math}\n\\]\n"))
    assert code == 2 and "an equation inside \\text" in output, output


@pytest.mark.parametrize("sign", ["＝", "\\doteq", "\\triangleq", "\\coloneqq"])
def test_a_relation_after_forall_however_it_is_written(tmp_path, sign):
    path = write(tmp_path, "f.md", f"$$ s_i = s_i \\quad \\forall i \\quad s_i {sign} 2 s_i $$\n")
    code, output = run(path)
    assert code == 2 and "a relation after \\forall is not read" in output, output


def test_an_inline_full_width_equals_that_does_not_read_is_listed(tmp_path):
    path = write(tmp_path, "w.md", "$$ s_i = s_i $$\n\nAnd $s_i ＝ 2 s_i$ too.\n")
    derivation, skipped = read_derivation(path)
    assert len(derivation.steps) == 1 and len(skipped) == 1 and "does not read" in skipped[0].reason


def test_rendered_outputs_of_a_notebook_are_listed_as_not_read(tmp_path):
    def code_cell(kind, shown):
        output = {"output_type": "display_data", "metadata": {}, "data": {kind: shown, "text/plain": "<x>"}}
        return {"cell_type": "code", "id": kind[5:], "metadata": {}, "execution_count": 1, "source": "x",
                "outputs": [output]}  # fmt: skip

    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "$$\ns_i = s_i\n$$\n"},
            code_cell("text/markdown", [f"$${FALSE}$$"]),
            code_cell("text/latex", f"\\[ {FALSE} \\]"),
            code_cell("text/html", f"$${FALSE}$$"),
        ],
    }
    path = write(tmp_path, "n.ipynb", json.dumps(notebook))
    derivation, skipped = read_derivation(path)
    assert len(derivation.steps) == 1
    # Jupyter typesets mathematics in HTML outputs too (MathJax reads the page).
    assert [(s.place.cell, s.text) for s in skipped] == [(2, FALSE), (3, FALSE), (4, FALSE)]
    assert all("output" in s.reason for s in skipped)
    code, output = run(path)
    assert code == 2 and "1 checked, 3 not read" in output
