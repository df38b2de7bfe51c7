"""The mutation harness of bench/soundness.py on a small deterministic sample: its referee
must call the true steps identities and known-false steps non-identities, every operator must
produce mutants, and the core must accept none of the mutants the referee finds false."""

from dataclasses import replace

import sympy as sp

from bench import soundness
from bench.independent_referee import judge
from derive.core import (
    Partial,
    different,
    indices,
    one_hot,
    open_between,
    positive,
    same,
    scalar,
    softmax_notation,
    sums_to_one,
)
from proofs import BUILTINS

SEED = 7
PER_OPERATOR = 7


def builtin_sources():
    """The built-in derivations' steps (tests/proofs asserts that every one of them holds)."""
    sources = []
    for name, module in BUILTINS.items():
        derivation = module.derivation(4)
        for number, step in enumerate(derivation.steps, start=1):
            step = replace(step, notation=step.notation or derivation.notation)
            sources.append(soundness.Source(f"{name} #{number}", step))
    return sources


def test_the_referee_finds_every_true_builtin_step_an_identity():
    for number, source in enumerate(builtin_sources()):
        finding = soundness.referee(source.step, number)
        assert finding.verdict == "identity", (source.where, finding)


def test_the_referee_finds_known_false_steps_false():
    nt = softmax_notation()
    batch = softmax_notation(examples="N")
    s, z, y, L = nt.softmax, nt.logits, nt.labels, sp.Symbol("L")
    i, j, n = indices("i j n")
    p, T = scalar("p"), scalar("T")
    false_steps = [
        (Partial(s[i], z[j]), -s[i] * s[j], (), nt),  # needs i ≠ j
        (Partial(s[i], z[j]), s[i] - s[i] ** 2, (different(i, j),), nt),  # the i = j case
        (Partial(L, z[i]), s[i] - y[i], (), nt),  # needs Σ y = 1
        (y[i] ** 2, y[i], (sums_to_one(y),), nt),  # needs one-hot
        (s[i] + s[j], sp.Integer(1), (different(i, j),), nt),  # true for K = 2 only
        (Partial(L, batch.logits[n, i]), batch.softmax[n, i] - batch.labels[n, i], (sums_to_one(batch.labels),), batch),
        (sp.log(p * p), 2 * sp.log(p) + 1, (open_between(p, 0, 1),), nt),
        (T * s[i], s[i], (positive(T),), nt),
    ]
    for left, right, cited, notation in false_steps:
        finding = judge(left, right, cited, notation, seed=3)
        assert finding.verdict == "differs", (left, right, finding)
    # and it respects what is cited: the same claims under the hypotheses that make them true
    true_steps = [
        (Partial(s[i], z[j]), -s[i] * s[j], (different(i, j),), nt),
        (Partial(s[i], z[j]), s[i] - s[i] ** 2, (same(i, j),), nt),
        (Partial(L, z[i]), s[i] - y[i], (sums_to_one(y),), nt),
        (y[i] ** 2, y[i], (one_hot(y),), nt),
        (
            Partial(L, batch.logits[n, i]),
            (batch.softmax[n, i] - batch.labels[n, i]) / batch.examples,
            (sums_to_one(batch.labels),),
            batch,
        ),
        (sp.log(p * p), 2 * sp.log(p), (open_between(p, 0, 1),), nt),
    ]
    for left, right, cited, notation in true_steps:
        finding = judge(left, right, cited, notation, seed=3)
        assert finding.verdict == "identity", (left, right, finding)


def test_no_mutant_the_referee_finds_false_is_accepted_by_the_core():
    sources = builtin_sources()
    mutants = soundness.generate(sources, PER_OPERATOR * len(soundness.OPERATORS), SEED)
    produced = {op: sum(m.operator == op for m in mutants) for op in soundness.OPERATORS}
    assert all(produced.values()), produced  # every operator has something to mutate
    findings = [soundness.referee(m.step, SEED + n) for n, m in enumerate(mutants)]
    assert not [(m.change, f) for m, f in zip(mutants, findings) if f.verdict == "unevaluable"]
    false = [m for m, f in zip(mutants, findings) if f.verdict == "differs"]
    assert len(false) >= len(mutants) // 2  # most mutants are real errors, or the test tests nothing
    verdicts = soundness.core_verdicts([m.step for m in false], time_limit=30.0)
    wrong = [(m.operator, m.where, m.change, v) for m, v in zip(false, verdicts) if v[0] not in ("fails", "refused")]
    assert not wrong
