from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Scalar x = v.x. The answer writes sinh, cosh, tanh without an argument (f = sinh, g = cosh, primes
# for d/dx); each is read at x. Second answer: a = v.x, b = v.p (any reals) for the identity.
# sinh and cosh are the standard functions, written through exponentials (not the asker's line-1 versions).
SETTING = Setting(indices=(), labels="any")

sinh = lambda t: (exp(t) - exp(-t)) / 2
cosh = lambda t: (exp(t) + exp(-t)) / 2
dtanh = lambda v: d(tanh, v.x)
dsinh = lambda v: d(sinh, v.x)
dcosh = lambda v: d(cosh, v.x)
ch = lambda v: cosh(v.x)
sh = lambda v: sinh(v.x)
quot = lambda v: (ch(v) * dsinh(v) - sh(v) * dcosh(v)) / ch(v) ** 2
diff_sq = lambda v: (ch(v) ** 2 - sh(v) ** 2) / ch(v) ** 2
one_minus_ratio = lambda v: 1 - (sh(v) / ch(v)) ** 2
one_minus_tanh2 = lambda v: 1 - tanh(v.x) ** 2
inv_cosh2 = lambda v: 1 / ch(v) ** 2

CLAIMS = [
    Claim(line=1, column=12, kind="definition", written=r"\sinh(x) = \frac{1}{2(e^x - e^{-x})}",
          note="the asker's definition is wrong (sinh x = (e^x - e^{-x})/2); a definition, not judged"),
    Claim(line=1, column=53, kind="definition", written=r"\cosh(x) = \frac{1}{2(e^x + e^{-x}}",
          note="wrong as above, and a parenthesis is left open; a definition, not judged"),
    Claim(line=1, column=93, kind="definition", written=r"\tanh(x) = \frac{\sinh (x)}{\cosh (x)}"),
    Claim(line=3, column=33, kind="fact", written=r"\frac{d(\tanh(x))}{dx} = \frac{1}{(\cosh x)^2}",
          note="the statement the asker is asked to prove ('Prove:'), not a step"),
    Claim(line=7, column=21, kind="rule", written=r"\dfrac{d(f/g)}{dx}=\dfrac{gf^\prime-fg^\prime}{g^2}"),
    Claim(line=7, column=63, kind="definition", written=r"f=\sinh"),
    Claim(line=7, column=71, kind="definition", written=r"g=\cosh"),
    Claim(line=7, column=106, kind="link", expected=True,
          written=r"\dfrac{d\tanh}{dx}=\dfrac{\cosh\cdot\sinh^\prime-\sinh\cdot\cosh^\prime}{\cosh^2}",
          lhs=dtanh, rhs=quot),
    Claim(line=7, column=191, kind="link", expected=True, written=r"\sinh^\prime=\dfrac{1}{2}(e^x+e^{-x})",
          lhs=dsinh, rhs=lambda v: (exp(v.x) + exp(-v.x)) / 2),
    Claim(line=7, column=216, kind="link", expected=True, written=r"=\cosh",
          lhs=lambda v: (exp(v.x) + exp(-v.x)) / 2, rhs=ch),
    Claim(line=7, column=237, kind="link", expected=True, written=r"\cosh^\prime=\dfrac{1}{2}(e^x-e^{-x})",
          note="second row of the same display, after '\\\\'",
          lhs=dcosh, rhs=lambda v: (exp(v.x) - exp(-v.x)) / 2),
    Claim(line=7, column=262, kind="link", expected=True, written=r"=\sinh",
          lhs=lambda v: (exp(v.x) - exp(-v.x)) / 2, rhs=sh),
    Claim(line=7, column=297, kind="link", expected=True, written=r"\dfrac{d\tanh}{dx}=\dfrac{\cosh^2-\sinh^2}{\cosh^2}",
          lhs=dtanh, rhs=diff_sq),
    Claim(line=7, column=330, kind="link", expected=True, written=r"=1-\left(\dfrac{\sinh}{\cosh}\right)^2",
          lhs=diff_sq, rhs=one_minus_ratio),
    Claim(line=7, column=368, kind="link", expected=True, written=r"=1-\tanh^2",
          lhs=one_minus_ratio, rhs=one_minus_tanh2),
    Claim(line=7, column=406, kind="link", expected=True, written=r"\dfrac{1}{\cosh^2}=1-\tanh^2",
          lhs=inv_cosh2, rhs=one_minus_tanh2),
    Claim(line=7, column=459, kind="link", expected=True,
          written=r"1-\dfrac{\sinh^2 x}{\cosh^2 x}= \dfrac{\cosh^2 x-\sinh^2 x}{\cosh^2 x}",
          lhs=one_minus_ratio, rhs=diff_sq),
    Claim(line=7, column=535, kind="fact", written=r"(\cosh^2 x) - (\sinh^2 x) = 1", note="stated after 'Since'"),
    Claim(line=7, column=564, kind="link", expected=True, written=r"\dfrac{1}{\cosh^2 x} = {\operatorname{sech}^2 x}",
          lhs=inv_cosh2, rhs=lambda v: (2 / (exp(v.x) + exp(-v.x))) ** 2),
    Claim(line=7, column=629, kind="link", expected=True, written=r"\dfrac{d\tanh}{dx}=1-\tanh^2",
          note="inside \\boxed{...}", lhs=dtanh, rhs=one_minus_tanh2),
    Claim(line=7, column=639, kind="link", expected=True, written=r"=\dfrac{1}{\cosh^2 x}",
          lhs=one_minus_tanh2, rhs=inv_cosh2),
    Claim(line=9, column=31, kind="link", expected=True, written=r"(a+b)^2-(a-b)^2=4ab",
          lhs=lambda v: (v.x + v.p) ** 2 - (v.x - v.p) ** 2, rhs=lambda v: 4 * v.x * v.p),
    Claim(line=11, column=7, kind="definition", written=r"a=e^x"),
    Claim(line=11, column=13, kind="definition", written=r"b=e^{-x}"),
    Claim(line=11, column=61, kind="definition", written=r"\operatorname{sech}x=\frac1{\cosh x}"),
    Claim(line=11, column=77, kind="link", expected=True, written=r"=\frac2{e^x+e^{-x}}",
          lhs=lambda v: 1 / ch(v), rhs=lambda v: 2 / (exp(v.x) + exp(-v.x))),
]

MUTANTS = [
    Mutant(line=7, column=106, find=r"\sinh\cdot\cosh^\prime}", replace=r"\cosh\cdot\sinh^\prime}",
           operator="swapped factors", lhs=dtanh, rhs=lambda v: (ch(v) * dsinh(v) - ch(v) * dsinh(v)) / ch(v) ** 2),
    Mutant(line=7, column=330, find=r"=1-\left(\dfrac{\sinh}{\cosh}\right)^2", replace=r"=1+\left(\dfrac{\sinh}{\cosh}\right)^2",
           operator="sign flip", lhs=diff_sq, rhs=lambda v: 1 + (sh(v) / ch(v)) ** 2),
    Mutant(line=9, column=31, find=r"=4ab", replace=r"=2ab", operator="wrong coefficient",
           lhs=lambda v: (v.x + v.p) ** 2 - (v.x - v.p) ** 2, rhs=lambda v: 2 * v.x * v.p),
]
