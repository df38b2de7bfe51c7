"""The built-in derivations, one module each, written in the core's vocabulary.

Each module defines ``NAME`` (the command), ``TITLE``, ``SUMMARY`` (one line for
``derive list``) and ``derivation(classes: int = 4) -> Derivation``. The steps are data:
the core checks them at run time, so a wrong step here shows as failed, never as verified.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    ce_grad,
    label_smoothing,
    log_softmax,
    logsumexp_grad,
    mse_grad,
    sigmoid_bce,
    softmax_jacobian,
    softmax_temperature,
)

BUILTINS: dict[str, ModuleType] = {
    module.NAME: module
    for module in (
        softmax_jacobian,
        ce_grad,
        logsumexp_grad,
        log_softmax,
        softmax_temperature,
        label_smoothing,
        sigmoid_bce,
        mse_grad,
    )
}

__all__ = ["BUILTINS"]
