from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

SETTING = Setting(indices=("i", "k"), labels="one-hot")


def Sg(v):
    return S(lambda j: exp(v.z[j]), 1, v.K)


def quotient(v):
    return (delta(v.i, v.k) * exp(v.z[v.i]) * Sg(v) - exp(v.z[v.k]) * exp(v.z[v.i])) / Sg(v) ** 2


def dL(v):
    return D(lambda z: -S(lambda i: v.y[i] * log(softmax(z)[i]), 1, v.K), v.z, v.k)


def jac(v, i):  # dp_i/do_k
    return D(lambda z: softmax(z)[i], v.z, v.k)


CLAIMS = [
    Claim(line=4, column=5, kind="definition", written=r"L = - \sum_i y_i \log p_i"),
    Claim(line=6, column=7, kind="definition", written=r"p_i = \frac{ \exp (o_i) }{\sum_j \exp(o_j) }"),
    Claim(line=8, column=1, kind="link", expected=True,
          written=r"\frac{\partial p_i}{\partial o_k} = \frac{ \partial \frac{ \exp (o_i) }{\sum_j \exp(o_j)} }{\partial o_k}",
          lhs=lambda v: jac(v, v.i),
          rhs=lambda v: D(lambda z: exp(z[v.i]) / S(lambda j: exp(z[j]), 1, v.K), v.z, v.k)),
    Claim(line=9, column=1, kind="link", expected=True,
          written=r"= \frac{ \frac{\partial \exp(o_i)}{\partial o_k} \sum_j \exp(o_j) - \frac{\partial \sum_j \exp(o_j)}{\partial o_k} \exp (o_i) }{(\sum_j \exp(o_j))^2}",
          lhs=lambda v: D(lambda z: exp(z[v.i]) / S(lambda j: exp(z[j]), 1, v.K), v.z, v.k),
          rhs=lambda v: (D(lambda z: exp(z[v.i]), v.z, v.k) * Sg(v)
                         - D(lambda z: S(lambda j: exp(z[j]), 1, v.K), v.z, v.k) * exp(v.z[v.i])) / Sg(v) ** 2),
    Claim(line=10, column=7, kind="case", written=r"i = k"),
    Claim(line=11, column=68, kind="link", case="i=k", expected=True,
          written=r"\frac{\partial p_i}{\partial o_k} &= \frac{ \exp (o_k) \sum_j \exp(o_j) - \exp (o_k) \exp (o_k) }{(\sum_j \exp(o_j))^2}",
          lhs=lambda v: jac(v, v.i),
          rhs=lambda v: (exp(v.z[v.k]) * Sg(v) - exp(v.z[v.k]) * exp(v.z[v.k])) / Sg(v) ** 2),
    Claim(line=12, column=2, kind="link", case="i=k", expected=True,
          written=r"&= \frac{\exp (o_k)}{\sum_j \exp(o_j)} \frac{ \sum_j \exp(o_j) - \exp (o_k) }{\sum_j \exp(o_j)}",
          lhs=lambda v: (exp(v.z[v.k]) * Sg(v) - exp(v.z[v.k]) * exp(v.z[v.k])) / Sg(v) ** 2,
          rhs=lambda v: exp(v.z[v.k]) / Sg(v) * (Sg(v) - exp(v.z[v.k])) / Sg(v)),
    Claim(line=13, column=2, kind="link", case="i=k", expected=True,
          written=r"&= p_k (1 - p_k)",
          lhs=lambda v: exp(v.z[v.k]) / Sg(v) * (Sg(v) - exp(v.z[v.k])) / Sg(v),
          rhs=lambda v: v.s[v.k] * (1 - v.s[v.k])),
    Claim(line=14, column=7, kind="case", written=r"i \neq k"),
    Claim(line=15, column=68, kind="link", case="i!=k", expected=True,
          written=r"\frac{\partial p_i}{\partial o_k} &= \frac{ \frac{\partial \exp(o_i)}{\partial o_k} \sum_j \exp(o_j) - \frac{\partial \sum_j \exp(o_j)}{\partial o_k} \exp (o_i) }{(\sum_j \exp(o_j))^2}",
          lhs=lambda v: jac(v, v.i),
          rhs=lambda v: (D(lambda z: exp(z[v.i]), v.z, v.k) * Sg(v)
                         - D(lambda z: S(lambda j: exp(z[j]), 1, v.K), v.z, v.k) * exp(v.z[v.i])) / Sg(v) ** 2),
    Claim(line=16, column=2, kind="link", case="i!=k", expected=True,
          written=r"&= \frac{ - \exp (o_k) \exp (o_i) }{(\sum_j \exp(o_j))(\sum_j \exp(o_j))}",
          lhs=lambda v: (D(lambda z: exp(z[v.i]), v.z, v.k) * Sg(v)
                         - D(lambda z: S(lambda j: exp(z[j]), 1, v.K), v.z, v.k) * exp(v.z[v.i])) / Sg(v) ** 2,
          rhs=lambda v: -exp(v.z[v.k]) * exp(v.z[v.i]) / (Sg(v) * Sg(v))),
    Claim(line=17, column=2, kind="link", case="i!=k", expected=True,
          written=r"&= - p_k p_i",
          lhs=lambda v: -exp(v.z[v.k]) * exp(v.z[v.i]) / (Sg(v) * Sg(v)),
          rhs=lambda v: -v.s[v.k] * v.s[v.i]),
    Claim(line=18, column=113, kind="case", written=r"\text{if }\; i=k"),
    Claim(line=18, column=67, kind="link", case="i=k", expected=True,
          written=r"\frac{\partial p_i}{\partial o_k} = p_k (1 - p_k) \quad \text{if }\; i=k",
          lhs=lambda v: jac(v, v.i),
          rhs=lambda v: v.s[v.k] * (1 - v.s[v.k])),
    Claim(line=19, column=27, kind="case", written=r"\text{if }\; i\neq k"),
    Claim(line=18, column=67, kind="link", case="i!=k", expected=True,
          written=r"\frac{\partial p_i}{\partial o_k} = - p_k p_i \quad \text{if }\; i\neq k",
          lhs=lambda v: jac(v, v.i),
          rhs=lambda v: -v.s[v.k] * v.s[v.i]),
    Claim(line=21, column=66, kind="link", expected=True,
          written=r"\frac{\partial L}{\partial o_k} &= - \sum_i y_i \frac{\partial \log p_i}{\partial o_k}",
          lhs=dL,
          rhs=lambda v: -S(lambda i: v.y[i] * D(lambda z: log(softmax(z)[i]), v.z, v.k), 1, v.K)),
    Claim(line=22, column=2, kind="link", expected=True,
          written=r"&= - \sum_i y_i \frac{\partial \log p_i}{\partial p_i} \frac{\partial p_i}{\partial o_k}",
          lhs=lambda v: -S(lambda i: v.y[i] * D(lambda z: log(softmax(z)[i]), v.z, v.k), 1, v.K),
          rhs=lambda v: -S(lambda i: v.y[i] * d(log, v.s[i]) * jac(v, i), 1, v.K)),
    Claim(line=23, column=2, kind="link", expected=True,
          written=r"&= - \sum_i \frac{y_i}{p_i} \frac{\partial p_i}{\partial o_k}",
          lhs=lambda v: -S(lambda i: v.y[i] * d(log, v.s[i]) * jac(v, i), 1, v.K),
          rhs=lambda v: -S(lambda i: v.y[i] / v.s[i] * jac(v, i), 1, v.K)),
    Claim(line=24, column=2, kind="link", expected=True,
          written=r"&= - y_k (1 - p_k) + \sum_{i\neq k} y_i p_k",
          lhs=lambda v: -S(lambda i: v.y[i] / v.s[i] * jac(v, i), 1, v.K),
          rhs=lambda v: -v.y[v.k] * (1 - v.s[v.k]) + S(lambda i: 0 if i == v.k else v.y[i] * v.s[v.k], 1, v.K)),
    Claim(line=25, column=2, kind="link", expected=True,
          written=r"&= - y_k + \sum_i y_i p_k",
          lhs=lambda v: -v.y[v.k] * (1 - v.s[v.k]) + S(lambda i: 0 if i == v.k else v.y[i] * v.s[v.k], 1, v.K),
          rhs=lambda v: -v.y[v.k] + S(lambda i: v.y[i] * v.s[v.k], 1, v.K)),
    Claim(line=26, column=2, kind="link", expected=True,
          written=r"&= p_k - y_k",
          note="uses sum_i y_i = 1 (y one-hot, stated below)",
          lhs=lambda v: -v.y[v.k] + S(lambda i: v.y[i] * v.s[v.k], 1, v.K),
          rhs=lambda v: v.s[v.k] - v.y[v.k]),
    Claim(line=27, column=13, kind="fact", written=r"\sum_i y_i = 1"),
]

MUTANTS = [
    Mutant(line=24, column=2, find=r"&= - y_k (1 - p_k)", replace=r"&= - y_k (1 + p_k)", operator="sign flip",
           lhs=lambda v: -S(lambda i: v.y[i] / v.s[i] * jac(v, i), 1, v.K),
           rhs=lambda v: -v.y[v.k] * (1 + v.s[v.k]) + S(lambda i: 0 if i == v.k else v.y[i] * v.s[v.k], 1, v.K)),
    Mutant(line=25, column=2, find=r"\sum_i y_i p_k", replace=r"\sum_i y_i p_i", operator="swapped index",
           lhs=lambda v: -v.y[v.k] * (1 - v.s[v.k]) + S(lambda i: 0 if i == v.k else v.y[i] * v.s[v.k], 1, v.K),
           rhs=lambda v: -v.y[v.k] + S(lambda i: v.y[i] * v.s[i], 1, v.K)),
]
