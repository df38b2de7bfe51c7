from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Scalars: x = v.x, theta (theta_0) = v.p, target y = v.y[1] (any real);
# hidden-layer part: X = v.x, w_0 = v.eps, b_0 = v.p, w_1 = v.z[1], b_1 = v.y[1] / 2.
SETTING = Setting(indices=(), labels="any")


def E_theta(v, th):
    return (v.x ** 2 * th - v.y[1]) ** 2 / 2


def z0(v, w0=None, b0=None, X=None):
    w0 = v.eps if w0 is None else w0
    b0 = v.p if b0 is None else b0
    X = v.x if X is None else X
    return X * w0 + b0


CLAIMS = [
    Claim(line=5, column=9, kind="definition", written=r"f(x) = x^2"),
    Claim(line=11, column=9, kind="link", expected=True, written=r"f'(x) = 2x",
          lhs=lambda v: d(lambda t: t ** 2, v.x), rhs=lambda v: 2 * v.x),
    Claim(line=15, column=9, kind="definition", written=r"f(x) = 3x^4 + 2x^{2}"),
    Claim(line=15, column=34, kind="link", expected=True, written=r"f'(x) = 12x^3 + 4x",
          lhs=lambda v: d(lambda t: 3 * t ** 4 + 2 * t ** 2, v.x), rhs=lambda v: 12 * v.x ** 3 + 4 * v.x),
    Claim(line=25, column=17, kind="rule", written=r"\nabla_{x} f = f'"),
    Claim(line=25, column=22, kind="rule", written=r"f' = \frac{df}{dx}"),
    Claim(line=31, column=9, kind="definition", written=r"f(x) = x^2"),
    Claim(line=46, column=10, kind="link", expected=True, written=r"f'(x) = \frac{df}{dx}",
          lhs=lambda v: d(lambda t: t ** 2, v.x), rhs=lambda v: d(lambda t: t ** 2, v.x)),
    Claim(line=46, column=26, kind="link", expected=True, written=r"= 2x",
          lhs=lambda v: d(lambda t: t ** 2, v.x), rhs=lambda v: 2 * v.x),
    Claim(line=81, column=17, kind="definition", written=r"f(x; \theta) = x^2 \cdot \theta_{0}"),
    Claim(line=93, column=5, kind="definition", written=r"E = \frac{1}{2} (f(x; \theta) - y)^2"),
    Claim(line=93, column=40, kind="link", expected=True, written=r"= \frac{1}{2} (x^2 \cdot \theta_{0} - y)^2",
          lhs=lambda v: E_theta(v, v.p), rhs=lambda v: (v.x ** 2 * v.p - v.y[1]) ** 2 / 2),
    Claim(line=97, column=6, kind="definition", written=r"E' = \frac{dE}{d\theta}"),
    Claim(line=97, column=27, kind="link", expected=False,
          error="derivative of (1/2)(x^2 theta - y)^2 with respect to theta is (x^2 theta - y) x^2, not x^2 - y (issue #1, fixed in e0a88b5)",
          written=r"= x^2 - y",
          lhs=lambda v: d(lambda th: E_theta(v, th), v.p), rhs=lambda v: v.x ** 2 - v.y[1]),
    Claim(line=99, column=113, kind="definition", written=r"\theta_{0} = 0"),
    Claim(line=110, column=6, kind="fact", written=r"E' = -10 / 3",
          note="the mean of the (wrong) E' = x^2 - y over the three table rows; with the true derivative at theta_0 = 0 the mean is -17. Depends on table data, not scored."),
    Claim(line=114, column=14, kind="definition", written=r"\theta_{1} = \theta_{0} + E'"),
    Claim(line=114, column=32, kind="link", expected=False,
          error="with theta_0 = 0 and E' = -10/3 (as stated just above) theta_0 + E' is -3.33..., not 0 + 3.3: the sign of E' is dropped (and 10/3 rounded)",
          written=r"= 0 + 3.3",
          lhs=lambda v: 0 + (-10 / 3), rhs=lambda v: 0 + 3.3),
    Claim(line=114, column=42, kind="link", expected=True, written=r"= 3.3",
          lhs=lambda v: 0 + 3.3, rhs=lambda v: 3.3),
    Claim(line=120, column=31, kind="definition", written=r"f(x) = 5 x^3"),
    Claim(line=128, column=16, kind="definition", written=r"f(x;\theta) = \theta_{0} x^2 + \theta_{1} x + \theta_{2}"),
    Claim(line=132, column=43, kind="link", expected=True, written=r"\frac{\partial f}{\partial \theta_{0}} = x^2",
          lhs=lambda v: d(lambda t0: t0 * v.x ** 2 + v.eps * v.x + v.p, v.z[1]), rhs=lambda v: v.x ** 2),
    Claim(line=134, column=43, kind="link", expected=True, written=r"\frac{\partial f}{\partial \theta_{1}} = x",
          lhs=lambda v: d(lambda t1: v.z[1] * v.x ** 2 + t1 * v.x + v.p, v.eps), rhs=lambda v: v.x),
    Claim(line=136, column=43, kind="link", expected=True, written=r"\frac{\partial f}{\partial \theta_{2}} = 1",
          lhs=lambda v: d(lambda t2: v.z[1] * v.x ** 2 + v.eps * v.x + t2, v.p), rhs=lambda v: 1),
    Claim(line=140, column=10, kind="definition", written=r"\theta = [1,1,1]"),
    Claim(line=161, column=9, kind="definition", written=r"z_{0} = \sum X \cdot w_{0} + b_{0}"),
    Claim(line=165, column=9, kind="definition", written=r"a_{0} = \frac{1}{1 + \exp^{-z}}"),
    Claim(line=169, column=9, kind="definition", written=r"z_{1} = \sum a_{0} \cdot w_{1} + b_{1}"),
    Claim(line=173, column=5, kind="definition", written=r"E = \frac{1}{2} (z_{1} - y)^2"),
    Claim(line=179, column=43, kind="link", expected=True, written=r"\frac{\partial z_{0}}{\partial  w_{0}} = X",
          lhs=lambda v: d(lambda w: z0(v, w0=w), v.eps), rhs=lambda v: v.x),
    Claim(line=181, column=43, kind="link", expected=True, written=r"\frac{\partial z_{0}}{\partial  b_{0}} = 1",
          lhs=lambda v: d(lambda b: z0(v, b0=b), v.p), rhs=lambda v: 1),
    Claim(line=185, column=43, kind="link", expected=True,
          written=r"\frac{\partial a_{0}}{\partial  z_{0}} = a_{0}(z_{0}) * (1-a_{0}(z_{0}))",
          lhs=lambda v: d(sigmoid, z0(v)), rhs=lambda v: sigmoid(z0(v)) * (1 - sigmoid(z0(v)))),
    Claim(line=189, column=42, kind="link", expected=True, written=r"\frac{\partial z_{1}}{\partial a_{0}} = w_{1}",
          lhs=lambda v: d(lambda a: a * v.z[1] + v.y[1] / 2, sigmoid(z0(v))), rhs=lambda v: v.z[1]),
    Claim(line=193, column=38, kind="link", expected=True, written=r"\frac{\partial E}{\partial z_{1}} = z_{1} - y",
          lhs=lambda v: d(lambda z1: (z1 - v.y[1]) ** 2 / 2, v.x), rhs=lambda v: v.x - v.y[1]),
    Claim(line=197, column=17, kind="definition", written=r"f(x; \theta) = z_{1}(a_{0}(z_{0}(x)))"),
]

MUTANTS = [
    Mutant(line=46, column=26, find=r"= 2x", replace=r"= 2x^2", operator="wrong power",
           lhs=lambda v: d(lambda t: t ** 2, v.x), rhs=lambda v: 2 * v.x ** 2),
    Mutant(line=193, column=38, find=r"z_{1} - y", replace=r"y - z_{1}", operator="sign flip",
           lhs=lambda v: d(lambda z1: (z1 - v.y[1]) ** 2 / 2, v.x), rhs=lambda v: v.y[1] - v.x),
    Mutant(line=185, column=43, find=r"(1-a_{0}(z_{0}))", replace=r"(1+a_{0}(z_{0}))", operator="sign flip",
           lhs=lambda v: d(sigmoid, z0(v)), rhs=lambda v: sigmoid(z0(v)) * (1 + sigmoid(z0(v)))),
]
