"""The mutation harness of bench/soundness.py on a small deterministic sample: its referee
must call the true steps identities and known-false steps non-identities (among them the
shapes a red team got past the core: an index used as a number, a polynomial in K or N that
vanishes where the exact witness looks, six pairwise-distinct indices, a fact cited about
another family), every operator must produce mutants, the core must accept none of the
mutants the referee finds false, and the report's counts must add up."""

import itertools
from collections import Counter
from dataclasses import replace

import pytest
import sympy as sp

from bench import soundness
from bench.independent_referee import _counts, judge
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
from derive.proofs import BUILTINS

SEED = 7
PER_OPERATOR = 5


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


def _falling(x, degree):
    return sp.Mul(*[x - m for m in range(1, degree + 1)])


def _red_team_shapes():
    """(name, left, right, cited, notation, why it is false), one or more per new operator."""
    nt = softmax_notation()
    batch = softmax_notation(examples="N")
    s, z, y, K, L = nt.softmax, nt.logits, nt.labels, nt.classes, sp.Symbol("L")
    N = batch.examples
    i, j, a, k, n = indices("i j a k n")
    six = indices("i a b c d e")
    apart = [(p, q) for p, q in itertools.combinations(six, 2)]
    P5, P12 = _falling(K, 5), _falling(K, 12)
    sn = batch.softmax[n, i]
    return [
        # (a) an index used as a number
        ("Σ_a δ_ai (a−1) s_a", sp.Sum(sp.KroneckerDelta(a, i) * (a - 1) * s[a], (a, 1, K)), 0, (), nt, "i = 2"),
        ("(i−1)(j−2) s_i s_j", (i - 1) * (j - 2) * s[i] * s[j], 0, (different(i, j),), nt, "i = 2, j = 1"),
        ("(i−1)⋯(i−12) s_i", _falling(i, 12) * s[i], 0, (), nt, "i = 13, so K ≥ 13"),
        ("Σ_k (k−1)⋯(k−12) s_k", sp.Sum(_falling(k, 12) * s[k], (k, 1, K)), 0, (), nt, "K = 13"),
        ("j s_j", j * s[j], s[j], (), nt, "j = 2"),
        ("2^(j−1) s_j", 2 ** (j - 1) * s[j], s[j], (), nt, "j = 2"),
        # (b) more pairwise-distinct indices than K ≤ 5 holds
        ("Π(1−δ) over six indices", sp.Mul(*[1 - sp.KroneckerDelta(p, q) for p, q in apart]), 0, (), nt, "K = 6"),
        ("s_i + s_a, six cited ≠", s[i] + s[a], s[i], tuple(different(p, q) for p, q in apart), nt, "K = 6"),
        # (c) a polynomial in K or N where the degree sweep does not look
        ("(K−1)⋯(K−12) s_i", P12 * s[i], 0, (), nt, "K = 13"),
        ("(K−1)⋯(K−16) s_i", _falling(K, 16) * s[i], 0, (), nt, "K = 17: beyond the default sweep"),
        ("s_i e^{(K−1)⋯(K−5)}", s[i] * sp.exp(P5), s[i], (), nt, "K = 6"),
        ("s_i e^{(K−1)⋯(K−12) z_i}", s[i] * sp.exp(P12 * z[i]), s[i], (), nt, "K = 13"),
        ("s_i √((K−1)⋯(K−12)² + 1)", s[i] * sp.sqrt(P12**2 + 1), s[i], (), nt, "K = 13"),
        ("s_i + √((K−1)⋯(K−5)²) s_i", s[i] + sp.sqrt(sp.expand(P5**2)) * s[i], s[i], (), nt, "K = 6"),
        ("s_i^(1 + (K−1)⋯(K−5))", s[i] ** (1 + P5), s[i], (), nt, "K = 6"),
        ("(N−1)(N−2)(N−3) s_{n,i}", (N - 1) * (N - 2) * (N - 3) * sn, 0, (), batch, "N = 4"),
        ("(N−1)⋯(N−12) s_{n,i}", _falling(N, 12) * sn, 0, (), batch, "N = 13"),
        ("(K−1)⋯(K−5)(N−1)(N−2) s_{n,i}", P5 * (N - 1) * (N - 2) * sn, 0, (), batch, "K = 6 and N = 3"),
        (
            "∂L/∂z_{n,i} with (N² − 6N + 11)/6 for 1/N",
            Partial(L, batch.logits[n, i]),
            (N**2 - 6 * N + 11) / 6 * (sn - batch.labels[n, i]),
            (sums_to_one(batch.labels),),
            batch,
            "N = 4",
        ),
        # (d) a fact cited about another family
        ("∂L/∂z_i citing Σ_k s_k = 1", Partial(L, z[i]), s[i] - y[i], (sums_to_one(s),), nt, "Σ_k y_k ≠ 1"),
        ("y_i² = y_i citing z one-hot", y[i] ** 2, y[i], (one_hot(z),), nt, "y not one-hot"),
    ]


@pytest.mark.parametrize("shape", _red_team_shapes(), ids=lambda shape: shape[0])
def test_the_referee_finds_the_red_team_shapes_false(shape):
    _, left, right, cited, notation, why = shape
    finding = judge(sp.sympify(left), sp.sympify(right), cited, notation, seed=5)
    assert finding.verdict == "differs", (why, finding)


def test_the_referee_finds_their_true_relatives_identities():
    nt = softmax_notation()
    s, z, y, K, L = nt.softmax, nt.logits, nt.labels, nt.classes, sp.Symbol("L")
    i, j, a = indices("i j a")
    P5 = _falling(K, 5)
    true_steps = [
        (sp.Sum(sp.KroneckerDelta(a, i) * (a - 1) * s[a], (a, 1, K)), (i - 1) * s[i], ()),
        (2**j * s[j] / 2**j, s[j], ()),
        (2 ** (j + 1) * s[j], 2 * 2**j * s[j], ()),
        # (K−1)⋯(K−5) ≥ 0 at every K ≥ 1, so the root of its square is itself: no branch to miss
        (sp.sqrt(sp.expand(P5**2)) * s[i], P5 * s[i], ()),
        (s[i] * sp.sqrt(P5**2 + 1), s[i] * sp.sqrt(sp.expand(P5**2) + 1), ()),
        # a fact about the softmax is true and harmless; the labels' own fact is what the step needs
        (Partial(L, z[i]), s[i] - y[i], (sums_to_one(s), sums_to_one(y))),
        (y[i] ** 2, y[i], (one_hot(z), one_hot(y))),
    ]
    for left, right, cited in true_steps:
        finding = judge(left, right, cited, nt, seed=5)
        assert finding.verdict == "identity", (left, right, finding)


def test_the_referee_sweeps_past_the_degree_a_mutant_inserted():
    nt = softmax_notation()
    batch = softmax_notation(examples="N")
    (i,) = indices("i")
    s = nt.softmax
    # its own estimate of the degree: (K−1)⋯(K−20) is zero up to K = 20, whatever max_classes says
    assert judge(_falling(nt.classes, 20) * s[i], sp.Integer(0), (), nt, seed=5, max_classes=8).verdict == "differs"
    # the degree a mutation says it inserted, when the step itself gives no hint
    sweep = _counts(nt, (), [s[i], s[i]], 8, 3, degree=20)
    assert [K for K, _ in sweep] == list(range(1, 23))
    sweep = _counts(batch, (), [s[i], s[i]], 16, 16, degree=0)
    assert {(K, N) for K, N in sweep} >= {(16, 1), (1, 16), (16, 16), (9, 9)}
    assert max(N for _, N in sweep) == 16


def _without_the_slowest(mutant):
    # Every pair of six indices as a δ takes the core more than 30 s per mutant (undecided):
    # the full run has them, the suite keeps its minutes for the rest.
    return soundness.ALL_PAIRS_AS_DELTA not in mutant.change


@pytest.fixture(scope="module")
def sample():
    sources = builtin_sources()
    mutants = soundness.generate(sources, PER_OPERATOR * len(soundness.OPERATORS), SEED, keep=_without_the_slowest)
    result = soundness.judge_mutants(mutants, SEED, time_limit=30.0, log=lambda *_: None)
    result.update(sources=sources, source_problems=[], seconds=0.0)
    return result


def test_every_operator_makes_mutants_the_referee_can_judge(sample):
    produced = Counter(m.operator for m in sample["mutants"])
    assert set(produced) == set(soundness.OPERATORS), produced
    unevaluable = [(m.change, f) for m, f in zip(sample["mutants"], sample["findings"]) if f.verdict == "unevaluable"]
    assert not unevaluable
    false = [f for f in sample["findings"] if f.verdict == "differs"]
    assert len(false) >= len(sample["mutants"]) // 2  # most mutants are real errors, or the test tests nothing


@pytest.mark.parametrize("operator", soundness.OPERATORS)
def test_no_mutant_the_referee_finds_false_is_accepted_by_the_core(sample, operator):
    wrong = []
    for n, m in enumerate(sample["mutants"]):
        if m.operator == operator and sample["findings"][n].verdict != "identity":
            verdict = sample["core"][n]
            if verdict[0] not in ("fails", "refused"):
                wrong.append((m.where, m.change, verdict))
    assert not wrong


def test_the_counts_add_up(sample, capsys):
    total = soundness.totals(sample)
    assert total["equivalent"] + total["rejected"] + total["accepted"] == total["generated"]
    assert total["generated"] == len(sample["mutants"])
    for row in soundness.table(sample).values():
        assert row["equivalent"] + row["rejected"] + row["accepted"] == row["generated"]
        assert row["refused"] + row["undecided"] + row["error"] <= row["rejected"]
    assert soundness.report(sample) == (1 if total["accepted"] else 0)
    last = capsys.readouterr().out.strip().splitlines()[-1]
    g, e, r, a = (total[c] for c in ("generated", "equivalent", "rejected", "accepted"))
    assert last == f"mutants: {g} generated, {e} equivalent, {r} rejected, {a} accepted"


def test_unevaluable_and_undecided_mutants_are_counted_not_dropped():
    from bench.independent_referee import Finding

    nt = softmax_notation()
    (i,) = indices("i")
    step = soundness.Step(nt.softmax[i], nt.softmax[i], notation=nt)
    cases = [  # (referee, core, counted as)
        (Finding("identity", 9), None, "equivalent"),
        (Finding("differs", 1), ("fails", ""), "rejected"),
        (Finding("differs", 1), ("refused", ""), "rejected"),
        (Finding("differs", 1), ("undecided", ""), "rejected"),
        (Finding("differs", 1), ("error", ""), "rejected"),
        (Finding("differs", 1), ("holds", ""), "accepted"),
        (Finding("unevaluable", 0), ("refused", ""), "rejected"),
        (Finding("unevaluable", 0), ("holds", ""), "accepted"),  # nothing vouches for it
    ]
    mutants = [soundness.Mutant("sign", "here", f"case {n}", step) for n in range(len(cases))]
    findings = [f for f, _, _ in cases]
    core = {n: c for n, (_, c, _) in enumerate(cases) if c is not None}
    outcome = {n: soundness.classify(f, c) for n, (f, c, _) in enumerate(cases)}
    assert [outcome[n] for n in range(len(cases))] == [kind for _, _, kind in cases]
    result = {"mutants": mutants, "findings": findings, "core": core, "outcome": outcome, "sources": [], "seconds": 0}
    result["source_problems"] = []
    row = soundness.table(result)["sign"]
    assert (row["generated"], row["equivalent"], row["rejected"], row["accepted"]) == (8, 1, 5, 2)
    assert (row["refused"], row["undecided"], row["error"], row["unevaluable"]) == (2, 1, 1, 2)
    lines = []
    assert soundness.report(result, log=lines.append) == 1
    assert lines[-1] == "mutants: 8 generated, 1 equivalent, 5 rejected, 2 accepted"
    assert any(line.startswith("unevaluable: 2 ") and "1 rejected, 1 accepted" in line for line in lines)


# What the full run (python bench/soundness.py, default settings) found the core accepting.
# Each was accepted by the core when the full run found it (an index pattern the numeric
# sweep never tried, i = j at a K past the exact reach); each must stay rejected.
FOUND_ACCEPTED = [
    pytest.param(
        "examples/softmax-jacobian.md #16",  # #15 before the inline e^{z_j}/S = s_j was read
        "index-number",
        "next: + (i−1)⋯(i−12)·(1{i=j})",
        id="index-number: (i−1)⋯(i−12)·1{i=j}",
    ),
    pytest.param(
        "softmax-temperature #2",
        "hidden-K",
        "next: Σ_k (the side's sum #2 over 1..K) body b → b + (K−1)⋯(K−5)·b",
        id="hidden-K: (K−1)⋯(K−5) inside a sum's body",
    ),
    pytest.param(
        "examples/handwritten-notes.md #7",
        "hidden-K",
        "next: + (n−1)⋯(n−5)·(KroneckerDelta(i, j))",
        id="hidden-K: (K−1)⋯(K−5)·δ_ij added",
    ),
]


@pytest.mark.parametrize(("where", "operator", "change"), FOUND_ACCEPTED)
def test_the_core_rejects_what_the_full_run_found_accepted(where, operator, change):
    source = next(s for s in soundness.candidate_sources() if s.where == where)
    (mutant,) = [m for m in soundness.mutations(source, operator) if m.change == change]
    assert soundness.referee(mutant.step, 1, mutant.degree).verdict == "differs"
    (verdict,) = soundness.core_verdicts([mutant.step], time_limit=30.0)
    assert verdict[0] in ("fails", "refused"), verdict
