"""Every built-in derivation also exists as a hand-written Markdown file in examples/, and
``derive check`` verifies each of those files step by step."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from derive import proofs
from derive.cli import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# Display blocks an example leaves unchecked on purpose, with a skip directive, because the
# notation header cannot express them yet (label-smoothing: the definition of the targets y_k).
DISPLAY_SKIPS = {"label-smoothing": 1}

# Why inline math in prose may be skipped: a mention such as $s_i$ states no step, and prose
# such as $z \in \mathbb{R}^K$ does not read. Any other reason is a display block left unchecked.
INLINE_REASONS = ("inline math that states no step", "does not read: ")

SUMMARY = re.compile(
    r"^(?P<path>.+): (?P<checked>\d+) checked, (?P<unread>\d+) not read, (?P<directive>\d+) skipped by a directive,"
    r" (?P<inequalities>\d+) not an equality, (?P<failed>\d+) failed or undecided$"
)
SKIPPED = re.compile(r"^\s*(?:skipped|not read|not checked) (?P<place>\S+:\d+:\d+): (?P<reason>.*)$")


def test_every_builtin_has_an_example():
    missing = [name for name in proofs.BUILTINS if not (EXAMPLES / f"{name}.md").is_file()]
    assert not missing


@pytest.mark.parametrize("name", sorted(proofs.BUILTINS))
def test_example_checks(name):
    path = str(EXAMPLES / f"{name}.md")
    result = CliRunner().invoke(cli, ["check", path])
    assert result.exit_code == 0, result.output

    lines = result.output.splitlines()
    summaries = [m for m in map(SUMMARY.match, lines) if m]
    assert len(summaries) == 1, result.output
    summary = summaries[0]
    assert summary["path"] == path
    assert int(summary["checked"]) >= 2
    assert summary["failed"] == "0"

    skipped = [m for m in map(SKIPPED.match, lines) if m]
    assert summary["unread"] == "0", result.output  # exit 0 means everything read
    assert len(skipped) >= int(summary["directive"]) + int(summary["inequalities"])
    display = [
        m["place"]
        for m in skipped
        if not m["reason"].startswith(INLINE_REASONS) and not m["reason"].endswith("is not an equality")
    ]
    assert len(display) == DISPLAY_SKIPS.get(name, 0), "\n".join(display)
