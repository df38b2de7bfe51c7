"""Time derive against the floor `python -c "import sympy, click, rich"`, in the same run, as
medians of several runs each, and measure the memory of the whole process tree.

    python bench/speed.py [--runs 5] [--large] [--only-watch]

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
  moment, sampled every 10 ms from /proc (Linux);
- `derive watch` on the 100-step file: the seconds from a save that edits one step to the
  file's summary line, as medians over several edits (each edits another step): in this
  process (derive.watch.Watcher.check: read, check, print; no file event), and end to end
  through the real command and its file events (watchfiles), with the verdicts of the
  first check read from the cache of the warm runs.
"""

from __future__ import annotations

import argparse
import os
import signal
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


def _edit_one_step(text: str, number: int, constant: int) -> str:
    """The generated file with step ``number`` made another true step: ``A = B`` becomes
    ``A + c = B + c``."""
    head, rest = text.split(f"## Step {number}\n", 1)
    start = rest.index("$$\n") + 3
    end = rest.index("\n$$", start)
    left, right = rest[start:end].split(" = ", 1)
    edited = f"{left} + {constant} = {right} + {constant}"
    return f"{head}## Step {number}\n{rest[:start]}{edited}{rest[end:]}"


def _edits(size: int, count: int, first: int) -> list[tuple[int, int]]:
    """(step, constant) for ``count`` edits, each of another step, spread over the file; the
    constants from ``first`` on (each edit a step no cache has seen)."""
    return [(1 + (n * 37) % size, first + n) for n in range(count)]


def watch_in_process(source: Path, work: Path, cache: Path, edits: int) -> list[float]:
    """Seconds of Watcher.check after each one-step edit of a copy of ``source``: read the
    file, check it (one step new to the memo), print what changed (to a buffer)."""
    import io

    from derive.watch import Watcher

    path = work / "watched-in-process.md"
    text = source.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    before = os.environ.get("DERIVE_CACHE_DIR")
    os.environ["DERIVE_CACHE_DIR"] = str(cache)
    try:
        out = io.StringIO()
        watcher = Watcher([str(path)], out, out)
        watcher.check(str(path))
        times = []
        for number, constant in _edits(100, edits, 11):
            text = _edit_one_step(text, number, constant)
            path.write_text(text, encoding="utf-8")
            start = time.perf_counter()
            watcher.check(str(path))
            times.append(time.perf_counter() - start)
            if watcher.checked_afresh != 1 or watcher.status[str(path)] != 0:
                raise SystemExit(f"watch: step {number} edited, {watcher.checked_afresh} re-checked\n{out.getvalue()}")
    finally:
        if before is None:
            del os.environ["DERIVE_CACHE_DIR"]
        else:
            os.environ["DERIVE_CACHE_DIR"] = before
    return times


def watch_end_to_end(source: Path, work: Path, env: dict, edits: int) -> list[float]:
    """Seconds from writing a one-step edit to the summary line of `derive watch` on standard
    output (the file event, reading, checking and printing)."""
    import queue

    path = work / "watched.md"
    text = source.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    process = subprocess.Popen(
        DERIVE + ["watch", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**env, "PYTHONUNBUFFERED": "1"},
        cwd=ROOT,
    )
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for line in iter(process.stdout.readline, ""):
            lines.put((time.perf_counter(), line))

    threading.Thread(target=read, daemon=True).start()

    def until(text: str, seconds: float) -> float:
        deadline = time.perf_counter() + seconds
        while True:
            try:
                when, line = lines.get(timeout=max(0.0, deadline - time.perf_counter()))
            except queue.Empty:
                raise SystemExit(f"derive watch: no line with {text!r} within {seconds:g} s") from None
            if text in line:
                return when

    times = []
    try:
        until("watching 1 file", 300)
        time.sleep(1.0)  # the file watcher starts just after the line
        for number, constant in _edits(100, edits, 1011):  # not the steps checked in process
            text = _edit_one_step(text, number, constant)
            saved = time.perf_counter()
            path.write_text(text, encoding="utf-8")
            until(f"{path}: 100 checked", 60)
            times.append(time.perf_counter() - saved)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large", action="store_true", help="also 1,000 steps (a few minutes)")
    parser.add_argument("--only-watch", action="store_true", help="only the figures of derive watch")
    parser.add_argument("--corpus", action="store_true", help="only the cold check of each corpus file, as written")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="derive-speed-"))
    cold_env = {**os.environ, "DERIVE_CACHE_DIR": str(work / "unused")}
    warm_env = {**os.environ, "DERIVE_CACHE_DIR": str(work / "cache")}
    sizes = [10, 100] + ([1000] if args.large else [])
    files = {}
    for size in sizes:
        files[size] = work / f"steps-{size}.md"
        files[size].write_text(derivation_text(size), encoding="utf-8")

    if args.only_watch:
        _watch_figures(files[100], work, warm_env, args.runs)
        return
    if args.corpus:
        _corpus_figures(cold_env, args.runs)
        return

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

    _watch_figures(files[100], work, warm_env, args.runs)


def _corpus_figures(cold_env: dict, runs: int) -> None:
    """The cold check of every corpus file exactly as its author wrote it (no header: derive
    infers the notation, which proves each softmax definition with the core), against the
    import floor: the median over the files of each file's median."""
    corpus = ROOT / "bench" / "corpus" / "files"
    paths = sorted(
        next(p for p in folder.iterdir() if p.stem == "derivation") for folder in corpus.iterdir() if folder.is_dir()
    )
    commands = {"floor (import sympy, click, rich)": (FLOOR, cold_env)}
    commands.update({path.parent.name: (DERIVE + ["check", str(path), "--no-cache"], cold_env) for path in paths})
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (argv, env) in commands.items():
            samples[name].append(run(argv, env)[0])  # exit 2 (something not read) is a result here
    floor = statistics.median(samples.pop("floor (import sympy, click, rich)"))
    per_file = {name: statistics.median(values) for name, values in samples.items()}
    for name, value in sorted(per_file.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  slowest: {name:52s} {value:6.2f} s  {value / floor:5.2f} × floor")
    middle = statistics.median(per_file.values())
    print(
        f"floor {floor:.2f} s; median cold check of a corpus file as written {middle:.2f} s = {middle / floor:.2f} × floor"
    )


def _watch_figures(source: Path, work: Path, warm_env: dict, runs: int) -> None:
    edits = max(runs, 7)
    # In process first: its first check fills the cache (when the warm runs have not) that the
    # command's first check then reads.
    inside = watch_in_process(source, work, Path(warm_env["DERIVE_CACHE_DIR"]), edits)
    through = watch_end_to_end(source, work, warm_env, edits)
    print(f"\nderive watch, 100-step file, one step edited per save ({edits} edits, each of another step):")
    print(f"  {'re-check in process (median)':36s} {statistics.median(inside):6.2f} s   (max {max(inside):.2f})")
    print(f"  {'save to summary line (median)':36s} {statistics.median(through):6.2f} s   (max {max(through):.2f})")


if __name__ == "__main__":
    main()
