"""A document's mathematics as an unchecked :class:`~derive.core.Derivation`.

Within a display block a chain ``A = B = C`` (or ``A &= B \\\\ &= C``) becomes the links
A = B and B = C, each checked against the expression before it; a block that begins with
``=`` continues the chain just before it, in the same case, with no heading and no block
left unchecked in between (otherwise it is listed as not checked: a continuation never
bridges what was not checked); ``\\Rightarrow`` separates statements.
Inline equations are checked when they read with the declared symbols and are listed as
skipped otherwise. Directives (``<!-- derive: ... -->``, ``% derive: ...``, or a ``%``
comment at the end of one line of a chain) set the case a block assumes (until the next
case directive or heading), the hypotheses a step cites, and ``skip``.

A display block with a top-level ``=`` that does not read is an error, unless ``skip``
covers it: there is no silent way around a step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
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
    unreadable,
)
from derive.core.semantics import logarithm_domain
from derive.core.vocabulary import StandIn, as_expression

from .definitions import defined_anew, document_definitions
from .header import Reading, read_header
from .inference import Written, infer_header
from .source import (
    Block,
    Directive,
    Header,
    Heading,
    MacroDefinitions,
    Passage,
    Place,
    SourceError,
    Unread,
    read_notation_file,
    read_source,
    source_kind,
)

__all__ = ["Skipped", "read_derivation"]

_ENVIRONMENTS = re.compile(
    r"\\(?:begin|end)\{(?:align\*?|aligned|equation\*?|gather\*?|gathered|split|multline\*?"
    r"|flalign\*?|eqnarray\*?|displaymath)\}"  # not math: \text{\begin{math}...} must stay visible
    r"|\\begin\{(?:alignat\*?|alignedat)\}\s*\{\s*\d+\s*\}|\\end\{(?:alignat\*?|alignedat)\}"  # and its {2}
)


# An equals sign however it is written (＝ U+FF1D renders as one): math with one that does
# not read is an equation not read, never prose.
_EQUALS = re.compile(r"[=＝≡≔⩵]|\\(?:equiv|doteq|triangleq|coloneqq|eqqcolon|coloneq|eqcolon)(?![A-Za-z])")


_INLINE_CONDITION = re.compile(
    r"\s*[A-Za-z](?:_\{?[A-Za-z0-9]\}?)?\s*(?:=|\\neq?(?![A-Za-z])|≠)\s*[A-Za-z0-9](?:_\{?[A-Za-z0-9]\}?)?\s*[.,]?\s*"
)


@dataclass(frozen=True)
class Skipped:
    """Mathematics that was not checked, and why. ``kind``: "not read" (it could not be read:
    the user has something to fix), "skip directive", "not an equality" (≈, ≤, ∝), "prose"
    (math with no equation, or an inline assumption such as y_o = 1), or "case" (a condition
    that states a case in the prose, "If $i = k$,": read, and in force for what follows)."""

    place: Place
    text: str
    reason: str
    kind: str = "not read"

    @property
    def unread(self) -> bool:
        return self.kind == "not read"


def unchecked(skipped) -> tuple[tuple[str, str, str], ...]:
    """What the exports list as not checked: (place, text, reason) of every skipped item but a
    case stated in the prose, which was read (each step it governs cites it)."""
    return tuple(
        (str(item.place), item.text, item.reason)
        for item in skipped
        if item.kind not in ("case", "definition", "inferred")
    )


@dataclass(frozen=True)
class _ProseCase:
    """A case stated in the prose, waiting for the display right after it, then governing the
    displays that follow that one with no words between ("If $i = j$, this gives:" and three
    displays, each in its own paragraph): words, a heading, anything else ends it."""

    conditions: tuple
    stated: Block  # the inline block that stated it
    passages: int = 0  # Markdown blocks begun since (since the last display it governed, once it governs)
    formulas: int = 0  # formulas the words cite on the way ("using $...$, we get:") still to pass
    governs: bool = False  # it has governed a display


@dataclass
class _Branch:
    """A chain split into cases stated in the prose. "X = Y. If i = j, = A. If i ≠ j, = B. If
    i = j, = C": B continues from Y (``root``), not from A, which holds only when i = j; C
    continues from A (``ends``: where each case's chain stopped)."""

    root: object
    case: tuple
    ends: dict = field(default_factory=dict)


@dataclass
class _State:
    explain: bool = False  # every step shows its reading: what the author wrote, and how it was read
    case: tuple[Hypothesis, ...] = ()
    next_cites: tuple[Hypothesis, ...] = ()
    next_classes: int | None = None  # "classes 4": the next block is a claim about K = 4 only
    skip_next: bool = False
    macros: dict = field(default_factory=dict)  # the document's own macros, by name
    heading: str | None = None  # shown before the next step
    title: str | None = None
    # The last expression of the chain just before, for a block that begins with "=": None
    # when there is none, or when a change of case or a block not checked came after it, so
    # that a continuation never bridges what was not checked.
    last: object = None
    shown_through: object = None  # the link the last step ends with: only a step from it prints as "= next"
    broken: str | None = None  # why there is no chain to continue, once there was one
    head: object = None  # the first expression of that chain (for the summation convention)
    steps: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    # What was read before, by what it was read from (derive watch reads a file again on every
    # save): None, or a dict kept by the caller. See _statements_of and _unreadable.
    memo: dict | None = None
    header: object = None  # the header the letters come from, part of every memo key
    # A case stated in the prose, waiting for the display right after it.
    prose_case: _ProseCase | None = None
    # The equations that define a name (derive.read.definitions), by (block place, line, column
    # of the name): listed as definitions, never checked.
    definitions: dict = field(default_factory=dict)
    # the notation with every name's first meaning (the derivation's own); a step read where a
    # name has been defined anew carries the notation then in force
    document_notation: object = None
    # the equations that restate a defined name with another value (checked as claims), each
    # with the note its step shows
    restated: dict = field(default_factory=dict)
    # The case a prose sentence states for the display being read, and the chain split into
    # cases that the last display continued, if any.
    display_case: tuple | None = None
    branch: _Branch | None = None
    # displays that end with '=' and whose next display begins with '=' ("... =$$ $$= ..."):
    # one chain split over two displays, read without the first one's last '='
    split: frozenset = frozenset()
    # No header, and no word against it in the document: ∂L/∂z_i = ∂L/∂ŷ_o ∂ŷ_o/∂z_i sums over o
    # (see _chain_rule_summed); a header says so itself (summation: repeated)
    chain_rule_sums: bool = False
    # index letters the prose names alone without speaking of a sum ("Let $o$ be the predicted
    # class"): one value each, never summed by the convention
    described: frozenset = frozenset()


_BASE = r"(\\[A-Za-z]+\{[A-Za-z]\}|\\?[A-Za-z]+)"  # y, \hat{y}, \sigma: as the header writes a family
_SUB = r"(?:_\{[^{}]*\}|_[A-Za-z0-9])"
_SUMS_TO_ONE = re.compile(
    rf"(?:\\sum|sum|Σ)\s*(?P<bound>{_SUB})?\s*(?P<upper>\^\{{[^{{}}]*\}}|\^[A-Za-z0-9])?"
    rf"\s*(?P<base>{_BASE[1:-1]})\s*(?P<index>{_SUB})?\s*=\s*1"
)
_ONE_HOT = re.compile(rf"{_BASE}\s*(?:is\s+)?one-hot")


def _family_fact(said: str, letter: str, reading: Reading, place: Place, kind: str) -> Hypothesis:
    """``Σ_k y_k = 1`` or ``y one-hot``, about the family ``letter`` names. The labels may be
    one-hot or sum to one, the softmax sums to one (a true fact, which says nothing about
    the labels); any other subject is refused, never read as a fact about the labels."""
    notation = reading.letters.notation
    family = reading.letters.families.get(letter)
    labels = _written(notation.labels, reading)
    roles = {notation.labels: "the labels", notation.softmax: "the softmax", notation.logits: "the logits"}
    if family is None:
        known = ", ".join(reading.letters.families)
        raise SourceError(place, f"{said}: {letter} is not a declared family (declared: {known})")
    if family == notation.labels:
        return sums_to_one(notation.labels) if kind == "sums" else one_hot(notation.labels)
    if family == notation.softmax and kind == "sums":
        return sums_to_one(notation.softmax)
    if kind == "sums":
        expected = f"only the labels ({labels}) or the softmax ({_written(notation.softmax, reading)}) sum to one"
    else:
        expected = f"only the labels ({labels}) can be one-hot"
    raise SourceError(place, f"{said}: {letter} is {roles.get(family, 'not a family')}, {expected}")


def _written(family, reading: Reading) -> str:
    """How the header writes ``family`` (the first name it has)."""
    return next((name for name, f in reading.letters.families.items() if f == family), str(family))


def _sum_subject(m: re.Match, said: str, place: Place, reading: Reading) -> str:
    """The family a ``Σ_k x_k = 1`` is about; refuses a sum over another range or of another
    entry (Σ_{k≠i} y_k, Σ_{k=2}^K y_k, Σ_k y_j), which is a different claim."""
    bound = (m.group("bound") or "").strip("_{}").replace(" ", "")
    index = (m.group("index") or "").strip("_{}").replace(" ", "")
    upper = (m.group("upper") or "").strip("^{}").replace(" ", "")
    fine = re.fullmatch(r"(?:[A-Za-z](?:=1)?)?", bound) is not None
    if upper and upper not in reading.letters.class_counts:
        fine = False
    if bound and index and index.split(",")[-1] != bound[0]:
        fine = False
    if not fine:
        raise SourceError(place, f"{said}: not a sum over every class (expected such as \\sum_k y_k = 1)")
    return m.group("base")


def _condition(text: str, reading: Reading, place: Place, word: str = "cites") -> Hypothesis:
    said = f"{word} {text.strip()}"
    t = text.strip().replace("\\ne ", "\\neq ").replace("≠", "\\neq").replace("!=", "\\neq")
    t = t.replace("\\leq", "<=").replace("\\le ", "<= ").replace("≤", "<=")
    letters = reading.letters
    m = re.fullmatch(r"([A-Za-z])\s*(=|\\neq)\s*([A-Za-z])", t)
    if m:
        counts = set(letters.class_counts) | set(letters.example_counts)
        for letter in (m.group(1), m.group(3)):
            if letter in counts:
                raise SourceError(place, f"{said}: {letter} is a count, not an index (a case compares two indices)")
        return (same if m.group(2) == "=" else different)(index(m.group(1)), index(m.group(3)))
    m = _SUMS_TO_ONE.fullmatch(t)
    if m:
        return _family_fact(said, _sum_subject(m, said, place, reading), reading, place, "sums")
    m = _ONE_HOT.fullmatch(t)
    if m:
        return _family_fact(said, m.group(1), reading, place, "one-hot")
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
        f"unknown hypothesis {text.strip()!r} (expected i = j, i \\neq j, \\sum_k y_k = 1, y one-hot, T > 0, 0 < p < 1)",
    )


def _conditions(rest: str) -> list[str]:
    """The comma-separated conditions of a directive; a comma inside braces (y_{n,k}) is not one."""
    parts, depth, start = [], 0, 0
    for at, c in enumerate(rest):
        depth += {"{": 1, "}": -1}.get(c, 0)
        if c == "," and depth == 0:
            parts.append(rest[start:at])
            start = at + 1
    parts.append(rest[start:])
    return [p for p in parts if p.strip()]


def _directive(text: str, place: Place, state: _State, reading: Reading, for_link: bool = False):
    """Apply a directive; for a link's own comment, return the hypotheses it cites (None for
    an ordinary comment)."""
    body = text.strip()
    if body.startswith("derive:"):
        body = body[len("derive:") :].strip()
    word, _, rest = body.partition(" ")
    if word in ("classes", "skip") and for_link:
        raise SourceError(place, f"{word} goes in a directive before the block, not on one line of it")
    if word == "classes":
        if not re.fullmatch(r"\s*\d{1,2}\s*", rest) or not 1 <= int(rest) <= 16:
            raise SourceError(place, f"classes {rest.strip()!r} (expected a number of classes from 1 to 16)")
        state.next_classes = int(rest)
        return ()
    if word == "skip":
        if rest.strip():
            raise SourceError(place, f"skip {rest.strip()!r} (expected 'skip' alone: the next block is not checked)")
        state.skip_next = True
        return ()
    if word not in ("case", "cites", "cite", "uses"):
        if for_link:
            return None  # an ordinary comment
        raise SourceError(place, f"unknown directive {word!r} (expected case, cites, classes or skip)")
    if for_link:
        try:
            return tuple(_condition(c, reading, place, word) for c in _conditions(rest))
        except SourceError as error:
            if error.message.startswith("unknown hypothesis"):
                return None  # "% uses the distributive law": a remark, not a hypothesis (none is cited)
            raise
    conditions = tuple(_condition(c, reading, place, word) for c in _conditions(rest))
    if word == "case":
        if conditions != state.case:
            _break_chain(state, "continues a chain across a change of case")
        state.case = conditions
    else:
        state.next_cites = conditions
    return ()


def _mask_environments(text: str) -> str:
    """Blank out \\begin{align*} and friends, keeping every other character's column."""
    return _ENVIRONMENTS.sub(lambda m: " " * len(m.group(0)), text)


def _is_condition(links) -> bool:
    """An inline 'N = 1' or 'y_o = 1' is prose (an assumption, a case), not a derivation step."""
    return all(
        isinstance(link.expr, (sp.Symbol, sp.Indexed, sp.Integer, sp.Rational)) and not isinstance(link.expr, StandIn)
        for link in links
        if link
    )


_HOW_DEFINED = {"": "", "terms": ", as the terms of the sum before it", "named": ", as the expression before it"}


# What lets a LaTeX document hide text where derive cannot see it: a \def with delimited
# parameters, a computed name, category codes, a new or changed environment, a changed command
_HIDES_TEXT = re.compile(
    r"\\(?:csname|catcode|renewcommand|renewenvironment|newenvironment|RenewDocumentCommand|NewDocumentEnvironment"
    r"|RenewDocumentEnvironment|excludecomment|specialcomment|endinput|enddocument)(?![A-Za-z])"
)
# \def\name<parameters>{: the parameters, read once (no pattern that rescans them)
_DEF = re.compile(r"\\[gex]?def\s*\\[A-Za-z@]+([^{]*)")
# What may take a \section off the page: any macro or environment definition, a conditional, an
# internal (@) command
_PROGRAMS_TEX = re.compile(
    r"\\(?:[gex]?def|let|csname|catcode|(?:re)?newcommand|providecommand|DeclareRobustCommand"
    r"|(?:re)?newenvironment|NewDocument\w+|RenewDocument\w+|makeatletter|if[A-Za-z]*|endinput)(?![A-Za-z])|@"
)


def _hides_text(text: str) -> bool:
    """Does the LaTeX ``text`` program TeX so that some text may not be shown: a \\def with
    delimited parameters (\\def\\thus#1\\hence{}), a computed name, a new environment...?"""
    if _HIDES_TEXT.search(text):
        return True
    return any(re.search(r"[^#0-9\s]", m.group(1)) for m in _DEF.finditer(text))


def _reach(defined) -> str:
    """How far a definition reaches: the whole document, or up to the name's next definition."""
    until = f" up to {defined.until}, where it is given another meaning" if defined.until else ""
    if defined.replaces:
        return f", anew: in place of {defined.replaces}, from here on" + ("," + until if until else "")
    return f", for the document{until}" if until else ", for the whole document"


def _defined_by(left, right, first: bool, block: Block, state: _State):
    """The definition the link left = right states, if it is one: a name alone on the left of
    a chain's first link, or the terms of a sum named on its right (see derive.read.definitions)."""
    if first:
        defined = state.definitions.get((str(block.place), left.line, left.column))
        if defined is not None and not defined.at_right:
            return defined
    defined = state.definitions.get((str(block.place), right.line, right.column))
    return defined if defined is not None and defined.at_right else None


def _break_chain(state: _State, reason: str, unchecked: bool = False) -> None:
    """What comes next may not continue the chain before: ``reason`` says why (when there
    was a chain, or when a block was left unchecked, which may have been one)."""
    if (state.last is not None or unchecked) and state.broken is None:
        state.broken = reason
    state.last = None
    state.branch = None


# A paragraph that opens with a case phrase: "If $i = k$,", "When $i=k$, ... we get:", "Thus
# when $i = j$", "Case 1: $i = j$", "For $i \neq j$". Only at the start of a paragraph: "Note
# that if $i = j$ this is the logistic derivative" is a remark about something else.
_CASE_PHRASE = re.compile(
    r"(?:[•·‣◦]\s*)?(?:(?:thus|so|now|and|then|next|first|second|third|finally)\s*,?\s+)?"
    r"(?:if|when|for|in\s+the\s+case|case(?:\s+\d+|\s+[ivx]+)?\s*[:.]?)",
    re.IGNORECASE,
)


# What may stand between the condition and the display it governs: "If $i = k$, then", "When
# $i = k$, we get:". Anything else ("does not hold", "were true", "or $i = j$", a remark) and
# the words state no case for derive.
_INTO_DISPLAY = re.compile(
    r"\s*[,:;.]?\s*(?:(?:then|so|thus|this gives|we get|we have|we obtain|we find|it follows that"
    r"|one gets|one has|our|the result is|this becomes|it gives|this yields|the derivative is"
    r"|the (?:quotient|chain|product|sum) rule (?:gives|yields))\s*[,:]?\s*)?",
    re.IGNORECASE,
)


# "When $i = k$, using the derivative of the logarithm $\frac{...}{...} = \frac{1}{x}$ and the
# definition of softmax, we get:": words that say what the display uses, with one formula in
# them, then the words that lead into the display. Nothing that could negate, restrict or
# end the case (not, unless, otherwise, but, if, a full stop...).
_INTO_DISPLAY_USING = re.compile(
    r"\s*,?\s*(?:using|applying|by|with|from)\b(?P<before>[^$]*)(?P<formula>\$[^$]+\$|\\\((?:(?!\\\)).)+\\\))"
    r"(?P<after>[^$]*?),?\s*(?:then|so|thus|this gives|we get|we have|we obtain|we find|one gets|one has)"
    r"\s*[,:]?\s*",
    re.IGNORECASE | re.DOTALL,
)
# The only words the sentence may have around the formula it cites: what the formula is (a
# list of allowed words, not of forbidden ones: "doesn't help", "never used", "for the other
# entries" must all end the case, and no list of them is complete).
_PLAIN_USE_WORDS = frozenset(
    "the a an of and its this that above earlier same derivative derivatives definition definitions rule rules "
    "chain quotient product sum logarithm log exponential softmax sigmoid function identity formula fact "
    "property result".split()
)
# A formula that ends the sentence ("$\\sum_j s_j = 1.$ For the off-diagonal entries ...") or
# states a condition between indices ("with $i \\neq k$ swapped in"): the case is not plainly
# the display's
_NOT_A_CITED_FORMULA = re.compile(r"[.。…!?;:]\s*(?:\$|\\\))$|\\neq?\b|≠|\\ne\b")


def _case_in_prose(block: Block, text: str, state: _State, reading: Reading) -> bool:
    """A case stated in the words around an inline condition, for the display right after it
    and for nothing else: "If $i = k$, then" + a display. It is then cited by that display's
    links and listed with its place. False when the words state no case, the condition is not
    one between two indices, or something but a display comes next (then it is prose)."""
    if not _CASE_PHRASE.fullmatch(block.lead.rstrip(" ,:")):
        return False
    if block.into_display is None:
        return False
    using = _INTO_DISPLAY_USING.fullmatch(block.into_display)
    if using and (
        not set(re.findall(r"[^\s,]+", (using.group("before") + " " + using.group("after")).lower()))
        <= _PLAIN_USE_WORDS
        or _NOT_A_CITED_FORMULA.search(using.group("formula"))
    ):
        using = None
    if not using and not _INTO_DISPLAY.fullmatch(block.into_display):
        return False
    letters = reading.letters
    named = {*letters.scalars, *letters.families, *letters.defined}
    if any(letter in named for letter in re.findall(r"(?<!\\)\b[A-Za-z]\b", text)):
        return False  # "If $x = y$": variables the header declares, not two indices
    try:
        conditions = tuple(_condition(c, reading, block.place, "case") for c in _conditions(text.strip(" .,")))
    except SourceError:
        return False  # a count, a letter of another kind: no case
    # (the case, where it was stated, Markdown blocks begun since, formulas in the words to pass)
    state.prose_case = _ProseCase(conditions, block, formulas=1 if using else 0)
    return True


# Words a display sets as text (\text{In general:}, \text{Otherwise}, \intertext{and for any i,
# j}): the author may be saying something the case does not cover. Only the words of a
# condition, and a function's name, are allowed.
_TEXT_COMMAND = re.compile(r"\\(intertext|shortintertext|text\w*|mbox|hbox|mathrm|mathit|operatorname|tag\*?)\s*\{")
_CONDITION_WORDS = frozenset("if when for and".split())
_FUNCTION_NAMES = frozenset("softmax sigmoid log ln exp tanh diag max min argmax".split())


def _words_in_math(text: str) -> bool:
    """Does the display set words of its own (beyond a condition's and a function's name)?"""
    for m in _TEXT_COMMAND.finditer(text):
        if m.group(1) in ("intertext", "shortintertext"):
            return True
        depth, end = 1, m.end()
        while end < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        argument = text[m.end() : end - 1] if not depth else text[m.end() :]
        words = [w.lower() for w in re.findall(r"[A-Za-z]{2,}", argument)]
        if len(words) == 1 and words[0] in _FUNCTION_NAMES:
            continue  # \operatorname{softmax}, \text{log}
        if any(w not in _CONDITION_WORDS for w in words):
            return True
    return False


def _governed(event, waiting: _ProseCase) -> bool:
    """Does the case stated in the prose govern this block? The display right after its
    sentence, and each display after that one with no words between (an equation alone in its
    paragraph counts as a display; a bare condition "$i \neq j$:" does not, nor a display
    that sets words of its own as text)."""
    if not isinstance(event, Block) or not (event.display or event.alone):
        return False
    if event.alone and _INLINE_CONDITION.fullmatch(event.text):
        return False
    if _words_in_math(event.text) or re.search(r"\\forall(?![A-Za-z])", event.text):
        return False  # words of its own, or a range it states itself (\forall j \neq i)
    return not (waiting.governs and event.after_words)


def _prose_case_for(block: Block, state: _State) -> None:
    """The display right after a case stated in the prose cites it (see _case_in_prose)."""
    conditions, stated = state.prose_case.conditions, state.prose_case.stated
    state.prose_case = replace(state.prose_case, passages=0, formulas=0, governs=True)
    state.next_cites = (*state.next_cites, *conditions)
    state.display_case = conditions
    said = ", ".join(str(c) for c in conditions)
    state.skipped.append(
        Skipped(
            stated.place,
            f"{stated.lead} ${stated.text.strip()}${stated.into_display.rstrip()}",
            f"the case {said}, stated in the prose, for the display at {block.place}",
            "case",
        )
    )


def _skip(state: _State, place: Place, text: str, reason: str, kind: str = "not read") -> None:
    """A block (or statement) left unchecked: listed, and no chain continues across it."""
    state.skipped.append(Skipped(place, text.strip(), reason, kind))
    _break_chain(state, "continues a chain across a block that was not checked", unchecked=True)


def _unreadable(step: Step, reading: Reading, state: _State) -> str | None:
    """Why the core would refuse the step, or None; or what it said of the very same step (the
    same expression objects, from a display read before) under the same header."""
    if state.memo is None:
        return unreadable(step, reading.letters.notation)
    key = ("unreadable", state.header, id(step.previous), id(step.next))
    kept = state.memo.get(key)
    if (
        kept is not None
        and kept[0] is step.previous
        and kept[1] is step.next
        and kept[2] == step.all_cited
        and kept[3] == step.notation
    ):
        return kept[4]
    refused = unreadable(step, reading.letters.notation)
    state.memo[key] = (step.previous, step.next, step.all_cited, step.notation, refused)
    return refused


def _statements_of(text: str, reading: Reading, state: _State):
    """The statements of a display, read under the header's letters and the document's macros,
    or as they were read before from the same text, header and macros (reading is a function
    of these three alone: it changes neither the letters nor the macros)."""
    from .latex_math import read_block

    if state.memo is None:
        return read_block(text, reading.letters, state.macros, not reading.summation)
    key = ("block", state.header, tuple(sorted(state.macros.items())), text)
    statements = state.memo.get(key)
    if statements is None:
        statements = state.memo[key] = read_block(text, reading.letters, state.macros, not reading.summation)
    return statements


def _block(block: Block, state: _State, reading: Reading) -> None:
    try:
        _read_block(block, state, reading)
    finally:
        state.display_case = None  # a prose case governs its display only


def _split_chains(events) -> frozenset:
    """The displays that end with '=' right before a display that begins with '=' (nothing but
    a paragraph's bounds between), by id."""
    blocks = [e for e in events if not isinstance(e, Passage)]
    return frozenset(
        id(block)
        for block, following in zip(blocks, blocks[1:])
        if isinstance(block, Block)
        and isinstance(following, Block)
        and block.display
        and following.display
        and block.text.rstrip().endswith("=")
        and not block.text.rstrip().endswith(("\\=", ":="))
        and following.text.lstrip().startswith("=")
    )


def _read_block(block: Block, state: _State, reading: Reading) -> None:
    from .latex_math import MathSyntaxError

    text = _mask_environments(block.text)
    if id(block) in state.split:
        text = text.rstrip()[:-1]  # "A = B =$$ $$= C": the next display continues from B
    skip = state.skip_next
    cites = state.next_cites
    classes = state.next_classes
    state.skip_next, state.next_cites, state.next_classes = False, (), None
    if skip:
        _skip(state, block.place, block.text, "skip directive", "skip directive")
        return
    if not block.display and _INLINE_CONDITION.fullmatch(text):
        if _case_in_prose(block, text, state, reading):
            return
        # "$m = n$", "$i \neq j$" in a sentence: a condition stated in prose, not a step.
        _skip(state, block.place, block.text, "inline math that states no step", "prose")
        return
    try:
        statements = _statements_of(text, reading, state)
    except MathSyntaxError as error:
        where = _inside(block, error.line, error.column)
        if not block.display:
            if _EQUALS.search(_shown(text, state)):  # an inline equation that does not read; symbols are prose
                _skip(state, where, block.text, f"does not read: {error.message}")
            return
        if not _EQUALS.search(_shown(text, state)):
            _skip(state, block.place, block.text, "no equation", "prose")
            return
        # One display that does not read never stops the file: it is listed with what could
        # not be read, every other display is still checked, and no chain bridges it.
        _skip(state, where, block.text, f"does not read: {error.message}")
        return
    for statement in statements:
        try:
            _statement(statement, block, state, reading, cites, classes)
        except SourceError as error:
            # A case naming a count, a condition that contradicts the case in force: this
            # statement is not read, the rest of the file is.
            _skip(state, error.place, block.text, f"does not read: {error.message}")


def _statement(statement, block: Block, state: _State, reading: Reading, cites: tuple, classes) -> None:
    """One statement of a block (A = B = C): its links as steps."""
    from .latex_math import NotEquality, Unreadable

    if isinstance(statement, Unreadable):
        if block.display or _EQUALS.search(_shown(block.text, state)):
            _skip(
                state,
                _inside(block, statement.line, statement.column),
                block.text,
                f"does not read: {statement.message}",
            )
        return
    if isinstance(statement, NotEquality):
        where = _inside(block, statement.line, statement.column)
        state.skipped.append(
            Skipped(where, block.text.strip(), f"{statement.relation} is not an equality", "not an equality")
        )
        return
    links = list(statement.links)
    if not block.display and len(links) < 2:
        return  # inline mathematics with no equation is prose
    if not block.display and (links[0] is None or _is_condition(links)):
        _skip(state, block.place, block.text, "inline math that states no step", "prose")
        return
    case, state.display_case = state.display_case, None
    branched = False  # continues from before a split into cases: its left side is printed
    if links and links[0] is None:
        if state.last is None:
            reason = state.broken or "begins with '=' but there is no chain before it to continue"
            _skip(state, block.place, block.text, reason)
            return
        links[0] = state.last
        if case is None and state.branch is not None:
            # "If i = j, $$ = A $$ Otherwise: $$ = B $$": B's case is not said (and derive does
            # not read every way of saying it): continued from A it could bridge a case change
            _skip(
                state,
                block.place,
                block.text,
                "continues a chain whose last display had a case stated in the prose, without saying its own case",
            )
            return
        if case is not None and state.branch is None:
            state.branch = _Branch(state.last, case)
        elif case is not None and case != state.branch.case:
            # another case of the same split: from that case's own last expression, or from
            # before the split; never from the other case's end
            links[0] = state.branch.ends.get(case, state.branch.root)
            state.branch.case = case
            branched = True
        continues = True
    else:
        continues = False
        # "If i = j, $$ X = A $$ If i ≠ j, $$ = B $$": the second case continues from X
        state.branch = _Branch(links[0], case) if case is not None and links else None
        state.head = links[0].expr if links else None
    # A condition written in the equation (\text{if } i = j) is the case of the link it follows.
    written = [
        tuple(_condition(c, reading, block.place, "case") for c in conditions)
        for conditions in statement.conditions or [()] * len(links)
    ]
    # A link's own % comment (case, cites) holds for that link alone.
    extras = [()] + [
        (_directive(link.comment, _inside(block, link.line, link.column), state, reading, True) or ())
        if link.comment
        else ()
        for link in links[1:]
    ]
    if reading.summation and state.head is not None:
        kept = {x for h in (*state.case, *cites) if h.is_case for x in h.subjects}
        try:
            summed = [
                _summed(link, state.head, reading, kept | {x for h in extra if h.is_case for x in h.subjects})
                for link, extra in zip(links[1:], extras[1:])
            ]
        except VocabularyError as error:
            raise SourceError(block.place, str(error)) from None
        links = [links[0]] + [link for link, _ in summed]
        # every view shows the link as written: what the convention summed is said with it
        convention_sums = {
            n: f"summed over {', '.join(over)}: the header's summation convention (an index the chain's first side lacks)"
            for n, (_, over) in enumerate(summed, start=1)
            if over
        }
    else:
        convention_sums = {}
    chain_sums: dict[int, str] = dict(convention_sums)
    # "... \quad \forall o", "\text{for } o = 1", ", \quad o = 1": the display says something of
    # its indices itself; only a bare chain rule is read in the convention
    free_said = re.search(r"\\forall|\\text|\\mbox|\\q?quad|,", block.text)
    if state.chain_rule_sums and not reading.summation and state.head is not None and not free_said:
        kept = {x for h in (*state.case, *cites, *(case or ())) if h.is_case for x in h.subjects}
        for n in range(1, len(links)):
            kept_here = kept | {x for h in (*written[n], *extras[n]) if h.is_case for x in h.subjects}
            summed, over = _chain_rule_summed(links[n], state.head, reading, kept_here | state.described)
            if over:
                links[n] = summed
                chain_sums[n] = (
                    f"{', '.join(over)} repeated in a product of derivatives as the sum over "
                    f"{', '.join(over)} (the chain rule in the summation convention)"
                )
    for n in range(1, len(links)):
        left, right = links[n - 1], links[n]
        defined = _defined_by(left, right, n == 1 and not continues, block, state)
        if defined is not None:
            where = (right.line, right.column) if defined.at_right else (left.line, left.column)
            state.skipped.append(
                Skipped(
                    _inside(block, *where),
                    defined.written,
                    f"{defined.shown} is defined here"
                    + (f", for every {defined.bound}" if defined.bound is not None else "")
                    + _HOW_DEFINED[defined.how]
                    + _reach(defined)
                    + " (a definition is not checked)"
                    + "".join(
                        f"; read as: {x} as one real number (any value: what it stands for is not used)"
                        for x in sorted(defined.value.atoms(StandIn), key=str)
                    ),
                    "definition",
                )
            )
            continue
        hypotheses = tuple(dict.fromkeys((*state.case, *cites, *written[n], *extras[n])))
        notes = (
            statement.notes
            + tuple(
                f"case {c.replace(chr(92) + 'neq', '≠')}, from the condition written in the equation"
                for c in (statement.conditions[n] if statement.conditions else ())
            )
            + ((chain_sums[n],) if n in chain_sums else ())
        )
        if n == 1 and not continues and (str(block.place), left.line, left.column) in state.restated:
            notes += (state.restated[(str(block.place), left.line, left.column)],)
        place = _inside(block, right.line, right.column)
        previous = left.expr if hasattr(left, "expr") else left
        following = right.expr
        # d/dx log x = 1/x: the left side is defined only for x > 0, and the step is read there
        for condition, why in logarithm_domain(previous, reading.letters.notation, hypotheses):
            hypotheses += (condition,)
            notes += (why,)
        # what the author divided by or took the log of and SymPy cancelled (y_i s_i/y_i)
        guards = tuple(dict.fromkeys(guard for link in (left, right) for guard in getattr(link, "guards", ())))
        # a name defined anew since the document's first meaning: this step alone is checked
        # with the meaning in force where it stands
        notation = reading.letters.notation if reading.letters.notation != state.document_notation else None
        if classes is not None:  # a claim about one K: entries such as s_1, matrices entrywise
            K = reading.letters.notation.classes
            notation = reading.letters.notation.at_classes(classes)
            previous, following = (as_expression(x).subs(K, classes) for x in (previous, following))
            guards = tuple(guard.subs(K, classes) for guard in guards)
        sources = shown = None
        if getattr(left, "source", None) and getattr(right, "source", None):
            sources = (left.source, right.source)
            if left.shown and right.shown:
                shown = (left.shown, right.shown)
        step = Step(
            previous,
            following,
            hypotheses,
            written=sources,
            shown=shown,
            # printed as "= next" only right under the step whose right side it continues: not
            # under an unrelated step when the link before it was a definition or not read
            continues=state.shown_through is left and not (n == 1 and branched),
            where=str(place),
            standing=reading.facts,
            stated_at=reading.fact_places,
            heading=state.heading,
            notation=notation,
            rule=_explained(notes, right, block) if state.explain else _read_as(notes),
            guards=guards,
        )
        refused = _unreadable(step, reading, state)
        if refused is not None:
            # The core would refuse this one step (log y_k, a symbolic power): it is listed
            # with the core's reason and the rest of the document is still checked.
            state.skipped.append(Skipped(place, block.text.strip(), f"does not read: {refused}"))
            continue
        state.steps.append(step)
        state.shown_through = right  # the link whose expression the last step shown ends with
        state.heading = None
    if links and not block.display:
        # "$$ A = B $$ where $S = ...$, so $$ = C $$": which chain C continues, the display's or
        # the sentence's, is not clear; neither is continued
        _break_chain(
            state, "continues a chain across an equation in the text before it (which one it continues is not clear)"
        )
    elif links:
        state.last = links[-1]  # the link itself: a step continuing from it shows it as written
        state.broken = None
        if state.branch is not None:
            state.branch.ends[state.branch.case] = state.last  # where this case's chain now ends


def _shown(text: str, state: _State) -> str:
    """The text with the document's macros expanded and Unicode read (a relation may come
    from either: $a \\eq b$, $a ≤ b$), for deciding whether unread math holds an equation."""
    from .latex_markup import normalise
    from .latex_tokens import MathSyntaxError

    try:
        return normalise(text, state.macros).text
    except MathSyntaxError:  # a text that does not normalise is judged as written
        return text


def _explained(notes: tuple, link, block: Block) -> str:
    """With --explain: the row the author wrote, and every choice made in reading it (or that
    none was made). The step's own line shows the expression the core checks."""
    rows = block.text.split("\n")
    written = rows[link.line - 1].strip() if 0 < link.line <= len(rows) else block.text.strip()
    written = written if len(written) <= 200 else written[:199] + "…"
    return f"written: {written}; " + (_read_as(notes) or "read as written, no choice made")


def _read_as(notes: tuple) -> str:
    """The readings of a statement that involved a choice, as the line every view shows."""
    return ("read as: " + "; ".join(notes)) if notes else ""


def _summed(link, head, reading: Reading, kept: set):
    """The summation convention: in each term of ``link``, sum over the indices that the
    chain's first expression does not have (and that the case in force does not name)."""
    from derive.core.semantics import free_indices

    notation = reading.letters.notation
    kept = set(kept) | set(free_indices(head, notation))
    terms, over = [], []
    for term in sp.Add.make_args(link.expr):
        for name, upper in sorted(free_indices(term, notation).items(), key=lambda kv: str(kv[0])):
            if name not in kept:
                term = sp.Sum(term, (name, 1, upper))
                over.append(str(name))
        terms.append(term)
    # shown as written; the "read as" note says what was summed
    return replace(link, expr=sp.Add(*terms)), tuple(dict.fromkeys(over))


# Words that say a repeated index is not summed, or is one fixed value ("for one fixed class $c$
# (no sum over $c$)"): then derive does not read the summation convention into a document.
_NO_SUM = re.compile(
    r"\b(?:not?|never|without|don['’]?t|doesn['’]?t|isn['’]?t|aren['’]?t)\W+(?:\w+\W+){0,4}?summ?(?:ed|ing|ation|s)?\b"
    r"|\b(?:fixed|particular|specific|single|given)\s+(?:class|index|value|term|output|label|entry|\$)|\bone term\b",
    re.I,
)


def _chain_rule_summed(link, head, reading: Reading, kept: set):
    """∂L/∂z_i = ∂L/∂ŷ_o · ∂ŷ_o/∂z_i with no sum written (and no summation convention declared):
    the chain rule, in the convention that a repeated index is summed. Only in that one shape:
    an index free in a term but not in the chain's first expression (nor named by the case in
    force), standing in exactly two factors of the term, both derivatives, as the variable of
    one and in the differentiated expression of the other. Anything else is left as written
    (and then fails, naming the free index). Returns the link and the indices summed."""
    from derive.core.semantics import VocabularyError, free_indices
    from derive.core.vocabulary import Partial

    if not hasattr(link, "expr"):
        return link, ()
    notation = reading.letters.notation
    try:
        kept = set(kept) | set(free_indices(head, notation))
        terms, over = [], []
        for term in sp.Add.make_args(link.expr):
            for name, upper in sorted(free_indices(term, notation).items(), key=lambda kv: str(kv[0])):
                if name in kept:
                    continue
                factors = sp.Mul.make_args(term)
                holding = [f for f in factors if name in f.free_symbols]
                if not (len(holding) == 2 and all(isinstance(f, Partial) for f in holding)):
                    return link, ()
                first, second = holding
                by_first = name in first.variable.free_symbols and name not in first.expression.free_symbols
                by_second = name in second.variable.free_symbols and name not in second.expression.free_symbols
                of_first = name in first.expression.free_symbols and name not in first.variable.free_symbols
                of_second = name in second.expression.free_symbols and name not in second.variable.free_symbols
                if not ((by_first and of_second) or (by_second and of_first)):
                    return link, ()
                term = sp.Sum(term, (name, 1, upper))
                over.append(str(name))
            terms.append(term)
    except VocabularyError:
        return link, ()
    if not over:
        return link, ()
    return replace(link, expr=sp.Add(*terms)), tuple(dict.fromkeys(over))


def _inside(block: Block, line: int, column: int) -> Place:
    """The place of (line, column) of a block's text, in the file."""
    if line == 1:
        return Place(block.place.file, block.place.line, block.place.column + column - 1, block.place.cell)
    return Place(block.place.file, block.place.line + line - 1, column, block.place.cell)


def read_derivation(
    path: str | Path,
    data: bytes | None = None,
    notation: str | Path | None = None,
    explain: bool = False,
    input_format: str | None = None,
    memo: dict | None = None,
    read: list | None = None,
    notation_data: bytes | None = None,
) -> tuple[Derivation, tuple[Skipped, ...]]:
    """The steps of the derivation written in ``path`` (or in ``data``, its bytes already
    read), unchecked, and what was skipped. ``notation``: a file holding a notation header's
    lines alone, for a document that cannot carry one (someone else's page). ``input_format``:
    "md", "tex" or "ipynb" when ``path`` is only a name (standard input, a notebook cell).
    ``memo``: a dict the caller keeps between readings of the same document, so that a display
    whose text, header and macros are unchanged is not parsed again (derive watch). ``read``:
    given, it receives every file read, as (path, SHA-256 of the bytes read), the document
    first; ``notation_data``: the notation file's bytes, read once by the caller (what a
    cached run is kept under must be what was read)."""
    events = read_source(path, data, read, input_format=input_format)
    if source_kind(path, input_format) == "tex":
        text = data.decode("utf-8", "replace") if data is not None else Path(path).read_text("utf-8", "replace")
        text = re.sub(r"(?<!\\)%.*", "", text)
        if _hides_text(text):
            # TeX programmed to hide text (\def\thus#1\hence{}, a new environment that boxes its
            # body away): which mathematics the page shows is not known, so none defines a name
            events = [replace(e, defining=False) if isinstance(e, Block) else e for e in events]
        if _PROGRAMS_TEX.search(text):
            # a macro, a conditional or an internal command may swallow a \section ({\iffalse},
            # \@gobbletwo): no heading is sure to be on the page, so none starts a new section
            events = [replace(e, shown=False) if isinstance(e, Heading) else e for e in events]
    headers = [e for e in events if isinstance(e, Header)]
    origin = Place(str(path), 1, 1)
    if notation is not None:
        given = read_notation_file(notation, notation_data)
        if headers:
            raise SourceError(
                headers[0].place, f"a notation header in the document and another in {notation} (give one)"
            )
        headers = [given]
    if len(headers) > 1:
        raise SourceError(headers[1].place, "a second notation header (expected one per file)")
    inferred: tuple = ()
    headers_given, written = bool(headers), ""
    if headers:
        reading = read_header(headers[0], origin)
    else:  # no header: the notation the document implies, each role with where it was learned
        written = data.decode("utf-8", "replace") if data is not None else Path(path).read_text("utf-8", "replace")
        document = Written(written, source_kind(path, input_format))
        implied, inferred = infer_header(events, origin, _mask_environments, document)
        headers = [implied]
        reading = read_header(implied, origin, inferred=True)
    reading, definitions, conflicts, anew, restated = document_definitions(events, reading, _mask_environments)
    document_reading = reading
    anew_at: dict[int, list] = {}
    for definition, argument in anew:
        anew_at.setdefault(definition.ordinal, []).append((definition, argument))
    header = headers[0] if headers else None
    state = _State(explain=explain, memo=memo, header=(header, definitions) if definitions else header)
    state.definitions = {(str(d.place), d.line, d.column): d for d in definitions}
    state.document_notation = reading.letters.notation
    state.restated = restated
    state.split = _split_chains(events)
    state.chain_rule_sums = bool(not headers_given and not _NO_SUM.search(written))
    if state.chain_rule_sums:
        from derive.core.vocabulary import index

        from .inference import indices_described

        state.described = frozenset(index(x) for x in indices_described(document, origin) if len(x) == 1)
    state.skipped += [Skipped(where, text, reason) for where, text, reason in (*reading.unread, *conflicts)]
    for ordinal, event in enumerate(events):
        for definition, argument in anew_at.get(ordinal, ()):
            # a name defined anew from here on (f(x) = x^2, then after a heading f(x) = 5x^3):
            # what comes next is read with the new meaning, and no chain continues across it
            reading = defined_anew(reading, definition, argument)
            _break_chain(state, f"continues a chain across a new definition of {definition.shown}")
            state.header = (header, definitions, ordinal)
        if state.prose_case is not None:
            waiting = state.prose_case
            if isinstance(event, Passage) and waiting.passages == 0:
                state.prose_case = replace(waiting, passages=1)  # the display's own block begins
                continue
            if _governed(event, waiting):
                _prose_case_for(event, state)
                if event.words_after:
                    state.prose_case = None  # words after it in its paragraph: it governs no further
                steps, listed = len(state.steps), len(state.skipped) - 1  # the case's own line
                _block(event, state, reading)
                if len(state.steps) == steps:
                    # a condition ("$i > j$:"), a definition, prose in math form: no step of the
                    # case, and it may be a new condition in the author's words: the case ends
                    state.prose_case = None
                    if state.skipped[listed].kind == "case":
                        del state.skipped[listed]
                continue
            elif isinstance(event, Block) and waiting.formulas and waiting.passages == 0:
                state.prose_case = replace(state.prose_case, formulas=0)  # the formula the words cite ("using $...$")
            else:
                state.prose_case = None  # prose, a heading, a directive...: the case governs nothing
        if isinstance(event, Heading):
            _break_chain(state, "continues a chain across a heading (a heading ends the case)")
            state.case = ()
            if event.level == 1 and state.title is None and not state.steps:
                state.title = event.text or None
            elif event.text:
                state.heading = event.text
        elif isinstance(event, Directive):
            _directive(event.text, event.place, state, reading)
        elif isinstance(event, Block):
            _block(event, state, reading)
        elif isinstance(event, Unread):
            _skip(state, event.place, event.text, event.reason)
        elif isinstance(event, MacroDefinitions):
            state.macros.update({macro.name: macro for macro in event.macros})
    # what was inferred goes last, so that what was not read keeps its order (the terminal
    # shows the inferred roles first)
    state.skipped += [Skipped(i.place, f"{i.key}: {i.value}", i.why, "inferred") for i in inferred if i.news]
    name = Path(path).name
    derivation = Derivation(name, state.title or name, document_reading.letters.notation, tuple(state.steps))
    return derivation, tuple(state.skipped)
