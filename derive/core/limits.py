"""Time limits that really stop SymPy: each check runs in a forked worker process, which is
killed when its time is up (a thread cannot interrupt SymPy). Up to ``workers`` checks run
at once, so independent steps use both cores."""

from __future__ import annotations

import multiprocessing
import os
import time
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import wait

__all__ = ["Outcome", "run_limited"]


class Outcome:
    """``kind`` is ``ok`` (with ``value``), ``timeout``, or ``error`` (with ``error``, the
    exception raised in the worker, and ``detail``, its traceback as text)."""

    __slots__ = ("kind", "value", "error", "detail", "seconds")

    def __init__(self, kind, value=None, error=None, detail="", seconds=0.0):
        self.kind, self.value, self.error, self.detail, self.seconds = kind, value, error, detail, seconds


def _child(conn, fn, args):
    try:
        result = ("ok", fn(*args), "")
    except BaseException as exc:  # everything goes back to the parent, which decides
        result = ("error", exc, traceback.format_exc())
    try:
        conn.send(result)
    except Exception as exc:  # an unpicklable result or exception
        conn.send(("error", RuntimeError(f"worker result could not be sent: {exc}"), traceback.format_exc()))
    conn.close()


def _context():
    methods = multiprocessing.get_all_start_methods()
    # fork starts in milliseconds with SymPy already imported; spawn would re-import it.
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_limited(
    fn: Callable,
    tasks: Sequence[tuple],
    seconds: float,
    workers: int | None = None,
    on_done: Callable[[int], None] | None = None,
) -> list[Outcome]:
    """Run ``fn(*task)`` for every task, each in its own worker process with ``seconds`` to
    finish. Results come back in task order."""
    ctx = _context()
    workers = max(1, workers or min(2, os.cpu_count() or 1))
    outcomes: list[Outcome | None] = [None] * len(tasks)
    pending = list(range(len(tasks)))
    running: dict = {}  # connection -> (index, process, started)
    try:
        while pending or running:
            while pending and len(running) < workers:
                index = pending.pop(0)
                parent, child = ctx.Pipe(duplex=False)
                process = ctx.Process(target=_child, args=(child, fn, tasks[index]), daemon=True)
                process.start()
                child.close()
                running[parent] = (index, process, time.monotonic())
            now = time.monotonic()
            soonest = min(started + seconds for _, _, started in running.values())
            ready = wait(list(running), timeout=max(0.0, soonest - now))
            for conn in ready:
                index, process, started = running.pop(conn)
                try:
                    kind, payload, detail = conn.recv()
                except EOFError:
                    kind, payload, detail = "error", RuntimeError("the worker died"), ""
                conn.close()
                process.join()
                took = time.monotonic() - started
                if kind == "ok":
                    outcomes[index] = Outcome("ok", value=payload, seconds=took)
                else:
                    outcomes[index] = Outcome("error", error=payload, detail=detail, seconds=took)
                if on_done:
                    on_done(index)
            now = time.monotonic()
            for conn, (index, process, started) in list(running.items()):
                if now - started >= seconds:
                    process.kill()
                    process.join()
                    conn.close()
                    del running[conn]
                    outcomes[index] = Outcome("timeout", seconds=now - started)
                    if on_done:
                        on_done(index)
    finally:
        for conn, (_, process, _) in running.items():
            process.kill()
            process.join()
            conn.close()
    return outcomes  # type: ignore[return-value]
