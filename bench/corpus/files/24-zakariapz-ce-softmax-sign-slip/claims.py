from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Notation: p = softmax(a) (a is v.z, p is v.s), labels y one-hot (stated at the end), C classes.
# The author defines L = -\sum_j y_j \log p_j = -\sum_j \ell_j, i.e. \ell_j = y_j \log p_j (a function of p_j).
SETTING = Setting(indices=("i", "j"), labels="one-hot")


def Sg(z, K):
    return S(lambda k: exp(z[k]), 1, K)


def L(v, z):
    return -S(lambda j: v.y[j] * log(softmax(z)[j]), 1, v.K)


dL = lambda v: D(lambda z: L(v, z), v.z, v.i)
dp = lambda v, j: D(lambda z: softmax(z)[j], v.z, v.i)      # \partial p_j / \partial a_i
dell = lambda v, j: d(lambda t: v.y[j] * log(t), v.s[j])      # \partial \ell_j / \partial p_j, \ell_j = y_j log p_j
q = lambda z, j, K: exp(z[j]) / Sg(z, K)
E = lambda v, k: exp(v.z[k])
Sv = lambda v: Sg(v.z, v.K)

CLAIMS = [
    Claim(line=3, column=6, kind="definition", written=r"L = -\sum_j^C y_j \log p_j"),
    Claim(line=3, column=34, kind="definition", written=r"= -\sum_j^C \ell_j", note="introduces \\ell_j = y_j \\log p_j"),
    Claim(line=4, column=8, kind="definition", written=r"p_j = \frac{\exp( a_j)}{\sum_k^C \exp(a_k)}"),
    Claim(line=5, column=36, kind="link", expected=True,
          written=r"\frac{\partial L}{\partial a_i} = -\sum_j^C \frac{\partial \ell_j}{\partial p_j} \frac{\partial p_j}{\partial a_i}",
          lhs=dL, rhs=lambda v: -S(lambda j: dell(v, j) * dp(v, j), 1, v.K)),
    Claim(line=6, column=41, kind="link", expected=False,
          error="sign slip: with \\ell_j = y_j \\log p_j (from L = -\\sum_j \\ell_j) the derivative is +y_j/p_j; the author differentiates -y_j \\log p_j",
          written=r"\frac{\partial \ell_j}{\partial p_j} = \frac{\partial}{\partial p_j} \left( - y_j \log p_j \right)",
          lhs=lambda v: dell(v, v.j),
          rhs=lambda v: d(lambda t: -v.y[v.j] * log(t), v.s[v.j])),
    Claim(line=6, column=106, kind="link", expected=True,
          written=r"= -\frac{y_j}{p_j}",
          lhs=lambda v: d(lambda t: -v.y[v.j] * log(t), v.s[v.j]),
          rhs=lambda v: -v.y[v.j] / v.s[v.j]),
    Claim(line=7, column=38, kind="link", expected=True,
          written=r"\frac{\partial p_j}{\partial a_i} = \frac{\partial }{\partial a_i} \frac{\exp( a_j)}{\sum_k^C \exp(a_k)}",
          lhs=lambda v: dp(v, v.j),
          rhs=lambda v: D(lambda z: q(z, v.j, v.K), v.z, v.i)),
    Claim(line=7, column=118, kind="case", written=r"i=j"),
    Claim(line=8, column=4, kind="link", case="i=j", expected=True,
          written=r"= \frac{\partial }{\partial a_j} \frac{\exp( a_j)}{\sum_k^C \exp(a_k)}",
          lhs=lambda v: D(lambda z: q(z, v.j, v.K), v.z, v.i),
          rhs=lambda v: D(lambda z: q(z, v.j, v.K), v.z, v.j)),
    Claim(line=8, column=78, kind="link", case="i=j", expected=True,
          written=r"= \frac{\partial }{\partial a_j} \exp( a_j) \left(\sum_k^C \exp(a_k) \right)^{-1}",
          lhs=lambda v: D(lambda z: q(z, v.j, v.K), v.z, v.j),
          rhs=lambda v: D(lambda z: exp(z[v.j]) * Sg(z, v.K) ** -1, v.z, v.j)),
    Claim(line=8, column=163, kind="link", case="i=j", expected=True,
          written=r"= \exp( a_j) \left(\sum_k^C \exp(a_k) \right)^{-1} - \exp( a_j) \left(\sum_k^C \exp(a_k) \right)^{-2} \exp( a_j)",
          lhs=lambda v: D(lambda z: exp(z[v.j]) * Sg(z, v.K) ** -1, v.z, v.j),
          rhs=lambda v: E(v, v.j) * Sv(v) ** -1 - E(v, v.j) * Sv(v) ** -2 * E(v, v.j)),
    Claim(line=8, column=279, kind="link", case="i=j", expected=True,
          written=r"= p_j -p_j^2",
          lhs=lambda v: E(v, v.j) * Sv(v) ** -1 - E(v, v.j) * Sv(v) ** -2 * E(v, v.j),
          rhs=lambda v: v.s[v.j] - v.s[v.j] ** 2),
    Claim(line=8, column=295, kind="link", case="i=j", expected=True,
          written=r"= p_j(1-p_j)",
          lhs=lambda v: v.s[v.j] - v.s[v.j] ** 2,
          rhs=lambda v: v.s[v.j] * (1 - v.s[v.j])),
    Claim(line=8, column=323, kind="case", written=r"i \neq j"),
    Claim(line=9, column=4, kind="link", case="i!=j", expected=True,
          note="continues \\partial p_j/\\partial a_i of line 7 (a new case, not the i=j chain)",
          written=r"= \frac{\partial }{\partial a_i} \frac{\exp( a_j)}{\sum_k^C \exp(a_k)}",
          lhs=lambda v: dp(v, v.j),
          rhs=lambda v: D(lambda z: q(z, v.j, v.K), v.z, v.i)),
    Claim(line=9, column=78, kind="link", case="i!=j", expected=True,
          written=r"= \exp( a_j) \frac{\partial }{\partial a_i}\left(\sum_k^C \exp(a_k) \right)^{-1}",
          lhs=lambda v: D(lambda z: q(z, v.j, v.K), v.z, v.i),
          rhs=lambda v: E(v, v.j) * D(lambda z: Sg(z, v.K) ** -1, v.z, v.i)),
    Claim(line=9, column=162, kind="link", case="i!=j", expected=True,
          written=r"= -\exp( a_j) \left(\sum_k^C \exp(a_k) \right)^{-2} \exp(a_i)",
          lhs=lambda v: E(v, v.j) * D(lambda z: Sg(z, v.K) ** -1, v.z, v.i),
          rhs=lambda v: -E(v, v.j) * Sv(v) ** -2 * E(v, v.i)),
    Claim(line=9, column=227, kind="link", case="i!=j", expected=True,
          written=r"= -p_jp_i",
          lhs=lambda v: -E(v, v.j) * Sv(v) ** -2 * E(v, v.i),
          rhs=lambda v: -v.s[v.j] * v.s[v.i]),
    Claim(line=10, column=75, kind="link", expected=True,
          written=r"\frac{\partial p_j}{\partial a_i} = p_j(\delta_{ij} -p_i)",
          lhs=lambda v: dp(v, v.j),
          rhs=lambda v: v.s[v.j] * (delta(v.i, v.j) - v.s[v.i])),
    Claim(line=12, column=36, kind="link", expected=False,
          error="dropped the minus sign of line 5: with \\ell_j = y_j \\log p_j, \\partial L/\\partial a_i = -\\sum_j (\\partial \\ell_j/\\partial p_j)(\\partial p_j/\\partial a_i)",
          written=r"\frac{\partial L}{\partial a_i} = \sum_j^C \frac{\partial \ell_j}{\partial p_j} \frac{\partial p_j}{\partial a_i}",
          lhs=dL, rhs=lambda v: S(lambda j: dell(v, j) * dp(v, j), 1, v.K)),
    Claim(line=12, column=121, kind="link", expected=False,
          error="substitutes the wrong-signed -y_j/p_j for \\partial \\ell_j/\\partial p_j (= +y_j/p_j); the two sign slips cancel in the result",
          written=r"= \sum_j^C -\frac{y_j}{p_j} p_j(\delta_{ij} - p_i)",
          lhs=lambda v: S(lambda j: dell(v, j) * dp(v, j), 1, v.K),
          rhs=lambda v: S(lambda j: -v.y[j] / v.s[j] * v.s[j] * (delta(v.i, j) - v.s[v.i]), 1, v.K)),
    Claim(line=12, column=175, kind="link", expected=True,
          written=r"= \sum_j^C y_j (p_i -\delta_{ij})",
          lhs=lambda v: S(lambda j: -v.y[j] / v.s[j] * v.s[j] * (delta(v.i, j) - v.s[v.i]), 1, v.K),
          rhs=lambda v: S(lambda j: v.y[j] * (v.s[v.i] - delta(v.i, j)), 1, v.K)),
    Claim(line=12, column=261, kind="definition", written=r"j=c", note="names the true class c"),
    Claim(line=12, column=327, kind="case", written=r"j \neq c"),
]

MUTANTS = [
    Mutant(line=8, column=295, find=r"= p_j(1-p_j)", replace=r"= p_j(1+p_j)", operator="sign flip",
           lhs=lambda v: v.s[v.j] - v.s[v.j] ** 2,
           rhs=lambda v: v.s[v.j] * (1 + v.s[v.j])),
    Mutant(line=10, column=75, find=r"(\delta_{ij} -p_i)", replace=r"(\delta_{ij} +p_i)", operator="sign flip",
           lhs=lambda v: dp(v, v.j),
           rhs=lambda v: v.s[v.j] * (delta(v.i, v.j) + v.s[v.i])),
    Mutant(line=9, column=162, find=r"\right)^{-2} \exp(a_i)", replace=r"\right)^{-2} \exp(a_j)", operator="swapped index",
           lhs=lambda v: E(v, v.j) * D(lambda z: Sg(z, v.K) ** -1, v.z, v.i),
           rhs=lambda v: -E(v, v.j) * Sv(v) ** -2 * E(v, v.j)),
]
