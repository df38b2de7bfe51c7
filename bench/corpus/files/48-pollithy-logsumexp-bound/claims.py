from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# The author's vector x = (x_1, ..., x_n) is the judge's z, n = K; "exp(max(x)) + ... + exp(max(x))" has n terms.
SETTING = Setting(indices=(), labels="any")

m = lambda v: max(v.z)

CLAIMS = [
    Claim(line=28, column=30, kind="link", expected=True, written=r"max(x) = log(exp(max(x)))",
          lhs=m, rhs=lambda v: log(exp(m(v)))),
    Claim(line=29, column=41, kind="definition", written=r"logsumexp(x) = log(exp(x_1) + ... + exp(x_n))"),
    Claim(line=30, column=64, kind="not-equality",
          written=r"log(exp(x_1) + ... + exp(x_n)) \le log(exp(max(x)) + ... + exp(max(x)))"),
    Claim(line=31, column=56, kind="link", expected=True,
          written=r"log(exp(max(x)) + ... + exp(max(x))) = log(n \cdot exp(max(x)))",
          lhs=lambda v: log(S(lambda k: exp(m(v)), 1, v.K)), rhs=lambda v: log(v.K * exp(m(v)))),
    Claim(line=32, column=40, kind="link", expected=True,
          written=r"log(n \cdot exp(max(x))) = log(n) + log(exp(max(x)))",
          lhs=lambda v: log(v.K * exp(m(v))), rhs=lambda v: log(v.K) + log(exp(m(v)))),
    Claim(line=33, column=56, kind="link", expected=True,
          written=r"log(n) + log(exp(max(x))) = log(n) + max(x)",
          lhs=lambda v: log(v.K) + log(exp(m(v))), rhs=lambda v: log(v.K) + m(v)),
    Claim(line=34, column=26, kind="not-equality", written=r"logsumexp(x) \le max(x) + log(n)"),
]

MUTANTS = [
    Mutant(line=32, column=40, find=r"= log(n) + log", replace=r"= n + log", operator="dropped log",
           lhs=lambda v: log(v.K * exp(m(v))), rhs=lambda v: v.K + log(exp(m(v)))),
    Mutant(line=31, column=56, find=r"= log(n \cdot exp(max(x)))", replace=r"= log(exp(max(x)))", operator="dropped factor",
           lhs=lambda v: log(S(lambda k: exp(m(v)), 1, v.K)), rhs=lambda v: log(exp(m(v)))),
]
