"""The corpus judge: decides each transcribed claim's truth with no code from derive.

derive must never be its own referee on the corpus, so this module imports only the standard
library and mpmath. A corpus file's ``claims.py`` writes each claim's two sides as Python
functions of a point ``v`` (1-based vectors, as the mathematics is written):

    Claim(line=12, column=31, kind="link", written=r"\\frac{\\partial s_i}{\\partial z_j} = s_i(1 - s_j)",
          case="i=j", expected=True,
          lhs=lambda v: D(lambda z: softmax(z)[v.i], v.z, v.j),
          rhs=lambda v: v.s[v.i] * (1 - v.s[v.j]))

The judge evaluates both sides at every K from 1 to 6 (every N from 1 to 3 where the file has
examples), every assignment of the free indices the case allows, and three random points each,
at 60 digits: a claim is true when the sides agree everywhere to 1e-30 (relative), false at the
first point where they do not. Derivatives are taken numerically (mpmath.diff, at 60 digits),
so the judge shares neither SymPy's algebra nor derive's rules.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import mpmath

mpmath.mp.dps = 60
TOLERANCE = mpmath.mpf("1e-30")
MAX_K = 6
MAX_N = 3
POINTS = 3

KINDS = ("link", "definition", "fact", "case", "not-equality", "rule")


class Vec:
    """A vector indexed from 1, as in the mathematics (v.z[1] is z_1)."""

    def __init__(self, values):
        self.values = list(values)

    def __getitem__(self, k):
        if isinstance(k, tuple):  # z[n, k] for a family over examples and classes
            row = self.values[k[0] - 1]
            return row[k[1]] if isinstance(row, Vec) else row[k[1] - 1]
        if not 1 <= k <= len(self.values):
            raise IndexError(f"index {k} outside 1..{len(self.values)}")
        return self.values[k - 1]

    def __len__(self):
        return len(self.values)

    def __iter__(self):
        return iter(self.values)

    def replaced(self, k, value) -> Vec:
        values = list(self.values)
        values[k - 1] = value
        return Vec(values)


def softmax(z: Vec, T=1) -> Vec:
    m = max(z)
    exps = [mpmath.exp((zk - m) / T) for zk in z]
    total = mpmath.fsum(exps)
    return Vec(e / total for e in exps)


def sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def log(x):
    if x <= 0:
        raise ZeroDivisionError("log of a non-positive number")
    return mpmath.log(x)


exp = mpmath.exp
tanh = mpmath.tanh
sqrt = mpmath.sqrt


def delta(a, b) -> int:
    return 1 if a == b else 0


def S(f: Callable[[int], object], first: int, last: int):
    """Σ_{k=first}^{last} f(k)."""
    return mpmath.fsum(f(k) for k in range(first, last + 1))


def D(f: Callable[[Vec], object], at: Vec, k: int):
    """∂f/∂x_k at the point `at` (f takes the whole vector)."""
    return mpmath.diff(lambda t: f(at.replaced(k, t)), at[k])


def d(f: Callable[[object], object], at):
    """df/dx at x = at (a function of one real variable)."""
    return mpmath.diff(f, at)


@dataclass
class Point:
    """One point the judge evaluates at: counts, index values, variables."""

    K: int
    N: int
    z: Vec
    y: Vec
    s: Vec
    T: object
    x: object
    eps: object
    p: object
    extra: dict = field(default_factory=dict)

    def __getattr__(self, name):
        extra = self.__dict__.get("extra", {})
        if name in extra:
            return extra[name]
        raise AttributeError(name)


@dataclass
class Setting:
    """What a file's variables are: its free indices, its labels, whether it has N examples.

    labels: "one-hot" (y_c = 1 for a random class c, also given as v.c), "distribution" (positive,
    summing to one), or "any" (arbitrary reals). examples: True when z and y are N × K (v.z[n, k]).
    indices: the free index letters (each from 1 to K; with examples, "n" runs from 1 to N).
    """

    indices: tuple[str, ...] = ("i", "j")
    labels: str = "one-hot"
    examples: bool = False
    temperature: bool = False


@dataclass
class Claim:
    line: int
    column: int
    kind: str
    written: str
    expected: bool | None = None
    lhs: Callable | None = None
    rhs: Callable | None = None
    case: str | None = None  # "i=j", "i!=j", or None
    error: str = ""  # for a claim expected false: what the author got wrong
    note: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {KINDS}")
        if self.kind == "link" and (self.lhs is None or self.rhs is None or self.expected is None):
            raise ValueError(f"link at line {self.line} needs lhs, rhs and expected")


@dataclass
class Mutant:
    """A mutated copy of a true link: `find` replaced by `replace` on the claim's line."""

    line: int
    column: int
    find: str
    replace: str
    operator: str  # "sign flip", "swapped index", "dropped term", ...
    lhs: Callable
    rhs: Callable


def _labels(rng: random.Random, setting: Setting, K: int):
    if setting.labels == "one-hot":
        c = rng.randint(1, K)
        return [mpmath.mpf(int(k == c)) for k in range(1, K + 1)], c
    if setting.labels == "distribution":
        w = [mpmath.mpf(rng.randint(1, 9)) for _ in range(K)]
        return [x / mpmath.fsum(w) for x in w], None
    return [mpmath.mpf(rng.randint(-9, 9)) / 7 for _ in range(K)], None


def _point(rng: random.Random, setting: Setting, K: int, N: int, indices: dict) -> Point:
    def logits():
        return Vec(mpmath.mpf(rng.randint(-300, 300)) / 100 for _ in range(K))

    T = mpmath.mpf(rng.randint(20, 300)) / 100 if setting.temperature else mpmath.mpf(1)
    extra = dict(indices)
    if setting.examples:
        rows_z, rows_y, rows_s, classes = [], [], [], []
        for _ in range(N):
            z = logits()
            y, c = _labels(rng, setting, K)
            rows_z.append(z)
            rows_y.append(Vec(y))
            rows_s.append(softmax(z, T))
            classes.append(c)
        z, y, s = Vec(rows_z), Vec(rows_y), Vec(rows_s)
        extra["classes"] = Vec(classes)
    else:
        z = logits()
        labels, c = _labels(rng, setting, K)
        y = Vec(labels)
        s = softmax(z, T)
        extra["c"] = c
    return Point(
        K=K,
        N=N,
        z=z,
        y=y,
        s=s,
        T=T,
        x=mpmath.mpf(rng.randint(-250, 250)) / 100,
        eps=mpmath.mpf(rng.randint(1, 99)) / 100,
        p=mpmath.mpf(rng.randint(1, 99)) / 100,
        extra=extra,
    )


def _allowed(case: str | None, values: dict) -> bool:
    if not case:
        return True
    for part in case.split(","):
        part = part.replace(" ", "")
        if "!=" in part:
            a, b = part.split("!=")
            if values.get(a) == values.get(b):
                return False
        elif "=" in part:
            a, b = part.split("=")
            if values.get(a) != values.get(b):
                return False
    return True


def _close(a, b) -> bool:
    a, b = mpmath.mpmathify(a), mpmath.mpmathify(b)
    return abs(a - b) <= TOLERANCE * max(1, abs(a), abs(b))


@dataclass
class Judgement:
    truth: bool | None  # None: undefined at every point tried
    witness: str = ""


def judge(setting: Setting, lhs: Callable, rhs: Callable, case: str | None = None, seed: int = 0) -> Judgement:
    """Whether lhs(v) = rhs(v) at every point tried; the first point where not, as a witness."""
    rng = random.Random(seed)
    defined = 0
    for K in range(1, MAX_K + 1):
        for N in range(1, (MAX_N if setting.examples else 1) + 1):
            ranges = [range(1, (N if name == "n" and setting.examples else K) + 1) for name in setting.indices]
            for values in itertools.product(*ranges):
                named = dict(zip(setting.indices, values))
                if not _allowed(case, named):
                    continue
                for _ in range(POINTS):
                    v = _point(rng, setting, K, N, named)
                    try:
                        left, right = lhs(v), rhs(v)
                    except (ZeroDivisionError, IndexError, ValueError, TypeError):
                        continue
                    defined += 1
                    if not _close(left, right):
                        where = ", ".join(f"{k} = {val}" for k, val in named.items())
                        return Judgement(
                            False,
                            f"K = {K}"
                            + (f", N = {N}" if setting.examples else "")
                            + (f", {where}" if where else "")
                            + f": left = {mpmath.nstr(left, 12)}, right = {mpmath.nstr(right, 12)}",
                        )
    if not defined:
        return Judgement(None, "undefined at every point tried")
    return Judgement(True, f"agrees at {defined} points")
