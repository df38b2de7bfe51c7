"""Witness 2: exact for every K ≤ n (and N ≤ m).

For each concrete K the step is written out with every sum expanded term by term and every
derivative taken of that finite expression (:func:`semantics.concrete_value`), then
e^{z_k} becomes an independent positive symbol E_k (so z_k = log E_k), labels become free
symbols restricted by the cited hypotheses (Σ_k y_k = 1 eliminates the last label, one-hot
enumerates the K possible vectors), logarithms are expanded and split into logarithms of
irreducible polynomials, and the difference of the two sides is tested for being zero as a
rational function. For a fixed K this is a decision, not a sample: logarithms of distinct
irreducible polynomials are algebraically independent over the rational functions.

Free indices are taken up to a relabelling of the classes when that is valid: when every
index occurs only as the subscript of a family, in a δ or as the bound letter of a sum,
every sum runs over all classes alike and only which indices coincide matters (the first
distinct index is class 1, the next class 2, ...). When an expression names a concrete
class (s_1) or uses an index as a number ((i − 1)·s_i, Σ_a a·y_a), every assignment is
tried instead, as far as a budget allows.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from .claim import Claim
from .hypotheses import Hypothesis
from .referee import Point
from .semantics import VocabularyError, concrete_value, is_count, plain, used_expressions, with_definitions
from .verdict import EngineError
from .vocabulary import Indicator, Notation, Partial, SumExcept, outermost

__all__ = ["ConcreteFailure", "check_denominators", "exact_check"]


@dataclass(frozen=True)
class ConcreteFailure:
    """The two sides differ at this K: ``point`` is where, as found by SymPy."""

    point: Point


@dataclass(frozen=True)
class ExactOutcome:
    classes_reached: int  # every K ≤ this was decided and found equal
    examples_reached: int | None
    failure: ConcreteFailure | None


def _names_concrete_class(expr: sp.Basic, notation: Notation) -> bool:
    """Does the claim (with the definitions it uses and the labels' rule) name a class by
    number (s_1, δ_{i,2}, 1{k=1})? Then index values are not interchangeable."""
    for x in with_definitions(expr, notation):
        if isinstance(x, sp.Indexed) and any(i.is_Integer for i in x.indices):
            return True
        if isinstance(x, (sp.KroneckerDelta, Indicator)) and any(a.is_Integer for a in x.args):
            return True
    return False


def uses_index_as_number(expr: sp.Basic, notation: Notation) -> bool:
    """Does an index (free or bound) occur anywhere but as the subscript of a family, an
    argument of δ or 1{·}, or the bound letter of a sum? A factor (i − 1), a power 2^j or
    Σ_a a·y_a makes the claim depend on *which* class an index names, so that trying one
    assignment per pattern of equal and distinct indices would prove nothing."""

    def visit(e) -> bool:
        if isinstance(e, sp.Indexed):
            return any(not (i.is_Symbol or i.is_Integer) for i in e.indices)
        if isinstance(e, (sp.KroneckerDelta, Indicator)):
            return any(not (a.is_Symbol or a.is_Integer) for a in e.args)
        if isinstance(e, sp.Sum):
            body, (_, lo, hi) = outermost(e)
            return visit(body) or visit(lo) or visit(hi)
        if isinstance(e, SumExcept):
            return visit(e.body)
        if isinstance(e, Partial):
            return visit(e.expression)
        if isinstance(e, sp.Symbol):
            return e.is_integer is True and not is_count(e, notation)
        return any(visit(a) for a in e.args)

    return any(visit(e) for e in used_expressions(expr, notation))


def assignments(
    ranges: dict[sp.Symbol, sp.Expr],
    cited: tuple[Hypothesis, ...],
    sizes: dict[sp.Expr, int],
    up_to_relabelling: bool,
) -> list[dict[sp.Symbol, int]]:
    """Index values to try for one K (and N), allowed by the cited case hypotheses."""
    names = sorted(ranges, key=str)
    cases = [h for h in cited if h.is_case]
    found = []
    seen = set()
    for values in itertools.product(*[range(1, sizes[ranges[n]] + 1) for n in names]):
        assignment = dict(zip(names, values))
        if not all(
            (assignment[a] == assignment[b]) == (h.kind == "same")
            for h in cases
            for a, b in [h.subjects]
            if a in assignment and b in assignment
        ):
            continue
        if up_to_relabelling:
            # Canonical form: which indices coincide, per range.
            shape = tuple(tuple(assignment[a] == assignment[b] for b in names) for a in names)
            if shape in seen:
                continue
            seen.add(shape)
        found.append(assignment)
    return found


def _scalar_choices(variable: sp.Symbol, cited: tuple[Hypothesis, ...], by_exponential: bool) -> list[Fraction]:
    """Simple values for a scalar, first the simplest, all allowed by its cited conditions.
    For a scalar given by its exponential these are values of e^{x}."""
    if by_exponential:
        return [Fraction(1), Fraction(2), Fraction(1, 2), Fraction(3)]
    conditions = [h for h in cited if h.is_domain and h.subjects[0] == variable]
    pool = [
        Fraction(1),
        Fraction(2),
        Fraction(1, 2),
        Fraction(-1),
        Fraction(0),
        Fraction(3),
        Fraction(1, 4),
        Fraction(3, 4),
    ]
    for h in conditions:
        if h.kind != "positive":
            lo, hi = Fraction(str(h.subjects[1])), Fraction(str(h.subjects[2]))
            pool = [(lo + hi) / 2, lo + (hi - lo) / 4, lo + 3 * (hi - lo) / 4, lo, hi, *pool]
    return [v for v in dict.fromkeys(pool) if all(h.allows(v) for h in conditions)]


class _Concrete:
    """One K (and N): the symbols standing for e^{z_k/T}, the labels and the scalars."""

    def __init__(
        self,
        notation: Notation,
        classes: int,
        examples: int | None,
        rank: int,
        scalars: tuple[sp.Symbol, ...] = (),
        by_exponential: frozenset = frozenset(),
    ):
        self.notation = notation
        self.classes = classes
        self.rows = [(n,) for n in range(1, examples + 1)] if rank == 2 else [()]
        self.keys = [(*row, k) for row in self.rows for k in range(1, classes + 1)]
        # The names start with "_", which no name a reader declares does: a user's scalar Y_1
        # must never be taken for the label y_1 here (the other witnesses keep them apart).
        if notation.logits_by_exponential:
            self.E = {key: sp.Symbol("_E_" + "_".join(map(str, key)), positive=True) for key in self.keys}
        else:
            self.E = {key: sp.Symbol("_Z_" + "_".join(map(str, key)), real=True) for key in self.keys}
        self.Y = {key: sp.Symbol("_Y_" + "_".join(map(str, key)), real=True) for key in self.keys}
        self.scalars = scalars
        self.by_exponential = by_exponential
        self.X = {x: sp.Symbol(f"_X_{x.name}", positive=True) for x in scalars if x in by_exponential}

    def substitute(self, expr: sp.Expr) -> sp.Expr:
        z, y = self.notation.logits, self.notation.labels
        T = self.notation.temperature if self.notation.temperature is not None else sp.Integer(1)
        mapping = {}
        for x in expr.atoms(sp.Indexed):
            key = tuple(int(i) for i in x.indices)
            if key not in self.E:
                raise ValueError(f"{x} lies outside 1..{self.classes}")
            if x.base == z:
                # so that e^{z_k/T} = E_k; a logit outside any exponential is itself
                mapping[x] = T * sp.log(self.E[key]) if self.notation.logits_by_exponential else self.E[key]
            elif x.base == y:
                mapping[x] = self.Y[key]
        for x, positive_symbol in self.X.items():
            mapping[x] = sp.log(positive_symbol)
        e = expr.xreplace(mapping)
        e = sp.expand(e, deep=True, mul=False, multinomial=False, power_base=False, log=True, power_exp=True)
        return _real_roots(e.replace(sp.log, _split_polynomial_log))

    def at(self, exponentials: dict, values: dict) -> dict:
        """The substitution that puts a point's numbers in place of this K's symbols."""
        y = self.notation.labels
        mapping = {}
        for variable, q in exponentials.items():
            number = sp.Rational(q.numerator, q.denominator)
            if isinstance(variable, sp.Indexed):
                mapping[self.E[tuple(int(i) for i in variable.indices)]] = number
            else:
                mapping[self.X[variable]] = number
        for variable, q in values.items():
            number = sp.Rational(q.numerator, q.denominator)
            if isinstance(variable, sp.Indexed) and variable.base == y:
                mapping[self.Y[tuple(int(i) for i in variable.indices)]] = number
            elif isinstance(variable, sp.Indexed):
                mapping[self.E[tuple(int(i) for i in variable.indices)]] = number
            else:
                mapping[variable] = number
        return mapping

    def label_cases(self, cited: tuple[Hypothesis, ...]) -> list[dict[sp.Symbol, sp.Expr]]:
        kinds = {h.kind for h in cited}
        if "one_hot" in kinds:
            choices = itertools.product(range(1, self.classes + 1), repeat=len(self.rows))
            return [
                {
                    self.Y[(*row, k)]: sp.Integer(1 if k == hot else 0)
                    for row, hot in zip(self.rows, pick)
                    for k in range(1, self.classes + 1)
                }
                for pick in choices
            ]
        if "sums_to_one" in kinds:
            last = {}
            for row in self.rows:
                others = sp.Add(*[self.Y[(*row, k)] for k in range(1, self.classes)])
                last[self.Y[(*row, self.classes)]] = 1 - others
            return [last]
        return [{}]

    def _point(self, exp_row, label_row, scalar_values):
        z, y = self.notation.logits, self.notation.labels
        exponentials = {z[key]: Fraction(exp_row[key[-1] - 1]) for key in self.keys}
        values = {y[key]: label_row[key[-1] - 1] for key in self.keys}
        if not self.notation.logits_by_exponential:
            values.update(exponentials)
            exponentials = {}
        for x, v in scalar_values.items():
            (exponentials if x in self.by_exponential else values)[x] = v
        return exponentials, values

    def candidate_points(self, cited: tuple[Hypothesis, ...]):
        """Simple points first, so that a counterexample can be checked by hand."""
        K = self.classes
        kinds = {h.kind for h in cited}
        exps = [[1] * K, list(range(1, K + 1)), [2] + [1] * (K - 1), [1, 2] * K, [3, 1, 2] * K]
        hots = [[Fraction(int(k == hot)) for k in range(1, K + 1)] for hot in range(1, K + 1)]
        labels = list(hots)
        if "one_hot" not in kinds:
            if K >= 2:
                labels.append([Fraction(1, 2), Fraction(1, 2)] + [Fraction(0)] * (K - 2))
            labels.append([Fraction(1, K)] * K)
            if "sums_to_one" not in kinds:
                labels += [[Fraction(0)] * K, [Fraction(1)] * K, [Fraction(k) for k in range(1, K + 1)]]
                labels += [[Fraction(2)] * K, [Fraction(-1, 2)] * K]
            elif K >= 2:
                labels.append([Fraction(2), Fraction(-1)] + [Fraction(0)] * (K - 2))
        choices = {x: _scalar_choices(x, cited, x in self.by_exponential) for x in self.scalars}
        scalar_rows = [{x: options[t % len(options)] for x, options in choices.items()} for t in range(4)]
        if not self.scalars:
            scalar_rows = [{}]
        for scalar_values in scalar_rows:
            for label_row in labels:
                for exp_row in exps:
                    yield self._point(exp_row, label_row, scalar_values)
        # Then seeded random points: a non-zero rational function of the inputs is non-zero
        # at almost every point.
        rng = random.Random(K)
        for _ in range(200):
            e, y = {}, {}
            for row in self.rows:
                if "one_hot" in kinds:
                    hot = rng.randint(1, K)
                    row_labels = [Fraction(int(k == hot)) for k in range(1, K + 1)]
                else:
                    row_labels = [Fraction(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(K)]
                    if "sums_to_one" in kinds:
                        row_labels[-1] = 1 - sum(row_labels[:-1])
                for k in range(1, K + 1):
                    e[(*row, k)] = Fraction(rng.randint(1, 12), rng.randint(1, 5))
                    y[(*row, k)] = row_labels[k - 1]
            exponentials = {self.notation.logits[key]: e[key] for key in self.keys}
            values = {self.notation.labels[key]: y[key] for key in self.keys}
            if not self.notation.logits_by_exponential:
                values.update(exponentials)
                exponentials = {}
            for x, options in choices.items():
                pick = rng.choice(options) + (Fraction(rng.randint(1, 9), 97) if x not in self.by_exponential else 0)
                conditions = [h for h in cited if h.is_domain and h.subjects[0] == x]
                if not all(h.allows(pick) for h in conditions):
                    pick = options[0]
                (exponentials if x in self.by_exponential else values)[x] = pick
            yield exponentials, values


def _real_roots(e: sp.Expr) -> sp.Expr:
    """An odd root of a quantity that may be negative, on the real branch: (y³)^{1/3} = y
    for y = −1/2 too, where SymPy's principal branch is complex. Written with sign and |·|,
    which the rational-function test does not see through (see :func:`exact_check`)."""

    def odd_root(x):
        return (
            isinstance(x, sp.Pow)
            and x.exp.is_Rational
            and not x.exp.is_Integer
            and x.exp.q % 2 == 1
            and x.base.is_positive is not True
        )

    return e.replace(odd_root, lambda x: sp.sign(x.base) ** x.exp.p * sp.Abs(x.base) ** x.exp)


def _split_polynomial_log(arg: sp.Expr) -> sp.Expr:
    """log of a positive rational function of the E's as a sum of logs of irreducible
    factors, so that equal logarithms written differently become the same atoms."""
    numerator, denominator = sp.fraction(sp.together(arg))
    total = sp.Integer(0)
    for part, sign in ((numerator, 1), (denominator, -1)):
        if part == 1:
            continue
        content, factors = sp.factor_list(part)
        for prime, power in sp.factorint(abs(content)).items():  # log 6 = log 2 + log 3
            total += sign * power * sp.log(sp.Integer(prime), evaluate=False)
        for factor, multiplicity in factors:
            total += sign * multiplicity * sp.log(factor)
    return total


def _is_zero(e: sp.Expr) -> bool:
    """Zero as a rational function of its symbols, with each remaining logarithm, and each
    exponential that is not of a symbol's logarithm (e^{T} for a plain T), as an atom."""
    atoms = {x: sp.Symbol(f"_atom{n}") for n, x in enumerate(e.atoms(sp.log) | e.atoms(sp.exp))}
    numerator, _ = sp.fraction(sp.together(e.xreplace(atoms)))
    return sp.expand(numerator) == 0


def _value(e: sp.Expr):
    """An exact number where possible; otherwise a 50-digit approximation."""
    if e.is_Rational:
        return e
    return e.evalf(60)


def _certainly_nonzero(exact: sp.Expr, value) -> bool:
    """An exact value counts however small. An approximation (a log or an exponential
    remains) counts when it is the same number at 60 and at 150 digits: a difference of
    e^{−1000} is, a cancellation that leaves rounding noise (0.e−190) is not; the referee's
    intervals confirm it afterwards."""
    if value.is_Rational:
        return value != 0
    finer = exact.evalf(150)
    if not finer.is_Number or finer == 0:
        return False
    return bool(abs(value - finer) <= abs(finer) * sp.Float("1e-20", 150))


def _sort(items) -> tuple:
    return tuple(sorted(items, key=lambda kv: str(kv[0])))


MAX_ASSIGNMENTS = 125  # index assignments the exact witness decides for one K (and N)


def exact_check(claim: Claim, max_classes: int, max_examples: int, first_classes: int = 1) -> ExactOutcome:
    """Decide left = right exactly for K = first_classes..max_classes (or the notation's one
    K) and N = 1..max_examples; stop at the first K where they differ. Real scalars stay
    symbols (or, in ``by_exponential``, logarithms of positive symbols): the identity is
    decided for all their values at once.

    Index values are taken up to a relabelling of the classes only when the claim cannot
    tell classes apart (:func:`relabelling_invariant`); otherwise every assignment is tried,
    and a K with more than :data:`MAX_ASSIGNMENTS` of them is not reached (the label then
    says how far the witness got, never more)."""
    left, right, notation, ranges, cited = claim.left, claim.right, claim.notation, claim.ranges, claim.cited
    uses_examples, rank, scalars, by_exponential = claim.uses_examples, claim.rank, claim.scalars, claim.by_exponential
    class_sizes = [int(notation.classes)] if notation.concrete else list(range(first_classes, max_classes + 1))
    example_sizes = list(range(1, max_examples + 1)) if uses_examples else [None]
    relabel = relabelling_invariant(claim)
    reached, reached_examples = first_classes - 1, None
    decided_somewhere = False  # a claim undefined at every K tried was not checked at all
    for K in class_sizes:
        for N in example_sizes:
            sizes = {notation.classes: K}
            values = {notation.classes: K}
            if N is not None:
                sizes[notation.examples] = N
                values[notation.examples] = N
            tried = assignments(ranges, cited, sizes, relabel)
            if len(tried) > MAX_ASSIGNMENTS:
                return ExactOutcome(reached, reached_examples, None)
            concrete = _Concrete(notation, K, N, rank, scalars, by_exponential)
            for assignment in tried:
                at = {**values, **assignment}
                difference = concrete.substitute(
                    concrete_value(left, notation, at) - concrete_value(right, notation, at)
                )
                for label_case in concrete.label_cases(cited):
                    case_difference = difference.xreplace(label_case) if label_case else difference
                    if case_difference.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
                        if K == 1 and not notation.concrete and claim.involves_classes:
                            # A denominator that is zero for every input at one class (Σ_{k≠i}
                            # is empty, s_1 = 1): the step is read from K = 2 on.
                            continue
                        # Elsewhere a step undefined for a case or labels it allows would hold
                        # by skipping them, as if it had cited what excludes them.
                        raise VocabularyError(_undefined(K, N, assignment, label_case, notation))
                    decided_somewhere = True
                    if _is_zero(case_difference):
                        continue
                    point = _find_point(concrete, difference, cited, K, N, assignment)
                    if point is None and (case_difference.has(sp.sign, sp.Abs) or any(h.is_domain for h in cited)):
                        # sign and |·| are not independent atoms, and a cited condition may leave
                        # only poles among the points tried: zero at every point tried is then no
                        # contradiction, and nothing is decided from this K on.
                        return ExactOutcome(reached, reached_examples, None)
                    if point is None:
                        raise EngineError(f"at K = {K} the sides differ as functions but at none of the points tried")
                    return ExactOutcome(reached, reached_examples, ConcreteFailure(point))
        reached, reached_examples = K, (example_sizes[-1] if uses_examples else None)
    if not decided_somewhere:
        return ExactOutcome(first_classes - 1, None, None)
    return ExactOutcome(reached, reached_examples, None)


MAX_DENOMINATOR_OPERATIONS = 80
MAX_TERMS = 400  # terms of a denominator with every defined name written out, before any sum


def _written_out_size(e: sp.Basic, notation: Notation, sizes: dict) -> int:
    """An upper bound on the terms of ``e`` expanded with its defined names written out,
    computed once per name (A_n := A_{n−1}² + A_{n−1} doubles at each name)."""
    if isinstance(e, sp.Symbol) and notation.definition_of(e) is not None:
        if e not in sizes:
            sizes[e] = MAX_TERMS + 1  # a name used inside its own definition is never small
            sizes[e] = _written_out_size(notation.definition_of(e), notation, sizes)
        return sizes[e]
    if isinstance(e, sp.Add):
        return min(sum(_written_out_size(a, notation, sizes) for a in e.args), 10**9)
    if isinstance(e, sp.Mul):
        total = 1
        for a in e.args:
            total = min(total * _written_out_size(a, notation, sizes), 10**9)
        return total
    if isinstance(e, sp.Pow) and e.exp.is_Integer and e.exp > 1:
        return min(_written_out_size(e.base, notation, sizes) ** int(min(e.exp, 64)), 10**9)
    if isinstance(e, (sp.Pow, sp.exp, sp.log, sp.Sum)):
        return max((_written_out_size(a, notation, sizes) for a in e.args), default=1)
    return 1


def _outside_sum_limits(e: sp.Basic, notation: Notation) -> set:
    """The counts (K, N) and indices ``e`` uses as numbers, outside the limits of its sums."""
    if isinstance(e, sp.Sum):
        body, _ = outermost(e)
        return _outside_sum_limits(body, notation)
    if isinstance(e, SumExcept):
        return _outside_sum_limits(e.body, notation)
    if isinstance(e, (sp.Indexed, sp.KroneckerDelta, Indicator)):
        return set()  # s_i, δ_ij: an index as a name of a class, not as a number
    if isinstance(e, sp.Symbol):
        return {e} if e.is_integer is True or is_count(e, notation) else set()
    return set().union(*(_outside_sum_limits(a, notation) for a in e.args)) if e.args else set()


def _no_zero_at_a_count(base: sp.Expr, notation: Notation) -> None:
    """The written-out check reaches K ≤ 3 and N ≤ 2: a denominator that uses K, N or an index
    as a number (K − 4, N − 3, a − 4 in a sum) may be 0 for every input beyond. A polynomial in
    the counts alone is decided by its roots (K − 1 only at K = 1, read from K = 2 on, as the
    exact witness does: ε/(K − 1) of label smoothing); anything else of that kind is refused."""
    numbers = set()
    for e in used_expressions(base, notation):
        numbers |= _outside_sum_limits(e, notation)
    if not numbers:
        return
    counts = {x for x in numbers if is_count(x, notation)}
    written = plain(base)
    if numbers - counts or not base.free_symbols <= counts or not base.is_polynomial(*counts):
        raise VocabularyError(
            f"the step divides by {written}, which uses {', '.join(sorted(map(str, numbers)))} as a number: "
            "derive cannot decide that it is never 0 for every input"
        )
    for count in counts:
        smallest = 2 if count == notation.classes else 1
        others = {c: sp.Symbol(f"_{c}", positive=True) for c in counts - {count}}
        for root in sp.Poly(base.xreplace(others), count).ground_roots() if not others else ():
            if root.is_Integer and root >= smallest:
                raise VocabularyError(
                    f"the step divides by {written}, which is 0 for every input at {count} = {root}: "
                    "cite a condition that excludes it"
                )
        if others:
            raise VocabularyError(
                f"the step divides by {written}, a polynomial in {', '.join(sorted(map(str, counts)))}: "
                "derive cannot decide that it is never 0"
            )


def check_denominators(expressions, notation: Notation, cited: tuple[Hypothesis, ...], max_classes: int = 3) -> None:
    """Refuse (VocabularyError) a division by something that is 0 for every input at some K,
    case of the indices or allowed labels: y_i with one-hot labels, s_i − s_j at i = j,
    Σ_k s_k − 1 everywhere. ``expressions``: a step's sides, and the denominators the author
    wrote that SymPy cancelled while building them (δ_ij s_i/δ_ij, y_i s_i/y_i): the
    witnesses never see those, and a step that divides by 0 would hold by not being there.

    Decided exactly, as the exact witness decides a step: each denominator written out at
    K = 1..max_classes (N = 1..2) for every index assignment and label case it allows.
    At K = 1 a denominator 0 for every input (1 − s_i, Σ_{k≠i}) is left to the exact
    witness's rule: such a step is read from K = 2 on."""
    from .semantics import _made_positive, _positive_by_construction, _vanishes_somewhere

    positives = _made_positive(cited)
    seen = set()
    for expression in expressions:
        for x in with_definitions(expression, notation):
            if not (isinstance(x, sp.Pow) and x.exp.is_negative) or x.base in seen:
                continue
            seen.add(x.base)
            if x.base.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
                raise VocabularyError(f"the step divides by {plain(x.base)}, which is undefined")
            if sp.count_ops(x.base) > MAX_DENOMINATOR_OPERATIONS or _written_out_size(x.base, notation, {}) > MAX_TERMS:
                # Written out at K = 3 here, where no time limit runs (a name defined by the
                # square of a name defined by a square ... is small as written, not written out).
                raise VocabularyError(
                    f"the step divides by {plain(x.base)}: too large for derive to decide that it is not 0 "
                    "for every input in some case"
                )
            if _positive_by_construction(x.base, notation, positives) or _vanishes_somewhere(x.base, cited):
                continue  # (a δ factor is the domain check's to refuse, with its own message)
            _no_zero_at_a_count(x.base, notation)
            where = _zero_for_every_input(x.base, notation, cited, max_classes)
            if where is not None:
                raise VocabularyError(
                    f"the step divides by {plain(x.base)}, which is 0 for every input"
                    + (f" at {where}" if where else "")
                    + ": cite a case or a condition that excludes it"
                )


def _zero_for_every_input(base: sp.Expr, notation: Notation, cited, max_classes: int) -> str | None:
    claim = Claim.prepare(base, sp.Integer(0), notation, cited)
    if notation.concrete:
        class_sizes = [int(notation.classes)]
    elif not claim.involves_classes:
        class_sizes = [1]  # a scalar's denominator is the same at every K
    else:
        class_sizes = list(range(1, max_classes + 1))
    example_sizes = [1, 2] if claim.uses_examples else [None]
    relabel = relabelling_invariant(claim)
    for K in class_sizes:
        if K == 1 and not notation.concrete and claim.involves_classes:
            continue
        for N in example_sizes:
            sizes = {notation.classes: K}
            values = {notation.classes: K}
            if N is not None:
                sizes[notation.examples] = N
                values[notation.examples] = N
            tried = assignments(claim.ranges, claim.cited, sizes, relabel)
            if len(tried) > MAX_ASSIGNMENTS:
                # not decided is not "never 0": refused
                raise VocabularyError(
                    f"the step divides by {plain(base)}: more index values than derive tries "
                    f"({len(tried)} at K = {K}) to decide that it is never 0 for every input"
                )
            concrete = _Concrete(notation, K, N, claim.rank, claim.scalars, claim.by_exponential)
            for assignment in tried:
                value = concrete.substitute(concrete_value(base, notation, {**values, **assignment}))
                for label_case in concrete.label_cases(claim.cited):
                    case_value = value.xreplace(label_case) if label_case else value
                    if case_value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or _is_zero(case_value):
                        if not claim.involves_classes and not claim.uses_examples:
                            return ""  # σ(x) + σ(−x) − 1: zero whatever K is
                        return _where(K, N, assignment, label_case if claim.uses_labels else None, notation)
    return None


def _undefined(K, N, assignment, label_case, notation: Notation) -> str:
    return (
        "the step divides by zero for every input at "
        + _where(K, N, assignment, label_case, notation)
        + ": cite a case or a condition that excludes it"
    )


def _where(K, N, assignment, label_case, notation: Notation) -> str:
    where = [f"K = {K}"] if not notation.concrete else []
    if N is not None:
        where.append(f"N = {N}")
    where += [f"{name} = {value}" for name, value in sorted(assignment.items(), key=lambda kv: str(kv[0]))]
    chosen = {symbol: value for symbol, value in (label_case or {}).items() if value.is_Number}  # one-hot rows
    if chosen:
        # (the exact witness's label symbols are named _Y_<row>_<class>)
        labels = [
            f"{notation.labels}_{','.join(str(symbol).removeprefix('_Y_').split('_'))} = {value}"
            for symbol, value in chosen.items()
        ]
        where.append("labels " + ", ".join(sorted(labels)))
    return ", ".join(where or ["this K"])


def relabelling_invariant(claim: Claim) -> bool:
    """Is the claim's truth unchanged when the classes are renumbered? Then one index
    assignment per pattern of equal and distinct indices decides every assignment."""
    return not any(
        _names_concrete_class(side, claim.notation) or uses_index_as_number(side, claim.notation)
        for side in (claim.left, claim.right)
    )


def _find_point(concrete: _Concrete, difference, cited, K, N, assignment) -> Point | None:
    defined = False
    for exponentials, values in concrete.candidate_points(cited):
        at_point = difference.xreplace(concrete.at(exponentials, values))
        value = _value(at_point)
        if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            continue  # a denominator vanishes here: not a point of the claim
        defined = True
        if _certainly_nonzero(at_point, value):
            return Point(K, N, _sort(assignment.items()), _sort(exponentials.items()), _sort(values.items()))
    if not defined:
        # 1/(Σ_k s_k − 1): zero as a function only once simplified, so not caught before.
        raise VocabularyError(f"the step divides by zero at every point tried at K = {K}: a denominator is 0 there")
    return None


def value_at(claim: Claim, point: Point):
    """left − right at ``point`` through SymPy's own reading (used to cross-check a point that
    another witness found)."""
    left, right, notation = claim.left, claim.right, claim.notation
    rank, scalars, by_exponential = claim.rank, claim.scalars, claim.by_exponential
    values = {notation.classes: point.classes, **dict(point.indices)}
    if point.examples is not None:
        values[notation.examples] = point.examples
    concrete = _Concrete(notation, point.classes, point.examples, rank, scalars, by_exponential)
    difference = concrete.substitute(concrete_value(left, notation, values) - concrete_value(right, notation, values))
    return _value(difference.xreplace(concrete.at(dict(point.exponentials), dict(point.values))))
