"""Time derive against the floor `python -c "import sympy, click, rich"`, in the same run, as
medians of several runs each, and measure the memory of the whole process tree.

    python bench/speed.py [--runs 5] [--large]

Every command runs as a fresh process (`python -m derive ...`), as a user would start it.
- cold: `--no-cache`, so every step is checked;
- warm: the same command again with the cache of an earlier run (a folder of this script's
  own, never the user's cache);
- `derive check` on generated files of 10 and 100 distinct true steps (bench/generated.py),
  and of 1,000 with `--large`, cold and warm, and warm with one new step added (the others
  read from the verdict cache);
- per-witness medians: the seconds each witness took on the 100-step file, from the
  verdicts' own timings (in this process, so without start-up);
- peak memory: the largest sum of the resident sets of derive and all its workers at one
  moment, sampled every 10 ms from /proc (Linux).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generated import derivation_text  # noqa: E402

FLOOR = [sys.executable, "-c", "import sympy, click, rich"]
DERIVE = [sys.executable, "-m", "derive"]


def _tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and every process descended from it, now."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total


def run(argv: list[str], env: dict, watch: bool = False) -> tuple[float, int, int]:
    """(seconds, exit status, peak bytes of the process tree, or 0 when not watched)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    peak = 0
    if watch:
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_rss(process.pid))
                time.sleep(0.01)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
    code = process.wait()
    took = time.perf_counter() - start
    if watch:
        done.set()
        sampler.join()
    return took, code, peak


def medians(commands: dict[str, tuple[list[str], dict]], runs: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (argv, env) in commands.items():  # interleaved, so that drift hits all alike
            took, code, _ = run(argv, env)
            if code not in (0, 1):
                raise SystemExit(f"{name}: exit status {code}")
            samples[name].append(took)
    return {name: statistics.median(values) for name, values in samples.items()}


def witness_medians(path: Path) -> dict[str, float]:
    from derive.core import check_derivation
    from derive.read.derivation import read_derivation

    derivation, _ = read_derivation(str(path))
    checked = check_derivation(derivation)
    per: dict[str, list[float]] = {}
    for verdict in checked.verdicts:
        for name, seconds in verdict.timings:
            per.setdefault(name, []).append(seconds)
        per.setdefault("whole step (in its worker)", []).append(verdict.seconds)
    return {name: statistics.median(values) for name, values in per.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large", action="store_true", help="also 1,000 steps (a few minutes)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="derive-speed-"))
    cold_env = {**os.environ, "DERIVE_CACHE_DIR": str(work / "unused")}
    warm_env = {**os.environ, "DERIVE_CACHE_DIR": str(work / "cache")}
    sizes = [10, 100] + ([1000] if args.large else [])
    files = {}
    for size in sizes:
        files[size] = work / f"steps-{size}.md"
        files[size].write_text(derivation_text(size), encoding="utf-8")

    commands: dict[str, tuple[list[str], dict]] = {"floor (import sympy, click, rich)": (FLOOR, cold_env)}
    for name in ("softmax-jacobian", "ce-grad"):
        commands[f"derive {name}, cold"] = (DERIVE + [name, "--no-cache"], cold_env)
        commands[f"derive {name}, warm"] = (DERIVE + [name], warm_env)
    commands["derive list"] = (DERIVE + ["list"], cold_env)
    for size in sizes[:2]:
        commands[f"check {size} steps, cold"] = (DERIVE + ["check", str(files[size]), "--no-cache"], cold_env)
        commands[f"check {size} steps, warm"] = (DERIVE + ["check", str(files[size])], warm_env)
    for argv, env in commands.values():  # once each: warms the disk cache and fills derive's
        if env is warm_env:
            run(argv, env)

    results = medians(commands, args.runs)
    floor = results["floor (import sympy, click, rich)"]
    print(f"{'command':36s} {'median s':>9s} {'× floor':>8s}   ({args.runs} runs each)")
    for name, value in results.items():
        print(f"{name:36s} {value:9.2f} {value / floor:8.2f}")

    # A file seen before, with one step added: only that step is checked, the rest read back.
    edited = []
    for number in range(args.runs):
        path = work / f"steps-100-edited-{number}.md"
        extra = f"\n## One more step\n\n$$\n{number + 11} s_i + s_j = s_j + {number + 11} s_i\n$$\n"
        path.write_text(files[100].read_text(encoding="utf-8") + extra, encoding="utf-8")
        edited.append(run(DERIVE + ["check", str(path)], warm_env)[0])
    edited_median = statistics.median(edited)
    print(f"{'check 100 steps + 1 new, warm':36s} {edited_median:9.2f} {edited_median / floor:8.2f}")

    if args.large:
        cold, _, peak_large = run(DERIVE + ["check", str(files[1000]), "--no-cache"], cold_env, watch=True)
        run(DERIVE + ["check", str(files[1000])], warm_env)
        warm = min(run(DERIVE + ["check", str(files[1000])], warm_env)[0] for _ in range(3))
        print(f"{'check 1000 steps, cold (one run)':36s} {cold:9.2f} {cold / floor:8.2f}")
        print(f"{'check 1000 steps, warm (best of 3)':36s} {warm:9.2f} {warm / floor:8.2f}")
    growth = [f"{size}: {results[f'check {size} steps, cold']:.1f} s" for size in sizes[:2]]
    if args.large:
        growth.append(f"1000: {cold:.1f} s")
    print("cold check time by steps: " + ", ".join(growth))

    print("\nper-witness medians on the 100-step file (seconds, inside the worker):")
    for name, value in witness_medians(files[100]).items():
        print(f"  {name:28s} {value:.3f}")

    peaks = {
        "derive ce-grad, cold": run(DERIVE + ["ce-grad", "--no-cache"], cold_env, watch=True)[2],
        "check 100 steps, cold": run(DERIVE + ["check", str(files[100]), "--no-cache"], cold_env, watch=True)[2],
    }
    if args.large:
        peaks["check 1000 steps, cold"] = peak_large
    print("\npeak memory of the whole process tree (derive and its workers, sampled every 10 ms):")
    for name, peak in peaks.items():
        print(f"  {name:28s} {peak / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
