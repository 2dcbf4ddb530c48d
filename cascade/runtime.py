"""Process-level helpers shared by the stages that handle a whole corpus at once."""
from __future__ import annotations

import collections
import contextlib
import gc
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing import connection as mp_connection
from pathlib import Path
from typing import Any, NamedTuple


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for a block that makes millions of small objects.

    Records, graph nodes and triples are acyclic; every collection the allocations would
    trigger walks all of them again (about half of resolution and graph building on a
    national corpus). The collector's previous state is restored on exit.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class Interrupted(NamedTuple):
    """A task that did not finish: the item it was on and why (a time budget, a dead worker)."""

    item: int
    reason: str


#: the signals held while a worker is forked
_HELD = {signal.SIGTERM, signal.SIGINT}


def _hold_signals() -> bool:
    """Hold SIGTERM and SIGINT in this thread (where the platform can); True when they were held."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        return False
    signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    return True


#: the collector's thresholds in a worker (young, middle, old generation; the default is 700, 10, 10)
WORKER_GC = (20_000, 20, 20)


def _serve(fn: Callable[[Any, Callable[[int], None]], Any], conn: Any, slot: int, ticks: Any,
           items: Any, steps: Any) -> None:
    """A worker process: run ``fn`` on each task received until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)           # the main process handles Ctrl-C and ends us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)          # not the parent's handler; forked with it held
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    _die_with_parent()
    # The collector never walks what the worker inherited (modules, compiled patterns, the gazetteer)
    # and runs less often: extraction makes many short-lived objects and few cycles, and the young
    # generation's default of 700 had the worker walking its caches over and over.
    gc.freeze()
    gc.set_threshold(*WORKER_GC)

    def tick(i: int) -> None:
        if ticks[slot] and items[slot] == i:              # the item is under way: one more step of it
            steps[slot] += 1
        items[slot] = i
        ticks[slot] = time.monotonic()

    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        try:
            outcome: tuple[bool, Any] = (True, fn(task, tick))
        except Exception as e:  # noqa: BLE001 - every failure goes back to the main process
            outcome = (False, e)
        ticks[slot] = 0.0
        try:
            conn.send(outcome)
        except OSError:                                     # the main process is gone
            return
        except Exception as e:  # noqa: BLE001 - a result that does not pickle
            try:
                conn.send((False, RuntimeError(f"{type(e).__name__}: {e}")))
            except OSError:
                return


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this process when its parent dies (even by SIGKILL)."""
    if sys.platform != "linux":
        return
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)      # PR_SET_PDEATHSIG


@contextlib.contextmanager
def terminate_as_exception(message: str) -> Iterator[None]:
    """Within the block, SIGTERM raises ``RuntimeError(message)`` in the main thread instead of
    ending the process at once, so that ``finally`` blocks (temporary files, workers) run."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise TerminatedError(message)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class TerminatedError(RuntimeError):
    """The process was asked to stop (SIGTERM) while it was in :func:`terminate_as_exception`."""


class WorkerPool:
    """Worker processes that run ``fn(task, tick)`` with a time budget for each item of a task.

    ``fn`` calls ``tick(i)`` as it starts item ``i`` of its task, and again at each step of a
    long item (an OCR page), which renews its budget and counts in :meth:`steps`. An item that runs longer
    than ``budget`` seconds has its worker killed and replaced: :meth:`results` yields the
    task with :class:`Interrupted` (the item, the reason) and the caller may :meth:`submit`
    what was left. A worker that dies is reported the same way. Workers are killed when the
    pool is closed, on every exit path (use it as a context manager). On Linux the workers
    are forked, so they start at once with everything the parent imported.
    """

    def __init__(self, fn: Callable[[Any, Callable[[int], None]], Any], workers: int,
                 budget: float | None = None) -> None:
        methods = mp.get_all_start_methods()
        self._ctx: Any = mp.get_context("fork" if "fork" in methods and sys.platform == "linux" else "spawn")
        self._fn, self._budget = fn, budget
        self._ticks = self._ctx.RawArray("d", workers)
        self._items = self._ctx.RawArray("i", workers)
        self._steps = self._ctx.RawArray("q", workers)       # steps of long items, per slot, ever
        self._slots: list[tuple[Any, Any] | None] = [None] * workers
        self._busy: dict[int, Any] = {}                       # slot -> its task
        self._queue: collections.deque[Any] = collections.deque()

    def _start(self, slot: int) -> tuple[Any, Any]:
        parent, child = self._ctx.Pipe()
        self._ticks[slot] = 0.0
        for stream in (sys.stdout, sys.stderr):     # else the child would print their buffers again
            with contextlib.suppress(Exception):
                stream.flush()
        proc = self._ctx.Process(target=_serve, args=(self._fn, child, slot, self._ticks, self._items,
                                                      self._steps), daemon=True)
        # a SIGTERM or Ctrl-C arriving during the fork would run its handler inside the fork hooks,
        # where the exception is lost (and printed): hold both until the worker is started and recorded
        blocked = _hold_signals()
        try:
            proc.start()
            child.close()
            self._slots[slot] = (proc, parent)
        finally:
            if blocked:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
        return proc, parent

    def _stop(self, slot: int) -> None:
        entry = self._slots[slot]
        self._slots[slot] = None
        if entry is None:
            return
        proc, conn = entry
        with contextlib.suppress(Exception):
            conn.close()
        if proc.is_alive():
            proc.kill()
        proc.join()

    def submit(self, task: Any) -> None:
        """Queue a task (also while :meth:`results` runs)."""
        self._queue.append(task)

    def steps(self) -> int:
        """How many steps of long items (OCR pages) the workers have reported so far."""
        return sum(self._steps)

    def results(self, every_second: Callable[[], None] | None = None) -> Iterator[tuple[Any, bool, Any]]:
        """(task, ok, value) for every task as it finishes: ``ok`` with its result, else the
        exception ``fn`` raised or an :class:`Interrupted`. ``every_second`` is called about
        once a second while tasks run (to show :meth:`steps` on a progress bar)."""
        while self._queue or self._busy:
            if every_second is not None:
                every_second()
            for slot in range(len(self._slots)):
                if slot not in self._busy and self._queue:
                    _, conn = self._slots[slot] or self._start(slot)
                    task = self._queue.popleft()
                    self._busy[slot] = task
                    conn.send(task)
            owner: dict[Any, int] = {}                            # pipe or process sentinel -> slot
            for s in self._busy:
                proc, conn = self._slots[s]                       # type: ignore[misc]
                owner[conn] = owner[proc.sentinel] = s
            ready = mp_connection.wait(list(owner), timeout=1.0 if self._budget or every_second else None)
            done: set[int] = set()
            for r in ready:
                slot = owner[r]
                if slot in done:
                    continue
                done.add(slot)
                task = self._busy.pop(slot)
                proc, conn = self._slots[slot]                    # type: ignore[misc]
                try:
                    ok, value = conn.recv()
                except (EOFError, OSError):
                    proc.join(5)
                    why = f"its worker stopped (exit code {proc.exitcode})"
                    ok, value = False, Interrupted(self._items[slot], why)
                    self._stop(slot)
                yield task, ok, value
            if self._budget:
                now = time.monotonic()
                for slot in list(self._busy):
                    started = self._ticks[slot]
                    if started and now - started > self._budget:
                        task = self._busy.pop(slot)
                        item = self._items[slot]
                        self._stop(slot)
                        yield task, False, Interrupted(item, f"took longer than {self._budget:g} s")

    def close(self) -> None:
        """Kill every worker."""
        for slot in range(len(self._slots)):
            self._stop(slot)
        self._busy.clear()
        self._queue.clear()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def keep_until_exit(obj: object) -> None:
    """Let ``obj`` live until the process ends, and never spend time freeing it.

    A command that built or loaded millions of objects would otherwise free them one by
    one as it returns (seconds on a national corpus). ``obj`` is put in a reference cycle
    that the garbage collector is told to leave alone (``gc.freeze``): the interpreter
    ends without walking or freeing it. Files are flushed and closed as usual.
    """
    holder: list[object] = [obj]
    holder.append(holder)
    gc.freeze()


def cache_put(entry: Path, data: bytes) -> None:
    """Write ``data`` to the cache file ``entry`` through a temporary file and a rename.

    Best effort: a cache that cannot be written is no cache, never an error (the work is
    simply done again next time).
    """
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, entry)
    except OSError:
        pass
