"""The grammar of one display-math block, over the tokens of :mod:`derive.read.latex_tokens`.

LALR, so parsing is a loop over a stack (no recursion, linear time). Repetitions are written
with ``*`` so that long sums and products become flat lists, not deep trees. The only
shift/reduce choices Lark resolves by shifting are the ones TeX readers make too: a bare
argument takes its superscript (``\\log s_i^2`` is log(s_i²)), and the body of ``\\sum``
runs to the end of its product term.

Derivative notations are parsed as their parts and recognised by the reader, which sees the
whole product around them: ``\\partial f`` (a differential: ``\\frac{\\partial f}{\\partial x}``
and ``\\partial f / \\partial x``), ``\\partial_{z_j}`` and ``\\nabla_{z_j}`` (operators),
``f'`` (a prime), and ``d`` in ``\\frac{d}{dx}`` and ``df/dx``, which is a letter to the parser.
"""

from __future__ import annotations

from lark import Lark
from lark.lexer import Lexer

__all__ = ["PARSER"]

GRAMMAR = r"""
start: statement (ARROW statement)*
expression: expr

statement: link? (EQ link)*
link: expr

expr: signed (addop term)*
signed: addop? term
addop: PLUS | MINUS

term: factor (mulop? factor)* (mulop? tail)?
    | tail
    | ELLIPSIS              -> ellipsis
mulop: MUL | DIV
    | MUL MINUS           -> mulop_negated
    | DIV MINUS           -> mulop_negated

tail: SUM subscript superscript? signed   -> sum
    | SUM superscript subscript signed     -> sum
    | SUM signed                          -> bare_sum
    | dop tail                            -> partial_tail

factor: primary subscript? superscript?

?primary: LETTER            -> letter
    | SYMBOL                -> letter
    | INT                   -> number
    | DECIMAL               -> decimal
    | BBONE                 -> bbone
    | _LPAR expr (COMMA expr)+ _RPAR -> arguments
    | _LPAR expr _RPAR      -> paren
    | _LPAR expr _RPAR PRIME -> primed_expression
    | INT PRIME             -> primed_expression
    | _LBRACK expr _RBRACK  -> paren
    | _LBRACE expr _RBRACE  -> paren
    | _LSET expr _RSET      -> paren
    | _LPAR cond _RPAR      -> condition
    | _LSET cond _RSET      -> condition
    | FRAC _LBRACE expr _RBRACE _LBRACE expr _RBRACE -> frac
    | NAME                  -> name
    | OPAQUE                -> opaque
    | LETTER PRIME          -> primed
    | SYMBOL PRIME          -> primed
    | NAME PRIME            -> primed
    | PARTIAL factor        -> differential
    | PARTIAL tail          -> differential
    | PARTIAL subscript     -> partial_sub
    | NABLA subscript       -> nabla
    | dop factor            -> partial_apply
    | FUNC factor           -> function
    | FUNC tail             -> function
    | FUNC superscript factor -> function_power
    | FUNC subscript factor -> function_sub
    | FUNC PRIME factor     -> function_prime
    | FUNC superscript tail -> function_power
    | BEGIN_CASES case_row (_BREAK case_row)* _BREAK? END_CASES -> cases
    | BEGIN_MATRIX matrix_row (_BREAK matrix_row)* _BREAK? END_MATRIX -> matrix

dop: FRAC _LBRACE PARTIAL _RBRACE _LBRACE PARTIAL factor _RBRACE

case_row: expr _AMP cond?
matrix_row: expr (_AMP expr)*

cond: LETTER EQ LETTER
    | LETTER NEQ LETTER

subscript: _UNDER sub_atom
    | _UNDER _LBRACE slots _RBRACE
    | _UNDER _LBRACE LETTER EQ (LETTER | INT) _RBRACE -> sub_equal
    | _UNDER _LBRACE LETTER NEQ LETTER _RBRACE        -> sub_except
    | _UNDER _LBRACE LETTER IN LETTER _RBRACE         -> sub_in
    | _UNDER _LBRACE LETTER IN _LBRACK LETTER _RBRACK _RBRACE -> sub_in
    | _UNDER _LBRACE _LSET cond _RSET _RBRACE         -> sub_condition
slots: slot (COMMA slot)*
slot: sub_atom+
sub_atom: LETTER
    | INT
    | LETTER subscript  -> nested_index

superscript: _CARET LETTER
    | _CARET INT
    | _CARET SYMBOL
    | _CARET _LBRACE expr _RBRACE

%declare ELLIPSIS ARROW EQ PLUS MINUS MUL DIV SUM LETTER SYMBOL INT DECIMAL BBONE COMMA FRAC PARTIAL FUNC NAME PRIME NABLA
%declare BEGIN_CASES END_CASES BEGIN_MATRIX END_MATRIX NEQ IN OPAQUE
%declare _LPAR _RPAR _LBRACK _RBRACK _LBRACE _RBRACE _LSET _RSET _BREAK _AMP _UNDER _CARET
"""

# The scanner names punctuation without the leading underscore Lark uses to drop a token
# from the tree; the feed renames it.
_FILTERED = {"LPAR", "RPAR", "LBRACK", "RBRACK", "LBRACE", "RBRACE", "LSET", "RSET", "BREAK", "AMP", "UNDER", "CARET"}


class _Feed(Lexer):
    """Hands the scanner's tokens to the parser (Lark's custom-lexer interface)."""

    def __init__(self, lexer_conf):
        pass

    def lex(self, tokens):
        for token in tokens:
            if token.type in _FILTERED:
                yield token.update(type="_" + token.type)
            else:
                yield token


PARSER = Lark(
    GRAMMAR,
    parser="lalr",
    lexer=_Feed,
    start=["start", "expression"],
    propagate_positions=True,
    maybe_placeholders=False,
)
