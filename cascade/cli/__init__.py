"""The ``cascade`` command line: thin commands over the library.

Data goes to stdout, messages to stderr. ``--format`` chooses the output: a rich table in a
terminal, clean JSON when piped (``auto``), or ``table``, ``json``, ``jsonl``, ``csv``.
Errors are one line on stderr and a non-zero exit.

The commands live in modules by group: ``building`` (extract, build, export, stats),
``queries`` (show, tree, chain, coverage, lag, missing, conflicts), ``linked`` (validate,
sparql, push), ``workload`` (tasks, agencies, calendar), ``figures`` (map, plot, report),
over ``common`` (the app, the shared options and output formats). This module registers
them and turns errors into one line (:func:`main`).
"""
from __future__ import annotations

import errno
import importlib
import signal
import sys

from cascade.cli.terminal import clean_text
from cascade.errors import CascadeError

from .building import _extras, warning_kinds  # noqa: F401  (_extras: tests/test_viz.py reaches it here)
from .common import Fmt, _err, _release, app, emit

#: the command groups in the order ``--help`` lists them; importing a group registers its commands
GROUPS = ("building", "queries", "workload", "figures", "analysis", "linked")
for _group in GROUPS:
    importlib.import_module(f"{__name__}.{_group}")

__all__ = ["app", "emit", "Fmt", "main", "os_message", "warning_kinds"]


#: old spellings and what to write instead
_RENAMED = {
    "--out": "the build folder is --build-dir (-b); -o/--output names a file to write",
    "-o": "-o/--output names a file to write, and this command writes none; "
          "the build folder is --build-dir (-b)",
    "--reform": "mergers are followed for plans dated after them; add --follow-mergers for older tasks too",
    "--no-reform": "mergers are followed only for plans dated after them unless --follow-mergers is given",
}


_OS_HINTS = {
    errno.ENOSPC: "the disk is full", errno.EFBIG: "the file size limit was reached (ulimit -f)",
    errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
    errno.EPERM: "permission denied", errno.ENOTDIR: "a folder in the path is a file",
    errno.EISDIR: "it is a folder, not a file", errno.EDQUOT: "the disk quota is exceeded",
}


def os_message(e: OSError) -> str:
    """One line for a failed read or write: the path and what went wrong, never a traceback.

    >>> os_message(OSError(28, "No space left on device", "out/graph.json"))
    'out/graph.json: the disk is full (No space left on device)'
    """
    where = e.filename if e.filename is not None else "writing"
    hint = _OS_HINTS.get(e.errno or 0)
    what = f"{hint} ({e.strerror})" if hint and e.strerror else (hint or e.strerror or str(e))
    return clean_text(f"{where}: {what}")


def main() -> None:
    """Entry point: runs the app and turns errors into one line and an exit code."""
    if hasattr(signal, "SIGXFSZ"):           # past ``ulimit -f`` a write fails (EFBIG) instead of killing us
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        # outside standalone mode typer returns the exit code of typer.Exit and of Ctrl-C (130)
        # instead of exiting with it
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            if code == 130:
                _err("interrupted")
            sys.exit(code)
    except CascadeError as e:
        _release(False)
        _err(f"error: {clean_text(str(e))}")
        sys.exit(1)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except OSError as e:
        _release(False)
        _err(f"error: {os_message(e)}")
        sys.exit(1)
    except SystemExit:
        raise
    except Exception as e:  # usage errors of the click that typer runs on
        name = getattr(e, "option_name", None)
        if name in _RENAMED:
            _err(f"error: {name} is no longer an option: {_RENAMED[name]}")
            sys.exit(2)
        if hasattr(e, "show") and hasattr(e, "exit_code"):
            e.show()
            sys.exit(e.exit_code)
        if type(e).__name__ == "Abort":
            sys.exit(1)
        raise
    finally:
        _release(False)


if __name__ == "__main__":
    main()
