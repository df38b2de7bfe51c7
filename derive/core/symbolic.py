"""Witness 1: a proof for every K and every index value.

The difference of the two sides is brought to a normal form in which

* every sum is either eliminated (Σ_k δ_kj g(k) = g(j) for j in the same range,
  Σ_k c = K c) or pulled apart by linearity until it is an *atom*: Σ over a product of
  factors that all depend on the bound index, with that index renamed canonically
  (so Σ_k y_k and Σ_j y_j are one atom);
* logarithms of positive quantities are expanded (log of products, quotients, powers,
  log e^x = x) and the remaining logarithms are atoms;
* the free indices are split into every pattern of equalities the cited case allows
  (i = j, i ≠ j, ...): for distinct indices δ_ij = 0, for equal ones they are one letter.

The result is a rational function of atoms (e^{z_i}, z_i, y_i, the sum atoms, the log
atoms, K). If it is zero *as a rational function of independent atoms*, the step holds
for every K and every value, because the true atoms are one particular substitution
(the atoms are not independent — Σ_k e^{z_k} includes e^{z_i} — so the converse fails:
a non-zero normal form only means "not proved").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import sympy as sp

from .hypotheses import Hypothesis
from .semantics import VocabularyError, rename_bound
from .vocabulary import Notation, outermost

__all__ = ["index_patterns", "normal_difference", "proves"]


def _canonical(depth: int) -> sp.Symbol:
    return sp.Symbol(f"_b{depth}", integer=True, positive=True)


def _sum_depth(e: sp.Basic) -> int:
    depth = 0
    for x in sp.preorder_traversal(e):
        if isinstance(x, sp.Sum):
            for limit in x.limits:
                name = limit[0].name
                if name.startswith("_b"):
                    depth = max(depth, int(name[2:]))
    return depth


def _positive(e: sp.Basic) -> bool:
    """A sufficient test for e > 0 (logits and labels are real; labels may be 0)."""
    if e.is_Number:
        return bool(e > 0)
    if isinstance(e, sp.exp):
        return True
    if isinstance(e, sp.Sum):
        return _positive(outermost(e)[0])
    if isinstance(e, (sp.Mul, sp.Add)):
        return all(_positive(a) for a in e.args)
    if isinstance(e, sp.Pow):
        return _positive(e.base) and e.exp.is_real is True
    if isinstance(e, sp.Symbol):
        return e.is_positive is True
    return False


def _log_of_number(q: sp.Rational) -> sp.Expr:
    """log of a positive rational as a combination of logs of primes (log 6 = log 2 + log 3),
    so that one number written two ways is one atom."""
    total = sp.Integer(0)
    for part, sign in ((q.p, 1), (q.q, -1)):
        for prime, power in sp.factorint(part).items():
            total += sign * power * sp.log(sp.Integer(prime), evaluate=False)
    return total


def _split_log(a: sp.Expr) -> sp.Expr:
    if a.is_Rational and a > 0:
        return _log_of_number(a)
    if isinstance(a, sp.exp):
        return a.args[0]
    if isinstance(a, sp.Mul) and all(_positive(f) for f in a.args):
        return sp.Add(*[_split_log(f) for f in a.args])
    if isinstance(a, sp.Pow) and _positive(a.base) and a.exp.is_real:
        return a.exp * _split_log(a.base)
    return sp.log(a)


def expand_logs(e: sp.Expr) -> sp.Expr:
    """Expand logarithms of positive quantities, everywhere in ``e``."""
    if not e.args or isinstance(e, sp.Indexed):
        return e
    args = [expand_logs(a) for a in e.args]
    if isinstance(e, sp.log):
        return _split_log(args[0])
    if isinstance(e, sp.Sum):
        return sp.Sum(args[0], *e.limits)  # the bound indices are left as they are
    return e.func(*args)


class _Normalizer:
    def __init__(self, notation: Notation, ranges: dict[sp.Symbol, sp.Expr], hypotheses: Iterable[Hypothesis]):
        self.notation = notation
        self.ranges = dict(ranges)
        kinds = {h.kind for h in hypotheses}
        self.one_hot = "one_hot" in kinds
        self.sums_to_one = self.one_hot or "sums_to_one" in kinds

    def normalize(self, e: sp.Expr, scope: dict[sp.Symbol, sp.Expr]) -> sp.Expr:
        if not e.args or isinstance(e, sp.Indexed):
            return e
        if isinstance(e, sp.Sum):
            inner, (k, lo, hi) = outermost(e)
            if lo != 1:
                raise VocabularyError("sums run from 1")
            inner_scope = {**scope, k: hi}
            body = self.normalize(inner, inner_scope)
            return self._sum(sp.expand(body), k, hi, inner_scope)
        return e.func(*[self.normalize(a, scope) for a in e.args])

    def _range(self, x: sp.Basic, scope: dict[sp.Symbol, sp.Expr]) -> sp.Expr | None:
        return scope.get(x, self.ranges.get(x))

    def _sum(self, body: sp.Expr, k: sp.Symbol, hi: sp.Expr, scope) -> sp.Expr:
        total = sp.Integer(0)
        for term in sp.Add.make_args(body):
            constant, dependent = [], []
            for f in sp.Mul.make_args(term):
                (dependent if k in f.free_symbols else constant).append(f)
            if not dependent:
                total += sp.Mul(*constant) * hi
                continue
            delta = self._delta_on(dependent, k, hi, scope)
            if delta is not None:
                factor, other = delta
                rest = [f for f in dependent if f is not factor]
                substituted = sp.Mul(*rest).xreplace({k: other})
                total += sp.Mul(*constant) * self.normalize(sp.expand(substituted), scope)
                continue
            total += sp.Mul(*constant) * self._atom(sp.Mul(*dependent), k, hi)
        return sp.expand(total)

    def _delta_on(self, factors, k, hi, scope):
        for f in factors:
            base = f.base if isinstance(f, sp.Pow) and f.exp.is_positive else f
            if isinstance(base, sp.KroneckerDelta) and k in base.args:
                a, b = base.args
                other = b if a == k else a
                if other == k:
                    continue
                # Σ_k δ_kx g(k) = g(x) only when x lies in the range the sum runs over.
                if other.is_Integer:
                    if hi.is_Integer and 1 <= other <= hi:
                        return f, other
                    raise VocabularyError(f"δ_{{{k},{other}}} in a sum up to {hi}")
                if self._range(other, scope) != hi:
                    raise VocabularyError(f"δ between {k} (1..{hi}) and {other} of another range")
                return f, other
        return None

    def _atom(self, summand: sp.Expr, k: sp.Symbol, hi: sp.Expr) -> sp.Expr:
        c = _canonical(_sum_depth(summand) + 1)
        body = summand.xreplace({k: c})
        if self.sums_to_one and hi == self.notation.classes and self._is_label_entry(body, c):
            return sp.Integer(1)
        return sp.Sum(body, (c, 1, hi))

    def _is_label_entry(self, body: sp.Expr, c: sp.Symbol) -> bool:
        labels = self.notation.labels
        if self.one_hot and isinstance(body, sp.Pow) and body.exp.is_Integer and body.exp > 0:
            body = body.base  # y_k^p = y_k for one-hot labels
        return (
            isinstance(body, sp.Indexed)
            and body.base == labels
            and body.indices[-1] == c
            and all(c not in x.free_symbols for x in body.indices[:-1])  # Σ_k y_{k,k} is no row sum
        )


def index_patterns(
    ranges: dict[sp.Symbol, sp.Expr], cited: Iterable[Hypothesis]
) -> Iterator[dict[sp.Symbol, sp.Symbol]]:
    """Every way the free indices can coincide, as a map to a representative, restricted
    to what the cited case hypotheses allow. Indices of different ranges never coincide."""
    cases = [h for h in cited if h.is_case]
    names = sorted(ranges, key=str)
    for blocks in _partitions(names):
        if any(ranges[a] != ranges[b] for block in blocks for a in block for b in block):
            continue
        where = {x: n for n, block in enumerate(blocks) for x in block}
        ok = True
        for h in cases:
            a, b = h.subjects
            if a not in where or b not in where:
                continue
            if (h.kind == "same") != (where[a] == where[b]):
                ok = False
        if ok:
            yield {x: block[0] for block in blocks for x in block}


def _partitions(items: list) -> Iterator[list[list]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for p in _partitions(rest):
        for n in range(len(p)):
            yield p[:n] + [[first, *p[n]]] + p[n + 1 :]
        yield [[first], *p]


def normal_difference(
    left: sp.Expr,
    right: sp.Expr,
    notation: Notation,
    ranges: dict[sp.Symbol, sp.Expr],
    pattern: dict[sp.Symbol, sp.Symbol],
    cited: Iterable[Hypothesis],
) -> sp.Expr:
    """The normal form of left − right (both already in terms of logits and labels) for one
    pattern of coinciding indices."""
    renamed = {a: b for a, b in pattern.items() if a != b}
    difference = left - right
    if renamed:
        # Give every bound index a fresh name first: SymPy's subs would let a free j become
        # a bound i (Σ_i y_i y_j with j → i is not Σ_i y_i²).
        difference = rename_bound(difference).subs(renamed)
    reps = set(pattern.values())
    normalizer = _Normalizer(notation, {r: ranges[r] for r in reps}, cited)
    normal = sp.expand(normalizer.normalize(expand_logs(difference), {}))
    # Pulling factors out of sums can make a logarithm's argument a product again
    # (log Σ_k e^{z_k − m} = log(e^{−m} Σ_k e^{z_k})): expand once more.
    normal = sp.expand(normalizer.normalize(expand_logs(normal), {}))

    def delta(a, b):
        if a == b:
            return sp.Integer(1)
        if a in reps and b in reps:
            return sp.Integer(0)  # distinct representatives: the indices differ
        return sp.KroneckerDelta(a, b)

    normal = normal.replace(sp.KroneckerDelta, delta)
    if normalizer.one_hot:
        normal = _one_hot_products(sp.expand(normal), notation.labels, reps)
    return normal


def _one_hot_products(e: sp.Expr, labels: sp.IndexedBase, reps: set) -> sp.Expr:
    """For one-hot labels: y_a^p = y_a, and y_a y_b = 0 for distinct a, b of the same row."""
    e = e.replace(
        lambda x: (
            isinstance(x, sp.Pow)
            and isinstance(x.base, sp.Indexed)
            and x.base.base == labels
            and x.exp.is_Integer
            and x.exp > 0
        ),
        lambda x: x.base,
    )
    kept = []
    for term in sp.Add.make_args(e):
        entries = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.Indexed) and f.base == labels]
        rows: dict = {}
        clash = False
        for entry in entries:
            row, column = entry.indices[:-1], entry.indices[-1]
            if not all(x in reps or x.is_Integer for x in (*row, column)):
                continue
            seen = rows.setdefault(row, set())
            if seen and column not in seen:
                clash = True
            seen.add(column)
        if not clash:
            kept.append(term)
    return sp.Add(*kept)


def is_zero(e: sp.Expr) -> bool:
    """Is ``e`` zero as a rational function of its atoms, every atom independent?"""
    atoms: dict[sp.Basic, sp.Symbol] = {}

    def atom(x):
        if x not in atoms:
            atoms[x] = sp.Symbol(f"_a{len(atoms)}")
        return atoms[x]

    def flatten(x):
        if isinstance(x, sp.exp):
            # e^{a z_i + b z_j} = (e^{z_i})^a (e^{z_j})^b: one atom per linear piece.
            result = sp.Integer(1)
            for t in sp.Add.make_args(sp.expand(x.args[0])):
                coeff, rest = t.as_coeff_Mul()
                if coeff.is_Rational and rest != 1:
                    result *= atom(sp.exp(rest)) ** coeff
                else:
                    result *= atom(sp.exp(t))
            return result
        if isinstance(x, (sp.Sum, sp.log, sp.Indexed, sp.KroneckerDelta)):
            return atom(x)
        if not x.args:
            return x
        return x.func(*[flatten(a) for a in x.args])

    flat = flatten(e)
    numerator, _ = sp.fraction(sp.together(flat))
    return sp.expand(numerator) == 0


def proves(
    left: sp.Expr,
    right: sp.Expr,
    notation: Notation,
    ranges: dict[sp.Symbol, sp.Expr],
    cited: Iterable[Hypothesis],
) -> bool:
    """True when left = right is proved for every K, every allowed index pattern, every value."""
    return remainder_degree(left, right, notation, ranges, cited) is None


def remainder(left, right, notation: Notation, ranges, cited) -> sp.Expr | None:
    """left − right in normal form for the first index pattern where it is not zero, with
    every sum's bound index given a readable letter; None when the step is proved."""
    cited = tuple(cited)
    for pattern in index_patterns(ranges, cited):
        difference = normal_difference(left, right, notation, ranges, pattern, cited)
        if not is_zero(difference):
            taken = {str(x) for x in difference.free_symbols}
            pool = iter(x for x in "klmpqrtuvw" + "abcdefgh" if x not in taken)
            canonical = sorted(
                {b for s in difference.atoms(sp.Sum) for b, *_ in s.limits if b.name.startswith("_b")}, key=str
            )
            renamed = {b: sp.Symbol(next(pool), integer=True, positive=True) for b in canonical}
            return sp.factor_terms(difference.xreplace(renamed))
    return None


def degree_in(expression: sp.Expr, count: sp.Expr) -> int:
    """The degree in K (or in an index) of an expression's numerator, every sum, log,
    exponential and family entry taken as a symbol of its own (K(K−1)⋯(K−9)·Σ_k y_k has
    degree 10)."""
    if not count.is_Symbol:
        return 0
    atoms: dict = {}

    def flat(x):
        if isinstance(x, (sp.Sum, sp.log, sp.exp, sp.Indexed, sp.KroneckerDelta)):
            return atoms.setdefault(x, sp.Dummy())
        if not x.args:
            return x
        return x.func(*[flat(a) for a in x.args])

    numerator = sp.expand(sp.fraction(sp.together(flat(expression)))[0])
    try:
        degree = sp.Poly(numerator, count).degree()
        return int(degree) if degree != -sp.oo else 0  # the zero polynomial has degree −∞
    except sp.PolynomialError:
        return _degree_with_roots(numerator, count)


def _degree_with_roots(numerator: sp.Expr, count: sp.Symbol) -> int:
    """The degree in K of a numerator where K also appears under a root (√K·(K−1)⋯(K−22)
    vanishes at K = 1..22 and not at 23: degree 22 + 1), each root counted as the degree of
    what it holds (it has as many zeros). Where K appears in a way with no such bound,
    UNBOUNDED: no sweep of K is enough, and the step is not decided without a proof."""
    try:
        poly = sp.Poly(numerator)
    except (sp.PolynomialError, sp.GeneratorsNeeded):
        return UNBOUNDED
    weights = [_growth(generator, count) for generator in poly.gens]
    if None in weights:
        return UNBOUNDED
    return max(
        (int(sp.ceiling(sum(w * e for w, e in zip(weights, monomial)))) for monomial in poly.monoms()), default=0
    )


UNBOUNDED = 10**6  # a degree beyond any sweep


def _growth(expr: sp.Expr, count: sp.Symbol):
    """How fast ``expr`` grows with K, as a power of K (a rational), or None when it is no
    sum, product or positive rational power of polynomials in K."""
    if not expr.has(count):
        return sp.Integer(0)
    if expr == count:
        return sp.Integer(1)
    if expr.is_Add:
        parts = [_growth(a, count) for a in expr.args]
        return None if None in parts else max(parts)
    if expr.is_Mul:
        parts = [_growth(a, count) for a in expr.args]
        return None if None in parts else sum(parts)
    if expr.is_Pow and expr.exp.is_Rational:
        # a root vanishes wherever what it holds does: ((K−1)⋯(K−21))^{1/3} has 21 zeros, so
        # it counts as the degree of what it holds, never less
        inner = _growth(expr.base, count)
        return None if inner is None else (sp.ceiling(expr.exp) * inner if expr.exp > 0 else sp.Integer(0))
    return None


def remainder_degree(left, right, notation: Notation, ranges, cited) -> int | None:
    """None when left = right is proved; otherwise the degree in K of the normal form that
    did not reduce to zero. A polynomial factor in K can vanish at every K the other
    witnesses try (K(K−1)⋯(K−9) up to K = 10): the numeric witness samples K beyond it."""
    cited = tuple(cited)
    worst = None
    for pattern in index_patterns(ranges, cited):
        difference = normal_difference(left, right, notation, ranges, pattern, cited)
        if is_zero(difference):
            continue
        worst = max(worst or 0, degree_in(difference, notation.classes))
    return worst
