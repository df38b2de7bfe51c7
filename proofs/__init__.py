"""The built-in derivations, one module each, written in the core's vocabulary.

This catalogue names them, with a title and a one-line summary for ``derive list``, and
imports a module (and with it SymPy) only when its derivation is built: a run that replays
a cached result never needs SymPy. Each module defines ``derivation(classes: int = 4) ->
Derivation``; the steps are data: the core checks them at run time, so a wrong step here
shows as failed, never as verified.
"""

from __future__ import annotations

from importlib import import_module

__all__ = ["BUILTINS", "Builtin", "about"]


class Builtin:
    """One built-in derivation: ``NAME`` (its command), ``TITLE``, ``SUMMARY`` and
    ``derivation(classes)``."""

    def __init__(self, name: str, title: str, summary: str, module: str):
        self.NAME, self.TITLE, self.SUMMARY, self.module = name, title, summary, module

    def derivation(self, classes: int = 4):
        return import_module(f"{__name__}.{self.module}").derivation(classes)


BUILTINS: dict[str, Builtin] = {
    entry.NAME: entry
    for entry in (
        Builtin(
            "softmax-jacobian",
            "The softmax Jacobian ∂s_i/∂z_j = s_i(δ_ij − s_j)",
            "∂s_i/∂z_j = s_i(δ_ij − s_j): both cases, the log-derivative route, and the K×K matrix",
            "softmax_jacobian",
        ),
        Builtin(
            "ce-grad",
            "The cross-entropy gradient ∂L/∂z_i = s_i − y_i",
            "∂L/∂z_i = s_i − y_i for L = −Σ_k y_k log s_k (Σ y = 1), and its N-example average",
            "ce_grad",
        ),
        Builtin(
            "logsumexp-grad",
            "The gradient of log-sum-exp is the softmax",
            "∂/∂z_j log Σ_k e^{z_k} = s_j, and log Σ_k e^{z_k} = m + log Σ_k e^{z_k − m} for any m",
            "logsumexp_grad",
        ),
        Builtin(
            "log-softmax",
            "The log-softmax and its gradient",
            "∂ log s_i/∂z_j = δ_ij − s_j, and ∂(−log s_c)/∂z_j = s_j − δ_cj for the true class c",
            "log_softmax",
        ),
        Builtin(
            "softmax-temperature",
            "The softmax with temperature T",
            "s_i = e^{z_i/T}/Σ_k e^{z_k/T} (T > 0): ∂s_i/∂z_j = s_i(δ_ij − s_j)/T",
            "softmax_temperature",
        ),
        Builtin(
            "label-smoothing",
            "Cross-entropy with label smoothing",
            "y_k = (1 − ε)1{k=c} + ε/K sum to one (shown, not assumed), so ∂L/∂z_i = s_i − y_i",
            "label_smoothing",
        ),
        Builtin(
            "sigmoid-bce",
            "The sigmoid with binary cross-entropy",
            "σ' = σ(1 − σ), ∂L/∂x = σ(x) − y for L = −[y log σ + (1 − y) log(1 − σ)], softmax of 2 = σ",
            "sigmoid_bce",
        ),
        Builtin(
            "mse-grad",
            "The gradient of the mean squared error",
            "L = (1/N) Σ_n (ŷ_n − y_n)²: ∂L/∂ŷ_n = 2(ŷ_n − y_n)/N",
            "mse_grad",
        ),
    )
}


def about(module_name: str) -> tuple[str, str, str]:
    """(NAME, TITLE, SUMMARY) of the built-in that the module ``module_name`` holds."""
    (entry,) = [e for e in BUILTINS.values() if f"{__name__}.{e.module}" == module_name]
    return entry.NAME, entry.TITLE, entry.SUMMARY
