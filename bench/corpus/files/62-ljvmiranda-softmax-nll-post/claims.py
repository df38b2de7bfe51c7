from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# f: class scores (v.z), p = softmax(f) (v.s); y_i is the index of the correct class of example i (v.c).
# The single free index is the class k.
SETTING = Setting(indices=("k",), labels="one-hot")


def Li(v, f):
    return -log(softmax(f)[v.c])


def dL_df(v):
    return D(lambda f: Li(v, f), v.z, v.k)


def dL_dp(v):
    """∂L_i/∂p_k with L_i = -log p_{y_i}, the p's taken as independent variables."""
    return D(lambda p: -log(p[v.c]), v.s, v.k)


def dp_df(v):
    return D(lambda f: softmax(f)[v.k], v.z, v.k)


sig = lambda v: S(lambda j: exp(v.z[j]), 1, v.K)
ef = lambda v: exp(v.z[v.k])

CLAIMS = [
    Claim(line=8, column=12, kind="definition", written=r"S(f_{y_i}) = \dfrac{f_{y_i}}{\sum_{j}e^{f_j}}",
          note="wrong definition of the softmax: the numerator lacks the exponential (issue #23, fixed in 583e8ab6)"),
    Claim(line=15, column=15, kind="definition", written=r"L(\mathbf{y}) = -\log(\mathbf{y})"),
    Claim(line=27, column=5, kind="definition", written=r"p_k = \dfrac{e^{f_k}}{\sum_{j} e^{f_j}}"),
    Claim(line=33, column=5, kind="definition", written=r"L_i = -log(p_{y_{i}})"),
    Claim(line=41, column=36, kind="link", expected=False,
          error="chain rule keeps only the path through p_k; L_i depends on f_k through p_{y_i}. True only for k = y_i "
                "(for k != y_i the left side is p_k, the right side 0)",
          written=r"\dfrac{\partial L_i}{\partial f_k} = \dfrac{\partial L_i}{\partial p_k} \dfrac{\partial p_k}{\partial f_k}",
          lhs=dL_df, rhs=lambda v: dL_dp(v) * dp_df(v)),
    Claim(line=49, column=36, kind="link", expected=False,
          error="∂L_i/∂p_k is -1/p_k only for k = y_i; it is 0 for every other k",
          written=r"\dfrac{\partial L_i}{\partial p_k} = -\dfrac{1}{p_k}",
          lhs=dL_dp, rhs=lambda v: -1 / v.s[v.k]),
    Claim(line=55, column=20, kind="rule",
          written=r"\dfrac{f(x)}{g(x)} = \dfrac{g(x) \mathbf{D} f(x) - f(x) \mathbf{D} g(x)}{g(x)^2}",
          note="quotient rule with the D missing on the left side (as written it claims f/g equals the derivative of f/g)"),
    Claim(line=58, column=27, kind="definition", written=r"\sum_{j} e^{f_j} = \Sigma"),
    Claim(line=61, column=37, kind="link", expected=True,
          written=r"\dfrac{\partial p_k}{\partial f_k} &=& \dfrac{\partial}{\partial f_k} \left(\dfrac{e^{f_k}}{\sum_{j} e^{f_j}}\right)",
          lhs=dp_df,
          rhs=lambda v: D(lambda f: exp(f[v.k]) / S(lambda j: exp(f[j]), 1, v.K), v.z, v.k)),
    Claim(line=62, column=2, kind="link", expected=True,
          written=r"&=& \dfrac{\Sigma \mathbf{D} e^{f_k} - e^{f_k} \mathbf{D} \Sigma}{\Sigma^2}",
          lhs=lambda v: D(lambda f: exp(f[v.k]) / S(lambda j: exp(f[j]), 1, v.K), v.z, v.k),
          rhs=lambda v: (sig(v) * D(lambda f: exp(f[v.k]), v.z, v.k)
                         - ef(v) * D(lambda f: S(lambda j: exp(f[j]), 1, v.K), v.z, v.k)) / sig(v) ** 2),
    Claim(line=63, column=2, kind="link", expected=True,
          written=r"&=& \dfrac{e^{f_k}(\Sigma - e^{f_k})}{\Sigma^2}",
          lhs=lambda v: (sig(v) * D(lambda f: exp(f[v.k]), v.z, v.k)
                         - ef(v) * D(lambda f: S(lambda j: exp(f[j]), 1, v.K), v.z, v.k)) / sig(v) ** 2,
          rhs=lambda v: ef(v) * (sig(v) - ef(v)) / sig(v) ** 2),
    Claim(line=66, column=34, kind="link", expected=True,
          written=r"\mathbf{D}\Sigma=e^{f_k}",
          lhs=lambda v: D(lambda f: S(lambda j: exp(f[j]), 1, v.K), v.z, v.k), rhs=ef),
    Claim(line=71, column=37, kind="link", expected=True,
          written=r"\dfrac{\partial p_k}{\partial f_k} &=& \dfrac{e^{f_k}(\Sigma - e^{f_k})}{\Sigma^2}",
          lhs=dp_df, rhs=lambda v: ef(v) * (sig(v) - ef(v)) / sig(v) ** 2),
    Claim(line=72, column=2, kind="link", expected=True,
          written=r"&=& \dfrac{e^{f_k}}{\Sigma} \dfrac{\Sigma - e^{f_k}}{\Sigma}",
          lhs=lambda v: ef(v) * (sig(v) - ef(v)) / sig(v) ** 2,
          rhs=lambda v: ef(v) / sig(v) * (sig(v) - ef(v)) / sig(v)),
    Claim(line=73, column=2, kind="link", expected=True,
          written=r"&=& p_k * (1-p_k)",
          lhs=lambda v: ef(v) / sig(v) * (sig(v) - ef(v)) / sig(v),
          rhs=lambda v: v.s[v.k] * (1 - v.s[v.k])),
    Claim(line=79, column=37, kind="link", expected=False,
          error="same incomplete chain rule as above: only valid for k = y_i",
          written=r"\dfrac{\partial L_i}{\partial f_k} &=& \dfrac{\partial L_i}{\partial p_k} \dfrac{\partial p_k}{\partial f_k}",
          lhs=dL_df, rhs=lambda v: dL_dp(v) * dp_df(v)),
    Claim(line=80, column=2, kind="link", expected=False,
          error="substitutes ∂L_i/∂p_k = -1/p_k, which holds only for k = y_i",
          written=r"&=& -\dfrac{1}{p_k} (p_k * (1-p_k))",
          lhs=lambda v: dL_dp(v) * dp_df(v),
          rhs=lambda v: -1 / v.s[v.k] * (v.s[v.k] * (1 - v.s[v.k]))),
    Claim(line=81, column=2, kind="link", expected=True,
          written=r"&=& (p_k - 1)",
          lhs=lambda v: -1 / v.s[v.k] * (v.s[v.k] * (1 - v.s[v.k])),
          rhs=lambda v: v.s[v.k] - 1),
]

MUTANTS = [
    Mutant(line=73, column=2, find=r"(1-p_k)", replace=r"(1+p_k)", operator="sign flip",
           lhs=lambda v: ef(v) / sig(v) * (sig(v) - ef(v)) / sig(v),
           rhs=lambda v: v.s[v.k] * (1 + v.s[v.k])),
    Mutant(line=63, column=2, find=r"(\Sigma - e^{f_k})", replace=r"(\Sigma + e^{f_k})", operator="sign flip",
           lhs=lambda v: (sig(v) * D(lambda f: exp(f[v.k]), v.z, v.k)
                          - ef(v) * D(lambda f: S(lambda j: exp(f[j]), 1, v.K), v.z, v.k)) / sig(v) ** 2,
           rhs=lambda v: ef(v) * (sig(v) + ef(v)) / sig(v) ** 2),
    Mutant(line=81, column=2, find=r"(p_k - 1)", replace=r"(1 - p_k)", operator="sign flip",
           lhs=lambda v: -1 / v.s[v.k] * (v.s[v.k] * (1 - v.s[v.k])),
           rhs=lambda v: 1 - v.s[v.k]),
]
