from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Notation: S_i = softmax(a)_i (the a are v.z); second part (quoted StackOverflow answer): p = softmax(o), o = v.z.
# Bare \sum in the quotient-rule lines stands for \sum_k e^{a_k}.
# The author never states that y is one-hot or sums to one: labels="any".
SETTING = Setting(indices=("i", "j"), labels="any")


def Z(v):
    return S(lambda k: exp(v.z[k]), 1, v.K)


def L(v, z):
    return -S(lambda k: v.y[k] * log(softmax(z)[k]), 1, v.K)


def others(v, f):
    return S(lambda k: 0 if k == v.i else f(k), 1, v.K)


CLAIMS = [
    Claim(line=4, column=8, kind="definition", written=r"S_i = \frac{e^{a_{i}}}{\sum_{k}{e^{a_{k}}}}"),
    Claim(line=6, column=7, kind="definition", written=r"L_i = -log(S_i)"),
    Claim(line=8, column=11, kind="rule", written=r"f(x) = \frac{g(x)}{h(x)}"),
    Claim(line=10, column=9, kind="rule", written=r"f'(x) = \frac{g'(x) \times h(x) - h'(x)\times g(x)}{h(x)^2}"),
    Claim(line=11, column=13, kind="definition", written=r"g(x) = e^{a_i}"),
    Claim(line=11, column=35, kind="definition", written=r"h(x) = \sum_{k}{e^{a_k}}"),
    Claim(line=12, column=11, kind="fact", written=r"g'(x) = e^{a_i}", note="when partially derived w.r.t a_i"),
    Claim(line=12, column=70, kind="fact", written=r"g'(x) = 0", note="w.r.t a_j, j != i"),
    Claim(line=12, column=121, kind="case", written=r"j \neq i"),
    Claim(line=13, column=8, kind="fact", written=r"h'(x) = e^{a_j}"),
    Claim(line=14, column=13, kind="case", written=r"i=j"),
    Claim(line=15, column=39, kind="link", case="i=j", expected=True,
          written=r"\frac{\partial {S_i}}{\partial a_i} = \frac {e^{a_i}\times \sum - e^{a_i}\times e^{a_i}}{\sum^2}",
          lhs=lambda v: D(lambda z: softmax(z)[v.i], v.z, v.i),
          rhs=lambda v: (exp(v.z[v.i]) * Z(v) - exp(v.z[v.i]) * exp(v.z[v.i])) / Z(v) ** 2),
    Claim(line=15, column=100, kind="link", case="i=j", expected=True,
          written=r"= S_i(1-S_i)",
          lhs=lambda v: (exp(v.z[v.i]) * Z(v) - exp(v.z[v.i]) * exp(v.z[v.i])) / Z(v) ** 2,
          rhs=lambda v: v.s[v.i] * (1 - v.s[v.i])),
    Claim(line=16, column=13, kind="case", written=r"i \neq j"),
    Claim(line=17, column=37, kind="link", case="i!=j", expected=False,
          error="wrong index: the derivative of the denominator w.r.t. a_j is e^{a_j}, the author wrote e^{a_i} \\times e^{a_i}",
          written=r"\frac{\partial S_i}{\partial a_j} = \frac {0 \times \sum - e^{a_i} \times e^{a_i}} {\sum^2}",
          lhs=lambda v: D(lambda z: softmax(z)[v.i], v.z, v.j),
          rhs=lambda v: (0 * Z(v) - exp(v.z[v.i]) * exp(v.z[v.i])) / Z(v) ** 2),
    Claim(line=17, column=94, kind="link", case="i!=j", expected=False,
          error="from the written (wrong) numerator, -e^{2a_i}/(sum)^2 = -S_i^2, not -S_i S_j (the final result is right, the step is not)",
          written=r"= -S_i \times S_j",
          lhs=lambda v: (0 * Z(v) - exp(v.z[v.i]) * exp(v.z[v.i])) / Z(v) ** 2,
          rhs=lambda v: -v.s[v.i] * v.s[v.j]),
    Claim(line=19, column=34, kind="link", expected=True,
          written=r"\frac{\partial L}{\partial o_i}=-\sum_ky_k\frac{\partial \log p_k}{\partial o_i}",
          note="L read as -sum_k y_k log p_k (the quoted answer's loss; the post itself only defines L_i = -log(S_i))",
          lhs=lambda v: D(lambda z: L(v, z), v.z, v.i),
          rhs=lambda v: -S(lambda k: v.y[k] * D(lambda z: log(softmax(z)[k]), v.z, v.i), 1, v.K)),
    Claim(line=19, column=83, kind="link", expected=True,
          written=r"=-\sum_ky_k\frac{1}{p_k}\frac{\partial p_k}{\partial o_i}",
          lhs=lambda v: -S(lambda k: v.y[k] * D(lambda z: log(softmax(z)[k]), v.z, v.i), 1, v.K),
          rhs=lambda v: -S(lambda k: v.y[k] / v.s[k] * D(lambda z: softmax(z)[k], v.z, v.i), 1, v.K)),
    Claim(line=19, column=142, kind="link", expected=True,
          written=r"=-y_i(1-p_i)-\sum_{k\neq i}y_k\frac{1}{p_k}({\color{red}{-p_kp_i}})",
          lhs=lambda v: -S(lambda k: v.y[k] / v.s[k] * D(lambda z: softmax(z)[k], v.z, v.i), 1, v.K),
          rhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) - others(v, lambda k: v.y[k] / v.s[k] * (-v.s[k] * v.s[v.i]))),
    Claim(line=19, column=211, kind="link", expected=True,
          written=r"=-y_i(1-p_i)+\sum_{k\neq i}y_k({\color{red}{p_i}})",
          lhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) - others(v, lambda k: v.y[k] / v.s[k] * (-v.s[k] * v.s[v.i])),
          rhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) + others(v, lambda k: v.y[k] * v.s[v.i])),
    Claim(line=19, column=263, kind="link", expected=True,
          written=r"=-y_i+\color{blue}{y_ip_i+\sum_{k\neq i}y_k({p_i})}",
          lhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) + others(v, lambda k: v.y[k] * v.s[v.i]),
          rhs=lambda v: -v.y[v.i] + v.y[v.i] * v.s[v.i] + others(v, lambda k: v.y[k] * v.s[v.i])),
    Claim(line=19, column=316, kind="link", expected=True,
          written=r"=\color{blue}{p_i\left(\sum_ky_k\right)}-y_i",
          lhs=lambda v: -v.y[v.i] + v.y[v.i] * v.s[v.i] + others(v, lambda k: v.y[k] * v.s[v.i]),
          rhs=lambda v: v.s[v.i] * S(lambda k: v.y[k], 1, v.K) - v.y[v.i]),
    Claim(line=19, column=360, kind="link", expected=False,
          error="uses sum_k y_k = 1, which the post never states (no one-hot or distribution assumption is written)",
          written=r"=p_i-y_i",
          lhs=lambda v: v.s[v.i] * S(lambda k: v.y[k], 1, v.K) - v.y[v.i],
          rhs=lambda v: v.s[v.i] - v.y[v.i]),
]

MUTANTS = [
    Mutant(line=15, column=100, find=r"= S_i(1-S_i)", replace=r"= S_i(1+S_i)", operator="sign flip",
           lhs=lambda v: (exp(v.z[v.i]) * Z(v) - exp(v.z[v.i]) * exp(v.z[v.i])) / Z(v) ** 2,
           rhs=lambda v: v.s[v.i] * (1 + v.s[v.i])),
    Mutant(line=19, column=263, find=r"=-y_i+\color{blue}", replace=r"=+y_i+\color{blue}", operator="sign flip",
           lhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) + others(v, lambda k: v.y[k] * v.s[v.i]),
           rhs=lambda v: v.y[v.i] + v.y[v.i] * v.s[v.i] + others(v, lambda k: v.y[k] * v.s[v.i])),
    Mutant(line=19, column=211, find=r"({\color{red}{p_i}})", replace=r"({\color{red}{p_k}})", operator="swapped index",
           lhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) - others(v, lambda k: v.y[k] / v.s[k] * (-v.s[k] * v.s[v.i])),
           rhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) + others(v, lambda k: v.y[k] * v.s[k])),
]
