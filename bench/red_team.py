"""Replay a red team's attempts. Run from the repository root:

    python bench/red_team.py [ROUND ...]     (default: every folder bench/red-team/round-*)

Each folder holds the input files an adversary wrote (given only the README and the code),
and bench/red-team/round-N.md its report: the shape of every attempt and what derive did
then. Every file is checked as a user would (`derive check FILE --no-cache --time-limit 20`,
one process at a time) and must end without a traceback or an engine error (exit 3); the
files whose step is false (FALSE below, from the reports) must not end with exit 0. The
table prints the exit status and the summary line of each file; the exit status of the
script is 1 when any file breaks its rule.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "bench" / "red-team"

# Inputs whose step is false (or refused as bad input) for some value the step allows:
# a verdict "holds" on any of them is a false accept.
FALSE = {
    "round-1": {
        "a01_logK", "a03_expK", "a04_sqrtK2", "a05_kpoly", "a06_tiny", "a07_tinyrational", "a09_poly40",
        "a10_kpoly21", "a11_poly64", "b03_tiny_relative", "b04_tiny_log", "c01b_uncited", "h05_case_heading",
        "i08_delta_number21", "k01_Npoly", "k03_sumN_onefamily", "n02_concrete_K_bound_n", "n04_concrete_Npoly22",
        "r01_mathfence", "r02_parens", "r03_parens", "r21_mbox", "r22_text_dollar", "s05_inv_delta",
        "s15_empty_domain", "s16_empty_domain_log", "l06_two_loss", "x04_bigrational_exp", "x05_hugerational_exp",
        "h01_cite_s_sum", "h02_cite_z_onehot",
    },
    "round-2": {
        "c01_div_si_sj", "c02_div_label_onehot", "c05_div_one_minus_delta", "c06_div_yi_minus_yj",
        "k02_undefined_everywhere", "k03b_undefined_K1", "k04_undefined_labels", "k05_sigmoid_undefined",
        "r07_setext_dollar_case", "r08_atx_indented_case", "r09_section_optarg_case", "r10_section_space_case",
        "r11_renewcommand_sum",
    },
    "round-3": {"c04_window_one", "c06_seven_delta"},
}  # fmt: skip


def replay(folder: Path) -> list[tuple[str, int, str, str]]:
    rows = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".md", ".tex", ".ipynb"):
            continue
        started = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-m", "derive", "check", str(path), "--no-cache", "--time-limit", "20"],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=folder,
        )
        seconds = time.perf_counter() - started
        lines = (run.stdout + run.stderr).strip().splitlines()
        summary = lines[-1] if lines else ""
        problem = ""
        if run.returncode == 3 or "Traceback" in run.stdout + run.stderr:
            problem = "CRASH"
        elif run.returncode == 0 and path.stem in FALSE.get(folder.name, set()):
            problem = "FALSE ACCEPT"
        rows.append((path.name, run.returncode, f"{seconds:.1f}s {summary[:90]}", problem))
    return rows


def main(argv: list[str]) -> int:
    folders = [FOLDER / name for name in argv] if argv else sorted(FOLDER.glob("round-*/"))
    broken = 0
    for folder in folders:
        rows = replay(folder)
        print(f"{folder.name}: {len(rows)} attempts")
        for name, code, summary, problem in rows:
            print(f"  {name:34} exit {code}  {problem or 'ok':12} {summary}")
        bad = [row for row in rows if row[3]]
        broken += len(bad)
        print(f"{folder.name}: {len(rows)} replayed, {len(bad)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
