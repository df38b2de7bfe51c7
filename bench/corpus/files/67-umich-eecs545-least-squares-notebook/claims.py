from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt
from bench.judge import Vec

# Least squares with N examples and M = K basis functions phi_0..phi_{M-1}.
# phi_j(x^{(n)}) is v.z[n, j+1] (so column k of v.z is phi_{k-1}); t^{(n)} is v.y[n, 1] (arbitrary reals);
# the weights w_0..w_{M-1} are a vector W of K entries that moves with the random scalar v.x.
# The free index k of the text (0..M-1) is the judge's k (1..K) shifted by one.
SETTING = Setting(indices=("k",), labels="any", examples=True)


def W(v):
    return Vec([(37 * j) / 100 - 0.5 + 0.3 * v.x for j in range(1, v.K + 1)])


phi = lambda v, n, j: v.z[n, j]          # j is 1-based here
t = lambda v, n: v.y[n, 1]


def pred(v, w, n, first=1):
    return S(lambda j: w[j] * phi(v, n, j), first, v.K)


def E(v, w):
    """E(w) = 1/2 sum_n (sum_j w_j phi_j(x^(n)) - t^(n))^2, the objective as defined in the first display."""
    return S(lambda n: (pred(v, w, n) - t(v, n)) ** 2, 1, v.N) / 2


no_half = lambda v: D(lambda w: S(lambda n: (pred(v, w, n) - t(v, n)) ** 2, 1, v.N), W(v), v.k)
chain = lambda v: S(lambda n: (pred(v, W(v), n) - t(v, n))
                    * D(lambda w: pred(v, w, n) - t(v, n), W(v), v.k), 1, v.N)
grad_k = lambda v: S(lambda n: (pred(v, W(v), n) - t(v, n)) * phi(v, n, v.k), 1, v.N)

CLAIMS = [
    Claim(line=7, column=1, kind="definition", written=r"E(\vec{w}) = \frac12 \sum_{n=1}^N (y(x_n, \vec{w}) - t_n)^2"),
    Claim(line=8, column=1, kind="definition",
          written=r"= \frac12 \sum_{n=1}^N \left( \sum_{j=0}^{M-1} w_j\phi_j(\vec{x}^{(n)}) - t^{(n)} \right)^2",
          note="spells out the model y(x, w) = sum_j w_j phi_j(x)"),
    Claim(line=16, column=41, kind="link", expected=False,
          error="the factor 1/2 of E is dropped inside the derivative (fixed in ba394f8)",
          written=r"\frac{\partial E(\vec{w})}{\partial w_k}= \frac{\partial}{\partial w_k} \left[ \sum_{n=1}^N \left( \sum_{j=0}^{M-1} w_j\phi_j(\vec{x}^{(n)}) - t^{(n)} \right)^2 \right]",
          lhs=lambda v: D(lambda w: E(v, w), W(v), v.k), rhs=no_half),
    Claim(line=24, column=1, kind="link", expected=False,
          error="the chain rule applied to the square (without the 1/2 of the previous line) gives a factor 2, which is missing",
          written=r"= \sum_{n=1}^N \left[ \left( \sum_{j=0}^{M-1} w_j\phi_j(\vec{x}^{(n)}) - t^{(n)} \right) \frac{\partial}{\partial w_k}  \left[ \sum_{j=0}^{M-1} w_j\phi_j(\vec{x}^{(n)}) - t^{(n)} \right] \right]",
          lhs=no_half, rhs=chain),
    Claim(line=29, column=1, kind="link", expected=True,
          written=r"= \sum_{n=1}^N \left[ \left( \sum_{j=0}^{M-1} w_j\phi_j(\vec{x}^{(n)}) - t^{(n)} \right) \phi_k(\vec{x}^{(n)}) \right]",
          lhs=chain, rhs=grad_k),
    Claim(line=40, column=2, kind="link", expected=True, note="vector identity; judged component k",
          written=r"\nabla_w E(\vec{w}) &= \sum_{n=1}^N \left( \sum_{j=0}^{M-1} w_j \phi_j(\vec{x}^{(n)}) - t^{(n)} \right) \phi(\vec{x}^{(n)})",
          lhs=lambda v: D(lambda w: E(v, w), W(v), v.k), rhs=grad_k),
    Claim(line=41, column=2, kind="link", expected=True, note="vector identity; judged component k",
          written=r"&= \sum_{n=1}^N \left( \vec{w}^T \phi(\vec{x}^{(n)}) - t^{(n)} \right) \phi(\vec{x}^{(n)})",
          lhs=grad_k,
          rhs=lambda v: S(lambda n: (S(lambda j: W(v)[j] * phi(v, n, j), 1, v.K) - t(v, n)) * phi(v, n, v.k), 1, v.N)),
    Claim(line=47, column=37, kind="link", expected=False,
          error="restates the objective without the targets: the - t^{(n)} inside the square is missing",
          written=r"E(\vec{w}) = \frac12 \sum_{n=1}^N \left( \sum_{j=0}^{M-1} w_j\phi_j(\vec{x}^{(n)})\right)^2",
          lhs=lambda v: E(v, W(v)),
          rhs=lambda v: S(lambda n: pred(v, W(v), n) ** 2, 1, v.N) / 2),
    Claim(line=55, column=2, kind="link", expected=False,
          error="the inner sum starts at j=1 instead of j=0, dropping the w_0 phi_0 term",
          written=r"E(\vec{w}) &=  \frac12 \sum_{n=1}^N \left( \sum_{j=1}^{M-1} w_j \phi_j(\vec{x}^{(n)}) - t^{(n)} \right)^2",
          lhs=lambda v: E(v, W(v)),
          rhs=lambda v: S(lambda n: (pred(v, W(v), n, first=2) - t(v, n)) ** 2, 1, v.N) / 2),
    Claim(line=59, column=2, kind="link", expected=False,
          error="w^T phi(x) includes the j=0 term that the previous line's sum omitted",
          written=r"&=  \frac12 \sum_{n=1}^N \left( \vec{w}^T \phi(\vec{x}^n) - t^{(n)} \right)^2",
          lhs=lambda v: S(lambda n: (pred(v, W(v), n, first=2) - t(v, n)) ** 2, 1, v.N) / 2,
          rhs=lambda v: E(v, W(v))),
    Claim(line=62, column=2, kind="link", expected=True,
          written=r"&= \frac12 \sum_{n=1}^N  (\vec{w}^T \phi( \vec{x}^{(n)} ) )^2 - \sum_{n=1}^N  t^{(n)} \vec{w}^T \phi( \vec{x}^{(n)} ) + \frac12 \sum_{n=1}^N  (t^{(n)})^2",
          lhs=lambda v: E(v, W(v)),
          rhs=lambda v: S(lambda n: pred(v, W(v), n) ** 2, 1, v.N) / 2
          - S(lambda n: t(v, n) * pred(v, W(v), n), 1, v.N) + S(lambda n: t(v, n) ** 2, 1, v.N) / 2),
    Claim(line=65, column=2, kind="link", expected=True,
          written=r"&= \frac12 \vec{w}^T \Phi^T \Phi \vec{w} - \vec{w}^T \Phi^T \vec{t} + \frac12 \vec{t}^T \vec{t}",
          lhs=lambda v: S(lambda n: pred(v, W(v), n) ** 2, 1, v.N) / 2
          - S(lambda n: t(v, n) * pred(v, W(v), n), 1, v.N) + S(lambda n: t(v, n) ** 2, 1, v.N) / 2,
          rhs=lambda v: S(lambda n: S(lambda j: W(v)[j] * phi(v, n, j), 1, v.K) ** 2, 1, v.N) / 2
          - S(lambda j: W(v)[j] * S(lambda n: phi(v, n, j) * t(v, n), 1, v.N), 1, v.K)
          + S(lambda n: t(v, n) * t(v, n), 1, v.N) / 2),
]

MUTANTS = [
    Mutant(line=40, column=2, find=r"w_j \phi_j(\vec{x}^{(n)})", replace=r"w_j \phi_k(\vec{x}^{(n)})", operator="swapped index",
           lhs=lambda v: D(lambda w: E(v, w), W(v), v.k),
           rhs=lambda v: S(lambda n: (S(lambda j: W(v)[j] * phi(v, n, v.k), 1, v.K) - t(v, n)) * phi(v, n, v.k), 1, v.N)),
    Mutant(line=62, column=2, find=r"&= \frac12 \sum_{n=1}^N  (", replace=r"&= \frac14 \sum_{n=1}^N  (", operator="changed coefficient",
           lhs=lambda v: E(v, W(v)),
           rhs=lambda v: S(lambda n: pred(v, W(v), n) ** 2, 1, v.N) / 4
           - S(lambda n: t(v, n) * pred(v, W(v), n), 1, v.N) + S(lambda n: t(v, n) ** 2, 1, v.N) / 2),
    Mutant(line=41, column=2, find=r"- t^{(n)} \right)", replace=r"+ t^{(n)} \right)", operator="sign flip",
           lhs=grad_k,
           rhs=lambda v: S(lambda n: (S(lambda j: W(v)[j] * phi(v, n, j), 1, v.K) + t(v, n)) * phi(v, n, v.k), 1, v.N)),
]
