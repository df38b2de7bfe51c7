import pytest
import sympy as sp

from derive.core import indices, softmax_notation


class Vocab:
    """The letters the tests write steps in."""

    def __init__(self):
        self.nt = softmax_notation()
        self.z, self.s, self.y = self.nt.logits, self.nt.softmax, self.nt.labels
        self.K = self.nt.classes
        self.i, self.j, self.k, self.l, self.o = indices("i j k l o")
        self.L = sp.Symbol("L")
        self.S = sp.Sum(sp.exp(self.z[self.k]), (self.k, 1, self.K))
        self.batch = softmax_notation(examples="N")
        self.N = self.batch.examples
        (self.n,) = indices("n")


@pytest.fixture(scope="session")
def v():
    return Vocab()
