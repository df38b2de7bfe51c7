"""The CI-sized fuzzing: the strategies and oracle of bench/fuzz.py (bench/fuzzing.py) with a
few dozen examples each. Every run of derive check ends with exit 0, 1 or 2, no exception
escapes, no traceback, every error is one line naming the file and a place, and no run takes
longer than its steps' time limit plus start-up. A block that begins with '=' right after a
change of case or a block not checked is listed as skipped: a chain is never continued
across either."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest
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
# The README's test command runs a third of the examples (the suite stays within minutes);
# .ci/run sets DERIVE_FUZZ_FULL and runs them all.
FULL = bool(os.environ.get("DERIVE_FUZZ_FULL"))


def examples(count: int) -> int:
    return count if FULL else max(4, count // 3)


CI = settings(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)


def _assert_sound(tmp_path, case):
    outcome = fuzzing.run_case(case, tmp_path, TIME_LIMIT, ALLOWANCE)
    assert not outcome.problems, (case, outcome.problems, outcome.stderr[-500:])


@settings(CI, max_examples=examples(60))
@given(case=fuzzing.cases())
def test_every_kind_of_input_ends_cleanly(tmp_path, case):
    _assert_sound(tmp_path, case)


@settings(CI, max_examples=examples(8))  # a whole example that still reads takes seconds to check
@given(text=st.sampled_from(sorted(fuzzing.EXAMPLES.values())).flatmap(fuzzing.mutated))
def test_mutated_examples_never_crash(tmp_path, text):
    _assert_sound(tmp_path, fuzzing.Case("fuzz.md", fuzzing._encode(text)))


@settings(CI, max_examples=examples(30))
@given(text=fuzzing.fragment().flatmap(fuzzing.broken_header))
def test_broken_headers_are_one_line_errors(tmp_path, text):
    _assert_sound(tmp_path, fuzzing.Case("fuzz.md", fuzzing._encode(text)))


@settings(CI, max_examples=examples(30))
@given(text=fuzzing.fragment().flatmap(fuzzing.broken_directive))
def test_broken_directives_are_one_line_errors(tmp_path, text):
    _assert_sound(tmp_path, fuzzing.Case("fuzz.md", fuzzing._encode(text)))


@settings(CI, max_examples=examples(12))
@given(case=fuzzing.notebook_case())
def test_broken_notebooks_are_one_line_errors(tmp_path, case):
    _assert_sound(tmp_path, case)


@settings(CI, max_examples=examples(60))
@given(text=fuzzing.random_text(), suffix=st.sampled_from([".md", ".tex"]))
def test_random_text_never_crashes(tmp_path, text, suffix):
    _assert_sound(tmp_path, fuzzing.Case("fuzz" + suffix, fuzzing._encode(text)))


@settings(CI, max_examples=examples(12))  # an example, or an excerpt of one, with a chain broken between two blocks
@given(case=fuzzing.chain_case())
def test_chains_broken_between_blocks_end_cleanly(tmp_path, case):
    _assert_sound(tmp_path, case)


@settings(CI, max_examples=examples(40))
@given(case=fuzzing.red_team_case().filter(lambda case: fuzzing.known_bug(case.data) is None))
def test_the_red_team_crash_shapes_end_cleanly(tmp_path, case):
    _assert_sound(tmp_path, case)


_CHAIN = "$$\nz_i = z_i\n$$\n{}$$\n= z_i\n$$\n\n$$\ns_i = s_i\n$$\n"


@pytest.mark.parametrize(
    "between, what",
    [
        ("<!-- derive: case i \\neq j -->\n", "case"),
        ("\n## Other case\n\n", "heading"),
        ("\nOther case\n---\n\n", "setext"),
        ("<!-- derive: skip -->\n$$ s_i = x y \\text{ in prose} $$\n", "skip"),
        ("text $s_i = \\foo{x}$ text\n", "unread"),
        ("text $N = 1$ text\n", "unread"),
        ("$$ \\foo{x} + $$\n", "unread"),
    ],
)
def test_a_continuation_across_a_break_is_listed_as_skipped(tmp_path, between, what):
    text = _CHAIN.format(between)
    line = text[: text.index("$$\n= z_i")].count("\n") + 1
    case = fuzzing.Case("fuzz.md", text.encode(), (), (line, 3, what))
    outcome = fuzzing.run_case(case, tmp_path, TIME_LIMIT, ALLOWANCE)
    assert not outcome.problems, (outcome.problems, outcome.stdout)
    assert outcome.chain == "asserted", outcome.chain
    # the rest is checked; the continuation was not (exit 2: the user has it to fix)
    assert outcome.exit_code == 2 and "2 checked" in outcome.stdout, outcome.stdout


def test_chain_text_places_the_continuation_where_derive_does():
    # The place chain_text computes for the block is the one derive lists it at.
    text = "$$\nz_i = z_i\n$$\n\n$$\ns_i = s_i\n$$\n"
    assert fuzzing._place(text, text.index("$$\ns_i") + 2) == (5, 3)
    assert fuzzing._continuation("$$\ns_i = z_i = y_i\n$$", "cut") == "$$\n= z_i = y_i\n$$"
    assert fuzzing._continuation("$$\ns_i = z_i\n$$", "prefix") == "$$\n= s_i = z_i\n$$"
    aligned = "\\begin{align*}\n\\frac{a}{b} &= c \\\\\n&= d\n\\end{align*}"
    assert fuzzing._continuation(aligned, "prefix") == "\\begin{align*}\n= c \\\\\n&= d\n\\end{align*}"
    assert fuzzing._case_before("<!-- derive: case i = j -->\n$$ $$\n## H\n", 30, "md") == "i = j"
    assert fuzzing._case_before("<!-- derive: case i = j -->\n$$ $$\n## H\n$$", 40, "md") == ""


def test_the_oracle_sees_a_continuation_that_is_checked_across_a_break(tmp_path):
    # Nothing breaks this chain, so derive checks the block; the case claims it must be skipped.
    case = fuzzing.Case("fuzz.md", b"$$\nz_i = z_i\n$$\n$$\n= z_i\n$$\n", (), (4, 3, "case"))
    outcome = fuzzing.run_case(case, tmp_path, TIME_LIMIT, ALLOWANCE)
    assert any("not listed as skipped" in problem for problem in outcome.problems), outcome.problems


def test_the_oracle_sees_an_escaped_exception(tmp_path, monkeypatch):
    # CliRunner catches exceptions: without looking at result.exception a crash passes as exit 1.
    import derive.read.derivation as derivation

    def crash(path, data=None, notation=None, explain=False, input_format=None, **more):
        raise IndexError("list index out of range")

    monkeypatch.setattr(derivation, "read_derivation", crash)
    outcome = fuzzing.run_case(fuzzing.Case("fuzz.md", b"$$ s_i = s_i $$"), tmp_path, TIME_LIMIT, ALLOWANCE)
    assert any("IndexError" in problem for problem in outcome.problems), outcome.problems


def test_the_oracle_sees_an_error_without_a_place(tmp_path, monkeypatch):
    import derive.read.derivation as derivation
    from derive.core import VocabularyError

    def refuse(path, data=None, notation=None, explain=False):
        raise VocabularyError("no place")

    monkeypatch.setattr(derivation, "read_derivation", refuse)
    outcome = fuzzing.run_case(fuzzing.Case("fuzz.md", b"$$ s_i = s_i $$"), tmp_path, TIME_LIMIT, ALLOWANCE)
    assert any("not one error with a place" in problem for problem in outcome.problems), outcome.problems
