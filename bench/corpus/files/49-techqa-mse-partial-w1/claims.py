from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# n examples (judge N). Example i has target y_i = v.y[i, 1] (any real), features x_{i1} = v.z[i, 1],
# x_{i2} = v.z[i, 2] (needs K >= 2; K = 1 points are skipped); w_1 = v.x, w_2 = v.eps, b = v.p.
SETTING = Setting(indices=(), labels="any", examples=True)


def yhat(v, i, w1=None):
    w1 = v.x if w1 is None else w1
    return w1 * v.z[i, 1] + v.eps * v.z[i, 2] + v.p


def mse(v, w1):
    return S(lambda i: (v.y[i, 1] - yhat(v, i, w1)) ** 2, 1, v.N) / v.N


dmse = lambda v: d(lambda w1: mse(v, w1), v.x)
step2 = lambda v: -2 * S(lambda i: (v.y[i, 1] - yhat(v, i)) * d(lambda w1: yhat(v, i, w1), v.x), 1, v.N) / v.N
step3 = lambda v: -2 * S(lambda i: (v.y[i, 1] - yhat(v, i)) * v.z[i, 1], 1, v.N) / v.N

CLAIMS = [
    Claim(line=5, column=7, kind="definition", written=r"mse = \dfrac{1}{n} \sum_{i=1}^{n} (y_i - \hat{y_i})^2"),
    Claim(line=7, column=13, kind="definition", written=r"\hat{y_i} = w_1 * x_{i1} + w_2 * x_{i2} + b"),
    Claim(line=9, column=38, kind="link", expected=True,
          written=r"\dfrac{\partial}{\partial w_1} mse = \dfrac{1}{n} \sum_{i=1}^{n} \dfrac{\partial}{\partial w_1}(y_i - \hat{y_i})^2",
          lhs=dmse,
          rhs=lambda v: S(lambda i: d(lambda w1: (v.y[i, 1] - yhat(v, i, w1)) ** 2, v.x), 1, v.N) / v.N),
    Claim(line=11, column=38, kind="link", expected=True,
          written=r"\dfrac{\partial}{\partial w_1} mse = \dfrac{-2}{n} \sum_{i=1}^{n} (y_i - \hat{y_i}) \dfrac{\partial}{\partial w_1} \hat{y_i}",
          lhs=dmse, rhs=step2),
    Claim(line=13, column=38, kind="link", expected=True,
          written=r"\dfrac{\partial}{\partial w_1} mse = \dfrac{-2}{n} \sum_{i=1}^{n} (y_i - \hat{y_i}) x_{i1}",
          lhs=dmse, rhs=step3),
    Claim(line=15, column=38, kind="link", expected=True,
          written=r"\dfrac{\partial}{\partial w_1} mse = \dfrac{-2}{n} \sum_{i=1}^{n} (y_i - \hat{y_i}) x_{i1}",
          lhs=dmse, rhs=step3),
]

MUTANTS = [
    Mutant(line=13, column=38, find=r"\dfrac{-2}{n}", replace=r"\dfrac{2}{n}", operator="sign flip",
           lhs=dmse, rhs=lambda v: -step3(v)),
    Mutant(line=15, column=38, find=r"x_{i1}", replace=r"x_{i2}", operator="swapped index",
           lhs=dmse, rhs=lambda v: -2 * S(lambda i: (v.y[i, 1] - yhat(v, i)) * v.z[i, 2], 1, v.N) / v.N),
]
