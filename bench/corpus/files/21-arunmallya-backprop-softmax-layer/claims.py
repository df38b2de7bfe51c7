from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Notation: y = softmax(x) (x is v.z, y is v.s), m classes; \mathbf{1}\{ i=j \} is delta(i, j).
# E is a generic error function (the first row is the chain rule for any E): kind "rule".
SETTING = Setting(indices=("i", "j"), labels="any")


def Sig(z, K):
    return S(lambda k: exp(z[k]), 1, K)


e = lambda v, k: exp(v.z[k])
Sg = lambda v: Sig(v.z, v.K)

CLAIMS = [
    Claim(line=5, column=5, kind="definition", written=r"y_i = \frac{e^{x_i}}{\sum_{k=1}^m e^{x_k}}"),
    Claim(line=9, column=34, kind="rule",
          written=r"\frac{\partial E}{\partial x_i} &= \sum_{j=1}^n \left( \frac{\partial E}{\partial y_j} \cdot \frac{\partial y_j}{\partial x_i} \right)"),
    Claim(line=10, column=13, kind="case", written=r"i=j"),
    Claim(line=10, column=52, kind="link", case="i=j", expected=True,
          written=r"\frac{\partial y_i}{\partial x_i} &=  \frac{\partial}{\partial x_i} \left\{ \frac{e^{x_i}}{\sum_{k=1}^m e^{x_k}} \right\}",
          lhs=lambda v: D(lambda z: softmax(z)[v.i], v.z, v.i),
          rhs=lambda v: D(lambda z: exp(z[v.i]) / Sig(z, v.K), v.z, v.i)),
    Claim(line=11, column=2, kind="link", case="i=j", expected=False,
          error="dropped term: the quotient rule gives e^{x_i} \\sum_k e^{x_k} - (e^{x_i})^2 in the numerator; the factor \\sum_k e^{x_k} is missing (reported in issue #1, fixed in commit e746b3b)",
          written=r"&= \frac{ e^{x_i} - \left(e^{x_i}\right)^2} { \left(\sum_{k=1}^m e^{x_k}\right)^{2} }",
          lhs=lambda v: D(lambda z: exp(z[v.i]) / Sig(z, v.K), v.z, v.i),
          rhs=lambda v: (e(v, v.i) - e(v, v.i) ** 2) / Sg(v) ** 2),
    Claim(line=12, column=2, kind="link", case="i=j", expected=True,
          note="correct factorisation of the (wrong) previous expression",
          written=r"&= \frac{ e^{x_i}} {\sum_{k=1}^m e^{x_k} } \cdot \frac{ 1-e^{x_i}} { \sum_{k=1}^m e^{x_k} }",
          lhs=lambda v: (e(v, v.i) - e(v, v.i) ** 2) / Sg(v) ** 2,
          rhs=lambda v: e(v, v.i) / Sg(v) * ((1 - e(v, v.i)) / Sg(v))),
    Claim(line=13, column=2, kind="link", case="i=j", expected=False,
          error="(1-e^{x_i})/\\sum_k e^{x_k} is not 1-y_i; the step silently returns to the right result",
          written=r"&= y_i \cdot (1-y_i)",
          lhs=lambda v: e(v, v.i) / Sg(v) * ((1 - e(v, v.i)) / Sg(v)),
          rhs=lambda v: v.s[v.i] * (1 - v.s[v.i])),
    Claim(line=14, column=2, kind="link", case="i=j", expected=True,
          written=r"&= y_i \cdot (\mathbf{1}\{ i=j \} - y_j)",
          lhs=lambda v: v.s[v.i] * (1 - v.s[v.i]),
          rhs=lambda v: v.s[v.i] * (delta(v.i, v.j) - v.s[v.j])),
    Claim(line=15, column=13, kind="case", written=r"i\neq j"),
    Claim(line=15, column=56, kind="link", case="i!=j", expected=False,
          error="wrong index: for i != j the left side should be \\partial y_j/\\partial x_i (or \\partial y_i/\\partial x_j); \\partial y_i/\\partial x_i is the diagonal entry y_i(1-y_i) (the typo survives in the corrected page)",
          written=r"\frac{\partial y_i}{\partial x_i} &=  \frac{\partial}{\partial x_i} \left\{ \frac{e^{x_j}}{\sum_{k=1}^m e^{x_k}} \right\}",
          lhs=lambda v: D(lambda z: softmax(z)[v.i], v.z, v.i),
          rhs=lambda v: D(lambda z: exp(z[v.j]) / Sig(z, v.K), v.z, v.i)),
    Claim(line=16, column=2, kind="link", case="i!=j", expected=True,
          written=r"&=  \frac{-e^{x_i}\cdot e^{x_j}}{\left(\sum_{k=1}^m e^{x_k}\right)^2}",
          lhs=lambda v: D(lambda z: exp(z[v.j]) / Sig(z, v.K), v.z, v.i),
          rhs=lambda v: -e(v, v.i) * e(v, v.j) / Sg(v) ** 2),
    Claim(line=17, column=2, kind="link", case="i!=j", expected=True,
          written=r"&= \frac{-e^{x_i}}{\sum_{k=1}^m e^{x_k}} \cdot \frac{e^{x_j}}{\sum_{k=1}^m e^{x_k}}",
          lhs=lambda v: -e(v, v.i) * e(v, v.j) / Sg(v) ** 2,
          rhs=lambda v: -e(v, v.i) / Sg(v) * (e(v, v.j) / Sg(v))),
    Claim(line=18, column=2, kind="link", case="i!=j", expected=True,
          written=r"&= -y_i \cdot y_j",
          lhs=lambda v: -e(v, v.i) / Sg(v) * (e(v, v.j) / Sg(v)),
          rhs=lambda v: -v.s[v.i] * v.s[v.j]),
    Claim(line=19, column=2, kind="link", case="i!=j", expected=True,
          written=r"&= y_i \cdot (\mathbf{1}\{ i=j \} - y_j)",
          lhs=lambda v: -v.s[v.i] * v.s[v.j],
          rhs=lambda v: v.s[v.i] * (delta(v.i, v.j) - v.s[v.j])),
]

MUTANTS = [
    Mutant(line=18, column=2, find=r"&= -y_i \cdot y_j", replace=r"&= y_i \cdot y_j", operator="sign flip",
           lhs=lambda v: -e(v, v.i) / Sg(v) * (e(v, v.j) / Sg(v)),
           rhs=lambda v: v.s[v.i] * v.s[v.j]),
    Mutant(line=12, column=2, find=r"\frac{ 1-e^{x_i}}", replace=r"\frac{ 1+e^{x_i}}", operator="sign flip",
           lhs=lambda v: (e(v, v.i) - e(v, v.i) ** 2) / Sg(v) ** 2,
           rhs=lambda v: e(v, v.i) / Sg(v) * ((1 + e(v, v.i)) / Sg(v))),
    Mutant(line=17, column=2, find=r"\frac{-e^{x_i}}{", replace=r"\frac{-e^{x_j}}{", operator="swapped index",
           lhs=lambda v: -e(v, v.i) * e(v, v.j) / Sg(v) ** 2,
           rhs=lambda v: -e(v, v.j) / Sg(v) * (e(v, v.j) / Sg(v))),
]
