from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Scalar x = v.x. The page writes every minus sign as an en dash (U+2013, '–'); it is read as a minus.
SETTING = Setting(indices=(), labels="any")

ex = lambda v: exp(v.x)
emx = lambda v: exp(-v.x)
tanh_exp = lambda v: (ex(v) - emx(v)) / (ex(v) + emx(v))
dtanh = lambda v: d(tanh, v.x)
num = lambda t: exp(t) - exp(-t)
den = lambda t: exp(t) + exp(-t)

CLAIMS = [
    Claim(line=5, column=37, kind="definition", written=r"y = f\left( x \right)"),
    Claim(line=5, column=57, kind="definition", written=r"= \tanh x"),
    Claim(line=8, column=11, kind="definition",
          written="\\tanh x = \\frac{{{e^x} – {e^{ – x}}}}{{{e^x} + {e^{ – x}}}}",
          note="'is defined as'"),
    Claim(line=11, column=11, kind="link", expected=True,
          written="\\tanh x = \\frac{{{e^x} – {e^{ – x}}}}{{{e^x} + {e^{ – x}}}}",
          note="the definition restated ('we have') before differentiating",
          lhs=lambda v: tanh(v.x), rhs=tanh_exp),
    Claim(line=14, column=25, kind="link", expected=True,
          written="\\frac{d}{{dx}}\\tanh x = \\frac{d}{{dx}}\\left( {\\frac{{{e^x} – {e^{ – x}}}}{{{e^x} + {e^{ – x}}}}} \\right)",
          lhs=dtanh, rhs=lambda v: d(lambda t: num(t) / den(t), v.x)),
    Claim(line=17, column=42, kind="link", expected=False,
          error="quotient rule with the wrong second term: it must be (e^x - e^{-x}) d/dx(e^x + e^{-x}); the page repeats "
                "(e^x + e^{-x}) d/dx(e^x - e^{-x}), so the numerator is zero",
          written="\\frac{d}{{dx}}\\left( {\\tanh x} \\right) = \\frac{{\\left( {{e^x} + {e^{ – x}}} \\right)\\frac{d}{{dx}}"
                  "\\left( {{e^x} – {e^{ – x}}} \\right) – \\left( {{e^x} + {e^{ – x}}} \\right)\\frac{d}{{dx}}\\left( "
                  "{{e^x} – {e^{ – x}}} \\right)}}{{{{\\left( {{e^x} + {e^{ – x}}} \\right)}^2}}}",
          lhs=dtanh,
          rhs=lambda v: (den(v.x) * d(num, v.x) - den(v.x) * d(num, v.x)) / den(v.x) ** 2),
    Claim(line=19, column=72, kind="link", expected=True, written=r"\frac{d}{{dx}}{e^x} = {e^x}",
          note="'the formula of exponential differentiation'",
          lhs=lambda v: d(exp, v.x), rhs=ex),
]

MUTANTS = [
    Mutant(line=14, column=25, find=r"\tanh x = \frac{d}{{dx}}\left(", replace=r"\tanh x = -\frac{d}{{dx}}\left(",
           operator="sign flip", lhs=dtanh, rhs=lambda v: -d(lambda t: num(t) / den(t), v.x)),
    Mutant(line=19, column=72, find=r"= {e^x}", replace=r"= x{e^{x - 1}}", operator="wrong rule (power rule)",
           lhs=lambda v: d(exp, v.x), rhs=lambda v: v.x * exp(v.x - 1)),
]
