from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt, Vec

# n examples (the author's n = judge N); each example x has K features x_j = v.z[n, j];
# the label y of example n is v.y[n, 1] (the author says only "y表示实际值", so any real);
# weights w_k and bias b are free reals built from the point; a = sigma(z), z = w.x + b.
SETTING = Setting(indices=("j",), labels="any", examples=True)


def weights(v):
    return Vec(v.x + v.eps * k - v.p * (k % 2) for k in range(1, v.K + 1))


def zed(v, w, b, n):
    return S(lambda k: w[k] * v.z[n, k], 1, v.K) + b


def J_ce(v, w, b):
    def one(n):
        a = sigmoid(zed(v, w, b, n))
        y = v.y[n, 1]
        return y * log(a) + (1 - y) * log(1 - a)
    return -S(one, 1, v.N) / v.N


# one sample, one input (section 2.10.4 item 1 and 2.10.5 item 1): x = v.x, w = v.eps, b = v.p, y = v.y[1, 1]
def J_quad_b(v, b):
    return (v.y[1, 1] - sigmoid(v.eps * v.x + b)) ** 2 / 2


def J_quad_w(v, w):
    return (v.y[1, 1] - sigmoid(w * v.x + v.p)) ** 2 / 2


def a1(v):
    return sigmoid(v.eps * v.x + v.p)


def sig_prime(t):
    return d(sigmoid, t)


CLAIMS = [
    Claim(line=5, column=3, kind="definition", written=r"J = \frac{1}{2n}\sum_x\Vert y(x)-a^L(x)\Vert^2"),
    Claim(line=10, column=3, kind="definition", written=r"J = \frac{(y-a)^2}{2}"),
    Claim(line=14, column=30, kind="link", expected=True,
          written=r"\frac{\partial J}{\partial b}=(a-y)\sigma'(z)",
          lhs=lambda v: d(lambda b: J_quad_b(v, b), v.p),
          rhs=lambda v: (a1(v) - v.y[1, 1]) * sig_prime(v.eps * v.x + v.p)),
    Claim(line=21, column=3, kind="definition", written=r"J = -\frac{1}{n}\sum_x[y\ln a + (1-y)\ln{(1-a)}]"),
    Claim(line=27, column=32, kind="link", expected=True,
          written=r"\frac{\partial J}{\partial w_j}=\frac{1}{n}\sum_{x}x_j(\sigma{(z)}-y)",
          lhs=lambda v: D(lambda w: J_ce(v, w, v.p), weights(v), v.j),
          rhs=lambda v: S(lambda n: v.z[n, v.j] * (sigmoid(zed(v, weights(v), v.p, n)) - v.y[n, 1]), 1, v.N) / v.N),
    Claim(line=28, column=30, kind="link", expected=True,
          written=r"\frac{\partial J}{\partial b}=\frac{1}{n}\sum_{x}(\sigma{(z)}-y)",
          lhs=lambda v: d(lambda b: J_ce(v, weights(v), b), v.p),
          rhs=lambda v: S(lambda n: sigmoid(zed(v, weights(v), v.p, n)) - v.y[n, 1], 1, v.N) / v.N),
    Claim(line=36, column=54, kind="link", expected=True,
          written=r"\frac{\partial J}{\partial w}=(a-y)\sigma'(z)x",
          lhs=lambda v: d(lambda w: J_quad_w(v, w), v.eps),
          rhs=lambda v: (a1(v) - v.y[1, 1]) * sig_prime(v.eps * v.x + v.p) * v.x),
    Claim(line=36, column=103, kind="link", expected=True,
          written=r"\frac{\partial J}{\partial b}=(a-y)\sigma'(z)",
          lhs=lambda v: d(lambda b: J_quad_b(v, b), v.p),
          rhs=lambda v: (a1(v) - v.y[1, 1]) * sig_prime(v.eps * v.x + v.p)),
    Claim(line=42, column=32, kind="link", expected=False,
          error="bracket misplaced: x_j multiplies only sigma(z), not (sigma(z) - y) (issue #299, fixed in fdae3e0)",
          written=r"\frac{\partial J}{\partial w_j}=\frac{1}{n}\sum_{x}(x_j\sigma{(z)}-y)",
          lhs=lambda v: D(lambda w: J_ce(v, w, v.p), weights(v), v.j),
          rhs=lambda v: S(lambda n: v.z[n, v.j] * sigmoid(zed(v, weights(v), v.p, n)) - v.y[n, 1], 1, v.N) / v.N),
    Claim(line=43, column=30, kind="link", expected=True,
          written=r"\frac{\partial J}{\partial b}=\frac{1}{n}\sum_{x}(\sigma{(z)}-y)",
          lhs=lambda v: d(lambda b: J_ce(v, weights(v), b), v.p),
          rhs=lambda v: S(lambda n: sigmoid(zed(v, weights(v), v.p, n)) - v.y[n, 1], 1, v.N) / v.N),
]

MUTANTS = [
    Mutant(line=28, column=30, find=r"(\sigma{(z)}-y)", replace=r"(y-\sigma{(z)})", operator="swapped operands (sign flip)",
           lhs=lambda v: d(lambda b: J_ce(v, weights(v), b), v.p),
           rhs=lambda v: S(lambda n: v.y[n, 1] - sigmoid(zed(v, weights(v), v.p, n)), 1, v.N) / v.N),
    Mutant(line=14, column=30, find=r"(a-y)", replace=r"(a+y)", operator="sign flip",
           lhs=lambda v: d(lambda b: J_quad_b(v, b), v.p),
           rhs=lambda v: (a1(v) + v.y[1, 1]) * sig_prime(v.eps * v.x + v.p)),
]
