"""Fuzz the file reader and the CLI: hypothesis writes mutated example files, mutated seed
mathematics, broken headers, directives and notebooks, random text, examples with a chain
broken between two blocks (a change of case, a heading, a skipped or unreadable block, the
next block often beginning with '='), and the crash shapes a red team found, and runs
``derive check`` on each in-process. Every run must end with exit 0, 1 or 2, no traceback,
every error one line naming the file and a place, within the time limit plus start-up; a
block that begins with '=' right after a change of case or a block not checked must be
listed as skipped (asserted once the reader does so; the summary says how often it was).
Shapes of known derive bugs (fuzzing.KNOWN_BUGS, xfail tests) are not generated.

Run: python bench/fuzz.py [--examples 10000] [--seed 0] [--time-limit 2] [--allowance 5] [--keep-going] [--cache]

The first failure is shrunk by hypothesis to a small reproducer, saved under
bench/fuzz-failures/ (not committed); --keep-going records every failure unshrunk instead.
Exit status 1 if any run failed.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # derive, from this checkout

_spec = importlib.util.spec_from_file_location("fuzzing", HERE / "fuzzing.py")
fuzzing = importlib.util.module_from_spec(_spec)
sys.modules["fuzzing"] = fuzzing  # dataclasses look their module up by name
_spec.loader.exec_module(fuzzing)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=2.0, help="derive check --time-limit, per step")
    parser.add_argument("--allowance", type=float, default=5.0, help="seconds of start-up, reading and output")
    parser.add_argument("--keep-going", action="store_true", help="record every failure, do not shrink")
    parser.add_argument("--out", type=Path, default=HERE / "fuzz-failures")
    parser.add_argument(
        "--cache",
        action="store_true",
        help="let derive use a cache (of this run's own); by default every run passes --no-cache, so every step "
        "that reads is really checked",
    )
    args = parser.parse_args()

    exits: collections.Counter = collections.Counter()
    kinds: collections.Counter = collections.Counter()
    chains: collections.Counter = collections.Counter()
    failures: list[tuple[fuzzing.Case, fuzzing.Outcome]] = []
    slowest: list = [0.0, None]
    count = [0]
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="derive-fuzz-"))
    # A cache of this run's own: the runs exercise it, and the user's cache stays untouched.
    os.environ["DERIVE_CACHE_DIR"] = str(workdir / "cache")

    @seed(args.seed)
    @settings(
        max_examples=args.examples,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate] if args.keep_going else [Phase.generate, Phase.shrink],
        print_blob=False,
    )
    @given(case=fuzzing.cases())
    def run(case):
        outcome = fuzzing.run_case(
            case, workdir, args.time_limit, args.allowance, () if args.cache else ("--no-cache",)
        )
        count[0] += 1
        exits[outcome.exit_code] += 1
        kinds[case.name.rsplit(".", 1)[-1]] += 1
        if outcome.chain is not None:
            chains[outcome.chain] += 1
        if outcome.seconds > slowest[0]:
            slowest[:] = [outcome.seconds, case]
        if count[0] % 500 == 0:
            print(f"  {count[0]} runs, {time.monotonic() - started:.0f} s, exits {dict(exits)}", file=sys.stderr)
        if outcome.problems:
            failures.append((case, outcome))
            if not args.keep_going:
                raise AssertionError("; ".join(outcome.problems))

    try:
        run()
    except AssertionError as error:
        print(f"failure (shrunk): {str(error).splitlines()[0]}", file=sys.stderr)
    elapsed = time.monotonic() - started

    print(f"derive check fuzzing: seed {args.seed}, --time-limit {args.time_limit:g} s, allowance {args.allowance:g} s")
    print(f"runs: {count[0]} in {elapsed:.0f} s ({elapsed / max(1, count[0]) * 1000:.0f} ms each)")
    print("exit status: " + ", ".join(f"{code}: {n}" for code, n in sorted(exits.items(), key=lambda kv: str(kv[0]))))
    print("files: " + ", ".join(f".{kind}: {n}" for kind, n in sorted(kinds.items())))
    print(
        "continuations across a break: "
        + (", ".join(f"{why}: {n}" for why, n in chains.most_common()) if chains else "none generated")
    )
    if slowest[1] is not None:
        print(f"slowest run: {slowest[0]:.2f} s ({slowest[1].describe()})")
    if not failures:
        print("failures: 0")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    # Without --keep-going the last failure is the one hypothesis shrank to and replayed.
    chosen = failures if args.keep_going else failures[-1:]
    print(f"failures: {len(failures)} runs failed; {len(chosen)} saved to {args.out}")
    for n, (case, outcome) in enumerate(chosen, start=1):
        stem = args.out / f"failure-{args.seed}-{n:03d}"
        data_path = stem.with_suffix("." + case.name.rsplit(".", 1)[-1])
        data_path.write_bytes(case.data)
        report = [
            f"derive check {data_path} --time-limit {args.time_limit:g} {' '.join(case.options)}"
            + ("" if args.cache else " --no-cache"),
            f"exit {outcome.exit_code} after {outcome.seconds:.2f} s",
            *outcome.problems,
            "--- stderr",
            outcome.stderr[-3000:],
            "--- stdout (end)",
            outcome.stdout[-2000:],
        ]
        stem.with_suffix(".txt").write_text("\n".join(report), encoding="utf-8")
        print(f"  {data_path.name}: {'; '.join(outcome.problems)[:300]}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
