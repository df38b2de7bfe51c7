"""Verdicts: frozen values that only the core constructs.

As in HOL Light's ``thm``, the way to obtain a :class:`Verdict` or a
:class:`CheckedDerivation` is through :mod:`derive.core.checking`; building one by hand raises.
Renderers and the CLI receive them and read them; they cannot upgrade or drop one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace

import sympy as sp

from .hypotheses import Hypothesis

__all__ = [
    "CheckedDerivation",
    "Counterexample",
    "Derivation",
    "EngineError",
    "Status",
    "Step",
    "Strength",
    "Verdict",
]

_CORE = object()  # the seal: only modules of derive.core hold it


class EngineError(RuntimeError):
    """Two independent witnesses disagree: a bug in derive, never a verdict on the step."""


class Status(enum.Enum):
    HOLDS = "holds"
    FAILS = "fails"
    UNDECIDED = "undecided"


class Strength(enum.Enum):
    """How a step that holds was established, strongest first."""

    PROVED = "proved"  # symbolic K and indices; or, for a claim about one K, decided at that K
    EXACT = "exact"  # decided exactly for every K ≤ n (and N ≤ m)
    NUMERIC = "numeric"  # evaluated at sample points only
    # A claim with decimals and no variable (a worked example), decided rigorously at the
    # precision written: it satisfies what ``numeric`` does and nothing stronger.
    DIGITS = "digits"

    @property
    def rank(self) -> int:
        return {"proved": 3, "exact": 2, "numeric": 1, "digits": 1}[self.value]


@dataclass(frozen=True)
class Step:
    """One link of a calc-style chain: ``previous = next`` under the hypotheses it cites.

    ``rule`` names the reasoning for the reader (quotient rule, chain rule, ...); it is an
    annotation and never an input to the verdict. ``heading`` starts a new part of the
    derivation (such as a case) before this step; ``continues`` says the step's left side is
    the previous step's right side (printed as "= next")."""

    previous: sp.Expr
    next: sp.Expr
    cites: tuple[Hypothesis, ...] = ()
    rule: str = ""
    heading: str | None = None
    continues: bool = False
    notation: object | None = None  # a Notation for this step alone (e.g. one concrete K)
    where: str = ""  # where the author wrote it (notes.md:14:3), for steps read from a file
    # Facts stated once for the whole text (y one-hot in a file's header): cited by every
    # step like ``cites``, and shown only where a step needed them.
    standing: tuple[Hypothesis, ...] = ()
    # where each standing fact was stated (the header line, or the sentence it was learned
    # from), in the same order; shown beside a fact a step used, never read by the core
    stated_at: tuple[str, ...] = ()
    # The two sides as the author wrote them: LaTeX (their order and grouping, for the
    # exports) and its Unicode rendering (for the terminal). Shown instead of SymPy's
    # re-printing of ``previous`` and ``next``; never read by the core.
    written: tuple[str, str] | None = None
    shown: tuple[str, str] | None = None
    # Denominators (as d**-1) and logarithms the author wrote that SymPy cancelled while
    # building the sides (δ_ij s_i/δ_ij, y_i s_i/y_i, log y_i − log y_i): the witnesses never
    # see them, so the core checks them itself; a step that divides by something 0 in some
    # case holds only with what excludes that case.
    guards: tuple = ()

    @property
    def all_cited(self) -> tuple[Hypothesis, ...]:
        return tuple(dict.fromkeys((*self.standing, *self.cites)))


@dataclass(frozen=True)
class Derivation:
    """An unchecked derivation: a name, a title, a notation and its steps, in order."""

    name: str
    title: str
    notation: object
    steps: tuple[Step, ...]
    summary: str = ""


@dataclass(frozen=True)
class Counterexample:
    """A point where the two sides differ, confirmed by the referee before it is shown.

    ``inputs`` are (name as text, name as LaTeX, exact value) for every input the claim
    depends on: e^{z_k} (e^{z_k/T} with a temperature) as small positive rationals, the
    labels, the real scalars. ``left`` and ``right`` are exact fractions when ``exact`` and
    12-digit decimals of rigorous intervals otherwise."""

    classes: int | None  # None for a claim that does not involve the class count
    examples: int | None
    indices: tuple[tuple[str, int], ...]
    inputs: tuple[tuple[str, str, str], ...]
    left: str
    right: str
    exact: bool
    count_name: str = "K"
    _seal: object = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if self._seal is not _CORE:
            raise TypeError("counterexamples are made by derive.core only")

    def describe(self) -> str:
        """One line a person can check by hand."""
        parts = [f"{self.count_name} = {self.classes}"] if self.classes is not None else []
        if self.examples is not None:
            parts.append(f"N = {self.examples}")
        parts += [f"{name} = {value}" for name, value in self.indices]
        text = ", ".join(parts)
        if self.inputs:
            given = ", ".join(f"{name} = {value}" for name, _, value in self.inputs)
            text = f"{text}; {given}" if text else given
        sides = f"left = {self.left}, right = {self.right}"
        return f"{text}: {sides}" if text else sides  # a claim with no variable: its sides alone


@dataclass(frozen=True)
class Verdict:
    """What the core concluded about one step."""

    status: Status
    strength: Strength | None
    scope: str  # "all K", "K = 4", "K ≤ 5, N ≤ 2"
    checked_up_to: int | None  # the largest K the exact witness decided
    examples_up_to: int | None
    cited: tuple[Hypothesis, ...]
    needed: tuple[Hypothesis, ...]
    missing: Hypothesis | None  # for a failed step: a hypothesis under which it would hold
    counterexample: Counterexample | None
    witnesses: tuple[tuple[str, str], ...]
    reason: str
    seconds: float
    # For a failed step: left − right in the symbolic normal form (sums with readable
    # bound letters), when the symbolic witness could reduce it; a diagnosis, not a proof.
    difference: object | None = None
    cached: bool = False  # read back from the verdict cache, not decided in this run
    timings: tuple[tuple[str, float], ...] = ()  # seconds per witness, when decided in this run
    _seal: object = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if self._seal is not _CORE:
            raise TypeError("verdicts are made by derive.core only")
        if (self.status is Status.HOLDS) != (self.strength is not None):
            raise ValueError("a step that holds has a strength, and only such a step")

    @property
    def holds(self) -> bool:
        return self.status is Status.HOLDS

    @property
    def label(self) -> str:
        """The verdict in words, never stronger than what was established."""
        if self.status is Status.FAILS:
            return "fails"
        if self.status is Status.UNDECIDED:
            return "undecided"
        if self.strength is Strength.PROVED:
            return f"proved for {self.scope}"
        if self.strength is Strength.EXACT:
            return f"exact for {self.scope}"
        if self.strength is Strength.DIGITS:
            return "holds to the digits written"
        return "numeric only"


@dataclass(frozen=True)
class CheckedDerivation:
    """A derivation with one verdict per step, in order."""

    derivation: Derivation
    verdicts: tuple[Verdict, ...]
    _seal: object = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if self._seal is not _CORE:
            raise TypeError("checked derivations are made by derive.core only")
        if len(self.verdicts) != len(self.derivation.steps):
            raise ValueError("one verdict per step")

    def as_cached(self) -> CheckedDerivation:
        """The same verdicts marked as read from the cache: what a later run that finds them
        there shows."""
        verdicts = tuple(replace(v, cached=True, _seal=_CORE) for v in self.verdicts)
        return CheckedDerivation(self.derivation, verdicts, _seal=_CORE)

    @property
    def pairs(self) -> tuple[tuple[Step, Verdict], ...]:
        return tuple(zip(self.derivation.steps, self.verdicts))

    def count(self, status: Status, strength: Strength | None = None) -> int:
        return sum(1 for v in self.verdicts if v.status is status and (strength is None or v.strength is strength))

    @property
    def all_hold(self) -> bool:
        return all(v.holds for v in self.verdicts)

    @property
    def weakest(self) -> Strength | None:
        held = [v.strength for v in self.verdicts if v.strength is not None]
        return min(held, key=lambda s: s.rank) if held else None
