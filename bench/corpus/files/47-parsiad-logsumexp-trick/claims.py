from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# The author's vector x (in R^n) is the judge's logit vector z (n = K); sigma(x) is softmax(z); free index i.
SETTING = Setting(indices=("i",), labels="any")

xbar = lambda v: max(v.z)
lse_shift = lambda v: log(S(lambda j: exp(v.z[j] - xbar(v)), 1, v.K))

CLAIMS = [
    Claim(line=5, column=159, kind="not-equality", written=r"x_i \leq x_j"),
    Claim(line=5, column=188, kind="not-equality", written=r"\sigma(x)_i \leq \sigma(x)_j"),
    Claim(line=7, column=94, kind="definition", written=r"\sigma_T(x) \equiv \sigma(x / T)"),
    Claim(line=16, column=15, kind="definition", written=r"\sigma(x)_i \equiv \frac{\exp(x_i)}{\sum_j \exp(x_j)}"),
    Claim(line=24, column=21, kind="definition", written=r"\bar{x} = \max_i x_i"),
    Claim(line=26, column=16, kind="link", expected=True,
          written=r"\sigma(x)_{i}=\frac{\exp(x_{i}-\bar{x})}{\sum_{j}\exp(x_{j}-\bar{x})}",
          lhs=lambda v: softmax(v.z)[v.i],
          rhs=lambda v: exp(v.z[v.i] - xbar(v)) / S(lambda j: exp(v.z[j] - xbar(v)), 1, v.K)),
    Claim(line=28, column=22, kind="link", expected=True,
          written=r"\log(\sigma(x)_{i})=x_{i}-\bar{x}-\log\biggl(\sum_{j}\exp(x_{j}-\bar{x})\biggr)",
          lhs=lambda v: log(softmax(v.z)[v.i]),
          rhs=lambda v: v.z[v.i] - xbar(v) - lse_shift(v)),
    Claim(line=30, column=16, kind="link", expected=True,
          written=r"\sigma(x)_{i}=\exp\biggr(x_{i}-\bar{x}-\log\biggl(\sum_{j}\exp(x_{j}-\bar{x})\biggr)\biggr)",
          lhs=lambda v: softmax(v.z)[v.i],
          rhs=lambda v: exp(v.z[v.i] - xbar(v) - lse_shift(v))),
]

MUTANTS = [
    Mutant(line=28, column=22, find=r"=x_{i}-\bar{x}-\log", replace=r"=x_{i}+\bar{x}-\log", operator="sign flip",
           lhs=lambda v: log(softmax(v.z)[v.i]),
           rhs=lambda v: v.z[v.i] + xbar(v) - lse_shift(v)),
    Mutant(line=26, column=16, find=r"\frac{\exp(x_{i}-\bar{x})}", replace=r"\frac{\exp(x_{i})}", operator="dropped term",
           lhs=lambda v: softmax(v.z)[v.i],
           rhs=lambda v: exp(v.z[v.i]) / S(lambda j: exp(v.z[j] - xbar(v)), 1, v.K)),
]
