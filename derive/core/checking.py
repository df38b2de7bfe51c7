"""The kernel's one entry point: decide whether a step holds, and how strongly.

For a step ``previous = next`` under the cited hypotheses, three witnesses run:

1. symbolic (:mod:`.symbolic`): a normal form with K and the indices symbolic;
2. exact (:mod:`.unrolled`): every K ≤ n written out and decided exactly;
3. numeric (:mod:`.numeric`): random rational points, including K above n.

and the referee (:mod:`.referee`) re-evaluates any counterexample before it is shown. The
label is the strongest witness that held. When the witnesses contradict each other — the
symbolic proof holds but a counterexample exists, or two witnesses disagree at the same K —
that is an :class:`EngineError`, never a verdict.

Hypotheses are data: the step is first checked under exactly what it cites. A step that
holds is then re-checked without each cited hypothesis to report the ones it needed; a step
that fails is re-checked with each hypothesis it might have forgotten to cite.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import sympy as sp

from . import digits, numeric, symbolic, unrolled
from .cache import VerdictCache
from .claim import Claim
from .hypotheses import Hypothesis, different, one_hot, same, sums_to_one
from .limits import run_limited
from .referee import Point, sides_differ
from .semantics import VocabularyError, symbolic_value, with_definitions
from .verdict import (
    _CORE,
    CheckedDerivation,
    Counterexample,
    Derivation,
    EngineError,
    Status,
    Step,
    Strength,
    Verdict,
)
from .vocabulary import Notation, StandIn, SumExcept, outermost

__all__ = [
    "CROSS_CHECK_CLASSES",
    "EXACT_CLASSES",
    "EXACT_EXAMPLES",
    "TIME_LIMIT",
    "check",
    "check_derivation",
]

EXACT_CLASSES = 5  # n: the exact witness decides every K = 1..n
EXACT_EXAMPLES = 2  # m: and every N = 1..m for batch sums
CROSS_CHECK_CLASSES = 3  # once the symbolic proof holds, K = 1..3 suffices as a cross-check
CROSS_CHECK_POINTS = 12  # and half the numeric points (still every K the sweep covers)
SAMPLED_POINTS = 24  # the numeric points for a step not proved
TIME_LIMIT = 30.0  # seconds per step, then "undecided"


SWEPT_DEGREE = 20  # a step not proved is sampled at every K (and N) up to this degree + 1


def _distinct(claim: Claim, count) -> int:
    return sum(1 for upper in claim.ranges.values() if count is not None and upper == count)


def _index_degree(claim: Claim) -> int:
    """The highest degree of a polynomial in an index used as a number ((i − 1)⋯(i − 21),
    Σ_k (k − 1)⋯(k − 21) s_k): the sweep must reach a K where it no longer vanishes."""
    worst = 0
    if unrolled.relabelling_invariant(claim):
        return 0  # every index is a subscript, in a δ or a sum's letter: never a number
    for side in (claim.left, claim.right):
        for x in with_definitions(side, claim.notation):
            if isinstance(x, sp.Sum):
                body, (k, _, _) = outermost(x)
                worst = max(worst, symbolic.degree_in(body, k))
            elif isinstance(x, SumExcept):
                worst = max(worst, symbolic.degree_in(x.body, x.bound))
        for i in claim.ranges:
            worst = max(worst, symbolic.degree_in(side, i))
    return worst


def _count_degree(claim: Claim) -> int:
    """The degree in K and N of the sides as written (for a claim about one K, where the
    symbolic witness does not run, the only measure of how far N must be swept)."""
    difference = claim.left - claim.right
    written = difference.free_symbols
    counts = [c for c in (claim.notation.classes, claim.notation.examples) if c is not None and c in written]
    return max((symbolic.degree_in(difference, c) for c in counts), default=0)


def _remainder(claim: Claim) -> int | None:
    """The symbolic witness: None when proved, else the degree in K of what did not reduce.
    Not applicable (0) to a claim about one concrete K, which the exact witness decides."""
    if claim.notation.concrete:
        return 0
    return symbolic.remainder_degree(
        symbolic_value(claim.left, claim.notation),
        symbolic_value(claim.right, claim.notation),
        claim.notation,
        claim.ranges,
        claim.cited,
    )


def _holds_quickly(claim: Claim, classes: int) -> bool:
    """For probing hypotheses: the symbolic proof, else the exact and numeric witnesses with
    the same reach as the check itself."""
    degree = _remainder(claim)
    if degree is None and not claim.notation.concrete:
        return True
    # The hint "holds only if h: cite it" must not be weaker than the verdict it would lead to.
    beyond = max((degree or 0) + 1, SWEPT_DEGREE + 1, _index_degree(claim) + 2, _count_degree(claim) + 2)
    examples = EXACT_EXAMPLES if claim.uses_examples else 1
    return (
        unrolled.exact_check(claim, classes, examples).failure is None
        and numeric.sample(claim, classes, examples, beyond=beyond, digits=444).difference_at is None
    )


def _entries(left, right) -> list[tuple[str, sp.Expr, sp.Expr]] | None:
    """A claim between matrices (a Jacobian for one K) is a claim about every entry; None
    for a claim between scalars."""
    left, right = _as_number(left), _as_number(right)
    if not (isinstance(left, sp.MatrixBase) or isinstance(right, sp.MatrixBase)):
        return None
    if _shape_mismatch(left, right) is not None:
        return []  # decided without the witnesses: see _shape_verdict
    rows, cols = left.shape
    return [(f"entry ({a + 1},{b + 1})", left[a, b], right[a, b]) for a in range(rows) for b in range(cols)]


def _as_number(side):
    """A 1×1 matrix (xᵀy, a row times a column) is the number it holds."""
    if isinstance(side, sp.MatrixBase) and side.shape == (1, 1):
        return side[0, 0]
    return side


def _shape(side) -> str:
    if isinstance(side, sp.MatrixBase):
        return f"a {side.shape[0]}×{side.shape[1]} matrix"
    return "a number"


def _shape_mismatch(left, right) -> str | None:
    """Two well-formed sides of different shapes: a step that fails at every point."""
    left, right = _as_number(left), _as_number(right)
    left_is, right_is = isinstance(left, sp.MatrixBase), isinstance(right, sp.MatrixBase)
    if (left_is or right_is) and (not (left_is and right_is) or left.shape != right.shape):
        return f"{_shape(left)} cannot equal {_shape(right)}"
    return None


def _shape_verdict(left, right, notation: Notation, cited) -> Verdict:
    counterexample = Counterexample(
        classes=int(notation.classes) if notation.concrete else None,
        examples=None,
        indices=(),
        inputs=(),
        left=_shape(left),
        right=_shape(right),
        exact=True,
        count_name="K",
        _seal=_CORE,
    )
    reason = f"the two sides differ in shape: {_shape_mismatch(left, right)}"
    return Verdict(
        Status.FAILS, None, "", None, None, cited, (), None, counterexample,
        (("shapes", reason),), reason, 0.0, _seal=_CORE,
    )  # fmt: skip


def _prepare(left, right, notation: Notation, cited: tuple[Hypothesis, ...], guards=()) -> None:
    """Raise VocabularyError now, in the caller's process, for a step the core cannot read."""
    check_guards(guards, notation, cited)
    left, right = _as_number(left), _as_number(right)
    if digits.has_decimals(left, right):
        digits.check_written(left, right)
        left, right = digits.as_written(left), digits.as_written(right)
        Claim.prepare(left, right, notation, cited)
        digits.check_defined(left, right, notation)
        return
    entries = _entries(left, right)
    for _, a, b in entries if entries is not None else [("", left, right)]:
        claim = Claim.prepare(a, b, notation, cited)
        unrolled.check_denominators((a, b), notation, claim.cited)


def _decide(
    left, right, notation: Notation, cited: tuple[Hypothesis, ...], classes: int, examples: int, guards=()
) -> dict:
    """Everything the witnesses found, as plain data (this runs in a worker process)."""
    left, right = _as_number(left), _as_number(right)
    if digits.has_decimals(left, right):
        # A worked example with decimals: decided at the precision written, by its own two
        # evaluations (the witnesses for all K have nothing to vary in a claim without variables).
        started = time.perf_counter()
        raw = digits.decide(digits.as_written(left), digits.as_written(right), notation)
        return {**raw, "timings": (("digits", time.perf_counter() - started),)}
    entries = _entries(left, right)
    if entries is None:
        return _decide_scalar(left, right, notation, cited, classes, examples, guards)
    decided = []
    for where, a, b in entries:
        raw = _decide_scalar(a, b, notation, cited, classes, examples, guards)
        if raw.get("undecided"):
            return raw
        if raw["point"] is not None:
            raw["witnesses"] = tuple((name, f"{where}: {text}") for name, text in raw["witnesses"])
            raw["entry"] = where
            return raw
        decided.append(raw)
    needed = tuple(dict.fromkeys(h for raw in decided for h in raw["needed"]))
    timings = tuple((name, sum(dict(raw["timings"])[name] for raw in decided)) for name, _ in decided[0]["timings"])
    reached = min(raw["reached"] for raw in decided)
    examples = [raw["examples_reached"] for raw in decided if raw["examples_reached"] is not None]
    return {
        **decided[0],
        # The label of the whole matrix is that of its weakest entry.
        "proved": all(raw["proved"] for raw in decided),
        "k_free": all(raw["k_free"] for raw in decided),
        "uses_examples": any(raw.get("uses_examples") for raw in decided),
        "examples_reached": min(examples) if examples else None,
        "reached": reached,
        "needed": needed,
        "timings": timings,
        "witnesses": (("entrywise", f"all {len(entries)} entries equal"), *decided[0]["witnesses"][1:]),
    }


def _decide_scalar(
    left, right, notation: Notation, cited: tuple[Hypothesis, ...], classes: int, examples: int, guards=()
) -> dict:
    clock = time.perf_counter
    started = clock()
    claim = Claim.prepare(left, right, notation, cited)
    degree = _remainder(claim)
    proved = None if notation.concrete else degree is None
    if proved:
        reach, reach_examples, beyond = CROSS_CHECK_CLASSES, examples, (degree or 0) + 1
    else:
        # Without a proof the exact witness must at least see every free index distinct,
        # and the numeric one sweeps K and N past any polynomial dependence the normal form
        # may hide (in an exponent, under a root, through an index used as a number).
        reach = max(classes, _distinct(claim, notation.classes))
        reach_examples = max(examples, _distinct(claim, notation.examples))
        beyond = max((degree or 0) + 1, SWEPT_DEGREE + 1, _index_degree(claim) + 2, _count_degree(claim) + 2)
    symbolic_done = clock()
    exact = unrolled.exact_check(claim, reach, reach_examples)
    exact_done = clock()
    if not proved and exact.classes_reached == 0 and exact.failure is None:
        # Nothing decided exactly: if no sampled point is defined either, there is no
        # evidence at all, and a step defined nowhere says nothing.
        try:
            probe = numeric.sample(claim, reach, reach_examples, beyond=beyond, points=SAMPLED_POINTS, digits=40)
        except OverflowError:
            probe = None  # decided below, where the witness looks again
        if probe is not None and probe.largest_classes == 0 and probe.difference_at is None:
            raise VocabularyError("the step is defined at no point tried: every one makes a denominator 0")
    settled = _settled_exactly(claim, exact)
    if proved or settled or exact.failure is not None:
        # A cross-check of a proof (or of an exact decision of a claim about one K, or about
        # no K at all), or of a counterexample already found: the numeric witness only has
        # to agree, not to search far.
        points, digits, beyond = CROSS_CHECK_POINTS, 40, min(beyond, (degree or 0) + 1)
    else:
        points, digits = SAMPLED_POINTS, 444  # the only evidence beyond the exact reach

    def undecided_timings() -> tuple:
        return (("symbolic", symbolic_done - started), ("exact", exact_done - symbolic_done),
                ("numeric", clock() - exact_done), ("hypotheses", 0.0))  # fmt: skip

    try:
        sampled = numeric.sample(claim, reach, reach_examples, beyond=beyond, points=points, digits=digits)
    except OverflowError:
        # e^{e^{e^{e^{e^{z}}}}} at a sampled point has more digits than any number can hold:
        # the numeric witness cannot look, and without it nothing is decided
        return {"undecided": "a value too large for the numeric witness to evaluate", "timings": undecided_timings()}
    numeric_done = clock()
    if not proved and exact.failure is None and sampled.difference_at is None:
        timings = undecided_timings()
        if not settled and beyond > numeric.MAX_SAMPLED_CLASSES:
            # (K−1)(K−2)⋯(K−300) = 0 is an identity for every K the witnesses reach, and false
            # at K = 301: a dependence on K of a degree beyond their reach leaves no verdict
            reason = f"the step depends on K with degree {beyond - 1}, beyond the largest K tried "
            return {"undecided": reason + f"({numeric.MAX_SAMPLED_CLASSES})", "timings": timings}
        if numeric.has_too_many_patterns(claim):
            # Neither witness could look at every way the free indices may coincide: without
            # a proof there is no verdict.
            reason = f"{len(claim.ranges)} free indices: too many to decide without a symbolic proof"
            return {"undecided": reason, "timings": timings}
    witnesses = []
    if proved is not None:
        witnesses.append(("symbolic", "normal form is zero" if proved else "normal form not zero: not proved"))
    point: Point | None = None
    if exact.failure is not None:
        point = exact.failure.point
        if proved:
            raise EngineError(
                f"the symbolic proof holds but the exact witness finds a difference at K = {point.classes}"
            )
        witnesses.append(("exact", f"differs at K = {point.classes}"))
    else:
        witnesses.append(
            (
                "exact",
                f"equal for every K ≤ {exact.classes_reached}"
                if not notation.concrete
                else f"equal at K = {int(notation.classes)}",
            )
        )
    if sampled.difference_at is not None:
        found = sampled.difference_at
        if proved:
            raise EngineError(
                f"the symbolic proof holds but the numeric witness finds a difference at K = {found.classes}"
            )
        within_exact = found.classes <= exact.classes_reached and (
            found.examples is None or (exact.examples_reached or 0) >= found.examples
        )
        if exact.failure is None and within_exact:
            raise EngineError(
                f"the exact witness finds the sides equal for K = {found.classes} but the numeric witness does not"
            )
        if point is None:
            # Found above the exact witness's reach: SymPy's own reading must agree at that point.
            again = unrolled.value_at(claim, found)
            if again == 0:
                raise EngineError(f"the numeric witness and SymPy's exact reading disagree at K = {found.classes}")
            # Then look for the smallest K, with simple values, between the two reaches.
            smallest = (
                unrolled.exact_check(
                    claim, found.classes, max(found.examples or 1, reach_examples), exact.classes_reached + 1
                ).failure
                if found.classes <= 10 and (found.examples or 1) <= 4  # writing out K = 21 can take minutes
                else None
            )
            point = smallest.point if smallest is not None else found
        witnesses.append(("numeric", f"differs at K = {found.classes}"))
    else:
        witnesses.append(("numeric", f"{sampled.points} points agree, K up to {sampled.largest_classes}"))
    raw = {
        "proved": bool(proved),
        "concrete": notation.concrete,
        "k_free": not claim.involves_classes,
        "reached": exact.classes_reached,
        "examples_reached": exact.examples_reached,
        "witnesses": tuple(witnesses),
        "point": point,
        "uses_labels": claim.uses_labels,
        "uses_logits": claim.uses_logits,
        "uses_examples": claim.uses_examples,
    }
    if point is not None:
        differ, left_text, right_text, is_exact = sides_differ(notation, point, claim.left, claim.right)
        if differ is not True:
            raise EngineError(f"the referee does not confirm the difference found at K = {point.classes}")
        raw["sides"] = (left_text, right_text, is_exact)
        stand_ins = sorted(
            {
                str(e)
                for side in (claim.left, claim.right)
                for e in with_definitions(side, notation)
                if isinstance(e, StandIn)
            }
        )
        if stand_ins:
            # the point gives the stand-in a value the quantity may never take: nothing is shown
            # that a person could not check
            names = ", ".join(stand_ins)
            raw["undecided"] = (
                f"the sides differ at {names} = {_stand_in_value(point, stand_ins)}, and derive does not know "
                f"which values {names} can take: the step needs what it stands for"
            )
        raw["difference"] = _difference(claim)
        raw["missing"] = _missing_hypothesis(claim, point, classes)
        raw["needed"] = ()
    else:
        raw["needed"] = _needed_hypotheses(claim, bool(proved), settled, reach, reach_examples, beyond, guards)
        raw["missing"] = None
    # Seconds each part took, for --debug and the benchmark; never an input to the verdict.
    raw["timings"] = (
        ("symbolic", symbolic_done - started),
        ("exact", exact_done - symbolic_done),
        ("numeric", numeric_done - exact_done),
        ("hypotheses", clock() - numeric_done),
    )
    return raw


def _difference(claim: Claim):
    """The diagnosis shown with a failed step: left − right as the symbolic witness left it."""
    if claim.notation.concrete:
        return None
    difference = symbolic.remainder(
        symbolic_value(claim.left, claim.notation),
        symbolic_value(claim.right, claim.notation),
        claim.notation,
        claim.ranges,
        claim.cited,
    )
    return _in_softmax_terms(difference, claim.notation) if difference is not None else None


def _in_softmax_terms(difference, notation: Notation):
    """Write e^{z_a}/Σ_k e^{z_k} as s_a again where that removes every exponential (the
    diagnosis then reads in the author's letters: −2y_i/s_i, not −2y_i e^{−z_i} Σ_k e^{z_k})."""
    z, s = notation.logits, notation.softmax
    if s is None or notation.temperature is not None:
        return difference
    totals = [x for x in difference.atoms(sp.Sum) if x.function == sp.exp(z[x.limits[0][0]]) and len(x.limits) == 1]
    if len(totals) != 1:
        return difference
    (total,) = totals
    hidden = sp.Dummy("total")
    outside = difference.xreplace({total: hidden})  # the sum's own e^{z_k} stay as they are
    swap = {}
    for e in outside.atoms(sp.exp):
        coefficient, entry = e.args[0].as_coeff_Mul()
        if isinstance(entry, sp.Indexed) and entry.base == z and coefficient.is_Integer:
            swap[e] = (s[entry.indices] * hidden) ** coefficient
    if not swap:
        return difference
    rewritten = sp.factor_terms(sp.cancel(outside.xreplace(swap)))
    return difference if rewritten.has(hidden) or rewritten.has(sp.exp) else rewritten


def _settled_exactly(claim: Claim, exact) -> bool:
    """Did the exact witness decide the whole claim: one K with every index assignment (and
    no example count left symbolic), or no K, N or index at all?"""
    if exact.failure is not None:
        return False
    if claim.notation.concrete:
        return exact.classes_reached >= int(claim.notation.classes) and not claim.uses_examples
    return not claim.involves_classes and exact.classes_reached >= 1


def _needed_hypotheses(
    claim: Claim, proved: bool, settled: bool, reach: int, reach_examples: int, beyond: int, guards=()
) -> tuple[Hypothesis, ...]:
    needed = []
    for h in claim.cited:
        try:
            without = claim.with_cited(tuple(x for x in claim.cited if x != h))
            check_guards(guards, claim.notation, without.cited)
            unrolled.check_denominators((claim.left, claim.right), claim.notation, without.cited)
        except VocabularyError:  # e.g. a log that only the condition makes defined
            needed.append(h)
            continue
        if proved:
            still = _remainder(without) is None
        elif settled:
            try:
                still = _settled_exactly(without, unrolled.exact_check(without, reach, reach_examples))
            except VocabularyError:
                still = False
        else:
            # "not needed" is said as strongly as the verdict: the same reach and sweep.
            try:
                still = (
                    unrolled.exact_check(without, reach, reach_examples).failure is None
                    and numeric.sample(without, reach, reach_examples, beyond=beyond, digits=444).difference_at is None
                )
            except VocabularyError:  # without it the step divides by zero somewhere
                still = False
        if not still:
            needed.append(h)
    return tuple(needed)


def _violates(point: Point, h: Hypothesis, notation: Notation) -> bool:
    """Does the counterexample break hypothesis ``h``? Only then can citing ``h`` help."""
    indices = dict(point.indices)
    if h.is_case:
        a, b = (indices.get(x) for x in h.subjects)
        return a is not None and b is not None and (a == b) != (h.kind == "same")
    if h.kind in ("sums_to_one", "one_hot"):
        rows: dict = {}
        for variable, value in point.values:
            if isinstance(variable, sp.Indexed) and variable.base == notation.labels:
                rows.setdefault(tuple(variable.indices[:-1]), []).append(value)
        if h.kind == "sums_to_one":
            return any(sum(row) != 1 for row in rows.values())
        return any(sum(row) != 1 or any(v not in (0, 1) for v in row) for row in rows.values())
    return False


def _missing_hypothesis(claim: Claim, point: Point, classes: int) -> Hypothesis | None:
    kinds = {h.kind for h in claim.cited}
    candidates: list[Hypothesis] = []
    if "one_hot" not in kinds and claim.uses_labels:
        if "sums_to_one" not in kinds:
            candidates.append(sums_to_one(claim.notation.labels))
        candidates.append(one_hot(claim.notation.labels))
    constrained = {frozenset(h.subjects) for h in claim.cited if h.is_case}
    names = sorted(claim.ranges, key=str)
    for a_pos, a in enumerate(names):
        for b in names[a_pos + 1 :]:
            if claim.ranges[a] == claim.ranges[b] and frozenset((a, b)) not in constrained:
                candidates += [same(a, b), different(a, b)]
    for h in candidates:
        if not _violates(point, h, claim.notation):
            continue  # the counterexample satisfies h: citing h cannot make the step hold
        try:
            if _holds_quickly(claim.with_cited((*claim.cited, h)), classes):
                return h
        except VocabularyError:
            continue
    return None


def _scope(notation: Notation, raw: dict, strength: Strength) -> str:
    if raw["k_free"] and not notation.concrete:
        return "all values"
    if notation.concrete:
        if strength is Strength.EXACT:  # one K, but the example count left symbolic
            return f"K = {int(notation.classes)}, N ≤ {raw['examples_reached']}"
        return f"K = {int(notation.classes)}"
    count = str(notation.classes)  # K, or N when the family runs over the examples
    if strength is Strength.PROVED:
        return f"all {count}"
    if strength is Strength.EXACT:
        text = f"{count} ≤ {raw['reached']}"
        if raw["examples_reached"] is not None:
            text += f", N ≤ {raw['examples_reached']}"
        return text
    return "sampled points"


def _digits_verdict(raw: dict, cited, seconds: float) -> Verdict:
    """The verdict on a claim with decimals (see :mod:`.digits`)."""
    timings = raw["timings"]
    if raw["holds"] is None:
        return Verdict(
            Status.UNDECIDED, None, "", None, None, cited, (), None, None, (), raw["reason"], seconds,
            timings=timings, _seal=_CORE,
        )  # fmt: skip
    if raw["holds"]:
        return Verdict(
            Status.HOLDS, Strength.DIGITS, raw["scope"], None, None, cited, (), None, None, raw["witnesses"], "",
            seconds, timings=timings, _seal=_CORE,
        )  # fmt: skip
    counterexample = Counterexample(
        classes=None, examples=None, indices=(), inputs=(), left=raw["left"], right=raw["right"],
        exact=not (raw["left"] + raw["right"]).count("≈"), _seal=_CORE,
    )  # fmt: skip
    return Verdict(
        Status.FAILS, None, "", None, None, cited, (), None, counterexample, raw["witnesses"], raw["reason"],
        seconds, timings=timings, _seal=_CORE,
    )  # fmt: skip


def _verdict(raw: dict | None, notation: Notation, cited, seconds: float, reason: str = "") -> Verdict:
    if raw is not None and raw.get("digits"):
        return _digits_verdict(raw, cited, seconds)
    if raw is not None and raw.get("undecided"):
        raw, reason = None, raw["undecided"]
    if raw is None:
        return Verdict(Status.UNDECIDED, None, "", None, None, cited, (), None, None, (), reason, seconds, _seal=_CORE)
    point: Point | None = raw["point"]
    if point is not None:
        left_text, right_text, is_exact = raw["sides"]
        counterexample = Counterexample(
            classes=point.classes if not raw["k_free"] else None,
            examples=point.examples,
            indices=tuple((str(name), value) for name, value in point.indices),
            inputs=_inputs(point, notation, raw["uses_labels"], raw["uses_logits"]),
            left=left_text,
            right=right_text,
            exact=is_exact,
            count_name=str(notation.classes) if not notation.concrete else "K",
            _seal=_CORE,
        )
        missing = raw["missing"]
        reason = f"holds only if {missing}: cite it" if missing is not None else "the two sides differ"
        if raw.get("entry"):
            reason += f" at {raw['entry']}"
        return Verdict(
            Status.FAILS, None, "", raw["reached"], raw["examples_reached"], cited, (), missing, counterexample,
            raw["witnesses"], reason, seconds, raw.get("difference"), timings=raw["timings"], _seal=_CORE,
        )  # fmt: skip
    whole = raw["concrete"] and raw["reached"] >= int(notation.classes)
    decided_exactly = (whole and not raw.get("uses_examples")) or (raw["k_free"] and raw["reached"] >= 1)
    if raw["proved"] or decided_exactly:
        # For a claim about one K (every index assignment tried, no example count left
        # symbolic), or about no K and no index at all, the exact witness decided it.
        strength = Strength.PROVED
    elif (raw["reached"] >= 1 and not raw["concrete"]) or (whole and raw["examples_reached"]):
        strength = Strength.EXACT
    else:
        strength = Strength.NUMERIC
    return Verdict(
        Status.HOLDS, strength, _scope(notation, raw, strength), raw["reached"], raw["examples_reached"], cited,
        raw["needed"], None, None, raw["witnesses"], "", seconds, timings=raw["timings"], _seal=_CORE,
    )  # fmt: skip


def _stand_in_value(point: Point, names) -> str:
    for variable, q in (*point.values, *point.exponentials):
        if str(variable) in names:
            return _q(q) if (variable, q) in point.values else f"log {_q(q)}"
    return "some value"


def _entry_name(variable: sp.Indexed) -> str:
    key = ",".join(str(i) for i in variable.indices)
    letter = sp.pretty(variable.base.label, use_unicode=True)
    return f"{letter}_{key}" if len(variable.indices) == 1 else f"{letter}_{{{key}}}"


def _inputs(point: Point, notation: Notation, uses_labels: bool, uses_logits: bool) -> tuple[tuple[str, str, str], ...]:
    """(text, LaTeX, value) for each input the claim depends on, in the notation's letters."""
    T = notation.temperature
    inputs = []
    for variable, q in point.exponentials:
        if isinstance(variable, sp.Indexed):
            if not uses_logits:
                continue
            key = ",".join(str(i) for i in variable.indices)
            name = _entry_name(variable)
            latex = f"{sp.latex(variable.base)}_{{{key}}}"
            if T is not None:
                name, latex = f"{name}/{T}", f"{latex}/{sp.latex(T)}"
        else:
            name, latex = str(variable), sp.latex(variable)
        inputs.append((f"e^{{{name}}}", f"e^{{{latex}}}", _q(q)))
    for variable, q in point.values:
        if isinstance(variable, sp.Indexed):
            if not (uses_labels if variable.base == notation.labels else uses_logits):
                continue
            key = ",".join(str(i) for i in variable.indices)
            inputs.append((_entry_name(variable), f"{sp.latex(variable.base)}_{{{key}}}", _q(q)))
        else:
            inputs.append((sp.pretty(variable, use_unicode=True), sp.latex(variable), _q(q)))
    return tuple(inputs)


def _q(v) -> str:
    return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


def _raise_from_worker(outcome) -> None:
    error = outcome.error
    if isinstance(error, (EngineError, VocabularyError)):
        raise type(error)(f"{error}") from None
    failure = EngineError(f"internal error in a witness: {type(error).__name__}: {error}")
    failure.detail = outcome.detail  # the worker's traceback, for --debug
    raise failure


def check(
    previous: sp.Expr,
    next: sp.Expr,
    cites: tuple[Hypothesis, ...] = (),
    *,
    notation: Notation,
    time_limit: float = TIME_LIMIT,
    exact_classes: int = EXACT_CLASSES,
    exact_examples: int = EXACT_EXAMPLES,
) -> Verdict:
    """Decide whether ``previous = next`` holds for every K and every index value allowed by
    ``cites``, using only ``cites``.

    >>> from derive.core import Partial, indices, same, softmax_notation
    >>> nt = softmax_notation()
    >>> s, z = nt.softmax, nt.logits
    >>> i, j = indices("i j")
    >>> check(Partial(s[i], z[j]), s[i] - s[i]**2, (same(i, j),), notation=nt).label
    'proved for all K'
    """
    step = Step(previous, next, tuple(cites))
    return _check_steps([step], notation, time_limit, exact_classes, exact_examples)[0]


def _heaviest_first(tasks) -> list[int]:
    """An order for the pool: the slowest steps first, so that two workers finish together
    rather than one waiting for a long step started last. The size of the expressions is the
    estimate; a batch over N examples or a matrix costs several times its size."""

    def weight(task) -> int:
        left, right, notation = task[0], task[1], task[2]
        size = sum(1 for _ in sp.preorder_traversal(left)) + sum(1 for _ in sp.preorder_traversal(right))
        entries = _entries(left, right)
        return size * (len(entries) if entries else 1) * (3 if notation.examples is not None else 1)

    return sorted(range(len(tasks)), key=lambda n: -weight(tasks[n]))


def _check_steps(
    steps, notation, time_limit, exact_classes, exact_examples, on_done=None, cache: VerdictCache | None = None
) -> list[Verdict]:
    tasks, keys = [], []
    verdicts: list[Verdict | None] = []
    for number, step in enumerate(steps):
        nt = step.notation or notation
        try:
            _prepare(step.previous, step.next, nt, step.all_cited, step.guards)
        except VocabularyError as error:
            error.step_index = number  # so that a reader can say where the step was written
            raise
        if _shape_mismatch(step.previous, step.next) is not None:
            verdicts.append(_shape_verdict(step.previous, step.next, nt, step.all_cited))
            keys.append(None)
            if on_done:
                on_done(number)
            continue
        key = cache.key(step, nt, exact_classes, exact_examples) if cache is not None else None
        known = cache.get(key, step) if cache is not None else None
        verdicts.append(known)
        keys.append(key)
        if known is None:
            tasks.append(
                (number, (step.previous, step.next, nt, step.all_cited, exact_classes, exact_examples, step.guards))
            )
        elif on_done:
            on_done(number)
    work = [task for _, task in tasks]
    outcomes = run_limited(
        _decide, work, time_limit, on_done=(lambda n: on_done(tasks[n][0])) if on_done else None,
        first=_heaviest_first(work),
    )  # fmt: skip
    for (number, _), outcome in zip(tasks, outcomes):
        step = steps[number]
        nt = step.notation or notation
        if outcome.kind == "error":
            try:
                _raise_from_worker(outcome)
            except (EngineError, VocabularyError) as error:
                error.step_index = number  # so that a reader can say where the step was written
                raise
        if outcome.kind == "timeout":
            verdict = _verdict(None, nt, step.all_cited, outcome.seconds, f"no decision within {time_limit:g} s")
        else:
            verdict = _verdict(outcome.value, nt, step.all_cited, outcome.seconds)
        if cache is not None:
            cache.put(keys[number], step, verdict)
        verdicts[number] = verdict
    return verdicts  # type: ignore[return-value]


def check_derivation(
    derivation: Derivation,
    *,
    time_limit: float = TIME_LIMIT,
    exact_classes: int = EXACT_CLASSES,
    exact_examples: int = EXACT_EXAMPLES,
    on_step_done: Callable[[int], None] | None = None,
    cache: VerdictCache | None = None,
) -> CheckedDerivation:
    """Check every step of ``derivation`` (independent steps run in parallel). With a
    ``cache``, a step that held before is read from it instead, and a step that holds now is
    stored there."""
    verdicts = _check_steps(
        derivation.steps, derivation.notation, time_limit, exact_classes, exact_examples, on_step_done, cache
    )
    return CheckedDerivation(derivation, tuple(verdicts), _seal=_CORE)


def check_guards(guards, notation: Notation, cited: tuple[Hypothesis, ...]) -> None:
    """Refuse (VocabularyError) the denominators and logarithms a reader saw written and SymPy
    cancelled while building a side (δ_ij s_i/δ_ij, y_i s_i/y_i, log y_i − log y_i): a step
    that divides by something 0 in some case, or takes the log of something not positive, is
    not a step derive can vouch for even when the division cancels."""
    if not guards:
        return
    cited = Claim.prepare(sp.Integer(0), sp.Integer(0), notation, cited).cited  # the facts in force
    for guard in guards:
        if guard.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            raise VocabularyError(f"{guard}: undefined (a division by 0 or the log of 0)")
        # what a side must be: in the vocabulary, sums over all of 1..K, logs of positives
        Claim.prepare(guard, sp.Integer(0), notation, cited)
    unrolled.check_denominators(guards, notation, cited)


def unreadable(step: Step, notation: Notation) -> str | None:
    """Why the core cannot read ``step`` (the message it would refuse it with), or None.

    A reader asks before it hands a step over, so that one step the core refuses (log y_k,
    a symbolic power) is listed as not read and the rest of the document is still checked.
    It decides nothing about whether the step holds.
    """
    try:
        _prepare(step.previous, step.next, step.notation or notation, step.all_cited, step.guards)
    except VocabularyError as error:
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return None
