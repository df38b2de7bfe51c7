"""The verdict cache: a step that held is read back instead of checked again, and anything
that could change its verdict (either side, a cited hypothesis, the notation, the core's own
source) makes a different key. Only steps that hold are kept."""

import json
import shutil
from pathlib import Path

from derive.core import Partial, Status, Step, VerdictCache, check_derivation, different, same, softmax_notation
from derive.core import cache as cache_module
from derive.core.verdict import Derivation


def _checked(v, cache, *steps, notation=None):
    return check_derivation(Derivation("t", "t", notation or v.nt, tuple(steps)), cache=cache).verdicts


def _jacobian_case(v, right=None, cites=None):
    s, z, i, j = v.s, v.z, v.i, v.j
    return Step(
        Partial(s[i], z[j]),
        right if right is not None else -s[i] * s[j],
        (different(i, j),) if cites is None else cites,
    )


def test_a_step_that_held_is_read_back_with_the_same_verdict(v, tmp_path):
    cache = VerdictCache(tmp_path)
    (first,) = _checked(v, cache, _jacobian_case(v))
    (again,) = _checked(v, cache, _jacobian_case(v))
    assert first.holds and not first.cached
    assert again.cached
    assert (again.status, again.strength, again.label, again.needed, again.witnesses) == (
        first.status, first.strength, first.label, first.needed, first.witnesses,
    )  # fmt: skip


def test_a_changed_step_is_checked_again_and_a_false_change_fails(v, tmp_path):
    cache = VerdictCache(tmp_path)
    _checked(v, cache, _jacobian_case(v))
    s, i, j = v.s, v.i, v.j
    for wrong in (s[i] * s[j], -s[i] * s[i], -s[j] * s[j] + 0 * s[i], -(s[i] ** 2) * s[j]):
        (verdict,) = _checked(v, cache, _jacobian_case(v, right=wrong))
        assert not verdict.cached
        assert verdict.status is Status.FAILS, wrong


def test_the_cited_hypotheses_are_part_of_the_key(v, tmp_path):
    cache = VerdictCache(tmp_path)
    _checked(v, cache, _jacobian_case(v))
    (without_case,) = _checked(v, cache, _jacobian_case(v, cites=()))
    assert not without_case.cached and without_case.status is Status.FAILS
    (other_case,) = _checked(v, cache, _jacobian_case(v, cites=(same(v.i, v.j),)))
    assert not other_case.cached and other_case.status is Status.FAILS


def test_the_notation_is_part_of_the_key(v, tmp_path):
    cache = VerdictCache(tmp_path)
    step = _jacobian_case(v)
    _checked(v, cache, step)
    hot = softmax_notation(temperature="T")  # the same letters, a softmax with temperature
    assert VerdictCache(tmp_path).key(step, hot, 5, 2) != VerdictCache(tmp_path).key(step, v.nt, 5, 2)
    assert VerdictCache(tmp_path).key(step, v.nt, 4, 2) != VerdictCache(tmp_path).key(step, v.nt, 5, 2)


def test_a_change_to_the_core_makes_every_key_new(v, tmp_path, monkeypatch):
    cache = VerdictCache(tmp_path)
    step = _jacobian_case(v)
    _checked(v, cache, step)
    before = cache.key(step, v.nt, 5, 2)
    monkeypatch.setattr(cache_module, "core_version", lambda: "a-changed-core")
    changed = VerdictCache(tmp_path)
    assert changed.key(step, v.nt, 5, 2) != before
    (verdict,) = _checked(v, changed, step)
    assert verdict.holds and not verdict.cached


def test_the_core_version_is_a_hash_of_the_core_source(tmp_path, monkeypatch):
    folder = Path(cache_module.__file__).parent
    copy = tmp_path / "core"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert cache_module.source_hash(copy) == cache_module.source_hash(folder)
    checking = copy / "checking.py"
    checking.write_text(checking.read_text() + "\n# a comment is a change too\n")
    assert cache_module.source_hash(copy) != cache_module.source_hash(folder)
    before, real = cache_module.core_version(), cache_module.source_hash
    monkeypatch.setattr(cache_module, "source_hash", lambda _folder: "another source")
    cache_module.core_version.cache_clear()
    try:
        assert cache_module.core_version() != before
    finally:
        monkeypatch.setattr(cache_module, "source_hash", real)
        cache_module.core_version.cache_clear()
    assert cache_module.core_version() == before


def test_failed_and_undecided_steps_are_never_kept(v, tmp_path):
    cache = VerdictCache(tmp_path)
    wrong = _jacobian_case(v, right=v.s[v.i] * v.s[v.j])
    slow_base = v.s[v.i] + v.s[v.j] + v.y[v.i] + v.y[v.j]
    slow = Step((slow_base + 1) ** 60, (slow_base + 2) ** 60)
    first = check_derivation(Derivation("t", "t", v.nt, (wrong, slow)), cache=cache, time_limit=3.0).verdicts
    assert [x.status for x in first] == [Status.FAILS, Status.UNDECIDED]
    assert not list(tmp_path.rglob("*.json"))
    (again,) = _checked(v, cache, wrong)
    assert not again.cached and again.counterexample is not None


def test_an_entry_that_does_not_read_back_is_a_miss(v, tmp_path):
    cache = VerdictCache(tmp_path)
    step = _jacobian_case(v)
    _checked(v, cache, step)
    (entry,) = tmp_path.rglob("*.json")
    good = json.loads(entry.read_text())
    for broken in ("{not json", json.dumps({**good, "strength": "certain"}), json.dumps({**good, "needed": [7]}),
                   json.dumps({**good, "needed": [-1]}), json.dumps({**good, "cited": 3}), "[" * 100_000,
                   json.dumps({**good, "checked_up_to": 1e400})):  # fmt: skip
        entry.write_text(broken)
        (verdict,) = _checked(v, VerdictCache(tmp_path), step)
        assert verdict.holds and not verdict.cached, broken


def test_the_core_version_changes_with_sympy(monkeypatch):
    before, real = cache_module.core_version(), cache_module.sp.__version__
    monkeypatch.setattr(cache_module.sp, "__version__", "0.0-another")
    cache_module.core_version.cache_clear()
    try:
        assert cache_module.core_version() != before
    finally:
        monkeypatch.setattr(cache_module.sp, "__version__", real)
        cache_module.core_version.cache_clear()
    assert cache_module.core_version() == before
