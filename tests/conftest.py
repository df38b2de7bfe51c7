import os

import pytest


def pytest_configure(config):
    """Under pytest-xdist, each test worker runs on a CPU of its own: derive's pool sizes
    itself by the CPUs it may use, so two workers on two cores make two pools of one worker,
    not two pools of two fighting over two cores."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker.startswith("gw") and hasattr(os, "sched_setaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) > 1:
            os.sched_setaffinity(0, {cpus[int(worker[2:]) % len(cpus)]})


@pytest.fixture(autouse=True)
def _a_cache_of_its_own(tmp_path_factory, monkeypatch):
    """Every test gets an empty cache folder: a result kept by one test (or by the user's own
    runs) must never answer for another."""
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path_factory.mktemp("derive-cache")))
