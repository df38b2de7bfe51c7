"""A check that runs out of time is undecided, never holds, and is really stopped."""

import time

from derive.core import Status, check
from derive.core.limits import run_limited


def _sleep_forever():
    while True:
        time.sleep(1)


def test_a_worker_that_never_ends_is_killed():
    start = time.monotonic()
    (outcome,) = run_limited(_sleep_forever, [()], seconds=0.5)
    assert outcome.kind == "timeout"
    assert time.monotonic() - start < 5


def test_a_step_built_to_be_slow_is_undecided_within_the_limit(v):
    # Expanding a 60th power of five terms takes SymPy minutes.
    base = v.s[v.i] + v.s[v.j] + v.y[v.i] + v.y[v.j]
    start = time.monotonic()
    verdict = check((base + 1) ** 60, (base + 2) ** 60, notation=v.nt, time_limit=1.0)
    assert time.monotonic() - start < 10
    assert verdict.status is Status.UNDECIDED
    assert verdict.strength is None
    assert verdict.label == "undecided"
