from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

SETTING = Setting(indices=("i", "j"), labels="any")


def Sigma(v):
    return S(lambda k: exp(v.z[k]), 1, v.K)


def quotient(v):   # (g'h - h'g)/h^2 with g = g_i = e^{a_i}, h = Sigma
    return (delta(v.i, v.j) * exp(v.z[v.i]) * Sigma(v) - exp(v.z[v.j]) * exp(v.z[v.i])) / Sigma(v) ** 2


CLAIMS = [
    Claim(line=4, column=24, kind="definition", written=r"\sigma(\mathbf{z})_i = \frac{e^{z_i}}{\sum^K_{j=1}e^{z_j}}"),
    Claim(line=5, column=9, kind="definition", written=r"i=1,\dots,K"),
    Claim(line=5, column=31, kind="definition", written=r"\mathbf{z}=\begin{bmatrix}z_1,\dots,z_K\end{bmatrix}"),
    Claim(line=8, column=55, kind="link", expected=True,
          written=r"\frac{\partial[\sigma(\mathbf{a})]_i}{\partial a_j} = \frac{\partial}{\partial a_j}\frac{e^{a_i}}{\sum^K_{k=1}e^{a_k}}",
          lhs=lambda v: D(lambda z: softmax(z)[v.i], v.z, v.j),
          rhs=lambda v: D(lambda z: exp(z[v.i]) / S(lambda k: exp(z[k]), 1, v.K), v.z, v.j)),
    Claim(line=8, column=122, kind="link", expected=True,
          written=r"= \sigma_i(1_{i=j} - \sigma_j)",
          lhs=lambda v: D(lambda z: exp(z[v.i]) / S(lambda k: exp(z[k]), 1, v.K), v.z, v.j),
          rhs=lambda v: v.s[v.i] * (delta(v.i, v.j) - v.s[v.j])),
    Claim(line=10, column=27, kind="definition", written=r"f(x) = \frac{g(x)}{h(x)}"),
    Claim(line=10, column=60, kind="definition", written=r"g_i = e^{a_i}"),
    Claim(line=10, column=75, kind="definition", written=r"h_i = \sum^K_{k=1}e^{a_k}"),
    Claim(line=10, column=97, kind="definition", written=r"= \Sigma"),
    Claim(line=12, column=36, kind="link", expected=True,
          written=r"\frac{\partial}{\partial a_j}h_i = e^{a_j}",
          lhs=lambda v: D(lambda z: S(lambda k: exp(z[k]), 1, v.K), v.z, v.j),
          rhs=lambda v: exp(v.z[v.j])),
    Claim(line=14, column=63, kind="case", written=r"i=j"),
    Claim(line=14, column=36, kind="link", case="i=j", expected=True,
          written=r"\frac{\partial}{\partial a_j}g_i = e^{a_i} \quad (i=j)",
          lhs=lambda v: D(lambda z: exp(z[v.i]), v.z, v.j),
          rhs=lambda v: exp(v.z[v.i])),
    Claim(line=14, column=74, kind="case", written=r"i\neq j"),
    Claim(line=14, column=36, kind="link", case="i!=j", expected=True,
          written=r"\frac{\partial}{\partial a_j}g_i = 0 \quad (i\neq j)",
          lhs=lambda v: D(lambda z: exp(z[v.i]), v.z, v.j),
          rhs=lambda v: 0),
    Claim(line=17, column=54, kind="link", expected=False,
          error="wrong index on the left side: the numerator is e^{a_j} (the j-th output) while the quotient rule "
                "that follows uses g = g_i = e^{a_i}; d/da_j of e^{a_j}/Sigma is sigma_j(1 - sigma_j), not sigma_i(1_{i=j} - sigma_j)",
          written=r"\frac{\partial}{\partial a_j}\frac{e^{a_j}}{\sum^K_{k=1}e^{a_k}} &= \frac{g'h - h'g}{h^2}",
          lhs=lambda v: D(lambda z: exp(z[v.j]) / S(lambda k: exp(z[k]), 1, v.K), v.z, v.j),
          rhs=quotient),
    Claim(line=18, column=2, kind="link", expected=True,
          written=r"&= \frac{1_{i=j}e^{a_i} \cdot \Sigma - e^{a_j} \cdot e^{a_i}}{\Sigma^2}",
          lhs=quotient,
          rhs=lambda v: (delta(v.i, v.j) * exp(v.z[v.i]) * Sigma(v) - exp(v.z[v.j]) * exp(v.z[v.i])) / Sigma(v) ** 2),
    Claim(line=19, column=2, kind="link", expected=True,
          written=r"&= \frac{e^{a_i}}{\Sigma}\frac{1_{i=j}\Sigma - e^{a_j}}{\Sigma}",
          lhs=lambda v: (delta(v.i, v.j) * exp(v.z[v.i]) * Sigma(v) - exp(v.z[v.j]) * exp(v.z[v.i])) / Sigma(v) ** 2,
          rhs=lambda v: exp(v.z[v.i]) / Sigma(v) * (delta(v.i, v.j) * Sigma(v) - exp(v.z[v.j])) / Sigma(v)),
    Claim(line=20, column=2, kind="link", expected=True,
          written=r"&= \sigma_i(1_{i=j} - \sigma_j)",
          lhs=lambda v: exp(v.z[v.i]) / Sigma(v) * (delta(v.i, v.j) * Sigma(v) - exp(v.z[v.j])) / Sigma(v),
          rhs=lambda v: v.s[v.i] * (delta(v.i, v.j) - v.s[v.j])),
]

MUTANTS = [
    Mutant(line=20, column=2, find=r"- \sigma_j)", replace=r"- \sigma_i)", operator="swapped index",
           lhs=lambda v: exp(v.z[v.i]) / Sigma(v) * (delta(v.i, v.j) * Sigma(v) - exp(v.z[v.j])) / Sigma(v),
           rhs=lambda v: v.s[v.i] * (delta(v.i, v.j) - v.s[v.i])),
    Mutant(line=12, column=36, find=r"h_i = e^{a_j}", replace=r"h_i = e^{a_i}", operator="swapped index",
           lhs=lambda v: D(lambda z: S(lambda k: exp(z[k]), 1, v.K), v.z, v.j),
           rhs=lambda v: exp(v.z[v.i])),
]
