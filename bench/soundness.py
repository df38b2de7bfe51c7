"""Mutation harness for the core's soundness. Run from the repository root:

    python bench/soundness.py [--limit N] [--seed S] [--time-limit SECONDS] [--batch B]

Every step of the built-in derivations and of the files in examples/ that the core says
holds is a source. Eight operators mutate the sources (a sign flipped, two indices swapped,
an additive term dropped, a constant or exponent changed, δ_ij replaced by 1 or 0, the 1/N
of an average removed, a sum's index or range changed, a cited hypothesis removed); the
mutants are drawn round-robin over the operators, so that none supplies most of them.

An independent referee (bench/independent_referee.py, no code shared with the core's
witnesses) sorts out the mutants that are still identities. Every other mutant must not be
accepted by derive.core: a verdict HOLDS on one of them is a soundness bug, and the exit
status is then 1. The last line of the output reads

    mutants: G generated, E equivalent, R rejected, A accepted
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script, bench/ is on the path and the repository is not
    sys.path.insert(0, str(ROOT))

import sympy as sp  # noqa: E402

from bench.independent_referee import Finding, judge  # noqa: E402
from derive.core import (  # noqa: E402
    Derivation,
    EngineError,
    Indicator,
    Partial,
    Step,
    SumExcept,
    VocabularyError,
    check_derivation,
)
from derive.core.vocabulary import Count  # noqa: E402

OPERATORS = ("sign", "swap", "drop", "constant", "delta", "average", "sum", "hypothesis")
DESCRIPTIONS = {
    "sign": "sign of one term flipped",
    "swap": "indices swapped",
    "drop": "additive term dropped",
    "constant": "constant or exponent changed",
    "delta": "δ replaced by 1 or 0",
    "average": "1/N removed",
    "sum": "sum's index or range changed",
    "hypothesis": "cited hypothesis removed",
}


@dataclass(frozen=True)
class Source:
    where: str  # derivation name or file, and the step's number in it
    step: Step  # with its notation filled in


@dataclass(frozen=True)
class Mutant:
    operator: str
    where: str
    change: str
    step: Step


# ---------------------------------------------------------------- the sources


def _derivations():
    from derive.read.derivation import read_derivation
    from proofs import BUILTINS

    for name, module in BUILTINS.items():
        yield name, module.derivation(4)
    for path in sorted((ROOT / "examples").iterdir()):
        if path.suffix in (".md", ".ipynb"):
            derivation, _ = read_derivation(path)
            yield f"examples/{path.name}", derivation


def _key(step: Step):
    return (step.previous, step.next, step.all_cited, step.notation)


def candidate_sources() -> list[Source]:
    """Every step of every derivation, with its notation made explicit, without repeats."""
    sources, seen = [], set()
    for name, derivation in _derivations():
        for number, step in enumerate(derivation.steps, start=1):
            step = replace(step, notation=step.notation or derivation.notation)
            if _key(step) not in seen:
                seen.add(_key(step))
                sources.append(Source(f"{name} #{number}", step))
    return sources


# ------------------------------------------------------------ the core's verdicts


def core_verdicts(steps: list[Step], time_limit: float, batch: int = 40, progress=None) -> list[tuple[str, str]]:
    """(outcome, detail) per step: outcome is holds, fails, undecided, refused (the core
    raised VocabularyError: it does not accept the step) or error (EngineError or a crash).
    Steps go to check_derivation in batches, which runs two workers at a time."""
    results: list = [None] * len(steps)

    def run(numbers: list[int]) -> None:
        while numbers:
            derivation = Derivation("mutants", "mutants", steps[numbers[0]].notation, tuple(steps[n] for n in numbers))
            try:
                checked = check_derivation(derivation, time_limit=time_limit)
            except VocabularyError as error:
                at = getattr(error, "step_index", None)
                if at is None:  # raised after the workers ran: find the step one half at a time
                    _split(numbers, error)
                    return
                results[numbers[at]] = ("refused", str(error))
                if progress:
                    progress(numbers[at], results[numbers[at]])
                numbers = numbers[:at] + numbers[at + 1 :]  # the steps before it were fine
                continue
            except Exception as error:  # one step's EngineError must not hide the batch's verdicts
                _split(numbers, error)
                return
            for n, verdict in zip(numbers, checked.verdicts):
                results[n] = (verdict.status.value, verdict.label if verdict.holds else verdict.reason)
                if progress:
                    progress(n, results[n])
            return

    def _split(numbers: list[int], error: Exception) -> None:
        if len(numbers) == 1:
            kind = "refused" if isinstance(error, VocabularyError) else "error"
            name = "" if isinstance(error, (VocabularyError, EngineError)) else f"{type(error).__name__}: "
            results[numbers[0]] = (kind, f"{name}{error}")
            if progress:
                progress(numbers[0], results[numbers[0]])
            return
        half = len(numbers) // 2
        run(numbers[:half])
        run(numbers[half:])

    for start in range(0, len(steps), batch):
        run(list(range(start, min(start + batch, len(steps)))))
    return results


# ----------------------------------------------------------------- mutations


def _positions(expr, path=(), bound=frozenset()):
    """(path, node, bound indices) for every subexpression a mutation may change; never the
    indices of an entry, the limits of a sum, the arguments of δ or the variable of ∂."""
    yield path, expr, bound
    if isinstance(expr, sp.MatrixBase):
        for n, entry in enumerate(expr):
            yield from _positions(entry, (*path, n), bound)
        return
    if isinstance(expr, (sp.Indexed, sp.KroneckerDelta, Indicator)) or not expr.args:
        return
    if isinstance(expr, sp.Sum):
        yield from _positions(expr.args[0], (*path, 0), bound | {lim[0] for lim in expr.limits})
    elif isinstance(expr, SumExcept):
        yield from _positions(expr.args[0], (*path, 0), bound | {expr.bound})
    elif isinstance(expr, Partial):
        yield from _positions(expr.args[0], (*path, 0), bound)
    else:
        for n, arg in enumerate(expr.args):
            yield from _positions(arg, (*path, n), bound)


def _replace(expr, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(expr, sp.MatrixBase):
        entries = list(expr)
        entries[head] = _replace(entries[head], rest, new)
        return sp.ImmutableMatrix(expr.rows, expr.cols, entries)
    args = list(expr.args)
    args[head] = _replace(args[head], rest, new)
    return expr.func(*args)


def _atoms(expr):
    return expr.atoms() if not isinstance(expr, sp.MatrixBase) else set().union(*(e.atoms() for e in expr))


def _index_slots(step: Step):
    """The step's free indices over the classes and over the examples (an index in the
    first slot of a two-index entry runs over the examples)."""
    free = set()
    for side in (step.previous, step.next):
        free |= {x for x in side.free_symbols if x.is_integer and not isinstance(x, Count)}
    for h in step.all_cited:
        if h.is_case:
            free |= set(h.subjects)
    examples = set()
    for side in (step.previous, step.next):
        for entry in _atoms_of(side, sp.Indexed):
            if len(entry.indices) == 2 and entry.indices[0] in free:
                examples.add(entry.indices[0])
    by_name = lambda xs: sorted(xs, key=str)  # noqa: E731
    return by_name(free - examples), by_name(examples)


def _atoms_of(expr, kind):
    if isinstance(expr, sp.MatrixBase):
        return set().union(*(e.atoms(kind) for e in expr))
    return expr.atoms(kind)


def _side_mutations(side, operator: str, step: Step):
    """(change, new side) for one operator applied at every place of one side."""
    classes_free, examples_free = _index_slots(step)
    nt = step.notation
    # every letter, free or bound, that names an example (the n of y_{n,k}): never a class
    example_letters = {
        x.indices[0] for x in _atoms_of(side, sp.Indexed) if len(x.indices) == 2 and isinstance(x.indices[0], sp.Symbol)
    }
    for path, node, bound in _positions(side):
        where = f"at {node}" if len(str(node)) < 60 else f"at {str(node)[:57]}..."
        if operator in ("sign", "drop") and isinstance(node, sp.Add):
            for n, term in enumerate(node.args):
                rest = node.args[:n] + node.args[n + 1 :]
                if operator == "sign":
                    yield f"−({term}) {where}", _replace(side, path, sp.Add(*rest, -term))
                else:
                    yield f"({term}) dropped {where}", _replace(side, path, sp.Add(*rest))
        elif operator == "sign" and path == () and not isinstance(side, sp.MatrixBase):
            yield "whole side negated", -side
        elif operator == "constant" and node.is_Rational and path:
            for new in (node + 1, node - 1, 2 * node):
                if new != 0 and new != node:
                    yield f"{node} → {new} {where}", _replace(side, path, new)
        elif operator == "delta" and isinstance(node, (sp.KroneckerDelta, Indicator)):
            for new in (sp.Integer(1), sp.Integer(0)):
                yield f"{node} → {new}", _replace(side, path, new)
        elif operator == "average" and isinstance(node, sp.Pow) and node.exp == -1 and node.base == _average_count(nt):
            yield f"1/{node.base} removed", _replace(side, path, sp.Integer(1))
        elif operator == "swap" and isinstance(node, (sp.Indexed, sp.KroneckerDelta, Indicator)):
            letters = node.indices if isinstance(node, sp.Indexed) else node.args
            for slot, letter in enumerate(letters):
                pool = examples_free if (isinstance(node, sp.Indexed) and len(letters) == 2 and slot == 0) else None
                if pool is None:
                    # a class index may become another free index, or the bound index of an
                    # enclosing sum (Σ_k y_k s_i → Σ_k y_k s_k), and back
                    pool = classes_free + sorted((b for b in bound if b not in example_letters), key=str)
                for other in pool:
                    if other != letter and isinstance(letter, sp.Symbol):
                        new_letters = list(letters)
                        new_letters[slot] = other
                        new = node.base[tuple(new_letters)] if isinstance(node, sp.Indexed) else node.func(*new_letters)
                        yield f"{letter} → {other} in {node}", _replace(side, path, new)
        elif operator == "sum" and isinstance(node, sp.Sum) and len(node.limits) == 1:
            body, (k, lo, hi) = node.function, node.limits[0]
            pool = examples_free if hi == nt.examples else classes_free
            for a in pool:
                if a in bound or a == k:
                    continue
                yield f"Σ_{k} → Σ_{{{k}≠{a}}}", _replace(side, path, SumExcept(body, k, hi, a))
                if a in body.free_symbols:
                    # the sum now runs over a letter the body already uses freely
                    yield f"Σ_{k} → Σ_{a}", _replace(side, path, sp.Sum(body.xreplace({k: a}), (a, lo, hi)))
        elif operator == "sum" and isinstance(node, SumExcept):
            yield (
                f"Σ_{{{node.bound}≠{node.excluded}}} → Σ_{node.bound}",
                _replace(side, path, sp.Sum(node.body, (node.bound, 1, node.upper))),
            )
            pool = examples_free if node.upper == nt.examples else classes_free
            for a in pool:
                if a not in (node.excluded, node.bound) and a not in bound:
                    yield (
                        f"Σ_{{{node.bound}≠{node.excluded}}} → Σ_{{{node.bound}≠{a}}}",
                        _replace(side, path, SumExcept(node.body, node.bound, node.upper, a)),
                    )


def _average_count(nt):
    """The count an average divides by: N with an example count, else a count the loss's
    definition divides by (the N of a mean squared error)."""
    if nt.examples is not None:
        return nt.examples
    for _, definition in nt.definitions:
        for p in definition.atoms(sp.Pow):
            if p.exp == -1 and isinstance(p.base, Count):
                return p.base
    return None


def mutations(source: Source, operator: str):
    """Every mutant of one source under one operator."""
    step = source.step
    if operator == "hypothesis":
        for h in step.all_cited:
            yield Mutant(
                operator,
                source.where,
                f"{h} not cited",
                replace(
                    step,
                    cites=tuple(x for x in step.cites if x != h),
                    standing=tuple(x for x in step.standing if x != h),
                ),
            )
        return
    for side_name in ("previous", "next"):
        side = getattr(step, side_name)
        for change, new in _side_mutations(side, operator, step):
            yield Mutant(operator, source.where, f"{side_name}: {change}", replace(step, **{side_name: new}))
    if operator == "average":
        # The average written in the notation: the loss defined without its 1/N.
        count = _average_count(step.notation)
        used = _atoms_of(step.previous, sp.Symbol) | _atoms_of(step.next, sp.Symbol)
        definitions = step.notation.definitions
        for n, (name, definition) in enumerate(definitions):
            if count is not None and name in used and definition.has(1 / count):
                changed = definition.xreplace({1 / count: sp.Integer(1)})
                nt = replace(step.notation, definitions=(*definitions[:n], (name, changed), *definitions[n + 1 :]))
                yield Mutant(operator, source.where, f"{name} defined without 1/{count}", replace(step, notation=nt))


def _well_formed(step: Step) -> bool:
    for side in (step.previous, step.next):
        atoms = _atoms(side)
        if any(a in (sp.zoo, sp.nan, sp.oo, -sp.oo) for a in atoms):
            return False
    return True


def generate(sources: list[Source], limit: int, seed: int) -> list[Mutant]:
    """Up to ``limit`` distinct mutants, drawn round-robin over the operators (each
    operator's own list shuffled with ``seed``), so that no operator supplies most of them
    unless the others run out."""
    rng = random.Random(seed)
    seen = {_key(s.step) for s in sources}
    pools = {}
    # A mutant two operators make (δ_ij → δ_jj = 1 is also an index swap) is counted once,
    # under the operator with fewer places to act, so that the rare operators keep theirs.
    for operator in ("average", "delta", "hypothesis", "sum", "swap", "drop", "constant", "sign"):
        pool = []
        for source in sources:
            for mutant in mutations(source, operator):
                if _key(mutant.step) not in seen and _well_formed(mutant.step):
                    seen.add(_key(mutant.step))
                    pool.append(mutant)
        rng.shuffle(pool)
        pools[operator] = pool
    chosen: list[Mutant] = []
    while len(chosen) < limit and any(pools.values()):
        for operator in OPERATORS:
            if pools[operator] and len(chosen) < limit:
                chosen.append(pools[operator].pop())
    return chosen


# ------------------------------------------------------------------ the run


def referee(step: Step, seed: int) -> Finding:
    return judge(step.previous, step.next, step.all_cited, step.notation, seed=seed)


def holding_sources(time_limit: float, seed: int, log=print) -> tuple[list[Source], list[str]]:
    """The candidate sources the core says hold; and, as problems, those the referee does
    not find to be identities (a soundness bug, or a referee bug, to look at)."""
    candidates = candidate_sources()
    verdicts = core_verdicts([s.step for s in candidates], time_limit)
    holding = [s for s, (outcome, _) in zip(candidates, verdicts) if outcome == "holds"]
    log(f"sources: {len(candidates)} distinct steps, {len(holding)} hold (the others are the seeds' real errors)")
    problems = []
    for number, source in enumerate(holding):
        finding = referee(source.step, seed + number)
        if finding.verdict != "identity":
            problems.append(f"{source.where}: referee says {finding.verdict} ({finding.detail})")
    return holding, problems


def run(limit: int, seed: int, time_limit: float, batch: int, log=print) -> dict:
    started = time.perf_counter()
    sources, problems = holding_sources(time_limit, seed, log)
    for p in problems:
        log(f"SOURCE NOT AN IDENTITY FOR THE REFEREE: {p}")
    mutants = generate(sources, limit, seed)
    log(f"{len(mutants)} mutants; referee...")
    findings = [referee(m.step, seed * 7919 + n) for n, m in enumerate(mutants)]
    # The unevaluable ones go to the core too, so that the report can say what it made of them.
    to_check = [n for n, f in enumerate(findings) if f.verdict != "identity"]
    log(
        f"referee done after {time.perf_counter() - started:.0f} s; core on the {len(to_check)} not found equivalent..."
    )
    done = Counter()

    def progress(number, outcome):
        done["n"] += 1
        if outcome[0] not in ("fails", "refused") and findings[to_check[number]].verdict == "differs":
            # shown at once: these are what the run is for
            m = mutants[to_check[number]]
            print(f"\n{outcome[0]}: [{m.operator}] {m.where}: {m.change}: {outcome[1]}", file=sys.stderr)
        if sys.stderr.isatty() or done["n"] % 100 == 0 or done["n"] == len(to_check):  # a log gets every 100th
            print(
                f"\r  {done['n']}/{len(to_check)}", end="" if sys.stderr.isatty() else "\n", file=sys.stderr, flush=True
            )

    verdicts = core_verdicts([mutants[n].step for n in to_check], time_limit, batch, progress)
    print(file=sys.stderr)
    outcome = {}
    for n, f in enumerate(findings):
        outcome[n] = "equivalent" if f.verdict == "identity" else "unevaluable"
    for n, (kind, _) in zip(to_check, verdicts):
        if findings[n].verdict == "differs":
            outcome[n] = {"holds": "accepted", "fails": "rejected", "refused": "refused"}.get(kind, kind)
    return {
        "mutants": mutants,
        "findings": findings,
        "outcome": outcome,
        "core": dict(zip(to_check, verdicts)),
        "sources": sources,
        "source_problems": problems,
        "seconds": time.perf_counter() - started,
    }


COLUMNS = ("generated", "equivalent", "rejected", "refused", "accepted", "undecided", "unevaluable", "error")


def table(result: dict) -> dict[str, Counter]:
    rows = {op: Counter() for op in OPERATORS}
    for n, mutant in enumerate(result["mutants"]):
        row = rows[mutant.operator]
        row["generated"] += 1
        kind = result["outcome"][n]
        row[kind] += 1
        if kind == "refused":
            row["rejected"] += 1  # refusing to read a step is not accepting it
    return rows


def report(result: dict, log=print) -> int:
    rows = table(result)
    log("")
    log(f"{'operator':34s}" + "".join(f"{c:>12s}" for c in COLUMNS))
    total = Counter()
    for op in OPERATORS:
        total.update(rows[op])
        log(f"{DESCRIPTIONS[op]:34s}" + "".join(f"{rows[op][c]:12d}" for c in COLUMNS))
    log(f"{'total':34s}" + "".join(f"{total[c]:12d}" for c in COLUMNS))
    log("(rejected = core says fails, plus 'refused': the core raised VocabularyError on the step)")
    for n, mutant in enumerate(result["mutants"]):
        kind = result["outcome"][n]
        if kind in ("accepted", "undecided", "unevaluable", "error"):
            core = result["core"].get(n)
            detail = f"{core[0]} ({core[1]})" if core else "not asked"
            log(f"{kind.upper()}: [{mutant.operator}] {mutant.where}: {mutant.change}")
            log(f"    {mutant.step.previous}  =  {mutant.step.next}   cites {[str(h) for h in mutant.step.all_cited]}")
            log(f"    referee: {result['findings'][n].detail}; core: {detail}")
    minutes, seconds = divmod(result["seconds"], 60)
    log(f"wall time: {int(minutes)} min {seconds:.0f} s; {len(result['sources'])} sources")
    log(
        f"mutants: {total['generated']} generated, {total['equivalent']} equivalent, "
        f"{total['rejected']} rejected, {total['accepted']} accepted"
    )
    return 1 if total["accepted"] or result["source_problems"] else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=1200, help="how many mutants (default 1200)")
    parser.add_argument("--seed", type=int, default=1, help="seed for the choice of mutants and the referee's points")
    parser.add_argument("--time-limit", type=float, default=30.0, help="the core's seconds per step (default 30)")
    parser.add_argument("--batch", type=int, default=40, help="mutant steps per check_derivation call")
    args = parser.parse_args(argv)
    return report(run(args.limit, args.seed, args.time_limit, args.batch))


if __name__ == "__main__":
    sys.exit(main())
