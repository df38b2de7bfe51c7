r"""One block of display math -> chains of expressions in the core's vocabulary.

The text is scanned (:mod:`derive.read.latex_tokens`), parsed by a Lark LALR grammar
(:mod:`derive.read.grammar`) and the parse tree is turned into SymPy nodes built one by one
here: nothing is ever handed to ``eval``, ``sympify`` or ``parse_expr``. What a letter means
comes from the :class:`Letters` the file's header declares; a letter used as an index (in a
subscript, a sum's bound variable, δ_{ij}, 1{i=j}) is always ``derive.core.index(letter)``.

>>> import sympy as sp
>>> from derive.core import Partial, index, softmax_notation
>>> nt = softmax_notation()
>>> letters = Letters(nt, {"s": nt.softmax, "z": nt.logits, "y": nt.labels}, {}, frozenset("K"),
...                   frozenset(), {"L": sp.Symbol("L")}, {})
>>> (statement,) = read_block(r"\frac{\partial s_i}{\partial z_j} &= -s_i s_j \\ &= -s_j s_i % symmetric", letters)
>>> [str(link.expr) for link in statement.links]
['∂(s[i])/∂z[j]', '-s[i]*s[j]', '-s[i]*s[j]']
>>> statement.links[2].line, statement.links[2].column, statement.links[2].comment
(1, 53, 'symmetric')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp
from lark import Token, Tree
from lark.exceptions import UnexpectedInput, UnexpectedToken
from sympy.matrices.exceptions import NonSquareMatrixError, ShapeError

from derive.core import Indicator, Notation, Partial, SumExcept, index, sigmoid
from derive.core.semantics import plain
from derive.core.vocabulary import StandIn, decimal

from .as_written import latex_as_written, unicode_of
from .grammar import PARSER
from .latex_tokens import ARROWS, MathSyntaxError, Words, scan

__all__ = ["Letters", "Link", "MathSyntaxError", "NotEquality", "Statement", "read_block", "read_expression"]

MAX_DEPTH = 400  # levels of the parse tree (sums and ∂ chains nest without braces)
MAX_BITS = 4096  # size of an exact number a power may produce


@dataclass(frozen=True)
class Letters:
    """What the header of a user's file declares."""

    notation: Notation
    families: dict  # LaTeX base as written -> sympy.IndexedBase
    aliases: dict  # (base, letter of the subscript) -> family: \sigma_{v_j} means s_j
    class_counts: frozenset  # letters for the class count in an upper limit or after \in
    example_counts: frozenset
    defined: dict  # LaTeX -> Symbol with a definition in notation.definitions
    scalars: dict  # LaTeX -> real scalar Symbol
    sigmoid_name: str | None = r"\sigma"
    # A defined name declared in call form (``loss: J(\theta) = ...``) -> its argument as written:
    # J(\theta) is J, and J'(\theta) its derivative in that argument.
    calls: dict = field(default_factory=dict)

    def count_names(self) -> set[str]:
        """Every name of the class count and the example count, as written."""
        counts = {str(self.notation.classes), *self.class_counts, *self.example_counts}
        if self.notation.examples is not None:
            counts.add(str(self.notation.examples))
        return counts

    def words(self) -> Words:
        """What a run of letters may spell here (for the scanner): the multi-letter names the
        notation declares, and the single letters that are symbols on their own."""
        names = {name for name in self.defined if re.fullmatch(r"[A-Za-z]{2,}", name)} | {"softmax"}
        bases = {n.split("_{")[0] for n in (*self.families, *self.defined, *self.scalars, *self.count_names())}
        single = {n for n in bases if re.fullmatch("[A-Za-z]", n)}
        return Words(frozenset(names), frozenset(single))


@dataclass(frozen=True)
class Link:
    """One expression of a chain, where it starts in the block, and its line's % comment."""

    expr: object
    line: int
    column: int
    comment: str | None
    # as the author wrote it (derive.read.as_written): LaTeX and Unicode, or None
    source: str | None = None
    shown: str | None = None
    # what the link divides by and takes logarithms of, as written (before SymPy cancelled any)
    guards: tuple = ()


@dataclass(frozen=True)
class Unreadable:
    """An equation of a block that does not read, where and why (the block's others do)."""

    line: int
    column: int
    message: str


@dataclass(frozen=True)
class Statement:
    """A = B = C. A first link None means the block began with '=': it continues the last one.
    ``notes``: the readings that involved a choice ("read as ..."), shown with every step of it."""

    links: tuple
    notes: tuple = ()
    # per link (0: the first expression), the cases written in the equation itself after it:
    # "i = j" for "\\text{if } i = j"
    conditions: tuple = ()


@dataclass(frozen=True)
class NotEquality:
    """A relation that is not an equality (≈, ≤, ∝): not checked, and reported as such."""

    relation: str
    line: int
    column: int


_SEPARATORS = {"\\\\", "\\text", "\\quad", *(f"\\{name}" for name in ARROWS)}


def read_block(
    text: str, letters: Letters, macros: dict | None = None, split_unread: bool = True
) -> tuple[Statement, ...]:
    """The statements of one display-math block, in order (``macros``: the document's own).
    ``split_unread``: the links of a chain that do not touch an expression that does not read
    are still read (see _readable_pieces); not under the summation convention, where what a
    link sums over depends on the chain's first expression."""
    found = scan(text, macros, letters.words())
    tree = _parse(found.tokens, "start")
    reader = _Reader(letters, found.text)
    for letter, count, line, column in found.ranges:  # "\text{for } c = 1, \dots, C"
        if reader.declared(letter):
            raise MathSyntaxError(line, column, f"for {letter} = 1, ..., {count}: {letter} is declared, not an index")
        if count not in letters.class_counts and count != str(letters.notation.classes):
            raise MathSyntaxError(
                line,
                column,
                f"for {letter} = 1, ..., {count}: {count} is not the class count (declared: {reader.count_names()})",
            )
    statements = []
    for part in tree.children:
        if isinstance(part, Token):
            if part.value not in _SEPARATORS:  # \approx, \le, <: a relation that is not an equality
                statements.append(NotEquality(part.value, part.line, part.column))
            continue  # an arrow between statements, or a new equation on the next row
        reader = _Reader(letters, found.text)  # fresh: nothing of an equation that failed carries over
        try:
            links = _links(part, reader, found)
        except MathSyntaxError as error:
            # One equation of the block that does not read (a new left-hand side starts each):
            # it alone is not read; the block's other equations are.
            if len(tree.children) == 1:
                raise
            statements.append(Unreadable(error.line, error.column, error.message))
            continue
        if links and links != [None]:
            lines = range(part.meta.line, part.meta.end_line + 1) if not part.meta.empty else ()
            conditions = _link_conditions(part, tree.children, found.conditions, len(links))
            notes = [*found.notes, *reader.notes]
            notes += [
                f"for {letter} = 1, ..., {count} as the range of {letter} (derive reads every index over 1..{count})"
                for letter, count, line, _ in found.ranges
                if line in lines
            ]
            pieces = _readable_pieces(links, conditions)
            if not split_unread and any(isinstance(piece, Unreadable) for piece in pieces):
                pieces = [next(piece for piece in pieces if isinstance(piece, Unreadable))]
            if len(tree.children) == 1 and all(isinstance(piece, Unreadable) for piece in pieces):
                first = pieces[0]  # nothing of the block reads: the block does not
                raise MathSyntaxError(first.line, first.column, first.message)
            for piece in pieces:
                if isinstance(piece, Unreadable):
                    statements.append(piece)
                else:
                    piece_links, piece_conditions = piece
                    statements.append(Statement(piece_links, tuple(dict.fromkeys(notes)), piece_conditions))
    return tuple(statements)


_INVISIBLE = "{ } groups nothing on the page where the grouping matters here: write ( ) or drop them"


def _sole_item(expr: Tree):
    """The one factor or sum an expression is made of (no sign, nothing multiplying it), or None."""
    if len(expr.children) != 1 or len(expr.children[0].children) != 1:
        return None
    term = expr.children[0].children[0]
    if isinstance(term, Tree) and term.data == "term" and len(term.children) == 1:
        return term.children[0]
    return None


def _a_number(item, braced, scripted: bool = False) -> bool:
    """A factor that is a number written alone, or inside TeX's braces ({3}); ``scripted``: a
    script after it is allowed ({3}^2 and 3^2 still begin with the digit 3 on the page)."""
    if not (isinstance(item, Tree) and item.data == "factor" and (scripted or len(item.children) == 1)):
        return False
    primary = item.children[0]
    if isinstance(primary, Tree) and primary.data == "paren" and braced(primary):
        inner = _sole_item(primary.children[0])
        return inner is not None and _a_number(inner, braced, scripted)
    return isinstance(primary, Tree) and primary.data in ("number", "decimal")


def _number_fraction(item) -> bool:
    """\\frac{1}{2} of two numbers: after a number the page shows a mixed number, 1½."""
    if not (isinstance(item, Tree) and item.data == "factor" and isinstance(item.children[0], Tree)):
        return False
    primary = item.children[0]
    if primary.data != "frac":
        return False
    parts = [_sole_item(c) for c in primary.children if isinstance(c, Tree)]
    return all(part is not None and _a_number(part, lambda _: False, scripted=True) for part in parts)


def _single_item(expr: Tree) -> bool:
    """One factor or one sum, with no sign and nothing multiplying it."""
    return _sole_item(expr) is not None


def _one_term(expr: Tree, braced) -> bool:
    """Is the expression one term with no sign (a product at most), braces inside braces
    looked through?"""
    if not (len(expr.children) == 1 and len(expr.children[0].children) == 1):
        return False
    factor = _sole_item(expr)
    if isinstance(factor, Tree) and factor.data == "factor" and len(factor.children) == 1:
        primary = factor.children[0]
        if isinstance(primary, Tree) and primary.data == "paren" and braced(primary):
            return _one_term(primary.children[0], braced)
    return True


def _one_factor(expr: Tree, braced) -> bool:
    """Is the expression one factor with no sign (s_i, \\hat{y}_o, e^{z}), so that braces
    around it change nothing? Not a sum (the braces end its body: {\\sum_k s_k} y_k), not an
    operator applied to a factor ({\\frac{\\partial}{\\partial z} s_i} s_j), and braces inside
    braces are looked through ({{s_i + s_j}}). ``braced``: was a group written with { }?"""
    factor = _sole_item(expr)
    if factor is None:
        return False
    if not (isinstance(factor, Tree) and factor.data == "factor" and isinstance(factor.children[0], Tree)):
        return isinstance(factor, Tree) and factor.data == "factor"
    primary = factor.children[0]
    if primary.data == "partial_apply":
        return False
    if primary.data == "paren" and braced(primary):
        return _one_factor(primary.children[0], braced)
    return True


def bound_indices(expr) -> set:
    """The indices the sums inside ``expr`` bind."""
    bound = set()
    for x in sp.preorder_traversal(expr):
        if isinstance(x, sp.Sum):
            bound |= {limit[0] for limit in x.limits}
        elif isinstance(x, SumExcept):
            bound.add(x.bound)
    return bound


def _readable_pieces(links: list, conditions: tuple) -> list:
    """A chain A = B = C = D whose expression B does not read: B is reported (Unreadable), and
    the links that do not touch it are still steps, as chains of their own (C = D). Each piece
    is (links, their conditions); a piece of one expression states nothing and is dropped."""
    if not any(isinstance(link, _UnreadLink) for link in links):
        return [(tuple(links), conditions)]
    pieces: list = []
    start = 0
    for n, link in enumerate([*links, None]):
        if n < len(links) and not isinstance(link, _UnreadLink):
            continue
        if n - start >= 2:
            piece_conditions = conditions[start:n] if conditions else ()
            pieces.append((tuple(links[start:n]), tuple(piece_conditions)))
        if n < len(links):
            pieces.append(Unreadable(link.line, link.column, link.message))
        start = n + 1
    return pieces


@dataclass(frozen=True)
class _UnreadLink:
    """An expression of a chain that does not read (see _readable_pieces)."""

    line: int
    column: int
    message: str


def _links(part: Tree, reader: _Reader, found) -> list:
    """The links of one statement (a first None: it begins with '=')."""
    links: list = []
    for child in part.children:
        if isinstance(child, Token):  # '='
            if not links:
                links.append(None)
            continue
        noted = len(reader.notes)
        reader.guards = []
        try:
            reader.link = part  # the whole statement: an index free in another link is not summed
            expr = reader.expression(child.children[0])
        except (ShapeError, NonSquareMatrixError) as error:  # whatever the checks above missed
            error = _fail(child, f"an ill-formed matrix expression ({error})")
            links.append(_UnreadLink(error.line, error.column, error.message))
            continue
        except MathSyntaxError as error:
            del reader.notes[noted:]  # what was read of it is not a reading of any step
            links.append(_UnreadLink(error.line, error.column, error.message))
            reader.bound.clear()
            continue
        line, column = child.meta.line, child.meta.column
        comment = found.comments.get(line)
        if comment is None:
            comment = next(
                (found.comments[n] for n in range(line + 1, child.meta.end_line + 1) if n in found.comments), None
            )
        links.append(Link(expr, line, column, comment, *_as_written(child, found), tuple(reader.guards)))
    return links


def _as_written(link: Tree, found) -> tuple[str | None, str | None]:
    if link.meta.empty:
        return None, None
    source = latex_as_written(found.original, found.origin, link.meta.start_pos, link.meta.end_pos, found.macro_names)
    return source, unicode_of(link, found.text)


def _link_conditions(part, parts, conditions: dict, count: int) -> tuple:
    """For each link of a statement (0: its first expression), the conditions written in the
    equation that belong to it: a condition belongs to the link it stands after, one written
    before the first relation to every link of the statement (unless a \\quad separates the
    statement from another on its row: then to none), and only within its own statement."""
    at = next(n for n, p in enumerate(parts) if p is part)
    start = parts[at - 1].end_pos if at > 0 and isinstance(parts[at - 1], Token) else 0
    following = at + 1
    while (
        following + 1 < len(parts)
        and isinstance(parts[following], Token)
        and parts[following].value in ("\\quad", "\\qquad")
        and not isinstance(parts[following + 1], Token)
        and not parts[following + 1].children
    ):
        following += 2  # "A = B \quad \text{if } i = j": the space before the condition ends nothing
    after = parts[following] if following < len(parts) else None
    end = after.start_pos if isinstance(after, Token) else float("inf")
    relations = [c.start_pos for c in part.children if isinstance(c, Token)]
    found: list[list[str]] = [[] for _ in range(count)]
    for position, said in sorted(conditions.items()):
        if start <= position < end and count > 1:
            if relations and position < relations[0]:
                if at > 0 and isinstance(parts[at - 1], Token) and parts[at - 1].value in ("\\quad", "\\qquad"):
                    # "A = B \quad \text{if } i = j, \; C = D": A = B's condition or C = D's?
                    # Neither gets it (each is checked without a case: never more leniently)
                    continue
                # "\text{If } i = j, A &= B \\ &= C": written before the equation, it heads the
                # whole chain, every row of it
                for link in range(1, count):
                    found[link].append(said)
                continue
            link = max(1, min(count - 1, sum(1 for r in relations if r <= position)))
            found[link].append(said)
    return tuple(tuple(dict.fromkeys(c)) for c in found)


def read_expression(text: str, letters: Letters, macros: dict | None = None) -> object:
    """One expression (no '=')."""
    found = scan(text, macros, letters.words())
    tree = _parse(found.tokens, "expression")
    reader = _Reader(letters, found.text)
    reader.link = tree
    value = reader.expression(tree.children[0])
    written = next((t for t in found.tokens if t.type == "DECIMAL"), None)
    if written is not None and value.free_symbols:
        # A decimal is checked only in a claim with no variable (a worked example, which the
        # core decides); in a definition or a formula it stays bad input, here with its place.
        raise MathSyntaxError(
            written.line, written.column, f"decimal number {written.value}: write exact numbers (1/2, not 0.5)"
        )
    return value


# -- parsing -----------------------------------------------------------------------------

_STARTS_EXPRESSION = {
    *("LETTER", "SYMBOL", "INT", "BBONE", "FRAC", "FUNC", "SUM", "_LPAR", "BEGIN_CASES", "NAME", "NABLA")
}
_SHOWN = {
    "_RBRACE": "'}'",
    "_LBRACE": "'{'",
    "_RPAR": "')'",
    "_RBRACK": "']'",
    "_RSET": "'\\}'",
    "EQ": "'='",
    "NEQ": "'\\neq'",
    "IN": "'\\in'",
    "COMMA": "','",
    "_AMP": "'&'",
    "_BREAK": "'\\\\'",
    "PARTIAL": "'\\partial'",
    "LETTER": "a letter",
    "INT": "a number",
    "DECIMAL": "a number",
    "END_CASES": "\\end{cases}",
    "END_MATRIX": "the end of the matrix",
}


def _parse(tokens: list[Token], start: str) -> Tree:
    try:
        tree = PARSER.parse(tokens, start=start)
    except UnexpectedToken as error:
        token = error.token
        expected = set(error.expected)
        if expected & _STARTS_EXPRESSION:
            wanted = "expected an expression"
        else:
            names = sorted({_SHOWN.get(name, name.lower().strip("_")) for name in expected})
            wanted = "expected " + " or ".join(names[:4])
        if token.type == "$END":
            last = tokens[-1] if tokens else None
            line, column = (last.end_line, last.end_column) if last else (1, 1)
            raise MathSyntaxError(line, column, f"unexpected end of the math ({wanted})") from None
        raise MathSyntaxError(token.line, token.column, f"unexpected '{token.value}' ({wanted})") from None
    except UnexpectedInput as error:  # pragma: no cover - the feed yields only declared tokens
        raise MathSyntaxError(getattr(error, "line", 1), getattr(error, "column", 1), "unreadable math") from None
    _check_depth(tree)
    return tree


def _check_depth(tree: Tree) -> None:
    """Refuse trees deep enough to exhaust the recursion of the reader or of SymPy."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise MathSyntaxError(node.meta.line, node.meta.column, "nested too deeply")
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))


# -- meaning -----------------------------------------------------------------------------


def _at(node) -> tuple[int, int]:
    if isinstance(node, Token):
        return node.line, node.column
    return node.meta.line, node.meta.column


def _fail(node, message: str) -> MathSyntaxError:
    line, column = _at(node)
    return MathSyntaxError(line, column, message)


def _shape(value) -> tuple[int, int] | None:
    return tuple(value.shape) if isinstance(value, sp.MatrixBase) else None


def _shape_words(shape) -> str:
    return "a number" if shape is None else f"a {shape[0]}×{shape[1]} matrix"


def _lone_term(node: Tree) -> list | None:
    """The items of an expression that is one product with no sign, else None."""
    if node.data != "expr" or len(node.children) != 1:
        return None
    (signed,) = node.children
    if len(signed.children) != 1 or signed.children[0].data != "term":
        return None
    return list(signed.children[0].children)


def _holds(node, kind: str) -> bool:
    """``node`` is a factor that is just one ``kind`` of primary, with no script."""
    return (
        isinstance(node, Tree) and node.data == "factor" and len(node.children) == 1 and node.children[0].data == kind
    )


def _differential(node):
    """The ∂f of a factor that is ``\\partial f`` or the group ``{\\partial f}``, else None."""
    if _holds(node, "differential"):
        return node.children[0]
    if _holds(node, "paren"):
        items = _lone_term(node.children[0].children[0])
        if items is not None and len(items) == 1 and _holds(items[0], "differential"):
            return items[0].children[0]
    return None


def _is_letter(node, letter: str) -> bool:
    return _holds(node, "letter") and node.children[0].children[0].value == letter


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _is_mulop(node, kind: str) -> bool:
    return isinstance(node, Tree) and node.data == "mulop" and node.children[0].type == kind


# Each as one fraction of exponentials, exact for every real u, in the form that keeps the
# denominator positive by construction.
_HYPERBOLIC = {
    "softplus": ("log(1 + e^{u})", lambda u: sp.log(1 + sp.exp(u))),
    "tanh": ("(e^{2u} − 1)/(e^{2u} + 1)", lambda u: (sp.exp(2 * u) - 1) / (sp.exp(2 * u) + 1)),
    "sinh": ("(e^{u} − e^{−u})/2", lambda u: (sp.exp(u) - sp.exp(-u)) / 2),
    "cosh": ("(e^{u} + e^{−u})/2", lambda u: (sp.exp(u) + sp.exp(-u)) / 2),
    "sech": ("2e^{u}/(e^{2u} + 1)", lambda u: 2 * sp.exp(u) / (sp.exp(2 * u) + 1)),
}


class _Reader:
    def __init__(self, letters: Letters, text: str = ""):
        self.letters = letters
        self.text = text  # the scanned text, for the author's own words in a note
        # every denominator and logarithm the link writes, before SymPy's cancelling (quotient)
        self.guards: list = []
        self.notes: list[str] = []  # readings of the current statement that involved a choice
        self.link: Tree | None = None  # the link being read (what is free outside a sum)
        self.notation = letters.notation
        self.bound: list[str] = []  # letters bound by the sums around the current node
        nt = self.notation
        self.counts = {str(nt.classes): nt.classes}
        if nt.examples is not None:
            self.counts[str(nt.examples)] = nt.examples

    # -- sums and products -------------------------------------------------------------------
    def expression(self, node: Tree) -> sp.Expr:
        signed, *rest = node.children
        marks = [len(self.guards)]  # where the guards of each value in total begin
        total = [self.signed(signed)]
        written = [signed]  # the node of each value in total
        pairs = list(zip(rest[::2], rest[1::2]))
        position = 0
        while position < len(pairs):
            op, term = pairs[position]
            if term.data == "ellipsis":
                following = pairs[position + 1] if position + 1 < len(pairs) else None
                total.append(self.ellipsis(term, op, following, total, written, marks))
                written.append(term)
                position += 2
                continue
            marks.append(len(self.guards))
            self.minus_before_a_group(op.children[0].type, term)
            value = self.term(term)
            total.append(-value if op.children[0].type == "MINUS" else value)
            written.append(term)
            position += 1
        shapes = {_shape(x) for x in total}
        if len(shapes) > 1:
            raise _fail(node, "a sum of " + " and ".join(sorted(_shape_words(x) for x in shapes)) + ": shapes differ")
        return sum(total[1:], total[0]) if isinstance(total[0], sp.MatrixBase) else sp.Add(*total)

    def ellipsis(self, node: Tree, op: Tree, following, before: list, written: list, marks: list) -> sp.Expr:
        """``e^{z_1} + \\cdots + e^{z_K}``: Σ_{k=1}^{K} e^{z_k}, when the last term is the first with
        the index 1 turned into a declared count (and the terms just before the dots are the
        first ones in order); it replaces those terms in ``before`` (their nodes in ``written``).
        Anything else is refused."""
        shown = node.children[0].value
        sign = op.children[0].type
        if following is None or following[0].children[0].type != sign:
            # a_1 + ... + a_K, or -a_1 - ... - a_K (each term with its own sign): never + ... -
            raise _fail(node, f"{shown} is read only between two terms of a sum: a_1 + {shown} + a_K")
        last_node = following[1]
        if last_node.data == "ellipsis":
            raise _fail(last_node, f"two {shown} in a row")
        last_mark = len(self.guards)
        last = self.term(last_node) if sign == "PLUS" else -self.term(last_node)
        counts = sorted(
            {
                name
                for entry in last.atoms(sp.Indexed)
                for name in map(str, entry.indices)
                if name in self.letters.class_counts or name in self.letters.example_counts or name in self.counts
            }
        )
        wanted = f"the first and last terms around {shown} must differ only in an index, 1 in the first and the count in the last (a_1 + {shown} + a_K)"
        if len(counts) != 1:
            raise _fail(node, wanted)
        (count,) = counts
        used = (
            {t.value for t in self.link.scan_values(lambda t: isinstance(t, Token))} if self.link is not None else set()
        )
        letter = next(c for c in "kjmlpqrabcdefgh" if c not in used and c not in self.bound and not self.declared(c))
        k = index(letter)
        body = last.xreplace({index(count): k})
        for length in range(1, len(before) + 1):
            if before[-length:] == [body.xreplace({k: sp.Integer(r)}) for r in range(1, length + 1)]:
                break
        else:
            raise _fail(node, wanted)
        first = written[-length]
        # the guards of the terms written out (log s_1, log s_K) become the general term's
        # (log s_k for every k): the numbered entries are gone from the step, as the terms are
        general = [guard.xreplace({index(count): k}) for guard in self.guards[last_mark:]]
        start = marks[-length]
        instances = {guard.xreplace({k: sp.Integer(r)}) for guard in general for r in range(1, length + 1)}
        if set(self.guards[start:last_mark]) <= instances:
            self.guards[start:] = general
        # else a term's own division stays to be checked as written (\frac{y_2 s_1}{y_2} + s_2 +
        # \dots + s_K: the first term is s_1 once SymPy cancelled it, its y_2 still a denominator)
        del before[-length:], written[-length:], marks[-length:]
        marks.append(start)  # the sum's guards, for the value the caller adds to ``before``
        upper = self.count(Token("LETTER", count), after_in=False)
        self.notes.append(f"{self.source(first, last_node)} as the sum over {letter} from 1 to {count}")
        return sp.Sum(body, (k, sp.Integer(1), upper))

    def minus_before_a_group(self, op_type: str, term) -> None:
        """x - {t - x}: TeX shows x − t − x."""
        if op_type == "MINUS" and isinstance(term, Tree) and term.data == "term" and len(term.children) == 1:
            group = self.invisible_group(term.children[0])
            if group is not None and not _one_term(group.children[0], self.braced):
                raise _fail(term, _INVISIBLE + " (x - {t - x} is x − t − x on the page)")

    def signed(self, node: Tree) -> sp.Expr:
        if len(node.children) == 2:
            self.minus_before_a_group(node.children[0].children[0].type, node.children[1])
            value = self.term(node.children[1])
            return -value if node.children[0].children[0].type == "MINUS" else value
        return self.term(node.children[0])

    def term(self, node: Tree) -> sp.Expr:
        if node.data == "ellipsis":
            shown = node.children[0].value
            raise _fail(node, f"{shown} is read only between two terms of a sum: a_1 + {shown} + a_K")
        return self.product(node.children)[0]

    def product(self, items: list) -> tuple[sp.Expr, int]:
        """The product of ``items`` (factors and mulops), and how many factors it multiplied.
        An operator (∂/∂x, d/dx, ∂_x, ∇_x) takes everything after it up to the end of the
        product: the whole product that follows, as TeX readers read it."""
        result: sp.Expr = sp.Integer(1)
        dividing = False
        position = 0
        units = 0
        negated = False
        while position < len(items):
            item = items[position]
            if item.data in ("mulop", "mulop_negated"):
                dividing = item.children[0].type == "DIV"
                negated = item.data == "mulop_negated"  # a \cdot -b: a times -b
                position += 1
                continue
            group = self.invisible_group(item)
            if group is not None and (dividing or len(items) > 1):
                raise _fail(item, _INVISIBLE + " (a / {b c} is a / b·c on the page)")
            if position > 0 and _a_number(items[position - 1], self.braced):
                if _a_number(item, self.braced, scripted=True):
                    # 2{3}, 2{3}^2, 2\\left.3\\right., 2 3: TeX sets the digits side by side, 23
                    raise _fail(
                        item, "two numbers side by side read as one on the page (23): write \\cdot between them"
                    )
                if _number_fraction(item):
                    raise _fail(
                        item, "a number before a fraction of numbers reads as a mixed number (1½): write \\cdot"
                    )
            operator = self.operator(item)
            if operator is not None:
                value, taken = self.operate(item, operator, items[position + 1 :])
                used = 1 + taken
            else:
                found = self.slash_derivative(items, position)
                if found is not None:
                    value, used = found
                else:
                    following = items[position + 1] if position + 1 < len(items) else None
                    value, used = self.applied(item, following)
            units += 1
            position += used
            if dividing and isinstance(value, sp.MatrixBase):
                raise _fail(item, f"division by {_shape_words(_shape(value))}: not part of derive's vocabulary")
            if isinstance(result, sp.MatrixBase) and isinstance(value, sp.MatrixBase):
                if result.shape[1] != value.shape[0]:
                    raise _fail(
                        item,
                        f"a product of {_shape_words(_shape(result))} and {_shape_words(_shape(value))}: "
                        "the columns of the first must match the rows of the second",
                    )
            if negated:
                value, negated = -value, False
            if dividing and not isinstance(result, sp.MatrixBase):
                result = self.quotient(result, value)
            else:
                result = result / value if dividing else result * value
            dividing = False
        return result, units

    # -- derivative notations ------------------------------------------------------------------
    def source(self, first, last=None) -> str:
        """The author's text from ``first`` to ``last`` (nodes or tokens), for a note."""
        last = first if last is None else last
        start = first.start_pos if isinstance(first, Token) else first.meta.start_pos
        end = last.end_pos if isinstance(last, Token) else last.meta.end_pos
        return " ".join(self.text[start:end].split())

    def operator(self, item: Tree):
        """(variable, its node, sign, the operand the operator holds itself) if ``item`` is an
        operator standing alone: \\frac{\\partial}{\\partial x} f, \\frac{d}{dx}, \\partial_{x}, \\nabla_{x}."""
        if item.data != "factor" or len(item.children) != 1:
            return None
        head = item.children[0]
        if head.data == "partial_apply":
            dop, operand = head.children
            self.visible_operand(operand)
            return self.variable(dop.children[-1]), dop.children[-1], "∂", [operand]
        if head.data in ("partial_sub", "nabla"):
            sub = head.children[-1]
            variable = self.sub_variable(sub, head)
            if variable is None:
                raise _fail(
                    head, "∇ and ∂ of a whole family are vectors: take an entry, \\nabla_{z_i} L or (\\nabla_z L)_i"
                )
            return variable, sub, "∂", []
        if head.data == "frac":
            found = self.d_fraction(head)
            if found is not None and not found[0]:
                return found[1], found[2], "d", []
        return None

    def operate(self, item: Tree, operator, rest: list) -> tuple[sp.Expr, int]:
        """The derivative an operator takes, and how many of the items after it it used."""
        variable, where, sign, held = operator
        operand = held + list(rest)
        if not [x for x in operand if not x.data.startswith("mulop")]:
            raise _fail(item, "a derivative applied to nothing (expected what it differentiates after it)")
        if operand[0].data.startswith("mulop"):
            raise _fail(operand[0], "a derivative followed by a product sign (expected what it differentiates)")
        shown = self.source(where).lstrip("_{").rstrip("}") if sign == "∂" and not held else self.source(where)
        if _holds(operand[0], "paren") and len(operand) > 1:
            # ∂/∂x (f) · g: an explicit product sign after a group ends the reach at the group
            # (a function's argument); without one, (f) g is either reading: refused.
            if not _is_mulop(operand[1], "MUL"):
                raise _fail(
                    operand[1],
                    f"{sign}/{sign}{shown} {self.source(operand[0])} followed by more factors: either "
                    f"{sign}/{sign}{shown} of the group only or of the whole product {self.source(operand[0], operand[-1])} "
                    "(write \\cdot after the group for the first, or put the whole product in the group)",
                )
            self.notes.append(
                f"{sign}/{sign}{shown} of the group {self.source(operand[0])} only (a product sign follows it)"
            )
            return Partial(self.factor(operand[0]), variable), 1 - len(held)
        value, units = self.product(operand)
        if units > 1:
            self.notes.append(f"{sign}/{sign}{shown} of the whole product {self.source(operand[0], operand[-1])}")
        return Partial(value, variable), len(rest)

    def sub_variable(self, sub: Tree, where) -> sp.Expr | None:
        """The variable of ∂_{z_j} or ∇_{z_j}: a family entry or a declared scalar; None for a
        whole family (∇_z), whose entry a subscript outside may give."""
        if sub.data != "subscript":
            raise _fail(sub, "∂ and ∇ take the variable as a subscript: \\partial_{z_j}")
        (content,) = sub.children
        atoms = [content]
        if content.data == "slots":
            atoms = [a for slot in content.children if isinstance(slot, Tree) for a in slot.children]
        if len(atoms) != 1:
            raise _fail(sub, "differentiate with respect to one variable: \\partial_{z_j}")
        (atom,) = atoms
        if atom.data == "nested_index":
            value = self.entry(atom.children[0], atom.children[1])
            if not isinstance(value, sp.Indexed):
                raise _fail(sub, "differentiate with respect to a family entry such as z_j, or a declared scalar")
        else:
            token = atom.children[0]
            if token.type == "LETTER" and token.value in self.letters.families:
                return None
            if token.type != "LETTER" or token.value not in self.letters.scalars:
                raise _fail(sub, "differentiate with respect to a family entry such as z_j, or a declared scalar")
            value = self.letters.scalars[token.value]
        return value

    def is_d(self, node) -> bool:
        """``node`` is the factor ``d`` (no script): the d of dx, where d is not declared."""
        if not (isinstance(node, Tree) and node.data == "factor" and len(node.children) == 1):
            return False
        head = node.children[0]
        if head.data != "letter" or head.children[0].value != "d":
            return False
        if self.declared("d") or "d" in self.bound:
            raise _fail(
                head,
                "d is declared here, so this is either a derivative d/dx or a product with d "
                "(write \\partial for the derivative, or rename d)",
            )
        return True

    def d_variable(self, node: Tree) -> sp.Expr:
        value = self.factor(node)
        logits = self.notation.logits
        if (isinstance(value, sp.Indexed) and value.base == logits) or value in self.letters.scalars.values():
            return value
        raise _fail(node, "d/dx: x must be a declared scalar or an entry of the logits (for another, write \\partial)")

    def d_fraction(self, node: Tree):
        """\\frac{d f}{d x} or \\frac{d}{dx}: (the numerator's items after d, the variable, its
        node), or None if this fraction is not written so."""
        _, top, bottom = node.children
        above, below = _lone_term(top), _lone_term(bottom)
        if above is None or below is None or not above or len(below) != 2:
            return None
        if not (isinstance(above[0], Tree) and above[0].data == "factor") or below[1].data != "factor":
            return None
        if not (_is_letter(above[0], "d") and _is_letter(below[0], "d")):
            return None
        self.is_d(above[0])  # refuses a declared d
        if above[1:] and above[1].data.startswith("mulop"):
            return None
        return above[1:], self.d_variable(below[1]), below[1]

    def partial_fraction(self, node: Tree):
        """\\frac{\\partial f g}{\\partial x}: the derivative of the numerator's product, or None."""
        _, top, bottom = node.children
        above, below = _lone_term(top), _lone_term(bottom)
        if above is None or below is None or not 1 <= len(below) <= 2:
            return None
        first, last = above[0], below[0]
        if not (_holds(first, "differential") and _holds(last, "differential")):
            if _holds(first, "differential") or _holds(last, "differential"):
                raise _fail(node, "a derivative has ∂ above and below: \\frac{\\partial f}{\\partial x}")
            return None
        inner = first.children[0].children[-1]
        variable = last.children[0].children[-1]
        if len(below) == 2:
            # \partial \sigma(A_i) below: a variable written as the softmax applied to a logit
            value = self.application(variable, below[1]) if variable.data == "factor" else None
            if not isinstance(value, sp.Indexed):
                raise _fail(below[1], "differentiate with respect to a family entry such as z_j, or a declared scalar")
            return Partial(self.product([inner, *above[1:]])[0], value)
        return Partial(self.product([inner, *above[1:]])[0], self.variable(variable))

    def slash_derivative(self, items: list, position: int):
        """``\\partial f / \\partial x`` and ``df/dx`` in a product: (the derivative, the items it used)."""
        window = items[position : position + 5]
        if (
            len(window) >= 3
            and _differential(window[0]) is not None
            and _is_mulop(window[1], "DIV")
            and _differential(window[2]) is not None
        ):
            inner = _differential(window[0]).children[-1]
            variable = _differential(window[2]).children[-1]
            return Partial(self.factor(inner), self.variable(variable)), 3
        if (
            len(window) == 5
            and _is_letter(window[0], "d")
            and window[1].data == "factor"
            and _is_mulop(window[2], "DIV")
            and _is_letter(window[3], "d")
            and window[4].data == "factor"
            and self.is_d(window[0])
        ):
            return Partial(self.factor(window[1]), self.d_variable(window[4])), 5
        return None

    def applied(self, item: Tree, following: Tree | None) -> tuple[sp.Expr, int]:
        """A factor, or a factor applied to the parenthesised one after it: σ(x), 1(i=j),
        \\mathbb{1}\\{i=j\\}, L(y, s), and ∂/∂x σ(x)."""
        if item.data == "factor" and following is not None and following.data == "factor":
            value = self.application(item, following)
            if value is not None:
                return value, 2
        return self.factor(item), 1

    def application(self, item: Tree, following: Tree) -> sp.Expr | None:
        if len(item.children) != 1:
            return None
        head = item.children[0]
        if head.data == "partial_apply":
            dop, operand = head.children
            inner = self.application(operand, following)
            return None if inner is None else Partial(inner, self.variable(dop.children[-1]))
        argument = following.children[0]
        if argument.data not in ("paren", "condition", "arguments"):
            return None
        entry = self.softmax_entry(head, following)
        if entry is not None:
            return entry
        if head.data == "primed" and argument.data == "paren":
            return self.power(self.derivative_at(head, argument), following)
        if argument.data == "condition" and (
            head.data == "bbone" or (head.data == "number" and head.children[0].value == "1")
        ):
            return self.power(self.condition(argument.children[0], Indicator), following)
        if head.data in ("letter", "name"):
            name = head.children[0].value
            if name in self.letters.defined and argument.data in ("paren", "arguments"):
                if name not in self.letters.calls and not self.lists_letters(argument):
                    # y(1 - y) for y := σ(z): a name defined without arguments, before an
                    # expression, is a factor of a product
                    self.notes.append(f"{name}{self.source(argument)} as the product {name}·{self.source(argument)}")
                    return None
                self.dependencies(name, argument)
                return self.power(self.letters.defined[name], following)
            if name == self.letters.sigmoid_name and self.sigmoid_allowed() and argument.data == "paren":
                return self.power(sigmoid(self.expression(argument.children[0])), following)
        return None

    def sigmoid_allowed(self) -> bool:
        name = self.letters.sigmoid_name
        taken = {base for base, _ in self.letters.aliases} | set(self.letters.families) | set(self.letters.scalars)
        return name not in taken and name not in self.letters.defined

    def lists_letters(self, argument: Tree) -> bool:
        """Is ``argument`` a list of bare letters, (y, s) or (\\theta), as in L(y, s)?"""
        parts = [part for part in argument.children if isinstance(part, Tree)]
        return bool(parts) and all(self.bare_letter(part) is not None for part in parts)

    def dependencies(self, name: str, argument: Tree) -> None:
        """L(y, s), J(\\theta): the arguments only say what L depends on; each must be a declared
        family or scalar that L's definition uses, or the argument the header declares
        (``loss: J(\\theta) = ...``). f(t) for f := x² + 1 would be f at another point."""
        declared = self.letters.calls.get(name)
        if declared is not None:
            if _squeezed(self.source(argument)) != "(" + _squeezed(declared) + ")":
                raise _fail(argument, f"{name} is declared as {name}({declared}): write {name}({declared})")
            return
        parts = [part for part in argument.children if isinstance(part, Tree)]
        uses = self.made_of(self.letters.defined[name])
        for part in parts:
            words = self.bare_letter(part)
            if words is None or (words not in self.letters.families and words not in self.letters.scalars):
                raise _fail(part, f"the arguments of {name}(...) must be family letters such as y, s, or scalars")
            meant = self.letters.families.get(words, self.letters.scalars.get(words))
            if meant not in uses:
                raise _fail(
                    part,
                    f"{name}({words}): {name} is not defined in terms of {words} ({name}(...) says what {name} "
                    f"depends on; {name} at another point is not read)",
                )

    def made_of(self, symbol: sp.Symbol) -> set:
        """The families and scalars the definition of ``symbol`` uses, through other definitions
        and the softmax (whose entries are made of the logits)."""
        from derive.core.semantics import with_definitions

        nt = self.notation
        definition = nt.definition_of(symbol)
        if definition is None:
            return set()
        found = set()
        for x in with_definitions(definition, nt):
            if isinstance(x, sp.Indexed):
                found.add(x.base)
                if x.base == nt.softmax:
                    found.add(nt.logits)
            elif isinstance(x, sp.Symbol):
                found.add(x)
        return found

    # -- names ---------------------------------------------------------------------------------
    def softmax_entry(self, head: Tree, following: Tree) -> sp.Expr | None:
        """softmax(z)_i, \\mathrm{softmax}(\\mathbf{z})_i, S(z)_i for a softmax S, and \\sigma(z)_j
        (\\sigma with a whole family and an index is the softmax, not the sigmoid): s_i."""
        if head.data not in ("letter", "name"):
            return None
        name = head.children[0].value
        lt = self.letters
        softmax = head.data == "name" and name == "softmax"
        family = lt.families.get(name) if head.data == "letter" else None
        sigma = head.data == "letter" and name == lt.sigmoid_name and self.sigmoid_allowed()
        if not (softmax or sigma or (family is not None and family == self.notation.softmax)):
            return None
        argument = following.children[0]
        sub = next((s for s in following.children[1:] if s.data != "superscript"), None)
        sup = next((s for s in following.children[1:] if s.data == "superscript"), None)
        if sub is None and argument.data == "paren" and family is not None:
            return self.entry_of_logits(head, following)
        if sub is None or argument.data != "paren":
            if softmax:
                raise _fail(head, "softmax(z) is a vector: take an entry, softmax(z)_i")
            return None  # \sigma(x): the sigmoid
        logits = [base for base, value in lt.families.items() if value == self.notation.logits]
        shown_softmax = [base for base, value in lt.families.items() if value == self.notation.softmax]
        if not logits or not shown_softmax:
            raise _fail(head, f"{name}(...): no softmax family and logits are declared or inferred here")
        written = self.bare_letter(argument.children[0])
        if written is not None:
            written = re.sub(r"^\\(?:mathbf|boldsymbol|bm|vec)\{(.)\}$", r"\1", written)
        if written not in logits:
            raise _fail(
                argument,
                f"{name}(...)_{{i}} is an entry of the softmax: its argument must be the logits {logits[0]}",
            )
        if sub.data != "subscript":
            raise _fail(sub, f"a condition after {name}(...)_ belongs to a sum or an indicator")
        shown = shown_softmax[0]
        value = self.indexed(self.notation.softmax, shown, self.slots(sub), sub)
        if sigma:
            self.notes.append(
                f"{self.source(head, following)} as the softmax entry {shown}_{{{self.source(sub)[1:].strip('{}')}}}"
            )
        if sup is not None:
            value = self.raise_to(value, self.superscript(sup), sup)
        return value

    def entry_of_logits(self, head: Tree, following: Tree) -> sp.Expr:
        """S(z_i) for a declared softmax S: S is a family, so applied to the logit z_i it can only
        mean its entry S_i (shown as read)."""
        name = head.children[0].value
        inside = following.children[0].children[0]
        entry = self.expression(inside)
        if not (isinstance(entry, sp.Indexed) and entry.base == self.notation.logits):
            raise _fail(following, f"{name} is the softmax: write its entry {name}_i, or {name}(z_i) of a logit z_i")
        value = self.notation.softmax[entry.indices]
        shown = ",".join(map(str, entry.indices))
        self.notes.append(f"{self.source(head, following)} as the softmax entry {name}_{{{shown}}}")
        return self.power(value, following)

    def derivative_at(self, head: Tree, argument: Tree) -> sp.Expr:
        """\\sigma'(x) = dσ(x)/dx; f'(x) = df/dx for a defined f whose variable is x."""
        token = head.children[0]
        name = token.value
        point = self.expression(argument.children[0])
        if not (isinstance(point, sp.Indexed) or point in self.letters.scalars.values()):
            raise _fail(argument, f"{name}'(...) is read at a declared scalar or an entry such as z_i")
        if name == self.letters.sigmoid_name and self.sigmoid_allowed():
            return Partial(sigmoid(point), point)
        if name in self.letters.defined:
            symbol = self.letters.defined[name]
            declared = self.letters.calls.get(name)
            if declared is not None:
                if _squeezed(self.source(argument)) != "(" + _squeezed(declared) + ")":
                    raise _fail(argument, f"{name} is declared as {name}({declared}): write {name}'({declared})")
            elif self.variables_of(symbol) != {point}:
                raise _fail(head, f"{name}'(...): the variable of {name} is not clear (write \\frac{{d{name}}}{{dx}})")
            return Partial(symbol, point)
        raise _fail(token, f"{name}' is not a defined function (declared: {self.declared_names()})")

    def primed(self, node: Tree) -> sp.Expr:
        """u' for a defined u with one variable: du/dx."""
        (token, _) = node.children
        name = token.value
        if name not in self.letters.defined:
            raise _fail(token, f"{name}' is not a defined function (declared: {self.declared_names()})")
        symbol = self.letters.defined[name]
        variables = self.variables_of(symbol)
        if len(variables) != 1:
            raise _fail(token, f"{name}': the variable of {name} is not clear (write \\frac{{d{name}}}{{dx}})")
        (variable,) = variables
        self.notes.append(f"{name}' as d{name}/d{variable}")
        return Partial(symbol, variable)

    def primed_expression(self, node: Tree) -> sp.Expr:
        """(1 + e^{-x})', 1': the derivative in the one scalar the notation declares, of an
        expression in that scalar alone. With several scalars the variable is not clear."""
        inner = node.children[0]
        value = sp.Integer(inner.value) if isinstance(inner, Token) else self.expression(inner)
        scalars = set(self.letters.scalars.values())
        written = self.source(node)
        if len(scalars) != 1:
            raise _fail(node, f"{written}: the variable of the prime is not clear (write \\frac{{d}}{{dx}}(...))")
        (variable,) = scalars
        if not isinstance(value, sp.Expr) or value.atoms(sp.Indexed, Partial) or value.free_symbols - {variable}:
            raise _fail(node, f"{written}: a prime on an expression of {variable} alone (write \\frac{{d}}{{dx}}(...))")
        self.notes.append(f"{written} as d/d{variable}")
        return Partial(value, variable)

    def variables_of(self, symbol: sp.Symbol) -> set:
        """The scalars and family entries the definition of ``symbol`` depends on."""
        for defined, expression in self.notation.definitions:
            if defined == symbol:
                scalars = set(self.letters.scalars.values())
                atoms = expression.atoms(sp.Symbol, sp.Indexed)
                return {a for a in atoms if a in scalars or isinstance(a, sp.Indexed)}
        return set()

    def bare_letter(self, node: Tree) -> str | None:
        """The letter an expression consists of, if it is just one letter."""
        while isinstance(node, Tree) and len(node.children) == 1 and node.data in ("expr", "signed", "term", "factor"):
            node = node.children[0]
        if isinstance(node, Tree) and node.data == "letter":
            return node.children[0].value
        return None

    def power(self, base: sp.Expr, factor: Tree) -> sp.Expr:
        """``base`` raised to the superscript of ``factor`` (an argument's own exponent)."""
        for part in factor.children[1:]:
            if part.data == "subscript" or part.data.startswith("sub_"):
                raise _fail(part, "a subscript here has no meaning")
            base = self.raise_to(base, self.superscript(part), part)
        return base

    def raise_to(self, base: sp.Expr, exponent: sp.Expr, where) -> sp.Expr:
        if isinstance(exponent, sp.MatrixBase):
            raise _fail(where, f"{_shape_words(_shape(exponent))} in an exponent: not part of derive's vocabulary")
        if isinstance(base, sp.MatrixBase):
            rows, columns = base.shape
            if rows != columns:
                raise _fail(where, f"a power of {_shape_words(_shape(base))}: only a square matrix has powers")
            if not (exponent.is_Integer and exponent > 0):
                raise _fail(where, f"the power {exponent} of a matrix: only positive whole powers are read")
        if base.is_Number and exponent.is_Rational:  # 2^{40001/2} is 2^{20000}·√2, as large
            size = max(abs(sp.Rational(base).p), abs(sp.Rational(base).q), 2).bit_length()
            if size * abs(exponent) > MAX_BITS:
                raise _fail(where, "number too large")
        if isinstance(base, sp.Pow) and not exponent.is_Integer:
            # (x^{2/3})^{1/2}: SymPy would fold it into x^{1/3}, true only on the complex branch
            # (at x = −8 the real value is 2, not −2); kept as written, the core judges the root
            return sp.Pow(base, exponent, evaluate=False)
        if exponent.is_number and exponent.is_negative:
            self.guards.append(sp.Pow(base, exponent, evaluate=False))
        return sp.Pow(base, exponent)

    def superscript(self, node: Tree) -> sp.Expr:
        (value,) = node.children
        if isinstance(value, Tree):
            return self.expression(value)
        if value.type == "INT":
            return sp.Integer(value.value)
        return self.symbol(value)

    # -- factors -----------------------------------------------------------------------------
    def factor(self, node: Tree) -> sp.Expr:
        if node.data in ("sum", "partial_tail", "bare_sum"):
            return self.tail(node)
        primary, *scripts = node.children
        sub = next((s for s in scripts if s.data != "superscript"), None)
        sup = next((s for s in scripts if s.data == "superscript"), None)
        if scripts and self.invisible_group(node) is not None:
            raise _fail(node, _INVISIBLE + " ({s_i + s_j}^2 is s_i + s_j² on the page)")
        if primary.data == "paren" and sub is not None:
            value = self.gradient_entry(primary, sub)
        elif primary.data == "name":
            value = self.entry(primary.children[0], sub)
        elif primary.data == "letter":
            name = primary.children[0].value
            if name == "e" and sup is not None and sub is None and not self.declared(name):
                return self.function("exp", self.superscript(sup), sup)
            value = self.entry(primary.children[0], sub)
        elif primary.data == "number" and sub is not None:
            if primary.children[0].value != "1":
                raise _fail(sub, "only 1 takes a condition: 1_{i=j}")
            value = self.indicator_subscript(sub)
        elif primary.data == "bbone":
            if sub is None:
                raise _fail(primary, f"{primary.children[0].value} needs a condition: \\mathbb{{1}}\\{{i=j\\}}")
            value = self.indicator_subscript(sub)
        else:
            if sub is not None:
                raise _fail(sub, "a subscript here has no meaning")
            value = self.primary(primary)
        if sup is not None:
            value = self.raise_to(value, self.superscript(sup), sup)
        return value

    def gradient_entry(self, paren: Tree, sub: Tree) -> sp.Expr:
        """(\\nabla_z L)_i: the entry i of a gradient with respect to a whole family, ∂L/∂z_i."""
        items = _lone_term(paren.children[0])
        head = items[0] if items else None
        if items and len(items) == 2 and all(item.data == "factor" for item in items):
            # [\sigma(\mathbf{a})]_i, (softmax(z))_i: the entry i of the softmax vector in the group
            function, argument = items
            if len(function.children) == 1 and len(argument.children) == 1:
                scripted = Tree("factor", [argument.children[0], sub], meta=argument.meta)
                value = self.softmax_entry(function.children[0], scripted)
                if value is not None:
                    return value
        if not (_holds(head, "nabla") or _holds(head, "partial_sub")):
            raise _fail(sub, "a subscript here has no meaning")
        inner = head.children[0].children[-1]
        if self.sub_variable(inner, head) is not None:
            raise _fail(sub, "an index after a derivative with respect to an entry: write (\\nabla_z L)_i")
        (content,) = inner.children
        token = next(content.scan_values(lambda t: isinstance(t, Token)))
        variable = self.entry(token, sub)
        rest = items[1:]
        if not rest:
            raise _fail(head, "a derivative applied to nothing (expected what it differentiates after it)")
        value, units = self.product(rest)
        if units > 1:
            shown = self.source(token) + self.source(sub)
            self.notes.append(f"∂/∂{shown} of the whole product {self.source(rest[0], rest[-1])}")
        return Partial(value, variable)

    def function(self, name: str, value: sp.Expr, where) -> sp.Expr:
        if isinstance(value, sp.MatrixBase):
            what = "an exponent" if name == "exp" else f"\\{name}"
            raise _fail(where, f"{_shape_words(_shape(value))} in {what}: not part of derive's vocabulary")
        if name == "exp":
            return sp.exp(value)
        if name == "max":
            raise _fail(where, "\\max needs the index it runs over: \\max_k z_k")
        if name in _HYPERBOLIC:
            written, as_exponentials = _HYPERBOLIC[name]
            self.notes.append(f"{name} as {written}")
            return as_exponentials(value)
        self.guards.append(sp.log(value))
        return sp.log(value)

    def maximum(self, sub: Tree, argument: Tree) -> sp.Expr:
        """\\max_k z_k: one real number, a stand-in the step must hold for whatever its value
        (the shift of the logsumexp trick holds for every m). What a maximum adds (m ≥ z_k, where
        it is reached) is not used, so a step that needs it fails; and a derivative of it is not
        read, since the number depends on the logits in a way the stand-in does not say."""
        bound = self.single_letter(sub)
        self.bound.append(bound)
        try:
            body = self.factor(argument)
        finally:
            self.bound.pop()
        k = index(bound)
        others = sorted(str(x) for x in self.free_in(body) if x != k)
        if others:
            raise _fail(argument, f"\\max_{bound} of something with another free index ({', '.join(others)})")
        if k not in self.free_in(body):
            raise _fail(argument, f"\\max_{bound} of something that does not use {bound}")
        written = f"max_{bound} {plain(body)}"
        self.notes.append(f"{written} as one real number (any value: what a maximum adds is not used)")
        return StandIn(written, real=True)

    def quotient(self, numerator, denominator) -> sp.Expr:
        """numerator / denominator, its denominator kept for the core's domain check of the
        step: SymPy cancels as it builds (δ_ij s_i/δ_ij is s_i at once), and a division by
        something that may be 0 must not vanish with it."""
        self.guards.append(sp.Pow(denominator, -1, evaluate=False))
        return numerator / denominator

    def visible_operand(self, operand: Tree) -> None:
        """\\frac{\\partial}{\\partial z}{a + b}: TeX shows ∂/∂z a + b."""
        if self.invisible_group(operand) is not None:
            raise _fail(operand, _INVISIBLE + " (\\frac{\\partial}{\\partial z}{a + b} is ∂/∂z a + b on the page)")

    def invisible_group(self, item) -> Tree | None:
        """The group of a factor written with TeX's braces around more than one factor or term
        ({s_i + s_j}, {s_i s_j}): TeX draws the braces as nothing, so wherever the grouping
        would matter (a power, a function's argument, a minus sign, a division, a product
        around a sum) the page shows another claim than ( ) would: not read there."""
        if not (isinstance(item, Tree) and item.data == "factor" and isinstance(item.children[0], Tree)):
            return None
        primary = item.children[0]
        if primary.data == "paren" and self.braced(primary) and not _one_factor(primary.children[0], self.braced):
            return primary
        return None

    def braced(self, node: Tree) -> bool:
        """Was the group written with TeX's braces { } (not \\{ \\}, ( ) or [ ])?"""
        if node.meta.empty or not self.text:
            return False
        return self.text.startswith("{", node.meta.start_pos) and not self.text.startswith(
            "\\{", node.meta.start_pos - 1
        )

    def primary(self, node: Tree) -> sp.Expr:
        kind = node.data
        if kind == "number":
            return sp.Integer(node.children[0].value)
        if kind == "decimal":  # the exact rational it spells; the core decides where it may stand
            return decimal(node.children[0].value)
        if kind == "paren":
            return self.expression(node.children[0])
        if kind == "arguments":
            raise _fail(node, "a list (a, b) is not an expression")
        if kind == "condition":
            raise _fail(node, "a condition belongs in 1(i=j), 1_{i=j} or \\delta_{ij}")
        if kind == "frac":
            derivative = self.partial_fraction(node)
            if derivative is not None:
                return derivative
            found = self.d_fraction(node)
            if found is not None:
                rest, variable, _ = found
                if not rest:
                    raise _fail(node, "\\frac{d}{dx} must be followed by what it differentiates")
                return Partial(self.product(rest)[0], variable)
            numerator, denominator = self.expression(node.children[1]), self.expression(node.children[2])
            if denominator == 0:
                raise _fail(node, "division by zero")
            if isinstance(denominator, sp.MatrixBase):
                raise _fail(node, f"division by {_shape_words(_shape(denominator))}: not part of derive's vocabulary")
            if isinstance(numerator, sp.MatrixBase):
                return numerator / denominator
            return self.quotient(numerator, denominator)
        if kind == "differential":
            raise _fail(node, "\\partial f alone: write \\frac{\\partial f}{\\partial x} or \\partial f / \\partial x")
        if kind in ("partial_sub", "nabla"):
            raise _fail(node, "a derivative applied to nothing (expected what it differentiates after it)")
        if kind == "name":
            return self.symbol(node.children[0])
        if kind == "opaque":  # a notation the scanner saw whole and derive has no words for
            raise _fail(node, node.children[0].value)
        if kind == "primed":
            return self.primed(node)
        if kind == "primed_expression":
            return self.primed_expression(node)
        if kind == "partial_apply":
            dop, operand = node.children
            self.visible_operand(operand)
            return Partial(self.factor(operand), self.variable(dop.children[-1]))
        if kind == "function":
            name, argument = node.children
            group = self.invisible_group(argument)
            if group is not None and not _single_item(group.children[0]):
                # \log{\sum_k e^{z_k}} is log of the sum either way; \log{s_i s_j} is not
                raise _fail(argument, _INVISIBLE + " (\\log {s_i s_j} is log s_i s_j on the page)")
            if (
                isinstance(argument, Tree)
                and argument.data == "factor"
                and isinstance(argument.children[0], Tree)
                and argument.children[0].data == "paren"
                and any(isinstance(c, Tree) and c.data == "superscript" for c in argument.children[1:])
            ):
                # \exp(z)^2: (e^z)^2 to most readers, exp(z^2) by TeX's grouping (the fifth
                # adversary found it read as the latter, silently)
                raise _fail(
                    node, f"\\{name.value}(x)^n may mean (\\{name.value} x)^n or \\{name.value}(x^n): write one of them"
                )
            return self.function(name.value, self.factor(argument), node)
        if kind == "function_power":
            name, power, argument = node.children
            exponent = self.superscript(power)
            if not (exponent.is_Integer and exponent >= 2):
                # \tanh^{-1} x is the inverse function, \log^{1/2} is nobody's notation
                raise _fail(
                    power,
                    f"\\{name.value}^{{{exponent}}}: derive reads \\{name.value}^2 x as (\\{name.value} x)^2 only",
                )
            self.notes.append(f"\\{name.value}^{exponent} x as (\\{name.value} x)^{exponent}")
            return self.function(name.value, self.factor(argument), node) ** exponent
        if kind == "function_prime":
            name, _, argument = node.children
            point = self.factor(argument)
            if not (isinstance(point, sp.Indexed) or point in self.letters.scalars.values()):
                raise _fail(argument, f"\\{name.value}'(...) is read at a declared scalar or an entry such as z_i")
            self.notes.append(f"\\{name.value}'({point}) as the derivative of \\{name.value} with respect to {point}")
            return Partial(self.function(name.value, point, node), point)
        if kind == "function_sub":
            name, sub, argument = node.children
            if name.value != "max":
                raise _fail(sub, f"\\{name.value}_...: a subscript on \\{name.value} is not read")
            return self.maximum(sub, argument)
        if kind == "cases":
            return self.cases(node)
        if kind == "matrix":
            return self.matrix(node)
        raise _fail(node, f"cannot read {kind}")  # pragma: no cover - every grammar rule is handled

    def variable(self, node: Tree) -> sp.Expr:
        value = self.factor(node)
        if isinstance(value, sp.Indexed) or (
            isinstance(value, sp.Symbol) and value in (*self.letters.scalars.values(), *self.letters.defined.values())
        ):
            return value  # a defined name (y := σ(z)) too: the core says what ∂/∂y means
        raise _fail(node, "differentiate with respect to a family entry such as z_j, or a declared scalar")

    def tail(self, node: Tree) -> sp.Expr:
        if node.data in ("sum", "bare_sum"):
            body = node.children[-1]  # signed
            term = body.children[-1]
            if isinstance(term, Tree) and term.data == "term" and len(term.children) == 1:
                group = self.invisible_group(term.children[0])
                if group is not None and not _one_term(group.children[0], self.braced):
                    raise _fail(group, _INVISIBLE + " (\\sum_k {s_k - 1} is Σ_k s_k − 1 on the page)")
        if node.data == "partial_tail":
            dop, inner = node.children
            return Partial(self.tail(inner), self.variable(dop.children[-1]))
        if node.data == "bare_sum":
            return self.bare_sum(node)
        return self.sum(node)

    def outside(self, node: Tree) -> set[str]:
        """The letters the current link uses outside ``node``."""
        if self.link is None:
            return set()
        start, end = node.meta.start_pos, node.meta.end_pos
        unbound = self.not_free(self.link)
        for other in self.link.iter_subtrees():
            # \sum e^{x_d} \cdot e^{x_i} / (\sum e^{x_d})^2: the d of another sum without an index,
            # apart from this one, is that sum's own, not free in the link
            if other.data == "bare_sum" and (other.meta.end_pos <= start or other.meta.start_pos >= end):
                unbound |= {t.start_pos for t in other.scan_values(lambda t: isinstance(t, Token))}
        return {
            t.value
            for t in self.link.scan_values(lambda t: isinstance(t, Token) and t.type == "LETTER")
            if not start <= t.start_pos < end and t.start_pos not in unbound
        }

    def not_free(self, tree: Tree) -> set[int]:
        r"""Where letters stand that are not free in ``tree``: the d of dy/dx (an undeclared d) and
        a letter inside a sum written with that letter as its index (\sum_i ... i ...)."""
        positions = set()
        for sub in tree.iter_subtrees():
            if sub.data == "sum":
                lower = next(c for c in sub.children[1:3] if isinstance(c, Tree) and c.data != "superscript")
                bound = {t.value for t in lower.scan_values(lambda t: isinstance(t, Token) and t.type == "LETTER")}
                if lower.data != "subscript":
                    bound = {lower.children[0].value}
                positions |= {
                    t.start_pos
                    for t in sub.scan_values(lambda t: isinstance(t, Token) and t.type == "LETTER")
                    if t.value in bound
                }
            elif sub.data == "frac" and not self.declared("d") and "d" not in self.bound:
                _, top, bottom = sub.children
                above, below = _lone_term(top), _lone_term(bottom)
                if above and below and len(below) == 2 and _is_letter(above[0], "d") and _is_letter(below[0], "d"):
                    positions |= {
                        above[0].children[0].children[0].start_pos,
                        below[0].children[0].children[0].start_pos,
                    }
        return positions

    def free_in(self, body: sp.Expr) -> set:
        from derive.core.semantics import VocabularyError, free_indices

        try:
            return set(free_indices(body, self.notation))
        except VocabularyError:
            return {a for a in body.free_symbols if a.is_integer and str(a) not in self.counts}

    def bare_sum(self, node: Tree) -> sp.Expr:
        """\\sum e^{z_k} with no index: the sum over the one index free in its body and
        nowhere else in the link."""
        _, body_node = node.children
        body = self.signed(body_node)
        if body == 0:
            # "\sum e^{x_d} \cdot 0": a sum of zeros, whatever its index and range (and the
            # other reading, (\sum e^{x_d}) \cdot 0, is 0 as well)
            self.notes.append(f"{self.source(node)} as 0 (every term is 0)")
            return sp.Integer(0)
        outside = self.outside(node)
        candidates = sorted((x for x in self.free_in(body) if str(x) not in outside), key=str)
        if len(candidates) != 1:
            found = ", ".join(map(str, candidates)) or "none"
            raise _fail(
                node, f"a sum without an index, and no one index free only in its body ({found}): write \\sum_k"
            )
        (k,) = candidates
        self.notes.append(f"{self.source(node)} as the sum over {k}")
        return sp.Sum(body, (k, sp.Integer(1), self.range_of(k, body)))

    # -- sums ------------------------------------------------------------------------------
    def sum(self, node: Tree) -> sp.Expr:
        _, lower, *rest = node.children
        if lower.data == "superscript":  # \sum^K_{k=1}: TeX sets the limits the same either way
            lower, rest = rest[0], [lower, rest[1]]
        upper_node = rest[0] if len(rest) == 2 else None
        body_node = rest[-1]
        kind = lower.data
        several = self.several_letters(lower) if kind == "subscript" else None
        if several:
            return self.multiple_sum(several, upper_node, body_node)
        if kind == "subscript":
            bound = self.single_letter(lower)
        else:
            bound = lower.children[0].value
        self.bound.append(bound)
        try:
            body = self.signed(body_node)
        finally:
            self.bound.pop()
        k = index(bound)
        upper = self.upper(upper_node) if upper_node is not None else None
        if kind == "sub_in":
            if upper is not None:
                raise _fail(upper_node, "a sum over n \\in N takes no upper limit")
            upper = self.count(lower.children[2], after_in=True)
        if upper is None:
            upper = self.range_of(k, body)
        if kind == "sub_except":
            other = index(lower.children[2].value)
            free = self.free_in(body)
            if k not in free and other in free and lower.children[0].value in self.outside(node):
                # \sum_{i \neq j} t_j with i free outside: the summand runs over j, i is left out
                self.notes.append(f"\\sum_{{{k} \\neq {other}}} as the sum over {other} ≠ {k}")
                return SumExcept(body, other, upper, k)
            return SumExcept(body, k, upper, other)
        start = sp.Integer(1)
        if kind == "sub_equal":
            first = lower.children[2]
            if (
                first.type == "LETTER"
                and upper_node is None
                and self.split_at(bound, first.value)
                and index(first.value) not in bound_indices(body)  # Σ_{j=i} Σ_i y_j s_i: i is taken
            ):
                # - \sum_{j=i} y_j ... - \sum_{j \neq i} y_j ...: the sum split into the term
                # j = i and the others; the first part is that one term
                self.notes.append(f"\\sum_{{{bound}={first.value}}} as the one term {bound} = {first.value}")
                return body.xreplace({k: index(first.value)})
            if first.type != "INT":
                raise _fail(
                    first,
                    "a sum starts at a number: \\sum_{k=1}^{K} (\\sum_{j=i} is read as the one term j = i only"
                    " beside \\sum_{j \\neq i} in the same equation)",
                )
            start = sp.Integer(first.value)
        return sp.Sum(body, (k, start, upper))

    def split_at(self, bound: str, other: str) -> bool:
        """Does the current equation (statement) also sum over ``bound`` ≠ ``other`` (\\sum_{j
        \\neq i})? Only then is \\sum_{j=i} the term j = i: alone it could be the sum from i on."""
        if self.link is None or bound == other or other in self.bound:
            return False
        for sub in self.link.iter_subtrees():
            if sub.data == "sub_except":
                letters = [t.value for t in sub.scan_values(lambda t: isinstance(t, Token) and t.type == "LETTER")]
                if letters == [bound, other]:
                    return True
        return False

    def several_letters(self, lower: Tree) -> list[str] | None:
        """\\sum_{i,j}: the letters of a subscript of single letters separated by commas."""
        (content,) = lower.children
        if content.data != "slots" or len(content.children) < 2:
            return None
        slots = [slot for slot in content.children if isinstance(slot, Tree)]
        if len(slots) < 2 or any(len(slot.children) != 1 or slot.children[0].data != "sub_atom" for slot in slots):
            return None
        tokens = [slot.children[0].children[0] for slot in slots]
        if any(t.type != "LETTER" for t in tokens) or len({t.value for t in tokens}) != len(tokens):
            return None
        return [t.value for t in tokens]

    def multiple_sum(self, letters: list[str], upper_node, body_node) -> sp.Expr:
        """\\sum_{i,j} f: Σ_i Σ_j f, each over its whole range."""
        self.bound.extend(letters)
        try:
            body = self.signed(body_node)
        finally:
            del self.bound[-len(letters) :]
        upper = self.upper(upper_node) if upper_node is not None else None
        for letter in reversed(letters):
            k = index(letter)
            body = sp.Sum(body, (k, sp.Integer(1), upper if upper is not None else self.range_of(k, body)))
        return body

    def single_letter(self, lower: Tree) -> str:
        """The bound letter of \\sum_k or \\sum_{k}."""
        (first,) = lower.children
        if first.data == "slots":
            slots = first.children
            if len(slots) == 1 and len(slots[0].children) == 1:
                first = slots[0].children[0]
        if first.data == "sub_atom" and first.children[0].type == "LETTER":
            return first.children[0].value
        raise _fail(lower, "write the sum's index as \\sum_k, \\sum_{k=1}^{K}, \\sum_{k \\neq i} or \\sum_{n \\in N}")

    def upper(self, node: Tree) -> sp.Expr:
        (value,) = node.children
        if isinstance(value, Tree):
            letter = self.bare_letter(value)
            if letter is None:
                return self.expression(value)
            value = next(t for t in value.scan_values(lambda t: isinstance(t, Token)))
        if value.type == "INT":
            return sp.Integer(value.value)
        return self.count(value, after_in=False)

    def count(self, token: Token, after_in: bool) -> sp.Expr:
        name = token.value
        nt = self.notation
        if name in self.letters.class_counts:
            return nt.classes
        if name in self.letters.example_counts:
            if nt.examples is None:
                raise _fail(token, f"{name} counts examples, but this notation has none")
            return nt.examples
        if name in self.counts:
            return self.counts[name]
        where = "after \\in" if after_in else "as an upper limit"
        raise _fail(token, f"{name} is not a declared count {where} (declared: {self.count_names()})")

    def count_names(self) -> str:
        return ", ".join(sorted(self.letters.count_names()))

    def range_of(self, k: sp.Symbol, body: sp.Expr) -> sp.Expr:
        """\\sum_k f: over the examples if k is the first index of a two-index entry, else the classes."""
        nt = self.notation
        if nt.examples is not None:
            for entry in body.atoms(sp.Indexed):
                if len(entry.indices) == 2 and entry.indices[0] == k:
                    return nt.examples
        return nt.classes

    # -- letters ---------------------------------------------------------------------------
    def declared(self, name: str) -> bool:
        lt = self.letters
        return name in lt.families or name in lt.defined or name in lt.scalars or name in self.counts

    def declared_names(self) -> str:
        lt = self.letters
        names = list(lt.families) + list(lt.defined) + list(lt.scalars) + list(self.counts)
        return ", ".join(dict.fromkeys(names))

    def symbol(self, token: Token) -> sp.Expr:
        """A letter standing alone (no subscript)."""
        name = token.value
        lt = self.letters
        if name in self.bound:
            return index(name)
        if name in lt.defined:
            # kept for the core's domain check: H − H cancels, H's log y_k must still be defined
            self.guards.append(lt.defined[name])
            return lt.defined[name]
        if name in lt.scalars:
            return lt.scalars[name]
        if name in lt.families:
            raise _fail(token, f"{name} needs an index: {name}_i")
        if name in self.counts:
            return self.counts[name]
        if name == "e":
            return sp.E
        if name == "softmax":
            raise _fail(token, "softmax needs its argument and an index: softmax(z)_i")
        raise _fail(token, f"unknown symbol {name} (declared: {self.declared_names()})")

    def entry(self, token: Token, sub: Tree | None) -> sp.Expr:
        """s_i, z_{n,i}, \\sigma_{v_j}, \\delta_{ij}, or a letter without subscript."""
        if sub is None:
            return self.symbol(token)
        name = token.value
        lt = self.letters
        if sub.data != "subscript":
            raise _fail(sub, f"a condition after {name}_ belongs to a sum or an indicator")
        inner = re.fullmatch(r"_(?:\{([A-Za-z0-9]+)\}|([A-Za-z0-9]))", self.source(sub).replace(" ", ""))
        if inner:  # \mathcal{L}_{CE}, L_i, w_1: declared as one name, subscript and all
            word = inner.group(1) or inner.group(2)
            named = f"{name}_{{{word}}}"
            if named in lt.defined and word in self.bound:
                # \sum_i L_i: the author's L_i varies with i, derive's name L_i does not
                raise _fail(
                    sub, f"{named} is a name, but {word} is bound by a sum around it (its value would not vary)"
                )
            if named in lt.defined:
                self.guards.append(lt.defined[named])
                return lt.defined[named]
            if named in lt.scalars:
                return lt.scalars[named]
        if not self.declared(name) and name != r"\delta" and not any(base == name for base, _ in lt.aliases):
            raise _fail(token, f"unknown symbol {name} (declared: {self.declared_names()})")
        slots = self.slots(sub)
        if len(slots) >= 3:
            raise _fail(sub, f"{name} has {len(slots)} indices; at most 2 (z_{{n,i}})")
        if len(slots) == 1 and isinstance(slots[0], tuple):
            letter, inner = slots[0]
            family = lt.aliases.get((name, letter))
            if family is None:
                raise _fail(sub, f"unknown symbol {name}_{{{letter}_...}} (no alias ({name}, {letter}) is declared)")
            return self.indexed(family, name, self.slots(inner), sub)
        if any(isinstance(s, tuple) for s in slots):
            raise _fail(sub, "an index is a letter or a number")
        if name in lt.families:
            return self.indexed(lt.families[name], name, slots, sub)
        if name == r"\delta":
            if len(slots) != 2:
                raise _fail(sub, "\\delta takes two indices: \\delta_{ij}")
            return sp.KroneckerDelta(*slots)
        if name in lt.defined or name in lt.scalars or name in self.counts:
            raise _fail(sub, f"{name} takes no index")
        raise _fail(token, f"unknown symbol {name} (declared: {self.declared_names()})")

    def indexed(self, family: sp.IndexedBase, name: str, slots: list, where) -> sp.Expr:
        arity = 2 if self.notation.examples is not None else 1
        if len(slots) != arity:
            example = f"{name}_{{n,i}}" if arity == 2 else f"{name}_i"
            raise _fail(where, f"{name} takes {arity} {'index' if arity == 1 else 'indices'} ({example})")
        if any(isinstance(s, tuple) for s in slots):
            raise _fail(where, "an index is a letter or a number")
        entry = family[tuple(slots)] if arity == 2 else family[slots[0]]
        if self.notation.rule_of(family) is not None:
            self.guards.append(entry)  # ℓ_j − ℓ_j: ℓ's rule must still be defined
        return entry

    def slots(self, sub: Tree) -> list:
        """The indices of a subscript: letters become index symbols, digits numbers; a nested
        v_j is returned as ("v", its subscript) for the alias lookup."""
        (content,) = sub.children
        if content.data != "slots":
            return [self.slot_atom(content)]
        groups = [slot.children for slot in content.children if isinstance(slot, Tree)]
        if len(groups) == 1:
            return [self.slot_atom(atom) for atom in groups[0]]  # y_{ni}, \delta_{ij}
        result = []
        for atoms in groups:
            if len(atoms) != 1:
                raise _fail(atoms[1], "one index per comma: z_{n,i}")
            result.append(self.slot_atom(atoms[0]))
        return result

    def slot_atom(self, atom: Tree):
        if atom.data == "nested_index":
            return (atom.children[0].value, atom.children[1])
        token = atom.children[0]
        if token.type == "INT":
            number = sp.Integer(token.value)
            if number == 0:
                raise _fail(token, "indices start at 1")
            return number
        return index(token.value)

    # -- conditions, cases, matrices -------------------------------------------------------------
    def condition(self, cond: Tree, make=Indicator) -> sp.Expr:
        a, relation, b = cond.children
        value = make(index(a.value), index(b.value))
        return value if relation.type == "EQ" else 1 - value

    def indicator_subscript(self, sub: Tree) -> sp.Expr:
        if sub.data == "sub_condition":
            return self.condition(sub.children[0])
        if sub.data == "sub_equal" and sub.children[2].type == "LETTER":
            return self.condition(Tree("cond", sub.children))
        raise _fail(sub, "an indicator is written 1_{i=j}, 1_{\\{i=j\\}}, 1(i=j) or \\mathbb{1}\\{i=j\\}")

    def cases(self, node: Tree) -> sp.Expr:
        """A value per condition (i = j, i ≠ j, otherwise) as one expression in δ_ij."""
        pair = None
        values = {}
        for row in (child for child in node.children if isinstance(child, Tree)):
            value = self.expression(row.children[0])
            relation = "otherwise"
            if len(row.children) == 2:
                a, sign, b = row.children[1].children
                relation = sign.type
                if pair is not None and {a.value, b.value} != set(pair):
                    raise _fail(row.children[1], "the conditions of these cases are about different indices")
                pair = pair or (a.value, b.value)
            if relation in values:
                raise _fail(row, "two rows of these cases have the same condition")
            values[relation] = value
        if pair is None:
            raise _fail(node, "cases need a condition such as i = j")
        delta = sp.KroneckerDelta(index(pair[0]), index(pair[1]))
        equal = values.get("EQ", values.get("otherwise"))
        different = values.get("NEQ", values.get("otherwise"))
        if equal is None or different is None:
            raise _fail(node, "these cases do not cover every index: add an 'otherwise' row")
        return equal * delta + different * (1 - delta)

    def matrix(self, node: Tree) -> sp.Expr:
        rows = [[self.expression(cell) for cell in row.children] for row in node.children if isinstance(row, Tree)]
        if len({len(row) for row in rows}) != 1:
            raise _fail(node, "the rows of this matrix have different lengths")
        return sp.ImmutableMatrix(rows)
