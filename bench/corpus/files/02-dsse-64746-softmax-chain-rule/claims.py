from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt
from bench.judge import Vec

# Vector and matrix equations are judged entrywise: entry i of a vector, entry (i, j) of a matrix
# (row i = output A_i, column j = input Z_j). The author's indices run 0..n, the judge's 1..K.
SETTING = Setting(indices=("i", "j"), labels="one-hot")

Z0 = Vec([1.75, 1.75])      # the author's data point
T0 = Vec([0, 1])
A0 = Vec([0.5, 0.5])


def E_of_z(v):
    return lambda z: -S(lambda k: v.y[k] * log(softmax(z)[k]), 1, v.K)


def E_of_a(v):
    return lambda a: -S(lambda k: v.y[k] * log(a[k]), 1, v.K)


CLAIMS = [
    Claim(line=4, column=9, kind="definition", written=r"Z^{O} := (1.75, 1.75)"),
    Claim(line=5, column=9, kind="definition", written=r"A^{O} := (0.5, 0.5)"),
    Claim(line=10, column=1, kind="link", expected=True,
          written=r"\frac{\partial{E(A^{O},T)}}{\partial{Z^{O}}} = \frac{\partial{\sum_{i=0}^{n}{-T_{i}*ln(A^{O})}}}{\partial{Z^{O}}}",
          note="entry j of the gradient; ln(A^{O}) read as ln(A^{O}_i) (the author drops the subscript in both sums)",
          lhs=lambda v: D(E_of_z(v), v.z, v.j),
          rhs=lambda v: D(lambda z: S(lambda k: -v.y[k] * log(softmax(z)[k]), 1, v.K), v.z, v.j)),
    Claim(line=11, column=1, kind="link", expected=True,
          written=r"= \frac{\partial{\sum_{i=0}^{n}{-T_{i}*ln(Softmax(Z^{O}))}}}{\partial{Z^{O}}}",
          lhs=lambda v: D(lambda z: S(lambda k: -v.y[k] * log(softmax(z)[k]), 1, v.K), v.z, v.j),
          rhs=lambda v: D(lambda z: S(lambda k: -v.y[k] * log(softmax(z)[k]), 1, v.K), v.z, v.j)),
    Claim(line=12, column=1, kind="link", expected=True,
          written=r"= A^{O} - T",
          note="true for one-hot T (the example T = (0, 1))",
          lhs=lambda v: D(lambda z: S(lambda k: -v.y[k] * log(softmax(z)[k]), 1, v.K), v.z, v.j),
          rhs=lambda v: v.s[v.j] - v.y[v.j]),
    Claim(line=14, column=9, kind="link", expected=True,
          written=r"A^{O} = \begin{pmatrix}0.5&0.5\end{pmatrix}",
          note="numeric: softmax of the author's Z^{O} = (1.75, 1.75)",
          lhs=lambda v: softmax(Z0)[v.i],
          rhs=lambda v: A0[v.i]),
    Claim(line=15, column=5, kind="definition", written=r"T = \begin{pmatrix}0&1\end{pmatrix}"),
    Claim(line=17, column=13, kind="link", expected=True,
          written=r"A^{O} - T = \begin{pmatrix}0.5&-0.5\end{pmatrix}",
          lhs=lambda v: A0[v.i] - T0[v.i],
          rhs=lambda v: Vec([0.5, -0.5])[v.i]),
    Claim(line=23, column=1, kind="link", expected=True,
          written=r"\frac{\partial{E(A^{O},T)}}{\partial{A^{O}}} = \frac{\partial{\sum_{i=0}^{n}{-T_{i}*ln(A_{i}^{O})}}}{\partial{A^{O}}}",
          note="entry i of the gradient with respect to A (A taken as independent variables)",
          lhs=lambda v: D(E_of_a(v), v.s, v.i),
          rhs=lambda v: D(lambda a: S(lambda k: -v.y[k] * log(a[k]), 1, v.K), v.s, v.i)),
    Claim(line=24, column=1, kind="link", expected=True,
          written=r"= -\frac{T_{i}}{A_{i}^{O}}",
          lhs=lambda v: D(lambda a: S(lambda k: -v.y[k] * log(a[k]), 1, v.K), v.s, v.i),
          rhs=lambda v: -v.y[v.i] / v.s[v.i]),
    Claim(line=25, column=1, kind="link", expected=True,
          written=r"= \begin{pmatrix}-\frac{0}{0.5}&-\frac{1}{0.5}\end{pmatrix}",
          note="numeric: -T_i/A_i at the author's T = (0, 1), A = (0.5, 0.5)",
          lhs=lambda v: -T0[v.i] / A0[v.i],
          rhs=lambda v: Vec([-0 / 0.5, -1 / 0.5])[v.i]),
    Claim(line=26, column=1, kind="link", expected=True,
          written=r"= \begin{pmatrix}0&-2\end{pmatrix}",
          lhs=lambda v: Vec([-0 / 0.5, -1 / 0.5])[v.i],
          rhs=lambda v: Vec([0, -2])[v.i]),
    Claim(line=29, column=52, kind="link", expected=False,
          error="the Jacobian entries are written with the logits Z^O instead of the softmax outputs A^O: "
                "they should be A_i(1-A_i) on the diagonal and -A_i A_j off it",
          written=r"\frac{\partial{Softmax(Z^{O})}}{\partial{Z^{O}}} = \begin{pmatrix}Z^{O}_{0}(1-Z^{O}_{0})&-Z^{O}_{0}Z^{O}_{1}&...\end{pmatrix}",
          lhs=lambda v: D(lambda z: softmax(z)[v.i], v.z, v.j),
          rhs=lambda v: v.z[v.i] * (1 - v.z[v.i]) if v.i == v.j else -v.z[v.i] * v.z[v.j]),
]

MUTANTS = [
    Mutant(line=24, column=1, find=r"= -\frac{T_{i}}{A_{i}^{O}}", replace=r"= \frac{T_{i}}{A_{i}^{O}}", operator="sign flip",
           lhs=lambda v: D(lambda a: S(lambda k: -v.y[k] * log(a[k]), 1, v.K), v.s, v.i),
           rhs=lambda v: v.y[v.i] / v.s[v.i]),
    Mutant(line=12, column=1, find=r"= A^{O} - T", replace=r"= T - A^{O}", operator="swapped operands",
           lhs=lambda v: D(lambda z: S(lambda k: -v.y[k] * log(softmax(z)[k]), 1, v.K), v.z, v.j),
           rhs=lambda v: v.y[v.j] - v.s[v.j]),
]
