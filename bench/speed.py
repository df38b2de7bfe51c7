"""Time the built-in commands against the floor `python -c "import sympy, click, rich"`,
in the same run, as medians of several runs each. Run: python bench/speed.py [--runs 5]

Each command runs as a fresh process (`python -m derive NAME`), as a user would start it;
peak memory is the largest resident set of the process and its workers (ru_maxrss of the
children, in MB)."""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    floor_cmd = [sys.executable, "-c", "import sympy, click, rich"]
    commands = {
        "floor (import sympy, click, rich)": floor_cmd,
        "derive softmax-jacobian": [sys.executable, "-m", "derive", "softmax-jacobian"],
        "derive ce-grad": [sys.executable, "-m", "derive", "ce-grad"],
        "derive list": [sys.executable, "-m", "derive", "list"],
    }
    medians = {}
    for _ in range(1):  # warm the file cache once
        for argv in commands.values():
            timed(argv)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, argv in commands.items():  # interleaved, so that drift hits all alike
            samples[name].append(timed(argv))
    for name, values in samples.items():
        medians[name] = statistics.median(values)
    floor = medians["floor (import sympy, click, rich)"]
    print(f"{'command':36s} {'median s':>9s} {'× floor':>8s}")
    for name, value in medians.items():
        print(f"{name:36s} {value:9.2f} {value / floor:8.2f}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"largest resident set of any child process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
