"""Renderers: they take checked results from the core and draw them; they decide nothing.

* :mod:`derive.render.text`: one expression as readable Unicode math (``to_text``);
* :mod:`derive.render.terminal`: a whole checked derivation for the terminal, with rich.
"""

from .terminal import DerivationView, summary
from .text import to_text

__all__ = ["DerivationView", "summary", "to_text"]
