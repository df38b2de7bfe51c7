from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# One time step t: q_t = V s_t are the logits (v.z), \hat{y}_t = softmax(q_t) (v.s); "y_t are all one-hot vectors".
# Subscripts t_k are component k of the vectors at time t. \sigmoid is \DeclareMathOperator{\sigmoid}{\sigma}.
SETTING = Setting(indices=("k", "l"), labels="one-hot")


def dsoft(v, k, l):
    return D(lambda q: softmax(q)[k], v.z, l)


def not_l(v, f):
    return S(lambda k: 0 if k == v.l else f(k), 1, v.K)


sg = lambda v, k: sigmoid(v.z[k])
yh = lambda v, k: v.s[k]
y = lambda v, k: v.y[k]

CLAIMS = [
    Claim(line=12, column=4, kind="definition", written=r"s_t=\tanh(U x_t+W s_{t-1})"),
    Claim(line=13, column=10, kind="definition", written=r"\hat{y}_t=\softmax(V s_t)"),
    Claim(line=21, column=13, kind="definition", written=r"L(y,\hat{y})=-\frac{1}{N}\sum_{t}{}y_t\log\hat{y}_t"),
    Claim(line=27, column=4, kind="definition", written=r"E_t=-y_t\log\hat{y}_t"),
    Claim(line=39, column=4, kind="definition", written=r"E_t=-y_{t_i}\log{\hat{y}_{t_i}}", note="Einstein summation over i"),
    Claim(line=45, column=70, kind="definition", written=r"q_t=V s_t"),
    Claim(line=50, column=44, kind="link", expected=True,
          written=r"\frac{\partial E_t}{\partial \hat{y}_{t_k}}=-\frac{y_{t_k}}{\hat{y}_{t_k}}",
          lhs=lambda v: D(lambda p: -S(lambda i: v.y[i] * log(p[i]), 1, v.K), v.s, v.k),
          rhs=lambda v: -y(v, v.k) / yh(v, v.k)),
    # first row of the aligned cases: the derivative of the softmax written with the sigmoid
    Claim(line=57, column=49, kind="link", case="k!=l", expected=False,
          error="the softmax Jacobian written with the sigmoid of each logit (text: 'just the sigmoid function'); "
                "-sigma(q_k) sigma(q_l) is not -yhat_k yhat_l (fixed in eeabba9 after issue #1)",
          written=r"\frac{\partial \hat{y}_{t_k}}{\partial q_{t_l}}&=\left\{ -\sigmoid(q_t)_k\sigmoid(q_t)_l, & k\neq l",
          lhs=lambda v: dsoft(v, v.k, v.l),
          rhs=lambda v: -sg(v, v.k) * sg(v, v.l)),
    Claim(line=57, column=49, kind="link", case="k=l", expected=False,
          error="sigma(q_k)(1 - sigma(q_k)) is the sigmoid's derivative, not the softmax's yhat_k(1 - yhat_k)",
          written=r"\frac{\partial \hat{y}_{t_k}}{\partial q_{t_l}}&=\left\{ \sigmoid(q_t)_k\left(1-\sigmoid(q_t)_k\right), & k=l",
          lhs=lambda v: dsoft(v, v.k, v.l),
          rhs=lambda v: sg(v, v.k) * (1 - sg(v, v.k))),
    Claim(line=59, column=38, kind="case", written=r"k\neq l"),
    Claim(line=60, column=52, kind="case", written=r"k=l"),
    # second row: checked against the first row's (wrong) right side
    Claim(line=64, column=2, kind="link", case="k!=l", expected=False,
          error="does not follow from the previous (sigmoid) expression; it is the correct softmax entry",
          written=r"&=\left\{ -\hat{y}_{t_k}\hat{y}_{t_l}, & k\neq l",
          lhs=lambda v: -sg(v, v.k) * sg(v, v.l),
          rhs=lambda v: -yh(v, v.k) * yh(v, v.l)),
    Claim(line=64, column=2, kind="link", case="k=l", expected=False,
          error="does not follow from the previous (sigmoid) expression; it is the correct softmax entry",
          written=r"&=\left\{ \hat{y}_{t_k}\left(1-\hat{y}_{t_k}\right), & k=l",
          lhs=lambda v: sg(v, v.k) * (1 - sg(v, v.k)),
          rhs=lambda v: yh(v, v.k) * (1 - yh(v, v.k))),
    Claim(line=66, column=34, kind="case", written=r"k\neq l"),
    Claim(line=67, column=48, kind="case", written=r"k=l"),
    # combining (e8) and (e9)
    Claim(line=78, column=2, kind="link", expected=False,
          error="misplaced parenthesis: -y_l/yhat_l multiplies the whole bracket, including the sum over k != l; "
                "expanding it does not give -y_l + y_l yhat_l + sum_{k != l} y_k yhat_l (fixed in eeabba9)",
          written=r"-\frac{y_{t_l}}{\hat{y}_{t_l}}\left(\hat{y}_{t_l}\left(1-\hat{y}_{t_l}\right)+\sum_{k\ne l}{}\left(-\frac{y_{t_k}}{\hat{y}_{t_k}}\right)\left(-\hat{y}_{t_k}\hat{y}_{t_l}\right)  \right) &= -y_{t_l}+y_{t_l}\hat{y}_{t_l}+\sum_{k\ne l}{}y_{t_k}\hat{y}_{t_l}",
          lhs=lambda v: -y(v, v.l) / yh(v, v.l) * (yh(v, v.l) * (1 - yh(v, v.l))
                                                   + not_l(v, lambda k: (-y(v, k) / yh(v, k)) * (-yh(v, k) * yh(v, v.l)))),
          rhs=lambda v: -y(v, v.l) + y(v, v.l) * yh(v, v.l) + not_l(v, lambda k: y(v, k) * yh(v, v.l))),
    Claim(line=79, column=2, kind="link", expected=True,
          written=r"&= -y_{t_l} + \hat{y}_{t_l}\sum_{k}{}y_{t_k}",
          lhs=lambda v: -y(v, v.l) + y(v, v.l) * yh(v, v.l) + not_l(v, lambda k: y(v, k) * yh(v, v.l)),
          rhs=lambda v: -y(v, v.l) + yh(v, v.l) * S(lambda k: y(v, k), 1, v.K)),
    Claim(line=86, column=38, kind="link", expected=True,
          written=r"\frac{\partial E_t}{\partial q_{t_l}}=\hat{y}_{t_l}-y_{t_l}",
          lhs=lambda v: D(lambda q: -S(lambda i: v.y[i] * log(softmax(q)[i]), 1, v.K), v.z, v.l),
          rhs=lambda v: yh(v, v.l) - y(v, v.l)),
]

MUTANTS = [
    Mutant(line=50, column=44, find=r"=-\frac{y_{t_k}}", replace=r"=\frac{y_{t_k}}", operator="sign flip",
           lhs=lambda v: D(lambda p: -S(lambda i: v.y[i] * log(p[i]), 1, v.K), v.s, v.k),
           rhs=lambda v: y(v, v.k) / yh(v, v.k)),
    Mutant(line=79, column=2, find=r"\sum_{k}{}y_{t_k}", replace=r"\sum_{k}{}y_{t_l}", operator="swapped index",
           lhs=lambda v: -y(v, v.l) + y(v, v.l) * yh(v, v.l) + not_l(v, lambda k: y(v, k) * yh(v, v.l)),
           rhs=lambda v: -y(v, v.l) + yh(v, v.l) * S(lambda k: y(v, v.l), 1, v.K)),
    Mutant(line=86, column=38, find=r"=\hat{y}_{t_l}-y_{t_l}", replace=r"=y_{t_l}-\hat{y}_{t_l}", operator="sign flip",
           lhs=lambda v: D(lambda q: -S(lambda i: v.y[i] * log(softmax(q)[i]), 1, v.K), v.z, v.l),
           rhs=lambda v: y(v, v.l) - yh(v, v.l)),
]
