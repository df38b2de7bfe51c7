r"""Documents as people write them: Quarto and R Markdown, kramdown's inline $$, LaTeX files that
\input others, every display environment with \intertext, notebooks of any size, and the macros a
document defines (\newcommand, \def, \DeclareMathOperator, MathJax's configuration, a notebook's
metadata), expanded before reading. Each reading is checked by what derive finds or decides."""

from __future__ import annotations

import nbformat
import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.read.derivation import read_derivation
from derive.read.source import (
    Block,
    Heading,
    MacroDefinitions,
    SourceError,
    Unread,
    included_files,
    read_source,
)

TRUE = "\\frac{\\partial s_i}{\\partial z_j} = s_i (\\delta_{ij} - s_j)"
FALSE = "\\frac{\\partial s_i}{\\partial z_j} = s_i s_j"


def run(*args):
    result = CliRunner().invoke(cli, ["check", *map(str, args)])
    return result.exit_code, result.output


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def blocks(path):
    return [e.text.strip() for e in read_source(path) if isinstance(e, Block)]


def steps(path):
    derivation, skipped = read_derivation(path)
    return derivation.steps, skipped


# -- Quarto, R Markdown, front matter, kramdown ---------------------------------------------------


@pytest.mark.parametrize("suffix", ["qmd", "Rmd"])
def test_quarto_and_r_markdown_are_read_as_markdown(tmp_path, suffix):
    text = (
        '---\ntitle: "Softmax"\nformat: html\n---\n\n'
        "```{r}\nx <- '$$ s_i = 2 s_i $$'\n```\n\n"
        f"$$\n{FALSE}\n$$ {{#eq-jacobian}}\n"
    )
    path = write(tmp_path, f"notes.{suffix}", text)
    events = read_source(path)
    assert [e.text.strip() for e in events if isinstance(e, Block)] == [FALSE]
    assert not [e for e in events if isinstance(e, Heading)]  # the front matter is no heading
    code, output = run(path)
    assert code == 1 and "✗ fails" in output and f"notes.{suffix}:11:" in output


def test_front_matter_macros_are_kept(tmp_path):
    text = "---\ntitle: x\nheader-includes:\n  - \\newcommand{\\dd}[2]{\\frac{\\partial #1}{\\partial #2}}\n---\n\n"
    text += "$$ \\dd{s_i}{z_j} = s_i s_j $$\n"
    path = write(tmp_path, "fm.Rmd", text)
    (step,), _ = steps(path)
    assert "expanded \\dd" in step.rule
    code, output = run(path)
    assert code == 1 and "✗ fails" in output


def test_a_thematic_break_that_is_not_front_matter_is_left_to_markdown(tmp_path):
    path = write(tmp_path, "hr.md", f"---\n\n$$ {FALSE} $$\n\n---\n")
    assert blocks(path) == [FALSE]


def test_kramdown_inline_double_dollars_in_a_paragraph_are_display_math(tmp_path):
    path = write(tmp_path, "k.md", f"So we get $$ {FALSE} $$ in one line.\n")
    (block,) = [e for e in read_source(path) if isinstance(e, Block)]
    assert block.display and block.text.strip() == FALSE and block.place.column == 13
    code, output = run(path)
    assert code == 1 and "✗ fails" in output


# -- \input and \include -------------------------------------------------------------------------


def test_an_input_file_beside_the_document_is_read_in_place(tmp_path):
    write(tmp_path, "part.tex", f"Text.\n\\[ {FALSE} \\]\n")
    path = write(tmp_path, "main.tex", f"\\[ {TRUE} \\]\n\\input{{part}}\n\\[ {TRUE} \\]\n")
    found = [e for e in read_source(path) if isinstance(e, Block)]
    assert [b.text.strip() for b in found] == [TRUE, FALSE, TRUE]
    assert found[1].place.file.endswith("part.tex") and found[1].place.line == 2
    code, output = run(path)
    assert code == 1 and "part.tex:2:" in output and "✗ fails" in output
    assert included_files(path) == ((tmp_path / "part.tex").resolve(),)


@pytest.mark.parametrize("include", ["\\include{sub/part}", "\\input{sub/part.tex}", "\\input sub/part.tex"])
def test_include_forms_and_subfolders(tmp_path, include):
    write(tmp_path, "sub/part.tex", f"\\begin{{equation}} {FALSE} \\end{{equation}}\n")
    path = write(tmp_path, "main.tex", f"{include}\n")
    (block,) = [e for e in read_source(path) if isinstance(e, Block)]
    assert block.place.file.endswith("sub/part.tex")


def test_a_file_included_twice_in_a_cycle_is_listed(tmp_path):
    write(tmp_path, "a.tex", f"\\[ {TRUE} \\]\n\\input{{b}}\n")
    write(tmp_path, "b.tex", "\\input{a}\n")
    events = read_source(tmp_path / "a.tex")
    (unread,) = [e for e in events if isinstance(e, Unread)]
    assert "includes itself" in unread.reason and unread.place.file.endswith("b.tex")


@pytest.mark.parametrize(
    "include, reason",
    [
        ("\\input{missing}", "no such file"),
        ("\\input{/etc/passwd}", "an absolute path"),
        ("\\input{../outside}", "outside the document's folder"),
        ("\\subfile{part}", "is not read"),
    ],
)
def test_an_include_that_is_not_read_is_listed_with_its_reason(tmp_path, include, reason):
    write(tmp_path, "outside.tex", f"\\[ {FALSE} \\]\n")
    write(tmp_path / "doc", "part.tex", f"\\[ {FALSE} \\]\n")
    path = write(tmp_path / "doc", "main.tex", f"\\[ {TRUE} \\]\n{include}\n")
    derivation, skipped = read_derivation(path)
    assert len(derivation.steps) == 1
    (item,) = skipped
    assert item.place.line == 2 and reason in item.reason


def test_an_include_through_a_link_that_leaves_the_folder_is_not_read(tmp_path):
    write(tmp_path, "secret.tex", f"\\[ {FALSE} \\]\n")
    (tmp_path / "doc").mkdir()
    (tmp_path / "doc" / "link.tex").symlink_to(tmp_path / "secret.tex")
    path = write(tmp_path / "doc", "main.tex", "\\input{link}\n")
    (item,) = [e for e in read_source(path) if isinstance(e, Unread)]
    assert "outside the document's folder" in item.reason


# -- display environments and \intertext ----------------------------------------------------------


@pytest.mark.parametrize(
    "environment",
    ["equation", "align", "alignat", "gather", "multline", "flalign", "eqnarray", "displaymath"],
)
@pytest.mark.parametrize("star", ["", "*"])
def test_every_display_environment_is_read(tmp_path, environment, star):
    if environment == "displaymath" and star:
        pytest.skip("displaymath has no starred form")
    name = environment + star
    argument = "{1}" if environment == "alignat" else ""
    path = write(tmp_path, "e.tex", f"\\begin{{{name}}}{argument}\n{FALSE}\n\\end{{{name}}}\n")
    code, output = run(path)
    assert code == 1 and "✗ fails" in output, output


@pytest.mark.parametrize("command", ["intertext", "shortintertext"])
def test_intertext_between_rows_is_prose_and_every_row_is_checked(tmp_path, command):
    text = (
        "\\begin{align*}\n"
        "\\frac{\\partial s_i}{\\partial z_j} &= s_i (\\delta_{ij} - s_j) \\\\\n"
        f"\\{command}{{and, for the logits themselves,}}\n"
        "\\frac{\\partial z_i}{\\partial z_j} &= 2 \\delta_{ij}\n"
        "\\end{align*}\n"
    )
    path = write(tmp_path, "i.tex", text)
    code, output = run(path)
    assert code == 1, output
    assert "i.tex:2:" in output and "i.tex:4:" in output and "✗ fails" in output


# -- notebooks -----------------------------------------------------------------------------------


def test_a_large_notebook_with_images_in_its_outputs_is_read(tmp_path):
    notebook = nbformat.v4.new_notebook()
    image = "A" * 6_000_000  # a 6 MB picture in a code cell's output
    code_cell = nbformat.v4.new_code_cell("plot()")
    code_cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": image})]
    notebook.cells = [code_cell, nbformat.v4.new_markdown_cell(f"$$ {FALSE} $$")]
    path = tmp_path / "big.ipynb"
    nbformat.write(notebook, str(path))
    assert path.stat().st_size > 5_000_000
    code, output = run(path)
    assert code == 1 and "cell 2" in output and "✗ fails" in output


def test_notebook_metadata_mathjax_macros_are_expanded(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["mathjax"] = {"tex": {"macros": {"pd": ["\\frac{\\partial #1}{\\partial #2}", 2]}}}
    notebook.cells = [nbformat.v4.new_markdown_cell("$$ \\pd{s_i}{z_j} = s_i s_j $$")]
    path = tmp_path / "m.ipynb"
    nbformat.write(notebook, str(path))
    (step,), _ = steps(path)
    assert "expanded \\pd" in step.rule
    code, output = run(path)
    assert code == 1 and "✗ fails" in output


def test_notebook_metadata_cannot_redefine_a_command_derive_reads(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["MathJax"] = {"TeX": {"Macros": {"sum": "\\prod"}}}
    notebook.cells = [nbformat.v4.new_markdown_cell("$$ s_i = s_i $$")]
    path = tmp_path / "r.ipynb"
    nbformat.write(notebook, str(path))
    with pytest.raises(SourceError, match="redefines"):
        read_source(path)


# -- macros the document defines ----------------------------------------------------------------------


def test_a_latex_preamble_macro_is_expanded_where_it_is_used(tmp_path):
    tex = (
        "\\newcommand{\\pd}[2]{\\frac{\\partial #1}{\\partial #2}}\n"
        "\\DeclareMathOperator{\\sm}{softmax}\n"
        "\\[ \\pd{s_i}{z_j} = s_i s_j \\]\n"
    )
    path = write(tmp_path, "m.tex", tex)
    events = read_source(path)
    defined = [m.name for e in events if isinstance(e, MacroDefinitions) for m in e.macros]
    assert defined == ["pd", "sm"]
    assert [m.body for e in events if isinstance(e, MacroDefinitions) for m in e.macros][1] == (
        "\\operatorname{softmax}"
    )
    code, output = run(path)
    assert code == 1 and "✗ fails" in output and "expanded \\pd" in output and "m.tex:3:20" in output


def test_a_macro_defined_in_markdown_math_applies_after_it(tmp_path):
    text = (
        "Let $\\newcommand{\\jac}{\\frac{\\partial s_i}{\\partial z_j}}$ be the Jacobian entry.\n\n"
        "$$ \\jac = s_i s_j $$\n"
    )
    path = write(tmp_path, "m.md", text)
    events = read_source(path)
    assert not [e for e in events if isinstance(e, Block) and "newcommand" in e.text]  # nothing to read in it
    code, output = run(path)
    assert code == 1 and "✗ fails" in output and "expanded \\jac" in output


def test_a_macro_used_before_its_definition_is_not_expanded(tmp_path):
    text = f"$$ \\jac = s_i s_j $$\n\n$\\newcommand{{\\jac}}{{{TRUE.split(' = ')[0]}}}$\n"
    path = write(tmp_path, "b.md", text)
    derivation, skipped = read_derivation(path)
    assert not derivation.steps and "unknown command \\jac" in skipped[0].reason


def test_a_macro_whose_body_holds_the_relation_is_checked(tmp_path):
    text = "\\def\\claim{\\frac{\\partial s_i}{\\partial z_j} = s_i s_j}\n\\[ \\claim \\]\n"
    path = write(tmp_path, "c.tex", text)
    code, output = run(path)
    assert code == 1 and "✗ fails" in output  # the relation came from the macro: read, checked, failed


def test_a_true_step_through_a_macro_holds(tmp_path):
    text = (
        "\\newcommand{\\dz}[1]{\\frac{\\partial #1}{\\partial z_j}}\n"
        + "\\[ \\dz{s_i} = s_i (\\delta_{ij} - s_j) \\]\n"
    )
    path = write(tmp_path, "t.tex", text)
    code, output = run(path)
    assert code == 0 and "✓" in output


def test_a_recursive_macro_is_one_line_not_a_crash(tmp_path):
    path = write(tmp_path, "r.tex", "\\newcommand{\\loop}{\\loop}\n\\[ s_i = \\loop \\]\n")
    derivation, skipped = read_derivation(path)
    assert not derivation.steps and "levels deep" in skipped[0].reason


def test_a_mathjax_configuration_on_the_page_defines_macros(tmp_path):
    text = (
        "<script>\nMathJax = {tex: {macros: {pd: ['\\\\frac{\\\\partial #1}{\\\\partial #2}', 2], "
        'R: "\\\\mathbb{R}"}}};\n</script>\n\n'
        "$$ \\pd{s_i}{z_j} = s_i s_j $$\n"
    )
    path = write(tmp_path, "p.md", text)
    (defined,) = [e for e in read_source(path) if isinstance(e, MacroDefinitions)]
    assert [(m.name, m.nargs, m.body) for m in defined.macros] == [
        ("pd", 2, "\\frac{\\partial #1}{\\partial #2}"),
        ("R", 0, "\\mathbb{R}"),
    ]
    code, output = run(path)
    assert code == 1 and "✗ fails" in output


def test_a_mathjax_macro_with_a_javascript_escape_is_not_taken(tmp_path):
    # "\frac" in JavaScript is a form feed and "rac": the page shows no fraction
    text = '<script>\nMathJax = {tex: {macros: {f: "\\frac{1}{2}"}}};\n</script>\n\n$$ \\f = 1 $$\n'
    path = write(tmp_path, "j.md", text)
    assert not [e for e in read_source(path) if isinstance(e, MacroDefinitions)]


@pytest.mark.parametrize(
    "suffix, text",
    [
        ("tex", "\\newcommand{\\w}{s_i}\n\\renewcommand{\\w}{2 s_i}\n\\[ \\w = s_i \\]\n"),
        # in Markdown only a definition inside the mathematics runs (MathJax reads nothing else), and
        # a redefinition holds after its block in MathJax, not in KaTeX: here it is in the block
        ("md", "$$\\newcommand{\\w}{s_i} \\renewcommand{\\w}{2 s_i} \\w = s_i $$\n"),
    ],
)
def test_renewing_a_command_derive_does_not_read_is_a_macro(tmp_path, suffix, text):
    path = write(tmp_path, f"w.{suffix}", text)
    code, output = run(path)
    assert code == 1 and "✗ fails" in output  # the renewed body 2 s_i = s_i is what is checked


@pytest.mark.parametrize("definition", ["\\renewcommand{\\color}[1]{}", "\\def\\underbrace#1{#1 + 1}"])
def test_redefining_markup_derive_removes_is_refused(tmp_path, definition):
    path = write(tmp_path, "x.tex", f"{definition}\n\\[ s_i = s_i \\]\n")
    with pytest.raises(SourceError, match="redefines"):
        read_source(path)


def test_a_mathjax_configuration_shown_in_code_defines_nothing(tmp_path):
    text = "```js\nMathJax = {tex: {macros: {pd: ['\\\\frac{\\\\partial #1}{\\\\partial #2}', 2]}}};\n```\n\n$$ s_i = s_i $$\n"
    path = write(tmp_path, "c.md", text)
    assert not [e for e in read_source(path) if isinstance(e, MacroDefinitions)]
