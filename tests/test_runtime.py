"""runtime: the garbage collector pause and the worker pool."""
import gc
import os

from cascade.runtime import paused_gc


def test_paused_gc_restores_the_previous_state():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def _items(task, tick):
    """A task is a list of items: numbers are squared, "hang" never ends, "die" ends the process."""
    out = []
    for i, item in enumerate(task):
        tick(i)
        if item == "hang":
            import time
            time.sleep(3600)
        if item == "die":
            os._exit(7)
        if item == "fail":
            raise ValueError("a failing task")
        out.append(item * item)
    return out


def test_worker_pool_runs_every_task():
    from cascade.runtime import WorkerPool

    with WorkerPool(_items, 2) as pool:
        for t in ([1, 2], [3], [4, 5, 6]):
            pool.submit(t)
        got = {tuple(task): value for task, ok, value in pool.results() if ok}
    assert got == {(1, 2): [1, 4], (3,): [9], (4, 5, 6): [16, 25, 36]}


def test_worker_pool_reports_an_item_over_budget_a_dead_worker_and_a_failure_and_goes_on():
    from cascade.runtime import Interrupted, WorkerPool

    with WorkerPool(_items, 2, budget=0.5) as pool:
        for t in ([1, "hang", 2], [3, "die"], ["fail"], [4]):
            pool.submit(t)
        outcomes = {tuple(task): (ok, value) for task, ok, value in pool.results()}
        pool.submit([5])                                   # the pool still works afterwards
        assert [v for _, ok, v in pool.results()] == [[25]]
    assert outcomes[(1, "hang", 2)] == (False, Interrupted(1, "took longer than 0.5 s"))
    assert outcomes[(3, "die")] == (False, Interrupted(1, "its worker stopped (exit code 7)"))
    ok, error = outcomes[("fail",)]
    assert not ok and isinstance(error, ValueError)
    assert outcomes[(4,)] == (True, [16])


def _paged(task, tick):
    """Items are page counts: an item of n pages calls ``tick`` again at each page after its start."""
    for i, pages in enumerate(task):
        tick(i)
        for _ in range(pages):
            tick(i)
    return len(task)


def test_worker_pool_counts_the_steps_of_long_items():
    from cascade.runtime import WorkerPool

    seen = []
    with WorkerPool(_paged, 2, budget=5) as pool:
        for t in ([0, 3, 0], [2], [0, 0]):
            pool.submit(t)
        assert all(ok for _, ok, _ in pool.results(lambda: seen.append(pool.steps())))
        assert pool.steps() == 5                           # pages only: starting an item is no step
    assert seen and seen[0] == 0 and seen == sorted(seen)


def test_worker_pool_leaves_no_process_behind():
    import multiprocessing as mp

    from cascade.runtime import WorkerPool

    with WorkerPool(_items, 2, budget=5) as pool:
        pool.submit(["hang"])
        pool.submit([1])
        for _, ok, _ in pool.results():
            if ok:
                break                                      # leave while a worker is still busy
    assert not mp.active_children()


def test_keep_until_exit_keeps_the_object_alive():
    import weakref

    from cascade.runtime import keep_until_exit

    class Big:
        pass

    obj = Big()
    ref = weakref.ref(obj)
    keep_until_exit(obj)
    del obj
    gc.collect()
    assert ref() is not None
    gc.unfreeze()


def _collector(task, tick):
    """What the worker's garbage collector is set to, and whether a cycle made in the worker is collected."""
    import weakref

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a
    alive = weakref.ref(a)
    del a, b
    gc.collect()
    return gc.get_threshold(), gc.get_freeze_count(), alive() is None


def test_a_worker_leaves_what_it_inherited_to_the_collector_and_collects_less_often():
    from cascade.runtime import WORKER_GC, WorkerPool

    inherited = [object() for _ in range(1000)]          # tracked by the parent's collector
    with WorkerPool(_collector, 1) as pool:
        pool.submit("x")
        [(_, ok, (threshold, frozen, collected))] = list(pool.results())
    assert ok and threshold == WORKER_GC and threshold[0] > gc.get_threshold()[0]
    assert frozen >= len(inherited)                        # never walked again in the worker
    assert collected                                       # cycles the worker makes are still collected
    assert gc.get_threshold() != WORKER_GC                 # the parent is left as it was
