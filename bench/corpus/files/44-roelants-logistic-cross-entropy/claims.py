from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Scalar input z = v.x; y = sigma(z); target t in {0, 1} ("t can only be 0 or 1"): t = v.y[1] with one-hot
# labels (so t = 1 or 0 at random, t = 1 when K = 1). In the dxi/dy chain y is a free variable: y = v.p.
SETTING = Setting(indices=(), labels="one-hot")


def xi(v, y):
    t = v.y[1]
    return -t * log(y) - (1 - t) * log(1 - y)


Z = lambda v: v.x
EZ = lambda v: exp(-v.x)

CLAIMS = [
    Claim(line=3, column=210, kind="definition", written=r"y = \sigma(z)"),
    Claim(line=4, column=14, kind="definition", written=r"\sigma(z) = \frac{1}{1+e^{-z}}"),
    Claim(line=11, column=13, kind="definition", written=r"P(t=1| z) & = \sigma(z)"),
    Claim(line=11, column=25, kind="link", expected=True, written=r"= \frac{1}{1+e^{-z}}",
          lhs=lambda v: sigmoid(v.x), rhs=lambda v: 1 / (1 + EZ(v))),
    Claim(line=12, column=13, kind="definition", written=r"P(t=0| z) & = 1 - \sigma(z)"),
    Claim(line=12, column=29, kind="link", expected=True, written=r"= \frac{e^{-z}}{1+e^{-z}}",
          lhs=lambda v: 1 - sigmoid(v.x), rhs=lambda v: EZ(v) / (1 + EZ(v))),
    Claim(line=18, column=34, kind="link", expected=True,
          written=r"\log \frac{P(t=1|z)}{P(t=0|z)} & = \log \frac{\frac{1}{1+e^{-z}}}{\frac{e^{-z}}{1+e^{-z}}}",
          lhs=lambda v: log(sigmoid(v.x) / (1 - sigmoid(v.x))),
          rhs=lambda v: log((1 / (1 + EZ(v))) / (EZ(v) / (1 + EZ(v))))),
    Claim(line=18, column=92, kind="link", expected=True, written=r"= \log \frac{1}{e^{-z}}",
          lhs=lambda v: log((1 / (1 + EZ(v))) / (EZ(v) / (1 + EZ(v)))), rhs=lambda v: log(1 / EZ(v))),
    Claim(line=19, column=3, kind="link", expected=True, written=r"& = \log(1) - \log(e^{-z})",
          lhs=lambda v: log(1 / EZ(v)), rhs=lambda v: log(1) - log(EZ(v))),
    Claim(line=19, column=28, kind="link", expected=True, written=r"= z",
          lhs=lambda v: log(1) - log(EZ(v)), rhs=lambda v: v.x),
    Claim(line=22, column=89, kind="definition", written=r"z = x \cdot w"),
    Claim(line=28, column=31, kind="link", expected=True,
          written=r"\frac{\partial y}{\partial z} = \frac{\partial \sigma(z)}{\partial z}",
          lhs=lambda v: d(sigmoid, v.x), rhs=lambda v: d(sigmoid, v.x)),
    Claim(line=29, column=1, kind="link", expected=True, written=r"= \frac{\partial \frac{1}{1+e^{-z}}}{\partial z}",
          lhs=lambda v: d(sigmoid, v.x), rhs=lambda v: d(lambda z: 1 / (1 + exp(-z)), v.x)),
    Claim(line=30, column=1, kind="link", expected=True, written=r"= \frac{-1}{(1+e^{-z})^2} \cdot e^{-z} \cdot -1",
          lhs=lambda v: d(lambda z: 1 / (1 + exp(-z)), v.x), rhs=lambda v: -1 / (1 + EZ(v)) ** 2 * EZ(v) * -1),
    Claim(line=31, column=1, kind="link", expected=True, written=r"= \frac{1}{1+e^{-z}} \frac{e^{-z}}{1+e^{-z}}",
          lhs=lambda v: -1 / (1 + EZ(v)) ** 2 * EZ(v) * -1, rhs=lambda v: 1 / (1 + EZ(v)) * EZ(v) / (1 + EZ(v))),
    Claim(line=34, column=27, kind="link", expected=True, written=r"1 - \sigma(z)) = 1 - {1}/(1+e^{-z})",
          lhs=lambda v: 1 - sigmoid(v.x), rhs=lambda v: 1 - 1 / (1 + EZ(v))),
    Claim(line=34, column=48, kind="link", expected=True, written=r"= {e^{-z}}/(1+e^{-z})",
          lhs=lambda v: 1 - 1 / (1 + EZ(v)), rhs=lambda v: EZ(v) / (1 + EZ(v))),
    Claim(line=38, column=1, kind="link", expected=True,
          written=r"\frac{\partial y}{\partial z} = \frac{1}{1+e^{-z}} \frac{e^{-z}}{1+e^{-z}}",
          lhs=lambda v: d(sigmoid, v.x), rhs=lambda v: 1 / (1 + EZ(v)) * EZ(v) / (1 + EZ(v))),
    Claim(line=39, column=1, kind="link", expected=True, written=r"= \sigma(z) \cdot (1- \sigma(z))",
          lhs=lambda v: 1 / (1 + EZ(v)) * EZ(v) / (1 + EZ(v)), rhs=lambda v: sigmoid(v.x) * (1 - sigmoid(v.x))),
    Claim(line=39, column=34, kind="link", expected=True, written=r"=  y (1-y)",
          lhs=lambda v: sigmoid(v.x) * (1 - sigmoid(v.x)), rhs=lambda v: sigmoid(v.x) * (1 - sigmoid(v.x))),
    Claim(line=46, column=10, kind="definition", written=r"\xi(t,y) = -t \log(y) - (1-t) \log(1-y)"),
    Claim(line=49, column=27, kind="definition",
          written=r"\xi(t,y) = - \sum_{i=1}^{n} \left[ t_i \log(y_i) + (1-t_i)\log(1-y_i) \right]"),
    Claim(line=58, column=2, kind="link", expected=True,
          written=r"\frac{\partial \xi}{\partial y} &= \frac{\partial (-t \log(y) - (1-t) \log(1-y))}{\partial y}",
          lhs=lambda v: d(lambda y: xi(v, y), v.p),
          rhs=lambda v: d(lambda y: -v.y[1] * log(y) - (1 - v.y[1]) * log(1 - y), v.p)),
    Claim(line=59, column=1, kind="link", expected=True,
          written=r"= \frac{\partial (-t \log(y))}{\partial y} +  \frac{\partial (- (1-t)  \log(1-y))}{\partial y}",
          lhs=lambda v: d(lambda y: -v.y[1] * log(y) - (1 - v.y[1]) * log(1 - y), v.p),
          rhs=lambda v: d(lambda y: -v.y[1] * log(y), v.p) + d(lambda y: -(1 - v.y[1]) * log(1 - y), v.p)),
    Claim(line=60, column=3, kind="link", expected=True, written=r"& = -\frac{t}{y} + \frac{1-t}{1-y}",
          lhs=lambda v: d(lambda y: -v.y[1] * log(y), v.p) + d(lambda y: -(1 - v.y[1]) * log(1 - y), v.p),
          rhs=lambda v: -v.y[1] / v.p + (1 - v.y[1]) / (1 - v.p)),
    Claim(line=60, column=36, kind="link", expected=True, written=r"= \frac{y-t}{y(1-y)}",
          lhs=lambda v: -v.y[1] / v.p + (1 - v.y[1]) / (1 - v.p), rhs=lambda v: (v.p - v.y[1]) / (v.p * (1 - v.p))),
    Claim(line=64, column=256, kind="link", expected=True, written=r"{\partial y}/{\partial z} =  y (1-y)",
          lhs=lambda v: d(sigmoid, v.x), rhs=lambda v: sigmoid(v.x) * (1 - sigmoid(v.x))),
    Claim(line=67, column=33, kind="link", expected=True,
          written=r"\frac{\partial \xi}{\partial z} = \frac{\partial y}{\partial z} \frac{\partial \xi}{\partial y}",
          lhs=lambda v: d(lambda z: xi(v, sigmoid(z)), v.x),
          rhs=lambda v: d(sigmoid, v.x) * d(lambda y: xi(v, y), sigmoid(v.x))),
    Claim(line=67, column=97, kind="link", expected=True, written=r"= y (1-y) \frac{y-t}{y(1-y)}",
          lhs=lambda v: d(sigmoid, v.x) * d(lambda y: xi(v, y), sigmoid(v.x)),
          rhs=lambda v: sigmoid(v.x) * (1 - sigmoid(v.x)) * (sigmoid(v.x) - v.y[1]) / (sigmoid(v.x) * (1 - sigmoid(v.x)))),
    Claim(line=67, column=126, kind="link", expected=True, written=r"= y-t",
          lhs=lambda v: sigmoid(v.x) * (1 - sigmoid(v.x)) * (sigmoid(v.x) - v.y[1]) / (sigmoid(v.x) * (1 - sigmoid(v.x))),
          rhs=lambda v: sigmoid(v.x) - v.y[1]),
]

MUTANTS = [
    Mutant(line=60, column=3, find=r"-\frac{t}{y} + \frac{1-t}{1-y}", replace=r"-\frac{t}{y} - \frac{1-t}{1-y}", operator="sign flip",
           lhs=lambda v: d(lambda y: -v.y[1] * log(y), v.p) + d(lambda y: -(1 - v.y[1]) * log(1 - y), v.p),
           rhs=lambda v: -v.y[1] / v.p - (1 - v.y[1]) / (1 - v.p)),
    Mutant(line=67, column=126, find=r"= y-t", replace=r"= t-y", operator="swapped operands",
           lhs=lambda v: sigmoid(v.x) * (1 - sigmoid(v.x)) * (sigmoid(v.x) - v.y[1]) / (sigmoid(v.x) * (1 - sigmoid(v.x))),
           rhs=lambda v: v.y[1] - sigmoid(v.x)),
    Mutant(line=30, column=1, find=r"\cdot e^{-z} \cdot -1", replace=r"\cdot e^{-z} \cdot 1", operator="dropped sign",
           lhs=lambda v: d(lambda z: 1 / (1 + exp(-z)), v.x), rhs=lambda v: -1 / (1 + EZ(v)) ** 2 * EZ(v) * 1),
]
