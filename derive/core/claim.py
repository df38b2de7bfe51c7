"""A step prepared for the witnesses: validated once, and read by all of them."""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from .hypotheses import Hypothesis
from .semantics import (
    VocabularyError,
    check_domain,
    check_vocabulary,
    free_indices,
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
        # Both sides at once, so that a bare δ_nm takes n's and m's range from either side.
        ranges = free_indices(sp.Tuple(left, right), notation)
        for h in cited:
            if h.is_case:
                for x in h.subjects:
                    ranges.setdefault(x, notation.classes)
                a, b = h.subjects
                if ranges[a] != ranges[b]:
                    raise VocabularyError(f"the case {h} compares indices of different ranges")
        if next(iter(index_patterns(ranges, cited)), None) is None:
            cases = ", ".join(str(h) for h in cited if h.is_case)
            raise VocabularyError(f"the cited cases {cases} cannot hold together: a step under them says nothing")
        found, inside_exp = real_variables(left, notation)
        right_found, right_inside = real_variables(right, notation)
        bounded = {h.subjects[0] for h in cited if h.is_domain}
        # A scalar inside an exponential is given by its exponential (so e^{x − m} stays
        # rational), unless it is the temperature or a cited condition bounds the scalar itself.
        by_exponential = frozenset((inside_exp | right_inside) - bounded - {notation.temperature})
        exprs = [left, right, *(d for _, d in notation.definitions)]
        two_index = any(
            len(x.indices) == 2 for e in exprs for x in sp.preorder_traversal(e) if isinstance(x, sp.Indexed)
        )
        rank = 2 if two_index else 1
        uses_examples = notation.examples is not None and (
            rank == 2 or any(r == notation.examples for r in ranges.values())
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

    def with_cited(self, cited: tuple[Hypothesis, ...]) -> Claim:
        return Claim.prepare(self.left, self.right, self.notation, cited)

    @property
    def involves_classes(self) -> bool:
        """Does the claim depend on the class count at all (through a sum or a family)?"""
        for side in (self.left, self.right):
            for x in with_definitions(side, self.notation):
                if isinstance(x, (sp.Indexed, sp.Sum, SumExcept)) or x == self.notation.classes:
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
