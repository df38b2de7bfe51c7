r"""Where a document's definitions hold, as the page has them: \providecommand keeps the first
meaning, \edef is not read, a definition inside a TeX conditional or a group (braces, an
environment, a math block, an alignment cell) does not reach past it, a MathJax configuration
counts only as a script that runs, a definition in Markdown prose is not run, \input{part}
reads part.tex first, and text in white is not read. Every false step here was once proved
(✓) while the page showed another statement: each must now fail or be listed as not read."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.read.derivation import read_derivation
from derive.read.latex_markup import normalise
from derive.read.latex_tokens import MathSyntaxError
from derive.read.source import MacroDefinitions, Unread, read_source


def run(path):
    result = CliRunner().invoke(cli, ["check", str(path), "--no-cache"])
    return result.exit_code, result.output


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def tex(body, preamble="\\newcommand{\\w}{2}\n"):
    return f"\\documentclass{{article}}\n{preamble}\\begin{{document}}\n{body}\\end{{document}}\n"


def fails(path):
    code, output = run(path)
    assert code == 1 and "✗ fails" in output and "✓" not in output, output
    return output


def not_read(path, *words):
    code, output = run(path)
    assert code == 2 and "✓" not in output and "no step to check" in output, output
    for word in words:
        assert word in output, output
    return output


def holds(path):
    code, output = run(path)
    assert code == 0 and "✓" in output, output
    return output


# -- 1. \providecommand keeps the first meaning; \newcommand twice is LaTeX's error ----------------


def test_providecommand_does_not_redefine_a_defined_macro(tmp_path):
    fails(write(tmp_path, "f.tex", tex("\\providecommand{\\w}{1}\n\\[ s_i = \\w s_i \\]\n")))
    holds(write(tmp_path, "t.tex", tex("\\providecommand{\\w}{1}\n\\[ 2 s_i = \\w s_i \\]\n")))


def test_providecommand_defines_a_new_name(tmp_path):
    holds(write(tmp_path, "t.tex", tex("\\providecommand{\\w}{2}\n\\[ 2 s_i = \\w s_i \\]\n", preamble="")))
    fails(write(tmp_path, "f.tex", tex("\\providecommand{\\w}{2}\n\\[ s_i = \\w s_i \\]\n", preamble="")))


def test_providecommand_inside_the_mathematics_keeps_the_first_too(tmp_path):
    path = write(tmp_path, "f.md", "$$ \\newcommand{\\w}{2} \\providecommand{\\w}{1} s_i = \\w s_i $$\n")
    fails(path)
    path = write(tmp_path, "t.md", "$$ \\newcommand{\\w}{2} \\providecommand{\\w}{1} 2 s_i = \\w s_i $$\n")
    holds(path)


def test_newcommand_of_a_defined_name_keeps_the_first_and_is_listed(tmp_path):
    path = write(tmp_path, "f.tex", tex("\\newcommand{\\w}{1}\n\\[ s_i = \\w s_i \\]\n"))
    code, output = run(path)
    assert code == 1 and "✗ fails" in output and "already defined" in output
    with pytest.raises(MathSyntaxError, match="already defined"):
        normalise("\\newcommand{\\w}{1} s_i = \\w s_i", {"w": read_source_macro(tmp_path)})


def read_source_macro(tmp_path):
    path = write(tmp_path, "m.tex", "\\newcommand{\\w}{2}\n")
    ((macro,),) = [e.macros for e in read_source(path) if isinstance(e, MacroDefinitions)]
    return macro


# -- 2. \edef and \xdef expand when defined: not read ----------------------------------------------


@pytest.mark.parametrize("definer", ["edef", "xdef"])
def test_edef_is_listed_as_not_read_and_its_uses_are_refused(tmp_path, definer):
    text = f"\\def\\a{{2}}\n\\{definer}\\b{{\\a}}\n\\def\\a{{1}}\n\\[ s_i = \\b s_i \\]\n"
    output = not_read(write(tmp_path, "f.tex", text), f"\\{definer}", "\\b is defined at")
    assert "2 not read" in output  # the definition and the block that uses it


def test_edef_of_a_name_defined_before_does_not_leave_the_old_meaning(tmp_path):
    text = "\\def\\b{1}\n\\def\\a{2}\n\\edef\\b{\\a}\n\\[ s_i = \\b s_i \\]\n"
    not_read(write(tmp_path, "f.tex", text))


def test_edef_inside_the_mathematics_is_refused(tmp_path):
    not_read(write(tmp_path, "f.md", "$$ \\def\\a{2} \\edef\\b{\\a} \\def\\a{1} s_i = \\b s_i $$\n"), "\\edef")


def test_def_is_expanded_where_it_is_used_as_tex_does(tmp_path):
    # \b is \a, and \a is 1 by the time \b is used: s_i = 1 s_i holds
    text = "\\def\\a{2}\n\\def\\b{\\a}\n\\def\\a{1}\n\\[ s_i = \\b s_i \\]\n"
    holds(write(tmp_path, "t.tex", text))


def test_let_of_a_defined_name_does_not_leave_the_old_meaning(tmp_path):
    text = tex("\\let\\w\\relax\n\\[ s_i = 2 s_i \\w \\]\n")
    output = not_read(write(tmp_path, "f.tex", text), "\\w is defined at")
    assert "form derive does not read" in output


# -- 3. TeX conditionals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "\\iffalse \\renewcommand{\\w}{1} \\fi\n",
        "\\ifdefined\\w \\else \\renewcommand{\\w}{1}\\fi\n",
        "\\newif\\ifdraft\n\\ifdraft\\relax\\else\\renewcommand{\\w}{1}\n\\fi\n",
        "\\iftrue\n\\iffalse x \\fi\n\\def\\w{1}\n\\fi\n",
    ],
)
def test_a_definition_inside_a_conditional_is_not_read(tmp_path, body):
    path = write(tmp_path, "f.tex", tex(body + "\\[ s_i = \\w s_i \\]\n"))
    not_read(path, "a definition inside a TeX conditional")
    (listed,) = [e for e in read_source(path) if isinstance(e, Unread) and "conditional" in e.reason]
    assert listed.text.endswith("\\w") and listed.place.line >= 4


def test_definitions_after_a_closed_conditional_are_read(tmp_path):
    # \newif's \ifdraft, \let's \iftrue, \iff in mathematics, a \fi inside a macro's body open nothing
    preamble = (
        "\\newif\\ifdraft\n\\let\\ifshow\\iftrue\n\\newcommand{\\mode}{\\ifmmode x\\else y\\fi}\n"
        "\\iffalse a \\else b \\fi\n\\newcommand{\\w}{2}\n"
    )
    body = "\\[ a \\iff b \\]\n\\renewcommand{\\w}{3}\n\\[ 3 s_i = \\w s_i \\]\n"
    path = write(tmp_path, "t.tex", tex(body, preamble=preamble))
    derivation, skipped = read_derivation(path)
    assert len(derivation.steps) == 1 and not [s for s in skipped if "conditional" in s.reason]


# -- 4. groups ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "{\\renewcommand{\\w}{1}}\n",
        "\\begin{center}\n\\renewcommand{\\w}{1}\n\\end{center}\n",
        "\\begingroup\\def\\w{1}\\endgroup\n",
        "\\newcommand{\\later}{\\renewcommand{\\w}{1}}\n",  # runs only where \later is used
        "\\AtBeginDocument{\\renewcommand{\\w}{1}}\n",
    ],
)
def test_a_definition_inside_a_group_does_not_reach_past_it(tmp_path, body):
    not_read(write(tmp_path, "f.tex", tex(body + "\\[ s_i = \\w s_i \\]\n")), "\\w is defined at")


def test_a_global_definition_inside_an_environment_holds_after_it(tmp_path):
    body = "\\begingroup\\gdef\\w{3}\\endgroup\n\\begin{center}\\global\\def\\v{3}\\end{center}\n"
    holds(write(tmp_path, "t.tex", tex(body + "\\[ 9 s_i = \\w \\cdot \\v s_i \\]\n")))


def test_a_definition_in_a_latex_math_block_ends_with_the_block(tmp_path):
    body = "\\[ \\renewcommand{\\w}{1} s_i = \\w s_i \\]\n\\[ 2 s_i = \\w s_i \\]\n"
    derivation, skipped = read_derivation(write(tmp_path, "t.tex", tex(body)))
    assert len(derivation.steps) == 2 and not skipped
    holds(write(tmp_path, "t2.tex", tex(body)))
    body = "\\[ \\renewcommand{\\w}{1} s_i = s_i \\]\n\\[ s_i = \\w s_i \\]\n"
    code, output = run(write(tmp_path, "f.tex", tex(body)))
    assert code == 1 and "s_i = 2s_i" in output and "✗ fails" in output


def test_a_gdef_in_a_latex_math_block_leaves_its_name_refused(tmp_path):
    body = "\\[ \\gdef\\w{1} s_i = s_i \\]\n\\[ s_i = \\w s_i \\]\n"
    path = write(tmp_path, "f.tex", tex(body))
    derivation, skipped = read_derivation(path)
    assert len(derivation.steps) == 1 and "\\w is defined at" in skipped[0].reason


@pytest.mark.parametrize(
    "block",
    [
        "{\\renewcommand{\\w}{1}} s_i = \\w s_i",
        "\\begin{aligned} \\renewcommand{\\w}{1} x \\end{aligned} s_i = \\w s_i",
        "\\renewcommand{\\w}{1} x & s_i = \\w s_i",
        "\\renewcommand{\\w}{1} x \\\\ s_i = \\w s_i",
    ],
)
def test_a_definition_in_a_group_of_a_block_is_refused(block):
    with pytest.raises(MathSyntaxError, match="definition"):
        normalise(block, {"w": _macro_w()})


def _macro_w():
    from derive.read.latex_markup import Macro

    return Macro("w", 0, "2")


def test_a_definition_inside_braces_of_a_markdown_block_is_refused_after_it(tmp_path):
    text = "$$\\newcommand{\\w}{2}$$\n\n$$ {\\renewcommand{\\w}{1}} x = x $$\n\n$$ s_i = \\w s_i $$\n"
    path = write(tmp_path, "f.md", text)
    derivation, skipped = read_derivation(path)
    assert not derivation.steps and any("\\w is defined at" in s.reason for s in skipped)


def test_a_markdown_block_redefining_a_name_leaves_it_refused_after_it(tmp_path):
    # MathJax shows \w = 1 in the last block, KaTeX \w = 2: derive reads neither
    text = "$$\\newcommand{\\w}{2}$$\n\n$$\\renewcommand{\\w}{1}$$\n\n$$ s_i = \\w s_i $$\n"
    not_read(write(tmp_path, "f.md", text), "MathJax shows the new meaning")
    text = "$$\\newcommand{\\w}{2}$$\n\n$$\\newcommand{\\v}{3}$$\n\n$$ 6 s_i = \\w \\cdot \\v s_i $$\n"
    holds(write(tmp_path, "t.md", text))  # a new name is carried on


# -- 5. MathJax configuration and Markdown prose ---------------------------------------------------

CONFIG = '<script>MathJax = {{tex: {{macros: {{w: "{}"}}}}}};</script>'


@pytest.mark.parametrize(
    "shown",
    [
        "```html\n" + CONFIG.format(1) + "\n```\n",
        "    " + CONFIG.format(1) + "\n",
        "<!-- old:\n" + CONFIG.format(1) + "\n-->\n",
        "Write `" + CONFIG.format(1) + "` in the page.\n",
        "<pre>\n" + CONFIG.format(1) + "\n</pre>\n",
        "> " + CONFIG.format(1) + "\n",
    ],
)
def test_a_mathjax_configuration_that_does_not_run_defines_nothing(tmp_path, shown):
    text = f"# Notes\n\n{CONFIG.format(2)}\n\n{shown}\n$$\ns_i = \\w s_i\n$$\n"
    fails(write(tmp_path, "f.md", text))
    text = f"# Notes\n\n{CONFIG.format(2)}\n\n{shown}\n$$\n2 s_i = \\w s_i\n$$\n"
    holds(write(tmp_path, "t.md", text))


def test_a_mathjax_configuration_shown_only_in_code_leaves_the_macro_unknown(tmp_path):
    text = "# Notes\n\n    " + CONFIG.format(1) + "\n\n$$\ns_i = \\w s_i\n$$\n"
    not_read(write(tmp_path, "f.md", text), "unknown command \\w")


@pytest.mark.parametrize(
    "prose",
    [
        "(In an older draft the macro was \\newcommand{\\w}{1}; it is 2 now.)\n",
        "An earlier draft had <code>\\newcommand{\\w}{1}</code> instead.\n",
        "\\renewcommand{\\w}{1}\n",
    ],
)
def test_a_definition_in_markdown_prose_is_not_run(tmp_path, prose):
    text = f"# Notes\n\n$$\\newcommand{{\\w}}{{2}}$$\n\n{prose}\n$$\ns_i = \\w s_i\n$$\n"
    not_read(write(tmp_path, "f.md", text), "in the prose")
    text = "# Notes\n\n$$\\newcommand{\\w}{2}$$\n\n$$\n2 s_i = \\w s_i\n$$\n"
    holds(write(tmp_path, "t.md", text))


def test_front_matter_definitions_still_count(tmp_path):
    text = "---\ntitle: x\nheader-includes:\n  - \\newcommand{\\w}{2}\n---\n\n$$ s_i = \\w s_i $$\n"
    fails(write(tmp_path, "f.md", text))


# -- 6. \input{part} reads part.tex first --------------------------------------------------------------


def test_input_reads_the_tex_file_first(tmp_path):
    write(tmp_path, "part", "\\[ s_i = s_i \\]\n")
    write(tmp_path, "part.tex", "\\[ s_i = 2 s_i \\]\n")
    path = write(tmp_path, "main.tex", "\\documentclass{article}\n\\begin{document}\n\\input{part}\n\\end{document}\n")
    output = fails(path)
    assert "part.tex:1:" in output


def test_input_reads_the_name_as_written_when_there_is_no_tex_file(tmp_path):
    write(tmp_path, "part", "\\[ s_i = s_i \\]\n")
    path = write(tmp_path, "main.tex", "\\documentclass{article}\n\\begin{document}\n\\input{part}\n\\end{document}\n")
    holds(path)


# -- 7. text in white is invisible on the page ---------------------------------------------------------


@pytest.mark.parametrize(
    "hidden",
    [
        "{\\color{white} \\frac{1}{2}}",
        "\\textcolor{white}{\\frac{1}{2}}",
        "{\\color[rgb]{1,1,1} \\frac{1}{2}}",
        "{\\color[gray]{1} \\frac{1}{2}}",
        "{\\color[HTML]{FFFFFF} \\frac{1}{2}}",
        "{\\color{white!100} \\frac{1}{2}}",
    ],
)
def test_white_text_is_not_read(tmp_path, hidden):
    text = f"$$\n\\frac{{\\partial s_i}}{{\\partial z_i}} = 2\\, s_i (1 - s_i) {hidden}\n$$\n"
    not_read(write(tmp_path, "f.md", text), "invisible")


@pytest.mark.parametrize("colour", ["{red}", "[rgb]{1,0,0}", "{white!50!black}", "[gray]{0.5}"])
def test_visible_colours_are_markup(tmp_path, colour):
    text = f"$$\n\\frac{{\\partial s_i}}{{\\partial z_i}} = {{\\color{colour} s_i (1 - s_i)}}\n$$\n"
    holds(write(tmp_path, "t.md", text))


# -- where a definition's place or name is not what it looks like ---------------------------------


@pytest.mark.parametrize(
    "around",
    ["{{\\input{{defs}}}}", "\\iffalse\n\\input{{defs}}\n\\fi", "\\begin{{center}}\\input{{defs}}\\end{{center}}"],
)
def test_a_file_input_inside_a_group_or_conditional_defines_nothing_past_it(tmp_path, around):
    write(tmp_path, "defs.tex", "\\renewcommand{\\w}{1}\n")
    path = write(tmp_path, "main.tex", tex(around.format() + "\n\\[ s_i = \\w s_i \\]\n"))
    not_read(path, "\\w is defined at")


def test_a_file_input_at_the_top_defines_its_macros(tmp_path):
    write(tmp_path, "defs.tex", "\\renewcommand{\\w}{1}\n")
    fails(write(tmp_path, "main.tex", tex("\\input{defs}\n\\[ 2 s_i = \\w s_i \\]\n")))
    holds(write(tmp_path, "true.tex", tex("\\input{defs}\n\\[ s_i = \\w s_i \\]\n")))


@pytest.mark.parametrize(
    "definition",
    [
        "\\expandafter\\def\\csname w\\endcsname{1}",
        "\\expandafter\\renewcommand\\csname w\\endcsname{1}",
        "\\makeatletter\\@namedef{w}{1}\\makeatother",
        "\\csdef{w}{1}",
        "\\def\\x{\\w}\\expandafter\\def\\x{1}",
    ],
)
def test_a_definition_whose_name_is_computed_refuses_every_macro_after_it(tmp_path, definition):
    not_read(write(tmp_path, "f.tex", tex(f"{definition}\n\\[ s_i = \\w s_i \\]\n")), "computed")


def test_a_macro_defined_after_a_computed_name_is_read(tmp_path):
    body = "\\expandafter\\def\\csname v\\endcsname{1}\n\\renewcommand{\\w}{3}\n\\[ 3 s_i = \\w s_i \\]\n"
    holds(write(tmp_path, "t.tex", tex(body)))


def test_expandafter_before_a_definition_refuses_the_name_it_seems_to_define(tmp_path):
    body = "\\expandafter\\def\\x{1}\n\\renewcommand{\\w}{3}\n\\[ s_i = \\x s_i \\]\n"
    not_read(write(tmp_path, "f.tex", tex(body, preamble="\\newcommand{\\w}{2}\n\\def\\x{\\w}\n")), "\\expandafter")
