"""Establish the truth table of the corpus with the judge (bench/judge.py), never with derive.

    python -m bench.judge_corpus                   # every file: judge, compare with `expected`, write truth.json
    python -m bench.judge_corpus bench/corpus/files/07-some-post --check   # judge only, write nothing

For every claim of kind "link" the judge's verdict must equal the transcriber's `expected`; a
disagreement is printed and the command exits 1 (the transcriber looks again: at the expression,
or at the author's mathematics). Every mutant must be false for the judge. truth.json, the table
bench/corpus.py scores derive against, is written only when the whole file agrees.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from bench.judge import Claim, Mutant, Setting, judge

CORPUS = Path(__file__).parent / "corpus" / "files"


def load(folder: Path):
    spec = importlib.util.spec_from_file_location(
        f"corpus_claims_{folder.name.replace('-', '_')}", folder / "claims.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # our own transcription, never user input
    setting: Setting = getattr(module, "SETTING", Setting())
    claims: list[Claim] = list(module.CLAIMS)
    mutants: list[Mutant] = list(getattr(module, "MUTANTS", []))
    return setting, claims, mutants


def document(folder: Path) -> Path:
    found = [p for p in folder.iterdir() if p.stem == "derivation"]
    if len(found) != 1:
        raise SystemExit(f"{folder}: expected one derivation.md/.tex/.ipynb, found {len(found)}")
    return found[0]


def judge_folder(folder: Path) -> tuple[dict, list[str]]:
    setting, claims, mutants = load(folder)
    lines = document(folder).read_text(encoding="utf-8").splitlines()
    problems, rows = [], []
    for number, claim in enumerate(claims, 1):
        row = {
            "claim": number,
            "line": claim.line,
            "column": claim.column,
            "kind": claim.kind,
            "written": claim.written,
            "case": claim.case,
        }
        if not 1 <= claim.line <= len(lines):
            problems.append(f"claim {number}: line {claim.line} is not in the file")
        if claim.kind == "link":
            verdict = judge(setting, claim.lhs, claim.rhs, claim.case, seed=number)
            row.update(truth=verdict.truth, judge=verdict.witness, error=claim.error)
            if verdict.truth is not claim.expected:
                problems.append(
                    f"claim {number} (line {claim.line}): judge says {verdict.truth} ({verdict.witness}),"
                    f" transcriber expected {claim.expected}: {claim.written}"
                )
        rows.append(row)
    mutant_rows = []
    for number, mutant in enumerate(mutants, 1):
        line = lines[mutant.line - 1] if 1 <= mutant.line <= len(lines) else ""
        if line.count(mutant.find) != 1:
            problems.append(
                f"mutant {number}: {mutant.find!r} occurs {line.count(mutant.find)} times on line {mutant.line}"
            )
        # A mutant stands in the author's case: y_i(1 - y_j) for y_i(1 - y_i) is no error where
        # the author has said i = j. Judged under the case of the claim it mutates.
        mutated = [c for c in claims if c.kind == "link" and (c.line, c.column) == (mutant.line, mutant.column)]
        case = mutated[0].case if mutated else None
        verdict = judge(setting, mutant.lhs, mutant.rhs, case, seed=100 + number)
        if verdict.truth is not False:
            problems.append(f"mutant {number}: the judge does not find it false ({verdict.witness})")
        mutant_rows.append(
            {
                "mutant": number,
                "line": mutant.line,
                "column": mutant.column,
                "find": mutant.find,
                "replace": mutant.replace,
                "operator": mutant.operator,
                "judge": verdict.witness,
            }
        )
    return {"file": document(folder).name, "claims": rows, "mutants": mutant_rows}, problems


def main(argv: list[str]) -> int:
    check_only = "--check" in argv
    folders = [Path(a) for a in argv if not a.startswith("--")] or sorted(p for p in CORPUS.iterdir() if p.is_dir())
    failed = False
    for folder in folders:
        table, problems = judge_folder(folder)
        links = [r for r in table["claims"] if r["kind"] == "link"]
        wrong = sum(1 for r in links if r["truth"] is False)
        print(f"{folder.name}: {len(links)} links ({wrong} false), {len(table['mutants'])} mutants")
        for problem in problems:
            print(f"  DISAGREES {problem}")
        failed |= bool(problems)
        if not problems and not check_only:
            (folder / "truth.json").write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
