"""A document's mathematics as an unchecked :class:`~derive.core.Derivation`.

Within a display block a chain ``A = B = C`` (or ``A &= B \\\\ &= C``) becomes the links
A = B and B = C, each checked against the expression before it; a block that begins with
``=`` continues the chain of the block before it; ``\\Rightarrow`` separates statements.
Inline equations are checked when they read with the declared symbols and are listed as
skipped otherwise. Directives (``<!-- derive: ... -->``, ``% derive: ...``, or a ``%``
comment at the end of one line of a chain) set the case a block assumes (until the next
case directive or heading), the hypotheses a step cites, and ``skip``.

A display block with a top-level ``=`` that does not read is an error, unless ``skip``
covers it: there is no silent way around a step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import sympy as sp

from derive.core import (
    Derivation,
    Hypothesis,
    Step,
    VocabularyError,
    between,
    different,
    index,
    one_hot,
    open_between,
    positive,
    same,
    sums_to_one,
)
from derive.core.vocabulary import as_expression

from .header import Reading, read_header
from .source import Block, Directive, Header, Heading, Place, SourceError, read_source

__all__ = ["Skipped", "read_derivation"]

_ENVIRONMENTS = re.compile(
    r"\\(?:begin|end)\{(?:align\*?|aligned|equation\*?|gather\*?|gathered|split|multline\*?"
    r"|flalign\*?|eqnarray\*?|displaymath|math)\}"
    r"|\\begin\{(?:alignat\*?|alignedat)\}\s*\{\s*\d+\s*\}|\\end\{(?:alignat\*?|alignedat)\}"  # and its {2}
)


@dataclass(frozen=True)
class Skipped:
    place: Place
    text: str
    reason: str


@dataclass
class _State:
    case: tuple[Hypothesis, ...] = ()
    next_cites: tuple[Hypothesis, ...] = ()
    next_classes: int | None = None  # "classes 4": the next block is a claim about K = 4 only
    skip_next: bool = False
    heading: str | None = None  # shown before the next step
    title: str | None = None
    last: object = None  # the last expression of the last chain, for a block that begins with "="
    head: object = None  # the first expression of that chain (for the summation convention)
    steps: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


def _condition(text: str, reading: Reading, place: Place) -> Hypothesis:
    t = text.strip().replace("\\ne ", "\\neq ").replace("≠", "\\neq").replace("!=", "\\neq")
    t = t.replace("\\leq", "<=").replace("\\le ", "<= ").replace("≤", "<=")
    letters = reading.letters
    labels = letters.notation.labels
    m = re.fullmatch(r"([A-Za-z])\s*=\s*([A-Za-z])", t)
    if m:
        return same(index(m.group(1)), index(m.group(2)))
    m = re.fullmatch(r"([A-Za-z])\s*\\neq\s*([A-Za-z])", t)
    if m:
        return different(index(m.group(1)), index(m.group(2)))
    if re.fullmatch(r"(\\sum(_[A-Za-z{}]+)?|sum)\s*[A-Za-z\\{}^_]*\s*=\s*1", t):
        return sums_to_one(labels)
    if re.fullmatch(r"[A-Za-z\\{}^]*\s*one-hot", t):
        return one_hot(labels)
    scalars = letters.scalars
    m = re.fullmatch(r"(\\?[A-Za-z]+)\s*>\s*0", t)
    if m and m.group(1) in scalars:
        return positive(scalars[m.group(1)])
    m = re.fullmatch(r"(-?\d+(?:/\d+)?)\s*(<=|<)\s*(\\?[A-Za-z]+)\s*(<=|<)\s*(-?\d+(?:/\d+)?)", t)
    if m and m.group(3) in scalars and m.group(2) == m.group(4):
        lo, hi = sp.Rational(m.group(1)), sp.Rational(m.group(5))
        return (between if m.group(2) == "<=" else open_between)(scalars[m.group(3)], lo, hi)
    raise SourceError(
        place,
        f"unknown hypothesis {text.strip()!r} (expected i = j, i \\neq j, \\sum y = 1, y one-hot, T > 0, 0 < p < 1)",
    )


def _directive(text: str, place: Place, state: _State, reading: Reading, for_link: bool = False):
    """Apply a directive; for a link's own comment, return the hypotheses it cites."""
    body = text.strip()
    if body.startswith("derive:"):
        body = body[len("derive:") :].strip()
    word, _, rest = body.partition(" ")
    if word == "classes" and not for_link:
        if not re.fullmatch(r"\s*\d{1,2}\s*", rest) or not 1 <= int(rest) <= 16:
            raise SourceError(place, f"classes {rest.strip()!r} (expected a number of classes from 1 to 16)")
        state.next_classes = int(rest)
        return ()
    conditions = tuple(_condition(c, reading, place) for c in rest.split(",") if c.strip())
    if word == "skip":
        if for_link:
            raise SourceError(place, "skip goes in a directive before the block, not on one line of it")
        state.skip_next = True
        return ()
    if word == "case":
        if for_link:
            return conditions
        state.case = conditions
        return ()
    if word in ("cites", "cite", "uses"):
        if for_link:
            return conditions
        state.next_cites = conditions
        return ()
    if for_link:
        return None  # an ordinary comment
    raise SourceError(place, f"unknown directive {word!r} (expected case, cites, classes or skip)")


def _mask_environments(text: str) -> str:
    """Blank out \\begin{align*} and friends, keeping every other character's column."""
    return _ENVIRONMENTS.sub(lambda m: " " * len(m.group(0)), text)


def _is_condition(links) -> bool:
    """An inline 'N = 1' or 'y_o = 1' is prose (an assumption, a case), not a derivation step."""
    return all(isinstance(link.expr, (sp.Symbol, sp.Indexed, sp.Integer, sp.Rational)) for link in links if link)


def _block(block: Block, state: _State, reading: Reading) -> None:
    from .latex_math import MathSyntaxError, read_block

    text = _mask_environments(block.text)
    skip = state.skip_next
    cites = state.next_cites
    classes = state.next_classes
    state.skip_next, state.next_cites, state.next_classes = False, (), None
    if skip:
        state.skipped.append(Skipped(block.place, block.text.strip(), "skip directive"))
        return
    try:
        statements = read_block(text, reading.letters)
    except MathSyntaxError as error:
        where = _inside(block, error.line, error.column)
        if not block.display:
            if "=" in text:  # an inline equation that does not read; inline symbols are prose
                state.skipped.append(Skipped(block.place, block.text.strip(), f"does not read: {error.message}"))
            return
        if "=" not in text:
            state.skipped.append(Skipped(block.place, block.text.strip(), "no equation"))
            return
        raise SourceError(where, f"{error.message} (or put <!-- derive: skip --> before the block)") from None
    for statement in statements:
        links = list(statement.links)
        if not block.display and len(links) < 2:
            continue  # inline mathematics with no equation is prose
        if not block.display and (links[0] is None or _is_condition(links)):
            state.skipped.append(Skipped(block.place, block.text.strip(), "inline math that states no step"))
            continue
        if links and links[0] is None:
            if state.last is None:
                raise SourceError(block.place, "a block that begins with '=' needs a chain before it to continue")
            links[0] = state.last
            continues = True
        else:
            continues = False
            state.head = links[0].expr if links else None
        if reading.summation and state.head is not None:
            kept = {x for h in (*state.case, *cites) if h.is_case for x in h.subjects}
            try:
                links = [links[0]] + [_summed(link, state.head, reading, kept) for link in links[1:]]
            except VocabularyError as error:
                raise SourceError(block.place, str(error)) from None
        for n in range(1, len(links)):
            left, right = links[n - 1], links[n]
            extra = ()
            if right.comment:
                extra = _directive(right.comment, _inside(block, right.line, right.column), state, reading, True) or ()
            hypotheses = tuple(dict.fromkeys((*state.case, *cites, *extra)))
            place = _inside(block, right.line, right.column)
            previous = left.expr if hasattr(left, "expr") else left
            following, notation = right.expr, None
            if classes is not None:  # a claim about one K: entries such as s_1, matrices entrywise
                K = reading.letters.notation.classes
                notation = reading.letters.notation.at_classes(classes)
                previous, following = (as_expression(x).subs(K, classes) for x in (previous, following))
            state.steps.append(
                Step(
                    previous,
                    following,
                    hypotheses,
                    continues=continues or n > 1,
                    where=str(place),
                    standing=reading.facts,
                    heading=state.heading,
                    notation=notation,
                )  # fmt: skip
            )
            state.heading = None
        if links:
            last = links[-1]
            state.last = last.expr if hasattr(last, "expr") else last


def _summed(link, head, reading: Reading, kept: set):
    """The summation convention: in each term of ``link``, sum over the indices that the
    chain's first expression does not have (and that the case in force does not name)."""
    from derive.core.semantics import free_indices

    from .latex_math import Link

    notation = reading.letters.notation
    kept = set(kept) | set(free_indices(head, notation))
    terms = []
    for term in sp.Add.make_args(link.expr):
        for name, upper in sorted(free_indices(term, notation).items(), key=lambda kv: str(kv[0])):
            if name not in kept:
                term = sp.Sum(term, (name, 1, upper))
        terms.append(term)
    return Link(sp.Add(*terms), link.line, link.column, link.comment)


def _inside(block: Block, line: int, column: int) -> Place:
    """The place of (line, column) of a block's text, in the file."""
    if line == 1:
        return Place(block.place.file, block.place.line, block.place.column + column - 1, block.place.cell)
    return Place(block.place.file, block.place.line + line - 1, column, block.place.cell)


def read_derivation(path: str | Path, data: bytes | None = None) -> tuple[Derivation, tuple[Skipped, ...]]:
    """The steps of the derivation written in ``path`` (or in ``data``, its bytes already
    read), unchecked, and what was skipped."""
    events = read_source(path, data)
    headers = [e for e in events if isinstance(e, Header)]
    origin = Place(str(path), 1, 1)
    if len(headers) > 1:
        raise SourceError(headers[1].place, "a second notation header (expected one per file)")
    reading = read_header(headers[0] if headers else None, origin)
    state = _State()
    for event in events:
        if isinstance(event, Heading):
            state.case = ()
            if event.level == 1 and state.title is None and not state.steps:
                state.title = event.text or None
            elif event.text:
                state.heading = event.text
        elif isinstance(event, Directive):
            _directive(event.text, event.place, state, reading)
        elif isinstance(event, Block):
            _block(event, state, reading)
    name = Path(path).name
    derivation = Derivation(name, state.title or name, reading.letters.notation, tuple(state.steps))
    return derivation, tuple(state.skipped)
