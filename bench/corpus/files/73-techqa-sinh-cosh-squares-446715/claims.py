from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Scalar x = v.x. \cancel{...} is typographic (a term struck through, still part of the sum as written).
SETTING = Setting(indices=(), labels="any")

ex = lambda v: exp(v.x)
emx = lambda v: exp(-v.x)
e2 = lambda v: exp(2 * v.x)
em2 = lambda v: exp(-2 * v.x)
cosh2 = lambda v: ((ex(v) + emx(v)) / 2) ** 2
sinh2 = lambda v: ((ex(v) - emx(v)) / 2) ** 2
R1 = lambda v: (e2(v) + em2(v) - 2) / 4 - (e2(v) + em2(v) + 2) / 4
R2 = lambda v: (e2(v) + em2(v) - 2 - e2(v) - em2(v) - 2) / 4
R3 = lambda v: (em2(v) - 2 - em2(v) - 2) / 4

CLAIMS = [
    Claim(line=2, column=10, kind="definition", written=r"\sinh(x)=\dfrac{e^x-e^{-x}}{2}"),
    Claim(line=3, column=10, kind="definition", written=r"\cosh(x)=\dfrac{e^x+e^{-x}}{2}"),
    Claim(line=7, column=14, kind="link", expected=True, written=r"\cosh^2(x) = \frac{(e^{x}+e^{-x})^2}{4}",
          lhs=cosh2, rhs=lambda v: (ex(v) + emx(v)) ** 2 / 4),
    Claim(line=7, column=43, kind="link", expected=True, written=r"= \frac{e^{2x}+e^{-2x}+2e^0}{4}",
          lhs=lambda v: (ex(v) + emx(v)) ** 2 / 4, rhs=lambda v: (e2(v) + em2(v) + 2 * exp(0)) / 4),
    Claim(line=8, column=14, kind="link", expected=True, written=r"\sinh^2(x) = \frac{(e^{x}-e^{-x})^2}{4}",
          lhs=sinh2, rhs=lambda v: (ex(v) - emx(v)) ** 2 / 4),
    Claim(line=8, column=43, kind="link", expected=True, written=r"= \frac{e^{2x}+e^{-2x}-2e^0}{4}",
          lhs=lambda v: (ex(v) - emx(v)) ** 2 / 4, rhs=lambda v: (e2(v) + em2(v) - 2 * exp(0)) / 4),
    Claim(line=9, column=62, kind="link", expected=True,
          written=r"\sinh^2(x) - \cosh^2(x) &= \frac{e^{2x}+e^{-2x}-2}{4} - \frac{e^{2x}+e^{-2x}+2}{4}",
          lhs=lambda v: sinh2(v) - cosh2(v), rhs=R1),
    Claim(line=9, column=123, kind="link", expected=True,
          written=r"&=\frac{\cancel{e^{2x}}+e^{-2x}-2 - \cancel{e^{2x}}-e^{-2x}-2}{4}", lhs=R1, rhs=R2),
    Claim(line=9, column=191, kind="link", expected=True,
          written=r"&=\frac{\cancel{e^{-2x}}-2 -\cancel{e^{-2x}}-2}{4}", lhs=R2, rhs=R3),
    Claim(line=9, column=244, kind="link", expected=True, written=r"&=\frac{-2 -2}{4}",
          lhs=R3, rhs=lambda v: (-2 - 2) / 4 + 0 * v.x),
    Claim(line=9, column=264, kind="link", expected=True, written=r"&=\frac{-4}{4}",
          lhs=lambda v: (-2 - 2) / 4 + 0 * v.x, rhs=lambda v: -4 / 4 + 0 * v.x),
    Claim(line=9, column=281, kind="link", expected=True, written=r"&=-1",
          lhs=lambda v: -4 / 4 + 0 * v.x, rhs=lambda v: -1 + 0 * v.x),
    Claim(line=10, column=119, kind="link", expected=True,
          written=r"\cosh^2(x) - \sinh^2(x) &= -(\sinh^2(x) - \cosh^2(x))",
          lhs=lambda v: cosh2(v) - sinh2(v), rhs=lambda v: -(sinh2(v) - cosh2(v))),
    Claim(line=10, column=152, kind="link", expected=True, written=r"&= - (-1)",
          note="uses the result of line 9, sinh^2 - cosh^2 = -1",
          lhs=lambda v: -(sinh2(v) - cosh2(v)), rhs=lambda v: -(-1) + 0 * v.x),
    Claim(line=10, column=165, kind="link", expected=True, written=r"&= 1",
          lhs=lambda v: -(-1) + 0 * v.x, rhs=lambda v: 1 + 0 * v.x),
]

MUTANTS = [
    Mutant(line=7, column=43, find=r"= \frac{e^{2x}+e^{-2x}+2e^0}{4}", replace=r"= \frac{e^{2x}+e^{-2x}}{4}",
           operator="dropped term (cross term)", lhs=lambda v: (ex(v) + emx(v)) ** 2 / 4, rhs=lambda v: (e2(v) + em2(v)) / 4),
    Mutant(line=9, column=191, find=r"&=\frac{\cancel{e^{-2x}}-2 -\cancel{e^{-2x}}-2}{4}",
           replace=r"&=\frac{\cancel{e^{-2x}}-2 -\cancel{e^{-2x}}+2}{4}", operator="sign flip",
           lhs=R2, rhs=lambda v: (em2(v) - 2 - em2(v) + 2) / 4),
]
