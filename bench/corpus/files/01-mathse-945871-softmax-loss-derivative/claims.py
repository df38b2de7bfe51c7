from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

SETTING = Setting(indices=("i", "j"), labels="one-hot")


def loss(v):
    return lambda z: -S(lambda k: v.y[k] * log(softmax(z)[k]), 1, v.K)


def dL(v):
    return D(loss(v), v.z, v.i)


CLAIMS = [
    Claim(line=5, column=22, kind="definition", written=r"p_j = \frac{e^{o_j}}{\sum_k e^{o_k}}"),
    Claim(line=7, column=19, kind="definition", written=r"L = -\sum_j y_j \log p_j"),
    Claim(line=9, column=75, kind="case", written=r"i = j"),
    Claim(line=9, column=52, kind="link", case="i=j", expected=True,
          written=r"\frac{\partial p_j}{\partial o_i} = p_i(1 - p_i)",
          lhs=lambda v: D(lambda z: softmax(z)[v.j], v.z, v.i),
          rhs=lambda v: v.s[v.i] * (1 - v.s[v.i])),
    Claim(line=11, column=71, kind="case", written=r"i \neq j"),
    Claim(line=11, column=52, kind="link", case="i!=j", expected=True,
          written=r"\frac{\partial p_j}{\partial o_i} = -p_i p_j",
          lhs=lambda v: D(lambda z: softmax(z)[v.j], v.z, v.i),
          rhs=lambda v: -v.s[v.i] * v.s[v.j]),
    Claim(line=13, column=51, kind="link", expected=False,
          error="wrong index: the i != j terms of dp_k/do_i are -p_k p_i, and after multiplying by y_k/p_k they give y_k p_i, not p_k y_k",
          written=r"\frac{\partial L}{\partial o_i} &=& - \left (y_i (1 - p_i) + \sum_{k\neq i}-p_k y_k \right )",
          lhs=dL,
          rhs=lambda v: -(v.y[v.i] * (1 - v.s[v.i]) + S(lambda k: 0 if k == v.i else -v.s[k] * v.y[k], 1, v.K))),
    Claim(line=14, column=2, kind="link", expected=True,
          written=r"&=&p_i y_i - y_i + \sum_{k\neq i} p_k y_k",
          lhs=lambda v: -(v.y[v.i] * (1 - v.s[v.i]) + S(lambda k: 0 if k == v.i else -v.s[k] * v.y[k], 1, v.K)),
          rhs=lambda v: v.s[v.i] * v.y[v.i] - v.y[v.i] + S(lambda k: 0 if k == v.i else v.s[k] * v.y[k], 1, v.K)),
    Claim(line=15, column=2, kind="link", expected=True,
          written=r"&=& \left (\sum_i p_i y_i \right ) - y_i",
          lhs=lambda v: v.s[v.i] * v.y[v.i] - v.y[v.i] + S(lambda k: 0 if k == v.i else v.s[k] * v.y[k], 1, v.K),
          rhs=lambda v: S(lambda k: v.s[k] * v.y[k], 1, v.K) - v.y[v.i]),
    Claim(line=17, column=50, kind="link", expected=True,
          written=r"\frac{\partial L}{\partial o_i} = p_i - y_i",
          note="the result of the slides; true because y is one-hot (stated in the answer)",
          lhs=dL, rhs=lambda v: v.s[v.i] - v.y[v.i]),
    Claim(line=23, column=34, kind="link", expected=True,
          written=r"\frac{\partial L}{\partial o_i}=-\sum_ky_k\frac{\partial \log p_k}{\partial o_i}",
          lhs=dL,
          rhs=lambda v: -S(lambda k: v.y[k] * D(lambda z: log(softmax(z)[k]), v.z, v.i), 1, v.K)),
    Claim(line=23, column=83, kind="link", expected=True,
          written=r"=-\sum_ky_k\frac{1}{p_k}\frac{\partial p_k}{\partial o_i}",
          lhs=lambda v: -S(lambda k: v.y[k] * D(lambda z: log(softmax(z)[k]), v.z, v.i), 1, v.K),
          rhs=lambda v: -S(lambda k: v.y[k] / v.s[k] * D(lambda z: softmax(z)[k], v.z, v.i), 1, v.K)),
    Claim(line=24, column=1, kind="link", expected=True,
          written=r"=-y_i(1-p_i)-\sum_{k\neq i}y_k\frac{1}{p_k}({\color{red}{-p_kp_i}})",
          lhs=lambda v: -S(lambda k: v.y[k] / v.s[k] * D(lambda z: softmax(z)[k], v.z, v.i), 1, v.K),
          rhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) - S(lambda k: 0 if k == v.i else v.y[k] / v.s[k] * (-v.s[k] * v.s[v.i]), 1, v.K)),
    Claim(line=25, column=1, kind="link", expected=True,
          written=r"=-y_i(1-p_i)+\sum_{k\neq i}y_k({\color{red}{p_i}})",
          lhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) - S(lambda k: 0 if k == v.i else v.y[k] / v.s[k] * (-v.s[k] * v.s[v.i]), 1, v.K),
          rhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) + S(lambda k: 0 if k == v.i else v.y[k] * v.s[v.i], 1, v.K)),
    Claim(line=26, column=1, kind="link", expected=True,
          written=r"=-y_i+\color{blue}{y_ip_i+\sum_{k\neq i}y_k({p_i})}",
          lhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) + S(lambda k: 0 if k == v.i else v.y[k] * v.s[v.i], 1, v.K),
          rhs=lambda v: -v.y[v.i] + v.y[v.i] * v.s[v.i] + S(lambda k: 0 if k == v.i else v.y[k] * v.s[v.i], 1, v.K)),
    Claim(line=27, column=1, kind="link", expected=True,
          written=r"=\color{blue}{p_i\left(\sum_ky_k\right)}-y_i",
          lhs=lambda v: -v.y[v.i] + v.y[v.i] * v.s[v.i] + S(lambda k: 0 if k == v.i else v.y[k] * v.s[v.i], 1, v.K),
          rhs=lambda v: v.s[v.i] * S(lambda k: v.y[k], 1, v.K) - v.y[v.i]),
    Claim(line=27, column=45, kind="link", expected=True,
          written=r"=p_i-y_i",
          note="uses sum_k y_k = 1 (stated right after)",
          lhs=lambda v: v.s[v.i] * S(lambda k: v.y[k], 1, v.K) - v.y[v.i],
          rhs=lambda v: v.s[v.i] - v.y[v.i]),
    Claim(line=28, column=22, kind="fact", written=r"\sum_ky_k=1"),
]

MUTANTS = [
    Mutant(line=25, column=1, find=r"({\color{red}{p_i}})", replace=r"({\color{red}{p_k}})", operator="swapped index",
           lhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) - S(lambda k: 0 if k == v.i else v.y[k] / v.s[k] * (-v.s[k] * v.s[v.i]), 1, v.K),
           rhs=lambda v: -v.y[v.i] * (1 - v.s[v.i]) + S(lambda k: 0 if k == v.i else v.y[k] * v.s[k], 1, v.K)),
    Mutant(line=9, column=52, find=r"p_i(1 - p_i)", replace=r"p_i(1 + p_i)", operator="sign flip",
           lhs=lambda v: D(lambda z: softmax(z)[v.i], v.z, v.i),
           rhs=lambda v: v.s[v.i] * (1 + v.s[v.i])),
]
