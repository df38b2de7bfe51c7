from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Notation: \sigma(A_i) = softmax(A)_i (A is v.z, \sigma is v.s); Y one-hot (stated); C classes.
# Free indices i and k: in "When i=k" / "When i \neq k" the author uses k both as the free class index of
# \partial\log\sigma(A_k)/\partial A_i and, in the "Thus" lines, as the summation letter of -\sum_k Y_k(...).
# Read as written, the "Thus" lines equate dH/dA_i (which does not depend on k) with -Y_i(1-\sigma(A_i)) etc.
SETTING = Setting(indices=("i", "k"), labels="one-hot")


def H(v, z):
    return -S(lambda k: v.y[k] * log(softmax(z)[k]), 1, v.K)


def dH(v):
    return D(lambda z: H(v, z), v.z, v.i)


def dlog(v, k, i):
    return D(lambda z: log(softmax(z)[k]), v.z, i)


def sum_dlog(v):
    return -S(lambda k: v.y[k] * dlog(v, k, v.i), 1, v.K)


sg = lambda v, k: v.s[k]
logrule = dict(lhs=lambda v: d(lambda t: log(t), v.x), rhs=lambda v: 1 / v.x)

CLAIMS = [
    Claim(line=1, column=35, kind="link", expected=True,
          written=r"\frac{\partial H}{\partial A_i} = - \sum\limits_{k=1}^{C} Y_k \frac{\partial \log(\sigma(A_k))}{\partial A_i}",
          lhs=dH, rhs=sum_dlog),
    Claim(line=3, column=8, kind="case", written=r"i=k"),
    Claim(line=3, column=88, kind="link", expected=True, written=r"\frac{\partial \log(x)}{\partial x} = \frac{1}{x}", **logrule),
    Claim(line=5, column=51, kind="link", case="i=k", expected=True,
          written=r"\frac{\partial \log(\sigma(A_k))}{\partial A_i} = \frac{\partial \log(\sigma(A_i))}{\partial \sigma(A_i)} \cdot \frac{\partial \sigma(A_i)}{\partial A_i}",
          lhs=lambda v: dlog(v, v.k, v.i),
          rhs=lambda v: 1 / sg(v, v.i) * D(lambda z: softmax(z)[v.i], v.z, v.i)),
    Claim(line=5, column=157, kind="link", case="i=k", expected=True,
          written=r"= \frac{1}{\sigma(A_i)} \cdot \sigma(A_i) \cdot (1 - \sigma(A_i))",
          lhs=lambda v: 1 / sg(v, v.i) * D(lambda z: softmax(z)[v.i], v.z, v.i),
          rhs=lambda v: 1 / sg(v, v.i) * sg(v, v.i) * (1 - sg(v, v.i))),
    Claim(line=5, column=223, kind="link", case="i=k", expected=True,
          written=r"= 1 - \sigma(A_i)",
          lhs=lambda v: 1 / sg(v, v.i) * sg(v, v.i) * (1 - sg(v, v.i)),
          rhs=lambda v: 1 - sg(v, v.i)),
    Claim(line=10, column=35, kind="link", case="i=k", expected=True,
          written=r"\frac{\partial H}{\partial A_i} = - \sum\limits_{k=1}^{C} Y_k \frac{\partial \log(\sigma(A_k))}{\partial A_i}",
          lhs=dH, rhs=sum_dlog),
    Claim(line=10, column=113, kind="link", case="i=k", expected=False,
          error="dropped terms: only the k = i term of the sum is kept; the k != i terms contribute sum_{k != i} Y_k sigma(A_i) (right only when Y_i = 1, which is not what 'i=k' says)",
          written=r"= -Y_i(1 - \sigma(A_i))",
          lhs=sum_dlog,
          rhs=lambda v: -v.y[v.i] * (1 - sg(v, v.i))),
    Claim(line=10, column=137, kind="link", case="i=k", expected=False,
          error="-Y_i(1-\\sigma(A_i)) equals \\sigma(A_i) - Y_i only when Y_i = 1",
          written=r"= \sigma(A_i) - Y_i",
          lhs=lambda v: -v.y[v.i] * (1 - sg(v, v.i)),
          rhs=lambda v: sg(v, v.i) - v.y[v.i]),
    Claim(line=10, column=157, kind="link", case="i=k", expected=False,
          error="replaces Y_i by 1, i.e. assumes i is the true class, which the case i=k does not state",
          written=r"= \sigma(A_i) - 1",
          lhs=lambda v: sg(v, v.i) - v.y[v.i],
          rhs=lambda v: sg(v, v.i) - 1),
    Claim(line=12, column=8, kind="case", written=r"i\neq k"),
    Claim(line=12, column=92, kind="link", expected=True, written=r"\frac{\partial \log(x)}{\partial x} = \frac{1}{x}", **logrule),
    Claim(line=14, column=51, kind="link", case="i!=k", expected=True,
          written=r"\frac{\partial \log(\sigma(A_k))}{\partial A_i} = \frac{\partial \log(\sigma(A_k))}{\partial \sigma(A_k)} \cdot \frac{\partial \sigma(A_k)}{\partial A_i}",
          lhs=lambda v: dlog(v, v.k, v.i),
          rhs=lambda v: 1 / sg(v, v.k) * D(lambda z: softmax(z)[v.k], v.z, v.i)),
    Claim(line=14, column=157, kind="link", case="i!=k", expected=True,
          written=r"= \frac{1}{\sigma(A_k)} \cdot -\sigma(A_k) \cdot \sigma(A_i)",
          lhs=lambda v: 1 / sg(v, v.k) * D(lambda z: softmax(z)[v.k], v.z, v.i),
          rhs=lambda v: 1 / sg(v, v.k) * -sg(v, v.k) * sg(v, v.i)),
    Claim(line=14, column=218, kind="link", case="i!=k", expected=True,
          written=r"= - \sigma(A_i)",
          lhs=lambda v: 1 / sg(v, v.k) * -sg(v, v.k) * sg(v, v.i),
          rhs=lambda v: -sg(v, v.i)),
    Claim(line=18, column=35, kind="link", case="i!=k", expected=True,
          written=r"\frac{\partial H}{\partial A_i} = - \sum\limits_{k=1}^{C} Y_k \frac{\partial \log(\sigma(A_k))}{\partial A_i}",
          lhs=dH, rhs=sum_dlog),
    Claim(line=18, column=113, kind="link", case="i!=k", expected=False,
          error="wrong index and dropped terms: keeps one term of the sum and writes its label as Y_i instead of Y_k",
          written=r"= -Y_i(- \sigma(A_i))",
          lhs=sum_dlog,
          rhs=lambda v: -v.y[v.i] * (-sg(v, v.i))),
    Claim(line=18, column=135, kind="link", case="i!=k", expected=False,
          error="-Y_i(-\\sigma(A_i)) = Y_i \\sigma(A_i), which is \\sigma(A_i) only when Y_i = 1",
          written=r"= \sigma(A_i)",
          lhs=lambda v: -v.y[v.i] * (-sg(v, v.i)),
          rhs=lambda v: sg(v, v.i)),
    Claim(line=18, column=149, kind="link", case="i!=k", expected=True,
          written=r"= \sigma(A_i) - 0",
          lhs=lambda v: sg(v, v.i),
          rhs=lambda v: sg(v, v.i) - 0),
    Claim(line=23, column=19, kind="definition", written=r"H(Y, \sigma(A)) = - \sum_{i=1}^{C} Y_i \log(\sigma(A_i))"),
    Claim(line=31, column=15, kind="definition", written=r"\sigma(A_i) = \frac{e^{A_i}}{\sum\limits_{j=1}^{C} e^{A_j}}"),
    Claim(line=38, column=18, kind="definition", written=r"H(Y, \sigma(A)) &= - \sum_{i=1}^{C} Y_i \log(\sigma(A_i))",
          note="restates the definition of line 23"),
    Claim(line=39, column=2, kind="link", expected=True,
          written=r"&= -Y_1\log(\sigma(A_1))  -Y_2\log(\sigma(A_2))-...-Y_C\log(\sigma(A_C))",
          lhs=lambda v: H(v, v.z),
          rhs=lambda v: S(lambda c: -v.y[c] * log(v.s[c]), 1, v.K)),
    Claim(line=43, column=34, kind="link", expected=True,
          written=r"\frac{\partial H}{\partial A_i} &= \frac{\partial (-Y_1\log(\sigma(A_1))  -Y_2\log(\sigma(A_2))-...-Y_C\log(\sigma(A_C)))}{\partial A_i}",
          lhs=dH,
          rhs=lambda v: D(lambda z: S(lambda c: -v.y[c] * log(softmax(z)[c]), 1, v.K), v.z, v.i)),
    Claim(line=44, column=2, kind="link", expected=True,
          written=r"&=  \frac{\partial (-Y_1\log(\sigma(A_1)))}{\partial A_i}  + \frac{\partial (-Y_2\log(\sigma(A_2)))}{\partial A_i}  + ...+ \frac{\partial (-Y_C\log(\sigma(A_C)))}{\partial A_i}",
          lhs=lambda v: D(lambda z: S(lambda c: -v.y[c] * log(softmax(z)[c]), 1, v.K), v.z, v.i),
          rhs=lambda v: S(lambda c: D(lambda z: -v.y[c] * log(softmax(z)[c]), v.z, v.i), 1, v.K)),
    Claim(line=45, column=2, kind="link", expected=True,
          written=r"&=-Y_1\frac{\partial \log(\sigma(A_1))}{\partial A_i} -Y_2\frac{\partial \log(\sigma(A_2))}{\partial A_i} -...-Y_C\frac{\partial \log(\sigma(A_C))}{\partial A_i}",
          lhs=lambda v: S(lambda c: D(lambda z: -v.y[c] * log(softmax(z)[c]), v.z, v.i), 1, v.K),
          rhs=lambda v: S(lambda c: -v.y[c] * dlog(v, c, v.i), 1, v.K)),
    Claim(line=46, column=2, kind="link", expected=True,
          written=r"&=- \sum_{k=1}^{C} Y_k \frac{\partial \log(\sigma(A_k))}{\partial A_i}",
          lhs=lambda v: S(lambda c: -v.y[c] * dlog(v, c, v.i), 1, v.K),
          rhs=sum_dlog),
    Claim(line=49, column=35, kind="link", expected=True,
          written=r"\frac{\partial H}{\partial A_i} = - \sum\limits_{k=1}^{C} Y_k \frac{\partial \log(\sigma(A_k))}{\partial A_i}",
          lhs=dH, rhs=sum_dlog),
    Claim(line=53, column=88, kind="case", written=r"i=k"),
    Claim(line=53, column=104, kind="case", written=r"i \neq k"),
    Claim(line=55, column=8, kind="case", written=r"i=k"),
    Claim(line=55, column=88, kind="link", expected=True, written=r"\frac{\partial \log(x)}{\partial x} = \frac{1}{x}", **logrule),
    Claim(line=57, column=51, kind="link", case="i=k", expected=True,
          written=r"\frac{\partial \log(\sigma(A_k))}{\partial A_i} = \frac{\partial \log(\sigma(A_i))}{\partial \sigma(A_i)} \cdot \frac{\partial \sigma(A_i)}{\partial A_i}",
          lhs=lambda v: dlog(v, v.k, v.i),
          rhs=lambda v: 1 / sg(v, v.i) * D(lambda z: softmax(z)[v.i], v.z, v.i)),
    Claim(line=57, column=157, kind="link", case="i=k", expected=True,
          written=r"= \frac{1}{\sigma(A_i)} \cdot \sigma(A_i) \cdot (1 - \sigma(A_i))",
          lhs=lambda v: 1 / sg(v, v.i) * D(lambda z: softmax(z)[v.i], v.z, v.i),
          rhs=lambda v: 1 / sg(v, v.i) * sg(v, v.i) * (1 - sg(v, v.i))),
    Claim(line=57, column=223, kind="link", case="i=k", expected=True,
          written=r"= 1 - \sigma(A_i)",
          lhs=lambda v: 1 / sg(v, v.i) * sg(v, v.i) * (1 - sg(v, v.i)),
          rhs=lambda v: 1 - sg(v, v.i)),
    Claim(line=59, column=9, kind="case", written=r"i \neq k"),
    Claim(line=61, column=51, kind="link", case="i!=k", expected=True,
          written=r"\frac{\partial \log(\sigma(A_k))}{\partial A_i} = \frac{\partial \log(\sigma(A_k))}{\partial \sigma(A_k)} \cdot \frac{\partial \sigma(A_k)}{\partial A_i}",
          lhs=lambda v: dlog(v, v.k, v.i),
          rhs=lambda v: 1 / sg(v, v.k) * D(lambda z: softmax(z)[v.k], v.z, v.i)),
    Claim(line=61, column=157, kind="link", case="i!=k", expected=True,
          written=r"= \frac{1}{\sigma(A_k)} \cdot -\sigma(A_k) \cdot \sigma(A_i)",
          lhs=lambda v: 1 / sg(v, v.k) * D(lambda z: softmax(z)[v.k], v.z, v.i),
          rhs=lambda v: 1 / sg(v, v.k) * -sg(v, v.k) * sg(v, v.i)),
    Claim(line=61, column=218, kind="link", case="i!=k", expected=True,
          written=r"= - \sigma(A_i)",
          lhs=lambda v: 1 / sg(v, v.k) * -sg(v, v.k) * sg(v, v.i),
          rhs=lambda v: -sg(v, v.i)),
    Claim(line=68, column=35, kind="link", expected=True,
          written=r"\frac{\partial H}{\partial A_i} = \sigma(A_i) - Y_i", note="uses the stated one-hot Y",
          lhs=dH, rhs=lambda v: sg(v, v.i) - v.y[v.i]),
]

MUTANTS = [
    Mutant(line=57, column=223, find=r"= 1 - \sigma(A_i)$$", replace=r"= 1 + \sigma(A_i)$$", operator="sign flip",
           lhs=lambda v: 1 / sg(v, v.i) * sg(v, v.i) * (1 - sg(v, v.i)),
           rhs=lambda v: 1 + sg(v, v.i)),
    Mutant(line=61, column=218, find=r"= - \sigma(A_i)$$", replace=r"= - \sigma(A_k)$$", operator="swapped index",
           lhs=lambda v: 1 / sg(v, v.k) * -sg(v, v.k) * sg(v, v.i),
           rhs=lambda v: -sg(v, v.k)),
    Mutant(line=68, column=35, find=r"= \sigma(A_i) - Y_i$$", replace=r"= \sigma(A_i) + Y_i$$", operator="sign flip",
           lhs=dH, rhs=lambda v: sg(v, v.i) + v.y[v.i]),
]
