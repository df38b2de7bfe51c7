"""Score derive on the corpus of real derivations (bench/corpus/files), against the judge's truth.

    python -m bench.corpus                 # every file and its mutants, with --notation; prints the table
    python -m bench.corpus --record        # and writes bench/corpus/score.json (the figures a test holds us to)
    python -m bench.corpus --as-written    # the files as their authors wrote them, no header (--record: score-as-written.json)
    python -m bench.corpus 07-some-post    # some files only

Each folder holds a real derivation as its author wrote it (derivation.md/.tex/.ipynb), the raw
excerpt it was copied from, a notation header (notation.txt, role keys only) and truth.json, the
truth of every claim as bench/judge.py established it (no code shared with derive).

A claim is one relation link as written. Per link, derive's verdict at that place is:
  correct        a true link that holds, or a false link that fails;
  false accept   a false link that holds (the figure that must stay 0);
  false reject   a true link that fails;
  undecided      derive looked and could not decide (or was refused as bad input there);
  not read       no step of derive's is at that place (the display was not read, or derive stopped).
A real error is caught only when derive says "fails" at its place. Each mutant (a true link of a
file made false by a text edit, applied by this script to a copy) is caught when derive fails it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
CORPUS = HERE / "corpus" / "files"
SCORE = HERE / "corpus" / "score.json"
SCORE_AS_WRITTEN = HERE / "corpus" / "score-as-written.json"  # without the notation files
TIME_LIMIT = 20  # derive's --time-limit per step
RUN_TIMEOUT = 600  # seconds for one file


@dataclass
class Run:
    status: int
    steps: list
    not_read: list
    error: str
    seconds: float


@dataclass
class FileScore:
    name: str
    outcomes: Counter = field(default_factory=Counter)
    errors: int = 0
    errors_caught: int = 0
    definitions: Counter = field(default_factory=Counter)
    other: Counter = field(default_factory=Counter)
    mutants: int = 0
    mutants_caught: int = 0
    details: list = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""
    unread: list = field(default_factory=list)  # derive's reasons for what it did not read


def document(folder: Path) -> Path:
    return next(p for p in folder.iterdir() if p.stem == "derivation")


def run_derive(path: Path, notation: Path | None) -> Run:
    command = [sys.executable, "-m", "derive", "check", str(path), "--format", "json", "--no-cache"]
    command += ["--time-limit", str(TIME_LIMIT)]
    if notation is not None:
        command += ["--notation", str(notation)]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT, cwd=path.parent)
    except subprocess.TimeoutExpired:
        return Run(-1, [], [], f"no answer in {RUN_TIMEOUT} s", time.perf_counter() - started)
    seconds = time.perf_counter() - started
    error = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    if "Traceback" in done.stderr:
        error = "TRACEBACK: " + error
    try:
        data = json.loads(done.stdout)
    except ValueError:
        return Run(done.returncode, [], [], error or f"exit {done.returncode}, no JSON", seconds)
    return Run(done.returncode, data.get("steps", []), data.get("not_read", []), error, seconds)


def _place(where: str) -> tuple[int, int] | None:
    match = re.search(r":(?:cell \d+:)?(\d+):(\d+)$", where or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def match_steps(claims: list[dict], steps: list[dict], lines: list[str] | None = None) -> dict[int, dict]:
    """derive's step for each claim (by claim number): the step at the claim's line and column,
    or just after the claim's relation sign (the judge places some claims at their '=', derive
    at the expression after it), else, when a line has as many steps as claims, the same rank
    on that line."""
    by_place = {}
    by_line: dict[int, list] = {}
    for step in steps:
        place = _place(step.get("where", ""))
        if place:
            by_place.setdefault(place, step)
            by_line.setdefault(place[0], []).append((place[1], step))
    found = {}
    claims_by_line: dict[int, list] = {}
    for claim in claims:
        claims_by_line.setdefault(claim["line"], []).append(claim)
    for line, on_line in claims_by_line.items():
        steps_on_line = sorted(by_line.get(line, []), key=lambda pair: pair[0])
        ranked = len(steps_on_line) == len(on_line)
        for rank, claim in enumerate(sorted(on_line, key=lambda c: c["column"])):
            step = by_place.get((line, claim["column"]))
            if step is None and lines is not None and 0 < line <= len(lines):
                written = lines[line - 1]
                for column, candidate in steps_on_line:
                    between = written[claim["column"] - 1 : column - 1]
                    if column > claim["column"] and re.fullmatch(r"\s*&?\s*=\s*&?\s*", between):
                        step = candidate
                        break
            if step is None and ranked:
                step = steps_on_line[rank][1]
            if step is not None:
                found[claim["claim"]] = step
    return found


def outcome(truth: bool | None, step: dict | None) -> str:
    if step is None:
        return "not read"
    verdict = step.get("verdict")
    if verdict == "holds":
        return "correct" if truth else "false accept"
    if verdict == "fails":
        return "false reject" if truth else "correct"
    return "undecided"


def score_folder(folder: Path, use_notation: bool = True) -> FileScore:
    table = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    notation = folder / "notation.txt" if use_notation and (folder / "notation.txt").exists() else None
    path = document(folder)
    result = FileScore(folder.name)
    run = run_derive(path, notation)
    result.seconds = run.seconds
    result.error = run.error
    result.unread = [item.get("reason", "") for item in run.not_read]
    links = [c for c in table["claims"] if c["kind"] == "link"]
    steps = match_steps(table["claims"], run.steps, path.read_text(encoding="utf-8").split("\n"))
    for claim in table["claims"]:
        step = steps.get(claim["claim"])
        if claim["kind"] != "link":
            shown = "not read" if step is None else step.get("verdict", "?")
            (result.definitions if claim["kind"] == "definition" else result.other)[f"{claim['kind']}: {shown}"] += 1
            continue
        verdict = outcome(claim["truth"], step)
        result.outcomes[verdict] += 1
        if claim["truth"] is False:
            result.errors += 1
            result.errors_caught += verdict == "correct"
        if verdict != "correct":
            result.details.append(
                f"line {claim['line']}:{claim['column']} {verdict}"
                f" (truth {claim['truth']}, derive {step.get('label') if step else run.error or 'no step here'}):"
                f" {claim['written']}"
            )
    assert sum(result.outcomes.values()) == len(links)
    for mutant in table["mutants"]:
        result.mutants += 1
        caught = _mutant_caught(folder, path, notation, mutant)
        result.mutants_caught += caught
        if not caught:
            result.details.append(f"mutant {mutant['mutant']} ({mutant['operator']}, line {mutant['line']}) missed")
    return result


def _mutant_caught(folder: Path, path: Path, notation: Path | None, mutant: dict) -> bool:
    lines = path.read_text(encoding="utf-8").split("\n")
    line = lines[mutant["line"] - 1]
    lines[mutant["line"] - 1] = line.replace(mutant["find"], mutant["replace"], 1)
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / path.name
        copy.write_text("\n".join(lines), encoding="utf-8")
        run = run_derive(copy, notation.resolve() if notation else None)
    claim = {"claim": 0, "line": mutant["line"], "column": mutant["column"]}
    step = match_steps([claim], run.steps, lines).get(0)
    return step is not None and step.get("verdict") == "fails"


# Issue 13's items, as they show in a transcription: which files exercise which construct.
CONSTRUCTS = {
    "1 names": r"\\mathrm\{[A-Za-z]{2,}\}|\\operatorname|\\text\{(?:softmax|loss|CE|MSE)|\b(?:softmax|MSE|BCE|CE|loss)\b|[A-Z]\([a-z\\]",
    "2 derivative notations": r"\\frac\{d\}|\\frac\{d[A-Za-z\\]|\bd[a-zA-Z]/d[a-zA-Z]|'\(|\\partial_\{|\\nabla|\\dot\{",
    "3 markup": r"\\color|\\textcolor|\\left|\\big|\\Big|\\over\b|\\displaystyle|\\underbrace|\\cancel|\\boxed|\\newcommand|\\mathbf|\\boldsymbol|\\tag|[∂Σŷ−·×]",
    "4 functions without backslash": r"(?<!\\)\b(?:log|ln|exp)\s*[\(\{ ]|e\^-|\\hat\{[a-z]_",
    "5 sums": r"\\sum_[a-z](?![a-z=])|\\sum_\{[a-z]\}|\\sum_\{[a-z] *\\in|\\sum_\{[a-z] *\\neq|\\sum_\{[a-z],[a-z]\}|\\sum\s*[^_\s]|\\cdots|\\dots",
    "6 conditions in equations": r"\\text\{ *if|\\quad *[a-z] *(?:=|\\neq)|\\begin\{cases\}|\\forall|\\text\{ *for",
    "7 chains": r"\\\\\s*\n?\s*[^&\s=]|\\Rightarrow|\\implies|\\therefore|\\approx|\\propto|\\le\b|\\ge\b|:=|\\equiv",
    "8 operator reach": r"\\frac\{\\partial\}\{\\partial [^}]*\}\s*[^\s(\\]|\\frac\{d\}\{d[^}]*\}\s*\\?[a-zA-Z]",
    "9 where math sits": r"\\begin\{(?:align|equation|gather|split|multline|eqnarray)|\\\[|```math",
    "10 decimals": r"[0-9]\.[0-9]",
}


def coverage(folders: list[Path]) -> dict[str, list[str]]:
    """For each construct, the files whose transcription uses it."""
    found: dict[str, list[str]] = {name: [] for name in CONSTRUCTS}
    for folder in folders:
        text = document(folder).read_text(encoding="utf-8")
        for name, pattern in CONSTRUCTS.items():
            if re.search(pattern, text):
                found[name].append(folder.name)
    return found


def totals(scores: list[FileScore]) -> dict:
    outcomes = Counter()
    for s in scores:
        outcomes.update(s.outcomes)
    links = sum(outcomes.values())
    return {
        "files": len(scores),
        "links": links,
        "correct": outcomes["correct"],
        "false_accepts": outcomes["false accept"],
        "false_rejects": outcomes["false reject"],
        "undecided": outcomes["undecided"],
        "not_read": outcomes["not read"],
        "errors": sum(s.errors for s in scores),
        "errors_caught": sum(s.errors_caught for s in scores),
        "mutants": sum(s.mutants for s in scores),
        "mutants_caught": sum(s.mutants_caught for s in scores),
        "files_stopped": sum(1 for s in scores if s.error and not any(s.outcomes[k] for k in ("correct",))),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="folders of bench/corpus/files (default: all)")
    parser.add_argument("--record", action="store_true", help="write bench/corpus/score.json")
    parser.add_argument("--as-written", action="store_true", help="without the notation files")
    parser.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 2) // 2))
    parser.add_argument("--coverage", action="store_true", help="only list which files use which construct")
    args = parser.parse_args(argv)
    folders = [CORPUS / n for n in args.names] if args.names else sorted(p for p in CORPUS.iterdir() if p.is_dir())
    folders = [f for f in folders if (f / "truth.json").exists()]
    if args.coverage:
        for name, files in coverage(folders).items():
            print(f"{name:32} {len(files):3} files  {' '.join(f[:2] for f in files)}")
        return 0
    started = time.perf_counter()
    with ThreadPoolExecutor(args.jobs) as pool:
        scores = list(pool.map(lambda f: score_folder(f, not args.as_written), folders))
    for s in scores:
        o = s.outcomes
        print(
            f"{s.name:44} {o['correct']:3}/{sum(o.values()):<3} correct  {o['false accept']} FA  "
            f"{o['false reject']} FR  {o['undecided']} undec  {o['not read']} not read  "
            f"errors {s.errors_caught}/{s.errors}  mutants {s.mutants_caught}/{s.mutants}  {s.seconds:5.1f} s"
        )
        if s.error:
            print(f"    derive said: {s.error}")
        for detail in s.details:
            print(f"    {detail}")
    t = totals(scores)
    print()
    print(f"files {t['files']}, links {t['links']}, {time.perf_counter() - started:.0f} s")
    print(f"correct        {t['correct']}/{t['links']}")
    print(f"false accepts  {t['false_accepts']}/{t['links']}")
    print(f"false rejects  {t['false_rejects']}/{t['links']}")
    print(f"undecided      {t['undecided']}/{t['links']}")
    print(f"not read       {t['not_read']}/{t['links']}")
    print(f"errors caught  {t['errors_caught']}/{t['errors']}")
    print(f"mutants caught {t['mutants_caught']}/{t['mutants']}")
    definitions = Counter()
    for s in scores:
        definitions.update(s.definitions)
        definitions.update(s.other)
    if definitions:
        print(
            "definitions, facts, cases, rules, non-equalities: "
            + ", ".join(f"{k} {v}" for k, v in sorted(definitions.items()))
        )
    reasons = Counter(re.sub(r"\\[A-Za-z]+|'[^']*'|\b[a-z]_\S*", "…", r)[:70] for s in scores for r in s.unread)
    if reasons:
        print("why derive did not read (most frequent first):")
        for reason, count in reasons.most_common(25):
            print(f"  {count:4}  {reason}")
    if args.record:
        record = {
            "with_notation": not args.as_written,
            "totals": t,
            "files": {s.name: dict(s.outcomes) for s in scores},
        }
        target = SCORE_AS_WRITTEN if args.as_written else SCORE
        target.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"recorded in {target.relative_to(HERE.parent)}")
    return 1 if t["false_accepts"] else 0


if __name__ == "__main__":
    sys.exit(main())
