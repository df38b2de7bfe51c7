from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Notation: p = softmax(o) (o is v.z, p is v.s; the post's S(x_i) is the same softmax), K classes,
# y one-hot (stated). The derivative is taken of the single-instance loss L = -\sum_j y_j \log p_j.
SETTING = Setting(indices=("i", "j"), labels="one-hot")


def L(v, z):
    return -S(lambda j: v.y[j] * log(softmax(z)[j]), 1, v.K)


dlog = lambda v, j: D(lambda z: log(softmax(z)[j]), v.z, v.i)
dp = lambda v, j: D(lambda z: softmax(z)[j], v.z, v.i)
eq = lambda v, f: S(lambda j: f(j) if j == v.i else 0, 1, v.K)      # \sum_{j=i}
ne = lambda v, f: S(lambda j: 0 if j == v.i else f(j), 1, v.K)      # \sum_{j \neq i}

CLAIMS = [
    Claim(line=3, column=13, kind="definition", written=r"S(x_{i}) = \frac{e^{x_i}}{\sum_{k=1}^K e^{x_k}}"),
    Claim(line=3, column=73, kind="definition", written=r"i = 1, \dots, K", note="index range"),
    Claim(line=8, column=6, kind="definition", written=r"L = - \frac{1}{n} \sum_{i=1}^{n}  \sum_{j=1}^{K} \left[y_{ij} \log (p_{ij}) \right]"),
    Claim(line=14, column=6, kind="definition", written=r"L = - \sum_{j} \left[y_{j} \log (p_{j}) \right]",
          note="single-instance loss, the one differentiated below"),
    Claim(line=16, column=26, kind="definition", written=r"p_{j} = softmax(o_{i})",
          note="index mismatch in the definition (meant p_j = softmax(o)_j)"),
    Claim(line=18, column=202, kind="case", written=r"i = j"),
    Claim(line=18, column=214, kind="case", written=r"i \neq j"),
    Claim(line=22, column=36, kind="link", expected=True,
          written=r"\frac{\partial}{\partial o_{i}} L &= - \sum_{j=i}y_{j} \frac{\partial \log (p_{j})}{\partial o_{i}} - \sum_{j \neq i}y_{j}\frac{\partial \log (p_{j})}{\partial o_{i}}",
          lhs=lambda v: D(lambda z: L(v, z), v.z, v.i),
          rhs=lambda v: -eq(v, lambda j: v.y[j] * dlog(v, j)) - ne(v, lambda j: v.y[j] * dlog(v, j))),
    Claim(line=23, column=2, kind="link", expected=True,
          written=r"&= - \sum_{j=i}y_{j} \frac{1}{p_{j}}\frac{\partial p_{j}}{\partial o_{i}} - \sum_{j \neq i}y_{j}\frac{1}{p_{j}}\frac{\partial p_{j}}{\partial o_{i}}",
          lhs=lambda v: -eq(v, lambda j: v.y[j] * dlog(v, j)) - ne(v, lambda j: v.y[j] * dlog(v, j)),
          rhs=lambda v: -eq(v, lambda j: v.y[j] / v.s[j] * dp(v, j)) - ne(v, lambda j: v.y[j] / v.s[j] * dp(v, j))),
    Claim(line=24, column=2, kind="link", expected=True,
          written=r"&= - y_{i} \frac{1}{p_{j}} p_{j}(1-p_{i}) - \sum_{j \neq i}y_{j}\frac{1}{p_{j}}(-p_{j}p_{i})",
          note="p_j/p_j = 1 whatever j is, so the stray j outside the sum is harmless",
          lhs=lambda v: -eq(v, lambda j: v.y[j] / v.s[j] * dp(v, j)) - ne(v, lambda j: v.y[j] / v.s[j] * dp(v, j)),
          rhs=lambda v: -v.y[v.i] * (1 / v.s[v.j]) * v.s[v.j] * (1 - v.s[v.i])
          - ne(v, lambda j: v.y[j] / v.s[j] * (-v.s[j] * v.s[v.i]))),
    Claim(line=25, column=3, kind="link", expected=True,
          written=r"& = - y_{i} (1- p_{i}) - \sum_{j \neq i}y_{j}\frac{1}{p_{j}}(-p_{j}p_{i})",
          lhs=lambda v: -v.y[v.i] * (1 / v.s[v.j]) * v.s[v.j] * (1 - v.s[v.i])
          - ne(v, lambda j: v.y[j] / v.s[j] * (-v.s[j] * v.s[v.i])),
          rhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) - ne(v, lambda j: v.y[j] / v.s[j] * (-v.s[j] * v.s[v.i]))),
    Claim(line=26, column=2, kind="link", expected=True,
          written=r"&=- y_{i} + \underbrace{y_{i}p_{i} + \sum_{j \neq i}y_{j}p_{i}}_{ \bigstar }",
          lhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) - ne(v, lambda j: v.y[j] / v.s[j] * (-v.s[j] * v.s[v.i])),
          rhs=lambda v: -v.y[v.i] + (v.y[v.i] * v.s[v.i] + ne(v, lambda j: v.y[j] * v.s[v.i]))),
    Claim(line=27, column=2, kind="link", expected=True,
          written=r"&= p_{i}\left(\sum_{j}y_{j} \right) - y_{i}",
          lhs=lambda v: -v.y[v.i] + (v.y[v.i] * v.s[v.i] + ne(v, lambda j: v.y[j] * v.s[v.i])),
          rhs=lambda v: v.s[v.i] * S(lambda j: v.y[j], 1, v.K) - v.y[v.i]),
    Claim(line=27, column=45, kind="link", expected=True,
          written=r"= p_{i} - y_{i}", note="uses the stated \\sum_j y_j = 1",
          lhs=lambda v: v.s[v.i] * S(lambda j: v.y[j], 1, v.K) - v.y[v.i],
          rhs=lambda v: v.s[v.i] - v.y[v.i]),
    Claim(line=31, column=27, kind="fact", written=r"\sum_{j}y_{j} = 1"),
    Claim(line=33, column=68, kind="rule",
          written=r"\frac{\partial \log{f(x)}}{\partial x}=\frac{1}{f(x)}\frac{\partial f(x)}{\partial x}"),
    Claim(line=33, column=153, kind="link", case="i=j", expected=True,
          written=r"\frac{\partial p_j}{\partial o_i} = p_i(1 - p_i)",
          lhs=lambda v: dp(v, v.j), rhs=lambda v: v.s[v.i] * (1 - v.s[v.i])),
    Claim(line=33, column=176, kind="case", written=r"i = j"),
    Claim(line=33, column=220, kind="link", case="i!=j", expected=True,
          written=r"\frac{\partial p_j}{\partial o_i} = -p_i p_j",
          lhs=lambda v: dp(v, v.j), rhs=lambda v: -v.s[v.i] * v.s[v.j]),
    Claim(line=33, column=239, kind="case", written=r"i \neq j"),
]

MUTANTS = [
    Mutant(line=25, column=3, find=r"& = - y_{i} (1- p_{i})", replace=r"& = - y_{i} (1+ p_{i})", operator="sign flip",
           lhs=lambda v: -v.y[v.i] * (1 / v.s[v.j]) * v.s[v.j] * (1 - v.s[v.i])
           - ne(v, lambda j: v.y[j] / v.s[j] * (-v.s[j] * v.s[v.i])),
           rhs=lambda v: -v.y[v.i] * (1 + v.s[v.i]) - ne(v, lambda j: v.y[j] / v.s[j] * (-v.s[j] * v.s[v.i]))),
    Mutant(line=26, column=2, find=r"\sum_{j \neq i}y_{j}p_{i}}_{ \bigstar }", replace=r"\sum_{j \neq i}y_{j}p_{j}}_{ \bigstar }", operator="swapped index",
           lhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) - ne(v, lambda j: v.y[j] / v.s[j] * (-v.s[j] * v.s[v.i])),
           rhs=lambda v: -v.y[v.i] + (v.y[v.i] * v.s[v.i] + ne(v, lambda j: v.y[j] * v.s[j]))),
    Mutant(line=33, column=220, find=r"= -p_i p_j", replace=r"= p_i p_j", operator="sign flip",
           lhs=lambda v: dp(v, v.j), rhs=lambda v: v.s[v.i] * v.s[v.j]),
]
