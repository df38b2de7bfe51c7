"""Definitions a document states: an equation whose left side is a name nothing declares.

"If we define $\\Sigma_C = \\sum_{d=1}^C e^{z_d}$", "$$ S = \\sum_k e^{z_k} $$", "$$ J(\\theta) :=
-\\sum_k y_k \\log \\hat{y}_k $$": the name gets that meaning for the whole document, and its own
equation is listed as a definition, never checked as an identity (it is true by the author's
word). Only names the notation does not declare are defined this way: an equation whose left
side is a declared letter (a softmax entry, the loss of the header) stays a claim, and so does a
second equation for a name the document has already defined, unless it says it defines the
name anew: after a heading, with :=, or with other arguments (f(x), then f(x, t)). A definition
anew holds from its place on, up to the next one; a use before the first definition means the
first ("... where S = Σ_k e^{z_k}"). A definition anew that does not read leaves the name
without a meaning from its place on, so that no use after it is read with the old one.

A name with a letter as its subscript whose right side has that letter, and only that one,
free (ℓ_j = −y_j log p_j, g_i = e^{a_i}) defines a family entry by entry: ℓ_k is then
−y_k log p_k for every k. Anything else with a free index on the right is not a definition. A
definition counts only when its right side reads with what is declared and defined before;
anything else leaves the name unknown, so that its uses are not read.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

import sympy as sp

from derive.core.vocabulary import DecimalNumber, Partial, index, outermost

from .header import Reading, loss_name
from .source import Block, Directive, Heading, MacroDefinitions, Place, SourceError

__all__ = ["Definition", "defined_anew", "document_definitions"]

# Where an equation may begin in a block: its start, or a row's (after \\ and an optional &).
_NAME = (
    r"(?P<name>(?:\\(?:mathcal|mathrm|mathbf|operatorname|text|mathit)\{[A-Za-z]+\}"
    r"|\\(?:hat|bar|tilde)\{[A-Za-z]\}|\\[A-Za-z]+|[A-Za-z])"
    r"(?:_(?:\{\s*[A-Za-z0-9]+\s*\}|[A-Za-z0-9]))?(?:\((?:[^()]|\([^()]*\))*\))?)"
)
_RELATION = (
    r"(?P<relation>:=|=|\\coloneqq|\\coloneq|\\equiv|\\triangleq|\\(?:stackrel|overset)\{(?:[^{}]|\{[^{}]*\})*\}\{=\})"
)
# Each pass reads every block again; a name defined in terms of one defined after it needs a
# pass more. 200 names each defined by the next took 99 s (the tenth adversary): past this many
# passes the names not yet defined stay unknown, and their uses are listed as not read.
MAX_PASSES = 60
# ℓ_j, g_{i}: an entry of a family, by a lowercase letter (an index), not L_1 or \mathcal{L}_{CE}
_FAMILY_ENTRY = re.compile(r"(?P<base>\\?[A-Za-z]+|\\[A-Za-z]+\{[A-Za-z]\})_\{(?P<letter>[a-z])\}")
# ℓ_j or \ell_{j} after a \sum: a family that may be the terms of the sum before it
_SUMMED_ENTRY = re.compile(r"(?P<base>\\[A-Za-z]+|[A-Za-z])_(?:\{\s*[a-z]\s*\}|[a-z])")
# "We let $\\sum_j e^{f_j} = \\Sigma$": a name alone after the last relation of a block or a row
# (no two runs of white space side by side: "a  ...  b" would be split between them every way)
_TAIL = re.compile(rf"(?<![=<>:])=\s*(?:&\s*)?{_NAME}\s*(?:[.,;]\s*)?(?:\\\\|$)")
_HEAD = re.compile(rf"(?:^|\\\\)\s*(?:&\s*)?{_NAME}\s*(?:&\s*)?{_RELATION}")
# What the parentheses of a definition may hold: names (x; t, \theta, Y, \sigma(A)), not a point (2x, 1)
_ARGUMENT_ITEM = r"(?:\\[A-Za-z]+|[A-Za-z])(?:_\{?[A-Za-z0-9]+\}?)?(?:\s*\(\s*(?:\\[A-Za-z]+|[A-Za-z])\s*\))?"
_ARGUMENT_NAMES = re.compile(rf"\s*{_ARGUMENT_ITEM}(?:\s*(?:,|;|\\[,;])\s*{_ARGUMENT_ITEM})*\s*")
# Letters an author uses as indices: "i = \\sum_k e^{z_k}" would make s_i's i a value.
_INDEX_LETTERS = frozenset("ijkl")
# Letters that are never a name being defined: e, the differential d, Kronecker's delta.
_NOT_NAMES = {"e", "d", "\\delta", "\\partial", "\\nabla", "\\sum", "\\frac", "\\log", "\\ln", "\\exp"}


@dataclass(frozen=True)
class Definition:
    """A name the document defines: its key as the reader looks it up, the symbol, its meaning,
    and where it is defined (the block, and the line and column of the name in it). For a
    family (ℓ_j = ...), ``key`` is its base as written (\\ell), ``symbol`` the IndexedBase and
    ``bound`` the letter of its subscript."""

    key: str
    symbol: sp.Symbol | sp.IndexedBase
    value: sp.Expr
    written: str
    place: Place
    line: int
    column: int
    bound: sp.Symbol | None = None
    # where the name stands: "" alone on the left of its equation; "terms": the terms of a sum
    # before it (-Σ_j y_j log p_j = -Σ_j ℓ_j); "named": alone after the expression it names
    # (Σ_j e^{f_j} = Σ). For the last two the place is that of the link that defines it.
    how: str = ""
    # where its block stands among the document's events; whether it is written with :=, \\equiv
    # or \\triangleq; and, for a definition anew, the line of the one it replaces from here on
    ordinal: int = -1
    said_anew: bool = False
    replaces: str = ""
    until: str = ""
    # an equation of the name's form that does not read: where it defines the name anew, the
    # name means nothing from there on (its uses are not read) until a definition that reads
    unread: bool = False
    leads: bool = True  # the first equation of its block

    @property
    def at_right(self) -> bool:
        return self.how != ""

    @property
    def shown(self) -> str:
        """The name as a reader of the output knows it: ``\\ell_j`` for a family."""
        return f"{self.key}_{self.bound}" if self.bound is not None else self.key


def document_definitions(events, reading: Reading, masked) -> tuple:
    """The reading with the document's first meanings added, the definitions (first and anew),
    what could not be used ((place, text, reason) of each equation of a name defined twice in
    conflicting ways), the definitions anew with their arguments, and the note for each
    equation that restates a defined name as a claim, by (block place, line, column).
    ``masked`` turns a block's text into what the math reader reads (environments masked)."""
    found: list[Definition] = []
    conflicts: list[tuple[Place, str, str]] = []
    headings = [n for n, event in enumerate(events) if isinstance(event, Heading) and event.shown]
    redefined: dict[str, list[tuple[Definition, str | None]]] = {}
    restated: dict[tuple[str, int, int], str] = {}
    refused: set[str] = set()
    settled: set[str] = set()  # names whose first equation does not read: unknown up to a new meaning
    # A name with an equation that does not read is settled only once nothing else changes (the
    # equation may read in a later pass, once a name it uses is defined): first those whose first
    # equation reads (they define something), and last those whose first equation does not
    stage = 0
    passes = 0
    while passes < MAX_PASSES:  # a definition may use a name defined after it: read again
        changed, deferred, passes = False, False, passes + 1
        candidates: dict[str, list[tuple[Definition, str | None]]] = {}
        for ordinal, event, text, macros in _blocks(events, masked):
            for head in _HEAD.finditer(text):
                try:
                    name = loss_name(head.group("name"), event.place)
                except SourceError:
                    continue
                entry = _FAMILY_ENTRY.fullmatch(name.key) if name.argument is None else None
                if entry and _undeclared(entry.group("base"), _base_symbol(entry.group("base")), reading):
                    definition = _read_family_definition(event, text, entry, reading, macros)
                    if definition is not None:
                        if str(definition.symbol) not in refused:
                            candidates.setdefault(str(definition.symbol), []).append((definition, None))
                        continue
                if name.argument is not None and not _ARGUMENT_NAMES.fullmatch(name.argument):
                    continue  # a(1 - a) = ..., f(2x) = ...: a product, f at a point; not f(x) = ... defining f
                if name.symbol in refused or not _undeclared(name.key, name.symbol, reading):
                    continue
                definition = _read_definition(event, text, name, reading, macros)
                if definition is None:
                    # f(x; \theta) = ... that does not read: if it defines f anew, what f meant
                    # before must not be used after it (see _redefinitions)
                    line = text.count("\n", 0, head.start("name")) + 1
                    column = head.start("name") - (text.rfind("\n", 0, head.start("name")) + 1) + 1
                    symbol = sp.Symbol(name.symbol)
                    definition = Definition(name.key, symbol, symbol, "", event.place, line, column, unread=True)
                anew = head.group("relation") != "="
                # a definition anew takes over at its block: only as the block's first equation
                # (a row after others would reach back over them)
                leads = not head.group(0).startswith("\\\\") and not text[: head.start()].strip()
                definition = replace(definition, ordinal=ordinal, said_anew=anew, leads=leads)
                candidates.setdefault(name.symbol, []).append((definition, name.argument))
            for tail in _TAIL.finditer(text):
                try:
                    name = loss_name(tail.group("name"), event.place)
                except SourceError:
                    continue
                if name.argument is not None or name.symbol in refused:
                    continue
                if not _undeclared(name.key, name.symbol, reading):
                    continue
                definition = _read_named_value(event, text, name, reading, macros)
                if definition is not None:
                    candidates.setdefault(name.symbol, []).append((replace(definition, ordinal=ordinal), None))
            if "\\sum" not in text:
                continue
            for base in dict.fromkeys(m.group("base") for m in _SUMMED_ENTRY.finditer(text)):
                if base in _NOT_NAMES or base in _INDEX_LETTERS:
                    continue
                symbol = _base_symbol(base)
                if symbol in refused or not _undeclared(base, symbol, reading):
                    continue
                for definition in _summand_definitions(event, text, base, reading, macros):
                    candidates.setdefault(symbol, []).append((replace(definition, ordinal=ordinal), None))
        for symbol, said in candidates.items():
            if symbol in settled:
                continue
            if any(d.unread for d, _ in said) and stage < 1 + said[0][0].unread:
                deferred = True
                continue
            if said[0][0].unread:
                # its first equation does not read: the name means nothing up to an equation
                # that defines it anew (never the later meaning reaching back before it)
                settled.add(symbol)
                _, anew = _redefinitions(said, headings, restated)
                if [d for d, _ in anew if not d.unread]:
                    redefined[symbol] = anew
                continue
            first, argument = said[0]
            key = first.key
            said, anew = _redefinitions(said, headings, restated)
            redefined.update({symbol: anew} if anew else {})
            first = said[0][0]  # with where its meaning ends, when it is defined anew
            if any(
                _canonical(other.value, other.bound) != _canonical(first.value, first.bound)
                or _signature(other_argument) != _signature(argument)
                or other.key != first.key  # \mathcal{S} and S: one symbol, two names
                or (other.bound is None) != (first.bound is None)  # h = ... and h_i = ...
                for other, other_argument in said[1:]
            ):
                # f(x) = 3x^4 here, f(x; θ) = θ_0 x^2 there: which one a use means is not read
                # yet, so neither is used (a step with f is not read, never checked against a guess)
                refused.add(symbol)
                places = ", ".join(f"{d.place.line + d.line - 1}" for d, _ in said)
                key = first.shown
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
        if changed:
            stage = 0
        elif deferred and stage < 2:
            stage += 1
        else:
            break
    later = tuple(
        (definition, argument)
        for symbol, anew in redefined.items()
        if symbol not in refused
        for definition, argument in anew
    )
    reading, found, later = _frozen(reading, found, later)
    return reading, tuple(found) + tuple(d for d, _ in later if not d.unread), tuple(conflicts), later, restated


def _frozen(reading: Reading, found: list, later: tuple):
    """Each definition with the names defined anew in it replaced by the meaning they have at
    its place: g = f + 1 written where f = x^2 keeps meaning x^2 + 1 after f := x^3 (expanded
    lazily, it would follow f). The meaning put in is itself frozen at its own place (f := g + 1
    keeps the g of its place, whatever g means later). A definition that needs a name where the
    name means nothing (its equation there does not read) means nothing either."""
    if not later:
        return reading, found, later
    firsts = {d.symbol: d for d in found if d.bound is None}
    # each name defined anew: its meanings in order, (where it takes over, the definition)
    timelines: dict[sp.Symbol, list] = {}
    for definition, _ in later:
        first = firsts.get(definition.symbol)
        line = timelines.setdefault(definition.symbol, [(-1, first)])
        line.append((definition.ordinal, None if definition.unread else definition))
    done: dict[int, sp.Expr | None] = {}

    def meaning_at(symbol, ordinal):
        meant = None
        for start, definition in timelines[symbol]:
            if start <= ordinal:
                meant = definition
        return None if meant is None else freeze(meant)

    def freeze(definition):
        key = id(definition)
        if key in done:
            return done[key]
        done[key] = None  # while it is worked out: a name met again on the way means nothing
        value = definition.value
        names = [x for x in timelines if value.has(x)]
        meanings = {x: meaning_at(x, definition.ordinal) for x in names}
        done[key] = None if any(m is None for m in meanings.values()) else value.xreplace(meanings)
        return done[key]

    kept, notation = [], reading.letters.notation
    letters = reading.letters
    for definition in found:
        value = freeze(definition)
        if value is None:  # it means nothing: the name is unknown
            notation = replace(
                notation,
                definitions=tuple(d for d in notation.definitions if d[0] != definition.symbol),
                family_definitions=tuple(d for d in notation.family_definitions if d[0] != definition.symbol),
            )
            letters = replace(
                letters,
                defined={k: v for k, v in letters.defined.items() if v != definition.symbol},
                families={k: v for k, v in letters.families.items() if v != definition.symbol},
            )
            continue
        if value != definition.value:
            definition = replace(definition, value=value)
            notation = replace(
                notation,
                definitions=tuple((n, value if n == definition.symbol else v) for n, v in notation.definitions),
                family_definitions=tuple(
                    (f, b, value if f == definition.symbol else v) for f, b, v in notation.family_definitions
                ),
            )
        kept.append(definition)
    anew = []
    for definition, argument in later:
        if not definition.unread:
            value = freeze(definition)
            definition = replace(definition, value=value) if value is not None else replace(definition, unread=True)
        anew.append((definition, argument))
    reading = replace(reading, letters=replace(letters, notation=notation))
    return reading, kept, tuple(anew)


def _redefinitions(said, headings, restated: dict):
    """The equations for one name in document order, split into (those that give it its first
    meaning, those that define it anew). A later equation with another value defines the name
    anew from its place on only when it says so: written with :=, \\equiv or \\triangleq, with
    other arguments (f(x) then f(x; \\theta)), or after a heading (a new section, a new example).
    Any other equation for the name is a claim about the meaning in force, checked as such."""
    first, argument = said[0]
    if first.bound is not None:
        return said, []
    kept, anew = [said[0]], []
    current, current_argument = first, argument
    for other, other_argument in said[1:]:
        same = (
            other.unread == current.unread
            and _canonical(other.value) == _canonical(current.value)
            and _signature(other_argument) == _signature(current_argument)
        )
        if other.key != first.key or other.bound is not None:
            kept.append((other, other_argument))  # \\mathcal{S} beside S, h_i beside h: a conflict
            continue
        # (the same words define anew too: g := f + 1 after a heading means the f of its place)
        if (
            other.leads
            and other.how == ""
            and (
                current.unread  # no meaning in force to make a claim about: it gives one from here on
                or other.said_anew
                or _signature(other_argument) != _signature(current_argument)
                or any(current.ordinal < n < other.ordinal for n in headings)
            )
        ):
            line = _line_of(current)
            replaced = f"the equation at {line}, which does not read" if current.unread else f"its definition at {line}"
            anew.append((replace(other, replaces=replaced), other_argument))
            current, current_argument = other, other_argument
            continue
        if same:
            continue  # the meaning in force, written again: an equation that holds
        # "L = -Σ_k y_k z_k + log Σ_j e^{z_j}" after L was defined: a claim about the meaning
        # in force, checked as any other equation (never taken as a new meaning unsaid); the
        # step says so, and how to define the name anew if that is what the author meant
        if not other.unread and not current.unread:
            line = _line_of(current)
            how = (
                "a definition anew must open its display"
                if other.said_anew
                else f"to define {other.shown} anew, write := or start a new section"
            )
            restated[(str(other.place), other.line, other.column)] = (
                f"{other.shown} as defined at {line} (a claim about it; {how})"
            )
    # each meaning says where the next one takes over
    chain = [kept[0], *anew]
    for n in range(len(chain) - 1):
        (this, its_argument), (after, _) = chain[n], chain[n + 1]
        chain[n] = (replace(this, until=_line_of(after)), its_argument)
    return [chain[0], *kept[1:]], chain[1:]


def _line_of(definition: Definition) -> str:
    """Where a definition stands, as the output names it: "line 5", or "cell 3, line 2" in a notebook."""
    line = f"line {definition.place.line + definition.line - 1}"
    return f"cell {definition.place.cell}, {line}" if definition.place.cell is not None else line


def _signature(argument: str | None) -> str | None:
    return None if argument is None else re.sub(r"\\[,;:! ]|\s", "", argument)


def _blocks(events, masked):
    """Each block that may define a name, as (block, its text as read, the macros then defined):
    not the block a directive marks as prose (skip) or as a claim about one K (classes)."""
    macros: dict = {}
    skip = False
    for ordinal, event in enumerate(events):
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
            yield ordinal, event, masked(event.text), macros


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
        if not _names_a_value(value, symbol, reading):
            return None
        place = block.place
        written = _row(text, first.line)
        return Definition(name.key, symbol, value, written, place, first.line, first.column)
    return None


def _base_symbol(base: str) -> str:
    return loss_name(base, None).symbol


def _read_family_definition(block: Block, text: str, entry, reading: Reading, macros: dict) -> Definition | None:
    """ℓ_j = −y_j log p_j in ``block``: the family ℓ with that rule, or None when the equation
    there is no such definition (its right side does not read, uses ℓ, or has free indices
    other than j, or none: h_i = Σ_k e^{a_k} is a name with a subscript, not a family)."""

    from .latex_math import MathSyntaxError, Statement, read_block

    base, letter = entry.group("base"), entry.group("letter")
    family = sp.IndexedBase(_base_symbol(base))
    bound = index(letter)
    trial = _with_family(reading, base, family)
    try:
        statements = read_block(text, trial.letters, macros)
    except MathSyntaxError:
        return None
    notation = reading.letters.notation
    for statement in statements:
        if not isinstance(statement, Statement) or len(statement.links) < 2 or statement.links[0] is None:
            continue
        first, second = statement.links[0], statement.links[1]
        if first.expr != family[bound]:
            continue
        value = second.expr
        if not _is_family_rule(value, family, bound, notation):
            return None
        written = _row(text, first.line)
        return Definition(base, family, value, written, block.place, first.line, first.column, bound)
    return None


def _read_named_value(block: Block, text: str, name, reading: Reading, macros: dict) -> Definition | None:
    """ "We let $\\sum_j e^{f_j} = \\Sigma$", "h_i = \\sum_k e^{a_k} = \\Sigma": a name nothing declares,
    alone as the last expression of a chain, names the expression before it."""
    from .latex_math import MathSyntaxError, Statement, read_block

    symbol = sp.Symbol(name.symbol)
    trial = _with(reading, None, None, (name.key, symbol))
    try:
        statements = read_block(text, trial.letters, macros)
    except MathSyntaxError:
        return None
    for statement in statements:
        if not isinstance(statement, Statement) or len(statement.links) < 2 or statement.links[-1].expr != symbol:
            continue
        before, last = statement.links[-2], statement.links[-1]
        if before is None or not _names_a_value(before.expr, symbol, reading):
            return None
        written = _row(text, last.line)
        return Definition(name.key, symbol, before.expr, written, block.place, last.line, last.column, how="named")
    return None


def _names_a_value(value, symbol: sp.Symbol, reading: Reading) -> bool:
    """Can ``value`` be what the scalar name ``symbol`` means? Not when it refers to the name; holds
    a derivative, which the core expands before names, or a decimal, which only a claim with no
    variable may hold; is a number or counts alone (a value to compute, not a name's meaning);
    has a free index (a family: see _read_family_definition); or does not read."""
    from derive.core.semantics import VocabularyError, check_vocabulary, free_indices

    if not isinstance(value, sp.Expr) or symbol in value.free_symbols or value.atoms(Partial, DecimalNumber):
        return False
    notation = reading.letters.notation
    if not value.atoms(sp.Indexed) and not (value.free_symbols - {notation.classes, notation.examples}):
        return False
    try:
        if free_indices(value, notation):
            return False
        check_vocabulary(value, notation)
    except VocabularyError:
        return False
    return True


def _summand_definitions(block: Block, text: str, base: str, reading: Reading, macros: dict):
    """ℓ defined by "... = -\\sum_j y_j \\log p_j = -\\sum_j \\ell_j": two links of a chain that are
    the same but for the body of one sum, whose body in the second is ℓ_j alone (j its bound
    index). ℓ_j is then that sum's body in the first: the author names its terms. Nothing
    else is read as such a definition (a sum of ℓ beside other changes is a claim)."""

    from .latex_math import MathSyntaxError, Statement, read_block

    family = sp.IndexedBase(_base_symbol(base))
    trial = _with_family(reading, base, family)
    try:
        statements = read_block(text, trial.letters, macros)
    except MathSyntaxError:
        return
    notation = reading.letters.notation
    for statement in statements:
        if not isinstance(statement, Statement):
            continue
        for before, link in zip(statement.links, statement.links[1:]):
            if before is None or not isinstance(link.expr, sp.Expr) or not isinstance(before.expr, sp.Expr):
                continue
            value = _named_terms(before.expr, link.expr, family)
            if value is None:
                continue
            terms, bound = value
            if not _is_family_rule(terms, family, bound, notation):
                continue
            written = _row(text, link.line)
            yield Definition(base, family, terms, written, block.place, link.line, link.column, bound, "terms")


def _named_terms(before: sp.Expr, after: sp.Expr, family: sp.IndexedBase):
    """(the terms, their index) when ``after`` is ``before`` with one sum's body replaced by
    family[k] (k that sum's index) and nothing else changed; None otherwise."""
    from .latex_math import bound_indices

    named = [
        x
        for x in sp.preorder_traversal(after)
        if isinstance(x, sp.Sum) and len(x.limits) == 1 and x.function == family[x.limits[0][0]]
    ]
    uses = [x for x in sp.preorder_traversal(after) if isinstance(x, sp.Indexed) and x.base == family]
    if len(named) != 1 or len(uses) != 1:
        return None
    (total,) = named
    k, lo, hi = total.limits[0]
    if any(isinstance(x, sp.Indexed) and x.base == family for x in sp.preorder_traversal(before)):
        return None
    hole = sp.Dummy("terms")
    for candidate in sp.preorder_traversal(before):
        if not (isinstance(candidate, sp.Sum) and len(candidate.limits) == 1):
            continue
        k2, lo2, hi2 = candidate.limits[0]
        if (lo2, hi2) != (lo, hi):
            continue
        if k != k2 and k in bound_indices(candidate):
            continue  # Σ_j (y_j + Σ_k y_j s_k) named Σ_k ℓ_k: renaming j to k would capture the inner k
        if before.xreplace({candidate: hole}) == after.xreplace({total: hole}):
            return candidate.function.xreplace({k2: k}), k
    return None


def _is_family_rule(value, family: sp.IndexedBase, bound: sp.Symbol, notation) -> bool:
    """Can ``value`` be what family[bound] means? Not when it holds a derivative (the core
    expands those before names) or a decimal, refers to the family itself, has a free index
    other than ``bound`` (or not that one), or does not read."""
    from derive.core.semantics import VocabularyError, check_vocabulary, free_indices

    if not isinstance(value, sp.Expr) or value.atoms(Partial, DecimalNumber):
        return False
    if any(isinstance(x, sp.Indexed) and x.base == family for x in sp.preorder_traversal(value)):
        return False
    try:
        if set(free_indices(value, notation)) != {bound}:
            return False
        check_vocabulary(value, notation)
    except VocabularyError:
        return False
    return True


def _row(text: str, line: int) -> str:
    """The row of ``text`` a definition stands on, as written (the whole text if out of range)."""
    rows = text.split("\n")
    return rows[line - 1].strip() if 0 < line <= len(rows) else text.strip()


def _with_family(reading: Reading, base: str, family: sp.IndexedBase) -> Reading:
    """``reading`` with ``base`` read as a family without a rule, so that its equation reads."""
    letters = reading.letters
    return replace(reading, letters=replace(letters, families={**letters.families, base: family}))


def _canonical(value: sp.Expr, bound: sp.Symbol | None = None) -> sp.Expr:
    """``value`` with its bound indices named by their place, so that two writings of one
    definition (Σ_k e^{z_k} and Σ_j e^{z_j}; ℓ_j = -y_j log p_j and ℓ_k = -y_k log p_k)
    compare equal; nothing else is rewritten."""
    count = itertools.count()
    if bound is not None:
        value = value.xreplace({bound: index("entry")})

    def rename(e):
        if isinstance(e, sp.Sum):
            body, (k, lo, hi) = outermost(e)
            bound = index(f"bound{next(count)}")
            return sp.Sum(rename(body).xreplace({k: bound}), (bound, lo, hi))
        if not e.args or isinstance(e, sp.Indexed):
            return e
        return e.func(*[rename(a) for a in e.args], evaluate=False)

    return rename(value)


def defined_anew(reading: Reading, definition: Definition, argument: str | None) -> Reading:
    """``reading`` with the name of ``definition`` given that meaning (and those arguments) in
    place of the one it had: what a definition anew does from its place on."""
    letters = reading.letters
    notation = letters.notation
    definitions = tuple((name, value) for name, value in notation.definitions if name != definition.symbol)
    defined = {key: value for key, value in letters.defined.items() if key != definition.key}
    calls = {key: value for key, value in letters.calls.items() if key != definition.key}
    if not definition.unread:
        definitions += ((definition.symbol, definition.value),)
        defined[definition.key] = definition.symbol
        if argument is not None:
            calls[definition.key] = argument
    notation = replace(notation, definitions=definitions)
    return replace(reading, letters=replace(letters, notation=notation, defined=defined, calls=calls))


def _with(reading: Reading, definition: Definition | None, argument: str | None, extra=None) -> Reading:
    """``reading`` with one more defined name (for a trial reading, ``extra``: a name declared
    without a meaning, so that its equation reads)."""
    letters = reading.letters
    defined = dict(letters.defined)
    calls = dict(letters.calls)
    notation = letters.notation
    if definition is not None and definition.bound is not None:
        rule = (definition.symbol, definition.bound, definition.value)
        notation = replace(notation, family_definitions=(*notation.family_definitions, rule))
        families = {**letters.families, definition.key: definition.symbol}
        return replace(reading, letters=replace(letters, notation=notation, families=families))
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
