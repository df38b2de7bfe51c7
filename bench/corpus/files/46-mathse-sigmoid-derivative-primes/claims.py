from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Scalar x = v.x; a prime is the derivative with respect to x, evaluated with d().
SETTING = Setting(indices=(), labels="any")

den = lambda v: (1 + exp(-v.x)) ** 2
B = lambda v: -d(lambda x: 1 + exp(-x), v.x) / den(v)
C = lambda v: (-d(lambda x: 1 + 0 * x, v.x) - d(lambda x: exp(-x), v.x)) / den(v)
Dd = lambda v: (0 - d(lambda x: -x, v.x) * exp(-v.x)) / den(v)
E = lambda v: (-(-1) * exp(-v.x)) / den(v)
F = lambda v: exp(-v.x) / den(v)
ex = lambda v: exp(v.x)
G = lambda v: (1 / ex(v)) / (1 + 1 / ex(v)) ** 2
H = lambda v: (1 / ex(v)) / ((ex(v) + 1) / ex(v)) ** 2
I = lambda v: (1 / ex(v)) / ((ex(v) + 1) ** 2 / (ex(v) * ex(v)))
J = lambda v: 1 / ((ex(v) + 1) ** 2 / ex(v))
K_ = lambda v: ex(v) / (1 + ex(v)) ** 2

CLAIMS = [
    Claim(line=18, column=47, kind="rule", written=r"\left(\frac{1}{f(x)}\right)'=-\frac{f'(x)}{f^2(x)}"),
    Claim(line=20, column=35, kind="link", expected=True,
          written=r"\left(\frac{1}{1+e^{-x}}\right)'=\frac{-(1+e^{-x})'}{(1+e^{-x})^2}",
          lhs=lambda v: d(lambda x: 1 / (1 + exp(-x)), v.x), rhs=B),
    Claim(line=20, column=69, kind="link", expected=True, written=r"=\frac{-1'-(e^{-x})'}{(1+e^{-x})^2}", lhs=B, rhs=C),
    Claim(line=20, column=104, kind="link", expected=True, written=r"=\frac{0-(-x)'(e^{-x})}{(1+e^{-x})^2}", lhs=C, rhs=Dd),
    Claim(line=20, column=141, kind="link", expected=True, written=r"=\frac{-(-1)(e^{-x})}{(1+e^{-x})^2}", lhs=Dd, rhs=E),
    Claim(line=20, column=182, kind="link", expected=True, written=r"=$$ $$=\frac{e^{-x}}{(1+e^{-x})^2}",
          note="the relation is split over two displays: a trailing '=' (column 176) and a leading '=' (column 182)",
          lhs=E, rhs=F),
    Claim(line=29, column=24, kind="link", expected=True, written=r"e^{-x}=\frac{1}{e^x}",
          lhs=lambda v: exp(-v.x), rhs=lambda v: 1 / ex(v)),
    Claim(line=29, column=83, kind="link", expected=True,
          written=r"\frac{e^{-x}}{(1+e^{-x})^2}=\dfrac{\dfrac{1}{e^x}}{(1+\dfrac{1}{e^x})^2}", lhs=F, rhs=G),
    Claim(line=29, column=128, kind="link", expected=True, written=r"=\dfrac{\dfrac{1}{e^x}}{(\dfrac{e^x+1}{e^x})^2}", lhs=G, rhs=H),
    Claim(line=29, column=181, kind="link", expected=True,
          written=r"=$$ $$=\frac{\dfrac{1}{e^x}}{\dfrac{(e^x+1)^2}{e^x\cdot e^x}}",
          note="split over two displays: trailing '=' at column 175, leading '=' at column 181", lhs=H, rhs=I),
    Claim(line=29, column=236, kind="link", expected=True, written=r"=\frac{1}{\dfrac{(e^x+1)^2}{e^x}}", lhs=I, rhs=J),
    Claim(line=29, column=269, kind="link", expected=True, written=r"=\frac{e^x}{(1+e^x)^2}", lhs=J, rhs=K_),
]

MUTANTS = [
    Mutant(line=20, column=141, find=r"=\frac{-(-1)(e^{-x})}", replace=r"=\frac{-(e^{-x})}", operator="dropped factor (sign)",
           lhs=Dd, rhs=lambda v: -exp(-v.x) / den(v)),
    Mutant(line=29, column=269, find=r"=\frac{e^x}{(1+e^x)^2}", replace=r"=\frac{e^{2x}}{(1+e^x)^2}", operator="wrong power",
           lhs=J, rhs=lambda v: exp(2 * v.x) / (1 + ex(v)) ** 2),
]
