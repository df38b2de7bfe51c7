"""A referee for the soundness harness that shares no code with the core's witnesses.

It reads the vocabulary objects (families, ``Sum``, ``SumExcept``, δ, ``Indicator``,
``Partial``, σ, exp, log, powers) itself and evaluates both sides of a step at random
points with mpmath at 40 significant digits: every sum is a Python loop, the softmax is
e^{z_k/T} / Σ_l e^{z_l/T} computed from the sampled logits, and a partial derivative is
taken by forward-mode dual numbers defined here. Only the vocabulary and hypothesis
*classes* are imported from derive.core (to recognise the objects); nothing of
semantics, symbolic, unrolled, numeric, referee or checking.

A step is an identity for this referee when the two sides agree at every sampled point
where both are defined, for every K = 1..16 (and N = 1..16 with an example count), the free
indices drawn as the cited cases allow and the labels as the cited label hypotheses allow.
The sweep goes further when the step is a polynomial of higher degree in K, N or an index
(a step's own estimate, or the degree a mutation says it inserted): a claim false only at
K = d + 1, such as (K−1)(K−2)⋯(K−d)·s_i = 0, is then still found false. With an example
count, K and N are not swept as a full grid: every K with N ≤ 3, every N with K ≤ 3, and
K = N throughout (a term P(K)·Q(N) shows on the diagonal).

A cited fact is read about the family it names: Σ_k s_k = 1 restricts nothing (it is true
of a softmax), z one-hot restricts the logits, and only a fact about the labels restricts
the labels. Not used by the core: it exists to judge the core.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy as sp

from derive.core.hypotheses import Hypothesis
from derive.core.vocabulary import Indicator, Notation, Partial, Sigmoid, SumExcept

__all__ = ["Finding", "Undefined", "Unevaluable", "judge"]

DIGITS = 40
# Well above the rounding of 40 digits, well below any real difference at random points.
TOLERANCE = mpmath.mpf("1e-25")
MAX_CLASSES = 16
MAX_EXAMPLES = 16
SWEEP_CEILING = 40  # no sweep goes beyond this K or N, whatever degree is claimed
SMALL_COUNTS = 3  # with an example count: every K at N = 1..3, every N at K = 1..3
ASSIGNMENTS_PER_COUNT = 9  # index assignments tried per (K, N); all of them when fewer
# Beyond K = 8 and N = 3 (the old sweep), fewer: the extremes and one drawn, one point each.
WIDE_CLASSES, WIDE_EXAMPLES, WIDE_ASSIGNMENTS = 8, 3, 4
ENUMERATION_LIMIT = 4096  # above this many index assignments, draw them instead of listing them
POINTS_PER_ASSIGNMENT = 2
MIN_DEFINED_POINTS = 8
MAX_ROUNDS = 12


class Undefined(Exception):
    """The point lies outside the expression's domain (log of a non-positive number, a
    division by zero): the point is skipped, not counted for or against the step."""


class Unevaluable(Exception):
    """Something this referee has no meaning for."""


class Dual:
    """a + b·ε with ε² = 0: the value and the derivative along the one seeded variable."""

    __slots__ = ("a", "b")

    def __init__(self, a, b=0):
        self.a = mpmath.mpf(a)
        self.b = mpmath.mpf(b)

    def __add__(self, o):
        return Dual(self.a + o.a, self.b + o.b)

    def __sub__(self, o):
        return Dual(self.a - o.a, self.b - o.b)

    def __neg__(self):
        return Dual(-self.a, -self.b)

    def __mul__(self, o):
        return Dual(self.a * o.a, self.a * o.b + self.b * o.a)

    def __truediv__(self, o):
        if o.a == 0:
            raise Undefined("division by zero")
        return Dual(self.a / o.a, (self.b * o.a - self.a * o.b) / (o.a * o.a))

    def power(self, q: Fraction) -> Dual:
        if q == 0:
            return Dual(1)
        if q.denominator == 1:
            n = q.numerator
            if n < 0:
                return Dual(1) / self.power(Fraction(-n))
            return Dual(self.a**n, n * self.a ** (n - 1) * self.b)
        if self.a == 0 and q > 0 and self.b == 0:
            return Dual(0)  # (P(K)²)^{1/2} at a K where P vanishes
        if self.a <= 0:
            raise Undefined("a fractional power of a non-positive number")
        p = mpmath.mpf(q.numerator) / q.denominator
        return Dual(mpmath.power(self.a, p), p * mpmath.power(self.a, p - 1) * self.b)

    def real_power(self, e: Dual) -> Dual:
        """self^e for an exponent that is not a fixed rational (2^j, 2^K): an integer value
        that carries no derivative is an integer power; anything else needs a positive base."""
        if e.b == 0 and e.a == int(e.a) and abs(e.a) <= 10_000:
            return self.power(Fraction(int(e.a)))
        if self.a <= 0:
            raise Undefined("a real power of a non-positive number")
        return (e * self.log()).exp()

    def exp(self) -> Dual:
        e = mpmath.exp(self.a)
        return Dual(e, e * self.b)

    def log(self) -> Dual:
        if self.a <= 0:
            raise Undefined("log of a non-positive number")
        return Dual(mpmath.log(self.a), self.b / self.a)


ONE, ZERO = Dual(1), Dual(0)


@dataclass(frozen=True)
class Finding:
    """``verdict`` is ``identity``, ``differs`` or ``unevaluable``; ``points`` is how many
    points (with both sides defined) were compared; ``detail`` says where it differs or why
    it could not be evaluated."""

    verdict: str
    points: int
    detail: str = ""


class _Sample:
    """One random point: K, N, every logit, label and scalar, drawn lazily and kept."""

    def __init__(self, notation: Notation, cited, classes: int, examples: int | None, rng: random.Random):
        self.notation, self.classes, self.examples, self.rng = notation, classes, examples, rng
        # A fact restricts the family it names, and only that one.
        about = {(h.kind, h.subjects[0]) for h in cited if h.kind in ("one_hot", "sums_to_one")}
        self.one_hot = ("one_hot", notation.labels) in about
        self.sums_to_one = ("sums_to_one", notation.labels) in about
        self.logits_one_hot = ("one_hot", notation.logits) in about
        self.logits_sum_to_one = ("sums_to_one", notation.logits) in about
        self.domains = {h.subjects[0]: h for h in cited if h.is_domain}
        self.logits: dict = {}
        self.labels: dict = {}
        self.scalars: dict = {}
        self.softmax_rows: dict = {}

    def logit(self, key):
        if key not in self.logits:
            if self.logits_one_hot or self.logits_sum_to_one:
                # a cited "z one-hot" or "Σ_k z_k = 1" is a fact about the logits: honour it
                self._row(self.logits, key, self.logits_one_hot, self.logits_sum_to_one)
            else:
                self.logits[key] = mpmath.mpf(self.rng.uniform(-2, 2))
        return self.logits[key]

    def label(self, key):
        if key not in self.labels:
            self._row(self.labels, key, self.one_hot, self.sums_to_one)
        return self.labels[key]

    def _row(self, table: dict, key, one_hot: bool, sums_to_one: bool) -> None:
        """One whole row of a family, drawn as the facts cited about it allow."""
        row, K = key[:-1], self.classes
        if one_hot:
            hot = self.rng.randint(1, K)
            values = [Fraction(int(k == hot)) for k in range(1, K + 1)]
        elif sums_to_one:
            # Multiples of 1/64 that add up to exactly 1 (exact in binary, so Σy − 1 is 0,
            # not a rounding residue), negative entries allowed: Σy = 1 says nothing more.
            parts = [self.rng.randint(-8, 40) for _ in range(K - 1)]
            parts.append(64 - sum(parts))
            self.rng.shuffle(parts)
            values = [Fraction(p, 64) for p in parts]
        else:
            values = [Fraction(self.rng.randint(-64, 128), 64) for _ in range(K)]
        for k, v in enumerate(values, start=1):
            table[(*row, k)] = mpmath.mpf(v.numerator) / v.denominator

    def scalar(self, symbol: sp.Symbol):
        if symbol not in self.scalars:
            h = self.domains.get(symbol)
            if h is None and symbol == self.notation.temperature:
                value = self.rng.choice((-1, 1)) * self.rng.uniform(0.5, 2)  # T ≠ 0, either sign
            elif h is None:
                value = self.rng.uniform(-2, 2)
            elif h.kind == "positive":
                value = self.rng.uniform(0.05, 3)
            else:
                lo, hi = float(h.subjects[1]), float(h.subjects[2])
                value = self.rng.uniform(lo, hi)
                if h.kind == "open_between" and not lo < value < hi:
                    value = (lo + hi) / 2
            self.scalars[symbol] = mpmath.mpf(value)
        return self.scalars[symbol]


class _Evaluator:
    """Evaluates vocabulary trees at one sample, differentiating along ``seed`` (None, a
    scalar symbol, or (family, key) for one entry of a family)."""

    def __init__(self, sample: _Sample, seed=None):
        self.sample, self.seed = sample, seed
        self.nt = sample.notation
        # ∂/∂s_k treats the softmax outputs as the variables (as ∂L/∂s_k is written).
        self.softmax_free = seed is not None and not isinstance(seed, sp.Symbol) and seed[0] == self.nt.softmax

    def count(self, symbol):
        if symbol == self.nt.classes:
            return self.sample.classes
        if self.nt.examples is not None and symbol == self.nt.examples:
            if self.sample.examples is None:
                raise Unevaluable("the example count has no value")
            return self.sample.examples
        return None

    def integer(self, e, env) -> int:
        if isinstance(e, sp.Symbol):
            if e in env:
                return env[e]
            c = self.count(e)
            if c is not None:
                return c
            raise Unevaluable(f"index {e} has no value")
        if e.is_Integer:
            return int(e)
        v = self.value(e, env).a
        if v != int(v):
            raise Unevaluable(f"{e} is not an integer")
        return int(v)

    def seeded(self, key) -> Dual:
        return ONE if self.seed == key else ZERO

    def entry(self, e: sp.Indexed, env) -> Dual:
        base = e.base
        key = tuple(self.integer(i, env) for i in e.indices)
        upper = [self.sample.classes] if len(key) == 1 else [self.sample.examples, self.sample.classes]
        if len(key) > 2 or any(u is None or not 1 <= k <= u for k, u in zip(key, upper)):
            raise Unevaluable(f"{e} at {key} is outside the ranges")
        if base == self.nt.logits:
            return Dual(self.sample.logit(key), self.seeded((base, key)).a)
        if base == self.nt.labels:
            if self.nt.label_rule is not None:
                bound, rule = self.nt.label_rule
                return self.value(rule, {**env, bound: key[-1]})
            return Dual(self.sample.label(key), self.seeded((base, key)).a)
        if self.nt.softmax is not None and base == self.nt.softmax:
            return self.softmax(key)
        raise Unevaluable(f"unknown family {base}")

    def softmax(self, key) -> Dual:
        if self.softmax_free:
            plain = _Evaluator(self.sample).softmax(key)
            return Dual(plain.a, self.seeded((self.nt.softmax, key)).a)
        # A whole row at once, kept on the sample per seed: ∂L/∂s_k inside Σ_k would
        # otherwise recompute the same normaliser K² times.
        row = key[:-1]
        cached = self.sample.softmax_rows.get((self.seed, row))
        if cached is None:
            T = self.nt.temperature
            scale = ONE / self.symbol(T, {}) if T is not None else ONE
            z = self.nt.logits
            terms = [
                (Dual(self.sample.logit((*row, m)), self.seeded((z, (*row, m))).a) * scale).exp()
                for m in range(1, self.sample.classes + 1)
            ]
            total = ZERO
            for t in terms:
                total = total + t
            cached = [t / total for t in terms]
            self.sample.softmax_rows[(self.seed, row)] = cached
        return cached[key[-1] - 1]

    def symbol(self, e: sp.Symbol, env) -> Dual:
        if e in env:
            return Dual(env[e])
        c = self.count(e)
        if c is not None:
            return Dual(c)
        definition = self.nt.definition_of(e)
        if definition is not None:
            return self.value(definition, env)
        if e.is_integer:
            raise Unevaluable(f"index {e} has no value")
        return Dual(self.sample.scalar(e), self.seeded(e).a)

    def sum(self, body, limits, env) -> Dual:
        if not limits:
            return self.value(body, env)
        (k, lo, hi), inner = limits[-1], limits[:-1]  # SymPy keeps the outermost limit last
        total = ZERO
        for v in range(self.integer(lo, env), self.integer(hi, env) + 1):
            total = total + self.sum(body, inner, {**env, k: v})
        return total

    def value(self, e, env) -> Dual:
        if isinstance(e, sp.Symbol):
            return self.symbol(e, env)
        if isinstance(e, sp.Indexed):
            return self.entry(e, env)
        if e.is_Rational:
            return Dual(mpmath.mpf(int(e.p)) / int(e.q))
        if e is sp.E:
            return Dual(mpmath.e)
        if isinstance(e, sp.Add):
            total = ZERO
            for a in e.args:
                total = total + self.value(a, env)
            return total
        if isinstance(e, sp.Mul):
            product = ONE
            for a in e.args:
                product = product * self.value(a, env)
            return product
        if isinstance(e, sp.Pow):
            if not e.exp.is_Rational:  # 2^j, 2^K: an index or a count used as a number
                return self.value(e.base, env).real_power(self.value(e.exp, env))
            return self.value(e.base, env).power(Fraction(int(e.exp.p), int(e.exp.q)))
        if isinstance(e, sp.exp):
            return self.value(e.args[0], env).exp()
        if isinstance(e, sp.log):
            return self.value(e.args[0], env).log()
        if isinstance(e, Sigmoid):
            return ONE / (ONE + (-self.value(e.args[0], env)).exp())
        if isinstance(e, (sp.KroneckerDelta, Indicator)):
            a, b = (self.integer(x, env) for x in e.args)
            return Dual(int(a == b))
        if isinstance(e, sp.Sum):
            return self.sum(e.function, e.limits, env)
        if isinstance(e, SumExcept):
            left_out = self.integer(e.excluded, env)
            total = ZERO
            for v in range(1, self.integer(e.upper, env) + 1):
                if v != left_out:
                    total = total + self.value(e.body, {**env, e.bound: v})
            return total
        if isinstance(e, Partial):
            if self.seed is not None:
                raise Unevaluable("a derivative inside a derivative")
            variable = e.variable
            if isinstance(variable, sp.Indexed):
                key = tuple(self.integer(i, env) for i in variable.indices)
                seed = (variable.base, key)
            elif isinstance(variable, sp.Symbol) and not variable.is_integer and self.count(variable) is None:
                seed = variable
            else:
                raise Unevaluable(f"∂/∂{variable}")
            inner = _Evaluator(self.sample, seed).value(e.expression, env)
            return Dual(inner.b)
        raise Unevaluable(f"{type(e).__name__} is not part of the vocabulary")


def _index_ranges(exprs, notation: Notation, cited) -> dict:
    """The free indices of the step, each with the count it runs over ('K' or 'N')."""
    found: dict = {}
    counts = {notation.classes, notation.examples} - {None}

    def note(sym, where):
        if not isinstance(sym, sp.Symbol) or sym in counts or sym in bound_stack[-1]:
            return
        if found.get(sym) is None:
            found[sym] = where

    bound_stack = [frozenset()]

    def visit(e):
        if isinstance(e, sp.MatrixBase):
            for x in e:
                visit(x)
            return
        if isinstance(e, sp.Indexed):
            slots = ("N", "K") if len(e.indices) == 2 else ("K",)
            for i, where in zip(e.indices, slots):
                note(i, where)
                if not isinstance(i, sp.Symbol):
                    visit(i)
            return
        if isinstance(e, sp.Sum):
            for _, lo, hi in e.limits:
                visit(lo)
                visit(hi)
            bound_stack.append(bound_stack[-1] | {lim[0] for lim in e.limits})
            visit(e.function)
            bound_stack.pop()
            return
        if isinstance(e, SumExcept):
            note(e.excluded, "N" if e.upper == notation.examples else "K")
            bound_stack.append(bound_stack[-1] | {e.bound})
            visit(e.body)
            bound_stack.pop()
            return
        if isinstance(e, (sp.KroneckerDelta, Indicator)):
            for a in e.args:
                note(a, None)
            return
        if isinstance(e, sp.Symbol):
            if e.is_integer and e not in counts:
                note(e, None)
            return
        for a in e.args:
            visit(a)

    for x in exprs:
        visit(x)
    if notation.label_rule is not None:
        bound, rule = notation.label_rule
        bound_stack.append(frozenset({bound}))
        visit(rule)
        bound_stack.pop()
    for h in cited:
        if h.is_case:
            for x in h.subjects:
                note(x, None)
    return {sym: where or "K" for sym, where in found.items()}


def _assignments(ranges: dict, cited, classes: int, examples: int | None, rng: random.Random, wanted: int):
    """Up to ``wanted`` values of the free indices that the cited cases allow.

    Always among them, when the cases allow: the indices pairwise distinct from the top
    (K, K−1, ...) and from the bottom, and every index at its largest value, since a claim
    can use an index as a number ((i−1)(i−2)⋯ vanishes at the small values) or need many
    distinct indices (Π(1 − δ_ab) over six indices is 0 until K ≥ 6). The rest are drawn."""
    names = sorted(ranges, key=str)
    uppers = [classes if ranges[x] == "K" else examples for x in names]
    if any(u is None for u in uppers):
        return []
    cases = [(h.kind, h.subjects) for h in cited if h.is_case]

    def allowed(at: dict) -> bool:
        return all((at[a] == at[b]) == (kind == "same") for kind, (a, b) in cases)

    total = 1
    for u in uppers:
        total *= u
    if total <= ENUMERATION_LIMIT:
        valid = [at for at in (dict(zip(names, v)) for v in itertools.product(*(range(1, u + 1) for u in uppers)))]
        valid = [at for at in valid if allowed(at)]
        if len(valid) <= wanted:
            return valid
        chosen = rng.sample(valid, wanted)
    else:
        chosen = []
        for _ in range(50 * wanted):
            at = {x: rng.randint(1, u) for x, u in zip(names, uppers)}
            if allowed(at) and at not in chosen:
                chosen.append(at)
                if len(chosen) == wanted:
                    break
    # The deterministic ones replace drawn ones, so that the count per (K, N) stays the same.
    for at in _extremes(names, uppers, cases):
        if allowed(at) and at not in chosen:
            chosen = [at, *chosen[: wanted - 1]]
    return chosen


def _extremes(names, uppers, cases):
    """Distinct values from the top and from the bottom (as far as the range allows), and
    every index at its largest value; indices the cited cases make equal share a value."""
    same = {}
    for kind, (a, b) in cases:
        if kind == "same":
            same[b] = same.get(a, a)
    top = {}
    bottom = {}
    used_top: dict = {}
    used_bottom: dict = {}
    for x, u in zip(names, uppers):
        leader = same.get(x, x)
        if leader != x and leader in top:
            top[x], bottom[x] = top[leader], bottom[leader]
            continue
        top[x] = max(1, u - used_top.get(u, 0))
        bottom[x] = min(u, 1 + used_bottom.get(u, 0))
        used_top[u] = used_top.get(u, 0) + 1
        used_bottom[u] = used_bottom.get(u, 0) + 1
    return [top, bottom, dict(zip(names, uppers))]


def _differ(left: Dual, right: Dual) -> bool:
    scale = max(mpmath.mpf(1), abs(left.a), abs(right.a))
    return abs(left.a - right.a) > TOLERANCE * scale


def _sides(previous, next):
    left_matrix, right_matrix = isinstance(previous, sp.MatrixBase), isinstance(next, sp.MatrixBase)
    if left_matrix != right_matrix:
        return None
    if left_matrix:
        if previous.shape != next.shape:
            return None
        return list(zip(previous, next))
    return [(previous, next)]


def _degree(e, counts) -> int:
    """A bound on the degree of ``e`` as a polynomial in the integers it mentions (K, N, the
    indices, free or bound), so that the sweep reaches a K where a polynomial that vanishes at
    every smaller K no longer does. A rough bound, erring high; inside exp, log, σ and
    fractional powers the argument's own degree (e^{P(K)} = 1 exactly where P(K) = 0)."""
    if isinstance(e, sp.MatrixBase):
        return max((_degree(x, counts) for x in e), default=0)
    if isinstance(e, sp.Symbol):
        return 1 if (e.is_integer or e in counts) else 0
    if isinstance(e, sp.Indexed) or e.is_Number or not e.args:
        return 0
    if isinstance(e, sp.Add):
        return max(_degree(a, counts) for a in e.args)
    if isinstance(e, sp.Mul):
        return sum(_degree(a, counts) for a in e.args)
    if isinstance(e, sp.Pow):
        base = _degree(e.base, counts)
        if e.exp.is_Rational:
            return base * max(1, abs(int(e.exp.p)))
        return base + _degree(e.exp, counts) * 8  # 2^j: no polynomial, sweep well past it
    if isinstance(e, sp.Sum):
        return _degree(e.function, counts) + len(e.limits)
    if isinstance(e, SumExcept):
        return _degree(e.body, counts) + 1
    if isinstance(e, (sp.KroneckerDelta, Indicator)):
        return 0
    return max(_degree(a, counts) for a in e.args)


def _counts(notation: Notation, cited, pieces, max_classes: int, max_examples: int, degree: int):
    """The (K, N) pairs to sweep: see the module docstring."""
    counts = {notation.classes, notation.examples} - {None}
    reach = max(degree, _degree_of_step(pieces, notation, counts)) + 2
    top_k = min(max(max_classes, reach), SWEEP_CEILING)
    top_n = min(max(max_examples, reach), SWEEP_CEILING)
    if notation.classes.is_Integer:
        class_counts = [int(notation.classes)]
    elif any(h.kind == "one_hot" and h.subjects[0] == notation.softmax for h in cited):
        class_counts = [1]  # a softmax is one-hot only when there is one class
    else:
        class_counts = list(range(1, top_k + 1))
    if notation.examples is None:
        return [(K, None) for K in class_counts]
    pairs = []
    for K in class_counts:
        for N in range(1, top_n + 1):
            small = N <= SMALL_COUNTS or K <= SMALL_COUNTS or K == class_counts[0]
            if small or K == N:
                pairs.append((K, N))
    return sorted(pairs, key=lambda kn: (max(kn[0], kn[1] or 0), kn))


def _degree_of_step(pieces, notation: Notation, counts) -> int:
    parts = list(pieces) + [value for _, value in notation.definitions]
    if notation.label_rule is not None:
        parts.append(notation.label_rule[1])
    return max((_degree(p, counts) for p in parts), default=0)


def judge(
    previous,
    next,
    cited: tuple[Hypothesis, ...],
    notation: Notation,
    seed: int = 0,
    max_classes: int = MAX_CLASSES,
    max_examples: int = MAX_EXAMPLES,
    degree: int = 0,
) -> Finding:
    """Is ``previous = next`` an identity under ``cited``? See the module docstring.

    ``degree``: the degree of a polynomial in K, N or an index that the step may hide (a
    mutation says what it inserted); the sweep then reaches at least degree + 2."""
    rng = random.Random(seed)
    pairs = _sides(previous, next)
    if pairs is None:
        return Finding("differs", 0, "a matrix against a scalar, or matrices of different shapes")
    families = {notation.labels, notation.logits, notation.softmax} - {None}
    for h in cited:
        if h.kind in ("one_hot", "sums_to_one") and h.subjects[0] not in families:
            return Finding("unevaluable", 0, f"a fact about {h.subjects[0]}, which is no family of the notation")
    ranges = _index_ranges([previous, next], notation, cited)
    sweep = _counts(notation, cited, [previous, next], max_classes, max_examples, degree)
    # One K and no free index (a 4×4 Jacobian) leaves one assignment: sample it more often.
    points = POINTS_PER_ASSIGNMENT if len(sweep) > 1 or ranges else 3 * MIN_DEFINED_POINTS
    defined = 0
    undefined_reasons = set()
    with mpmath.workdps(DIGITS):
        # More rounds only when too few points were defined (p outside 0 < p < 1, say).
        for _ in range(MAX_ROUNDS):
            for K, N in sweep:
                wide = K > WIDE_CLASSES or (N or 0) > WIDE_EXAMPLES
                wanted = WIDE_ASSIGNMENTS if wide else ASSIGNMENTS_PER_COUNT
                for at in _assignments(ranges, cited, K, N, rng, wanted):
                    for _ in range(1 if wide and points == POINTS_PER_ASSIGNMENT else points):
                        sample = _Sample(notation, cited, K, N, rng)
                        try:
                            for left, right in pairs:
                                a = _Evaluator(sample).value(left, at)
                                b = _Evaluator(sample).value(right, at)
                                if _differ(a, b):
                                    where = ", ".join(
                                        f"{x}={v}" for x, v in sorted(at.items(), key=lambda t: str(t[0]))
                                    )
                                    return Finding(
                                        "differs",
                                        defined + 1,
                                        f"K={K}" + (f", N={N}" if N else "") + (f", {where}" if where else "")
                                        + f": {mpmath.nstr(a.a, 12)} vs {mpmath.nstr(b.a, 12)}",
                                    )  # fmt: skip
                        except Undefined as why:
                            undefined_reasons.add(str(why))
                            continue
                        except Unevaluable as why:
                            return Finding("unevaluable", defined, str(why))
                        defined += 1
            if defined >= MIN_DEFINED_POINTS:
                break
    if defined < MIN_DEFINED_POINTS:
        reasons = "; ".join(sorted(undefined_reasons)) or "no index values satisfy the cited cases"
        return Finding("unevaluable", defined, f"only {defined} points where both sides are defined ({reasons})")
    return Finding("identity", defined)
