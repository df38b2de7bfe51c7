from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# The asker differentiates "for one training example": J = -(y log yhat + (1-y) log(1-yhat)).
# yhat (written \hat y_i, and \hat y inside the second log) = v.p in (0, 1); y = v.y[1], any real
# (the asker says only "y = true y value").
SETTING = Setting(indices=(), labels="any")


def J1(v, t):
    y = v.y[1]
    return -(y * log(t) + (1 - y) * log(1 - t))


CLAIMS = [
    Claim(line=5, column=49, kind="definition",
          written=r"J(\hat y) = \frac{-1}{m}\sum_{i=1}^m y_i\log(\hat y_i)+(1-y_i)(\log(1-\hat y)"),
    Claim(line=9, column=4, kind="definition", written=r"m ="),
    Claim(line=10, column=4, kind="definition", written=r"y ="),
    Claim(line=11, column=9, kind="definition", written=r"\hat y ="),
    Claim(line=15, column=38, kind="link", expected=True,
          written=r"\frac{dJ}{d\hat y_i} = -1(\frac{d}{d\hat y_i}(y_i\log(\hat y_i)+(1-y_i)(\log(1-\hat y))))",
          lhs=lambda v: d(lambda t: J1(v, t), v.p),
          rhs=lambda v: -1 * d(lambda t: v.y[1] * log(t) + (1 - v.y[1]) * log(1 - t), v.p)),
    Claim(line=17, column=13, kind="link", expected=True,
          written=r"= -1(\frac{d}{d\hat y_i}y_i\log(\hat y_i)+\frac{d}{d\hat y_i}(1-y_i)(\log(1-\hat y)))",
          lhs=lambda v: -1 * d(lambda t: v.y[1] * log(t) + (1 - v.y[1]) * log(1 - t), v.p),
          rhs=lambda v: -1 * (d(lambda t: v.y[1] * log(t), v.p) + d(lambda t: (1 - v.y[1]) * log(1 - t), v.p))),
    Claim(line=19, column=90, kind="link", expected=False,
          error="derivative of log(1 - yhat) taken as 1/(1 - yhat): the chain-rule factor -1 is dropped, so the second term has the wrong sign",
          written=r"= -1(\frac{y_i}{\hat y_i} + \frac{1-y_i}{1 - \hat y_i})",
          lhs=lambda v: -1 * (d(lambda t: v.y[1] * log(t), v.p) + d(lambda t: (1 - v.y[1]) * log(1 - t), v.p)),
          rhs=lambda v: -1 * (v.y[1] / v.p + (1 - v.y[1]) / (1 - v.p))),
    Claim(line=21, column=77, kind="link", expected=True,
          written=r"\frac{dJ}{d\hat y_i} = -1(\frac{y_i}{\hat y_i} - \frac{1-y_i}{1 - \hat y_i})",
          lhs=lambda v: d(lambda t: J1(v, t), v.p),
          rhs=lambda v: -1 * (v.y[1] / v.p - (1 - v.y[1]) / (1 - v.p))),
    Claim(line=25, column=25, kind="not-equality",
          written=r"\frac{d}{dx}\log(1-x)\neq \frac{1}{1-x}"),
]

MUTANTS = [
    Mutant(line=21, column=77, find=r"\frac{y_i}{\hat y_i} -", replace=r"\frac{y_i}{1 - \hat y_i} -", operator="wrong denominator",
           lhs=lambda v: d(lambda t: J1(v, t), v.p),
           rhs=lambda v: -1 * (v.y[1] / (1 - v.p) - (1 - v.y[1]) / (1 - v.p))),
    Mutant(line=15, column=38, find=r"= -1(", replace=r"= 1(", operator="dropped sign",
           lhs=lambda v: d(lambda t: J1(v, t), v.p),
           rhs=lambda v: 1 * d(lambda t: v.y[1] * log(t) + (1 - v.y[1]) * log(1 - t), v.p)),
]
