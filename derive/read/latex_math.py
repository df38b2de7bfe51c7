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

from dataclasses import dataclass

import sympy as sp
from lark import Token, Tree
from lark.exceptions import UnexpectedInput, UnexpectedToken
from sympy.matrices.exceptions import NonSquareMatrixError, ShapeError

from derive.core import Indicator, Notation, Partial, SumExcept, index, sigmoid

from .grammar import PARSER
from .latex_tokens import MathSyntaxError, scan

__all__ = ["Letters", "Link", "MathSyntaxError", "Statement", "read_block", "read_expression"]

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


@dataclass(frozen=True)
class Link:
    """One expression of a chain, where it starts in the block, and its line's % comment."""

    expr: object
    line: int
    column: int
    comment: str | None


@dataclass(frozen=True)
class Statement:
    """A = B = C. A first link None means the block began with '=': it continues the last one."""

    links: tuple


def read_block(text: str, letters: Letters) -> tuple[Statement, ...]:
    """The statements of one display-math block, in order."""
    found = scan(text)
    tree = _parse(found.tokens, "start")
    reader = _Reader(letters)
    statements = []
    for part in tree.children:
        if isinstance(part, Token):
            continue  # an arrow between statements
        links = []
        for child in part.children:
            if isinstance(child, Token):  # '='
                if not links:
                    links.append(None)
                continue
            try:
                expr = reader.expression(child.children[0])
            except (ShapeError, NonSquareMatrixError) as error:  # whatever the checks above missed
                raise _fail(child, f"an ill-formed matrix expression ({error})") from None
            line, column = child.meta.line, child.meta.column
            comment = found.comments.get(line)
            if comment is None:
                comment = next(
                    (found.comments[n] for n in range(line + 1, child.meta.end_line + 1) if n in found.comments), None
                )
            links.append(Link(expr, line, column, comment))
        if links and links != [None]:
            statements.append(Statement(tuple(links)))
    return tuple(statements)


def read_expression(text: str, letters: Letters) -> object:
    """One expression (no '=')."""
    found = scan(text)
    tree = _parse(found.tokens, "expression")
    return _Reader(letters).expression(tree.children[0])


# -- parsing -----------------------------------------------------------------------------

_STARTS_EXPRESSION = {"LETTER", "SYMBOL", "INT", "BBONE", "FRAC", "FUNC", "SUM", "_LPAR", "BEGIN_CASES"}
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


class _Reader:
    def __init__(self, letters: Letters):
        self.letters = letters
        self.notation = letters.notation
        self.bound: list[str] = []  # letters bound by the sums around the current node
        nt = self.notation
        self.counts = {str(nt.classes): nt.classes}
        if nt.examples is not None:
            self.counts[str(nt.examples)] = nt.examples

    # -- sums and products -------------------------------------------------------------------
    def expression(self, node: Tree) -> sp.Expr:
        signed, *rest = node.children
        total = [self.signed(signed)]
        for op, term in zip(rest[::2], rest[1::2]):
            value = self.term(term)
            total.append(-value if op.children[0].type == "MINUS" else value)
        shapes = {_shape(x) for x in total}
        if len(shapes) > 1:
            raise _fail(node, "a sum of " + " and ".join(sorted(_shape_words(x) for x in shapes)) + ": shapes differ")
        return sum(total[1:], total[0]) if isinstance(total[0], sp.MatrixBase) else sp.Add(*total)

    def signed(self, node: Tree) -> sp.Expr:
        if len(node.children) == 2:
            value = self.term(node.children[1])
            return -value if node.children[0].children[0].type == "MINUS" else value
        return self.term(node.children[0])

    def term(self, node: Tree) -> sp.Expr:
        items = node.children
        result: sp.Expr = sp.Integer(1)
        dividing = False
        position = 0
        while position < len(items):
            item = items[position]
            if item.data == "mulop":
                dividing = item.children[0].type == "DIV"
                position += 1
                continue
            following = items[position + 1] if position + 1 < len(items) else None
            value, used = self.applied(item, following)
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
            result = result / value if dividing else result * value
            dividing = False
        return result

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
        if argument.data == "condition" and (
            head.data == "bbone" or (head.data == "number" and head.children[0].value == "1")
        ):
            return self.power(self.condition(argument.children[0], Indicator), following)
        if head.data == "letter":
            name = head.children[0].value
            if name in self.letters.defined and argument.data in ("paren", "arguments"):
                self.dependencies(name, argument)
                return self.power(self.letters.defined[name], following)
            if name == self.letters.sigmoid_name and self.sigmoid_allowed() and argument.data == "paren":
                return self.power(sigmoid(self.expression(argument.children[0])), following)
        return None

    def sigmoid_allowed(self) -> bool:
        name = self.letters.sigmoid_name
        taken = {base for base, _ in self.letters.aliases} | set(self.letters.families) | set(self.letters.scalars)
        return name not in taken and name not in self.letters.defined

    def dependencies(self, name: str, argument: Tree) -> None:
        """L(y, s): the arguments only say what L depends on; each must be a declared family."""
        parts = [part for part in argument.children if isinstance(part, Tree)]
        for part in parts:
            words = self.bare_letter(part)
            if words is None or words not in self.letters.families:
                raise _fail(part, f"the arguments of {name}(...) must be family letters such as y, s")

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
        if node.data in ("sum", "partial_tail"):
            return self.tail(node)
        primary, *scripts = node.children
        sub = next((s for s in scripts if s.data != "superscript"), None)
        sup = next((s for s in scripts if s.data == "superscript"), None)
        if primary.data == "letter":
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

    def function(self, name: str, value: sp.Expr, where) -> sp.Expr:
        if isinstance(value, sp.MatrixBase):
            what = "an exponent" if name == "exp" else f"\\{name}"
            raise _fail(where, f"{_shape_words(_shape(value))} in {what}: not part of derive's vocabulary")
        return sp.exp(value) if name == "exp" else sp.log(value)

    def primary(self, node: Tree) -> sp.Expr:
        kind = node.data
        if kind == "number":
            return sp.Integer(node.children[0].value)
        if kind == "paren":
            return self.expression(node.children[0])
        if kind == "arguments":
            raise _fail(node, "a list (a, b) is not an expression")
        if kind == "condition":
            raise _fail(node, "a condition belongs in 1(i=j), 1_{i=j} or \\delta_{ij}")
        if kind == "frac":
            numerator, denominator = self.expression(node.children[1]), self.expression(node.children[2])
            if denominator == 0:
                raise _fail(node, "division by zero")
            if isinstance(denominator, sp.MatrixBase):
                raise _fail(node, f"division by {_shape_words(_shape(denominator))}: not part of derive's vocabulary")
            return numerator / denominator
        if kind == "derivative":
            _, _, top, _, bottom = node.children
            return Partial(self.factor(top), self.variable(bottom))
        if kind == "partial_apply":
            dop, operand = node.children
            return Partial(self.factor(operand), self.variable(dop.children[-1]))
        if kind == "function":
            name, argument = node.children
            return self.function(name.value, self.factor(argument), node)
        if kind == "cases":
            return self.cases(node)
        if kind == "matrix":
            return self.matrix(node)
        raise _fail(node, f"cannot read {kind}")  # pragma: no cover - every grammar rule is handled

    def variable(self, node: Tree) -> sp.Expr:
        value = self.factor(node)
        if isinstance(value, sp.Indexed) or (isinstance(value, sp.Symbol) and value in self.letters.scalars.values()):
            return value
        raise _fail(node, "differentiate with respect to a family entry such as z_j, or a declared scalar")

    def tail(self, node: Tree) -> sp.Expr:
        if node.data == "partial_tail":
            dop, inner = node.children
            return Partial(self.tail(inner), self.variable(dop.children[-1]))
        return self.sum(node)

    # -- sums ------------------------------------------------------------------------------
    def sum(self, node: Tree) -> sp.Expr:
        _, lower, *rest = node.children
        upper_node = rest[0] if len(rest) == 2 else None
        body_node = rest[-1]
        kind = lower.data
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
            return SumExcept(body, k, upper, index(lower.children[2].value))
        start = sp.Integer(1)
        if kind == "sub_equal":
            first = lower.children[2]
            if first.type != "INT":
                raise _fail(first, "a sum starts at a number: \\sum_{k=1}^{K}")
            start = sp.Integer(first.value)
        return sp.Sum(body, (k, start, upper))

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
        names = sorted(self.letters.class_counts | self.letters.example_counts | set(self.counts))
        return ", ".join(names)

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
            return lt.defined[name]
        if name in lt.scalars:
            return lt.scalars[name]
        if name in lt.families:
            raise _fail(token, f"{name} needs an index: {name}_i")
        if name in self.counts:
            return self.counts[name]
        if name == "e":
            return sp.E
        raise _fail(token, f"unknown symbol {name} (declared: {self.declared_names()})")

    def entry(self, token: Token, sub: Tree | None) -> sp.Expr:
        """s_i, z_{n,i}, \\sigma_{v_j}, \\delta_{ij}, or a letter without subscript."""
        if sub is None:
            return self.symbol(token)
        name = token.value
        lt = self.letters
        if sub.data != "subscript":
            raise _fail(sub, f"a condition after {name}_ belongs to a sum or an indicator")
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
        return family[tuple(slots)] if arity == 2 else family[slots[0]]

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
