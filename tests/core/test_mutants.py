"""hypothesis mutates true steps (sign, index swap, dropped term, changed constant) and every
mutant that is not still an identity must be rejected.

Whether a mutant is still an identity is decided here by a referee of the test's own: exact
Fraction evaluation of explicit formulas for the softmax quantities at random points, for
every K up to 7, written without the core.
"""

from fractions import Fraction
from itertools import product

import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derive.core import Partial, Status, check, different, same, sums_to_one

from .conftest import Vocab

V = Vocab()
i, j, k = V.i, V.j, V.k
s, z, y = V.s, V.z, V.y

# (left, right, cites) — every one of these holds; the mutants are made from `right`.
TRUE_STEPS = [
    (Partial(s[i], z[j]), s[i] * (sp.KroneckerDelta(i, j) - s[j]), ()),
    (Partial(s[i], z[j]), -s[i] * s[j], (different(i, j),)),
    (Partial(s[i], z[j]), s[i] - s[i] ** 2, (same(i, j),)),
    (Partial(V.L, s[i]), -y[i] / s[i], ()),
    (Partial(V.L, z[i]), s[i] - y[i], (sums_to_one(y),)),
    (Partial(sp.log(s[i]), z[j]), sp.KroneckerDelta(i, j) - s[j], ()),
]


def mutate(expr, kind, pick):
    """One mutation of ``expr``; ``pick`` chooses where."""
    if kind == "sign":
        terms = sp.Add.make_args(sp.expand(expr))
        t = terms[pick % len(terms)]
        return sp.expand(expr) - 2 * t
    if kind == "swap":
        return expr.xreplace({i: j, j: i})
    if kind == "drop":
        terms = sp.Add.make_args(sp.expand(expr))
        if len(terms) < 2:
            return expr + s[i]
        return sp.expand(expr) - terms[pick % len(terms)]
    if kind == "constant":
        return expr * sp.Rational(pick % 3 + 2, 1)
    raise AssertionError(kind)


def softmax(e):
    total = sum(e)
    return [x / total for x in e]


def reference(left, right, cites, K, iv, jv, e, labels):
    """The step's two sides at one point, from closed formulas (no core code)."""
    sm = softmax(e)
    delta = 1 if iv == jv else 0
    env = {s[i]: sm[iv - 1], s[j]: sm[jv - 1], y[i]: labels[iv - 1], y[j]: labels[jv - 1]}
    known = {
        str(Partial(s[i], z[j])): sm[iv - 1] * (delta - sm[jv - 1]),
        str(Partial(V.L, s[i])): -labels[iv - 1] / sm[iv - 1],
        str(Partial(V.L, z[i])): sm[iv - 1] * sum(labels) - labels[iv - 1],
        str(Partial(sp.log(s[i]), z[j])): delta - sm[jv - 1],
    }
    lv = known[str(left)]
    expr = right.replace(
        sp.KroneckerDelta, lambda a, b: sp.Integer(delta) if {a, b} == {i, j} else sp.KroneckerDelta(a, b)
    )
    rv = expr.xreplace({key: sp.Rational(val.numerator, val.denominator) for key, val in env.items()})
    return lv, Fraction(int(sp.numer(rv)), int(sp.denom(rv)))


def still_identity(left, right, cites):
    kinds = {h.kind for h in cites}
    for K in range(1, 8):
        for iv, jv in product(range(1, K + 1), repeat=2):
            if any(h.kind == "same" for h in cites) and iv != jv:
                continue
            if any(h.kind == "different" for h in cites) and iv == jv:
                continue
            for e in ([Fraction(1)] * K, [Fraction(m + 1, 2) for m in range(K)]):
                label_sets = [[Fraction(int(m == h)) for m in range(K)] for h in range(K)]
                if "sums_to_one" not in kinds:
                    label_sets.append([Fraction(m + 1, 3) for m in range(K)])
                for labels in label_sets:
                    lv, rv = reference(left, right, cites, K, iv, jv, e, labels)
                    if lv != rv:
                        return False
    return True


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    step=st.sampled_from(TRUE_STEPS),
    kind=st.sampled_from(["sign", "swap", "drop", "constant"]),
    pick=st.integers(0, 5),
)
def test_every_mutant_that_is_not_an_identity_is_rejected(step, kind, pick):
    left, right, cites = step
    mutant = mutate(right, kind, pick)
    verdict = check(left, mutant, cites, notation=V.nt)
    if still_identity(left, mutant, cites):
        assert verdict.status is Status.HOLDS
    else:
        assert verdict.status is Status.FAILS, (left, mutant, verdict.label)
        assert verdict.counterexample is not None


def test_the_true_steps_are_identities_for_the_test_referee_too():
    for left, right, cites in TRUE_STEPS:
        assert still_identity(left, right, cites)
        assert check(left, right, cites, notation=V.nt).holds
