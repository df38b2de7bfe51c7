"""Mathematics inside \\text{...} renders as mathematics (KaTeX, MathJax): an equation there is
never dropped with the prose around it."""

import pytest

from derive.read.latex_tokens import MathSyntaxError, scan


@pytest.mark.parametrize(
    "math",
    [
        r"s_i = s_i \quad \mbox{and also $y_i = 2 y_i$}",
        r"s_i = s_i \quad \text{where $\partial s_i/\partial z_j = s_i s_j$}",
        r"s_i = s_i \quad \textrm{as \(y_i \le 2\)}",
    ],
    ids=["mbox", "text", "textrm-parens"],
)
def test_an_equation_inside_text_is_refused_not_dropped(math):
    with pytest.raises(MathSyntaxError, match="an equation inside"):
        scan(math)


@pytest.mark.parametrize(
    "math",
    [r"s_i = s_i \quad \text{for every class $i$}", r"s_i = s_i \quad \text{if } i = j", r"s_i = s_i \tag{1}"],
    ids=["symbol-only", "relation-outside", "tag"],
)
def test_prose_and_symbols_inside_text_are_still_prose(math):
    scan(math)
