"""What an expression of the vocabulary means, in terms of the logits and labels alone.

Two readings, used by different witnesses so that they check each other:

* :func:`symbolic_value` keeps K symbolic: sums stay ``Sum`` objects and a partial
  derivative is taken through them (d z_k / d z_j = δ_kj inside the sum);
* :func:`concrete_value` first fixes K (and N) and the free indices, writes every sum
  out term by term, and only then differentiates an ordinary finite expression.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import replace

import sympy as sp
from sympy.printing.str import StrPrinter

from .vocabulary import (
    DecimalNumber,
    Indicator,
    Notation,
    Partial,
    Sigmoid,
    StandIn,
    SumExcept,
    as_expression,
    outermost,
)

__all__ = [
    "VocabularyError",
    "check_domain",
    "logarithm_domain",
    "plain",
    "check_vocabulary",
    "concrete_value",
    "is_real_variable",
    "real_variables",
    "rename_bound",
    "with_definitions",
    "free_indices",
    "symbolic_value",
]


class VocabularyError(ValueError):
    """The expression uses something the core has no meaning for."""


_fresh = itertools.count(1)


def _fresh_index(old: sp.Symbol) -> sp.Symbol:
    return sp.Symbol(f"{old.name}__{next(_fresh)}", integer=True, positive=True)


def _families(notation: Notation) -> set[sp.IndexedBase]:
    families = {f for f in (notation.logits, notation.softmax, notation.labels) if f is not None}
    return families | set(notation.defined_families)


def is_count(symbol: sp.Basic, notation: Notation) -> bool:
    return symbol == notation.classes or (notation.examples is not None and symbol == notation.examples)


def is_real_variable(symbol: sp.Basic, notation: Notation) -> bool:
    """A scalar real variable (x, T, m, ε): a symbol that is not an index, not a count and
    not an abbreviation the notation defines."""
    return (
        isinstance(symbol, sp.Symbol)
        and symbol.is_integer is not True
        and not is_count(symbol, notation)
        and notation.definition_of(symbol) is None
    )


def free_indices(expr: sp.Basic, notation: Notation) -> dict[sp.Symbol, sp.Expr]:
    """The free indices of ``expr`` with the range each runs over (K, or N for the
    example slot of a two-index family). Refuses what has no meaning: a sum that does not
    run over a whole range, the count K used as an index, a δ between an example index and
    a class index."""
    ranges: dict[sp.Symbol, sp.Expr] = {}
    counts = {c for c in (notation.classes, notation.examples) if c is not None}

    def note(sym, upper):
        if sym in ranges and ranges[sym] != upper:
            raise VocabularyError(f"index {sym} is used both over 1..{ranges[sym]} and over 1..{upper}")
        ranges[sym] = upper

    def index_symbol(i, where):
        if isinstance(i, sp.Symbol) and i in counts:
            raise VocabularyError(f"{where}: {i} is a count, not an index (name a class by a letter)")

    def visit(e, bound_here: dict):
        if isinstance(e, sp.Indexed):
            if e.base not in _families(notation):
                raise VocabularyError(f"unknown family {e.base}")
            if notation.rule_of(e.base) is not None:
                # Defined labels bring the free indices of their rule (the true class c).
                bound, rule = notation.rule_of(e.base)
                if any(isinstance(x, sp.Indexed) and x.base == e.base for x in sp.preorder_traversal(rule)):
                    if e.base == notation.labels:
                        raise VocabularyError("the labels' rule refers to the labels themselves")
                    raise VocabularyError(f"the definition of {e.base} refers to {e.base} itself")
                if len(e.indices) != 1 and e.base != notation.labels:
                    raise VocabularyError(f"{e}: a family the document defines takes one index")
                visit(rule, {**bound_here, bound: notation.classes})
            idx = e.indices
            if len(idx) == 2:
                if notation.examples is None:
                    raise VocabularyError(f"{e} has two indices but the notation has no example count")
                slots = ((idx[0], notation.examples), (idx[1], notation.classes))
            elif len(idx) == 1:
                slots = ((idx[0], notation.classes),)
            else:
                raise VocabularyError(f"{e}: families take one or two indices")
            for i, upper in slots:
                index_symbol(i, e)
                if isinstance(i, sp.Symbol) and i not in bound_here:
                    note(i, upper)
                elif isinstance(i, sp.Symbol):
                    if bound_here[i] != upper:
                        raise VocabularyError(f"{e}: {i} runs over 1..{bound_here[i]} but this slot over 1..{upper}")
                elif i.is_Integer:
                    if not upper.is_Integer:
                        raise VocabularyError(f"{e}: a numbered entry needs a fixed count (1..{upper} is symbolic)")
                    if not 1 <= int(i) <= int(upper):
                        raise VocabularyError(f"{e}: index {i} lies outside 1..{upper}")
                else:
                    raise VocabularyError(f"{e}: an index must be a letter or a number")
            return
        if isinstance(e, sp.Sum):
            body, (k, lo, hi) = outermost(e)
            if lo != 1 or hi not in counts:
                raise VocabularyError(f"a sum over {k} from {lo} to {hi}: sums run over all of 1..{notation.classes}")
            index_symbol(k, "a sum")
            visit(body, {**bound_here, k: hi})
            return
        if isinstance(e, SumExcept):
            if e.upper not in counts:
                raise VocabularyError(
                    f"Σ_{{{e.bound}≠{e.excluded}}} up to {e.upper}: sums run over all of 1..{notation.classes}"
                )
            if e.bound == e.excluded or not isinstance(e.excluded, sp.Symbol):
                raise VocabularyError(f"Σ_{{{e.bound}≠{e.excluded}}}: leave out another index")
            index_symbol(e.excluded, "Σ_{k≠i}")
            if e.excluded not in bound_here:
                note(e.excluded, e.upper)
            visit(e.body, {**bound_here, e.bound: e.upper})
            return
        if isinstance(e, (sp.KroneckerDelta, Indicator)):
            for a in e.args:
                index_symbol(a, "δ")
            pairs.append((tuple(e.args), dict(bound_here)))
            return
        for a in e.args:
            visit(a, bound_here)

    pairs: list = []
    visit(as_expression(expr), {})
    for (a, b), bound in pairs:
        known = [bound.get(x, ranges.get(x)) for x in (a, b) if isinstance(x, sp.Symbol)]
        known = [r for r in known if r is not None]
        if len(set(known)) > 1:
            raise VocabularyError(
                f"δ_{{{a},{b}}} compares indices of different ranges (1..{known[0]} and 1..{known[1]})"
            )
        upper = known[0] if known else notation.classes
        for x in (a, b):
            if isinstance(x, sp.Symbol) and x not in bound:
                ranges.setdefault(x, upper)
    return ranges


def real_variables(expr: sp.Basic, notation: Notation) -> tuple[set[sp.Symbol], set[sp.Symbol]]:
    """The real scalar variables ``expr`` depends on (through the definitions it uses too),
    and those of them that occur inside an exponential (e^{x − m}, σ(x)): the witnesses give
    the latter by their exponential, so that everything stays rational."""
    found: set[sp.Symbol] = set()
    inside_exp: set[sp.Symbol] = set()
    seen_definitions: set[sp.Symbol] = set()

    def visit(e, in_exp):
        if isinstance(e, sp.Symbol):
            definition = notation.definition_of(e)
            if definition is not None:
                if (e, in_exp) not in seen_definitions:
                    seen_definitions.add((e, in_exp))
                    visit(definition, in_exp)
            elif is_real_variable(e, notation):
                found.add(e)
                if in_exp:
                    inside_exp.add(e)
            return
        if isinstance(e, sp.Indexed):
            if notation.rule_of(e.base) is not None:
                visit(notation.rule_of(e.base)[1], in_exp)
            if e.base == notation.softmax and notation.temperature is not None:
                visit(notation.temperature, True)
            return
        if isinstance(e, (sp.exp, Sigmoid)):
            for a in e.args:
                visit(a, True)
            return
        for a in e.args:
            visit(a, in_exp)

    visit(as_expression(expr), False)
    return found, inside_exp


def rename_bound(e: sp.Expr) -> sp.Expr:
    """Give every bound index a fresh name (so differentiating with respect to s_i cannot
    capture the i of Σ_i y_i log s_i: SymPy's diff would)."""
    if isinstance(e, sp.Sum):
        body, (k, lo, hi) = outermost(e)
        fresh = _fresh_index(k)
        return sp.Sum(rename_bound(body).xreplace({k: fresh}), (fresh, lo, hi))
    if isinstance(e, SumExcept):
        fresh = _fresh_index(e.bound)
        return SumExcept(rename_bound(e.body).xreplace({e.bound: fresh}), fresh, e.upper, e.excluded)
    if not e.args or isinstance(e, sp.Indexed):
        return e
    return e.func(*[rename_bound(a) for a in e.args])


def _positive_by_construction(e: sp.Basic, notation: Notation, positives: frozenset = frozenset()) -> bool:
    """Is ``e`` positive for every value of the logits and labels? Softmax outputs,
    exponentials and σ(u) are; labels (which may be 0) and logits (any real) are not.
    ``positives`` are the expressions cited hypotheses make positive (T, p, 1 − p)."""
    if e in positives:
        return True
    if e.is_Number:
        return bool(e > 0)
    if isinstance(e, DecimalNumber):
        return e.value > 0
    if isinstance(e, (sp.exp, Sigmoid)):
        return True
    if isinstance(e, sp.Indexed):
        if e.base in notation.defined_families:  # h_i := Σ_k e^{a_k}: positive if its rule is
            return _defined_positive(e.base, notation, positives)
        return e.base == notation.softmax
    if isinstance(e, sp.Symbol) and notation.definition_of(e) is not None:
        return _defined_positive(e, notation, positives)  # y := σ(z)
    if isinstance(e, sp.Symbol):
        return e.is_positive is True  # K, N
    if isinstance(e, SumExcept):
        # Σ_{k≠i} leaves nothing to add when the count is 1: an empty sum is 0, not positive.
        at_least_two = e.upper.is_Integer is True and int(e.upper) >= 2
        return at_least_two and _positive_by_construction(e.body, notation, positives)
    if isinstance(e, sp.Sum):
        return _positive_by_construction(e.function, notation, positives)
    if isinstance(e, (sp.Add, sp.Mul)):
        return all(_positive_by_construction(a, notation, positives) for a in e.args)
    if isinstance(e, sp.Pow):
        return e.exp.is_real is True and _positive_by_construction(e.base, notation, positives)
    return False


MAX_EXPANDED_TERMS = 2000


def _expanded_terms(e: sp.Basic) -> int:
    """An upper bound on the number of terms of ``sp.expand(e)``, computed without expanding."""
    if isinstance(e, sp.Add):
        return sum(_expanded_terms(a) for a in e.args)
    if isinstance(e, sp.Mul):
        total = 1
        for a in e.args:
            total = min(total * _expanded_terms(a), 10**9)
        return total
    if isinstance(e, sp.Pow) and e.exp.is_Integer and e.exp > 1:
        return min(math.comb(_expanded_terms(e.base) + int(e.exp) - 1, int(e.exp)), 10**9)
    return 1


@functools.lru_cache(maxsize=4096)
def _defined_positive(name: sp.Symbol | sp.IndexedBase, notation: Notation, positives: frozenset) -> bool:
    """Is a defined name (or a defined family's every entry) positive by its definition? Once
    per name: A_n := A_{n-1}² + A_{n-1} names A_{n-1} twice, and thirty such definitions would
    be 2³⁰ visits without the cache."""
    value = notation.rule_of(name)[1] if isinstance(name, sp.IndexedBase) else notation.definition_of(name)
    return _positive_by_construction(value, notation, positives)


def _made_positive(cited) -> frozenset:
    """The expressions that cited domain conditions make positive."""
    known = set()
    for h in cited:
        if h.kind == "positive":
            known.add(h.subjects[0])
        elif h.kind == "open_between":
            v, lo, hi = h.subjects
            if lo >= 0:
                known.add(v)
            if hi <= 1:
                known.add(1 - v)
    return frozenset(known)


_ALLOWED = (
    sp.Add, sp.Mul, sp.Pow, sp.Symbol, sp.Indexed, sp.IndexedBase, sp.Idx, sp.exp, sp.log, sp.Sum,
    sp.KroneckerDelta, sp.Tuple, SumExcept, Indicator, Partial, Sigmoid, DecimalNumber,
)  # fmt: skip


def check_vocabulary(expr: sp.Basic, notation: Notation) -> None:
    """Refuse, as bad input, anything the core has no meaning for: floating-point numbers
    (0.5 is not 1/2 to an exact check), functions outside the vocabulary (sin, Abs),
    non-numeric powers, division by zero, and symbols that were not declared."""
    pending = [as_expression(expr)]
    while pending:
        x = pending.pop()
        if isinstance(x, sp.Indexed):
            pending.extend(x.indices)  # the family's own name is not a symbol of the claim
            continue
        pending.extend(x.args)
        if x.is_Float:
            raise VocabularyError(f"{x}: write exact numbers (1/2, not 0.5)")
        if x in (sp.zoo, sp.oo, -sp.oo, sp.nan) or x.has(sp.zoo, sp.nan):
            raise VocabularyError("the expression divides by zero")
        if x.is_Number:
            if not x.is_Rational:
                raise VocabularyError(f"{x}: only rational numbers are part of the vocabulary")
            if max(abs(x.p), x.q).bit_length() > MAX_NUMBER_BITS:
                raise VocabularyError("a number too large (more than 10,000 binary digits)")
            continue
        if x.is_NumberSymbol or isinstance(x, sp.core.numbers.ImaginaryUnit):
            raise VocabularyError(
                f"{x}: constants other than rational numbers are not part of the vocabulary (write exp(1) as e^{{1}} via sympy.exp)"
            )
        if not isinstance(x, _ALLOWED):
            raise VocabularyError(f"{type(x).__name__}: not part of derive's vocabulary")
        if isinstance(x, Partial) and _contains_partial(x.expression):
            # refused here, before any witness runs, as the witnesses would refuse it: a step the
            # reader can list as not read, never an error that stops the file
            raise VocabularyError("a derivative of a derivative is not part of the vocabulary yet")
        if isinstance(x, Partial) and any(e.atoms(StandIn) for e in used_expressions(x, notation)):
            (found, *_) = sorted(set().union(*(e.atoms(StandIn) for e in used_expressions(x, notation))), key=str)
            raise VocabularyError(f"a derivative of {found}: derive does not differentiate it (it stands for a number)")
        if isinstance(x, Partial) and _is_softmax_entry(x.variable, notation):
            _written_in_outputs(_expand_names(x.expression, notation, keep_softmax=True), x.variable, notation)
        if isinstance(x, Partial) and _is_dependent(x.variable, notation):
            kept = frozenset({x.variable})
            _written_in_dependent(_expand_names(x.expression, notation, False, kept), x.variable, notation)
        if isinstance(x, sp.Pow) and not x.exp.is_Rational:
            raise VocabularyError(f"{x}: powers must be rational numbers (use exp for exponentials)")
        if isinstance(x, sp.Pow) and abs(x.exp) > MAX_POWER:
            raise VocabularyError(f"a power of {x.exp}: derive reads powers up to {MAX_POWER}")
        if isinstance(x, sp.exp) and _expanded_terms(x.args[0]) > MAX_EXPANDED_TERMS:
            # e^{(a+b+c+u+v+w)^{40}}: expanding the exponent would take hours, here where no
            # time limit runs
            raise VocabularyError(f"e^({x.args[0]}): an exponent too large to write out")
        if isinstance(x, sp.exp) and any(
            abs(term.as_coeff_Mul()[0]) > MAX_EXPONENT for term in sp.Add.make_args(sp.expand(x.args[0]))
        ):
            raise VocabularyError(
                f"e^({x.args[0]}): a coefficient above {MAX_EXPONENT} in an exponent is a number too large or too small"
            )
        if isinstance(x, sp.Pow) and x.base.is_Rational and x.base != 0:
            size = max(abs(x.base.p), x.base.q, 2).bit_length()
            if size * abs(x.exp) > MAX_NUMBER_BITS:
                raise VocabularyError("a number too large (more than 10,000 binary digits)")

        if (
            isinstance(x, sp.Symbol)
            and x.is_integer is not True
            and x.is_real is not True
            and notation.definition_of(x) is None
            and not is_count(x, notation)
        ):
            raise VocabularyError(f"unknown symbol {x}: declare it with scalar({x.name!r}) or index({x.name!r})")


class _PlainPrinter(StrPrinter):
    """δ_ij and Σ_{k=1}^{K} in a one-line message, not KroneckerDelta(i, j) and Sum(...)."""

    def _print_KroneckerDelta(self, e):
        return f"δ_{{{self._print(e.args[0])},{self._print(e.args[1])}}}"

    def _print_Sum(self, e):
        (k, lower, upper), *_ = e.limits
        return f"Σ_{{{self._print(k)}={self._print(lower)}}}^{{{self._print(upper)}}} ({self._print(e.function)})"


def plain(expr: sp.Expr) -> str:
    """One line of text for a message: s_i, δ_{i,j}, Σ_{k=1}^{K} (...)."""
    # s_i, not s[i] (an Indexed prints itself, before any printer's rule)
    entries = {
        x: sp.Symbol(
            f"{x.base.label}_"
            + (str(x.indices[0]) if len(x.indices) == 1 else "{" + ",".join(map(str, x.indices)) + "}")
        )
        for x in expr.atoms(sp.Indexed)
    }
    return _PlainPrinter().doprint(expr.xreplace(entries))


MAX_NUMBER_BITS = 10_000
MAX_POWER = 1000
MAX_EXPONENT = 5000  # e^{5000} ≈ 2^{7213}: within what the referee's intervals can separate


def _vanishes_somewhere(e: sp.Basic, cited) -> bool:
    """δ_ij (or 1{i=j}) alone or as a factor, zero whenever i ≠ j, unless i = j is cited."""
    equal = {frozenset(h.subjects) for h in cited if h.kind == "same"}
    return any(
        isinstance(f, (sp.KroneckerDelta, Indicator)) and frozenset(f.args) not in equal and f.args[0] != f.args[1]
        for f in sp.Mul.make_args(e)
    )


def check_domain(expr: sp.Basic, notation: Notation, cited=()) -> None:
    """Logarithms are taken of positive quantities only: log y_k is undefined at y_k = 0,
    and a verdict on it would be a verdict on nothing. A quantity is positive by
    construction (softmax outputs, exponentials, σ, their sums, products and quotients:
    1 − σ(x) = e^{−x}/(1 + e^{−x}) counts once written over one denominator) or by a cited
    domain condition (T > 0, 0 < p < 1)."""
    positives = _made_positive(cited)
    for x in with_definitions(expr, notation):
        if (
            isinstance(x, sp.Pow)
            and x.exp.is_Rational
            and x.exp.q % 2 == 0
            and not _positive_log_argument(x.base, notation, positives)
        ):
            raise VocabularyError(
                f"({plain(x.base)})^{x.exp}: an even root of a quantity derive does not know to be positive "
                "(an odd root such as ^(1/3) follows the real branch)"
            )
        if isinstance(x, sp.Pow) and x.exp.is_negative and _vanishes_somewhere(x.base, cited):
            raise VocabularyError(f"{plain(x.base)} in a denominator: it is 0 for some index values (cite the case)")
        if isinstance(x, sp.log) and not _positive_log_argument(x.args[0], notation, positives):
            empty = " (Σ_{k≠i} is empty, so 0, when K = 1)" if x.args[0].has(SumExcept) else ""
            raise VocabularyError(
                f"log({plain(x.args[0])}): derive takes logarithms of positive quantities only "
                "(softmax outputs, exponentials, σ, their sums and products, or a variable a cited "
                f"condition such as 0 < p < 1 makes positive){empty}"
            )


def logarithm_domain(expr: sp.Basic, notation: Notation, cited=()) -> tuple[tuple[object, str], ...]:
    """Where ``expr`` is defined, for the real variables whose logarithm it takes (here or in a
    definition it uses) and that no cited condition bounds: x > 0 where it takes log x alone,
    0 < x < 1 where it takes log x and log(1 − x), each with the logarithms that say so. A
    reader reads a step whose left side is such an expression (d/dx log x = 1/x) on that
    domain and says so; the right side alone never narrows a step to its domain (log x² =
    2 log x is defined on the left where the right is not, and stays refused)."""
    from .hypotheses import open_between, positive

    bounded = {h.subjects[0] for h in cited if h.is_domain}
    arguments = {x.args[0] for x in with_definitions(expr, notation) if isinstance(x, sp.log)}
    found = []
    for x in sorted(arguments, key=sp.default_sort_key):
        if not is_real_variable(x, notation) or x in bounded:
            continue
        if 1 - x in arguments:
            found.append(
                (open_between(x, 0, 1), f"for 0 < {x} < 1, where log {x} and log(1 − {x}) on the left are defined")
            )
        else:
            found.append((positive(x), f"for {x} > 0, where log {x} on the left is defined"))
    return tuple(found)


def used_expressions(expr: sp.Basic, notation: Notation):
    """``expr``, then every definition or rule it uses (a loss, defined labels, a defined
    family), directly or through another, each once."""
    pending, seen = [as_expression(expr)], set()
    while pending:
        e = pending.pop()
        yield e
        for x in sp.preorder_traversal(e):
            if isinstance(x, sp.Symbol) and x not in seen and notation.definition_of(x) is not None:
                seen.add(x)
                pending.append(notation.definition_of(x))
            if isinstance(x, sp.Indexed) and notation.rule_of(x.base) is not None and x.base not in seen:
                seen.add(x.base)
                pending.append(notation.rule_of(x.base)[1])


def with_definitions(expr: sp.Basic, notation: Notation):
    """Every subexpression of ``expr`` and of the definitions it uses (a loss, defined labels)."""
    for e in used_expressions(expr, notation):
        yield from sp.preorder_traversal(e)


def _positive_log_argument(argument, notation: Notation, positives: frozenset) -> bool:
    if _positive_by_construction(argument, notation, positives):
        return True
    if argument.has(DecimalNumber) and not argument.free_symbols:
        return _positive_number(argument, notation)
    if any(isinstance(x, (sp.Sum, SumExcept, Partial)) for x in sp.preorder_traversal(argument)):
        return False
    defined = [x for x in argument.free_symbols if notation.definition_of(x) is not None]
    if defined and not any(
        isinstance(x, sp.Symbol) and notation.definition_of(x) is not None
        for name in defined
        for x in notation.definition_of(name).free_symbols
    ):
        # 1 − y with y := σ(z): one level of names only (a name defined by names defined by
        # names could be written out exponentially large here, where no time limit runs)
        argument = _expand_names(argument, notation, keep_softmax=True)
        if any(isinstance(x, (sp.Sum, SumExcept)) for x in sp.preorder_traversal(argument)):
            return False
    expanded = argument.replace(Sigmoid, lambda u: 1 / (1 + sp.exp(-u)))
    if sp.count_ops(expanded) > 60 or any(
        isinstance(x, sp.Pow) and abs(x.exp) > 12 for x in sp.preorder_traversal(expanded)
    ):
        # Too large to put over one denominator here, where no time limit runs: (x² + 1)^3000
        # took half a minute. Refused as not known to be positive, which is what it is here.
        return False
    numerator, denominator = sp.fraction(sp.cancel(sp.together(expanded)))
    return all(_positive_by_construction(part, notation, positives) for part in (numerator, denominator))


def _positive_number(argument: sp.Expr, notation: Notation) -> bool:
    """A number of a worked example (log(1 − 0.3)): positive when the referee's rigorous
    interval for it lies above 0 (or its exact value does)."""
    from .referee import Irrational, Point, Referee

    if any(
        isinstance(x, (sp.exp, Sigmoid)) and x.args[0].has(sp.exp, Sigmoid) for x in sp.preorder_traversal(argument)
    ):
        # e^{e^{e^{10}}} has more digits than any interval here could hold, and this runs in
        # the caller's process, where no time limit stops it: not known to be positive.
        return False
    point = Point(int(notation.classes) if notation.concrete else 1, None, (), (), ())
    try:
        try:
            return Referee(notation, point, "exact").value(argument) > 0
        except Irrational:
            value = Referee(notation, point, "interval", 300).value(argument)
            return bool(value.a > 0)
    except (ZeroDivisionError, ValueError):
        return False


def _expand_names(expr: sp.Expr, notation: Notation, keep_softmax: bool, keep: frozenset = frozenset()) -> sp.Expr:
    """Replace defined symbols by their definitions (but those in ``keep``), the softmax
    family by e^{z}/Σ e^{z} (unless ``keep_softmax``), SumExcept by a full sum less one term,
    and 1{a=b} by δ_ab. Every bound index that comes in through a definition is renamed
    afresh, so it cannot capture an index of the surrounding expression."""

    T = notation.temperature if notation.temperature is not None else sp.Integer(1)

    def softmax_entry(e: sp.Indexed) -> sp.Expr:
        d = _fresh_index(sp.Symbol("k"))
        z = notation.logits
        if len(e.indices) == 2:
            n, i = e.indices
            return sp.exp(z[n, i] / T) / sp.Sum(sp.exp(z[n, d] / T), (d, 1, notation.classes))
        (i,) = e.indices
        return sp.exp(z[i] / T) / sp.Sum(sp.exp(z[d] / T), (d, 1, notation.classes))

    def defined_entry(e: sp.Indexed) -> sp.Expr:
        """A label by its rule, or an entry of a family the document defines (ℓ_k)."""
        bound, rule = notation.rule_of(e.base)
        return rename_bound(rule).xreplace({bound: e.indices[-1]})

    def visit(e):
        if isinstance(e, sp.Symbol):
            d = notation.definition_of(e)
            if d is not None and e not in keep:
                return visit(rename_bound(d))
            return e
        if isinstance(e, sp.Indexed):
            if e.base == notation.softmax and not keep_softmax:
                return softmax_entry(e)
            if notation.rule_of(e.base) is not None:
                return visit(defined_entry(e))
            return e
        if isinstance(e, SumExcept):
            fresh = _fresh_index(e.bound)
            # Inner sums get fresh bound names first, so that putting the excluded index in
            # cannot capture one of them.
            body = rename_bound(visit(e.body)).xreplace({e.bound: fresh})
            return sp.Sum(body, (fresh, 1, e.upper)) - body.xreplace({fresh: e.excluded})
        if isinstance(e, Indicator):
            return sp.KroneckerDelta(*e.args)
        if isinstance(e, Sigmoid):
            return 1 / (1 + sp.exp(-visit(e.args[0])))
        if isinstance(e, Partial):
            raise AssertionError("partials are resolved before names are expanded")
        if not e.args:
            return e
        return e.func(*[visit(a) for a in e.args])

    return visit(expr)


def _is_dependent(variable: sp.Basic, notation: Notation) -> bool:
    """A name the notation defines (y := σ(z), the loss L) as the variable of ∂/∂y."""
    return isinstance(variable, sp.Symbol) and notation.definition_of(variable) is not None


def _written_in_dependent(inner: sp.Expr, variable: sp.Symbol, notation: Notation) -> None:
    """∂/∂y for y := σ(z) takes y as the variable, as ∂/∂s_j takes the softmax outputs: a
    meaning only for an expression written in y and not in what y is made of (z here).
    ∂(y + z)/∂y would be 1 holding z fixed, which y = σ(z) does not allow."""
    made_of = _expand_names(notation.definition_of(variable), notation, keep_softmax=False)
    symbols = {x for x in made_of.free_symbols if is_real_variable(x, notation)}
    bases = {x.base for x in sp.preorder_traversal(made_of) if isinstance(x, sp.Indexed)}
    if notation.logits in bases:
        bases.add(notation.softmax)  # the outputs are the logits too
    for x in sp.preorder_traversal(inner):
        if x in symbols or (isinstance(x, sp.Indexed) and x.base in bases):
            raise VocabularyError(
                f"∂/∂{variable}: {variable} is defined in terms of {x if x in symbols else x.base}, and this "
                f"expression involves {x if x in symbols else x.base} too: a derivative with respect to "
                f"{variable} is defined only for an expression written in {variable} and not in what it is made of"
            )


def _check_variable(variable: sp.Basic, notation: Notation) -> None:
    if isinstance(variable, sp.Indexed) and variable.base in _families(notation):
        if variable.base == notation.labels and notation.label_rule is not None:
            raise VocabularyError(f"∂/∂{variable}: the labels are defined by a rule, not variables")
        if variable.base in notation.defined_families:
            raise VocabularyError(f"∂/∂{variable}: {variable.base} is defined by the document, not a variable")
        return
    if variable == notation.temperature:
        raise VocabularyError(f"∂/∂{variable}: the temperature is not a variable of differentiation in derive yet")
    if _is_dependent(variable, notation):
        return
    if is_real_variable(variable, notation):
        return
    raise VocabularyError(f"∂/∂{variable}: differentiate with respect to a real variable or one entry of a family")


def _is_softmax_entry(variable: sp.Basic, notation: Notation) -> bool:
    return isinstance(variable, sp.Indexed) and variable.base == notation.softmax


def _written_in_outputs(inner: sp.Expr, variable: sp.Basic, notation: Notation) -> None:
    """∂/∂s_j takes the softmax outputs as the variables, which is a meaning only for an
    expression written in them: the same function written in z would get the derivative 0
    while written in s it does not, and the two verdicts would contradict each other."""
    if any(isinstance(x, sp.Indexed) and x.base == notation.logits for x in sp.preorder_traversal(inner)):
        raise VocabularyError(
            f"∂/∂{variable}: a derivative with respect to the softmax outputs is defined only for an "
            f"expression written in them, and this one involves the logits {notation.logits}"
        )


def _contains_partial(e: sp.Basic) -> bool:
    return any(isinstance(x, Partial) for x in sp.preorder_traversal(e))


def symbolic_value(expr: sp.Expr, notation: Notation) -> sp.Expr:
    """``expr`` in terms of logits and labels, K symbolic, sums kept as sums."""

    def resolve(e):
        if isinstance(e, Partial):
            if _contains_partial(e.expression):
                raise VocabularyError("a derivative of a derivative is not part of the vocabulary yet")
            _check_variable(e.variable, notation)
            keep = _is_softmax_entry(e.variable, notation)
            dependent = frozenset({e.variable}) if _is_dependent(e.variable, notation) else frozenset()
            inner = _expand_names(rename_bound(e.expression), notation, keep_softmax=keep, keep=dependent)
            if keep:
                _written_in_outputs(inner, e.variable, notation)
            if dependent:
                _written_in_dependent(inner, e.variable, notation)
            derivative = sp.diff(inner, e.variable)
            return _expand_names(derivative, notation, keep_softmax=False)
        if not e.args or isinstance(e, sp.Indexed):
            return e
        return e.func(*[resolve(a) for a in e.args])

    return _expand_names(resolve(as_expression(expr)), notation, keep_softmax=False)


def _unroll(e: sp.Expr) -> sp.Expr:
    """Write every sum with concrete limits out term by term."""
    if isinstance(e, sp.Sum):
        inner, (k, lo, hi) = outermost(e)
        if not (lo.is_Integer and hi.is_Integer):
            raise VocabularyError(f"cannot write out a sum from {lo} to {hi}")
        body = _unroll(inner)
        return sp.Add(*[body.xreplace({k: sp.Integer(v)}) for v in range(int(lo), int(hi) + 1)])
    if not e.args or isinstance(e, sp.Indexed):
        return e
    return e.func(*[_unroll(a) for a in e.args])


def concrete_value(
    expr: sp.Expr,
    notation: Notation,
    values: dict[sp.Symbol, int],
) -> sp.Expr:
    """``expr`` for one concrete K (and N) and concrete index values, every sum written
    out, every derivative taken of an explicit finite expression. ``values`` maps the class
    count symbol, the example count symbol and the free indices to integers."""
    concrete = {sym: sp.Integer(v) for sym, v in values.items()}
    fixed = notation
    for count in (notation.classes, notation.examples):
        if count is not None and count in concrete:
            fixed = fixed.replace_count(count, values[count])
    # The free indices may occur in definitions too (the true class c of defined labels).
    rule = fixed.label_rule
    fixed = replace(
        fixed,
        definitions=tuple((name, d.subs(concrete)) for name, d in fixed.definitions),
        # The rule's own bound letter is not the free index of the same name.
        label_rule=(rule[0], rule[1].subs({k: v for k, v in concrete.items() if k != rule[0]}))
        if rule is not None
        else None,
        family_definitions=tuple(
            (family, bound, value.subs({k: v for k, v in concrete.items() if k != bound}))
            for family, bound, value in fixed.family_definitions
        ),
    )
    e = as_expression(expr).subs(concrete)

    def resolve(x):
        if isinstance(x, Partial):
            if _contains_partial(x.expression):
                raise VocabularyError("a derivative of a derivative is not part of the vocabulary yet")
            _check_variable(x.variable, fixed)
            keep = _is_softmax_entry(x.variable, fixed)
            dependent = frozenset({x.variable}) if _is_dependent(x.variable, fixed) else frozenset()
            inner = _unroll(_expand_names(x.expression, fixed, keep_softmax=keep, keep=dependent))
            if keep:
                _written_in_outputs(inner, x.variable, fixed)
            if dependent:
                _written_in_dependent(inner, x.variable, fixed)
            return _unroll(_expand_names(sp.diff(inner, x.variable), fixed, keep_softmax=False))
        if not x.args or isinstance(x, sp.Indexed):
            return x
        return x.func(*[resolve(a) for a in x.args])

    return _unroll(_expand_names(resolve(e), fixed, keep_softmax=False))
