"""The notation header a person writes once at the top of a derivation:

.. code-block:: text

    <!-- derive
    softmax: o of v              # o is the softmax of the logits v (several lines allowed: \\hat{y} of z)
    alias: \\sigma_{v_j} = o_j    # another name for the softmax
    labels: y one-hot            # or "y sums to one", or just "y"
    classes: K, k, C, c, n       # names of the class count in upper limits (the first is K's letter)
    examples: N
    loss: L, \\mathcal{L} = -\\sum_{k} y_k \\log o_k
    scalars: x, T
    temperature: T
    -->

It becomes the core's :class:`~derive.core.Notation`, the letters the math reader knows,
and the facts (one-hot labels) every step may use; the output shows where each was used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from derive.core import Hypothesis, Notation, classes_symbol, examples_symbol, family, one_hot, scalar, sums_to_one

from .source import Header, Place, SourceError

__all__ = ["Reading", "read_header"]

_ONCE = ("labels", "classes", "examples", "temperature", "summation")  # one value each: a second would be ignored
_KEYS = ("softmax", "alias", "labels", "classes", "examples", "loss", "scalars", "temperature", "summation")
_BASE = r"(\\[A-Za-z]+\{[A-Za-z]\}|\\?[A-Za-z]+)"  # y, \sigma, \hat{y}


@dataclass(frozen=True)
class Reading:
    """What a header declares."""

    letters: object  # derive.read.latex_math.Letters
    facts: tuple[Hypothesis, ...]  # cited for every step (y one-hot, Σ y = 1)
    # "summation: repeated": in a chain, an index that a link uses but the chain's first
    # expression does not is summed over (∂L/∂z_i = ∂L/∂ŷ_o ∂ŷ_o/∂z_i sums over o).
    summation: bool = False
    # (place, text, reason) of header lines that could not be read: listed as not read, and the
    # rest of the header and of the document is still read (a use of what they declare is not).
    unread: tuple = ()
    # where each fact was stated (its header line, or the sentence it was inferred from)
    fact_places: tuple[str, ...] = ()


def _pairs(value: str) -> list[str]:
    """The 'S of Z' of a softmax line: "S of a, p of o" names two, as two lines would."""
    if re.fullmatch(rf"{_BASE}\s+of\s+{_BASE}(\s*,\s*{_BASE}\s+of\s+{_BASE})+", value):
        return [pair.strip() for pair in value.split(",")]
    return [value]


def _listed(value: str, place: Place, key: str) -> list[str]:
    """The names of a scalars or temperature line. A scalar that is not a letter (w_1) is kept,
    to be listed as not read; the temperature must be a letter; no name at all is bad input."""
    if key != "scalars":
        return _names(value, place, key)
    return [n.strip() for n in value.split(",") if n.strip()] or _names(value, place, key)


def _names(value: str, place: Place, what: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    if not names:  # every caller uses the first name
        raise SourceError(place, f"{what}: no name given (expected names such as K or \\hat{{y}})")
    for n in names:
        if not re.fullmatch(_BASE, n):
            raise SourceError(place, f"{what}: {n!r} is not a letter (expected names such as K or \\hat{{y}})")
    return names


_UPRIGHT = re.compile(r"\\(?:mathrm|operatorname|text|textrm|mathit|mathsf)\{([A-Za-z]+)\}")


@dataclass(frozen=True)
class _LossName:
    """One name of the loss as the header writes it: the key the reader looks it up by, the
    SymPy name, and for a call form (J(\\theta)) its argument as written."""

    key: str
    symbol: str
    argument: str | None = None


def split_outside_brackets(text: str, separator: str) -> list[str]:
    """``text`` split at each ``separator`` that no bracket or brace encloses."""
    parts, depth, current = [], 0, ""
    for c in text:
        depth += c in "({["
        depth -= c in ")}]"
        if c == separator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += c
    parts.append(current)
    return parts


def _loss_names(value: str, place: Place) -> list[_LossName]:
    """``L, \\mathcal{L}_{CE}, J(\\theta), CE, \\mathrm{MSE}, \\ell``: each a name of the loss."""
    parts = split_outside_brackets(value, ",")
    names = [loss_name(part, place) for part in (p.strip() for p in parts) if part]
    if not names:
        raise SourceError(place, "loss: no name given (expected names such as L or J(\\theta))")
    return names


def loss_name(part: str, place: Place) -> _LossName:
    """One name as a header or a definition writes it: ``L``, ``\\mathcal{L}_{CE}``, ``L_i``,
    ``\\mathrm{MSE}``, ``J(\\theta)``, ``H(Y, \\sigma(A))``."""
    upright = _UPRIGHT.fullmatch(part)
    subscripted = _subscripted(part)
    call = re.fullmatch(rf"{_BASE}\((.+)\)", part)
    if re.fullmatch(_BASE, part):
        return _LossName(part, _symbol_name(part))
    if upright:
        return _LossName(upright.group(1), upright.group(1))
    if subscripted:
        return _LossName(*subscripted)
    if call and _balanced(call.group(2)):
        return _LossName(call.group(1), _symbol_name(call.group(1)), call.group(2).strip())
    raise SourceError(
        place,
        f"loss: {part!r} is not a name (expected names such as L, \\mathcal{{L}}_{{CE}}, J(\\theta), CE)",
    )


def _subscripted(latex: str) -> tuple[str, str] | None:
    """A name with a subscript that is part of the name (``L_i``, ``\\mathcal{L}_{CE}``,
    ``w_1``, ``\\theta_{0}``): the key the math reader looks it up by, and its SymPy name."""
    m = re.fullmatch(rf"{_BASE}_(?:\{{\s*([A-Za-z0-9]+)\s*\}}|([A-Za-z0-9]))", latex.strip())
    if not m:
        return None
    word = m.group(2) or m.group(3)
    return f"{m.group(1)}_{{{word}}}", f"{_symbol_name(m.group(1))}_{word}"


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        depth += (c == "(") - (c == ")")
        if depth < 0:
            return False
    return depth == 0


def _symbol_name(latex: str) -> str:
    """A SymPy name for a LaTeX letter: \\hat{y} -> yhat, \\sigma -> sigma, \\mathcal{L} -> L."""
    m = re.fullmatch(r"\\(hat|bar|tilde)\{([A-Za-z])\}", latex)
    if m:
        return m.group(2) + m.group(1)
    m = re.fullmatch(r"\\(?:mathcal|mathrm|mathbf)\{([A-Za-z])\}", latex)
    if m:
        return m.group(1)
    return latex.lstrip("\\")


def _refuse_clashes(values: dict, class_names, example_names, place: Place, inferred: bool = False) -> None:
    """One letter, one role: a softmax named like the labels (``softmax: y of z`` while the
    labels are y), labels named like the softmax, logits named like the labels, a class count
    named like a family, a scalar or the loss named like a family the header declares (a scalar
    y where no labels are declared is fine: binary cross-entropy). One SymPy name for two roles would make one symbol stand
    for two things (the core would then check something the author did not write)."""
    roles: dict[str, tuple[str, str, Place | None]] = {}  # SymPy name -> (role, letter, place)

    def claim(letter: str, role: str, where: Place | None) -> None:
        """``where`` is None for derive's own default (s of z, labels y, K classes)."""
        name = _symbol_name(letter)
        held = roles.setdefault(name, (role, letter, where))
        if held[0] == role or held[2] is None and role in ("scalar", "loss"):
            return
        shown = letter if letter == held[1] else f"{held[1]} and {letter}"
        first = held[0] + (" (by default)" if held[2] is None else "")
        second = role + (" (by default)" if where is None else "")
        raise SourceError(
            where or held[2] or place,
            f"{shown} would be both the {first} and the {second} (expected one letter per role)",
        )

    for value, where in values.get("softmax", [] if inferred else [("s of z", None)]):
        for pair in _pairs(value):
            s_name, _, z_name = pair.partition(" of ")
            claim(s_name.strip(), "softmax", where)
            claim(z_name.strip(), "logits", where)
    labels_value, labels_place = values.get("labels", [("y", None)])[-1]
    if "labels" in values or not inferred and _symbol_name(labels_value.split()[0]) not in roles:
        claim(labels_value.split()[0], "labels", labels_place)
    for names, role, key in ((class_names, "class count", "classes"), (example_names, "example count", "examples")):
        where = values[key][-1][1] if key in values else None
        for name in names:
            claim(name, role, where)
    for key in ("scalars", "temperature"):
        for value, where in values.get(key, []):
            for name in _listed(value, where, key):
                subscripted = _subscripted(name)
                if re.fullmatch(_BASE, name) or subscripted:  # any other is listed as not read
                    claim(subscripted[1] if subscripted else name, "scalar", where)
    for value, where in values.get("loss", []):
        if "=" in value:
            try:
                names = _loss_names(value.split("=", 1)[0], where)
            except SourceError:
                continue  # listed as not read with the rest of its line
            for name in names:
                claim(name.symbol, "loss", where)


def read_header(header: Header | None, place: Place, inferred: bool = False) -> Reading:
    """The notation a header declares; without a header, derive's own letters: s of z,
    labels y, K classes and the loss L = −Σ_k y_k log s_k. ``inferred``: the header's lines
    are what derive.read.inference learned from the document, and a role it has no line for
    has no letter at all (none of derive's own letters is assumed)."""
    from .latex_math import Letters

    values: dict[str, list[tuple[str, Place]]] = {}
    if header is None and not inferred:  # derive's own letters, and the cross-entropy as the loss
        values["loss"] = [("L, \\mathcal{L} = -\\sum_{k} y_k \\log s_k", place)]
    for key, value, where in header.lines if header else ():
        if key not in _KEYS:
            raise SourceError(where, f"unknown header key {key!r} (expected one of {', '.join(_KEYS)})")
        if key in _ONCE and key in values:
            raise SourceError(
                where, f"a second '{key}:' line (expected one; the first is at line {values[key][0][1].line})"
            )
        values.setdefault(key, []).append((value, where))

    unread: list[tuple[Place, str, str]] = []
    families: dict[str, sp.IndexedBase] = {}
    softmax = logits = None
    default = [] if inferred else [("s of z", place)]
    pairs = [(pair, where) for value, where in values.get("softmax", default) for pair in _pairs(value)]
    for value, where in pairs:
        m = re.fullmatch(rf"{_BASE}\s+of\s+{_BASE}", value)
        if not m:
            raise SourceError(where, f"softmax: {value!r} (expected 'S of Z', such as 's of z' or '\\hat{{y}} of z')")
        s_name, z_name = m.group(1), m.group(2)
        if softmax is None:
            softmax, logits = family(_symbol_name(s_name)), family(_symbol_name(z_name))
        elif _symbol_name(z_name) != str(logits):
            # One family of logits per document: a softmax of other logits (a teacher's and a
            # student's) is listed as not read, and its names stay unknown.
            unread.append(
                (where, value, "softmax: every softmax name must be of the same logits (this one is not read)")
            )
            continue
        families[s_name], families[z_name] = softmax, logits
    if softmax is None:  # inferred, and no softmax in the document: names no document can write
        softmax, logits = family("softmax"), family("logits")

    aliases: dict[tuple[str, str], sp.IndexedBase] = {}
    for value, where in values.get("alias", []):
        m = re.fullmatch(rf"{_BASE}_\{{?([A-Za-z])_?[A-Za-z]?\}}?\s*=\s*{_BASE}(_\{{?[A-Za-z]\}}?)?", value)
        if not m or m.group(3) not in families:
            raise SourceError(
                where, f"alias: {value!r} (expected such as '\\sigma_{{v_j}} = o_j', o a declared softmax)"
            )
        aliases[(m.group(1), m.group(2))] = families[m.group(3)]

    facts: list[Hypothesis] = []
    labels_value, labels_place = values.get("labels", [("y", place)])[-1]
    m = re.fullmatch(rf"{_BASE}(?:\s+(one-hot|sums to one))?", labels_value)
    if not m:
        raise SourceError(labels_place, f"labels: {labels_value!r} (expected 'y', 'y one-hot' or 'y sums to one')")
    if "labels" not in values and (inferred or m.group(1) in families):
        # No labels declared and y is the softmax or the logits: the labels get a name no
        # document can write, so that y means what the header says and nothing else.
        labels = family("labels")
    else:
        labels = family(_symbol_name(m.group(1)))
        families[m.group(1)] = labels
    if m.group(2) == "one-hot":
        facts.append(one_hot(labels))
    elif m.group(2) == "sums to one":
        facts.append(sums_to_one(labels))
    fact_places = [str(labels_place)] * len(facts)

    class_names = [] if inferred else ["K"]
    for value, where in values.get("classes", []):
        class_names = _names(value, where, "classes")
    K = classes_symbol(_symbol_name(class_names[0]) if class_names else "classes")
    example_names: list[str] = []
    for value, where in values.get("examples", []):
        example_names = _names(value, where, "examples")
    N = examples_symbol(_symbol_name(example_names[0])) if example_names else None

    scalars: dict[str, sp.Symbol] = {}
    for key in ("scalars", "temperature"):
        for value, where in values.get(key, []):
            for name in _listed(value, where, key):
                subscripted = _subscripted(name) if key == "scalars" else None
                if subscripted and not re.search(r"_\{?\s*[0-9]+\s*\}?$", name):
                    # w_i and w_j as two scalars: the same variable when i = j, which derive cannot
                    # see (numbered ones, w_1 and w_2, are never the same)
                    unread.append((where, name, f"scalars: {name!r}: a scalar's subscript must be a number (w_1)"))
                    continue
                if subscripted and subscripted[0].split("_{")[0] in families:
                    # z_1 as a scalar while z is a family: z_1 would mean two things
                    unread.append((where, name, f"scalars: {name!r} is an entry of a declared family"))
                    continue
                if subscripted:  # w_1, \theta_{0}: one name, subscript and all
                    scalars[subscripted[0]] = scalar(subscripted[1])
                    continue
                if not re.fullmatch(_BASE, name):
                    unread.append(
                        (
                            where,
                            name,
                            f"scalars: {name!r} is not a name (expected names such as x, \\theta or w_1)",
                        )
                    )
                    continue
                scalars[name] = scalar(_symbol_name(name))
    temperature = None
    for value, where in values.get("temperature", []):
        temperature = scalars[_names(value, where, "temperature")[0]]

    _refuse_clashes(values, class_names, example_names, place, inferred)
    notation = Notation(logits, softmax, labels, K, N, (), temperature=temperature)
    defined: dict[str, sp.Symbol] = {}
    calls: dict[str, str] = {}
    letters = Letters(notation, families, aliases, frozenset(class_names), frozenset(example_names), defined, scalars)
    definitions = []
    for value, where in values.get("loss", []):
        try:
            _read_loss(value, where, letters, notation, definitions, defined, calls)
        except SourceError as error:
            # A loss that does not read is listed, and the document is still read: a step
            # that uses its name is then not read either, never checked against a guess.
            unread.append((error.place, value, str(error.message)))
    notation = Notation(logits, softmax, labels, K, N, tuple(definitions), temperature=temperature)
    letters = Letters(
        notation, families, aliases, frozenset(class_names), frozenset(example_names), defined, scalars, calls=calls
    )
    summation = False
    for value, where in values.get("summation", []):
        if value.strip() not in ("repeated", "repeated indices", "off", "none"):
            raise SourceError(where, f"summation: {value!r} (expected 'repeated' or 'off')")
        summation = value.strip().startswith("repeated")
    return Reading(letters, tuple(facts), summation, tuple(unread), tuple(fact_places))


def _read_loss(value: str, where: Place, letters, notation, definitions: list, defined: dict, calls: dict) -> None:
    """One ``loss:`` line: its names and its definition, added to ``definitions``."""
    from .latex_math import MathSyntaxError, read_expression

    if "=" not in value:
        raise SourceError(where, f"loss: {value!r} (expected 'L = <LaTeX>', such as 'L = -\\sum_k y_k \\log s_k')")
    names, latex = value.split("=", 1)
    declared = _loss_names(names, where)
    symbol = sp.Symbol(declared[0].symbol)
    try:
        expression = read_expression(latex, letters)
    except MathSyntaxError as error:
        column = where.column + value.index(latex) + error.column - 1
        raise SourceError(Place(where.file, where.line, column, where.cell), f"loss: {error.message}") from None
    from derive.core.semantics import VocabularyError, free_indices

    try:
        loose = free_indices(expression, notation)
    except VocabularyError as error:
        raise SourceError(where, f"loss: {error}") from None
    if loose:
        letters = ", ".join(sorted(map(str, loose)))
        raise SourceError(where, f"loss: the free index {letters} is summed over nowhere (expected a sum over it)")
    if any(existing == symbol for existing, _ in definitions):
        # Two definitions of one name: the core would read one of them and the author may
        # mean the other, so neither is used (a step with the name is not read).
        definitions[:] = [(name, value) for name, value in definitions if name != symbol]
        for key in [key for key, value in defined.items() if value == symbol]:
            del defined[key]
            calls.pop(key, None)
        raise SourceError(where, f"loss: {names.strip()} is defined twice (expected one definition per name)")
    definitions.append((symbol, expression))
    for name in declared:
        defined[name.key] = symbol
        if name.argument is not None:
            calls[name.key] = name.argument
