# Python API (derive.core.check directly): label-smoothing rule with the true class c
from dataclasses import replace
import sympy as sp
from derive.core import Indicator, Partial, between, indices, scalar, softmax_notation, check, same, different
base = softmax_notation()
z, s, y, K = base.logits, base.softmax, base.labels, base.classes
i, k, c, r = indices("i k c r")
eps = scalar("epsilon")
nt = replace(base, label_rule=(r, (1 - eps) * Indicator(r, c) + eps / K))
cases = {
 "a y_i = eps/K (false when i = c)": (y[i], eps / K, ()),
 "b y_i = eps/K cites i != c (true)": (y[i], eps / K, (different(i, c),)),
 "c sum_k y_k k-weighted: sum_k k y_k = c(1-eps) + eps(K+1)/2 (true)": (sp.Sum(k * y[k], (k, 1, K)), c * (1 - eps) + eps * (K + 1) / 2, ()),
 "d sum_k k y_k = (1-eps) + eps(K+1)/2 (false unless c=1)": (sp.Sum(k * y[k], (k, 1, K)), (1 - eps) + eps * (K + 1) / 2, ()),
 "e y_c = 1 (false for eps>0)": (y[c], sp.Integer(1), ()),
 "f s_i - y_i = s_i - eps/K (false at i=c)": (s[i] - y[i], s[i] - eps / K, ()),
 "g y_1 = eps/K (false when c=1)": (y[1], eps / K, ()),
}
for name, (l, rr, cites) in cases.items():
    try:
        v = check(l, rr, cites, notation=nt, time_limit=20)
        print(name, "->", v.label, "|", v.reason, "|", v.counterexample.describe() if v.counterexample else "")
    except Exception as e:
        print(name, "-> EXC", type(e).__name__, str(e)[:200])
