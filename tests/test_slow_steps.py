"""Steps built to be slow end within the per-step time limit: the worker is killed and the
step is 'undecided' (exit 1), or the reader refuses the input at once (exit 2); never a hang
or a traceback."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from derive.cli import cli

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 2.0
# Reading, rendering and the fork around the one killed step; generous, since CI machines are
# shared, yet far below what the steps below take without the limit (minutes or more).
ALLOWANCE = 8.0

EIGHT_SUMS = "".join(f"\\sum_{{{a}=1}}^{{K}} " for a in "abcdefgh")
PRODUCT = " ".join(f"s_{a}" for a in "abcdefgh")
ZPRODUCT = " ".join(f"z_{a}" for a in "abcdefgh")

UNDECIDED = {
    # Sums nested eight deep: unrolled at K = 5 that is 5^8 terms.
    "nested-sums": f"$$\n{EIGHT_SUMS}{PRODUCT} = 1\n$$\n",
    "nested-sums-squared": f"$$\n\\left({EIGHT_SUMS}{ZPRODUCT}\\right)^{{2}} = \\left(\\sum_{{k=1}}^{{K}} z_k\\right)^{{16}}\n$$\n",
}

QUICK_EITHER_WAY = {
    # A huge power the kernel settles without expanding it, and one no number can hold.
    "huge-power": "$$\ns_i^{1000000} = s_i^{999999} s_i\n$$\n",
    "tower": "$$\ns_i^{2^{2^{40}}} = s_i\n$$\n",
    "power-of-a-sum": "$$\n\\left(\\sum_{k=1}^{K} s_k\\right)^{2000} = 1\n$$\n",
}


def run_in_process(tmp_path, name: str, text: str):
    path = tmp_path / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    start = time.monotonic()
    result = CliRunner().invoke(cli, ["check", str(path), "--time-limit", str(LIMIT)])
    seconds = time.monotonic() - start
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result, seconds


@pytest.mark.parametrize("name", sorted(UNDECIDED))
def test_a_slow_step_is_undecided_within_the_limit(tmp_path, name):
    result, seconds = run_in_process(tmp_path, name, UNDECIDED[name])
    assert result.exit_code == 1, result.output
    assert "1 undecided" in result.stdout
    assert f"no decision within {LIMIT:g} s" in result.stdout
    assert seconds < LIMIT + ALLOWANCE


@pytest.mark.parametrize("name", sorted(QUICK_EITHER_WAY))
def test_a_huge_power_ends_within_the_limit(tmp_path, name):
    result, seconds = run_in_process(tmp_path, name, QUICK_EITHER_WAY[name])
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 2:
        errors = [line for line in result.stderr.splitlines() if "no step to check" not in line]
        assert len(errors) == 1 and f"{name}.md:2:" in errors[0], result.stderr
    assert seconds < LIMIT + ALLOWANCE


def test_the_command_with_its_start_up_ends_within_the_limit(tmp_path):
    path = tmp_path / "slow.md"
    path.write_text(UNDECIDED["nested-sums"], encoding="utf-8")
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "derive", "check", str(path), "--time-limit", str(LIMIT)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    seconds = time.monotonic() - start
    assert done.returncode == 1, done.stdout + done.stderr
    assert "undecided" in done.stdout and "Traceback" not in done.stderr
    assert seconds < LIMIT + ALLOWANCE


def test_ctrl_c_with_a_worker_idle_and_one_busy_is_one_line_and_exit_130(tmp_path):
    import os
    import signal

    path = tmp_path / "interrupted.md"
    quick = "$$\n\\frac{\\partial s_i}{\\partial z_j} = s_i (\\delta_{ij} - s_j)\n$$\n"
    path.write_text("<!-- derive\nsoftmax: s of z\n-->\n\n" + UNDECIDED["nested-sums"] + "\n" + quick, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "derive", "check", str(path), "--time-limit", "60", "--no-cache"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches it
    )
    time.sleep(6)  # started, the quick step done: one worker idle, one busy on the sums
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in stderr
    assert stderr.strip() == "derive: interrupted"  # (Click puts a newline first, ending the ^C)
