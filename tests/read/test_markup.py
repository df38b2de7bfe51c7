r"""latex_markup.normalise: markup that means nothing goes, the document's macros are expanded,
Unicode mathematics becomes LaTeX; the READING is checked (the expression read equals the
intended one), places stay the author's, and look-alikes that mean something else are not
read as the rule's meaning."""

import pytest
import sympy as sp

from derive.core import indices, scalar, softmax_notation
from derive.read.latex_markup import Macro, normalise, parse_definition
from derive.read.latex_math import Letters, MathSyntaxError, read_block, read_expression

NT = softmax_notation()
s, z, y = NT.softmax, NT.logits, NT.labels
K = NT.classes
L = sp.Symbol("L")
i, j, k = indices("i j k")
x = scalar("x")
W = scalar("W")

LT = Letters(
    notation=NT,
    families={"s": s, "z": z, "y": y, r"\hat{y}": s},
    aliases={},
    class_counts=frozenset({"K"}),
    example_counts=frozenset(),
    defined={"L": L, r"\mathcal{L}": L},
    scalars={"x": x, "W": W},
)


def read(text, macros=None):
    return read_expression(text, LT, macros)


def chain(text, macros=None):
    return [[link.expr if link else None for link in st.links] for st in read_block(text, LT, macros)]


def notes(text, macros=None):
    return [note for st in read_block(text, LT, macros) for note in st.notes]


def refused(text, match, macros=None):
    with pytest.raises(MathSyntaxError, match=match) as error:
        read_block(text, LT, macros)
    return error.value


def macros(*defined):
    return {m.name: m for m in defined}


# -- the origin of every character ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [r"{\color{red} s_i} + \mathbf{W}", r"ŷ² − x·y", r"{a \over b} \, e^-x", r"\hat{y_i} \underbrace{q}_{n}"],
)
def test_every_character_has_an_origin_in_the_authors_text(text):
    found = normalise(text)
    assert len(found.origin) == len(found.text) + 1
    assert all(0 <= at <= len(text) for at in found.origin)


def test_an_error_after_unicode_points_at_the_authors_column():
    assert (refused("L = ŷ_i + q", "unknown symbol q").line, refused("L = ŷ_i + q", "q").column) == (1, 11)


def test_an_error_after_removed_markup_points_at_the_authors_column():
    error = refused(r"L = {\color{blue} s_i} + q_i", "unknown symbol q")
    assert error.column == 26


# -- colour, fonts, spacing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        r"\color{red}{s_i y_i}",
        r"{\color{red} s_i y_i}",
        r"{\color[rgb]{1,0,0} s_i y_i}",
        r"\textcolor{red}{s_i} y_i",
        r"\textcolor{red}{s_i}\, y_i",
        r"s_i\;y_i\quad",
        r"s_i \enspace y_i \thinspace",
        r"s_i \hspace{1em} y_i \hspace*{2pt}",
        r"\displaystyle s_i \mathstrut y_i \phantom{=}",
        r"{\rm s}_i y_i",
    ],
)
def test_markup_that_means_nothing_reads_as_its_content(text):
    assert read(text) == s[i] * y[i]


def test_fonts_around_one_letter_are_the_letter():
    assert read(r"\mathbf{s}_i \boldsymbol{z}_j \bm{y}_k") == s[i] * z[j] * y[k]
    assert read(r"\vec{x} + \mathrm{x} + \mathit x") == 3 * x


def test_a_bold_matrix_times_x_stays_a_product():
    assert read(r"\mathbf{W}x") == W * x
    assert read(r"\mathbf{W}^2 x") == W**2 * x


def test_a_bold_greek_letter_keeps_apart_from_the_next_letter():
    assert normalise(r"\boldsymbol{\sigma}x").text.split() == [r"\sigma", "x"]


def test_what_carries_meaning_stays():
    assert normalise(r"\mathbf{1}_{i=j}").text == r"\mathbf{1}_{i=j}"  # the indicator
    assert normalise(r"\mathbb{1} \mathcal{L} \hat{y} \bar{x} \tilde{x}").text == (
        r"\mathbb{1} \mathcal{L} \hat{y} \bar{x} \tilde{x}"
    )
    # multi-letter names are the names reader's: left as written
    for name in (r"\mathrm{softmax}(z)", r"\operatorname{softmax}(z)", r"\text{softmax}", r"\mathbf{x_i}"):
        assert normalise(name).text == name


def test_color_inside_text_is_prose_and_left_alone():
    written = r"s_i \text{ where \color{red} e^-x is } "
    assert normalise(written).text == written
    assert read(r"s_i \text{ (see \color{red} note) }") == s[i]


def test_a_thin_space_between_digits_is_not_read_as_twenty_or_a_product():
    refused(r"L = 2\,0", "two numbers")


def test_an_empty_group_between_operators_draws_nothing():
    assert chain(r"L &={} s_i") == [[L, s[i]]]
    assert chain(r"L = {} - s_i") == [[L, -s[i]]]


def test_an_empty_group_that_is_an_argument_or_a_base_stays():
    assert normalise(r"\frac{}{x}").text == r"\frac{}{x}"
    assert normalise(r"s_i{}^2").text == r"s_i{}^2"
    assert normalise(r"x^{}").text == r"x^{}"


# -- \over, braces, \cancel, \tag ------------------------------------------------------------------


def test_over_is_a_fraction_of_its_group():
    assert read(r"{s_i \over y_i}") == s[i] / y[i]
    assert read(r"x^{1 \over 2} + {s_i + 1 \over 2}") == sp.sqrt(x) + (s[i] + 1) / 2
    assert normalise(r"{a \over b}").origin[:7] == [0] * 7  # {\frac{ at the author's {


def test_over_outside_braces_or_twice_is_refused():
    refused(r"L = s_i \over y_i", r"1:9: \\over outside braces")
    refused(r"L = {a \over b \over c}", "two \\\\over")
    assert normalise(r"\overline{x}").text == r"\overline{x}"


def test_underbrace_and_overbrace_read_as_their_body_with_a_note():
    assert chain(r"L = \underbrace{s_i y_i}_{\text{the term}} + x") == [[L, s[i] * y[i] + x]]
    assert chain(r"L = \overbrace{s_i}^{n} y_i") == [[L, s[i] * y[i]]]
    assert notes(r"L = \underbrace{s_i}_{a} y_i") == [r"\underbrace read as its body"]


def test_a_relation_under_a_brace_is_a_claim_never_dropped():
    refused(r"L = \underbrace{\sum_k y_k}_{=1} s_i", "a relation in the label of \\\\underbrace")
    refused(r"L = \overbrace{s_i}^{\le 1}", "relation")


def test_a_cancelled_term_still_counts_and_says_so():
    assert chain(r"L = \frac{y_i}{s_i} \cancel{s_i}") == [[L, y[i]]]
    assert chain(r"L = \bcancel{s_i} + \xcancel{y_i}") == [[L, s[i] + y[i]]]
    assert notes(r"L = \cancel{s_i}") == [r"\cancel read as its body"]
    # the false variant (the cancelled factor dropped without the division) is still a product
    assert chain(r"L = y_i \cancel{s_i}") == [[L, y[i] * s[i]]]


def test_tags_labels_and_numbering_are_dropped():
    assert chain(r"L = s_i \tag{3} \label{eq:one} \nonumber \notag \tag*{a}") == [[L, s[i]]]


def test_boxed_reads_as_its_body():
    assert chain(r"\boxed{L = s_i}") == [[L, s[i]]]
    assert chain(r"L = \boxed{s_i} y_i") == [[L, s[i] * y[i]]]


# -- delimiters --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        r"\left( s_i + y_i \right)",
        r"\left[ s_i + y_i \right]",
        r"\bigl( s_i + y_i \bigr)",
        r"\Big( s_i + y_i \Big)",
        r"\Bigg[ s_i + y_i \Bigg]",
        r"\left. s_i + y_i \right.",
    ],
)
def test_sized_delimiters_are_their_delimiters(text):
    assert read(text) == s[i] + y[i]


@pytest.mark.parametrize(
    "text", [r"\left| s_i \right|", r"\big| s_i \big|", r"\left\| s_i \right\|", r"\left\lvert s_i \right\rvert"]
)
def test_an_absolute_value_is_refused_not_misread(text):
    refused("L = " + text, "an absolute value or a norm is not read")


# -- e^-x and \hat{y_i} -----------------------------------------------------------------------------


def test_a_minus_sign_alone_in_the_exponent_reads_as_the_authors_exponent():
    assert chain(r"L = e^-x") == [[L, sp.exp(-x)]]
    assert chain(r"L = e^-2 + x^- 1") == [[L, sp.exp(-2) + 1 / x]]
    assert notes(r"L = e^-x") == ["e^-x read as e^{-x}"]


@pytest.mark.parametrize("text", [r"L = e^-xy", r"L = e^-23", r"L = e^-z_i", r"L = e^-\sigma"])
def test_a_longer_exponent_after_a_lone_minus_is_refused(text):
    refused(text, "TeX raises only the '-'")


def test_a_subscript_inside_the_hat_is_the_hatted_letters_index():
    assert chain(r"L = \hat{y_i} - y_i") == [[L, s[i] - y[i]]]
    assert chain(r"L = \hat{y_{i}}^2") == [[L, s[i] ** 2]]
    assert notes(r"L = \hat{y_i}") == [r"\hat{y_i} read as \hat{y}_i"]
    assert normalise(r"\tilde{x_k}").text == r"\tilde{x}_k"
    assert normalise(r"\bar{x_{ij}}").text == r"\bar{x}_{ij}"


def test_a_hat_over_more_than_a_letter_and_its_index_is_left_to_the_scanner():
    assert normalise(r"\hat{y_i^2}").text == r"\hat{y_i^2}"
    assert normalise(r"\hat{xy}").text == r"\hat{xy}"


# -- Unicode -------------------------------------------------------------------------------------------


def test_unicode_mathematics_reads_as_its_latex():
    assert chain("L = −Σ_k yₖ log sₖ") == [[L, -sp.Sum(y[k] * sp.log(s[k]), (k, 1, K))]]
    assert notes("L = Σ_k y_k") == ["Σ read as \\sum"]
    assert chain("L = x² − 2·x × x³") == [[L, x**2 - 2 * x**4]]
    assert chain("L = ŷᵢ − yᵢ") == [[L, s[i] - y[i]]]
    assert chain("L = y\u0302_i") == [[L, s[i]]]  # y and a combining circumflex


def test_unicode_symbols_become_their_commands():
    assert normalise("∂ ∇ δ σ α ω ≠ ≤ ≥ ≈ ∈ ∞ ℓ").text.split() == (
        r"\partial \nabla \delta \sigma \alpha \omega \neq \le \ge \approx \in \infty \ell".split()
    )
    assert normalise("x⁻¹ sᵢⱼ f′ xᵀ x^⊤ x⊤").text == "x^{-1} s_{ij} f' x^T x^T x^T"


def test_a_greek_letter_keeps_apart_from_the_next_letter():
    assert normalise("αx").text == r"\alpha x"
    assert normalise(r"\Rightarrow ①").text.startswith(r"\Rightarrow")


# -- macros ------------------------------------------------------------------------------------------


def test_a_macro_is_expanded_and_noted():
    found = normalise(r"\R^2", macros(Macro("R", 0, r"\mathbb{R}")))
    assert found.text.strip() == r"\mathbb{R} ^2" and found.notes == [r"expanded \R"]


def test_a_macro_with_arguments_is_read_with_them():
    half = Macro("half", 1, r"\frac{#1}{2}")
    assert chain(r"L = \half{s_i + y_i}", macros(half)) == [[L, (s[i] + y[i]) / 2]]
    pair = Macro("pd", 2, r"\frac{\partial #1}{\partial #2}")
    assert read(r"\pd{s_i}{z_j}", macros(pair)) == read(r"\frac{\partial s_i}{\partial z_j}")


def test_an_optional_argument_and_its_default():
    scaled = Macro("sc", 2, r"#1 #2", default="2")
    assert read(r"\sc{s_i}", macros(scaled)) == 2 * s[i]
    assert read(r"\sc[3]{s_i}", macros(scaled)) == 3 * s[i]


def test_macros_inside_macros_and_in_arguments():
    defined = macros(Macro("a", 1, r"\b{#1} + 1"), Macro("b", 1, r"2 #1"), Macro("c", 0, "s_i"))
    assert read(r"\a{\c}", defined) == 2 * s[i] + 1


def test_the_place_of_an_expanded_token_is_the_macros_backslash():
    defined = macros(Macro("Q", 0, "q_i"))
    error = refused(r"L = s_i + \Q", "unknown symbol q", defined)
    assert (error.line, error.column) == (1, 11)
    # an argument's characters stay where the author wrote them
    error = refused(r"L = \half{s_i + q}", "unknown symbol q", macros(Macro("half", 1, r"\frac{#1}{2}")))
    assert error.column == 17


def test_a_macro_whose_body_is_a_relation_makes_a_relation_that_is_read():
    assert chain(r"L \eq s_i", macros(Macro("eq", 0, "="))) == [[L, s[i]]]
    assert chain(r"s_i \eq 2 s_i", macros(Macro("eq", 0, "="))) == [[s[i], 2 * s[i]]]  # read, so it can fail


def test_a_recursive_macro_is_a_one_line_error():
    error = refused(r"L = \rec", r"\\rec expands more than 32 levels deep", macros(Macro("rec", 0, r"s_i \rec")))
    assert "\n" not in str(error) and str(error).startswith("1:5:")


def test_a_macro_that_grows_without_end_is_a_one_line_error():
    text = "".join(rf"\def\{a}{{\{b}\{b}}}" for a, b in zip("abcdefghijklmnopq", "bcdefghijklmnopqr"))
    refused(text + r"\def\r{s_i}L = \a", "expand to more than")


def test_a_macro_is_not_expanded_inside_a_comment():
    found = normalise("L = s_i % \\Q\n", macros(Macro("Q", 0, "q")))
    assert found.text.endswith("% \\Q\n") and found.notes == []


def test_a_missing_argument_is_refused():
    refused(r"L = \half", r"\\half needs 1 argument", macros(Macro("half", 1, r"\frac{#1}{2}")))


def test_a_definition_inside_the_block_applies_from_there_on():
    assert chain("\\newcommand{\\w}[1]{2 #1}\nL = \\w{s_i}") == [[L, 2 * s[i]]]
    refused(r"L = \w{s_i} \newcommand{\w}[1]{2 #1}", r"unknown command \\w")
    assert chain(r"\def\two{2} L = \two s_i") == [[L, 2 * s[i]]]


def test_redefining_a_command_derive_reads_is_refused_in_the_block():
    refused(r"\renewcommand{\sum}{\prod} L = \sum_k s_k", r"\\renewcommand redefines \\sum")
    refused(r"L = \sum_k s_k", r"\\sum is redefined", macros(Macro("sum", 0, r"\prod")))
    refused(r"\def\color{s_i} L = \color", "redefines")


@pytest.mark.parametrize(
    "written, name, nargs, body, default",
    [
        (r"\newcommand{\R}{\mathbb{R}}", "R", 0, r"\mathbb{R}", None),
        (r"\newcommand\R{\mathbb{R}}", "R", 0, r"\mathbb{R}", None),
        (r"\renewcommand*{\v}[2]{#1_{#2}}", "v", 2, "#1_{#2}", None),
        (r"\providecommand{\x}[2][1]{#1 #2}", "x", 2, "#1 #2", "1"),
        (r"\def\x#1#2{#2 #1}", "x", 2, "#2 #1", None),
        (r"\gdef\x{y}", "x", 0, "y", None),
        (r"\DeclareMathOperator{\sm}{softmax}", "sm", 0, r"\operatorname{softmax}", None),
        (r"\DeclareMathOperator*{\argmax}{arg\,max}", "argmax", 0, r"\operatorname{arg\,max}", None),
    ],
)
def test_definitions_are_parsed(written, name, nargs, body, default):
    macro, end = parse_definition(written + " rest", 0)
    assert (macro.name, macro.nargs, macro.body, macro.default, end) == (name, nargs, body, default, len(written))


@pytest.mark.parametrize("written", [r"\def\x#2#1{a}", r"\def\x(#1){a}", r"\newcommand{\x}", r"\let\x\y"])
def test_forms_that_are_not_plain_macros_are_not_parsed(written):
    assert parse_definition(written, 0) is None


# -- \intertext ---------------------------------------------------------------------------------------


def test_intertext_is_a_row_break_and_its_text_is_prose():
    block = "s_i &= s_i \\intertext{and so, since it is the same,} y_i &= y_i"
    assert chain(block) == [[s[i], s[i]], [y[i], y[i]]]
    # a row that begins with '=' after the prose continues the rows before, as in LaTeX (and as a
    # display after a paragraph does): the step it states is still checked, never dropped
    assert chain(r"s_i &= y_i \\ \intertext{and so} &= 2 s_i") == [[s[i], y[i], 2 * s[i]]]
    assert r"\\" in normalise(block).text and "since" not in normalise(block).text
    # after a row break already written, no second one
    assert normalise(r"a \\ \shortintertext{so} b").text.count("\\\\") == 1


def test_an_equation_inside_intertext_is_refused():
    refused(r"s_i &= s_i \intertext{since $y_i = 2$} y_i &= y_i", "an equation inside \\\\intertext")


def test_the_bold_indicator_letter_stays_the_indicator():
    assert normalise(r"\mathbf{I}_{i=j} \bm{I}").text == r"\mathbf{I}_{i=j} \bm{I}"
    assert normalise(r"\boldsymbol{I}").text == "I"


def test_a_long_block_is_normalised_in_linear_time():
    import time

    started = time.perf_counter()
    normalise("x" * 19_000 + "²" * 500 + "{}" * 200)
    normalise("\\alpha" + "x" * 19_000, macros(Macro("Q", 0, "q")))
    assert time.perf_counter() - started < 2
