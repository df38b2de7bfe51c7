"""The trusted core: the only part of derive that decides whether a step holds.

Read this package, and nothing else, to trust derive's verdicts. Everything outside it
(proof files, readers, renderers, the CLI) builds unchecked :class:`Derivation` values and
reads the sealed :class:`Verdict` and :class:`CheckedDerivation` values it returns.
"""

from .cache import VerdictCache, core_version
from .checking import (
    CROSS_CHECK_CLASSES,
    EXACT_CLASSES,
    EXACT_EXAMPLES,
    TIME_LIMIT,
    check,
    check_derivation,
    unreadable,
)
from .hypotheses import Hypothesis, between, different, one_hot, open_between, positive, same, sums_to_one
from .semantics import VocabularyError
from .verdict import CheckedDerivation, Counterexample, Derivation, EngineError, Status, Step, Strength, Verdict
from .vocabulary import (
    Indicator,
    Notation,
    Partial,
    Sigmoid,
    SumExcept,
    classes_symbol,
    examples_symbol,
    family,
    index,
    indices,
    scalar,
    sigmoid,
    softmax_notation,
)

__all__ = [
    "CROSS_CHECK_CLASSES",
    "EXACT_CLASSES",
    "EXACT_EXAMPLES",
    "TIME_LIMIT",
    "CheckedDerivation",
    "Counterexample",
    "Derivation",
    "EngineError",
    "Hypothesis",
    "Indicator",
    "Notation",
    "Partial",
    "Sigmoid",
    "Status",
    "Step",
    "Strength",
    "SumExcept",
    "Verdict",
    "VerdictCache",
    "VocabularyError",
    "check",
    "check_derivation",
    "unreadable",
    "core_version",
    "classes_symbol",
    "different",
    "examples_symbol",
    "family",
    "index",
    "indices",
    "one_hot",
    "same",
    "scalar",
    "sigmoid",
    "between",
    "open_between",
    "positive",
    "softmax_notation",
    "sums_to_one",
]
