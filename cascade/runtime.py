"""Process-level helpers shared by the stages that handle a whole corpus at once."""
from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


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


def in_child(fn: Callable[..., T], *args: Any) -> Callable[[], T]:
    """Start ``fn(*args)`` in a forked child process; the returned function waits for its result.

    The child sees the parent's memory as it was at the fork, so a large object (the corpus
    graph) is written by the child while the parent writes another file: two cores, no
    copying through a pipe. Where ``fork`` is not available (Windows) or not safe (macOS)
    ``fn`` simply runs here. An exception in the child is raised again by the waiting call.
    """
    if sys.platform in ("win32", "darwin") or "fork" not in mp.get_all_start_methods():
        value = fn(*args)
        return lambda: value
    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def run() -> None:
        try:
            outcome: tuple[bool, Any] = (True, fn(*args))
        except BaseException as e:  # noqa: BLE001 - every failure goes back to the parent
            outcome = (False, e)
        try:
            send.send(outcome)
        except Exception as e:  # noqa: BLE001 - an exception that does not pickle
            send.send((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]} ({e})")))

    for stream in (sys.stdout, sys.stderr):     # else the child would print their buffers again
        with contextlib.suppress(Exception):
            stream.flush()
    child = ctx.Process(target=run, daemon=True)
    child.start()
    send.close()

    def wait() -> T:
        try:
            ok, value = receive.recv()
        except EOFError:
            child.join()
            raise RuntimeError(f"the process running {fn.__name__} stopped (exit code {child.exitcode})") from None
        finally:
            receive.close()
        child.join()
        if not ok:
            raise value
        return value

    return wait
