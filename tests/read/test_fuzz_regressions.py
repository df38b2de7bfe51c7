"""Inputs bench/fuzz.py found that crashed derive check or broke the one-line error rule: each
must now be bad input (exit 2) with exactly one line 'derive: FILE:LINE:COL: message'."""

from __future__ import annotations

import re

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
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert re.match(rf"derive: {re.escape(path)}:(cell \d+:)?\d+:\d+: \S", lines[0]), lines[0]
    return lines[0]


@pytest.mark.parametrize("line", ["temperature:,,", "classes: ,", "loss: , = y_k", "examples: ,", "scalars:"])
def test_a_header_key_with_no_name_is_bad_input(tmp_path, line):
    # Was IndexError: every reader of these keys takes the first name of the list.
    error = one_placed_error(tmp_path, "h.md", f"<!-- derive\n{line}\n-->\n$$ s_i = s_i $$\n")
    assert f"h.md:2:1: {line.split(':')[0]}: no name given" in error
