"""Every piece of displayed mathematics with a relation is found and either checked or
reported: ```math fences, alignat, eqnarray, flalign, displaymath, inline \\( \\) and
\\begin{math}, and what follows \\forall on a line. Code fences stay code."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.read.derivation import read_derivation
from derive.read.latex_tokens import MathSyntaxError, scan
from derive.read.source import Block, read_source

TRUE = "\\frac{\\partial L}{\\partial s_i} = -\\frac{y_i}{s_i}"
FALSE = "\\frac{\\partial L}{\\partial s_i} = \\frac{y_i}{s_i}"


def run(path):
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def blocks(path):
    return [(e.text.strip(), e.place.line, e.display) for e in read_source(path) if isinstance(e, Block)]


# -- found -------------------------------------------------------------------------------------


@pytest.mark.parametrize("marks", ["```", "~~~"])
def test_a_math_fence_is_a_display_block_and_a_code_fence_is_not(tmp_path, marks):
    text = f"# t\n\n{marks}math\n{FALSE}\n{marks}\n\n{marks}\n$$ {FALSE} $$\n{marks}\n\n{marks}python\nx = 1\n{marks}\n"
    path = write(tmp_path, "f.md", text)
    assert blocks(path) == [(FALSE, 4, True)]
    code, output = run(path)
    assert code == 1
    assert "f.md:4:" in output and "✗ fails" in output
    assert "f.md: 1 checked, 0 not read, 0 skipped by a directive, 0 not an equality, 1 failed or undecided" in output


@pytest.mark.parametrize("suffix", ["md", "tex"])
@pytest.mark.parametrize(
    "env, row",
    [
        ("alignat", TRUE.replace(" =", " &=") + " \\\\ &= \\frac{y_i}{s_i}"),
        ("alignat*", TRUE.replace(" =", " &=") + " \\\\ &= \\frac{y_i}{s_i}"),
        ("eqnarray", TRUE.replace(" =", " &=&") + " \\\\ &=& \\frac{y_i}{s_i}"),
        ("eqnarray*", TRUE.replace(" =", " &=&") + " \\\\ &=& \\frac{y_i}{s_i}"),
        ("flalign", TRUE.replace(" =", " &=") + " \\\\ &= \\frac{y_i}{s_i}"),
        ("flalign*", TRUE.replace(" =", " &=") + " \\\\ &= \\frac{y_i}{s_i}"),
        ("displaymath", TRUE + " = \\frac{y_i}{s_i}"),
    ],
)
def test_every_display_environment_is_read(tmp_path, suffix, env, row):
    argument = "{2}" if env.startswith("alignat") else ""
    text = f"\\begin{{{env}}}{argument}\n{row}\n\\end{{{env}}}\n"
    path = write(tmp_path, f"e.{suffix}", text)
    ((found, line, display),) = blocks(path)
    assert found.startswith(f"\\begin{{{env}}}") and line == 1 and display
    code, output = run(path)
    # The first link holds (alignat's {2} is not a factor 2), the second fails.
    assert code == 1, output
    assert output.count("✓ proved for all K") == 1 and output.count("✗ fails") == 1
    derivation, skipped = read_derivation(path)
    lines = [step.where.split(":")[-2] for step in derivation.steps]
    assert lines == ["2", "2"] and not skipped


@pytest.mark.parametrize("suffix", ["md", "tex"])
def test_inline_parens_and_the_math_environment_are_inline_blocks(tmp_path, suffix):
    text = (
        f"Here \\({FALSE}\\) is wrong, \\(\\frac{{\\partial q(t)}}{{\\partial s_i}} = 1\\) does not read,\n"
        f"and \\begin{{math}}{FALSE}\\end{{math}} is wrong too. Here \\(s_i\\) are the softmax outputs.\n"
    )
    path = write(tmp_path, f"i.{suffix}", text)
    assert [display for _, _, display in blocks(path)] == [False, False, False, False]
    code, output = run(path)
    assert code == 1
    assert output.count("✗ fails") == 2
    assert f"not read i.{suffix}:1:" in output.replace(str(tmp_path) + "/", "") and "unknown symbol q" in output
    assert "2 checked, 1 not read, 0 skipped by a directive, 0 not an equality, 2 failed or undecided" in output


# -- \forall ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quantifier",
    ["\\forall i", "\\forall i, j", "\\forall i \\in [K]", "\\forall i = 1, \\dots, K", "\\forall 1 \\le i \\le K"],
)
def test_the_equation_before_a_range_is_read(tmp_path, quantifier):
    path = write(tmp_path, "q.md", f"$$ {FALSE} \\quad {quantifier} $$\n")
    code, output = run(path)
    assert code == 1 and "✗ fails" in output
    # "A = B ,\forall i = 1, 2,3" (corpus file 10): the comma before the range separates nothing
    path = write(tmp_path, "c.md", f"$$ {FALSE} ,{quantifier} $$\n")
    code, output = run(path)
    assert code == 1 and "✗ fails" in output
    path = write(tmp_path, "t.md", f"$$ {TRUE} , {quantifier} $$\n")
    assert run(path)[0] == 0
    # and a relation after it is still reported, comma or not
    path = write(tmp_path, "r.md", f"$$ {TRUE} , {quantifier}, s_i = 1 $$\n")
    code, output = run(path)
    assert code == 2 and "a relation after \\forall is not read" in output


@pytest.mark.parametrize(
    "quantifier",
    [
        "\\forall i: s_i = 1",
        "\\forall i \\quad s_i = 1",
        "\\forall k, \\; s_k > 0",
        "\\forall i = 1, \\dots, K \\quad s_i = 1",
        "\\forall i \\text{ with } s_i \\neq 0",
        "\\forall i, s_i \\approx 1",
    ],
)
def test_a_relation_after_forall_is_reported_not_hidden(tmp_path, quantifier):
    path = write(tmp_path, "q.md", f"$$ {TRUE} \\quad {quantifier} $$\n")
    code, output = run(path)
    assert code == 2
    column = len(f"$$ {TRUE} \\quad ") + 1
    assert output.splitlines()[0] == (
        f"derive: {path}:1:{column}: does not read: a relation after \\forall is not read (expected a range such as"
        " \\forall i = 1, ..., K)"
    )
    # Inline, the same equation is listed as not read, and the file exits 2 for it.
    path = write(tmp_path, "p.md", f"Prose ${TRUE} \\quad {quantifier}$ and $$ {TRUE} $$\n")
    code, output = run(path)
    assert code == 2
    assert "does not read: a relation after \\forall is not read" in output and "1 checked, 1 not read" in output


def test_forall_ends_at_its_row_so_the_next_row_is_read():
    tokens = [t.type for t in scan("a &= b \\quad \\forall i \\\\ &= c % why").tokens]
    assert tokens == ["LETTER", "EQ", "LETTER", "EQ", "LETTER"]
    assert scan("a = b \\forall i % cites \\sum y = 1").comments == {1: "cites \\sum y = 1"}


# -- a second equation on one aligned row ------------------------------------------------------


@pytest.mark.parametrize(
    "row",
    [
        "s_i &= s_i && \\text{as } k = 1",
        "s_i &= s_i & t &\\neq u",
    ],
)
def test_a_second_equation_after_an_alignment_mark_is_refused(row):
    # ("a_i &= b_i &\\qquad c_i &= d_i" is two equations: the wide space separates them)
    # (or, when text comes first, the text inside the equation)
    with pytest.raises(MathSyntaxError, match="a second equation after '&' on one row|inside an equation"):
        scan(row)


@pytest.mark.parametrize(
    "rows",
    [
        "s_i &= s_i && \\text{the definition} \\\\ &= s_i",
        "s_i &=& s_i \\\\ &=& s_i",
        "s_i &= \\sum_{k=1}^{K} s_k 1_{\\{i=k\\}} & \\\\ &= s_i",
        "s_i &= s_i & \\Rightarrow t_i &= t_i",
        "\\begin{cases} 1 & i = j \\\\ 0 & i \\neq j \\end{cases} = \\delta_{ij}",
    ],
)
def test_one_equation_a_row_reads(rows):
    scan(rows)


def test_alignat_columns_do_not_run_two_equations_together(tmp_path):
    # two equations a wide space apart are two statements, each checked on its own
    path = write(tmp_path, "a.md", "\\begin{alignat*}{2}\ns_i &= s_i &\\qquad y_i &= 2 y_i\n\\end{alignat*}\n")
    code, output = run(path)
    assert code == 1 and output.count("✗ fails") == 1 and "2 checked" in output, output
    path = write(tmp_path, "c.md", "\\begin{alignat*}{2}\ns_i &= s_i & y_i &= y_i\n\\end{alignat*}\n")
    code, output = run(path)
    assert code == 2 and "a second equation" in output
    derivation_text = "\\begin{alignat*}{2}\ns_i &= s_i &\\qquad \\text{by definition}\n\\end{alignat*}\n"
    derivation, skipped = read_derivation(write(tmp_path, "b.md", derivation_text))
    assert len(derivation.steps) == 1 and not skipped
