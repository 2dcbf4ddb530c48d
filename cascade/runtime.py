"""Process-level helpers shared by the stages that handle a whole corpus at once."""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


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
