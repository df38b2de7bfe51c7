from bench.judge import Claim, Mutant, Setting, D, d, S, delta, exp, log, sigmoid, softmax, tanh, sqrt

# s = v.x, z = sigma(s); target t in {0, 1} (the slide: "target t is either 0 or 1"): t = v.y[1] under one-hot labels.
SETTING = Setting(indices=(), labels="one-hot")


def E(v, z):
    t = v.y[1]
    return -t * log(z) - (1 - t) * log(1 - z)


z_ = lambda v: sigmoid(v.x)
es = lambda v: exp(-v.x)
t_ = lambda v: v.y[1]
dEdz = lambda v: d(lambda z: E(v, z), z_(v))
dzds = lambda v: d(sigmoid, v.x)
r5_3 = lambda v: es(v) * (z_(v) - t_(v)) / (z_(v) * (1 - z_(v)) * (1 + es(v)) ** 2)
r5_4 = lambda v: es(v) * (z_(v) - t_(v)) / (z_(v) * (1 - z_(v)) * (1 + 2 * es(v) + exp(-2 * v.x)))


def r5_5(v):
    z, e = z_(v), es(v)
    return e * (z - t_(v)) / (z + 2 * z * e + z * exp(-2 * v.x) - z ** 2 - 2 * z ** 2 * e - z ** 2 * exp(-2 * v.x))


CLAIMS = [
    Claim(line=3, column=80, kind="definition", written=r"E=-t\log(z)-(1-t)\log(1-z)"),
    Claim(line=3, column=334, kind="link", expected=True, written=r"\frac{\partial E}{\partial z}&=\frac{z-t}{z(1-z)}",
          lhs=dEdz, rhs=lambda v: (z_(v) - t_(v)) / (z_(v) * (1 - z_(v)))),
    Claim(line=3, column=374, kind="definition", written=r"\text{if}\qquad z&=\frac{1}{1+e^{-s}}"),
    Claim(line=3, column=459, kind="link", expected=True,
          written=r"\frac{\partial E}{\partial s}&=\frac{\partial E}{\partial z}\frac{\partial z}{\partial s}",
          lhs=lambda v: d(lambda s: E(v, sigmoid(s)), v.x), rhs=lambda v: dEdz(v) * dzds(v)),
    Claim(line=3, column=518, kind="link", expected=True, written=r"=z-t",
          lhs=lambda v: dEdz(v) * dzds(v), rhs=lambda v: z_(v) - t_(v)),
    Claim(line=5, column=41, kind="link", expected=True,
          written=r"\dfrac{ \partial{E} }{ \partial{s} } = \dfrac{ \partial{E} }{ \partial{z} } \dfrac{ \partial{z} }{ \partial{s} }",
          lhs=lambda v: d(lambda s: E(v, sigmoid(s)), v.x), rhs=lambda v: dEdz(v) * dzds(v)),
    Claim(line=5, column=117, kind="link", expected=True,
          written=r"= \left[ \dfrac{z - t}{z(1 - z)} \right] \left[ \dfrac{e^{-s} }{ (1 + e^{-s})^2 } \right]",
          lhs=lambda v: dEdz(v) * dzds(v),
          rhs=lambda v: (z_(v) - t_(v)) / (z_(v) * (1 - z_(v))) * (es(v) / (1 + es(v)) ** 2)),
    Claim(line=5, column=207, kind="link", expected=True,
          written=r"= \dfrac{e^{-s} (z - t) }{ z(1 - z)(1 + e^{-s})^2 }",
          lhs=lambda v: (z_(v) - t_(v)) / (z_(v) * (1 - z_(v))) * (es(v) / (1 + es(v)) ** 2), rhs=r5_3),
    Claim(line=5, column=259, kind="link", expected=True,
          written=r"= \dfrac{e^{-s} (z - t) }{ z(1 - z)(1 + 2e^{-s} + e^{-2s}) }", lhs=r5_3, rhs=r5_4),
    Claim(line=5, column=320, kind="link", expected=True,
          written=r"= \dfrac{e^{-s} (z - t) }{ z + 2ze^{-s} + ze^{-2s} - z^2 - 2z^2e^{-s} - z^2 e^{-2s} }", lhs=r5_4, rhs=r5_5),
    Claim(line=6, column=10, kind="link", expected=True, written=r"z - t = \dfrac{1}{1 + e^{-s}} - t",
          lhs=lambda v: z_(v) - t_(v), rhs=lambda v: 1 / (1 + es(v)) - t_(v)),
    Claim(line=6, column=38, kind="link", expected=True, written=r"= \dfrac{1 - t(1 + e^{-s})}{1 + e^{-s}}",
          lhs=lambda v: 1 / (1 + es(v)) - t_(v), rhs=lambda v: (1 - t_(v) * (1 + es(v))) / (1 + es(v))),
    Claim(line=10, column=40, kind="link", expected=True,
          written=r"\dfrac{ \partial{z} }{ \partial{s} } = \dfrac{e^{-s} }{ (1 + e^{-s})^2 }",
          lhs=dzds, rhs=lambda v: es(v) / (1 + es(v)) ** 2),
    Claim(line=12, column=5, kind="definition", written=r"z = \dfrac{1}{1 + e^{-s}}"),
    Claim(line=14, column=18, kind="link", expected=True, written=r"\dfrac{1}{z}-1 = \dfrac{1-z}{z}",
          lhs=lambda v: 1 / z_(v) - 1, rhs=lambda v: (1 - z_(v)) / z_(v)),
    Claim(line=14, column=35, kind="link", expected=True, written=r"= e^{-s}",
          lhs=lambda v: (1 - z_(v)) / z_(v), rhs=es),
    Claim(line=16, column=7, kind="link", expected=True, written=r"z^2 = \dfrac{1}{(1 + e^{-s})^2}",
          lhs=lambda v: z_(v) ** 2, rhs=lambda v: 1 / (1 + es(v)) ** 2),
    Claim(line=18, column=40, kind="link", expected=True, written=r"\dfrac{ \partial{z} }{ \partial{s} } = z(1-z)",
          lhs=dzds, rhs=lambda v: z_(v) * (1 - z_(v))),
]

MUTANTS = [
    Mutant(line=14, column=18, find=r"\dfrac{1-z}{z}", replace=r"\dfrac{1-z}{1+z}", operator="wrong denominator",
           lhs=lambda v: 1 / z_(v) - 1, rhs=lambda v: (1 - z_(v)) / (1 + z_(v))),
    Mutant(line=6, column=38, find=r"1 - t(1 + e^{-s})", replace=r"1 - t(1 - e^{-s})", operator="sign flip",
           lhs=lambda v: 1 / (1 + es(v)) - t_(v), rhs=lambda v: (1 - t_(v) * (1 - es(v))) / (1 + es(v))),
    Mutant(line=18, column=40, find=r"z(1-z)", replace=r"z(1+z)", operator="sign flip",
           lhs=dzds, rhs=lambda v: z_(v) * (1 + z_(v))),
]
