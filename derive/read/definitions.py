"""Definitions a document states: an equation whose left side is a name nothing declares.

"If we define $\\Sigma_C = \\sum_{d=1}^C e^{z_d}$", "$$ S = \\sum_k e^{z_k} $$", "$$ J(\\theta) :=
-\\sum_k y_k \\log \\hat{y}_k $$": the name gets that meaning for the whole document, and its own
equation is listed as a definition, never checked as an identity (it is true by the author's
word). Only names the notation does not declare are defined this way: an equation whose left
side is a declared letter (a softmax entry, the loss of the header) stays a claim, and so does a
second equation for a name the document has already defined. A use before the definition means
the same name ("... where S = Σ_k e^{z_k}"): one meaning per name and document.

Only scalar names are defined here (no free index on the right: a family such as
ℓ_j = −y_j log p_j is not read yet), and only when the right side reads with what is declared
and defined before; anything else leaves the name unknown, so that its uses are not read.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

import sympy as sp

from derive.core.vocabulary import DecimalNumber, Partial, index, outermost

from .header import Reading, loss_name
from .source import Block, Directive, MacroDefinitions, Place, SourceError

__all__ = ["Definition", "document_definitions"]

# Where an equation may begin in a block: its start, or a row's (after \\ and an optional &).
_NAME = (
    r"(?P<name>(?:\\(?:mathcal|mathrm|mathbf|operatorname|text|mathit)\{[A-Za-z]+\}|\\[A-Za-z]+|[A-Za-z])"
    r"(?:_(?:\{\s*[A-Za-z0-9]+\s*\}|[A-Za-z0-9]))?(?:\((?:[^()]|\([^()]*\))*\))?)"
)
_RELATION = (
    r"(?P<relation>:=|=|\\coloneqq|\\coloneq|\\equiv|\\triangleq|\\(?:stackrel|overset)\{(?:[^{}]|\{[^{}]*\})*\}\{=\})"
)
_HEAD = re.compile(rf"(?:^|\\\\)\s*&?\s*{_NAME}\s*&?\s*{_RELATION}")
# Letters an author uses as indices: "i = \\sum_k e^{z_k}" would make s_i's i a value.
_INDEX_LETTERS = frozenset("ijkl")
# Letters that are never a name being defined: e, the differential d, Kronecker's delta.
_NOT_NAMES = {"e", "d", "\\delta", "\\partial", "\\nabla", "\\sum", "\\frac", "\\log", "\\ln", "\\exp"}


@dataclass(frozen=True)
class Definition:
    """A name the document defines: its key as the reader looks it up, the symbol, its meaning,
    and where it is defined (the block, and the line and column of the name in it)."""

    key: str
    symbol: sp.Symbol
    value: sp.Expr
    written: str
    place: Place
    line: int
    column: int


def document_definitions(events, reading: Reading, masked) -> tuple[Reading, tuple[Definition, ...], tuple]:
    """The reading with the document's definitions added, the definitions, and what could not
    be used: (place, text, reason) of each equation of a name defined twice, differently.
    ``masked`` turns a block's text into what the math reader reads (environments masked)."""
    found: list[Definition] = []
    conflicts: list[tuple[Place, str, str]] = []
    refused: set[str] = set()
    changed = True
    while changed:  # a definition may use a name defined after it: read again until none is new
        changed = False
        candidates: dict[str, list[tuple[Definition, str | None]]] = {}
        for event, text, macros in _blocks(events, masked):
            for head in _HEAD.finditer(text):
                try:
                    name = loss_name(head.group("name"), event.place)
                except SourceError:
                    continue
                if name.symbol in refused or not _undeclared(name.key, name.symbol, reading):
                    continue
                definition = _read_definition(event, text, name, reading, macros)
                if definition is not None:
                    candidates.setdefault(name.symbol, []).append((definition, name.argument))
        for symbol, said in candidates.items():
            first, argument = said[0]
            key = first.key
            if any(
                _canonical(other.value) != _canonical(first.value)
                or other_argument != argument
                or other.key != first.key  # \mathcal{S} and S: one symbol, two names
                for other, other_argument in said[1:]
            ):
                # f(x) = 3x^4 here, f(x; θ) = θ_0 x^2 there: which one a use means is not read
                # yet, so neither is used (a step with f is not read, never checked against a guess)
                refused.add(symbol)
                places = ", ".join(f"{d.place.line + d.line - 1}" for d, _ in said)
                conflicts += [
                    (
                        d.place,
                        d.written,
                        f"{key} is defined more than once, differently (lines {places}): derive does not "
                        "yet tell which definition a use of it means, and reads none of them",
                    )
                    for d, _ in said
                ]
                continue
            found.append(first)
            reading = _with(reading, first, argument)
            changed = True
    return reading, tuple(found), tuple(conflicts)


def _blocks(events, masked):
    """Each block that may define a name, as (block, its text as read, the macros then defined):
    not the block a directive marks as prose (skip) or as a claim about one K (classes)."""
    macros: dict = {}
    skip = False
    for event in events:
        if isinstance(event, MacroDefinitions):
            macros = {**macros, **{macro.name: macro for macro in event.macros}}
        if isinstance(event, Directive) and event.text.split()[:1] in (["skip"], ["classes"]):
            skip = True  # until the next block, whatever directives come between (as the reader does)
        if not isinstance(event, Block):
            continue
        if skip:
            skip = False
            continue
        if event.defining:
            yield event, masked(event.text), macros


def _undeclared(key: str, symbol: str, reading: Reading) -> bool:
    """Nothing is declared under ``key``, nor under its SymPy name (\\mathcal{L} and L are both
    the symbol L: a definition of one would be read as the other)."""
    letters = reading.letters
    base = key.split("_{")[0]
    counts = letters.count_names()
    taken = {str(x) for x in (*letters.defined.values(), *letters.scalars.values(), *letters.families.values())}
    if symbol in taken | counts or symbol in _INDEX_LETTERS:
        return False
    if key in (*letters.families, *letters.defined, *letters.scalars, *counts):
        return False
    if base in letters.families or base in _NOT_NAMES:
        return False
    if key == letters.sigmoid_name:
        return False  # σ(x) = 1/(1 + e^{-x}) states what derive's σ is: a claim to check
    return not any(a == base for a, _ in letters.aliases)


def _read_definition(block: Block, text: str, name, reading: Reading, macros: dict) -> Definition | None:
    """The definition of ``name`` in ``block``, or None when its equation there does not define
    it (its right side does not read, uses the name itself, has a free index, is a number)."""
    from derive.core.semantics import VocabularyError, check_vocabulary, free_indices

    from .latex_math import MathSyntaxError, Statement, read_block

    symbol = sp.Symbol(name.symbol)
    trial = _with(reading, None, name.argument, (name.key, symbol))
    try:
        statements = read_block(text, trial.letters, macros)
    except MathSyntaxError:
        return None
    for statement in statements:
        if not isinstance(statement, Statement) or len(statement.links) < 2 or statement.links[0] is None:
            continue
        first, second = statement.links[0], statement.links[1]
        if first.expr != symbol:
            continue
        value = second.expr
        if not isinstance(value, sp.Expr) or symbol in value.free_symbols or value.atoms(Partial, DecimalNumber):
            # refers to itself; a derivative, which the core expands before names; a decimal,
            # which only a claim with no variable may hold
            return None
        notation = reading.letters.notation
        if not value.atoms(sp.Indexed) and not (value.free_symbols - {notation.classes, notation.examples}):
            return None  # a number, or counts alone: a value to compute, not a name's meaning
        try:
            if free_indices(value, reading.letters.notation):
                return None  # a family (ℓ_j = -y_j log p_j): not read yet
            check_vocabulary(value, reading.letters.notation)
        except VocabularyError:
            return None
        place = block.place
        rows = text.split("\n")
        written = rows[first.line - 1].strip() if 0 < first.line <= len(rows) else text.strip()
        return Definition(name.key, symbol, value, written, place, first.line, first.column)
    return None


def _canonical(value: sp.Expr) -> sp.Expr:
    """``value`` with its bound indices named by their place, so that two writings of one
    definition (Σ_k e^{z_k} and Σ_j e^{z_j}) compare equal; nothing else is rewritten."""
    count = itertools.count()

    def rename(e):
        if isinstance(e, sp.Sum):
            body, (k, lo, hi) = outermost(e)
            bound = index(f"bound{next(count)}")
            return sp.Sum(rename(body).xreplace({k: bound}), (bound, lo, hi))
        if not e.args or isinstance(e, sp.Indexed):
            return e
        return e.func(*[rename(a) for a in e.args], evaluate=False)

    return rename(value)


def _with(reading: Reading, definition: Definition | None, argument: str | None, extra=None) -> Reading:
    """``reading`` with one more defined name (for a trial reading, ``extra``: a name declared
    without a meaning, so that its equation reads)."""
    letters = reading.letters
    defined = dict(letters.defined)
    calls = dict(letters.calls)
    notation = letters.notation
    if definition is not None:
        defined[definition.key] = definition.symbol
        notation = replace(notation, definitions=(*notation.definitions, (definition.symbol, definition.value)))
        key = definition.key
    else:
        key, symbol = extra
        defined[key] = symbol
    if argument is not None:
        calls[key] = argument
    return replace(reading, letters=replace(letters, notation=notation, defined=defined, calls=calls))
