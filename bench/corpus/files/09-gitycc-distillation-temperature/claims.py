from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt
from bench.judge import Vec

# q = softmax(z / T) (the temperature softmax the gradients are about); y one-hot ("hard targets").
# p: the teacher's distribution, softmax of teacher logits v_k; here the teacher logits are the student's
# logits in reverse order, held fixed while differentiating with respect to z.
SETTING = Setting(indices=("i",), labels="one-hot", temperature=True)


def q(z, v):
    return softmax(z, v.T)


def teacher_p(v):
    u = Vec([v.z[v.K + 1 - k] for k in range(1, v.K + 1)])
    return softmax(u)


def C2(v):
    return lambda z: S(lambda k: -v.y[k] * log(q(z, v)[k]) - (1 - v.y[k]) * log(1 - q(z, v)[k]), 1, v.K)


def C1(v):
    p = teacher_p(v)
    return lambda z: S(lambda k: -p[k] * log(q(z, v)[k]) - (1 - p[k]) * log(1 - q(z, v)[k]), 1, v.K)


CLAIMS = [
    Claim(line=3, column=1, kind="fact", written=r"\text{hard targets: one-hot-encoding from groud true labels}"),
    Claim(line=12, column=8, kind="definition", written=r"q_i=exp\{z_i\}/\sum_j exp\{z_j\}"),
    Claim(line=18, column=8, kind="definition", written=r"q_i=exp\{z_i/T\}/\sum_j exp\{z_j/T\}"),
    Claim(line=25, column=16, kind="definition", written=r"T=1 \text{ (in deployment)}"),
    Claim(line=33, column=15, kind="definition", written=r"loss=C_1T^2+\alpha C_2"),
    Claim(line=35, column=12, kind="definition", written=r"C_2=\sum_i (-y_iln(q_i)-(1-y_i)ln(1-q_i))"),
    Claim(line=39, column=49, kind="link", expected=False,
          error="(q_i - y_i)/T is the gradient of the categorical cross-entropy -sum y_i ln q_i; the author's C_2 also has "
                "the terms -(1-y_i) ln(1-q_i), whose derivative is missing",
          written=r"\frac{\partial C_2}{\partial z_i}=\frac{1}{T}(q_i-y_i)",
          lhs=lambda v: D(C2(v), v.z, v.i),
          rhs=lambda v: (v.s[v.i] - v.y[v.i]) / v.T),
    Claim(line=41, column=12, kind="definition", written=r"C_1=\sum_i (-p_iln(q_i)-(1-p_i)ln(1-q_i))"),
    Claim(line=42, column=14, kind="definition", written=r"p_i=exp\{v_i\}/\sum_j exp\{v_j\}"),
    Claim(line=43, column=44, kind="link", expected=False,
          error="same mistake for the soft targets: the derivative of the -(1-p_i) ln(1-q_i) terms is missing",
          written=r"\frac{\partial C_1}{\partial z_i}=\frac{1}{T}(q_i-p_i)",
          lhs=lambda v: D(C1(v), v.z, v.i),
          rhs=lambda v: (v.s[v.i] - teacher_p(v)[v.i]) / v.T),
    Claim(line=44, column=100, kind="not-equality",
          written=r"\frac{\partial C_1}{\partial z_i}=\frac{1}{NT^2}(z_i-v_i)",
          note="written with '=' but stated as the high-temperature, zero-mean approximation (Hinton et al. write \\approx); not scored"),
    Claim(line=45, column=26, kind="not-equality", written=r"C_1\approx \frac{1}{NT^2}\sum\frac{1}{2}(z_i-v_i)^2"),
]

MUTANTS = []   # the file has no true equality link to mutate
