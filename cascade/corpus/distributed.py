"""Extraction on a Dask distributed cluster (``cascade build --scheduler ADDRESS``).

Each task is a :class:`~cascade.corpus.extraction.Batch` of a few hundred files; a worker
reads them, writes their records to the batch's shard and sends back the compact results,
exactly as a local worker process does. The input files, the build folder (where the
shards and the cache are) and the installed cascade must be the same on every worker:
shared storage, and paths that mean the same file everywhere (absolute paths on a cluster).

Dask is an optional extra: ``pip install 'cascade[dask]'``.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from cascade.corpus.extraction import Batch, Extracted, run_batch
from cascade.errors import BuildError


def run(address: str, batches: Sequence[Batch]) -> Iterator[tuple[Batch, list[Extracted]]]:
    """Run every batch on the cluster whose scheduler is at ``address``; (batch, results) as each ends.

    Raises:
        BuildError: Dask is not installed, the scheduler cannot be reached, or a task failed.
    """
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        raise BuildError("a Dask scheduler was given but Dask is not installed "
                         "(pip install 'cascade[dask]')") from None
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as e:
        raise BuildError(f"cannot reach the Dask scheduler at {address} ({e})") from None
    with client:
        futures = client.map(run_batch, list(batches), pure=False)
        which = {f.key: b for f, b in zip(futures, batches, strict=True)}
        try:
            for future, part in as_completed(futures, with_results=True):
                yield which[future.key], part
        except BuildError:
            raise
        except Exception as e:  # noqa: BLE001 - a task that failed on a worker
            raise BuildError(f"a Dask task failed ({type(e).__name__}: {e})") from None
        finally:
            for f in futures:
                f.cancel()
