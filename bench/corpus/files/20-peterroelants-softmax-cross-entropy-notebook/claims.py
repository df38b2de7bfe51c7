from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Notation: y = softmax(z) (here y is the OUTPUT, v.s); the targets are t (v.y), one-hot as the author
# states ("only 1 class can be activated in the t").  \Sigma_C = \sum_d e^{z_d}.
SETTING = Setting(indices=("i", "j"), labels="one-hot")


def Sig(z, K):
    return S(lambda d_: exp(z[d_]), 1, K)


def xi(v, z):
    # the cross-entropy as defined: -log prod_c y_c^{t_c} = -sum_c t_c log y_c
    return -S(lambda c: v.y[c] * log(softmax(z)[c]), 1, v.K)


def others(v, f):
    return S(lambda j: 0 if j == v.i else f(j), 1, v.K)


def prod_yt(v):
    out = 1
    for c in range(1, v.K + 1):
        out *= v.s[c] ** v.y[c]
    return out


e = lambda v, k: exp(v.z[k])
Sg = lambda v: Sig(v.z, v.K)

CLAIMS = [
    Claim(line=6, column=5, kind="definition", written=r"y_c = \varsigma(\mathbf{z})_c"),
    Claim(line=6, column=31, kind="definition", written=r"\varsigma(\mathbf{z})_c = \frac{e^{z_c}}{\sum_{d=1}^C e^{z_d}}"),
    Claim(line=6, column=92, kind="definition", written=r"c = 1 \cdots C", note="index range"),
    Claim(line=9, column=98, kind="fact", written=r"\sum_{c=1}^C y_c = 1"),
    Claim(line=13, column=107, kind="definition", written=r"\Sigma_C = \sum_{d=1}^C e^{z_d}"),
    Claim(line=13, column=149, kind="definition", written=r"c = 1 \cdots C", note="index range"),
    Claim(line=13, column=176, kind="fact", written=r"y_c = e^{z_c} / \Sigma_C"),
    Claim(line=17, column=16, kind="case", written=r"i = j"),
    Claim(line=17, column=57, kind="link", case="i=j", expected=True,
          written=r"\frac{\partial y_i}{\partial z_i} = \frac{\partial \frac{e^{z_i}}{\Sigma_C}}{\partial z_i}",
          lhs=lambda v: D(lambda z: softmax(z)[v.i], v.z, v.i),
          rhs=lambda v: D(lambda z: exp(z[v.i]) / Sig(z, v.K), v.z, v.i)),
    Claim(line=17, column=114, kind="link", case="i=j", expected=True,
          written=r"= \frac{e^{z_i}\Sigma_C - e^{z_i}e^{z_i}}{\Sigma_C^2}",
          lhs=lambda v: D(lambda z: exp(z[v.i]) / Sig(z, v.K), v.z, v.i),
          rhs=lambda v: (e(v, v.i) * Sg(v) - e(v, v.i) * e(v, v.i)) / Sg(v) ** 2),
    Claim(line=17, column=168, kind="link", case="i=j", expected=True,
          written=r"= \frac{e^{z_i}}{\Sigma_C}\frac{\Sigma_C - e^{z_i}}{\Sigma_C}",
          lhs=lambda v: (e(v, v.i) * Sg(v) - e(v, v.i) * e(v, v.i)) / Sg(v) ** 2,
          rhs=lambda v: e(v, v.i) / Sg(v) * ((Sg(v) - e(v, v.i)) / Sg(v))),
    Claim(line=17, column=230, kind="link", case="i=j", expected=True,
          written=r"= \frac{e^{z_i}}{\Sigma_C}(1-\frac{e^{z_i}}{\Sigma_C})",
          lhs=lambda v: e(v, v.i) / Sg(v) * ((Sg(v) - e(v, v.i)) / Sg(v)),
          rhs=lambda v: e(v, v.i) / Sg(v) * (1 - e(v, v.i) / Sg(v))),
    Claim(line=17, column=285, kind="link", case="i=j", expected=True,
          written=r"=  y_i (1 - y_i)",
          lhs=lambda v: e(v, v.i) / Sg(v) * (1 - e(v, v.i) / Sg(v)),
          rhs=lambda v: v.s[v.i] * (1 - v.s[v.i])),
    Claim(line=18, column=16, kind="case", written=r"i \neq j"),
    Claim(line=18, column=60, kind="link", case="i!=j", expected=True,
          written=r"\frac{\partial y_i}{\partial z_j} = \frac{\partial \frac{e^{z_i}}{\Sigma_C}}{\partial z_j}",
          lhs=lambda v: D(lambda z: softmax(z)[v.i], v.z, v.j),
          rhs=lambda v: D(lambda z: exp(z[v.i]) / Sig(z, v.K), v.z, v.j)),
    Claim(line=18, column=117, kind="link", case="i!=j", expected=True,
          written=r"= \frac{0 - e^{z_i}e^{z_j}}{\Sigma_C^2}",
          lhs=lambda v: D(lambda z: exp(z[v.i]) / Sig(z, v.K), v.z, v.j),
          rhs=lambda v: (0 - e(v, v.i) * e(v, v.j)) / Sg(v) ** 2),
    Claim(line=18, column=157, kind="link", case="i!=j", expected=True,
          written=r"= -\frac{e^{z_i}}{\Sigma_C} \frac{e^{z_j}}{\Sigma_C}",
          lhs=lambda v: (0 - e(v, v.i) * e(v, v.j)) / Sg(v) ** 2,
          rhs=lambda v: -(e(v, v.i) / Sg(v)) * (e(v, v.j) / Sg(v))),
    Claim(line=18, column=210, kind="link", case="i!=j", expected=True,
          written=r"= -y_i y_j",
          lhs=lambda v: -(e(v, v.i) / Sg(v)) * (e(v, v.j) / Sg(v)),
          rhs=lambda v: -v.s[v.i] * v.s[v.j]),
    Claim(line=28, column=1, kind="definition", written=r"-\log \mathcal{L}(\theta|\mathbf{t},\mathbf{z}) = \xi(\mathbf{t},\mathbf{z})"),
    Claim(line=28, column=30, kind="definition", written=r"\xi(\mathbf{t},\mathbf{z}) = - \log \prod_{c=1}^{C} y_c^{t_c}"),
    Claim(line=29, column=1, kind="link", expected=False,
          error="lost the minus sign: -\\log \\prod_c y_c^{t_c} = -\\sum_c t_c \\log(y_c) (fixed upstream in commit ca145f7, 'I think you lost a negative sign in there')",
          written=r"- \log \prod_{c=1}^{C} y_c^{t_c} = \sum_{c=1}^{C} t_c \cdot \log(y_c)",
          lhs=lambda v: -log(prod_yt(v)),
          rhs=lambda v: S(lambda c: v.y[c] * log(v.s[c]), 1, v.K)),
    Claim(line=40, column=37, kind="link", expected=True,
          written=r"\frac{\partial \xi}{\partial z_i} = - \sum_{j=1}^C \frac{\partial t_j \log(y_j)}{\partial z_i}{}",
          lhs=lambda v: D(lambda z: xi(v, z), v.z, v.i),
          rhs=lambda v: -S(lambda j: D(lambda z: v.y[j] * log(softmax(z)[j]), v.z, v.i), 1, v.K)),
    Claim(line=41, column=1, kind="link", expected=True,
          written=r"= - \sum_{j=1}^C t_j \frac{\partial \log(y_j)}{\partial z_i}",
          lhs=lambda v: -S(lambda j: D(lambda z: v.y[j] * log(softmax(z)[j]), v.z, v.i), 1, v.K),
          rhs=lambda v: -S(lambda j: v.y[j] * D(lambda z: log(softmax(z)[j]), v.z, v.i), 1, v.K)),
    Claim(line=42, column=1, kind="link", expected=True,
          written=r"= - \sum_{j=1}^C t_j \frac{1}{y_j} \frac{\partial y_j}{\partial z_i}",
          lhs=lambda v: -S(lambda j: v.y[j] * D(lambda z: log(softmax(z)[j]), v.z, v.i), 1, v.K),
          rhs=lambda v: -S(lambda j: v.y[j] / v.s[j] * D(lambda z: softmax(z)[j], v.z, v.i), 1, v.K)),
    Claim(line=43, column=3, kind="link", expected=True,
          written=r"= - \frac{t_i}{y_i} \frac{\partial y_i}{\partial z_i} - \sum_{j \neq i}^C \frac{t_j}{y_j} \frac{\partial y_j}{\partial z_i}",
          lhs=lambda v: -S(lambda j: v.y[j] / v.s[j] * D(lambda z: softmax(z)[j], v.z, v.i), 1, v.K),
          rhs=lambda v: -v.y[v.i] / v.s[v.i] * D(lambda z: softmax(z)[v.i], v.z, v.i)
          - others(v, lambda j: v.y[j] / v.s[j] * D(lambda z: softmax(z)[j], v.z, v.i))),
    Claim(line=44, column=1, kind="link", expected=True,
          written=r"= - \frac{t_i}{y_i} y_i (1-y_i) - \sum_{j \neq i}^C \frac{t_j}{y_j} (-y_j y_i)",
          lhs=lambda v: -v.y[v.i] / v.s[v.i] * D(lambda z: softmax(z)[v.i], v.z, v.i)
          - others(v, lambda j: v.y[j] / v.s[j] * D(lambda z: softmax(z)[j], v.z, v.i)),
          rhs=lambda v: -v.y[v.i] / v.s[v.i] * v.s[v.i] * (1 - v.s[v.i])
          - others(v, lambda j: v.y[j] / v.s[j] * (-v.s[j] * v.s[v.i]))),
    Claim(line=45, column=3, kind="link", expected=True,
          written=r"= - t_i + t_i y_i + \sum_{j \neq i}^C t_j y_i",
          lhs=lambda v: -v.y[v.i] / v.s[v.i] * v.s[v.i] * (1 - v.s[v.i])
          - others(v, lambda j: v.y[j] / v.s[j] * (-v.s[j] * v.s[v.i])),
          rhs=lambda v: -v.y[v.i] + v.y[v.i] * v.s[v.i] + others(v, lambda j: v.y[j] * v.s[v.i])),
    Claim(line=45, column=49, kind="link", expected=True,
          written=r"= - t_i + \sum_{j = 1}^C t_j y_i",
          lhs=lambda v: -v.y[v.i] + v.y[v.i] * v.s[v.i] + others(v, lambda j: v.y[j] * v.s[v.i]),
          rhs=lambda v: -v.y[v.i] + S(lambda j: v.y[j] * v.s[v.i], 1, v.K)),
    Claim(line=46, column=1, kind="link", expected=True,
          written=r"= -t_i + y_i \sum_{j = 1}^C t_j",
          lhs=lambda v: -v.y[v.i] + S(lambda j: v.y[j] * v.s[v.i], 1, v.K),
          rhs=lambda v: -v.y[v.i] + v.s[v.i] * S(lambda j: v.y[j], 1, v.K)),
    Claim(line=47, column=3, kind="link", expected=True,
          written=r"= y_i - t_i", note="uses sum_j t_j = 1 (one-hot t, stated)",
          lhs=lambda v: -v.y[v.i] + v.s[v.i] * S(lambda j: v.y[j], 1, v.K),
          rhs=lambda v: v.s[v.i] - v.y[v.i]),
    Claim(line=51, column=68, kind="case", written=r"i=j"),
    Claim(line=51, column=79, kind="case", written=r"i \neq j"),
    Claim(line=53, column=48, kind="link", expected=True,
          written=r"{\partial \xi}/{\partial z_i} = y_i - t_i",
          lhs=lambda v: D(lambda z: xi(v, z), v.z, v.i),
          rhs=lambda v: v.s[v.i] - v.y[v.i]),
    Claim(line=53, column=72, kind="not-equality", written=r"i \in C"),
]

MUTANTS = [
    Mutant(line=17, column=285, find=r"=  y_i (1 - y_i)", replace=r"=  y_i (1 + y_i)", operator="sign flip",
           lhs=lambda v: e(v, v.i) / Sg(v) * (1 - e(v, v.i) / Sg(v)),
           rhs=lambda v: v.s[v.i] * (1 + v.s[v.i])),
    Mutant(line=18, column=117, find=r"e^{z_i}e^{z_j}}{\Sigma_C^2}", replace=r"e^{z_i}e^{z_i}}{\Sigma_C^2}", operator="swapped index",
           lhs=lambda v: D(lambda z: exp(z[v.i]) / Sig(z, v.K), v.z, v.j),
           rhs=lambda v: (0 - e(v, v.i) * e(v, v.i)) / Sg(v) ** 2),
    Mutant(line=45, column=49, find=r"= - t_i + \sum_{j = 1}^C t_j y_i", replace=r"= - t_i + \sum_{j = 1}^C t_j y_j", operator="swapped index",
           lhs=lambda v: -v.y[v.i] + v.y[v.i] * v.s[v.i] + others(v, lambda j: v.y[j] * v.s[v.i]),
           rhs=lambda v: -v.y[v.i] + S(lambda j: v.y[j] * v.s[j], 1, v.K)),
]
