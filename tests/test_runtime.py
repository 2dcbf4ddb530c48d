"""runtime: the garbage collector pause and work done in a forked child."""
import gc
import os

import pytest

from cascade.runtime import in_child, paused_gc


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


def _write(path, data):
    path.write_text(f"{data['n']} from {os.getpid()}")
    return path


def test_in_child_runs_on_the_parents_memory_and_returns_the_result(tmp_path):
    data = {"n": 41}
    data["n"] += 1                                   # state made before the fork is seen by the child
    wait = in_child(_write, tmp_path / "x.txt", data)
    assert wait() == tmp_path / "x.txt"
    n, _, pid = (tmp_path / "x.txt").read_text().partition(" from ")
    assert n == "42" and int(pid) != os.getpid()


def _fail(message):
    raise ValueError(message)


def test_in_child_raises_the_childs_exception_in_the_parent():
    wait = in_child(_fail, "no space left")
    with pytest.raises(ValueError, match="no space left"):
        wait()


def _die():
    os._exit(3)


def test_a_child_that_dies_is_reported():
    with pytest.raises(RuntimeError, match="exit code 3"):
        in_child(_die)()
