"""Mutation harness for the core's soundness. Run from the repository root:

    python bench/soundness.py [--limit N] [--seed S] [--time-limit SECONDS] [--batch B]

Every step of the built-in derivations and of the files in examples/ that the core says
holds is a source. Thirteen operators mutate the sources, drawn round-robin so that none
supplies most of the mutants. Eight make small edits (a sign flipped, two indices swapped,
an additive term dropped, a constant or exponent changed, δ_ij replaced by 1 or 0, the 1/N
of an average removed, a sum's index or range changed, a cited hypothesis removed); five
make the false steps a red team got past the core, which no small edit makes: an index used
as a number ((i−1)·X added, Σ_k δ_ki (k−1)⋯(k−12)·b), a polynomial in K or N that vanishes
at every K ≤ 5 or N ≤ 2 (added, in an exponent, under a root, in a sum's body, or a 1/N
replaced by the polynomial equal to it at N = 1..m), a term that counts only when six
indices are pairwise distinct, and a fact about the labels cited about another family.

An independent referee (bench/independent_referee.py, no code shared with the core's
witnesses) sorts out the mutants that are still identities, sweeping K and N past the degree
each mutant inserted. Every other mutant must not be accepted by derive.core: a verdict
HOLDS on one of them is a soundness bug, and the exit status is then 1. Each mutant counts
once, as equivalent, rejected (the core fails it, refuses it as bad input, runs out of time
or stops with an engine error) or accepted; one the referee cannot evaluate anywhere counts
by the core's verdict, and is also listed. The last line of the output reads

    mutants: G generated, E equivalent, R rejected, A accepted

with E + R + A = G.
"""

from __future__ import annotations

import argparse
import itertools
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
    different,
    index,
    one_hot,
    sums_to_one,
)
from derive.core.vocabulary import Count  # noqa: E402

OPERATORS = (
    "sign",
    "swap",
    "drop",
    "constant",
    "delta",
    "average",
    "sum",
    "hypothesis",
    "index-number",
    "hidden-K",
    "hidden-N",
    "distinct-indices",
    "cited-family",
)
DESCRIPTIONS = {
    "sign": "sign of one term flipped",
    "swap": "indices swapped",
    "drop": "additive term dropped",
    "constant": "constant or exponent changed",
    "delta": "δ replaced by 1 or 0",
    "average": "1/N removed",
    "sum": "sum's index or range changed",
    "hypothesis": "cited hypothesis removed",
    "index-number": "an index used as a number",
    "hidden-K": "polynomial in K hidden",
    "hidden-N": "polynomial in N hidden, 1/N",
    "distinct-indices": "six pairwise-distinct indices",
    "cited-family": "fact cited about another family",
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
    degree: int = 0  # of the polynomial in K, N or an index it inserted: the referee sweeps past it


# ---------------------------------------------------------------- the sources


def _derivations():
    from derive.proofs import BUILTINS
    from derive.read.derivation import read_derivation

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


# ------------------------------------------------- mutations the old witnesses missed
#
# A red team made the core accept false steps that the eight operators above never make:
# an index used as a number, a polynomial in K or N that vanishes at every K or N the exact
# witness unrolls, more pairwise-distinct indices than K ≤ 5 can hold, and a fact cited
# about the wrong family. These operators make such steps out of true ones. Each mutant
# records the degree it inserted, so that the referee sweeps K (or N) past it.

WIDENING = ("index-number", "hidden-K", "hidden-N", "distinct-indices", "cited-family")
K_DEGREES = (5, 7, 12)  # (K−1)⋯(K−5) vanishes at every K the exact witness unrolls
N_DEGREES = (2, 3, 12)  # the exact witness unrolls N = 1, 2; the old referee N ≤ 3
INDEX_DEGREES = (1, 5, 12)
AVERAGE_POINTS = (2, 3, 5)  # a polynomial equal to 1/N at N = 1..m, and nowhere beyond
DISTINCT = 6  # indices that must be pairwise distinct: one more than K ≤ 5 can hold


def _falling(x, degree: int):
    """(x − 1)(x − 2)⋯(x − degree): zero at x = 1..degree, and at no larger integer."""
    return sp.Mul(*[x - m for m in range(1, degree + 1)])


def _shown(x, degree: int) -> str:
    if degree <= 3:
        return "".join(f"({x}−{m})" for m in range(1, degree + 1))
    return f"({x}−1)⋯({x}−{degree})"


def _terms(side):
    """The additive terms of a side (the side itself when it is not a sum of terms): each
    is a whole subtree with no index bound outside it, so it can be moved or multiplied."""
    return list(side.args) if isinstance(side, sp.Add) else [side]


def _with_term(side, n: int, new):
    """The side with its n-th additive term replaced."""
    terms = _terms(side)
    return sp.Add(*terms[:n], new, *terms[n + 1 :])


def _short(e) -> str:
    text = str(e)
    return text if len(text) < 60 else text[:57] + "..."


def _sums(side, count):
    """(path, sum) for every one-limit sum over 1..count in the side."""
    for path, node, _ in _positions(side):
        if isinstance(node, sp.Sum) and len(node.limits) == 1 and node.limits[0][2] == count:
            yield path, node


def _hidden_count(side, count, degrees):
    """P(count)·X added, or hidden in an exponent, under a root or inside a sum's body,
    with P vanishing at count = 1..d: the step is unchanged there and false beyond."""
    for d in degrees:
        P = _falling(count, d)
        shown = _shown(count, d)
        for n, term in enumerate(_terms(side)):
            yield f"+ {shown}·({_short(term)})", side + P * term, d
            yield f"({_short(term)})·e^{{{shown}}}", _with_term(side, n, term * sp.exp(P)), d
            yield f"({_short(term)})·√({shown}² + 1)", _with_term(side, n, term * sp.sqrt(P**2 + 1)), d
            # √(P²) is |P|: zero exactly where P is; expanded so that SymPy does not write Abs
            yield f"+ √({shown}²)·({_short(term)})", side + sp.sqrt(sp.expand(P**2)) * term, d
            if d == degrees[0]:
                yield f"({_short(term)})^(1 + {shown})", _with_term(side, n, term ** (1 + P)), d
        for number, (path, node) in enumerate(_sums(side, count), start=1):
            body, limit = node.function, node.limits[0]
            yield (
                f"Σ_{limit[0]} (the side's sum #{number} over 1..{count}) body b → b + {shown}·b",
                _replace(side, path, sp.Sum(body + P * body, limit)),
                d,
            )


def _average_replaced(side, count):
    """A 1/N replaced by the polynomial equal to 1/N at N = 1..m (the batch factor
    (N² − 6N + 11)/6 for m = 3), which differs from 1/N at every larger N."""
    for path, node, _ in _positions(side):
        if isinstance(node, sp.Pow) and node.exp == -1 and node.base == count:
            for m in AVERAGE_POINTS:
                q = sp.interpolate([(r, sp.Rational(1, r)) for r in range(1, m + 1)], count)
                yield f"1/{count} → {q} (equal at {count} ≤ {m}) at {_short(node)}", _replace(side, path, q), m


def _index_numbers(side, step: Step):
    """A free or bound index used as a number: a term times a polynomial in the index that
    vanishes at the values one assignment per pattern of equal indices would use."""
    classes_free, examples_free = _index_slots(step)
    free = [*classes_free, *examples_free]
    for n, term in enumerate(_terms(side)):
        for a in free:
            for d in INDEX_DEGREES:
                yield f"+ {_shown(a, d)}·({_short(term)})", side + _falling(a, d) * term, d
            yield f"({_short(term)}) → {a}·({_short(term)})", _with_term(side, n, a * term), 1
            yield f"({_short(term)}) → 2^({a}−1)·({_short(term)})", _with_term(side, n, 2 ** (a - 1) * term), 1
        for a, b in itertools.permutations(free, 2):
            yield f"+ ({a}−1)({b}−2)·({_short(term)})", side + (a - 1) * (b - 2) * term, 2
            both = (a - 1) * (a - 2) * (b - 1) * (b - 2)
            yield f"+ ({a}−1)({a}−2)({b}−1)({b}−2)·({_short(term)})", side + both * term, 4
    examples = step.notation.examples
    for path, node, bound in _positions(side):
        if not (isinstance(node, sp.Sum) and len(node.limits) == 1):
            continue
        body, (k, lo, hi) = node.function, node.limits[0]
        pool = examples_free if (examples is not None and hi == examples) else classes_free
        for d in INDEX_DEGREES:
            P = _falling(k, d)
            yield (
                f"Σ_{k} b → Σ_{k} b·(1 + {_shown(k, d)})",
                _replace(side, path, sp.Sum(body * (1 + P), (k, lo, hi))),
                d,
            )
            for a in pool:
                if a not in bound:
                    new = sp.Sum(body + sp.KroneckerDelta(k, a) * P * body, (k, lo, hi))
                    yield f"Σ_{k} b → Σ_{k} (b + δ_{k}{a}·{_shown(k, d)}·b)", _replace(side, path, new), d


def _fresh_indices(step: Step, wanted: int) -> list:
    taken = {str(x) for x in _atoms(step.previous) | _atoms(step.next) if isinstance(x, sp.Symbol)}
    for h in step.all_cited:
        taken |= {str(x) for x in h.subjects}
    nt = step.notation
    taken |= {str(x) for x in (nt.logits, nt.softmax, nt.labels, nt.classes, nt.examples) if x is not None}
    for _, definition in nt.definitions:
        taken |= {str(x) for x in definition.atoms(sp.Symbol)}
    return [index(name) for name in "abcdefghpqruvw" if name not in taken][:wanted]


ALL_PAIRS_AS_DELTA = "every pair as a δ"  # in the change of the slowest of these mutants
SLOW_PER_RUN = 4  # of those, at most this many in a run


def _distinct(step: Step, side_name: str):
    """(change, new step, degree): a term added that counts only when DISTINCT indices are
    pairwise distinct, so that the step is unchanged for K < DISTINCT and false from there.
    The distinctness is cited (i ≠ a, ...), written with δ, or both. The letters are the
    step's own class indices (one of each pair it says are equal) and fresh ones, DISTINCT in
    all: an index left out would multiply the patterns of equal indices the core looks at."""
    side = getattr(step, side_name)
    classes_free, _ = _index_slots(step)
    tied = {tuple(h.subjects) for h in step.all_cited if h.kind == "same"}
    own = []
    for x in classes_free:
        if not any((a, x) in tied or (x, a) in tied for a in own):
            own.append(x)
    own = own[:DISTINCT]
    letters = own + _fresh_indices(step, DISTINCT - len(own))
    if len(letters) < DISTINCT:
        return
    pairs = list(itertools.combinations(letters, 2))
    cited = {tuple(h.subjects) for h in step.all_cited if h.kind == "different"}

    def apart(ps):
        return sp.Mul(*[1 - sp.KroneckerDelta(a, b) for a, b in ps])

    def cite(ps):
        return (*step.cites, *(different(a, b) for a, b in ps if different(a, b).subjects not in cited))

    names = ", ".join(map(str, letters))
    for term in _terms(side):
        yield (
            f"{side_name}: + ({_short(term)}) citing {names} pairwise ≠",
            replace(step, **{side_name: side + term}, cites=cite(pairs)),
            DISTINCT,
        )
        for inside in (3, 4):
            inner = [p for p in pairs if set(p) <= set(letters[:inside])]
            outer = [p for p in pairs if p not in inner]
            yield (
                f"{side_name}: + ({_short(term)})·Π(1−δ) over {', '.join(map(str, letters[:inside]))}, the rest cited ≠",
                replace(step, **{side_name: side + term * apart(inner)}, cites=cite(outer)),
                DISTINCT,
            )
    # Every pair as a δ (the red team's shape), for the whole side only: the core takes long
    # over each of these (more than 30 s for fifteen δs here), and ends undecided.
    yield (
        f"{side_name}: + ({_short(side)})·Π(1−δ) over {names}, {ALL_PAIRS_AS_DELTA}",
        replace(step, **{side_name: side + side * apart(pairs)}),
        DISTINCT,
    )


def _cited_family(step: Step):
    """A cited fact about the labels replaced by the same fact about another family:
    Σ_k s_k = 1 (true of every softmax, and no help with y) or z one-hot."""
    nt = step.notation
    for h in step.all_cited:
        if h.kind not in ("sums_to_one", "one_hot") or h.subjects[0] != nt.labels:
            continue
        others = [one_hot(nt.logits)] + ([sums_to_one(nt.softmax)] if nt.softmax is not None else [])
        for other in others:
            cites = tuple(other if x == h else x for x in step.cites)
            standing = tuple(other if x == h else x for x in step.standing)
            yield f"{h} → {other}", replace(step, cites=cites, standing=standing)


def _widening(source: Source, operator: str):
    """(change, step, degree) for the operators of this section."""
    step = source.step
    nt = step.notation
    if operator == "cited-family":
        for change, new in _cited_family(step):
            yield change, new, 0
        return
    if operator == "distinct-indices":
        if nt.concrete:
            return
        for side_name in ("previous", "next"):
            if not isinstance(getattr(step, side_name), sp.MatrixBase):
                yield from _distinct(step, side_name)
        return
    for side_name in ("previous", "next"):
        side = getattr(step, side_name)
        if isinstance(side, sp.MatrixBase):
            continue
        if operator == "hidden-K" and not nt.concrete:
            changes = _hidden_count(side, nt.classes, K_DEGREES)
        elif operator == "hidden-N":
            changes = _hidden_count(side, nt.examples, N_DEGREES) if nt.examples else iter(())
            count = _average_count(nt)
            if count is not None:
                changes = itertools.chain(changes, _average_replaced(side, count))
        elif operator == "index-number":
            changes = _index_numbers(side, step)
        else:
            changes = iter(())
        for change, new, degree in changes:
            yield f"{side_name}: {change}", replace(step, **{side_name: new}), degree
    if operator == "hidden-N":
        # the average written in the notation: the loss defined with a polynomial for 1/N
        count = _average_count(nt)
        used = _atoms_of(step.previous, sp.Symbol) | _atoms_of(step.next, sp.Symbol)
        for n, (name, definition) in enumerate(nt.definitions):
            if count is not None and name in used and definition.has(1 / count):
                for m in AVERAGE_POINTS:
                    q = sp.interpolate([(r, sp.Rational(1, r)) for r in range(1, m + 1)], count)
                    changed = definition.xreplace({1 / count: q})
                    definitions = (*nt.definitions[:n], (name, changed), *nt.definitions[n + 1 :])
                    yield (
                        f"{name} defined with {q} for 1/{count}",
                        replace(step, notation=replace(nt, definitions=definitions)),
                        m,
                    )


def mutations(source: Source, operator: str):
    """Every mutant of one source under one operator."""
    step = source.step
    if operator in WIDENING:
        for change, new, degree in _widening(source, operator):
            yield Mutant(operator, source.where, change, new, degree)
        return
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


def generate(sources: list[Source], limit: int, seed: int, keep=None) -> list[Mutant]:
    """Up to ``limit`` distinct mutants, drawn round-robin over the operators (each
    operator's own list shuffled with ``seed``), so that no operator supplies most of them
    unless the others run out. ``keep``: a test for the mutants to draw from (all of them
    by default)."""
    rng = random.Random(seed)
    seen = {_key(s.step) for s in sources}
    pools = {}
    # A mutant two operators make (δ_ij → δ_jj = 1 is also an index swap) is counted once,
    # under the operator with fewer places to act, so that the rare operators keep theirs.
    order = ("average", "delta", "hypothesis", "cited-family", "sum", "distinct-indices", "hidden-N")
    for operator in (*order, "index-number", "hidden-K", "swap", "drop", "constant", "sign"):
        pool = []
        for source in sources:
            for mutant in mutations(source, operator):
                if _key(mutant.step) not in seen and _well_formed(mutant.step) and (keep is None or keep(mutant)):
                    seen.add(_key(mutant.step))
                    pool.append(mutant)
        rng.shuffle(pool)
        if operator == "distinct-indices":
            # each of these costs the core its whole time limit: a few per run, not a seventh
            slow = [m for m in pool if ALL_PAIRS_AS_DELTA in m.change]
            pool = [m for m in pool if ALL_PAIRS_AS_DELTA not in m.change] + slow[:SLOW_PER_RUN]
            rng.shuffle(pool)
        pools[operator] = pool
    chosen: list[Mutant] = []
    while len(chosen) < limit and any(pools.values()):
        for operator in OPERATORS:
            if pools[operator] and len(chosen) < limit:
                chosen.append(pools[operator].pop())
    return chosen


# ------------------------------------------------------------------ the run


def referee(step: Step, seed: int, degree: int = 0) -> Finding:
    return judge(step.previous, step.next, step.all_cited, step.notation, seed=seed, degree=degree)


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
    result = judge_mutants(mutants, seed, time_limit, batch, log)
    result.update(sources=sources, source_problems=problems, seconds=time.perf_counter() - started)
    return result


def judge_mutants(mutants: list[Mutant], seed: int, time_limit: float, batch: int = 40, log=print) -> dict:
    """The referee on every mutant, then the core on every one the referee does not find
    equivalent. ``outcome`` sorts each mutant into exactly one of equivalent, rejected and
    accepted (see ``classify``)."""
    started = time.perf_counter()
    findings = [referee(m.step, seed * 7919 + n, m.degree) for n, m in enumerate(mutants)]
    # The unevaluable ones go to the core too: what it makes of them decides where they count.
    to_check = [n for n, f in enumerate(findings) if f.verdict != "identity"]
    log(
        f"referee done after {time.perf_counter() - started:.0f} s; core on the {len(to_check)} not found equivalent..."
    )
    done = Counter()

    def progress(number, outcome):
        done["n"] += 1
        if outcome[0] not in ("fails", "refused"):
            # shown at once: these are what the run is for
            m, f = mutants[to_check[number]], findings[to_check[number]]
            print(
                f"\n{outcome[0]}: [{m.operator}] {m.where}: {m.change}: {outcome[1]} (referee: {f.verdict})",
                file=sys.stderr,
            )
        if sys.stderr.isatty() or done["n"] % 100 == 0 or done["n"] == len(to_check):  # a log gets every 100th
            print(
                f"\r  {done['n']}/{len(to_check)}", end="" if sys.stderr.isatty() else "\n", file=sys.stderr, flush=True
            )

    verdicts = core_verdicts([mutants[n].step for n in to_check], time_limit, batch, progress)
    if to_check:
        print(file=sys.stderr)
    core = dict(zip(to_check, verdicts))
    outcome = {n: classify(f, core.get(n)) for n, f in enumerate(findings)}
    return {"mutants": mutants, "findings": findings, "outcome": outcome, "core": core}


def classify(finding: Finding, core: tuple[str, str] | None) -> str:
    """equivalent (the referee finds the mutant still an identity; the core is not asked),
    accepted (the core says it holds) or rejected (the core fails it, refuses it as bad
    input, runs out of time on it or stops with an engine error: it does not accept it).

    A mutant the referee cannot evaluate anywhere is never equivalent: it counts by the
    core's verdict, and a "holds" on it counts as accepted, since nothing vouches for it."""
    if finding.verdict == "identity":
        return "equivalent"
    if core is None:
        raise ValueError("a mutant the referee does not find equivalent was not checked by the core")
    return "accepted" if core[0] == "holds" else "rejected"


# rejected counts refused, undecided and error; unevaluable is counted in rejected or accepted
COLUMNS = ("generated", "equivalent", "rejected", "refused", "undecided", "error", "accepted", "unevaluable")


def table(result: dict) -> dict[str, Counter]:
    rows = {op: Counter() for op in OPERATORS}
    for n, mutant in enumerate(result["mutants"]):
        row = rows[mutant.operator]
        row["generated"] += 1
        kind = result["outcome"][n]
        row[kind] += 1
        core = result["core"].get(n)
        if kind == "rejected" and core[0] in ("refused", "undecided", "error"):
            row[core[0]] += 1
        if result["findings"][n].verdict == "unevaluable":
            row["unevaluable"] += 1
            row[f"unevaluable {kind}"] += 1
    return rows


def totals(result: dict) -> Counter:
    total = Counter()
    for row in table(result).values():
        total.update(row)
    assert total["equivalent"] + total["rejected"] + total["accepted"] == total["generated"], total
    return total


def summary(total: Counter) -> str:
    return (
        f"mutants: {total['generated']} generated, {total['equivalent']} equivalent, "
        f"{total['rejected']} rejected, {total['accepted']} accepted"
    )


def report(result: dict, log=print) -> int:
    rows = table(result)
    log("")
    log(f"{'operator':34s}" + "".join(f"{c:>12s}" for c in COLUMNS))
    for op in OPERATORS:
        log(f"{DESCRIPTIONS[op]:34s}" + "".join(f"{rows[op][c]:12d}" for c in COLUMNS))
    total = totals(result)
    log(f"{'total':34s}" + "".join(f"{total[c]:12d}" for c in COLUMNS))
    log(
        "(rejected = the core did not accept the step: it says fails, or refused it as bad input (VocabularyError), "
        "ran out of time (undecided) or stopped with an engine error; those three are counted in rejected)"
    )
    log(
        f"unevaluable: {total['unevaluable']} mutants the referee could evaluate nowhere; not counted as equivalent "
        f"but by the core's verdict: {total['unevaluable rejected']} rejected, {total['unevaluable accepted']} accepted"
    )
    for n, mutant in enumerate(result["mutants"]):
        kind, core = result["outcome"][n], result["core"].get(n)
        unevaluable = result["findings"][n].verdict == "unevaluable"
        if kind == "accepted" or unevaluable or (core and core[0] in ("undecided", "error")):
            label = "ACCEPTED" if kind == "accepted" else core[0].upper()
            label += " (unevaluable)" if unevaluable else ""
            log(f"{label}: [{mutant.operator}] {mutant.where}: {mutant.change}")
            log(f"    {mutant.step.previous}  =  {mutant.step.next}   cites {[str(h) for h in mutant.step.all_cited]}")
            log(f"    referee: {result['findings'][n].detail}; core: {core[0]} ({core[1]})")
    minutes, seconds = divmod(result["seconds"], 60)
    log(f"wall time: {int(minutes)} min {seconds:.0f} s; {len(result['sources'])} sources")
    log(summary(total))
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
