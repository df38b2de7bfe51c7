"""Cases stated in the prose (issue: no header needed): a paragraph that opens with "If
$i = k$,", "When $i=k$, ... we get:", "Thus when $i = j$", "Case 1: $i = j$" or "For
$i \\neq j$" states the case for the display right after it, and for nothing else (the
display's links cite it). Each test has a step that holds only under the case, or a trap where words that
look like a case are not one (the seventh adversary's 38 among them)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from derive.cli import cli

HEADER = "<!-- derive\nsoftmax: s of z\n-->\n\n# Jacobian\n\n"
DIAGONAL = "$$ \\frac{\\partial s_i}{\\partial z_k} = s_i - s_i^2 $$\n"  # holds only if i = k
OFF = "$$ \\frac{\\partial s_i}{\\partial z_k} = -s_i s_k $$\n"  # holds only if i ≠ k


def _check(tmp_path, body: str, name: str = "notes.md", *args: str):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return CliRunner().invoke(cli, ["check", str(path), "--no-cache", *args])


def _verdicts(output: str) -> list[str]:
    return [line.strip().split(" ", 1)[1] for line in output.splitlines() if line.strip()[:1] in ("✓", "✗", "?")]


@pytest.mark.parametrize(
    "phrase",
    ["If $i = k$,", "When $i=k$, we get:", "Thus when $i = k$, our", "Case 1: $i = k$",
     "For $i = k$:", "In the case $i = k$,", "if $i = k$", "• Case 1: $i = k$"],
)  # fmt: skip
def test_a_case_stated_in_the_prose_governs_the_display_after_it(tmp_path, phrase):
    result = _check(tmp_path, HEADER + phrase + "\n\n" + DIAGONAL)
    assert result.exit_code == 0, result.output
    assert "cites i = k" in result.output
    assert "the case i = k, stated in the prose" in result.output  # and where it was stated


def test_each_case_until_the_next_and_a_false_step_under_one_still_fails(tmp_path):
    false = "$$ \\frac{\\partial s_i}{\\partial z_k} = s_i + s_i^2 $$\n"
    body = HEADER + "If $i = k$,\n\n" + DIAGONAL + "\nIf $i \\neq k$,\n\n" + OFF + "\nIf $i = k$,\n\n" + false
    result = _check(tmp_path, body)
    assert result.exit_code == 1
    assert _verdicts(result.output) == ["proved for all K", "proved for all K", "fails"]


def test_a_heading_ends_a_case_stated_in_the_prose(tmp_path):
    result = _check(tmp_path, HEADER + "If $i = k$,\n\n## In general\n\n" + DIAGONAL)
    assert result.exit_code == 1 and "holds only if i = k" in result.output


@pytest.mark.parametrize(
    "remark",
    [
        "Note that if $i = k$ this is the derivative of the logistic function.",
        "The derivative has two cases: when $i = k$ and when $i \\neq k$.",
        "We already derived it for $i = k$ above.",
        "Specifically, if $i = k$, then",
    ],
)
def test_words_about_something_else_state_no_case(tmp_path, remark):
    result = _check(tmp_path, HEADER + remark + "\n\n" + DIAGONAL)
    assert result.exit_code == 1 and "holds only if i = k" in result.output, result.output


def test_a_condition_between_variables_is_no_case_and_no_error(tmp_path):
    header = "<!-- derive\nsoftmax: s of z\nscalars: x, y\n-->\n\n"
    result = _check(tmp_path, header + "If $x = y$, then\n\n$$ x - y = 0 $$\n")
    assert result.exit_code == 1 and "Traceback" not in result.output  # x - y = 0 fails: no case was made
    assert "stated in the prose" not in result.output


def test_a_continued_chain_cites_the_case_for_its_own_links_only(tmp_path):
    false = "\nIf $i \\neq k$,\n\n$$ = s_i (1 + s_i) $$\n"
    result = _check(tmp_path, HEADER + "If $i = k$,\n\n" + DIAGONAL + false)
    assert _verdicts(result.output) == ["proved for all K", "fails"], result.output


STEP = "$$\n\\frac{\\partial s_i}{\\partial z_j} = s_i (1 - s_i)\n$$\n"  # holds only if i = j
DIAG = "$$ \\frac{\\partial s_i}{\\partial z_j} = s_i - s_i^2 $$\n"


@pytest.mark.parametrize(
    "before",
    [
        # negated, hypothetical, excluded
        "If $i = j$ does not hold, then:\n\n",
        "If $i = j$ is not the case, we have\n\n",
        "When $i = j$ fails:\n\n",
        "Case 2: $i = j$ is excluded, so\n\n",
        "If $i = j$ were true we would get the diagonal; but in general:\n\n",
        "In the case $i = j$, we would be done, but we are not in it.\n\n",
        "If $i = j$? No, we need all entries:\n\n",
        # both cases, or another condition
        "If $i = j$ or $i = k$, the entry is on a marked diagonal:\n\n",
        "For $i = j$ as well as for $i \\neq j$,\n\n",
        "If $i = j$, the entry is on the diagonal; otherwise it is off the diagonal:\n\n",
        # remarks that close themselves
        "For $i = j$ we skip this; see the other post. In general,\n\n",
        "If $i = j$, this is the sigmoid derivative. We now return to general $i, j$:\n\n",
        "If $i = j$, remark: this is unused below.\n\nNow the general Jacobian entry:\n\n",
        # quoted, in HTML, in a list
        "A student once wrote:\n\n> If $i = j$, then\n\nFor all entries:\n\n",
        "> If $i = j$, then\n\n",
        "<script>\n\nIf $i = j$, then\n\n</script>\n\n",
        "- Some item\n\n  If $i = j$, then\n\n",
        # it ends where the display after it ends
        "If $i = j$, then\n\n" + DIAG + "\n---\n\nA different topic: the full Jacobian.\n\n",
        "If $i = j$, then\n\n" + DIAG + "\nIn general, for any $i$ and $j$:\n\n",
        "If $i = j$, then\n\n" + DIAG + "\n<h2>The full Jacobian</h2>\n\n",
        "If $i = j$, then\n\n```\ncode\n```\n\n",
    ],
)
def test_words_that_state_no_case_for_the_display_after_them_give_none(tmp_path, before):
    # Read, not checked (the suite keeps its minutes): the last step cites nothing, so the core
    # checks s_i(1 - s_i) for every i and j, and it fails (as the CLI tests above show).
    steps, skipped = _read(tmp_path, HEADER + before + STEP)
    assert steps[-1].cites == () and not any(steps[-1].where in item.reason for item in skipped), skipped


def _read(tmp_path, body: str, name: str = "notes.md"):
    from derive.read.derivation import read_derivation

    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    derivation, skipped = read_derivation(str(path))
    return derivation.steps, skipped


@pytest.mark.parametrize(
    "body",
    [
        "If $i = j$, then\n\n$$ s_i - s_i^2 = s_i - s_i^2 $$\n\\footnote{\n\nIf $i = j$, then\n\n}\n\n",
        "\\begin{itemize}\n\\item If $i = j$, then\n\\end{itemize}\n\n",
        "If $i = j$, then \\[ s_i = s_i \\]\n\nIn general,\n\n",
    ],
)
def test_latex_words_that_state_no_case_for_the_display_give_none(tmp_path, body):
    step = "\\[ \\frac{\\partial s_i}{\\partial z_j} = s_i (1 - s_i) \\]\n"
    steps, skipped = _read(tmp_path, "% derive\n% softmax: s of z\n\n" + body + step, "notes.tex")
    assert steps[-1].cites == () and not any(steps[-1].where in item.reason for item in skipped), skipped


def test_exports_do_not_list_a_case_as_not_checked(tmp_path):
    result = _check(tmp_path, HEADER + "If $i = k$,\n\n" + DIAGONAL, "notes.md", "--format", "markdown")
    assert result.exit_code == 0
    assert "Not checked" not in result.output and "$i = k$" in result.output


def test_latex_prose_states_a_case_too(tmp_path):
    body = "% derive\n% softmax: s of z\n\nIf $i = k$,\n\n\\[ \\frac{\\partial s_i}{\\partial z_k} = s_i - s_i^2 \\]\n"
    result = _check(tmp_path, body, "notes.tex")
    assert result.exit_code == 0, result.output
    assert "cites i = k" in result.output


HEAD = "$$ \\frac{\\partial s_i}{\\partial z_k} = \\frac{\\partial}{\\partial z_k} \\frac{e^{z_i}}{\\sum_j e^{z_j}} $$"


@pytest.mark.parametrize("between", ["\n\n", " "])  # a new paragraph, or the same one after the display
def test_each_case_of_a_split_chain_continues_from_before_the_split(tmp_path, between):
    """X = Y. If i = k, = A = A'. If i ≠ k, = B: the second case continues from Y (A holds
    only when i = k), and a false step in either case still fails."""
    body = (
        HEAD + between + "If $i = k$,\n\n$$ = s_i - s_i^2 = s_i(1 - s_i) $$" + between
        + "And if $i \\neq k$,\n\n$$ = -s_i s_k $$\n"
    )  # fmt: skip
    result = _check(tmp_path, HEADER + body)
    assert _verdicts(result.output) == ["proved for all K"] * 4, result.output
    assert result.output.count("cites i ≠ k") == 1 and "= −s_i s_k" in result.output
    wrong = body.replace("= -s_i s_k", "= s_i s_k")
    assert _verdicts(_check(tmp_path, HEADER + wrong).output) == ["proved for all K"] * 3 + ["fails"]
    wrong = body.replace("= s_i - s_i^2 =", "= s_i + s_i^2 =")
    assert _verdicts(_check(tmp_path, HEADER + wrong).output)[1:3] == ["fails", "fails"]


def test_the_same_case_again_continues_from_where_the_chain_is(tmp_path):
    body = HEAD + "\n\nIf $i = k$,\n\n$$ = s_i - s_i^2 $$\n\nIf $i = k$,\n\n$$ = s_i(1 + s_i) $$\n"
    # from s_i - s_i^2, not from the head: the last step is false either way, but here it is
    # s_i - s_i^2 = s_i(1 + s_i) that fails
    result = _check(tmp_path, HEADER + body)
    assert _verdicts(result.output) == ["proved for all K", "proved for all K", "fails"], result.output
    assert "left − right = −2s_i²" in result.output


def test_a_chain_begun_under_one_case_continues_under_the_other_from_its_head(tmp_path):
    body = "If $i = k$,\n\n" + DIAGONAL + "\nIf $i \\neq k$,\n\n$$ = -s_i s_k $$\n"
    result = _check(tmp_path, HEADER + body)
    assert _verdicts(result.output) == ["proved for all K", "proved for all K"], result.output
    assert "∂s_i/∂z_k = −s_i s_k" in result.output.replace("  ", " ")


USING = "$\\frac{\\partial \\log(x)}{\\partial x} = \\frac{1}{x}$"


@pytest.mark.parametrize(
    "phrase",
    [
        f"When $i = k$, using the derivative of the logarithm {USING} and the quotient rule, we get:",
        f"If $i = k$, by {USING}, we have",
        f"When $i=k$, applying {USING} then",
    ],
)
def test_a_case_whose_sentence_cites_one_formula_governs_the_display_after_it(tmp_path, phrase):
    result = _check(tmp_path, HEADER + phrase + "\n\n" + DIAGONAL)
    assert "cites i = k" in result.output and "the case i = k, stated in the prose" in result.output, result.output
    assert "✓ proved for all K" in result.output
    # and a false step under it still fails
    result = _check(tmp_path, HEADER + phrase + "\n\n" + OFF)
    assert "cites i = k" in result.output and "✗ fails" in result.output, result.output


@pytest.mark.parametrize(
    "phrase",
    [
        f"When $i = k$, using {USING} but not the quotient rule, we get:",  # a restriction
        f"When $i = k$, using {USING}. Then",  # the sentence ends
        f"When $i = k$, using {USING} or $x = 2$, we get:",  # two formulas
        f"When $i = k$, using {USING} unless $K = 1$, we get:",
        f"When $i = k$, we note {USING}, and we get:",  # not a 'using' phrase
        f"When $i = k$, using {USING} if it applies, we get:",
        # the adversary's third round: words that a list of forbidden ones missed
        "When $i = k$, using $\\sum_j s_j = 1.$ For the off-diagonal entries we get:",
        "When $i = k$, using \\(\\sum_j s_j = 1.\\) Off the diagonal we get:",
        "When $i = k$, using $\\sum_j s_j = 1$ doesn't help, and for distinct indices we get:",
        "When $i = k$, applying $\\sum_j s_j = 1$ cannot give this, yet for distinct indices we get:",
        "When $i = k$, using $\\sum_j s_j = 1$… Never mind, for the other entries we get:",
        "When $i = k$, by the same steps with $i \\neq k$ swapped in, we get:",
        "When $i = k$, with $\\sum_j s_j = 1$ never used since the indices differ, we get:",
    ],
)
def test_words_around_a_cited_formula_that_may_change_the_case_state_none(tmp_path, phrase):
    result = _check(tmp_path, HEADER + phrase + "\n\n" + DIAGONAL)
    assert "stated in the prose" not in result.output and "cites i = k" not in result.output, result.output


def test_the_rule_that_gives_the_display_may_be_named():
    import tempfile
    from pathlib import Path

    from derive.core import Status, check_derivation
    from derive.read.derivation import read_derivation

    header = "<!-- derive\nsoftmax: s of z\n-->\n\n"
    for words, expected in (
        ("If $i = j$, the quotient rule gives", Status.HOLDS),
        ("If $i = j$, the chain rule yields:", Status.HOLDS),
        ("If $i = j$, the quotient rule does not give", None),
    ):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "c.md"
            path.write_text(header + words + "\n\n$$ \\frac{\\partial s_j}{\\partial z_i} = s_i(1 - s_i) $$\n")
            derivation, _ = read_derivation(path)
            (verdict,) = check_derivation(derivation).verdicts
            if expected is None:
                assert verdict.status is Status.FAILS, words
            else:
                assert verdict.status is expected, words


INLINE_DIAGONAL = "$\\frac{\\partial s_i}{\\partial z_k} = s_i - s_i^2$\n"  # an equation alone in its paragraph


@pytest.mark.parametrize("display", [DIAGONAL, INLINE_DIAGONAL])
def test_a_case_governs_the_run_of_displays_after_it_with_no_words_between(tmp_path, display):
    # "If $i = j$, this gives:" and three displays, each its own paragraph (27 of the corpus)
    body = HEADER + "If $i = k$, this gives:\n\n" + display + "\n" + display + "\n" + display
    result = _check(tmp_path, body)
    assert result.exit_code == 0, result.output
    assert _verdicts(result.output) == ["proved for all K"] * 3
    assert result.output.count("the case i = k, stated in the prose") == 3


@pytest.mark.parametrize(
    "between",
    [
        "Together these give the general form:\n\n",  # a paragraph of words
        "## General\n\n",  # a heading
        "In general $K \\geq 1$ and\n\n",  # a paragraph with inline math in its words
        "<!-- derive: cite -->\n\n",  # a directive
    ],
)
@pytest.mark.parametrize("display", [DIAGONAL, INLINE_DIAGONAL])
def test_words_between_two_displays_end_the_case_stated_before_them(tmp_path, display, between):
    body = HEADER + "If $i = k$, this gives:\n\n" + display + "\n" + between + display
    result = _check(tmp_path, body)
    assert result.exit_code == 1, result.output
    assert _verdicts(result.output)[0] == "proved for all K"
    assert _verdicts(result.output)[-1] == "fails"


def test_words_between_two_displays_of_one_paragraph_end_the_case(tmp_path):
    body = HEADER + "If $i = k$, then\n$$ s_i = s_i $$\nso that in general\n" + DIAGONAL
    result = _check(tmp_path, body)
    assert result.exit_code == 1, result.output
    assert _verdicts(result.output)[-1] == "fails"


def test_inline_math_with_words_in_its_paragraph_is_not_governed_by_a_case(tmp_path):
    body = HEADER + "If $i = k$, this gives:\n\nwhich is $\\frac{\\partial s_i}{\\partial z_k} = s_i - s_i^2$ here.\n"
    result = _check(tmp_path, body)
    assert "cites i = k" not in result.output


def test_latex_a_case_governs_the_displays_after_it_until_words(tmp_path):
    step = "\\[ \\frac{\\partial s_i}{\\partial z_k} = s_i - s_i^2 \\]\n"
    body = (
        "% derive\n% softmax: s of z\n\\documentclass{article}\\begin{document}\n\n"
        "If \\(i = k\\), this gives\n" + step + "\n" + step + "and in general\n" + step + "\\end{document}\n"
    )
    result = _check(tmp_path, body, "notes.tex")
    assert result.exit_code == 1, result.output
    assert _verdicts(result.output) == ["proved for all K", "proved for all K", "fails"]
