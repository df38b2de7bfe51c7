"""derive: check every step of a hand-written ML derivation with SymPy."""

__version__ = "0.1.0"
