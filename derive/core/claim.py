"""A step prepared for the witnesses: validated once, and read by all of them."""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from . import digits
from .hypotheses import Hypothesis
from .semantics import (
    VocabularyError,
    check_domain,
    check_vocabulary,
    free_indices,
    is_count,
    real_variables,
    with_definitions,
)
from .symbolic import index_patterns
from .vocabulary import Notation, SumExcept, as_expression

__all__ = ["Claim"]


@dataclass(frozen=True)
class Claim:
    """``left = right`` under ``cited``, in ``notation``, with what every witness needs:
    the free indices and their ranges, the real scalars (and which of them are given by
    their exponential), whether the families carry an example index."""

    left: sp.Expr
    right: sp.Expr
    notation: Notation
    cited: tuple[Hypothesis, ...]
    ranges: dict
    scalars: tuple[sp.Symbol, ...]
    by_exponential: frozenset
    rank: int
    uses_examples: bool

    @classmethod
    def prepare(cls, left, right, notation: Notation, cited: tuple[Hypothesis, ...]) -> Claim:
        """Validate the step (raising VocabularyError for what the core cannot read) and
        work out what the witnesses need."""
        left, right = as_expression(left), as_expression(right)
        if digits.has_decimals(left, right):
            digits.check_written(left, right)  # a decimal beside a variable is bad input
        cited = _facts_in_force(cited, notation)
        for h in cited:
            if h.kind in ("between", "open_between") and not h.subjects[1] < h.subjects[2]:
                # An empty range says nothing; a range of one value is that value, written as such.
                raise VocabularyError(f"cites {h}: the range of values must have a lower end below its upper end")
        for side in (left, right):
            check_vocabulary(side, notation)
            check_domain(side, notation, cited)
        for name, definition in notation.definitions:
            # (the labels' rule may name the true class c: that index is the claim's own)
            loose = free_indices(definition, replace(notation, label_rule=None))
            if loose:
                letters = ", ".join(sorted(map(str, loose)))
                raise VocabularyError(
                    f"the definition of {name} has a free index ({letters}): sum over it or name a class"
                )
        for family, bound, value in notation.family_definitions:
            loose = set(free_indices(value, replace(notation, label_rule=None))) - {bound}
            if loose:
                letters = ", ".join(sorted(map(str, loose)))
                raise VocabularyError(f"the definition of {family}_{bound} has another free index ({letters})")
        # Both sides at once, so that a bare δ_nm takes n's and m's range from either side.
        ranges = free_indices(sp.Tuple(left, right), notation)
        for h in cited:
            if h.is_case:
                for x in h.subjects:
                    if is_count(x, notation) or not (isinstance(x, sp.Symbol) and x.is_integer):
                        raise VocabularyError(f"the case {h}: {x} is not an index (a case compares two indices)")
                    ranges.setdefault(x, notation.classes)
                a, b = h.subjects
                if ranges[a] != ranges[b]:
                    raise VocabularyError(f"the case {h} compares indices of different ranges")
        impossible = next(iter(index_patterns(ranges, cited)), None) is None
        if not impossible and notation.concrete:
            # At one K the indices may not fit: i ≠ j with one class.
            sizes = {upper: int(upper) for upper in ranges.values() if upper.is_Integer}
            impossible = bool(sizes) and not _some_assignment(ranges, cited, sizes)
        if impossible:
            cases = ", ".join(str(h) for h in cited if h.is_case)
            where = f" when K = {notation.classes}" if notation.concrete else ""
            raise VocabularyError(
                f"the cited cases {cases} cannot hold together{where}: a step under them says nothing"
            )
        found, inside_exp = real_variables(left, notation)
        right_found, right_inside = real_variables(right, notation)
        bounded = {h.subjects[0] for h in cited if h.is_domain}
        # A scalar inside an exponential is given by its exponential (so e^{x − m} stays
        # rational), unless it is the temperature or a cited condition bounds the scalar itself.
        by_exponential = frozenset((inside_exp | right_inside) - bounded - {notation.temperature})
        used = [x for side in (left, right) for x in with_definitions(side, notation)]
        widths = {len(x.indices) for x in used if isinstance(x, sp.Indexed)}
        if len(widths) > 1:
            one = next(x for x in used if isinstance(x, sp.Indexed) and len(x.indices) == 1)
            two = next(x for x in used if isinstance(x, sp.Indexed) and len(x.indices) == 2)
            raise VocabularyError(
                f"{one} has one index and {two} two: in one step every family entry names the example or none does"
            )
        rank = 2 if 2 in widths else 1
        uses_examples = notation.examples is not None and (
            rank == 2
            or any(r == notation.examples for r in ranges.values())
            or any(x == notation.examples for x in used)
        )
        scalars = found | right_found | bounded
        claim = cls(
            left, right, notation, tuple(cited), ranges,
            tuple(sorted(scalars, key=str)), by_exponential, rank, uses_examples,
        )  # fmt: skip
        if notation.temperature is not None and claim.uses_logits and notation.temperature not in scalars:
            # A logit is given by e^{z_k/T}: z_k itself is T·log of it, so T needs a value
            # even when the step never writes it.
            claim = replace(claim, scalars=tuple(sorted(scalars | {notation.temperature}, key=str)))
        return claim

    @property
    def most_distinct_indices(self) -> int:
        """The most free indices over one range: the exact witness needs at least that many
        classes to see them all distinct."""
        counts: dict = {}
        for upper in self.ranges.values():
            counts[upper] = counts.get(upper, 0) + 1
        return max(counts.values(), default=0)

    def with_cited(self, cited: tuple[Hypothesis, ...]) -> Claim:
        return Claim.prepare(self.left, self.right, self.notation, cited)

    @property
    def involves_classes(self) -> bool:
        """Does the claim depend on the class count at all (through a sum, a family, or a
        free index, which ranges over 1..K: six indices pairwise distinct need K ≥ 6)?"""
        if self.ranges:
            return True
        for side in (self.left, self.right):
            for x in with_definitions(side, self.notation):
                if isinstance(x, (sp.Indexed, sp.Sum, SumExcept)) or is_count(x, self.notation):
                    return True
        return False

    def _uses(self, *families) -> bool:
        return any(
            isinstance(x, sp.Indexed) and x.base in families
            for side in (self.left, self.right)
            for x in with_definitions(side, self.notation)
        )

    @property
    def uses_labels(self) -> bool:
        """Do the labels' values matter (not when a rule defines them)?"""
        return self.notation.label_rule is None and self._uses(self.notation.labels)

    @property
    def uses_logits(self) -> bool:
        return self._uses(self.notation.logits, self.notation.softmax)


def _facts_in_force(cited: tuple[Hypothesis, ...], notation: Notation) -> tuple[Hypothesis, ...]:
    """The cited hypotheses, each read with its subject. A fact about the labels is a
    hypothesis; Σ_k s_k = 1 about the softmax is true by construction and gives nothing (in
    particular nothing about the labels); a fact about any other family is refused."""
    kept = []
    for h in cited:
        if h.kind in ("sums_to_one", "one_hot"):
            (subject,) = h.subjects
            if subject == notation.labels:
                kept.append(h)
                continue
            if h.kind == "sums_to_one" and notation.softmax is not None and subject == notation.softmax:
                continue  # Σ_k s_k = 1 at any temperature
            roles = {notation.logits: "the logits", notation.softmax: "the softmax outputs"}
            role = roles.get(subject, "not a family of this notation")
            raise VocabularyError(
                f"cites {h}: {subject} is {role}; derive knows this fact only about the labels {notation.labels}"
            )
        kept.append(h)
    return tuple(kept)


def _some_assignment(ranges: dict, cited: tuple[Hypothesis, ...], sizes: dict) -> bool:
    """Is there a pattern of equal and distinct indices that the cases allow and that fits
    in ``sizes`` classes?"""
    for pattern in index_patterns(ranges, cited):
        blocks: dict = {}
        for representative in set(pattern.values()):
            blocks[ranges[representative]] = blocks.get(ranges[representative], 0) + 1
        if all(count <= sizes.get(upper, count) for upper, count in blocks.items()):
            return True
    return False
