from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# j: output neuron, b: the class called b (any class). The previous-layer output o_i is the scalar v.x:
# z_j = w_ij * o_i + (terms without w_ij), so dz_j/dw_ij = o_i and dE/dw_ij = dE/dz_j * o_i.
SETTING = Setting(indices=("j", "b"), labels="any")


def E_of_z(v):
    return lambda z: -S(lambda k: v.y[k] * log(softmax(z)[k]), 1, v.K)


def E_of_o(v):
    return lambda o: -S(lambda k: v.y[k] * log(o[k]), 1, v.K)


def total(v):
    return S(lambda k: exp(v.z[k]), 1, v.K)


def only_three(v, value):
    if v.K != 3:
        raise ValueError("the author's example has three classes a, b, c")
    return value


CLAIMS = [
    Claim(line=4, column=9, kind="definition", written=r"E(t,o)=-\sum_j t_j \log o_j"),
    Claim(line=6, column=6, kind="definition", written=r"o_j=softmax(z_j)=\frac{e^{z_j}}{\sum_j e^{z_j}}"),
    Claim(line=8, column=6, kind="definition", written=r"z_j=\sum_i w_{ij}o_i+b"),
    Claim(line=11, column=38, kind="link", expected=False,
          error="chain rule misses the other outputs: E depends on z_j through every o_k, so dE/dw_ij = "
                "sum_k dE/do_k do_k/dz_j dz_j/dw_ij, not only the k = j term",
          written=r"\frac{\partial E} {\partial w_{ij}}=\frac{\partial E} {\partial o_j} \frac{\partial o_j} {\partial z_{j}} \frac{\partial z_j} {\partial w_{ij}}",
          lhs=lambda v: D(E_of_z(v), v.z, v.j) * v.x,
          rhs=lambda v: D(E_of_o(v), v.s, v.j) * D(lambda z: softmax(z)[v.j], v.z, v.j) * v.x),
    Claim(line=13, column=40, kind="link", expected=True,
          written=r"\frac{\partial z_j} {\partial w_{ij}}=o_i",
          lhs=lambda v: d(lambda w: w * v.x + v.p, v.eps),
          rhs=lambda v: v.x),
    Claim(line=15, column=36, kind="link", expected=True,
          written=r"\frac{\partial E} {\partial o_j} = \frac{-t_j}{o_j}",
          lhs=lambda v: D(E_of_o(v), v.s, v.j),
          rhs=lambda v: -v.y[v.j] / v.s[v.j]),
    Claim(line=17, column=39, kind="link", expected=True,
          written=r"\frac{\partial o_j} {\partial z_{j}}=\frac{\partial} {\partial z_{j}} \frac{e^{z_j}}{\sum_j e^{z_j}}",
          lhs=lambda v: D(lambda z: softmax(z)[v.j], v.z, v.j),
          rhs=lambda v: D(lambda z: exp(z[v.j]) / S(lambda k: exp(z[k]), 1, v.K), v.z, v.j)),
    Claim(line=18, column=87, kind="definition", written=r"o_b = softmax(b)"),
    Claim(line=19, column=6, kind="definition", written=r"o_b=\frac{e^{z_b}}{\sum e^{z}}"),
    Claim(line=19, column=33, kind="link", expected=True,
          written=r"=\frac{e^{z_b}}{e^{z_a}+e^{z_b}+e^{z_c}}",
          note="three classes a, b, c: judged at K = 3 only",
          lhs=lambda v: only_three(v, exp(v.z[v.b]) / total(v)),
          rhs=lambda v: only_three(v, exp(v.z[v.b]) / (exp(v.z[1]) + exp(v.z[2]) + exp(v.z[3])))),
    Claim(line=21, column=39, kind="link", expected=True,
          written=r"\frac{\partial o_b} {\partial z_{b}}=\frac{e^{z_b}*\sum e^z - (e^{z_b})^2}{(\sum_j e^{z})^2}",
          lhs=lambda v: D(lambda z: softmax(z)[v.b], v.z, v.b),
          rhs=lambda v: (exp(v.z[v.b]) * total(v) - exp(v.z[v.b]) ** 2) / total(v) ** 2),
    Claim(line=21, column=95, kind="link", expected=True,
          written=r"=\frac{e^{z_b}}{\sum e^z}-\frac{(e^{z_b})^2}{(\sum e^z)^2}",
          lhs=lambda v: (exp(v.z[v.b]) * total(v) - exp(v.z[v.b]) ** 2) / total(v) ** 2,
          rhs=lambda v: exp(v.z[v.b]) / total(v) - exp(v.z[v.b]) ** 2 / total(v) ** 2),
    Claim(line=22, column=3, kind="link", expected=True,
          written=r"=softmax(b)-softmax^2(b)",
          lhs=lambda v: exp(v.z[v.b]) / total(v) - exp(v.z[v.b]) ** 2 / total(v) ** 2,
          rhs=lambda v: v.s[v.b] - v.s[v.b] ** 2),
    Claim(line=22, column=27, kind="link", expected=True,
          written=r"=o_b-o_b^2",
          lhs=lambda v: v.s[v.b] - v.s[v.b] ** 2,
          rhs=lambda v: v.s[v.b] - v.s[v.b] ** 2),
    Claim(line=22, column=37, kind="link", expected=True,
          written=r"=o_b(1-o_b)",
          lhs=lambda v: v.s[v.b] - v.s[v.b] ** 2,
          rhs=lambda v: v.s[v.b] * (1 - v.s[v.b])),
]

MUTANTS = [
    Mutant(line=15, column=36, find=r"\frac{-t_j}{o_j}", replace=r"\frac{t_j}{o_j}", operator="sign flip",
           lhs=lambda v: D(E_of_o(v), v.s, v.j),
           rhs=lambda v: v.y[v.j] / v.s[v.j]),
    Mutant(line=22, column=37, find=r"=o_b(1-o_b)", replace=r"=o_b(1+o_b)", operator="sign flip",
           lhs=lambda v: v.s[v.b] - v.s[v.b] ** 2,
           rhs=lambda v: v.s[v.b] * (1 + v.s[v.b])),
]
