from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# Scalar z = v.x.
SETTING = Setting(indices=(), labels="any")

CLAIMS = [
    Claim(line=9, column=82, kind="definition",
          written=r"\mathbf{y} = \sigma(\mathbf{W}\mathbf{x} + \mathbf{b})"),
    Claim(line=11, column=14, kind="definition",
          written=r"\sigma(z) = \frac{1}{1 + \operatorname{e}^{-z}}"),
    Claim(line=11, column=103, kind="link", expected=False,
          error="the derivative is written in the input z: it is sigma(z)(1 - sigma(z)), not z(1 - z) (the accompanying code applies z*(1-z) to the sigmoid's output)",
          written=r"\frac{\partial \sigma(z)}{\partial z} = z  (1 - z)",
          lhs=lambda v: d(sigmoid, v.x),
          rhs=lambda v: v.x * (1 - v.x)),
]

MUTANTS = []  # the only link is already false
