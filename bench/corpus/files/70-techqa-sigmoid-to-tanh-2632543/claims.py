from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Scalar x = v.x; s is the logistic sigmoid (the asker's definition on line 5).
SETTING = Setting(indices=(), labels="any")

ex = lambda v: exp(v.x)
emx = lambda v: exp(-v.x)
sinh_over_cosh = lambda v: ((ex(v) - emx(v)) / 2) / ((ex(v) + emx(v)) / 2)
A = lambda v: (ex(v) - emx(v)) / (ex(v) + emx(v))
B = lambda v: (ex(v) + ex(v) - ex(v) - emx(v)) / (ex(v) + emx(v))
C = lambda v: 2 * ex(v) / (ex(v) + emx(v)) - 1
Dd = lambda v: 2 * (ex(v) * emx(v)) / (ex(v) * emx(v) + emx(v) * emx(v)) - 1
E = lambda v: 2 * 1 / (1 + exp(-2 * v.x)) - 1
F = lambda v: 2 * sigmoid(2 * v.x) - 1

CLAIMS = [
    Claim(line=5, column=8, kind="definition", written=r"s(x) = \frac{1}{1 + e^{-x}}"),
    Claim(line=9, column=12, kind="link", expected=True, written=r"\tanh(x) = 2s(2x) - 1",
          note="stated by the asker as the known identity",
          lhs=lambda v: tanh(v.x), rhs=F),
    Claim(line=21, column=11, kind="definition", written=r"\tanh x := \dfrac{\sinh x}{\cosh x}"),
    Claim(line=21, column=39, kind="link", expected=True, written=r"= \dfrac{e^x-e^{-x}}{e^x+e^{-x}}",
          lhs=sinh_over_cosh, rhs=A),
    Claim(line=21, column=71, kind="link", expected=True, written=r"=\dfrac{e^x+e^{x}-e^{x}-e^{-x}}{e^x+e^{-x}}",
          lhs=A, rhs=B),
    Claim(line=21, column=114, kind="link", expected=True, written=r"=2\dfrac{e^x}{e^x+e^{-x}}-1",
          lhs=B, rhs=C),
    Claim(line=23, column=3, kind="link", expected=True, written=r"=2\dfrac{e^xe^{-x}}{e^xe^{-x}+e^{-x}e^{-x}}-1",
          note="the chain continues in a second display that opens with '=' (line 21 ends with the previous right side)",
          lhs=C, rhs=Dd),
    Claim(line=23, column=48, kind="link", expected=True, written=r"=2\dfrac{1}{1+e^{-2x}}-1", lhs=Dd, rhs=E),
    Claim(line=23, column=72, kind="link", expected=True, written=r"=2s(2x)-1", lhs=E, rhs=F),
]

MUTANTS = [
    Mutant(line=21, column=114, find=r"=2\dfrac{e^x}{e^x+e^{-x}}-1", replace=r"=2\dfrac{e^x}{e^x+e^{-x}}+1",
           operator="sign flip", lhs=B, rhs=lambda v: 2 * ex(v) / (ex(v) + emx(v)) + 1),
    Mutant(line=23, column=48, find=r"=2\dfrac{1}{1+e^{-2x}}-1", replace=r"=2\dfrac{1}{1+e^{-x}}-1",
           operator="wrong power", lhs=Dd, rhs=lambda v: 2 / (1 + exp(-v.x)) - 1),
]
