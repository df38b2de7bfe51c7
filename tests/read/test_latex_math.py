"""The LaTeX reader: every construct it promises, the seeds people really wrote, and errors
with positions. Expressions are compared with SymPy's structural ==."""

import re
from pathlib import Path

import pytest
import sympy as sp

from derive.core import (
    Indicator,
    Partial,
    Sigmoid,
    SumExcept,
    check,
    different,
    index,
    indices,
    same,
    scalar,
    sigmoid,
    softmax_notation,
    sums_to_one,
)
from derive.read.latex_math import Letters, MathSyntaxError, read_block, read_expression

NT = softmax_notation()
BATCH = softmax_notation(examples="N")
s, z, y = NT.softmax, NT.logits, NT.labels
K, N = NT.classes, BATCH.examples
L = sp.Symbol("L")
i, j, k, ell, n, o = indices("i j k l n o")
x = scalar("x")
SEEDS = Path("/work/shared/seeds")


def letters(notation=NT, **changes):
    fields = dict(
        notation=notation,
        families={"s": s, "z": z, "y": y, r"\hat{y}": s, "o": s, "v": z},
        aliases={(r"\sigma", "v"): s},
        class_counts=frozenset({"K", "k", "C", "c", "n"}),
        example_counts=frozenset({"N"}),
        defined={"L": L, r"\mathcal{L}": L},
        scalars={"x": x},
    )
    fields.update(changes)
    return Letters(**fields)


LT = letters()
LB = letters(BATCH)


def read(text, lt=LT):
    return read_expression(text, lt)


def chain(text, lt=LT):
    return [[link.expr if link else None for link in st.links] for st in read_block(text, lt)]


def S(body, bound=k):
    return sp.Sum(body, (bound, 1, K))


# -- fractions and derivatives -----------------------------------------------------------------


def test_frac():
    assert read(r"\frac{y_i}{s_i}") == y[i] / s[i]


def test_partial_fraction():
    assert read(r"\frac{\partial s_i}{\partial z_j}") == Partial(s[i], z[j])


def test_partial_of_loss_by_hat_y():
    assert read(r"\frac{\partial L}{\partial \hat{y}_o}") == Partial(L, s[o])


def test_partial_of_mathcal_loss():
    assert read(r"\frac{\partial \mathcal{L}}{\partial z_j}") == Partial(L, z[j])


@pytest.mark.parametrize(
    "text",
    [
        r"\frac{\partial}{\partial z_j}\left( \log s_i \right)",
        r"\frac{\partial}{\partial z_j}[\log s_i]",
        r"\frac{\partial}{\partial z_j} (\log(s_i))",
        r"\frac{\partial}{\partial z_j} \left[ \log\left(s_i\right) \right]",
    ],
)
def test_partial_operator_applies_to_the_group(text):
    assert read(text) == Partial(sp.log(s[i]), z[j])


def test_partial_operator_binds_only_its_group():
    got = read(r"\frac{\partial}{\partial s_i} \left(- \sum_{i=1}^c y_i \log(s_i) \right) * s_i")
    assert got == Partial(-S(y[i] * sp.log(s[i]), i), s[i]) * s[i]


def test_partial_operator_before_a_sum():
    assert read(r"\frac{\partial}{\partial z_j} \sum_{l=1}^n e^{z_l}") == Partial(S(sp.exp(z[ell]), ell), z[j])


def test_partial_by_a_scalar():
    assert read(r"\frac{\partial}{\partial x} \sigma(x)", letters(aliases={})) == Partial(sigmoid(x), x)


# -- sums ---------------------------------------------------------------------------------------


def test_sum_with_limits():
    assert read(r"\sum_{k=1}^{K} e^{z_k}") == S(sp.exp(z[k]))


def test_sum_over_all_classes():
    assert read(r"\sum_k e^{z_k}") == S(sp.exp(z[k]))


@pytest.mark.parametrize("bound", ["j", "o"])
def test_sum_except(bound):
    b = index(bound)
    assert read(rf"\sum_{{{bound} \neq i}} y_{bound}") == SumExcept(y[b], b, K, i)


def test_sum_in_examples_and_classes():
    got = read(r"\sum_{n \in N} \sum_{i \in C} y_{n,i}", LB)
    assert got == sp.Sum(sp.Sum(y[n, i], (i, 1, K)), (n, 1, N))


@pytest.mark.parametrize(
    "text, bound",
    [(r"\sum_j^C y_j", "j"), (r"\sum_{i=1}^c y_i", "i"), (r"\sum_{j=1}^{k} y_j", "j"), (r"\sum_{l=1}^n y_l", "l")],
)
def test_sum_upper_letters_are_class_counts(text, bound):
    b = index(bound)
    assert read(text) == S(y[b], b)


def test_sum_upper_example_count():
    assert read(r"\sum_{m=1}^{N} y_{m,i}", LB) == sp.Sum(y[index("m"), i], (index("m"), 1, N))


def test_sum_without_range_over_examples_when_first_of_two_indices():
    assert read(r"\sum_n y_{n,i}", LB) == sp.Sum(y[n, i], (n, 1, N))


def test_sum_body_is_the_signed_product_term():
    got = read(r"\sum_{j \neq i} -\frac{y_j}{o_j} (-o_io_j)")
    assert got == SumExcept((-y[j] / s[j]) * (-s[i] * s[j]), j, K, i)


def test_sum_body_ends_at_plus_or_minus():
    assert read(r"\sum_k y_k - y_i") == S(y[k]) - y[i]
    assert read(r"s_j \sum_{i=1}^C y_i - \sum_{i=1}^C y_i") == s[j] * S(y[i], i) - S(y[i], i)


def test_parentheses_extend_the_sum_body():
    assert read(r"\sum_k (y_k + s_k)") == S(y[k] + s[k])


def test_bound_index_shares_name_with_free_one():
    got = read(r"e^{v_j} \sum_{j=1}^{k} e^{v_j}")
    assert got == sp.exp(z[j]) * sp.Sum(sp.exp(z[j]), (j, 1, K))


# -- exponentials and logarithms ---------------------------------------------------------------------


def test_e_power_is_exp():
    assert read(r"e^{z_i}") == sp.exp(z[i])
    assert read(r"e^x") == sp.exp(x)


def test_exp_command():
    assert read(r"\exp(z_i - z_j)") == sp.exp(z[i] - z[j])


@pytest.mark.parametrize(
    "text",
    [r"\log(s_i)", r"\log{s_i}", r"\log\left( s_i \right)", r"\log s_i", r"\ln s_i", r"\ln{\hat{y}_{i}}"],
)
def test_logarithms(text):
    assert read(text) == sp.log(s[i])


def test_log_of_a_bare_atom_takes_one_factor():
    assert read(r"\log s_i y_i") == sp.log(s[i]) * y[i]


# -- subscripts and products -------------------------------------------------------------------------


def test_one_and_two_indices():
    assert read("z_i") == z[i]
    assert read(r"s_1") == s[1]
    for text in (r"z_{n,i}", r"z_{n i}", r"z_{ni}"):
        assert read(text, LB) == z[n, i]


def test_unbraced_subscript_takes_one_character():
    assert read("o_io_j") == s[i] * s[j]
    assert read("s_is_j") == s[i] * s[j]
    assert read("s_12") == 2 * s[1]


def test_implicit_and_explicit_multiplication():
    assert read("2x") == 2 * x
    assert read("s_i(y_i+s_j)") == s[i] * (y[i] + s[j])
    assert read(r"s_i s_j") == s[i] * s[j]
    for op in (r"\cdot", r"\times", "*"):
        assert read(rf"s_i {op} s_j") == s[i] * s[j]
    assert read("1/N", LB) == 1 / N


def test_decorations_greek_and_defined():
    assert read(r"\hat{y}_o") == s[o]
    assert read(r"\hat y_o") == s[o]
    assert read(r"\mathcal{L}") == L
    eps = scalar("epsilon")
    assert read(r"(1 - \epsilon) y_k", letters(scalars={r"\epsilon": eps})) == (1 - eps) * y[k]


def test_alias():
    assert read(r"\sigma_{v_j}") == s[j]


def test_kronecker_delta():
    assert read(r"\delta_{ij}") == sp.KroneckerDelta(i, j)


@pytest.mark.parametrize("text", [r"1_{\{i=j\}}", r"1(i=j)", r"\mathbb{1}\{i=j\}", r"\mathbb{1}_{i=j}", "1_{i=j}"])
def test_indicator(text):
    assert read(text) == Indicator(i, j)


def test_indicator_of_inequality():
    assert read(r"1(i \neq j)") == 1 - Indicator(i, j)


def test_cases():
    text = r"\begin{cases} 1 & \text{if } i=j \\ 0 & \text{otherwise} \end{cases}"
    assert read(text) == sp.KroneckerDelta(i, j)
    text = r"\begin{cases} s_i(1-s_i) & i = j \\ -s_is_j & i \neq j \end{cases}"
    d = sp.KroneckerDelta(i, j)
    assert read(text) == s[i] * (1 - s[i]) * d - s[i] * s[j] * (1 - d)


def test_cases_must_cover_every_index():
    with pytest.raises(MathSyntaxError, match="cover"):
        read(r"\begin{cases} 1 & i=j \end{cases}")


@pytest.mark.parametrize("env", ["pmatrix", "bmatrix"])
def test_matrix(env):
    got = read(rf"\begin{{{env}}} s_1 \cdot (1 - s_1) & -s_1 \cdot s_2 \\ -s_2 \cdot s_1 & s_2(1-s_2) \end{{{env}}}")
    assert got == sp.ImmutableMatrix([[s[1] * (1 - s[1]), -s[1] * s[2]], [-s[2] * s[1], s[2] * (1 - s[2])]])


def test_powers():
    assert read("s_i^2") == s[i] ** 2
    assert read(r"(\sum_k e^{z_k})^{-2}") == S(sp.exp(z[k])) ** -2
    assert read(r"\sigma_{v_j}^2") == s[j] ** 2
    assert read("x^{-1}") == 1 / x
    assert read(r"\left(\frac{1}{s_i}\right)^2") == s[i] ** -2


def test_ignored_markup():
    text = r"\boxed{\cancel{s_i}} \quad \qquad \, \; \! \tag{3} \left. s_j \right. \text{by (2)}"
    assert read(text) == s[i] * s[j]
    # text between the factors of an expression may change what the page shows: refused
    with pytest.raises(MathSyntaxError, match="inside an equation"):
        read(r"s_i \text{ times } s_j")
    assert read(r"\big( s_i \big) \Big[ s_j \Big]") == s[i] * s[j]


def test_sigmoid_of_a_scalar():
    assert read(r"\sigma(x)", letters(aliases={})) == sigmoid(x)
    assert isinstance(read(r"\sigma(x)(1 - \sigma(x))", letters(aliases={})).args[0], (Sigmoid, sp.Add))


def test_sigmoid_is_not_read_when_sigma_is_an_alias():
    with pytest.raises(MathSyntaxError, match="unknown symbol"):
        read(r"\sigma(x)")


def test_decimals_are_refused():
    with pytest.raises(MathSyntaxError, match="write exact numbers") as error:
        read("0.5 s_i")
    assert (error.value.line, error.value.column) == (1, 1)


# -- chains, statements, comments -------------------------------------------------------------------


def test_chain_with_alignment_and_line_breaks():
    text = "\\frac{\\partial s_i}{\\partial z_j} &= -s_i s_j \\\\\n  &= -s_j s_i % symmetric\n"
    (statement,) = read_block(text, LT)
    first, second, third = statement.links
    assert [first.expr, second.expr, third.expr] == [Partial(s[i], z[j]), -s[i] * s[j], -s[i] * s[j]]
    assert (first.line, first.column, first.comment) == (1, 1, None)
    assert (third.line, third.column, third.comment) == (2, 6, "symmetric")


def test_statement_starting_with_equals_continues():
    assert chain("= s_i - y_i") == [[None, s[i] - y[i]]]


def test_implies_separates_statements():
    text = r"\log s_i = z_i - \log \sum_k e^{z_k} \Rightarrow s_i = e^{z_i} \implies y_i = y_i"
    got = chain(text)
    assert len(got) == 3 and got[1] == [s[i], sp.exp(z[i])]


@pytest.mark.parametrize("word", ["therefore", "because", "iff", "Leftrightarrow", "Leftarrow"])
def test_therefore_because_and_iff_separate_statements(word):
    # s_i = s_i \therefore y_i = s_i: two statements, never one chain s_i = s_i = y_i = s_i
    got = chain(f"s_i = z_i \\{word} y_i = s_i")
    assert got == [[s[i], z[i]], [y[i], s[i]]]
    assert chain(f"\\{word} y_i = s_i") == [[y[i], s[i]]]


def test_an_arrow_typed_as_text_separates_statements():
    # "f(x) = 3x^4 + 2x^{2} -> f'(x) = 12x^3 + 4x" (corpus file 43)
    assert chain("s_i = z_i -> y_i = s_i") == [[s[i], z[i]], [y[i], s[i]]]
    assert chain("s_i = z_i => y_i = s_i") == [[s[i], z[i]], [y[i], s[i]]]
    assert chain("s_i = z_i - y_i") == [[s[i], z[i] - y[i]]]  # a minus stays a minus


def test_a_comma_before_words_that_separate_two_equations_separates_nothing():
    # "\sigma(z) = ..., \text{and}\ \frac{\partial \sigma(z)}{\partial z} = z(1 - z)" (corpus file 42)
    assert chain(r"s_i = z_i, \text{and}\ y_i = s_i") == [[s[i], z[i]], [y[i], s[i]]]
    assert chain(r"s_i = z_i, \text{ so } y_i = s_i") == [[s[i], z[i]], [y[i], s[i]]]
    # inside parentheses a comma separates arguments: not dropped
    with pytest.raises(MathSyntaxError):
        chain(r"s_i = (z_i, \text{and} y_i)")


def test_a_comma_between_two_equations_separates_them():
    # "$g_i = e^{a_i}, h_i = \sum_k e^{a_k} = \Sigma$" (corpus file 04)
    assert chain(r"s_i = z_i, y_i = s_i") == [[s[i], z[i]], [y[i], s[i]]]
    assert chain(r"s_i = z_i, y_i = s_i = s_i") == [[s[i], z[i]], [y[i], s[i], s[i]]]
    # a comma before anything that is no equation separates nothing: still not read
    for text in (r"s_i = z_i, y_i", r"s_i = z_i, y_i + s_i"):
        with pytest.raises(MathSyntaxError):
            chain(text)
    # inside braces and parentheses a comma is the author's: z_{i,j}, f(x, y) are read as before
    with pytest.raises(MathSyntaxError):
        chain(r"s_i = (z_i, y_i = s_i)")


def test_aligned_environment_is_transparent():
    text = r"\begin{aligned} s_i &= s_i \\ &= s_i \end{aligned}"
    assert chain(text) == [[s[i], s[i], s[i]]]


def test_comment_of_a_link_that_spans_lines():
    text = "s_i = \\frac{e^{z_i}}\n{\\sum_k e^{z_k}} % definition"
    (statement,) = read_block(text, LT)
    assert statement.links[1].comment == "definition"
    assert statement.links[0].comment is None


# -- errors -------------------------------------------------------------------------------------------


def error_of(text, lt=LT):
    with pytest.raises(MathSyntaxError) as caught:
        read_block(text, lt)
    e = caught.value
    assert "\n" not in str(e)
    return e.line, e.column, e.message


def test_missing_expression():
    assert error_of(r"\frac{s_i}{}") == (1, 12, "unexpected '}' (expected an expression)")


def test_unbalanced_braces():
    line, column, message = error_of("s_i = \\frac{s_i}{y_i\n")
    assert (line, column) == (1, 17) and "never closed" in message and "braces" in message
    assert error_of("s_i }") == (1, 5, "unexpected '}' (unbalanced braces)")


def test_unknown_command():
    assert error_of("s_i = \\foo{s_i}") == (1, 7, "unknown command \\foo")


def test_unknown_symbol():
    line, column, message = error_of("s_i =\n 2 q_i")
    assert (line, column) == (2, 4)
    assert message.startswith("unknown symbol q (declared: s, z, y, \\hat{y}, o, v, L, \\mathcal{L}")


def test_three_indices():
    assert error_of("z_{n,i,j}", LB)[2] == "z has 3 indices; at most 2 (z_{n,i})"


def test_wrong_number_of_indices():
    assert error_of("z_{i}", LB)[2] == "z takes 2 indices (z_{n,i})"


def test_too_long():
    assert error_of("s_i+" * 6000)[:2] == (1, 1)


def test_hostile_nesting_is_refused_not_a_crash():
    assert "nested too deeply" in error_of("(" * 500 + "s_i" + ")" * 500)[2]
    assert "nested too deeply" in error_of(r"\sum_k " * 400 + "y_k")[2]
    assert "too large" in error_of("((2^{64})^{64})^{64}")[2]


def test_unexpected_end():
    assert error_of("s_i = ")[2] == "unexpected end of the math (expected an expression)"


def test_long_flat_sums_are_fine():
    assert read("+".join(["s_1"] * 3000)) == 3000 * s[1]


# -- the seeds -----------------------------------------------------------------------------------------


def seed_blocks():
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text()
        found = re.finditer(r"\$\$(.*?)\$\$|\\begin\{align\*\}(.*?)\\end\{align\*\}", text, re.S)
        for number, match in enumerate(found):
            block = match.group(1) or match.group(2)
            if "=" in block:
                yield path.name[:3], number, block


# (seed, block number) -> (line, column, message start) for blocks that are refused, with why
REFUSED = {
    # \sigma_{o_j}: the author's o is the logits here and the softmax elsewhere; no alias (\sigma, o)
    ("000", 0): (2, 7, r"unknown symbol \sigma_{o_"),
    # z_o = \sum_{j \in input(o)} ... w_{j \rightarrow o}: a neural-network sum, not in the vocabulary
    ("001", 0): (1, 20, "unexpected 'n'"),
    # the batch loss needs N: read with the batch notation below
    ("001", 2): (1, 16, "unknown symbol N"),
    # the Jacobian with \dots is a picture of a matrix, not a claim
    ("002", 0): (1, 93, r"\dots"),
    # J_{softmax}: J is not declared (the matrix itself reads, see test_seed_matrix)
    ("002", 14): (1, 1, "unknown symbol J"),
}


@pytest.mark.parametrize("seed, number, block", list(seed_blocks()), ids=lambda v: str(v)[:12])
def test_seed_block(seed, number, block):
    if (seed, number) in REFUSED:
        line, column, start = REFUSED[seed, number]
        with pytest.raises(MathSyntaxError) as caught:
            read_block(block, LT)
        assert (caught.value.line, caught.value.column) == (line, column)
        assert caught.value.message.startswith(start)
    else:
        statements = read_block(block, LT)
        assert statements and all(len(st.links) >= 2 for st in statements)


def test_every_seed_block_is_accounted_for():
    blocks = list(seed_blocks())
    assert len(blocks) == 50
    assert all(key in {(s_, n_) for s_, n_, _ in blocks} for key in REFUSED)


def test_seed_batch_loss_reads_with_the_batch_notation():
    block = r"L = - \frac{1}{N} \sum_{n \in N} \sum_{i \in C} y_{n,i} \ln{\hat{y}_{n,i}}"
    ((left, right),) = chain(block, LB)
    assert left == L
    assert right == -sp.Sum(sp.Sum(y[n, i] * sp.log(s[n, i]), (i, 1, K)), (n, 1, N)) / N


def test_seed_matrix():
    block = re.search(
        r"J_\{softmax\} = (\\begin\{pmatrix\}.*?\\end\{pmatrix\})", (SEEDS / "002_d1a3c933ae2c4245.txt").read_text()
    )
    matrix = read(block.group(1))
    assert matrix.shape == (4, 4)
    assert matrix[0, 1] == -s[1] * s[2] and matrix[3, 3] == s[4] * (1 - s[4])


# -- parsed seed steps mean what their authors wrote ----------------------------------------------------


def seed_block(seed, contains):
    return next(block for s_, _, block in seed_blocks() if s_ == seed and contains in block)


def test_seed_000_jacobian_case_i_equals_j_is_proved():
    # the author differentiates \sigma_{v_j} by v_i: the roles of i and j are swapped
    (statement,) = read_block(seed_block("000", r"\sigma_{v_j}(1 - \sigma_{v_j})"), LT)
    exprs = [link.expr for link in statement.links]
    assert exprs[0] == Partial(s[j], z[i])
    for before, after in zip(exprs, exprs[1:]):
        assert check(before, after, (same(i, j),), notation=NT).label == "proved for all K"


def test_seed_000_case_i_neq_j_is_proved():
    (statement,) = read_block(seed_block("000", r"- \sigma_{v_j}\sigma_{v_i}"), LT)
    first, *rest = [link.expr for link in statement.links]
    assert check(first, rest[-1], (different(i, j),), notation=NT).label == "proved for all K"


def test_seed_002_log_derivative_and_ce_grad_last_step():
    ((left, right),) = chain(seed_block("002", r"(\log s_i) = 1_{\{i=j\}} - s_j"))
    assert check(left, right, notation=NT).label == "proved for all K"
    # "= s_j \sum_i y_i - \sum_i y_i" then "= s_j - y_j": the author dropped the indicator
    ((_, wrong),) = chain(seed_block("002", r"= s_j \sum_{i=1}^C y_i - \sum_{i=1}^C y_i"))
    verdict = check(wrong, s[j] - y[j], (sums_to_one(y),), notation=NT)
    assert verdict.label == "fails"
