from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Scalar x = v.x; \mathrm{e} and e are both Euler's number; ln and the second answer's bare `log` are natural logs.
# alpha = 1 + e^{-x}, beta = 1/alpha (the second answer's definitions, lines 16 and 18).
SETTING = Setting(indices=(), labels="any")

ex = lambda v: exp(v.x)
emx = lambda v: exp(-v.x)
alpha = lambda t: 1 + exp(-t)
beta = lambda t: 1 / alpha(t)
logsig = lambda t: log(1 / (1 + exp(-t)))
softplus = lambda t: log(exp(t) + 1)
A1 = lambda v: (ex(v) * 1) / (ex(v) * 1 + ex(v) * emx(v))
A2 = lambda v: ex(v) / (ex(v) + 1)
B1 = lambda v: log(ex(v)) - softplus(v.x)
B2 = lambda v: v.x - softplus(v.x)
C1 = lambda v: d(lambda t: t - softplus(t), v.x)
C2 = lambda v: d(lambda t: t, v.x) - d(softplus, v.x)
dlogb_db = lambda v: d(log, beta(v.x))
E1 = lambda v: dlogb_db(v) * d(beta, v.x)
E2 = lambda v: dlogb_db(v) * d(lambda a: a ** -1, alpha(v.x)) * d(alpha, v.x)
E3 = lambda v: (1 / beta(v.x)) * (-1 / alpha(v.x) ** 2) * (-emx(v))
E4 = lambda v: emx(v) / (1 + emx(v))
E5 = lambda v: 1 / (ex(v) + 1)

CLAIMS = [
    Claim(line=5, column=57, kind="link", expected=True,
          written=r"\dfrac{1}{1+e^{-x}} = \dfrac{\mathrm{e}^{x} \cdot 1}{\mathrm{e}^{x} \cdot 1 + \mathrm{e}^{x} \cdot e^{-x}}",
          lhs=lambda v: 1 / (1 + emx(v)), rhs=A1),
    Claim(line=5, column=144, kind="link", expected=True, written=r"= \dfrac{\mathrm{e}^{x}}{\mathrm{e}^{x} + 1}",
          lhs=A1, rhs=A2),
    Claim(line=7, column=99, kind="link", expected=True,
          written=r"\ln\left( \dfrac{\mathrm{e}^{x}}{\mathrm{e}^{x} + 1} \right) = \ln\left( \mathrm{e}^{x}\right) - \ln\left( \mathrm{e}^{x} + 1 \right)",
          lhs=lambda v: log(A2(v)), rhs=B1),
    Claim(line=7, column=172, kind="link", expected=True, written=r"= x - \ln\left( \mathrm{e}^{x} + 1 \right)",
          lhs=B1, rhs=B2),
    Claim(line=9, column=110, kind="link", expected=True,
          written=r"\dfrac{\mathrm{d}}{\mathrm{d}x} \ln\left( \dfrac{1}{1+\mathrm{e}^{-x}} \right) &= \dfrac{\mathrm{d}}{\mathrm{d}x} \left( x - \ln\left( \mathrm{e}^{x} + 1 \right) \right)",
          lhs=lambda v: d(logsig, v.x), rhs=C1),
    Claim(line=9, column=200, kind="link", expected=True,
          written=r"= \dfrac{\mathrm{d}x}{\mathrm{d}x} - \dfrac{\mathrm{d}\ln\left( \mathrm{e}^{x} + 1 \right)}{\mathrm{d}x}",
          lhs=C1, rhs=C2),
    Claim(line=16, column=9, kind="definition", written=r"\alpha = 1+e^{-x}"),
    Claim(line=18, column=8, kind="definition", written=r"\beta = \alpha^{-1}"),
    Claim(line=20, column=29, kind="link", expected=True,
          written=r"\frac{d\,log(\beta)}{d\,x} = \frac{d\,log(\beta)}{d\,\beta}\,\frac{d\,\beta}{d\,x}",
          lhs=lambda v: d(lambda t: log(beta(t)), v.x), rhs=E1),
    Claim(line=20, column=85, kind="link", expected=True,
          written=r"= \frac{d\,log(\beta)}{d\,\beta}\,\frac{d\,\alpha^{-1}}{d\,\alpha}\,\frac{d\,\alpha}{d\,x}",
          lhs=E1, rhs=E2),
    Claim(line=20, column=176, kind="link", expected=True,
          written=r"= \left(\frac{1}{\beta}\right)\,\left(-\frac{1}{\alpha^2}\right)\,\left(-e^{-x}\right)",
          lhs=E2, rhs=E3),
    Claim(line=20, column=263, kind="link", expected=True, written=r"= \frac{e^{-x}}{1+e^{-x}}", lhs=E3, rhs=E4),
    Claim(line=20, column=289, kind="link", expected=True, written=r"= \boxed{\frac{1}{e^x + 1}}", lhs=E4, rhs=E5),
]

MUTANTS = [
    Mutant(line=7, column=172, find=r"= x - \ln\left( \mathrm{e}^{x} + 1 \right)", replace=r"= 1 - \ln\left( \mathrm{e}^{x} + 1 \right)",
           operator="wrong simplification (ln e^x = 1)", lhs=B1, rhs=lambda v: 1 - softplus(v.x)),
    Mutant(line=20, column=176, find=r"\left(-e^{-x}\right)", replace=r"\left(e^{-x}\right)", operator="sign flip",
           lhs=E2, rhs=lambda v: (1 / beta(v.x)) * (-1 / alpha(v.x) ** 2) * emx(v)),
    Mutant(line=20, column=289, find=r"= \boxed{\frac{1}{e^x + 1}}", replace=r"= \boxed{\frac{1}{e^{-x} + 1}}",
           operator="sign flip in exponent", lhs=E4, rhs=lambda v: 1 / (emx(v) + 1)),
]
