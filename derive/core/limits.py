"""Time limits that really stop SymPy: checks run in forked worker processes, and a worker
whose check runs out of time is killed (a thread cannot interrupt SymPy) and replaced.

The workers of one call form a pool that stays warm: each is forked once, after the tasks
exist, and then runs task after task, so SymPy's caches built for one step serve the next
and no step pays for a fork. Up to ``workers`` checks run at once, so independent steps use
both cores. Tasks reach a worker by their number only: it inherited the list when it was
forked, so nothing is pickled on the way in."""

from __future__ import annotations

import multiprocessing
import os
import signal
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


def _serve(conn, fn, tasks):
    """A worker's life: run the task whose number arrives, send back what happened, repeat
    until told to stop (None) or the parent goes away."""
    # Ctrl-C reaches the whole process group: the parent alone answers it (and kills the
    # workers), so that an idle worker does not print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:  # Linux: die with the parent, even in the middle of a task
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # elsewhere the check below stops an idle worker within a second
    parent = os.getppid()
    while True:
        try:
            # A parent killed outside derive's control (SIGKILL, the OOM killer) never says
            # stop, and the pipe need not close (other workers hold its ends): look for it.
            while not conn.poll(1.0):
                if os.getppid() != parent:
                    return
            index = conn.recv()
        except (EOFError, OSError):
            break
        if index is None:
            break
        try:
            result = ("ok", fn(*tasks[index]), "")
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


class _Worker:
    def __init__(self, ctx, fn, tasks):
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_serve, args=(child, fn, tasks), daemon=True)
        self.process.start()
        child.close()
        self.index: int | None = None  # the task it is running
        self.started = 0.0
        self.dead = False

    def give(self, index: int) -> None:
        self.index, self.started = index, time.monotonic()
        self.conn.send(index)

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(timeout=1.0)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _usable_cpus() -> int:
    """The CPUs this process may run on (a CI job or a test worker pinned to one gets a pool
    of one, not one per CPU of the machine)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def run_limited(
    fn: Callable,
    tasks: Sequence[tuple],
    seconds: float,
    workers: int | None = None,
    on_done: Callable[[int], None] | None = None,
    first: Sequence[int] | None = None,
) -> list[Outcome]:
    """Run ``fn(*task)`` for every task in a pool of worker processes, each task with
    ``seconds`` to finish, started in the order ``first`` (by default as given). Results come
    back in task order."""
    if not tasks:
        return []
    ctx = _context()
    size = min(len(tasks), max(1, workers or min(2, _usable_cpus())))
    outcomes: list[Outcome | None] = [None] * len(tasks)
    pending = list(first) if first is not None else list(range(len(tasks)))
    pool = [_Worker(ctx, fn, tasks) for _ in range(size)]

    def finish(worker: _Worker, outcome: Outcome) -> None:
        outcomes[worker.index] = outcome
        if on_done:
            on_done(worker.index)
        worker.index = None

    try:
        while pending or any(w.index is not None for w in pool):
            for worker in pool:
                if worker.index is None and pending:
                    worker.give(pending.pop(0))
            busy = [w for w in pool if w.index is not None]
            soonest = min(w.started + seconds for w in busy)
            ready = wait([w.conn for w in busy], timeout=max(0.0, soonest - time.monotonic()))
            for worker in busy:
                if worker.conn not in ready:
                    continue
                took = time.monotonic() - worker.started
                try:
                    kind, payload, detail = worker.conn.recv()
                except (EOFError, OSError):  # it died mid-task (killed from outside, out of memory)
                    worker.kill()
                    finish(worker, Outcome("error", error=RuntimeError("the worker died"), seconds=took))
                    worker.dead = True
                    continue
                if kind == "ok":
                    finish(worker, Outcome("ok", value=payload, seconds=took))
                else:
                    finish(worker, Outcome("error", error=payload, detail=detail, seconds=took))
            now = time.monotonic()
            for worker in pool:
                if worker.index is not None and now - worker.started >= seconds:
                    worker.kill()
                    finish(worker, Outcome("timeout", seconds=now - worker.started))
                    worker.dead = True
            # A killed worker is replaced only while there is work left for it.
            dead = sum(1 for w in pool if w.dead)
            pool = [w for w in pool if not w.dead]
            pool += [_Worker(ctx, fn, tasks) for _ in range(min(dead, len(pending)))]
    finally:
        for worker in pool:
            if worker.index is not None:
                worker.kill()
            else:
                worker.stop()
    return outcomes  # type: ignore[return-value]
