"""The third adversary's reading findings that are closed: what the page shows is what is read."""

from click.testing import CliRunner

from derive.cli import cli

HEADER = "<!-- derive\nsoftmax: s of z\n-->\n\n"


def run(tmp_path, text: str):
    path = tmp_path / "doc.md"
    path.write_text(HEADER + text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(path)])
    return result.exit_code, result.output


def test_a_greater_than_sign_inside_quoted_math_is_the_authors(tmp_path):
    # renders as 2 > s_i/2 = s_i: never read as the product 2·s_i/2
    code, output = run(tmp_path, "> $$\n> 2\n> > \\frac{s_i}{2} = s_i\n> $$\n\n$$ s_i = s_i $$\n")
    # '>' is a relation that is not an equality: reported, and the equation after it is checked
    assert code == 1 and "> is not an equality" in output and "✗ fails" in output, output
    assert "s_i/2 = s_i" in output


def test_a_lazy_quote_line_keeps_its_greater_than_sign(tmp_path):
    code, output = run(tmp_path, "> Halving\n$2 > \\frac{s_i + s_j}{2} = s_i + s_j$ holds.\n\n$$ s_j = s_j $$\n")
    assert "> is not an equality" in output and "✗ fails" in output, output
    assert "2 checked, 0 not read, 0 skipped by a directive, 1 not an equality, 1 failed" in output


def test_two_numbers_with_a_space_between_are_refused_not_multiplied(tmp_path):
    code, output = run(tmp_path, "$$ 2 0 s_i = 0 $$\n")
    assert code == 2 and "TeX prints them as one" in output, output


def test_a_script_digit_then_a_number_is_still_a_product(tmp_path):
    code, output = run(tmp_path, "$$ s_i^2 3 = 3 s_i^2 $$\n")
    assert code == 0, output
