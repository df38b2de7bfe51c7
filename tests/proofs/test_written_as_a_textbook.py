"""The built-ins are shown as a textbook writes them (their LaTeX, in every view). That LaTeX is
read back here with derive's own reader: it must be the very expression the core checked, so
that what a reader sees is what was proved."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from derive.core.vocabulary import Partial
from derive.proofs import BUILTINS
from derive.read.latex_math import Letters, read_expression
from derive.read.latex_tokens import GREEK


def _spellings(name: str) -> list[str]:
    """The LaTeX a header declares a SymPy name by (derive.read.header names \\hat{y} yhat,
    \\epsilon epsilon, L_{p} L_p): the name itself, and the letter as a textbook writes it,
    a Greek letter in either of its shapes (\\epsilon, \\varepsilon)."""
    base, _, sub = name.partition("_")
    hat = re.fullmatch(r"([A-Za-z])hat", base)
    if hat:
        heads = [rf"\hat{{{hat.group(1)}}}"]
    elif base in GREEK:
        heads = [f"\\{shape}" for shape in (base, f"var{base}") if shape in GREEK]
    else:
        heads = [base]
    return list(dict.fromkeys([name, *(f"{head}_{{{sub}}}" if sub else head for head in heads)]))


def _spelled(names: dict) -> dict:
    return {spelling: value for name, value in names.items() for spelling in _spellings(name)}


def _letters_for(step, derivation) -> Letters:
    """What a header would declare for the step's notation: its families, its counts, its
    defined names and its scalars (taken from the step itself), each as a header spells it."""
    nt = step.notation or derivation.notation
    families = {str(f.label): f for f in (nt.logits, nt.softmax, nt.labels) if f is not None}
    scalars, defined = {}, {}
    for side in (step.previous, step.next):
        for x in sp.preorder_traversal(side):
            if isinstance(x, sp.Indexed):
                families.setdefault(str(x.base.label), x.base)
            elif isinstance(x, sp.Symbol) and not x.is_integer:
                (defined if x.name.startswith("L") else scalars)[x.name] = x
    counts = frozenset({str(nt.classes)}) if not nt.concrete else frozenset()
    examples = frozenset({str(nt.examples)}) if nt.examples is not None else frozenset()
    families, defined, scalars = _spelled(families), _spelled(defined), _spelled(scalars)
    return Letters(nt, families, {}, counts, examples, defined, scalars)


def _same(read, checked) -> bool:
    """The same expression: the same tree once SymPy has evaluated both (a product kept as
    the author wrote it, (−y_k/s_k)·s_k, is that product), or else equal for every value."""
    if read == checked:
        return True
    evaluate = lambda e: e.replace(lambda x: isinstance(x, sp.Mul), lambda x: sp.Mul(*x.args))  # noqa: E731
    if evaluate(read) == evaluate(checked):
        return True
    difference = sp.expand((read - checked).doit())
    return difference == 0


def _written_steps():
    for name, builtin in BUILTINS.items():
        derivation = builtin.derivation()
        for number, step in enumerate(derivation.steps, start=1):
            if step.written is not None:
                yield pytest.param(derivation, step, id=f"{name}-{number}")


WRITTEN = list(_written_steps())


@pytest.mark.parametrize(("derivation", "step"), WRITTEN)
def test_each_written_side_reads_back_as_the_expression_checked(derivation, step):
    letters = _letters_for(step, derivation)
    for latex, checked in zip(step.written, (step.previous, step.next)):
        read = read_expression(latex, letters)
        assert _same(read, checked), f"{latex!r} reads as {read}, the core checked {checked}"


def test_every_built_in_step_but_the_matrices_is_written_as_a_textbook_writes_it():
    missing = []
    for name, builtin in BUILTINS.items():
        derivation = builtin.derivation()
        for number, step in enumerate(derivation.steps, start=1):
            if step.written is None and not isinstance(step.next, sp.MatrixBase):
                missing.append(f"{name} ({number})")
    assert missing == []


def test_the_comparison_tells_a_different_expression_apart():
    # the read-back would not notice a wrong LaTeX string if _same accepted anything
    s, z = sp.IndexedBase("s"), sp.IndexedBase("z")
    i, j = sp.symbols("i j", integer=True, positive=True)
    assert not _same(s[i] * (1 - s[j]), s[i] * (1 - s[i]))
    assert not _same(Partial(s[i], z[j]), Partial(s[j], z[i]))
    assert _same(sp.Mul(-1 / s[i], s[i], evaluate=False), sp.Integer(-1))
