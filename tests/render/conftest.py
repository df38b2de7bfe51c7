"""The checked derivations the export tests share: every built-in, and ce-grad with a step made
false."""

from __future__ import annotations

import pytest

from derive.core import Derivation, Step, check_derivation
from derive.proofs import BUILTINS


@pytest.fixture(scope="module")
def builtins_checked():
    return {name: check_derivation(module.derivation(4)) for name, module in BUILTINS.items()}


@pytest.fixture(scope="module")
def with_failure():
    """ce-grad with step 9's sign flipped: s_i − y_i written as y_i − s_i."""
    derivation = BUILTINS["ce-grad"].derivation(3)
    steps = list(derivation.steps)
    target = next(n for n, st in enumerate(steps) if st.rule == "collect terms")
    steps[target] = Step(
        steps[target].previous, -steps[target].next, steps[target].cites, steps[target].rule, continues=True
    )
    broken = Derivation(derivation.name, derivation.title, derivation.notation, tuple(steps), derivation.summary)
    return check_derivation(broken), target + 1
