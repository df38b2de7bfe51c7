from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# "only 1 class can be activated in the t": the targets t are one-hot.
SETTING = Setting(indices=("i", "j"), labels="one-hot")


def sig(v):
    """\\Sigma_C = sum_d e^{z_d}"""
    return S(lambda k: exp(v.z[k]), 1, v.K)


def ez(v, k):
    return exp(v.z[k])


def dquot(v, k, wrt):
    """d/dz_wrt of e^{z_k} / Sigma_C, from the exponentials (numerically)."""
    return D(lambda z: exp(z[k]) / S(lambda m: exp(z[m]), 1, v.K), v.z, wrt)


def dsoft(v, k, wrt):
    return D(lambda z: softmax(z)[k], v.z, wrt)


def xi(v, z):
    return -S(lambda k: v.y[k] * log(softmax(z)[k]), 1, v.K)


def not_i(v, f):
    return S(lambda k: 0 if k == v.i else f(k), 1, v.K)


t = lambda v, k: v.y[k]
y = lambda v, k: v.s[k]

CLAIMS = [
    Claim(line=3, column=8, kind="definition", written=r"y_c = \varsigma(\mathbf{z})_c"),
    Claim(line=3, column=34, kind="definition", written=r"\varsigma(\mathbf{z})_c = \frac{e^{z_c}}{\sum_{d=1}^C e^{z_d}}"),
    Claim(line=3, column=95, kind="not-equality", written=r"c = 1 \cdots C", note="range of c"),
    Claim(line=5, column=98, kind="fact", written=r"\sum_{c=1}^C y_c = 1"),
    Claim(line=9, column=107, kind="definition", written=r"\Sigma_C = \sum_{d=1}^C e^{z_d}"),
    Claim(line=9, column=149, kind="not-equality", written=r"c = 1 \cdots C", note="range of c"),
    Claim(line=9, column=176, kind="link", expected=True,
          written=r"y_c = e^{z_c} / \Sigma_C",
          lhs=lambda v: v.s[v.i], rhs=lambda v: ez(v, v.i) / sig(v)),
    # case i = j
    Claim(line=13, column=16, kind="case", written=r"\text{if} \; i = j"),
    Claim(line=13, column=57, kind="link", case="i=j", expected=True,
          written=r"\frac{\partial y_i}{\partial z_i} = \frac{\partial \frac{e^{z_i}}{\Sigma_C}}{\partial z_i}",
          lhs=lambda v: dsoft(v, v.i, v.i), rhs=lambda v: dquot(v, v.i, v.i)),
    Claim(line=13, column=114, kind="link", case="i=j", expected=False,
          error="quotient rule botched: numerator should be e^{z_i}Sigma_C - (e^{z_i})^2 and denominator Sigma_C^2, "
                "not e^{z_i}Sigma_C - 2e^{z_i} over 2Sigma_C (fixed in PR #7)",
          written=r"= \frac{e^{z_i}\Sigma_C - 2e^{z_i}}{2\Sigma_C}",
          lhs=lambda v: dquot(v, v.i, v.i),
          rhs=lambda v: (ez(v, v.i) * sig(v) - 2 * ez(v, v.i)) / (2 * sig(v))),
    Claim(line=13, column=161, kind="link", case="i=j", expected=False,
          error="does not follow from the (wrong) previous expression; it is the correct derivative, so the step silently undoes the slip",
          written=r"= \frac{e^{z_i}}{\Sigma_C}\frac{\Sigma_C - e^{z_i}}{\Sigma_C}",
          lhs=lambda v: (ez(v, v.i) * sig(v) - 2 * ez(v, v.i)) / (2 * sig(v)),
          rhs=lambda v: ez(v, v.i) / sig(v) * (sig(v) - ez(v, v.i)) / sig(v)),
    Claim(line=13, column=223, kind="link", case="i=j", expected=True,
          written=r"= \frac{e^{z_i}}{\Sigma_C}(1-\frac{e^{z_i}}{\Sigma_C})",
          lhs=lambda v: ez(v, v.i) / sig(v) * (sig(v) - ez(v, v.i)) / sig(v),
          rhs=lambda v: ez(v, v.i) / sig(v) * (1 - ez(v, v.i) / sig(v))),
    Claim(line=13, column=278, kind="link", case="i=j", expected=True,
          written=r"=  y_i (1 - y_i)",
          lhs=lambda v: ez(v, v.i) / sig(v) * (1 - ez(v, v.i) / sig(v)),
          rhs=lambda v: v.s[v.i] * (1 - v.s[v.i])),
    # case i != j
    Claim(line=14, column=16, kind="case", written=r"\text{if} \; i \neq j"),
    Claim(line=14, column=60, kind="link", case="i!=j", expected=True,
          written=r"\frac{\partial y_i}{\partial z_j} = \frac{\partial \frac{e^{z_i}}{\Sigma_C}}{\partial z_j}",
          lhs=lambda v: dsoft(v, v.i, v.j), rhs=lambda v: dquot(v, v.i, v.j)),
    Claim(line=14, column=117, kind="link", case="i!=j", expected=True,
          written=r"= \frac{0 - e^{z_i}e^{z_j}}{\Sigma_C * \Sigma_C}",
          lhs=lambda v: dquot(v, v.i, v.j),
          rhs=lambda v: (0 - ez(v, v.i) * ez(v, v.j)) / (sig(v) * sig(v))),
    Claim(line=14, column=166, kind="link", case="i!=j", expected=True,
          written=r"= -\frac{e^{z_i}}{\Sigma_C} \frac{e^{z_j}}{\Sigma_C}",
          lhs=lambda v: (0 - ez(v, v.i) * ez(v, v.j)) / (sig(v) * sig(v)),
          rhs=lambda v: -ez(v, v.i) / sig(v) * ez(v, v.j) / sig(v)),
    Claim(line=14, column=219, kind="link", case="i!=j", expected=True,
          written=r"= -y_i y_j",
          lhs=lambda v: -ez(v, v.i) / sig(v) * ez(v, v.j) / sig(v),
          rhs=lambda v: -v.s[v.i] * v.s[v.j]),
    # negative log-likelihood (the product/sum index is written i=c; read literally or as c = 1..C it is the same identity)
    Claim(line=23, column=51, kind="definition", written=r"- log \mathcal{L}(\theta|\mathbf{t},\mathbf{z}) = \xi(\mathbf{t},\mathbf{z})"),
    Claim(line=23, column=80, kind="definition", written=r"\xi(\mathbf{t},\mathbf{z}) = - log \prod_{i=c}^{C} y_c^{t_c}"),
    Claim(line=23, column=114, kind="link", expected=True,
          written=r"- log \prod_{i=c}^{C} y_c^{t_c} = - \sum_{i=c}^{C} t_c \cdot log(y_c)",
          note="index written i=c; v.c plays c",
          lhs=lambda v: -log(mpprod([v.s[v.c] ** v.y[v.c] for _ in range(v.c, v.K + 1)])),
          rhs=lambda v: -S(lambda i: v.y[v.c] * log(v.s[v.c]), v.c, v.K)),
    # derivative of the cross-entropy
    Claim(line=30, column=37, kind="link", expected=True,
          written=r"\frac{\partial \xi}{\partial z_i} & = - \sum_{j=1}^C \frac{\partial t_j log(y_j)}{\partial z_i}{}",
          lhs=lambda v: D(lambda z: xi(v, z), v.z, v.i),
          rhs=lambda v: -S(lambda k: D(lambda z: v.y[k] * log(softmax(z)[k]), v.z, v.i), 1, v.K)),
    Claim(line=30, column=99, kind="link", expected=True,
          written=r"= - \sum_{j=1}^C t_j \frac{\partial log(y_j)}{\partial z_i}",
          lhs=lambda v: -S(lambda k: D(lambda z: v.y[k] * log(softmax(z)[k]), v.z, v.i), 1, v.K),
          rhs=lambda v: -S(lambda k: v.y[k] * D(lambda z: log(softmax(z)[k]), v.z, v.i), 1, v.K)),
    Claim(line=31, column=59, kind="link", expected=True,
          written=r"= - \sum_{j=1}^C t_j \frac{1}{y_j} \frac{\partial y_j}{\partial z_i}",
          lhs=lambda v: -S(lambda k: v.y[k] * D(lambda z: log(softmax(z)[k]), v.z, v.i), 1, v.K),
          rhs=lambda v: -S(lambda k: v.y[k] / v.s[k] * dsoft(v, k, v.i), 1, v.K)),
    Claim(line=32, column=3, kind="link", expected=True,
          written=r"& = - \frac{t_i}{y_i} \frac{\partial y_i}{\partial z_i} - \sum_{j \neq i}^C \frac{t_j}{y_j} \frac{\partial y_j}{\partial z_i}",
          lhs=lambda v: -S(lambda k: v.y[k] / v.s[k] * dsoft(v, k, v.i), 1, v.K),
          rhs=lambda v: -v.y[v.i] / v.s[v.i] * dsoft(v, v.i, v.i) - not_i(v, lambda k: v.y[k] / v.s[k] * dsoft(v, k, v.i))),
    Claim(line=33, column=1, kind="link", expected=True,
          written=r"= - \frac{t_i}{y_i} y_i (1-y_i) - \sum_{j \neq i}^C \frac{t_j}{y_j} (-y_j y_i)",
          lhs=lambda v: -v.y[v.i] / v.s[v.i] * dsoft(v, v.i, v.i) - not_i(v, lambda k: v.y[k] / v.s[k] * dsoft(v, k, v.i)),
          rhs=lambda v: -v.y[v.i] / v.s[v.i] * v.s[v.i] * (1 - v.s[v.i]) - not_i(v, lambda k: v.y[k] / v.s[k] * (-v.s[k] * v.s[v.i]))),
    Claim(line=34, column=3, kind="link", expected=True,
          written=r"& = - t_i + t_i y_i + \sum_{j \neq i}^C t_j y_i",
          lhs=lambda v: -v.y[v.i] / v.s[v.i] * v.s[v.i] * (1 - v.s[v.i]) - not_i(v, lambda k: v.y[k] / v.s[k] * (-v.s[k] * v.s[v.i])),
          rhs=lambda v: -v.y[v.i] + v.y[v.i] * v.s[v.i] + not_i(v, lambda k: v.y[k] * v.s[v.i])),
    Claim(line=34, column=49, kind="link", expected=True,
          written=r"= - t_i + \sum_{j = 1}^C t_j y_i",
          lhs=lambda v: -v.y[v.i] + v.y[v.i] * v.s[v.i] + not_i(v, lambda k: v.y[k] * v.s[v.i]),
          rhs=lambda v: -v.y[v.i] + S(lambda k: v.y[k] * v.s[v.i], 1, v.K)),
    Claim(line=35, column=1, kind="link", expected=True,
          written=r"= -t_i + y_i \sum_{j = 1}^C t_j",
          lhs=lambda v: -v.y[v.i] + S(lambda k: v.y[k] * v.s[v.i], 1, v.K),
          rhs=lambda v: -v.y[v.i] + v.s[v.i] * S(lambda k: v.y[k], 1, v.K)),
    Claim(line=36, column=3, kind="link", expected=True,
          written=r"& = y_i - t_i",
          lhs=lambda v: -v.y[v.i] + v.s[v.i] * S(lambda k: v.y[k], 1, v.K),
          rhs=lambda v: v.s[v.i] - v.y[v.i]),
    Claim(line=41, column=48, kind="link", expected=True,
          written=r"{\partial \xi}/{\partial z_i} = y_i - t_i",
          lhs=lambda v: D(lambda z: xi(v, z), v.z, v.i),
          rhs=lambda v: v.s[v.i] - v.y[v.i]),
    Claim(line=41, column=72, kind="not-equality", written=r"i \in C"),
]

MUTANTS = [
    Mutant(line=14, column=219, find=r"= -y_i y_j", replace=r"= y_i y_j", operator="sign flip",
           lhs=lambda v: -ez(v, v.i) / sig(v) * ez(v, v.j) / sig(v),
           rhs=lambda v: v.s[v.i] * v.s[v.j]),
    Mutant(line=33, column=1, find=r"(1-y_i)", replace=r"(1+y_i)", operator="sign flip",
           lhs=lambda v: -v.y[v.i] / v.s[v.i] * dsoft(v, v.i, v.i) - not_i(v, lambda k: v.y[k] / v.s[k] * dsoft(v, k, v.i)),
           rhs=lambda v: -v.y[v.i] / v.s[v.i] * v.s[v.i] * (1 + v.s[v.i]) - not_i(v, lambda k: v.y[k] / v.s[k] * (-v.s[k] * v.s[v.i]))),
    Mutant(line=34, column=49, find=r"\sum_{j = 1}^C t_j y_i", replace=r"\sum_{j = 1}^C t_j y_j", operator="swapped index",
           lhs=lambda v: -v.y[v.i] + v.y[v.i] * v.s[v.i] + not_i(v, lambda k: v.y[k] * v.s[v.i]),
           rhs=lambda v: -v.y[v.i] + S(lambda k: v.y[k] * v.s[k], 1, v.K)),
]


def mpprod(values):
    out = 1
    for x in values:
        out *= x
    return out
