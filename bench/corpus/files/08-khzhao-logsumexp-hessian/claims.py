from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# The author's vector x is the judge's logit vector v.z; S(x) = grad f(x) (= softmax, but judged from f).
SETTING = Setting(indices=("i", "j"), labels="any")


def f(v):
    return lambda z: log(S(lambda k: exp(z[k]), 1, v.K))


def grad(v, i):
    return D(f(v), v.z, i)


def hess(v, i, j):
    return D(lambda z: D(f(v), z, i), v.z, j)


def Sx(v, k):
    return grad(v, k)


def total(v):
    return S(lambda k: exp(v.z[k]), 1, v.K)


def quad_H(v):
    return S(lambda a: S(lambda b: v.z[a] * hess(v, a, b) * v.z[b], 1, v.K), 1, v.K)


CLAIMS = [
    Claim(line=3, column=14, kind="definition", written=r"f(x) = \log \sum_{i=1}^n e^{x_i}"),
    Claim(line=6, column=17, kind="link", expected=True,
          written=r"\nabla f(x)_i = \frac{e^{x_i}}{\sum_{j=1}^n e^{x_j}}",
          lhs=lambda v: grad(v, v.i),
          rhs=lambda v: exp(v.z[v.i]) / total(v)),
    Claim(line=8, column=131, kind="case", written=r"i = j"),
    Claim(line=8, column=24, kind="link", case="i=j", expected=True,
          written=r"\nabla^2 f(x)_{i, j} = \frac{e^{x_i}}{\sum_{j=1}^n e^{x_j}} - \frac{e^{x_i}e^{x_i}}{(\sum_{j=1}^n e^{x_j})^2} \quad (i = j)",
          lhs=lambda v: hess(v, v.i, v.j),
          rhs=lambda v: exp(v.z[v.i]) / total(v) - exp(v.z[v.i]) * exp(v.z[v.i]) / total(v) ** 2),
    Claim(line=9, column=54, kind="case", written=r"i \neq j"),
    Claim(line=8, column=24, kind="link", case="i!=j", expected=True,
          written=r"\nabla^2 f(x)_{i, j} = -\frac{e^{x_i}e^{x_j}}{(\sum_{j=1}^n e^{x_j})^2} \quad (i \neq j)",
          lhs=lambda v: hess(v, v.i, v.j),
          rhs=lambda v: -exp(v.z[v.i]) * exp(v.z[v.j]) / total(v) ** 2),
    Claim(line=10, column=14, kind="definition", written=r"S(x) = \nabla f(x)"),
    Claim(line=11, column=8, kind="link", expected=True,
          written=r"H(f) = \text{diag}(S(x)) - S(x)S(x)^T",
          note="entry (i, j)",
          lhs=lambda v: hess(v, v.i, v.j),
          rhs=lambda v: delta(v.i, v.j) * Sx(v, v.i) - Sx(v, v.i) * Sx(v, v.j)),
    Claim(line=13, column=14, kind="link", expected=True,
          written=r"x^T H(f) x = x^T (\text{diag}(S(x)) - S(x)S(x)^T) x",
          lhs=quad_H,
          rhs=lambda v: S(lambda a: S(lambda b: v.z[a] * (delta(a, b) * Sx(v, a) - Sx(v, a) * Sx(v, b)) * v.z[b], 1, v.K), 1, v.K)),
    Claim(line=15, column=20, kind="link", expected=True,
          written=r"x^T S(x)S(x)^T x = (\sum_{j=1}^n S_j x_j)^2",
          lhs=lambda v: S(lambda a: S(lambda b: v.z[a] * Sx(v, a) * Sx(v, b) * v.z[b], 1, v.K), 1, v.K),
          rhs=lambda v: S(lambda j: Sx(v, j) * v.z[j], 1, v.K) ** 2),
    Claim(line=15, column=47, kind="not-equality", written=r"(\sum_{j=1}^n S_j x_j)^2 \leq \sum_{j=1}^n S_j x_j^2"),
    Claim(line=15, column=75, kind="link", expected=True,
          written=r"\sum_{j=1}^n S_j x_j^2 = x^T \text{diag}(S(x)) x",
          lhs=lambda v: S(lambda j: Sx(v, j) * v.z[j] ** 2, 1, v.K),
          rhs=lambda v: S(lambda a: S(lambda b: v.z[a] * delta(a, b) * Sx(v, a) * v.z[b], 1, v.K), 1, v.K)),
    Claim(line=17, column=14, kind="not-equality", written=r"x^T H(f) x \geq 0"),
    Claim(line=19, column=35, kind="not-equality", written=r"\max ( e^{x_1}, \dots, e^{x_n}) \leq e^{x_1} + \dots + e^{x_n}"),
    Claim(line=19, column=66, kind="not-equality", written=r"e^{x_1} + \dots + e^{x_n} \leq n \max (e^{x_1}, \dots, e^{x_n} )"),
    Claim(line=21, column=41, kind="not-equality", written=r"\log(\max ( e^{x_1}, \dots, e^{x_n})) \leq \log(e^{x_1} + \dots + e^{x_n})"),
    Claim(line=21, column=78, kind="not-equality", written=r"\log(e^{x_1} + \dots + e^{x_n}) \leq \log(n \max (e^{x_1}, \dots, e^{x_n} ))"),
    Claim(line=23, column=26, kind="not-equality", written=r"\max (x_1, \dots, x_n) \leq \log(\sum_{i=1}^n e^{x_i})"),
    Claim(line=23, column=58, kind="not-equality", written=r"\log(\sum_{i=1}^n e^{x_i}) \leq \max (x_1, \dots, x_n) + \log(n)"),
]

MUTANTS = [
    Mutant(line=11, column=8, find=r"- S(x)S(x)^T", replace=r"+ S(x)S(x)^T", operator="sign flip",
           lhs=lambda v: hess(v, v.i, v.j),
           rhs=lambda v: delta(v.i, v.j) * Sx(v, v.i) + Sx(v, v.i) * Sx(v, v.j)),
    Mutant(line=6, column=17, find=r"\frac{e^{x_i}}{\sum_{j=1}^n e^{x_j}}", replace=r"\frac{e^{x_i}}{\sum_{j=1}^n e^{x_i}}",
           operator="swapped index",
           lhs=lambda v: grad(v, v.i),
           rhs=lambda v: exp(v.z[v.i]) / (v.K * exp(v.z[v.i]))),
]
