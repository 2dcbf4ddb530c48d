"""Extraction of a batch of files in a worker: records to a shard on disk, a compact result back.

A worker (a local process or a Dask task) extracts each file of its :class:`Batch` (or
takes its record from the cache), serialises the record once, appends that line to the
batch's shard file, appends the record's task layer of the graph (as JSON) to a second
shard, and sends back only what identity resolution needs (:func:`slim_record`) and where
its lines are. The main process never receives the serialised record and never holds
every record whole; it reads each task layer back as it walks the graph to write it.

Everything that touches a file's content, serialisation included, is inside the file's
own error handling: one bad file is one :class:`FileError`, never a failed batch.
"""
from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from cascade.errors import BuildError, CascadeError, ReadError
from cascade.graph import TaskLayer, task_layer
from cascade.models import Evidence, Mention, Metadata, Record, Relation, Signer
from cascade.outputs.export import record_json
from cascade.read.base import ReadOptions, heartbeat
from cascade.read.files import source_name
from cascade.runtime import cache_put


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be used, and why (one line)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True, slots=True)
class Batch:
    """Files for one worker task, and where their records go.

    ``shard`` is a file every worker can write (shared storage on a cluster);
    ``cache_dir`` is the record cache (None: no cache); ``code`` is the fingerprint of the
    extractor's code, part of every cache key.
    """

    index: int
    paths: tuple[str, ...]
    shard: str
    cache_dir: str | None
    code: str
    whole: bool = False              # send back whole records (``cascade extract``), not slim ones + layers
    options: ReadOptions | None = None  # how files are read (OCR, size limit)


class Extracted(NamedTuple):
    """What extracting one file gives the main process.

    A worker sends the slim record packed (``packed``, see :func:`pack_slim`; ``record`` None), which
    the main process unpacks into ``record`` as the results come (:func:`unpacked`).
    """

    path: str
    record: Record | None            # :func:`slim_record` of the record (the whole is in the shard)
    error: FileError | None
    cached: bool                     # read from the cache rather than extracted
    key: str | None                  # the cache key (file bytes + manifest + code)
    offset: int = 0                  # the record's line in the batch's shard
    length: int = 0
    layer_offset: int = 0            # its task layer's line in the layer shard (:func:`layer_shard`)
    layer_length: int = 0
    packed: PackedRecord | None = None   # the slim record as the worker sends it


def unpacked(x: Extracted) -> Extracted:
    """``x`` with its record unpacked (:func:`unpack_slim`), as the main process keeps it."""
    if x.packed is None:
        return x
    return x._replace(record=unpack_slim(x.packed), packed=None)


#: the write buffer of a shard file
_BUFFER = 1 << 20


def layer_shard(shard: str) -> str:
    """The file beside a record shard that holds the task layers of its records."""
    return shard + ".layers"


def encode_layer(layer: TaskLayer) -> bytes:
    """A task layer as one line of JSON (its attribute values are plain scalars)."""
    return orjson.dumps((layer.jurisdiction, layer.tasks, layer.agencies))


def decode_layer(line: bytes) -> TaskLayer:
    """:func:`encode_layer` read back (lists where the layer had tuples; only the
    jurisdiction is compared, so it is a tuple again)."""
    jurisdiction, tasks, agencies = orjson.loads(line)
    return TaskLayer(tuple(jurisdiction), tasks, agencies)


def cache_key(path: Path, code: str, options: ReadOptions | None = None,
              data: bytes | None = None) -> str | None:
    """The cache key of a file: its bytes, its folder's manifest, the extractor's code, the OCR setting.

    ``data`` is the file's bytes when they were read already (by :func:`cascade.read.read_bytes`);
    None when the file cannot be read (:func:`cascade.read.read_file` refuses it: nothing to cache).
    """
    from cascade.read import read_bytes

    options = options or ReadOptions()
    if data is None:
        try:
            data = read_bytes(path, options.max_bytes)
        except ReadError:
            return None
    h = hashlib.sha256(code.encode())
    h.update(f"ocr={options.ocr and options.ocr_language}".encode())
    manifest = path.parent / "manifest.csv"
    with contextlib.suppress(OSError):
        h.update(manifest.read_bytes())
    h.update(data)
    return h.hexdigest()


def _cached(entry: Path, source: str) -> tuple[Record, bytes] | None:
    """The record in a cache entry, moved to ``source``; None when it is missing or damaged."""
    try:
        line = entry.read_bytes()
        data = orjson.loads(line)
        # an entry of another shape is damaged, not a record with every field missing
        if not (isinstance(data, dict) and isinstance(data.get("source"), str)
                and isinstance(data.get("document"), dict)):
            return None
        rec = Record.from_dict(data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None                                        # a damaged entry: extract again
    if rec.source != source:
        rec = with_source(rec, source)
        line = record_json(rec)
    return rec, line


def with_source(rec: Record, source: str) -> Record:
    """The record of a file read under another name (a renamed file found in the cache)."""
    d = rec.to_dict()
    d["source"] = source
    d["document"]["evidence"] = {k: {**e, "source": source} for k, e in d["document"]["evidence"].items()}
    return Record.from_dict(d)



def extract_one(path: str, cache_dir: Path | None, code: str, layers: bool = True,
                options: ReadOptions | None = None
                ) -> tuple[Record | None, bytes | None, FileError | None, bool, str | None, TaskLayer | None]:
    """Record, serialised line, error, cached?, cache key and task layer of one file; never raises."""
    from cascade.extract.pipeline import extract_file
    from cascade.read import read_bytes

    source = path
    try:
        source = source_name(path)                      # a file name that is not UTF-8 is escaped
        data = key = entry = None
        if cache_dir is not None:
            with contextlib.suppress(ReadError):        # else read_file below says why, for this file
                data = read_bytes(Path(path), (options or ReadOptions()).max_bytes)
            key = cache_key(Path(path), code, options, data) if data is not None else None
            entry = cache_dir / key[:2] / f"{key}.json" if key else None
        hit = _cached(entry, source) if entry is not None else None
        if hit is not None:
            rec, line = hit
        else:
            rec = extract_file(path, options=options, data=data)     # the bytes read once, cache or not
            line = record_json(rec)
            if entry is not None:
                cache_put(entry, line)
        layer = task_layer(rec) if layers else None
        return rec, line, None, hit is not None, key, layer
    except CascadeError as e:
        return None, None, FileError(source, _one_line(str(e))), False, None, None
    except RecursionError:
        return None, None, FileError(source, "could not be processed (nested too deeply)"), False, None, None
    except Exception as e:  # noqa: BLE001 - one bad file must not stop a corpus build
        why = _one_line(f"could not be processed ({type(e).__name__}: {e})")
        return None, None, FileError(source, why), False, None, None


def _one_line(message: str) -> str:
    return " ".join(message.split())[:500]


def slim_record(rec: Record) -> Record:
    """What the main process needs of a record to resolve identities: the record without its tasks
    and without the evidence of its own metadata (both stay in the shard), each quoted sentence
    held once (a relation's sentence is often a mention's)."""
    return unpack_slim(pack_slim(rec))


#: :func:`slim_record` as plain tuples, strings and numbers (see :func:`pack_slim`)
PackedRecord = tuple[Any, ...]


def _around(cls: type, *names: str) -> list[Callable[[Any], tuple[Any, ...]]]:
    """Getters of the fields of model ``cls`` before, between and after the fields ``names``, in order
    (each gives a tuple of values, an empty one for no field)."""
    order = [f.name for f in fields(cls)]
    cuts = [-1, *(order.index(n) for n in names), len(order)]
    getters: list[Callable[[Any], tuple[Any, ...]]] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        run = order[a + 1:b]
        getters.append(attrgetter(*run) if len(run) > 1 else _one(run[0]) if run else _none)
    return getters


def _one(name: str) -> Callable[[Any], tuple[Any, ...]]:
    """A getter of the one field ``name`` as a tuple."""
    return lambda o: (getattr(o, name),)


def _none(o: object) -> tuple[()]:
    """The getter of no field."""
    return ()


# the models' constructors given their fields positionally, from the packed runs (which mypy cannot count)
_new_record: Callable[..., Record] = Record
_new_metadata: Callable[..., Metadata] = Metadata
_new_mention: Callable[..., Mention] = Mention
_new_relation: Callable[..., Relation] = Relation


_RECORD = _around(Record, "meta", "mentions", "relations", "tasks")
_METADATA = _around(Metadata, "signer", "evidence")
(_SIGNER,) = _around(Signer)
_MENTION = _around(Mention, "evidence")
_RELATION = _around(Relation, "evidence")


def pack_slim(rec: Record) -> PackedRecord:
    """:func:`slim_record` of ``rec`` as plain tuples, which a worker sends the main process: they pickle
    without a Python call for each model object (:func:`unpack_slim` makes the records again). Each
    quoted sentence is held once."""
    quotes: dict[str, str] = {}
    share = quotes.setdefault

    def ev(e: Evidence) -> tuple[str, int, int, str]:
        return e.source, e.start, e.end, share(e.quote, e.quote)

    record_head, after_meta, after_mentions, after_relations, record_tail = _RECORD
    meta_head, meta_middle, meta_tail = _METADATA
    mention_head, mention_tail = _MENTION
    relation_head, relation_tail = _RELATION
    meta, signer = rec.meta, rec.meta.signer
    return (record_head(rec), after_meta(rec), after_mentions(rec), after_relations(rec), record_tail(rec),
            (meta_head(meta), _SIGNER(signer) if signer is not None else None, meta_middle(meta),
             meta_tail(meta)),
            [(mention_head(m), ev(m.evidence), mention_tail(m)) for m in rec.mentions],
            [(relation_head(r), ev(r.evidence) if r.evidence is not None else None, relation_tail(r))
             for r in rec.relations])


def unpack_slim(packed: PackedRecord) -> Record:
    """The record :func:`pack_slim` packed (without its tasks and the evidence of its metadata)."""
    head, after_meta, after_mentions, after_relations, tail, meta, mentions, relations = packed
    meta_head, signer, meta_middle, meta_tail = meta
    signed = Signer(*signer) if signer is not None else None
    return _new_record(*head, _new_metadata(*meta_head, signed, *meta_middle, (), *meta_tail),
                       *after_meta, tuple([_new_mention(*h, Evidence(*e), *t) for h, e, t in mentions]),
                       *after_mentions, tuple([_new_relation(*h, Evidence(*e) if e is not None else None, *t)
                                               for h, e, t in relations]),
                       *after_relations, (), *tail)


def run_batch(batch: Batch, tick: Callable[[int], None] | None = None) -> list[Extracted]:
    """Extract the files of ``batch`` into its shard; the compact results, in the batch's order.

    ``tick(i)`` is called as the i-th file starts (the local pool times each file with it).

    Raises:
        BuildError: when the shard cannot be written (a full disk is not one file's fault).
    """
    cache_dir = Path(batch.cache_dir) if batch.cache_dir else None
    out: list[Extracted] = []
    i = 0

    def beat() -> None:                 # a long read (OCR, page by page) renews the file's time budget
        tick(i)                         # type: ignore[misc]

    try:
        # lines are a few kB: a large buffer writes many of them at once
        with open(batch.shard, "wb", buffering=_BUFFER) as shard, \
                open(layer_shard(batch.shard), "wb", buffering=_BUFFER) as layers, \
                heartbeat(beat if tick is not None else None):
            offset = layer_offset = 0
            for i, path in enumerate(batch.paths):
                if tick is not None:
                    tick(i)
                rec, line, error, cached, key, layer = extract_one(path, cache_dir, batch.code,
                                                                   not batch.whole, batch.options)
                if rec is None or line is None:
                    out.append(Extracted(path, None, error, False, None))
                    continue
                try:
                    encoded = encode_layer(layer) if layer is not None else b""
                except (TypeError, ValueError) as e:            # still this file's content
                    bad = FileError(path, _one_line(f"could not be processed ({e})"))
                    out.append(Extracted(path, None, bad, False, None))
                    continue
                shard.write(line)
                shard.write(b"\n")
                layers.write(encoded)
                layers.write(b"\n")
                if batch.whole:
                    out.append(Extracted(path, rec, None, cached, key, offset, len(line), layer_offset,
                                         len(encoded)))
                else:
                    out.append(Extracted(path, None, None, cached, key, offset, len(line), layer_offset,
                                         len(encoded), pack_slim(rec)))
                offset += len(line) + 1
                layer_offset += len(encoded) + 1
    except OSError as e:                # only the shards raise it: extract_one keeps each file's own errors
        raise BuildError(f"{batch.shard}: cannot write ({e.strerror or e})") from None
    return out
