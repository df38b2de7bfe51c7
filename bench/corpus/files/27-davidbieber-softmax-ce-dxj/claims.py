from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Notation: y = softmax(x) (x is v.z, y is v.s); t is a 0/1 target with exactly one 1 (one-hot, stated).
# Bare sums \sum e^{x_d} run over all classes.
SETTING = Setting(indices=("i", "j"), labels="one-hot")


def Sg(z, K):
    return S(lambda dd: exp(z[dd]), 1, K)


E = lambda v, k: exp(v.z[k])
Sv = lambda v: Sg(v.z, v.K)
dy = lambda v, i, j: D(lambda z: softmax(z)[i], v.z, j)


def L(v, z):
    return -S(lambda i: v.y[i] * log(softmax(z)[i]), 1, v.K)


chain = lambda v: -S(lambda i: v.y[i] / v.s[i] * dy(v, i, v.j), 1, v.K)

CLAIMS = [
    Claim(line=3, column=12, kind="definition", written=r"y_i = \text{softmax}(\textbf{x})_i"),
    Claim(line=3, column=43, kind="definition", written=r"\text{softmax}(\textbf{x})_i = \frac{e^{x_i}}{\sum e^{x_d}}"),
    Claim(line=7, column=15, kind="definition", written=r"L = -\sum t_i \ln(y_i)"),
    Claim(line=9, column=26, kind="link", expected=True,
          written=r"\frac{dL}{dx_j} = -\sum t_i \frac{1}{y_i} \frac{dy_i}{d{x_j}}",
          lhs=lambda v: D(lambda z: L(v, z), v.z, v.j), rhs=chain),
    Claim(line=13, column=7, kind="case", written=r"i = j"),
    Claim(line=15, column=20, kind="link", case="i=j", expected=True,
          written=r"\frac{dy_i}{dx_j} = \frac{\sum e^{x_d} \cdot e^{x_i} - e^{x_i} \cdot e^{x_i}}{(\sum e^{x_d})^2}",
          lhs=lambda v: dy(v, v.i, v.j),
          rhs=lambda v: (Sv(v) * E(v, v.i) - E(v, v.i) * E(v, v.i)) / Sv(v) ** 2),
    Claim(line=17, column=20, kind="link", case="i=j", expected=True,
          written=r"\frac{dy_i}{dx_j} = \frac{e^{x_i}}{\sum e^{x_d}} \cdot \left(\frac{\sum e^{x_d} - e^{x_i}}{\sum e^{x_d}}\right)",
          lhs=lambda v: dy(v, v.i, v.j),
          rhs=lambda v: E(v, v.i) / Sv(v) * ((Sv(v) - E(v, v.i)) / Sv(v))),
    Claim(line=19, column=20, kind="link", case="i=j", expected=True,
          written=r"\frac{dy_i}{dx_j} = y_i \cdot (1 - y_i)",
          lhs=lambda v: dy(v, v.i, v.j),
          rhs=lambda v: v.s[v.i] * (1 - v.s[v.i])),
    Claim(line=21, column=7, kind="case", written=r"i \ne j"),
    Claim(line=23, column=20, kind="link", case="i!=j", expected=True,
          written=r"\frac{dy_i}{dx_j} = \frac{\sum e^{x_d} \cdot 0 - e^{x_i} \cdot e^{x_j}}{(\sum e^{x_d})^2}",
          lhs=lambda v: dy(v, v.i, v.j),
          rhs=lambda v: (Sv(v) * 0 - E(v, v.i) * E(v, v.j)) / Sv(v) ** 2),
    Claim(line=25, column=20, kind="link", case="i!=j", expected=True,
          written=r"\frac{dy_i}{dx_j} = -\frac{e^{x_i}}{\sum e^{x_d}} \cdot \frac{e^{x_j}}{\sum e^{x_d}}",
          lhs=lambda v: dy(v, v.i, v.j),
          rhs=lambda v: -E(v, v.i) / Sv(v) * (E(v, v.j) / Sv(v))),
    Claim(line=27, column=20, kind="link", case="i!=j", expected=True,
          written=r"\frac{dy_i}{dx_j} = -y_i y_j",
          lhs=lambda v: dy(v, v.i, v.j),
          rhs=lambda v: -v.s[v.i] * v.s[v.j]),
    Claim(line=31, column=20, kind="link", expected=True,
          written=r"\frac{dy_i}{dx_j} = \begin{cases} y_i \cdot (1 - y_i) & i=j \\\ -y_i y_j & i \ne j \end{cases}",
          note="one link; the cases rows give the right side piecewise",
          lhs=lambda v: dy(v, v.i, v.j),
          rhs=lambda v: v.s[v.i] * (1 - v.s[v.i]) if v.i == v.j else -v.s[v.i] * v.s[v.j]),
    Claim(line=31, column=59, kind="case", written=r"i=j"),
    Claim(line=31, column=79, kind="case", written=r"i \ne j"),
    Claim(line=35, column=18, kind="link", expected=True,
          written=r"\frac{dL}{dx_j} = -\sum t_i \frac{1}{y_i} \frac{dy_i}{d{x_j}}",
          lhs=lambda v: D(lambda z: L(v, z), v.z, v.j), rhs=chain),
    Claim(line=35, column=64, kind="link", expected=True,
          written=r"= \sum\limits_i \begin{cases} t_i (y_i - 1) & i=j \\\ t_i y_j & i \ne j \end{cases}",
          note="the sum index i runs over the classes; the cases choose the summand",
          lhs=chain,
          rhs=lambda v: S(lambda i: v.y[i] * (v.s[i] - 1) if i == v.j else v.y[i] * v.s[v.j], 1, v.K)),
    Claim(line=35, column=111, kind="case", written=r"i=j"),
    Claim(line=35, column=130, kind="case", written=r"i \ne j"),
    Claim(line=39, column=18, kind="link", expected=True,
          written=r"\frac{dL}{dx_j} = y_j - t_j", note="uses the stated one-hot t",
          lhs=lambda v: D(lambda z: L(v, z), v.z, v.j),
          rhs=lambda v: v.s[v.j] - v.y[v.j]),
]

MUTANTS = [
    # Was y_i(1 - y_j), the same as the original under the author's case i = j (stated in the
    # prose before it): no error there. A sign flip is one.
    Mutant(line=19, column=20, find=r"= y_i \cdot (1 - y_i)$", replace=r"= y_i \cdot (1 + y_i)$", operator="sign flip",
           lhs=lambda v: dy(v, v.i, v.j),
           rhs=lambda v: v.s[v.i] * (1 + v.s[v.i])),
    Mutant(line=35, column=64, find=r"t_i (y_i - 1) & i=j", replace=r"t_i (1 - y_i) & i=j", operator="sign flip",
           lhs=chain,
           rhs=lambda v: S(lambda i: v.y[i] * (1 - v.s[i]) if i == v.j else v.y[i] * v.s[v.j], 1, v.K)),
    Mutant(line=39, column=18, find=r"= y_j - t_j$", replace=r"= y_j + t_j$", operator="sign flip",
           lhs=lambda v: D(lambda z: L(v, z), v.z, v.j),
           rhs=lambda v: v.s[v.j] + v.y[v.j]),
]
