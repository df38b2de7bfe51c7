from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# p: the author's probabilities (a distribution, stated), q = softmax(z).
SETTING = Setting(indices=("i",), labels="distribution")


def J_of_z(v):
    return lambda z: -S(lambda k: v.y[k] * log(softmax(z)[k]), 1, v.K)


def lse(v):
    return log(S(lambda k: exp(v.z[k]), 1, v.K))


CLAIMS = [
    Claim(line=7, column=7, kind="definition", written=r"q_i = \frac{e^{z_i}}{\sum_i e^{z_i}}"),
    Claim(line=9, column=133, kind="definition", written=r"J = -\sum_i p_i \log{q_i}"),
    Claim(line=13, column=13, kind="link", expected=True,
          written=r"\log{q_i} = \log{e^{z_i}} - \log({\sum_i e^{z_i}})",
          lhs=lambda v: log(v.s[v.i]),
          rhs=lambda v: log(exp(v.z[v.i])) - lse(v)),
    Claim(line=15, column=33, kind="link", expected=True,
          written=r"p_i\log{q_i} & = p_i \log{e^{z_i}} - p_i \log({\sum_i e^{z_i}})",
          lhs=lambda v: v.y[v.i] * log(v.s[v.i]),
          rhs=lambda v: v.y[v.i] * log(exp(v.z[v.i])) - v.y[v.i] * lse(v)),
    Claim(line=16, column=3, kind="link", expected=True,
          written=r"& = p_iz_i - p_i\log(\sum_i e^{z_i})",
          lhs=lambda v: v.y[v.i] * log(exp(v.z[v.i])) - v.y[v.i] * lse(v),
          rhs=lambda v: v.y[v.i] * v.z[v.i] - v.y[v.i] * lse(v)),
    Claim(line=18, column=33, kind="link", expected=False,
          error="J is -\\sum_i p_i log q_i; taking J = p_i log q_i drops the sum over classes and the minus sign",
          written=r"J = p_i\log{q_i}",
          lhs=lambda v: J_of_z(v)(v.z),
          rhs=lambda v: v.y[v.i] * log(v.s[v.i])),
    Claim(line=18, column=94, kind="link", expected=True,
          written=r"d/dz_i (p_i z_i) = p_i",
          lhs=lambda v: D(lambda z: v.y[v.i] * z[v.i], v.z, v.i),
          rhs=lambda v: v.y[v.i]),
    Claim(line=24, column=18, kind="link", expected=True,
          written=r"J&=-\sum_{j=1}^np_jz_j+\sum_{j=1}^np_j\log\left(\sum_{k=1}^ne^{z_k}\right)",
          lhs=lambda v: J_of_z(v)(v.z),
          rhs=lambda v: -S(lambda j: v.y[j] * v.z[j], 1, v.K) + S(lambda j: v.y[j] * lse(v), 1, v.K)),
    Claim(line=25, column=2, kind="link", expected=True,
          written=r"&=-\sum_{j=1}^np_jz_j+\log\left(\sum_{k=1}^ne^{z_k}\right)\tag{1}",
          note="uses sum_j p_j = 1 (stated in the next sentence)",
          lhs=lambda v: -S(lambda j: v.y[j] * v.z[j], 1, v.K) + S(lambda j: v.y[j] * lse(v), 1, v.K),
          rhs=lambda v: -S(lambda j: v.y[j] * v.z[j], 1, v.K) + lse(v)),
    Claim(line=27, column=53, kind="fact", written=r"\sum_j p_j = 1 \text{ (the sum of the probabilities } p_j \text{ is equal to } 1)"),
    Claim(line=29, column=114, kind="link", expected=True,
          written=r"\color{blue}{\frac{d}{dz_i}J} &=\frac{d}{dz_i}\left(-\sum_{j=1}^np_jz_j\right)+\frac{d}{dz_i}\left(\log\left(\sum_{k=1}^ne^{z_k}\right)\right)",
          lhs=lambda v: D(J_of_z(v), v.z, v.i),
          rhs=lambda v: D(lambda z: -S(lambda j: v.y[j] * z[j], 1, v.K), v.z, v.i)
          + D(lambda z: log(S(lambda k: exp(z[k]), 1, v.K)), v.z, v.i)),
    Claim(line=30, column=2, kind="link", expected=True,
          written=r"&=-p_i+\frac{e^{z_i}}{\sum_{k=1}^ne^{z_k}}",
          lhs=lambda v: D(lambda z: -S(lambda j: v.y[j] * z[j], 1, v.K), v.z, v.i)
          + D(lambda z: log(S(lambda k: exp(z[k]), 1, v.K)), v.z, v.i),
          rhs=lambda v: -v.y[v.i] + exp(v.z[v.i]) / S(lambda k: exp(v.z[k]), 1, v.K)),
    Claim(line=31, column=19, kind="link", expected=True,
          written=r"&\,\,\color{blue}{=-p_i+q_i}",
          lhs=lambda v: -v.y[v.i] + exp(v.z[v.i]) / S(lambda k: exp(v.z[k]), 1, v.K),
          rhs=lambda v: -v.y[v.i] + v.s[v.i]),
]

MUTANTS = [
    Mutant(line=30, column=2, find=r"&=-p_i+\frac", replace=r"&=p_i+\frac", operator="sign flip",
           lhs=lambda v: D(lambda z: -S(lambda j: v.y[j] * z[j], 1, v.K), v.z, v.i)
           + D(lambda z: log(S(lambda k: exp(z[k]), 1, v.K)), v.z, v.i),
           rhs=lambda v: v.y[v.i] + exp(v.z[v.i]) / S(lambda k: exp(v.z[k]), 1, v.K)),
    Mutant(line=16, column=3, find=r"p_iz_i - p_i\log", replace=r"p_iz_i + p_i\log", operator="sign flip",
           lhs=lambda v: v.y[v.i] * log(exp(v.z[v.i])) - v.y[v.i] * lse(v),
           rhs=lambda v: v.y[v.i] * v.z[v.i] + v.y[v.i] * lse(v)),
]
