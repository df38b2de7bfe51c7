"""Witness 3: evaluation at random points with 40 significant digits. Evidence, never proof.

It samples K beyond the exact witness's reach too, which is how a step that holds for every
K ≤ n and fails at K = n + 1 is caught. Points are rational (e^{z_k} = p/q, labels allowed by
the cited hypotheses) so that a difference found here can be re-evaluated exactly.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from fractions import Fraction

import mpmath

from .claim import Claim
from .referee import Irrational, Point, Referee
from .symbolic import index_patterns
from .unrolled import assignments, relabelling_invariant

__all__ = ["MAX_SAMPLED_CLASSES", "NumericOutcome", "sample"]

MAX_SAMPLED_CLASSES = 256  # the largest K the numeric witness evaluates (a remainder of degree 255)
MAX_SAMPLED_EXAMPLES = 256  # and the largest N
MAX_PATTERNS = 52  # patterns of equal and distinct indices tried at a swept K: five free indices
ALL_ASSIGNMENTS = 64  # every assignment at a swept K, for a claim that uses an index as a number


@dataclass(frozen=True)
class NumericOutcome:
    points: int
    largest_classes: int
    difference_at: Point | None


def _labels(rng: random.Random, K: int, kinds: set[str]) -> list[Fraction]:
    if "one_hot" in kinds:
        hot = rng.randrange(K)
        return [Fraction(int(k == hot)) for k in range(K)]
    weights = [Fraction(rng.randint(0, 6)) for _ in range(K)]
    if "sums_to_one" in kinds:
        total = sum(weights)
        if total == 0:
            return [Fraction(1, K)] * K
        return [w / total for w in weights]
    return [Fraction(rng.randint(-6, 6), rng.randint(1, 4)) for _ in range(K)]


def _scalar(rng: random.Random, variable, cited, by_exponential: bool) -> Fraction:
    if by_exponential:
        return Fraction(rng.randint(1, 12), rng.randint(1, 4))
    conditions = [h for h in cited if h.is_domain and h.subjects[0] == variable]
    for _ in range(100):
        value = Fraction(rng.randint(-12, 12), rng.randint(1, 6))
        if value != 0 and all(h.allows(value) for h in conditions):
            return value
    lo, hi = Fraction(str(conditions[0].subjects[1])), Fraction(str(conditions[0].subjects[2]))
    return (lo + hi) / 2


def sample(
    claim: Claim,
    max_classes: int,
    max_examples: int,
    beyond: int = 0,
    points: int = 24,
    seed: int = 20261125,
    digits: int = 40,
) -> NumericOutcome:
    """Evaluate both sides at random points with K up to max_classes + 4; ``beyond``: every K
    up to at least this one too (the degree in K of what the symbolic witness could not
    reduce, plus one), and every N up to it when the claim runs over examples. ``digits``:
    40 is enough to cross-check a proof; a step that is not proved is compared at 444,
    so that a difference hidden under e^{−100} beside terms of size 1 is still seen."""
    left, right, notation, ranges, cited = claim.left, claim.right, claim.notation, claim.ranges, claim.cited
    uses_examples, rank, scalars, by_exponential = claim.uses_examples, claim.rank, claim.scalars, claim.by_exponential
    rng = random.Random(seed)
    kinds = {h.kind for h in cited}
    if notation.concrete:
        class_choices, sweep = [int(notation.classes)], []
    else:
        # Half the points above the exact witness's reach: that is where it cannot look.
        top = min(max(max_classes + 4, beyond), MAX_SAMPLED_CLASSES)
        sweep = list(range(max_classes + 1, top + 1))
        class_choices = list(range(1, max_classes + 1)) + sweep * 2
    # The example count is swept the same way, with few classes (N·K entries to evaluate).
    example_sweep = (
        list(range(max_examples + 2, min(max(max_examples + 2, beyond), MAX_SAMPLED_EXAMPLES) + 1))
        if uses_examples
        else []
    )
    z, y = notation.logits, notation.labels
    largest = 0
    planned_points = [(K, None) for K in sweep] + [(None, N) for N in example_sweep]
    schedule = planned_points + [(None, None)] * max(points - len(planned_points), len(planned_points) // 2 + 12)
    patterns = list(itertools.islice(index_patterns(ranges, cited), MAX_PATTERNS + 1))
    claim_uses_numbers = not relabelling_invariant(claim)

    def at(assignment: dict, K: int, N: int | None) -> Point:
        rows = [(n,) for n in range(1, N + 1)] if rank == 2 else [()]
        exponentials, values = {}, {}
        for row in rows:
            for k, label in enumerate(_labels(rng, K, kinds), start=1):
                exponentials[z[(*row, k)]] = Fraction(rng.randint(1, 9), rng.randint(1, 4))
                values[y[(*row, k)]] = label
        if not notation.logits_by_exponential:
            values.update({v: Fraction(rng.randint(-9, 9), rng.randint(1, 4)) for v in exponentials})
            exponentials = {}
        for x in scalars:
            (exponentials if x in by_exponential else values)[x] = _scalar(rng, x, cited, x in by_exponential)
        order = lambda items: tuple(sorted(items, key=lambda kv: str(kv[0])))  # noqa: E731
        return Point(K, N, order(assignment.items()), order(exponentials.items()), order(values.items()))

    for planned_classes, planned_examples in schedule:
        if planned_classes is not None:
            K = planned_classes
        elif planned_examples is not None:
            K = rng.choice(class_choices[: max(1, min(len(class_choices), 3))])
        else:
            K = rng.choice(class_choices)
        if planned_examples is not None:
            N = planned_examples
        else:
            N = rng.randint(1, max_examples + 1) if uses_examples else None
        sizes = {notation.classes: K}
        if N is not None:
            sizes[notation.examples] = N
        swept = planned_classes is not None or planned_examples is not None
        # At a swept count every pattern of equal and distinct indices, each with the largest
        # values (a factor (i − 1)⋯(i − 21)·1{i=j} is zero unless i = j ≥ 22); elsewhere one
        # pattern at random with random values.
        chosen = _pattern_assignments(patterns, ranges, sizes, rng, largest=swept)
        if swept and claim_uses_numbers:
            # An index used as a number can make a term vanish at the largest values too
            # ((K − k)·(k − 1)⋯(k − 19)·δ_ki): every assignment, where there are few enough.
            every = _every_assignment(ranges, sizes, cited, ALL_ASSIGNMENTS)
            chosen = every if every is not None else chosen
        if not chosen:
            continue
        for assignment in chosen:
            point = at(assignment, K, N)
            differ = _sides_differ(notation, point, left, right, digits)
            if differ is None:
                continue  # a denominator vanishes at this point: not a point of the claim
            largest = max(largest, K)
            if differ:
                return NumericOutcome(len(schedule), largest, point)
    return NumericOutcome(len(schedule), largest, None)


def _every_assignment(ranges, sizes, cited, limit: int) -> list[dict] | None:
    """Every assignment of the free indices allowed by the cited cases, or None when there
    are more than ``limit``."""
    total = 1
    for upper in ranges.values():
        total *= sizes[upper]
    if total > limit:
        return None
    return assignments(ranges, cited, sizes, up_to_relabelling=False)


def has_too_many_patterns(claim: Claim) -> bool:
    """More patterns of equal and distinct indices than the numeric witness tries at a K."""
    return next(itertools.islice(index_patterns(claim.ranges, claim.cited), MAX_PATTERNS, None), None) is not None


def _pattern_assignments(patterns, ranges, sizes, rng: random.Random, largest: bool) -> list[dict]:
    """Index values for the patterns that fit in ``sizes``: all of them with the largest
    values, or one at random with random values."""
    fitting = []
    for pattern in patterns:
        blocks: dict = {}
        for representative in dict.fromkeys(pattern.values()):
            blocks.setdefault(ranges[representative], []).append(representative)
        if all(len(reps) <= sizes[upper] for upper, reps in blocks.items()):
            fitting.append((pattern, blocks))
    if not fitting:
        return []
    if not largest:
        fitting = [rng.choice(fitting)]
    found = []
    for pattern, blocks in fitting:
        value = {}
        for upper, reps in blocks.items():
            size = sizes[upper]
            numbers = range(size, size - len(reps), -1) if largest else rng.sample(range(1, size + 1), len(reps))
            value.update(zip(reps, numbers))
        found.append({index: value[representative] for index, representative in pattern.items()})
    return found


def _sides_differ(notation, point: Point, left, right, digits: int = 40) -> bool | None:
    """Do the sides differ at ``point``? Exactly, in fractions, when no logarithm or
    exponential of a non-rational remains (a difference of 10^{−40} is a difference);
    otherwise at ``digits`` digits, where a difference counts only if it is the same number
    at max(digits, 444) + 60 (cancellation noise does not survive more digits, a true
    e^{−100} does).
    None when a denominator vanishes there."""
    try:
        exact = Referee(notation, point, "exact")
        return exact.value(left) != exact.value(right)
    except Irrational:
        pass
    except ZeroDivisionError:
        return None
    try:
        coarse = _difference(notation, point, left, right, digits)
        if coarse is None:
            return False
        fine = _difference(notation, point, left, right, max(digits, 444) + 60)
    except ZeroDivisionError:
        return None
    # Rounding noise amplified by a large factor (40! · (Σ_k y_k − 1)) changes with the
    # precision; a true difference is the same number at both.
    return fine is not None and abs(fine - coarse) <= abs(fine) * mpmath.mpf("1e-6")


def _difference(notation, point: Point, left, right, digits: int):
    """left − right at this many digits, or None when it is within the rounding of the sides."""
    try:
        referee = Referee(notation, point, "float", 300 if digits == 40 else 3 * digits + 1)
        lv, rv = referee.value(left), referee.value(right)
        difference = lv - rv
        if abs(difference) <= max(abs(lv), abs(rv)) * mpmath.mpf(10) ** (10 - digits):
            return None
        return difference
    finally:
        mpmath.mp.dps = 40
