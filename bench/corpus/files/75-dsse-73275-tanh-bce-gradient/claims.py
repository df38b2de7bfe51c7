from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Scalars: the weight w (= omega) = v.p and the input x = v.eps, both in (0, 1), so that 0 < tanh(wx) < 1 and the
# BCE's logs are defined; the label y = v.y[1] (any real: the question never restricts it). \delta is read as a
# derivative, tanh′ (U+2032) as the derivative of tanh, − (U+2212) as a minus; \hat{y} = tanh(wx) (line 6).
SETTING = Setting(indices=(), labels="any")

w = lambda v: v.p
x = lambda v: v.eps
y = lambda v: v.y[1]
yh = lambda v: tanh(w(v) * x(v))


def bce(v, ww):
    t = tanh(ww * x(v))
    return -(y(v) * log(t) + (1 - y(v)) * log(1 - t))


A = lambda v: d(tanh, w(v) * x(v)) * x(v) / (yh(v) * (1 - yh(v))) * (yh(v) - y(v))
B = lambda v: (x(v) - x(v) * tanh(w(v) * x(v)) ** 2) / (tanh(w(v) * x(v)) * (1 - tanh(w(v) * x(v)))) * (tanh(w(v) * x(v)) - y(v))
C = lambda v: (x(v) - x(v) * yh(v) ** 2) / (yh(v) * (1 - yh(v))) * (yh(v) - y(v))
Dd = lambda v: (yh(v) + 1) * x(v) * (yh(v) - y(v)) / yh(v)
B2 = lambda v: x(v) * (1 + yh(v)) * (1 - yh(v)) / (yh(v) * (1 - yh(v))) * (yh(v) - y(v))

CLAIMS = [
    Claim(line=3, column=18, kind="definition", written=r"\Delta \omega = -\eta \frac{\delta E}{\delta \omega}",
          note="the gradient-descent update"),
    Claim(line=5, column=6, kind="definition", written=r"E = −(ylog(\hat{y})+(1−y)log(1−\hat{y}))"),
    Claim(line=6, column=35, kind="definition", written=r"\hat{y} = tanh(\omega .x)"),
    Claim(line=6, column=155, kind="link", expected=True,
          written=r"\frac{\delta E}{\delta \omega} = \frac{\delta −(ylog(tanh(wx))+(1−y)log(1−tanh(wx)))}{\delta \omega}",
          note="omega (left) and w (right) name the same weight",
          lhs=lambda v: d(lambda ww: bce(v, ww), w(v)),
          rhs=lambda v: d(lambda ww: -(y(v) * log(tanh(ww * x(v))) + (1 - y(v)) * log(1 - tanh(ww * x(v)))), w(v))),
    Claim(line=10, column=58, kind="link", expected=True,
          written=r"\\= \frac{x-xtanh(wx)^2}{tanh(wx)(1−tanh(wx))}(tanh(wx)−y)",
          note="the chain starts from the sigmoid formula (eq 60) with tanh′ put for σ′; that first expression is not itself related to δE/δω by an '='",
          lhs=A, rhs=B),
    Claim(line=10, column=117, kind="link", expected=True, written=r"\\= \frac{x-x\hat{y}^2}{\hat{y}(1−\hat{y})}(\hat{y}−y)",
          lhs=B, rhs=C),
    Claim(line=10, column=172, kind="link", expected=True, written=r"\\= \frac{(\hat{y} + 1)x(\hat{y} - y)}{\hat{y}}",
          lhs=C, rhs=Dd),
    Claim(line=14, column=58, kind="link", expected=True,
          written=r"\\= \frac{x(1 + \hat{y})(1 - \hat{y})}{\hat{y}(1−\hat{y})}(\hat{y}−y)", lhs=A, rhs=B2),
    Claim(line=14, column=128, kind="link", expected=True, written=r"\\= \frac{(\hat{y} + 1)x(\hat{y} - y)}{\hat{y}}",
          lhs=B2, rhs=Dd),
]

MUTANTS = [
    Mutant(line=10, column=172, find=r"\frac{(\hat{y} + 1)x(\hat{y} - y)}", replace=r"\frac{(\hat{y} - 1)x(\hat{y} - y)}",
           operator="sign flip", lhs=C, rhs=lambda v: (yh(v) - 1) * x(v) * (yh(v) - y(v)) / yh(v)),
    Mutant(line=10, column=117, find=r"\frac{x-x\hat{y}^2}", replace=r"\frac{x-x\hat{y}}", operator="dropped power",
           lhs=B, rhs=lambda v: (x(v) - x(v) * yh(v)) / (yh(v) * (1 - yh(v))) * (yh(v) - y(v))),
]
