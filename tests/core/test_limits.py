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


def _pid():
    import os

    return os.getpid()


def _die():
    import os

    os._exit(1)


def _square(x):
    return x * x


def test_the_pool_stays_warm_one_worker_runs_task_after_task():
    import os

    outcomes = run_limited(_pid, [()] * 4, seconds=10, workers=1)
    pids = {o.value for o in outcomes}
    assert len(pids) == 1 and os.getpid() not in pids


def test_after_a_timeout_a_fresh_worker_runs_the_rest():
    outcomes = run_limited(
        lambda x: _sleep_forever() if x is None else _square(x), [(None,), (3,), (4,)], seconds=0.5, workers=1
    )
    assert [o.kind for o in outcomes] == ["timeout", "ok", "ok"]
    assert [o.value for o in outcomes[1:]] == [9, 16]


def test_a_worker_that_dies_is_an_error_and_is_replaced():
    outcomes = run_limited(lambda x: _die() if x is None else _square(x), [(None,), (5,)], seconds=10, workers=1)
    assert outcomes[0].kind == "error" and "died" in str(outcomes[0].error)
    assert outcomes[1].kind == "ok" and outcomes[1].value == 25


def test_results_come_back_in_task_order_whatever_the_start_order():
    outcomes = run_limited(_square, [(n,) for n in range(6)], seconds=10, first=[5, 4, 3, 2, 1, 0])
    assert [o.value for o in outcomes] == [n * n for n in range(6)]


def test_a_replaced_worker_is_forked_only_for_work_left():
    import multiprocessing

    outcomes = run_limited(_die_later, [()] * 3, seconds=10, workers=2)
    assert [o.kind for o in outcomes] == ["error"] * 3
    assert multiprocessing.active_children() == []


def _die_later():
    import os

    time.sleep(0.3)
    os._exit(1)


_ORPHAN_SCRIPT = """
import os, sys, time
sys.path.insert(0, {root!r})
from derive.core.limits import run_limited

def task(n):
    open(os.path.join({folder!r}, f"{{n}}-{{os.getpid()}}"), "w").close()
    if n:
        time.sleep(60)  # busy when the parent dies
    return n

run_limited(task, [(0,), (1,)], seconds=120, workers=2)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_workers_do_not_outlive_a_parent_killed_from_outside(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    import pytest

    if not Path("/proc").is_dir():
        pytest.skip("needs /proc to see the workers (Linux)")
    root = str(Path(__file__).resolve().parents[2])
    script = _ORPHAN_SCRIPT.format(root=root, folder=str(tmp_path))
    parent = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 60
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = [int(p.name.split("-")[1]) for p in tmp_path.iterdir()]
    assert len(pids) == 2
    time.sleep(0.3)  # the first worker is idle now, the second busy
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in pids)
