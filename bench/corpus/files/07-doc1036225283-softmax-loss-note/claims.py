from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Superscripts are indices: (e^z)^i is e^{z_i}, s^i the i-th softmax output, y^i the i-th target.
SETTING = Setting(indices=("i",), labels="one-hot")


def three(v, value):
    if v.K != 3:
        raise ValueError("written out for three classes")
    return value


def loss(v):
    return -S(lambda k: v.y[k] * log(v.s[k]), 1, v.K)


def expanded(v, i):
    return exp(v.z[i]) / (exp(v.z[1]) + exp(v.z[2]) + exp(v.z[3]))


CLAIMS = [
    Claim(line=3, column=5, kind="definition", written=r"s^i=\frac{(e^z)^i}{\sum_j^N(e^z)^j}"),
    Claim(line=5, column=5, kind="link", expected=True,
          written=r"s^i=\frac{(e^z)^i}{(e^z)^1+(e^z)^2+(e^z)^3}",
          note="N = 3 written out: judged at K = 3",
          lhs=lambda v: three(v, v.s[v.i]), rhs=lambda v: three(v, expanded(v, v.i))),
    Claim(line=7, column=5, kind="link", expected=True,
          written=r"s^1=\frac{(e^z)^1}{(e^z)^1+(e^z)^2+(e^z)^3}",
          lhs=lambda v: three(v, v.s[1]), rhs=lambda v: three(v, expanded(v, 1))),
    Claim(line=9, column=5, kind="link", expected=True,
          written=r"s^2=\frac{(e^z)^2}{(e^z)^1+(e^z)^2+(e^z)^3}",
          lhs=lambda v: three(v, v.s[2]), rhs=lambda v: three(v, expanded(v, 2))),
    Claim(line=11, column=5, kind="link", expected=True,
          written=r"s^3=\frac{(e^z)^3}{(e^z)^1+(e^z)^2+(e^z)^3}",
          lhs=lambda v: three(v, v.s[3]), rhs=lambda v: three(v, expanded(v, 3))),
    Claim(line=17, column=6, kind="definition", written=r"loss={-\sum_i^Ny^i*ln(s^i)}"),
    Claim(line=19, column=1, kind="fact", written=r"\text{usually only one target is 1 (y one-hot)}"),
    Claim(line=21, column=6, kind="link", expected=True,
          written=r"loss=-y^i*ln(s^i)",
          note="i read as the class whose target is 1 (stated on the line before); judged with i = c",
          lhs=loss, rhs=lambda v: -v.y[v.c] * log(v.s[v.c])),
    Claim(line=23, column=6, kind="link", expected=False,
          error="-y^i/s^i is the derivative d loss / d s^i, not the loss: the left side should be the derivative",
          written=r"loss=-\frac{y^i}{s^i}",
          lhs=loss, rhs=lambda v: -v.y[v.c] / v.s[v.c]),
    Claim(line=27, column=6, kind="definition", written=r"f(x)=3*ln(x)"),
    Claim(line=29, column=7, kind="link", expected=True,
          written=r"f'(x)=\frac{3}{x}",
          lhs=lambda v: d(lambda t: 3 * log(t), v.x), rhs=lambda v: 3 / v.x),
]

MUTANTS = [
    Mutant(line=29, column=7, find=r"\frac{3}{x}", replace=r"\frac{1}{3x}", operator="wrong constant",
           lhs=lambda v: d(lambda t: 3 * log(t), v.x), rhs=lambda v: 1 / (3 * v.x)),
    Mutant(line=9, column=5, find=r"s^2=\frac{(e^z)^2}", replace=r"s^2=\frac{(e^z)^1}", operator="swapped index",
           lhs=lambda v: three(v, v.s[2]), rhs=lambda v: three(v, expanded(v, 1))),
]
