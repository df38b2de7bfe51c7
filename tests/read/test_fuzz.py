"""hypothesis feeds mutated example files and random text to the reader and the CLI: every
run ends with exit 0, 1 or 2, errors are one line with a place, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derive.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [(ROOT / "examples" / name).read_text(encoding="utf-8") for name in ("ce-grad.md", "handwritten-notes.md")]
TOKENS = ["{", "}", "\\frac", "\\sum_", "_", "^", "$$", "$", "=", "\\unknown", "z_{n i}", "ü", "\\\\", "&", "(", "%"]


@st.composite
def mutated(draw):
    text = draw(st.sampled_from(SOURCES))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["delete", "insert", "truncate", "swap"]))
        if kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 5)) :]
        elif kind == "insert":
            text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
        elif kind == "truncate":
            text = text[:at]
        else:
            text = text.replace("_i", "_j", 1) if "_i" in text else text
    return text


def _run(tmp_path, text: str):
    path = tmp_path / "fuzz.md"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--time-limit", "10"])
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output[-500:])
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("derive: ")]
    for line in errors:
        assert re.match(r"derive: .*fuzz\.md(:\d+:\d+)?: ", line), line
    if result.exit_code == 2:
        assert errors, result.output


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(text=mutated())
def test_mutated_examples_never_crash(tmp_path, text):
    _run(tmp_path, text)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(text=st.lists(st.sampled_from(list("$=\\{}_^ab sxyzK12()&%\n") + TOKENS), max_size=60).map("".join))
def test_random_text_never_crashes(tmp_path, text):
    _run(tmp_path, text)
