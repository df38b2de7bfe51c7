"""The CI-sized fuzzing: the strategies and oracle of bench/fuzz.py (bench/fuzzing.py) with a
few dozen examples each. Every run of derive check ends with exit 0, 1 or 2, no exception
escapes, no traceback, every error is one line naming the file and a place, and no run takes
longer than its steps' time limit plus start-up."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]


def _load_fuzzing():
    if "fuzzing" not in sys.modules:  # bench/ is not a package; the bench script loads it the same way
        spec = importlib.util.spec_from_file_location("fuzzing", ROOT / "bench" / "fuzzing.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["fuzzing"] = module
        spec.loader.exec_module(module)
    return sys.modules["fuzzing"]


fuzzing = _load_fuzzing()

TIME_LIMIT = 2.0
ALLOWANCE = 10.0  # shared CI machines; the bench run uses 5 s
CI = settings(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)


def _assert_sound(tmp_path, case):
    outcome = fuzzing.run_case(case, tmp_path, TIME_LIMIT, ALLOWANCE)
    assert not outcome.problems, (case, outcome.problems, outcome.stderr[-500:])


@settings(CI, max_examples=60)
@given(case=fuzzing.cases())
def test_every_kind_of_input_ends_cleanly(tmp_path, case):
    _assert_sound(tmp_path, case)


@settings(CI, max_examples=8)  # a whole example that still reads takes seconds to check
@given(text=st.sampled_from(sorted(fuzzing.EXAMPLES.values())).flatmap(fuzzing.mutated))
def test_mutated_examples_never_crash(tmp_path, text):
    _assert_sound(tmp_path, fuzzing.Case("fuzz.md", fuzzing._encode(text)))


@settings(CI, max_examples=30)
@given(text=fuzzing.fragment().flatmap(fuzzing.broken_header))
def test_broken_headers_are_one_line_errors(tmp_path, text):
    _assert_sound(tmp_path, fuzzing.Case("fuzz.md", fuzzing._encode(text)))


@settings(CI, max_examples=30)
@given(text=fuzzing.fragment().flatmap(fuzzing.broken_directive))
def test_broken_directives_are_one_line_errors(tmp_path, text):
    _assert_sound(tmp_path, fuzzing.Case("fuzz.md", fuzzing._encode(text)))


@settings(CI, max_examples=12)
@given(case=fuzzing.notebook_case())
def test_broken_notebooks_are_one_line_errors(tmp_path, case):
    _assert_sound(tmp_path, case)


@settings(CI, max_examples=60)
@given(text=fuzzing.random_text(), suffix=st.sampled_from([".md", ".tex"]))
def test_random_text_never_crashes(tmp_path, text, suffix):
    _assert_sound(tmp_path, fuzzing.Case("fuzz" + suffix, fuzzing._encode(text)))


def test_the_oracle_sees_an_escaped_exception(tmp_path, monkeypatch):
    # CliRunner catches exceptions: without looking at result.exception a crash passes as exit 1.
    import derive.read.derivation as derivation

    def crash(path, data=None):
        raise IndexError("list index out of range")

    monkeypatch.setattr(derivation, "read_derivation", crash)
    outcome = fuzzing.run_case(fuzzing.Case("fuzz.md", b"$$ s_i = s_i $$"), tmp_path, TIME_LIMIT, ALLOWANCE)
    assert any("IndexError" in problem for problem in outcome.problems), outcome.problems


def test_the_oracle_sees_an_error_without_a_place(tmp_path, monkeypatch):
    import derive.read.derivation as derivation
    from derive.core import VocabularyError

    def refuse(path, data=None):
        raise VocabularyError("no place")

    monkeypatch.setattr(derivation, "read_derivation", refuse)
    outcome = fuzzing.run_case(fuzzing.Case("fuzz.md", b"$$ s_i = s_i $$"), tmp_path, TIME_LIMIT, ALLOWANCE)
    assert any("not one error with a place" in problem for problem in outcome.problems), outcome.problems
