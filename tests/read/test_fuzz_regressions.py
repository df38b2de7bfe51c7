"""Inputs bench/fuzz.py found that crashed derive check, broke the one-line error rule or let a
chain run across a heading: each is now bad input (exit 2) with exactly one line
'derive: FILE:LINE:COL: message', or a verdict. A shape still failing would be a strict xfail
here, and in bench/fuzzing.py's KNOWN_BUGS."""

from __future__ import annotations

import re
import warnings

import pytest
from click.testing import CliRunner

from derive.cli import cli


def check(tmp_path, name: str, data: bytes | str):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
    result = CliRunner().invoke(cli, ["check", str(path), "--time-limit", "5"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result, str(path)


def one_placed_error(tmp_path, name: str, data: bytes | str) -> str:
    result, path = check(tmp_path, name, data)
    assert result.exit_code == 2, result.output
    # the error, and (when it was the only display) the line saying nothing was checked
    lines = [line for line in result.stderr.splitlines() if "no step to check" not in line]
    assert len(lines) == 1, result.stderr
    assert re.match(rf"derive: {re.escape(path)}:(cell \d+:)?\d+:\d+: \S", lines[0]), lines[0]
    return lines[0]


@pytest.mark.parametrize("line", ["temperature:,,", "classes: ,", "examples: ,", "scalars:"])
def test_a_header_key_with_no_name_is_bad_input(tmp_path, line):
    # Was IndexError: every reader of these keys takes the first name of the list.
    error = one_placed_error(tmp_path, "h.md", f"<!-- derive\n{line}\n-->\n$$ s_i = s_i $$\n")
    assert f"h.md:2:1: {line.split(':')[0]}: no name given" in error


def test_a_loss_with_no_name_is_listed_as_not_read(tmp_path):
    # A loss line that does not read no longer stops the file: it is listed, exit 2.
    result, path = check(tmp_path, "h.md", "<!-- derive\nloss: , = y_k\n-->\n$$ s_i = s_i $$\n")
    assert result.exit_code == 2 and "h.md:2:1: loss: no name given" in result.output, result.output


def test_a_notebook_without_cell_ids_gives_no_warning_on_stderr(tmp_path):
    # nbformat's MissingIDFieldWarning came out as two lines of stderr around the verdicts.
    import json

    notebook = {
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": ["$$\n", "s_i = s_i\n", "$$\n"]}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    with warnings.catch_warnings(record=True) as caught:  # pytest would otherwise keep them off stderr
        warnings.simplefilter("always")
        result, _ = check(tmp_path, "n.ipynb", json.dumps(notebook))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert [str(w.message) for w in caught] == []


@pytest.mark.parametrize("source", [42, None, [1, 2], {"a": 1}, ["$$", 3]])
def test_a_notebook_cell_whose_source_is_not_text_is_bad_input(tmp_path, source):
    # Was TypeError: can only join an iterable (nbformat accepts any JSON value as the source).
    import json

    notebook = {
        "cells": [{"cell_type": "markdown", "id": "a", "metadata": {}, "source": source}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    error = one_placed_error(tmp_path, "n.ipynb", json.dumps(notebook))
    # nbformat itself joins a list of lines, and refuses some shapes before derive sees them.
    assert "n.ipynb:cell 1:1:1: the cell's source is not text" in error or "not a readable notebook" in error


@pytest.mark.parametrize(
    "block, where",
    [
        ("\\begin{bmatrix} a ) \\end{bmatrix} = 1", "'\\begin{bmatrix}' at 2:1 is not closed"),
        ("s_i = \\begin{cases} s_i & i = j } \\end{cases}", "'\\begin{cases}' at 2:7 is not closed"),
    ],
)
def test_a_closing_bracket_inside_an_environment_is_bad_input(tmp_path, block, where):
    # Was KeyError: 'env:matrix' while naming what the stray bracket leaves open.
    error = one_placed_error(tmp_path, "m.md", f"$$\n{block}\n$$\n")
    assert where in error


# Found by the crash shapes of bench/fuzzing.py (red_team_case): both were exit 3, engine errors.


def a_verdict_or_bad_input(tmp_path, name: str, data: str) -> None:
    """Exit 1 (the step fails or is undecided) or exit 2 (one placed line), never an engine error."""
    result, path = check(tmp_path, name, data)
    assert result.exit_code in (1, 2), (result.exit_code, result.stderr)
    assert "engine error" not in result.stderr, result.stderr
    if result.exit_code == 2:
        lines = [line for line in result.stderr.splitlines() if "no step to check" not in line]
        assert len(lines) == 1 and re.match(rf"derive: {re.escape(path)}:\d+:\d+: \S", lines[0]), result.stderr


def test_a_step_with_a_tiny_term_is_a_verdict(tmp_path):
    # Was exit 3, "engine error: FILE:1:28: the referee does not confirm the difference found at K = 1":
    # e^{-100000} s_i is not 0, the step is false, but the witnesses disagreed.
    a_verdict_or_bad_input(tmp_path, "tiny.md", "$$ e^{-10^{5}} s_i + s_i = s_i $$\n")


def test_a_pole_at_the_only_point_a_condition_allows_is_a_verdict(tmp_path):
    # Was exit 3, "engine error: FILE:6:18: at K = 1 the sides differ as functions but at none of the
    # points tried": 0 <= p <= 0 leaves p = 0 alone, where 1/p is a pole.
    a_verdict_or_bad_input(
        tmp_path,
        "p0.md",
        "<!-- derive\nscalars: p\n-->\n\n<!-- derive: cites 0 \\le p \\le 0 -->\n$$ \\frac{1}{p} = 1 $$\n",
    )


SETEXT = (
    "<!-- derive: case i \\neq j -->\n$$\n\\frac{\\partial s_i}{\\partial z_j} = -s_i s_j\n$$\n\n"
    "The case i = j\n--------------\n\n$$\n= -s_i s_j\n$$\n\n$$\n\\frac{\\partial s_i}{\\partial z_j} = -s_i s_j\n$$\n"
)


def test_a_setext_heading_ends_the_case_and_the_chain(tmp_path):
    # Seen with bench/fuzzing.py's chain_case before 385bd37: a Setext heading was not a heading,
    # so the case before it held after it (line 14, false for i = j, held under i != j) and the
    # block at line 9 continued the chain across it. Now as with '## The case i = j'.
    result, path = check(tmp_path, "setext.md", SETEXT)
    assert f"not read {path}:9:3: continues a chain across a heading" in result.output, result.output
    assert result.exit_code == 1 and result.output.count("✗ fails") == 1, result.output
