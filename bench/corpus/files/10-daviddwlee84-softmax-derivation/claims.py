from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# theta is the logit vector (v.z), \hat{y} = softmax(theta) (v.s), y the one-hot label (v.y).
SETTING = Setting(indices=("i", "j"), labels="one-hot")


def SK(v):
    return S(lambda k: exp(v.z[k]), 1, v.K)


def jac(v, a, b):  # d yhat_a / d theta_b
    return D(lambda z: softmax(z)[a], v.z, b)


def dJ(v):
    return D(lambda z: -S(lambda k: v.y[k] * log(softmax(z)[k]), 1, v.K), v.z, v.i)


def notj(v, f):
    return S(lambda j: 0 if j == v.i else f(j), 1, v.K)


CLAIMS = [
    Claim(line=4, column=29, kind="definition", written=r"\hat{\mathbb{y}} = [\hat{y}_1, \hat{y}_2, \hat{y}_3]^T"),
    Claim(line=5, column=35, kind="definition", written=r"\hat{y_i} = \operatorname{softmax}(\mathbb{\theta})_i"),
    Claim(line=5, column=79, kind="definition", written=r"= \frac{\exp(\theta_i)}{\displaystyle\sum_{j=1}^3 \exp(\theta_j)}"),
    Claim(line=7, column=18, kind="definition", written=r"J(\theta) = \operatorname{CE}(\mathbb{y}, \mathbb{\hat{y}})"),
    Claim(line=7, column=68, kind="definition", written=r"= \displaystyle -\sum_{i=1}^3 y_i \log(\hat{y}_i)"),
    Claim(line=14, column=46, kind="link", expected=True,
          written=r"\frac{\partial \hat{y_i}}{\partial \theta_i} = \frac{\partial\frac{\exp(\mathbb{\theta}_i)}{\sum_j \exp(\mathbb{\theta}_j)}}{\partial \theta_i}",
          lhs=lambda v: jac(v, v.i, v.i),
          rhs=lambda v: D(lambda z: exp(z[v.i]) / S(lambda k: exp(z[k]), 1, v.K), v.z, v.i)),
    Claim(line=17, column=17, kind="definition", written=r"\sum_K = \displaystyle\sum_{j=1}^{K}\exp(\theta_j)"),
    Claim(line=17, column=78, kind="definition", written=r"K = 3"),
    Claim(line=21, column=4, kind="case", written=r"i = j"),
    Claim(line=24, column=55, kind="link", case="i=j", expected=True,
          written=r"\frac{\partial \mathbb{\hat{y_i}}}{\partial \theta_i} = \frac{\partial \frac{\exp(\theta_i)}{\sum_K}}{\partial \theta_i}",
          lhs=lambda v: jac(v, v.i, v.j),
          rhs=lambda v: D(lambda z: exp(z[v.i]) / S(lambda k: exp(z[k]), 1, v.K), v.z, v.i)),
    Claim(line=24, column=122, kind="link", case="i=j", expected=True,
          written=r"= \frac{\exp(\theta_i)\sum_K - \exp(\theta_i)\exp(\theta_i)}{(\sum_K)^2}",
          lhs=lambda v: D(lambda z: exp(z[v.i]) / S(lambda k: exp(z[k]), 1, v.K), v.z, v.i),
          rhs=lambda v: (exp(v.z[v.i]) * SK(v) - exp(v.z[v.i]) * exp(v.z[v.i])) / SK(v) ** 2),
    Claim(line=25, column=1, kind="link", case="i=j", expected=True,
          written=r"= \frac{\exp(\theta_i)}{\sum_K} \frac{\sum_K - \exp(\theta_i)}{\sum_K}",
          lhs=lambda v: (exp(v.z[v.i]) * SK(v) - exp(v.z[v.i]) * exp(v.z[v.i])) / SK(v) ** 2,
          rhs=lambda v: exp(v.z[v.i]) / SK(v) * (SK(v) - exp(v.z[v.i])) / SK(v)),
    Claim(line=25, column=72, kind="link", case="i=j", expected=True,
          written=r"= \frac{\exp(\theta_i)}{\sum_K}(1-\frac{\exp(\theta_i)}{\sum_K})",
          lhs=lambda v: exp(v.z[v.i]) / SK(v) * (SK(v) - exp(v.z[v.i])) / SK(v),
          rhs=lambda v: exp(v.z[v.i]) / SK(v) * (1 - exp(v.z[v.i]) / SK(v))),
    Claim(line=26, column=1, kind="link", case="i=j", expected=True,
          written=r"= \hat{y}_i (1-\hat{y}_i)",
          lhs=lambda v: exp(v.z[v.i]) / SK(v) * (1 - exp(v.z[v.i]) / SK(v)),
          rhs=lambda v: v.s[v.i] * (1 - v.s[v.i])),
    Claim(line=29, column=4, kind="case", written=r"i \neq j"),
    Claim(line=32, column=55, kind="link", case="i!=j", expected=True,
          written=r"\frac{\partial \mathbb{\hat{y_i}}}{\partial \theta_j} = \frac{\partial \frac{\exp(\theta_i)}{\sum_K}}{\partial \theta_j}",
          lhs=lambda v: jac(v, v.i, v.j),
          rhs=lambda v: D(lambda z: exp(z[v.i]) / S(lambda k: exp(z[k]), 1, v.K), v.z, v.j)),
    Claim(line=32, column=122, kind="link", case="i!=j", expected=True,
          written=r"= \frac{0- \exp(\theta_i)\exp(\theta_j)}{(\sum_K)^2}",
          lhs=lambda v: D(lambda z: exp(z[v.i]) / S(lambda k: exp(z[k]), 1, v.K), v.z, v.j),
          rhs=lambda v: (0 - exp(v.z[v.i]) * exp(v.z[v.j])) / SK(v) ** 2),
    Claim(line=33, column=1, kind="link", case="i!=j", expected=True,
          written=r"= -\frac{\exp(\theta_i)}{\sum_K} \frac{\exp(\theta_j)}{\sum_K}",
          lhs=lambda v: (0 - exp(v.z[v.i]) * exp(v.z[v.j])) / SK(v) ** 2,
          rhs=lambda v: -exp(v.z[v.i]) / SK(v) * exp(v.z[v.j]) / SK(v)),
    Claim(line=33, column=64, kind="link", case="i!=j", expected=True,
          written=r"= -\hat{y_i}\hat{y_j}",
          lhs=lambda v: -exp(v.z[v.i]) / SK(v) * exp(v.z[v.j]) / SK(v),
          rhs=lambda v: -v.s[v.i] * v.s[v.j]),
    Claim(line=41, column=55, kind="link", expected=True,
          written=r"\frac{\partial J(\mathbb{\theta})}{\partial \theta_i} = -\sum_{j=1}^K \frac{\partial y_j \log(\hat{y}_j)}{\partial \theta_i}",
          lhs=dJ,
          rhs=lambda v: -S(lambda j: D(lambda z: v.y[j] * log(softmax(z)[j]), v.z, v.i), 1, v.K)),
    Claim(line=41, column=126, kind="link", expected=True,
          written=r"= -\sum_{j=1}^K y_j \frac{\partial \log(\hat{y}_j)}{\partial \theta_i}",
          lhs=lambda v: -S(lambda j: D(lambda z: v.y[j] * log(softmax(z)[j]), v.z, v.i), 1, v.K),
          rhs=lambda v: -S(lambda j: v.y[j] * D(lambda z: log(softmax(z)[j]), v.z, v.i), 1, v.K)),
    Claim(line=41, column=197, kind="link", expected=True,
          written=r"= -\sum_{j=1}^K \frac{y_j}{\hat{y}_j} \frac{\partial \hat{y}_j}{\partial \theta_i}",
          lhs=lambda v: -S(lambda j: v.y[j] * D(lambda z: log(softmax(z)[j]), v.z, v.i), 1, v.K),
          rhs=lambda v: -S(lambda j: v.y[j] / v.s[j] * jac(v, j, v.i), 1, v.K)),
    Claim(line=42, column=1, kind="link", expected=True,
          written=r"= (-\frac{y_i}{\hat{y}_i} \frac{\partial \hat{y}_i}{\partial \theta_i}) + (-\sum_{j\neq i}^K \frac{y_j}{\hat{y}_j} \frac{\partial \hat{y}_j}{\partial \theta_i})",
          lhs=lambda v: -S(lambda j: v.y[j] / v.s[j] * jac(v, j, v.i), 1, v.K),
          rhs=lambda v: -v.y[v.i] / v.s[v.i] * jac(v, v.i, v.i) - notj(v, lambda j: v.y[j] / v.s[j] * jac(v, j, v.i))),
    Claim(line=42, column=162, kind="link", expected=True,
          written=r"= -\frac{y_i}{\hat{y}_i} \hat{y}_i (1-\hat{y}_i) -\sum_{j\neq i}^K \frac{y_j}{\hat{y}_j} (-\hat{y_i}\hat{y_j})",
          lhs=lambda v: -v.y[v.i] / v.s[v.i] * jac(v, v.i, v.i) - notj(v, lambda j: v.y[j] / v.s[j] * jac(v, j, v.i)),
          rhs=lambda v: -v.y[v.i] / v.s[v.i] * v.s[v.i] * (1 - v.s[v.i]) - notj(v, lambda j: v.y[j] / v.s[j] * (-v.s[v.i] * v.s[j]))),
    Claim(line=43, column=1, kind="link", expected=True,
          written=r"= -y_i + y_i \hat{y}_i + \sum_{j\neq i}^{K} y_j \hat{y}_i",
          lhs=lambda v: -v.y[v.i] / v.s[v.i] * v.s[v.i] * (1 - v.s[v.i]) - notj(v, lambda j: v.y[j] / v.s[j] * (-v.s[v.i] * v.s[j])),
          rhs=lambda v: -v.y[v.i] + v.y[v.i] * v.s[v.i] + notj(v, lambda j: v.y[j] * v.s[v.i])),
    Claim(line=43, column=59, kind="link", expected=True,
          written=r"= -y_i + \sum_{j=1}^K y_j \hat{y_i}",
          lhs=lambda v: -v.y[v.i] + v.y[v.i] * v.s[v.i] + notj(v, lambda j: v.y[j] * v.s[v.i]),
          rhs=lambda v: -v.y[v.i] + S(lambda j: v.y[j] * v.s[v.i], 1, v.K)),
    Claim(line=43, column=95, kind="link", expected=True,
          written=r"= - y_i + \hat{y_i} \sum_{j=1}^K y_j",
          lhs=lambda v: -v.y[v.i] + S(lambda j: v.y[j] * v.s[v.i], 1, v.K),
          rhs=lambda v: -v.y[v.i] + v.s[v.i] * S(lambda j: v.y[j], 1, v.K)),
    Claim(line=44, column=1, kind="link", expected=True,
          written=r"= \hat{y_i} - y_i",
          note="uses sum_j y_j = 1 (y one-hot, stated below)",
          lhs=lambda v: -v.y[v.i] + v.s[v.i] * S(lambda j: v.y[j], 1, v.K),
          rhs=lambda v: v.s[v.i] - v.y[v.i]),
    Claim(line=47, column=102, kind="fact", written=r"\displaystyle\sum_{j=1}^K y_j = 1"),
]

MUTANTS = [
    Mutant(line=26, column=1, find=r"(1-\hat{y}_i)", replace=r"(1+\hat{y}_i)", operator="sign flip",
           lhs=lambda v: exp(v.z[v.i]) / SK(v) * (1 - exp(v.z[v.i]) / SK(v)),
           rhs=lambda v: v.s[v.i] * (1 + v.s[v.i])),
    Mutant(line=44, column=1, find=r"= \hat{y_i} - y_i", replace=r"= y_i - \hat{y_i}", operator="swapped operands",
           lhs=lambda v: -v.y[v.i] + v.s[v.i] * S(lambda j: v.y[j], 1, v.K),
           rhs=lambda v: v.y[v.i] - v.s[v.i]),
    Mutant(line=33, column=64, find=r"= -\hat{y_i}\hat{y_j}", replace=r"= \hat{y_i}\hat{y_j}", operator="sign flip",
           lhs=lambda v: -exp(v.z[v.i]) / SK(v) * exp(v.z[v.j]) / SK(v),
           rhs=lambda v: v.s[v.i] * v.s[v.j]),
]
