from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# The README never says what y is (no one-hot, no "sums to one"): labels are arbitrary reals.
SETTING = Setting(indices=("i", "j"), labels="any")


def dsoft(v, k, i):
    """∂a_k/∂z_i, numerically."""
    return D(lambda z: softmax(z)[k], v.z, i)


def grad(v):
    """∂L/∂z_i for L = -Σ_k y_k log a_k, numerically."""
    return D(lambda z: -S(lambda k: v.y[k] * log(softmax(z)[k]), 1, v.K), v.z, v.i)


def sum_not_i(v, f):
    return S(lambda k: 0 if k == v.i else f(k), 1, v.K)


CLAIMS = [
    Claim(line=4, column=5, kind="definition", written=r"s=sigmoid(z)"),
    Claim(line=4, column=17, kind="link", expected=True,
          written=r"sigmoid(z) = \frac{1}{1+\exp(-z)}",
          lhs=lambda v: sigmoid(v.x),
          rhs=lambda v: 1 / (1 + exp(-v.x))),
    Claim(line=5, column=18, kind="link", expected=True,
          written=r"\frac{ds}{dz} = s(1-s)",
          lhs=lambda v: d(sigmoid, v.x),
          rhs=lambda v: sigmoid(v.x) * (1 - sigmoid(v.x))),
    Claim(line=8, column=5, kind="definition", written=r"t=tanh(z)"),
    Claim(line=8, column=14, kind="link", expected=True,
          written=r"tanh(z) = \frac{e^z-e^{-z}}{e^z+e^{-z}}",
          lhs=lambda v: tanh(v.x),
          rhs=lambda v: (exp(v.x) - exp(-v.x)) / (exp(v.x) + exp(-v.x))),
    Claim(line=8, column=45, kind="link", expected=False,
          error="tanh(z) = 2 sigmoid(2z) - 1; the factor 2 inside the sigmoid is missing (2 sigmoid(z) - 1 = tanh(z/2))",
          written=r"\frac{e^z-e^{-z}}{e^z+e^{-z}}=2*sigmoid(z)-1",
          lhs=lambda v: (exp(v.x) - exp(-v.x)) / (exp(v.x) + exp(-v.x)),
          rhs=lambda v: 2 * sigmoid(v.x) - 1),
    Claim(line=9, column=18, kind="link", expected=True,
          written=r"\frac{dt}{dz} = 1-t^2",
          lhs=lambda v: d(tanh, v.x),
          rhs=lambda v: 1 - tanh(v.x) ** 2),
    Claim(line=12, column=12, kind="definition", written=r"relu(z) = max(0,z)"),
    Claim(line=17, column=7, kind="definition", written=r"a_j = \frac{e^{z_j}}{\sum_k e^{z_k}}"),
    Claim(line=21, column=38, kind="link", case="i=j", expected=True,
          written=r"\frac{\partial a_j}{\partial z_i} = a_i(1 - a_i), \quad i = j",
          lhs=lambda v: dsoft(v, v.j, v.i),
          rhs=lambda v: v.s[v.i] * (1 - v.s[v.i])),
    Claim(line=21, column=62, kind="case", written=r"i = j"),
    Claim(line=22, column=38, kind="link", case="i!=j", expected=True,
          written=r"\frac{\partial a_j}{\partial z_i} = -a_i a_j,\quad i \neq j.",
          lhs=lambda v: dsoft(v, v.j, v.i),
          rhs=lambda v: -v.s[v.i] * v.s[v.j]),
    Claim(line=22, column=57, kind="case", written=r"i \neq j"),
    Claim(line=26, column=5, kind="definition", written=r"L = -\sum_k y_k \log a_k"),
    Claim(line=30, column=36, kind="link", expected=True,
          written=r"\frac{\partial L}{\partial z_i} = -\sum_k y_k \frac{1}{a_k} \frac{\partial a_k}{\partial z_i}",
          lhs=grad,
          rhs=lambda v: -S(lambda k: v.y[k] / v.s[k] * dsoft(v, k, v.i), 1, v.K)),
    Claim(line=31, column=4, kind="link", expected=True,
          written=r"= -y_i(1-a_i) - \sum_{k\neq i} y_k \frac{1}{a_k}(-a_ka_i)",
          lhs=lambda v: -S(lambda k: v.y[k] / v.s[k] * dsoft(v, k, v.i), 1, v.K),
          rhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) - sum_not_i(v, lambda k: v.y[k] / v.s[k] * (-v.s[k] * v.s[v.i]))),
    Claim(line=32, column=4, kind="link", expected=True,
          written=r"= -y_i(1-a_i) + \sum_{k\neq i} y_k a_i",
          lhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) - sum_not_i(v, lambda k: v.y[k] / v.s[k] * (-v.s[k] * v.s[v.i])),
          rhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) + sum_not_i(v, lambda k: v.y[k] * v.s[v.i])),
    Claim(line=33, column=4, kind="link", expected=True,
          written=r"= -y_i+y_ia_i + \sum_{k\neq i} y_k a_i",
          lhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) + sum_not_i(v, lambda k: v.y[k] * v.s[v.i]),
          rhs=lambda v: -v.y[v.i] + v.y[v.i] * v.s[v.i] + sum_not_i(v, lambda k: v.y[k] * v.s[v.i])),
    Claim(line=34, column=4, kind="link", expected=True,
          written=r"= a_i \sum_ky_k - y_i",
          lhs=lambda v: -v.y[v.i] + v.y[v.i] * v.s[v.i] + sum_not_i(v, lambda k: v.y[k] * v.s[v.i]),
          rhs=lambda v: v.s[v.i] * S(lambda k: v.y[k], 1, v.K) - v.y[v.i]),
    Claim(line=35, column=4, kind="link", expected=False,
          error="uses \\sum_k y_k = 1, which the README never states (no one-hot or distribution assumption on y)",
          written=r"= a_i-y_i",
          lhs=lambda v: v.s[v.i] * S(lambda k: v.y[k], 1, v.K) - v.y[v.i],
          rhs=lambda v: v.s[v.i] - v.y[v.i]),
]

MUTANTS = [
    Mutant(line=5, column=18, find=r"s(1-s)", replace=r"s(1+s)", operator="sign flip",
           lhs=lambda v: d(sigmoid, v.x),
           rhs=lambda v: sigmoid(v.x) * (1 + sigmoid(v.x))),
    Mutant(line=22, column=38, find=r"-a_i a_j", replace=r"-a_i a_i", operator="swapped index",
           lhs=lambda v: dsoft(v, v.j, v.i),
           rhs=lambda v: -v.s[v.i] * v.s[v.i]),
    Mutant(line=32, column=4, find=r"+ \sum_{k\neq i} y_k a_i", replace=r"+ \sum_{k} y_k a_i", operator="dropped condition",
           lhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) - sum_not_i(v, lambda k: v.y[k] / v.s[k] * (-v.s[k] * v.s[v.i])),
           rhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) + S(lambda k: v.y[k] * v.s[v.i], 1, v.K)),
]
