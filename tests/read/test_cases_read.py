"""A case directive compares two indices; the class or example count is not one."""

import pytest

from derive.read.derivation import read_derivation
from derive.read.source import SourceError


@pytest.mark.parametrize("case", ["i = K", "K \\neq j", "i = N"])
def test_a_case_that_names_a_count_is_bad_input(tmp_path, case):
    path = tmp_path / "case.md"
    path.write_text(
        "<!-- derive\nsoftmax: s of z\nexamples: N\n-->\n\n"
        f"<!-- derive: case {case} -->\n$$\n\\sum_{{k=1}}^{{K}} s_k = 1\n$$\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="is a count, not an index"):
        read_derivation(path)


def test_a_case_between_two_indices_still_reads(tmp_path):
    path = tmp_path / "case.md"
    path.write_text("<!-- derive: case i \\neq j -->\n$$\n\\frac{\\partial s_i}{\\partial z_j} = -s_i s_j\n$$\n")
    derivation, _ = read_derivation(path)
    assert len(derivation.steps) == 1
