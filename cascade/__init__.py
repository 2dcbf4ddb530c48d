"""cascade: Vietnamese directive and plan documents -> a knowledge graph of implementation cascades.

The Python API mirrors the command line::

    import cascade

    b = cascade.build(["data/"], "cascade-out")       # cascade build data/
    G = cascade.load("cascade-out").graph             # the last build, without re-reading text
    cascade.query.tree(G, "42-CT/TW")                 # cascade tree 42-CT/TW
    cascade.query.coverage(G, "93-KL/TW", as_of="2021-06-30")
    rec = cascade.extract_file("data/seeds/000_319b8b36a4c16e47.txt")

Names are imported on first use, so ``import cascade`` (and ``cascade --help``) stays fast.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> (module, attribute); attribute None means the module itself
_EXPORTS: dict[str, tuple[str, str | None]] = {
    # pipeline
    "build": ("cascade.corpus.build", "build"),
    "load": ("cascade.corpus.build", "load"),
    "load_records": ("cascade.corpus.build", "load_records"),
    "extract_file": ("cascade.extract.pipeline", "extract_file"),
    "extract_text": ("cascade.extract.pipeline", "extract_text"),
    "resolve": ("cascade.identity.documents", "resolve"),
    "build_graph": ("cascade.graph", "build_graph"),
    # queries
    "query": ("cascade.query", None),
    # results and models
    "Build": ("cascade.corpus.build", "Build"),
    "Corpus": ("cascade.identity.documents", "Corpus"),
    "Record": ("cascade.models", "Record"),
    "Metadata": ("cascade.models", "Metadata"),
    "Mention": ("cascade.models", "Mention"),
    "Relation": ("cascade.models", "Relation"),
    "Task": ("cascade.models", "Task"),
    "Deadline": ("cascade.models", "Deadline"),
    "Evidence": ("cascade.models", "Evidence"),
    # errors
    "CascadeError": ("cascade.errors", "CascadeError"),
    "ResolutionError": ("cascade.errors", "ResolutionError"),
    "BuildError": ("cascade.errors", "BuildError"),
}

__all__ = [
    "__version__",
    "build", "load", "load_records", "extract_file", "extract_text", "resolve", "build_graph",
    "query",
    "Build", "Corpus", "Record", "Metadata", "Mention", "Relation", "Task", "Deadline", "Evidence",
    "CascadeError", "ResolutionError", "BuildError",
]

if TYPE_CHECKING:                                   # what type checkers and IDEs see
    from cascade import query
    from cascade.corpus.build import Build, build, load, load_records
    from cascade.extract.pipeline import extract_file, extract_text
    from cascade.identity.documents import Corpus, resolve

    from .errors import BuildError, CascadeError, ResolutionError
    from .graph import build_graph
    from .models import Deadline, Evidence, Mention, Metadata, Record, Relation, Task


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562) and keep it."""
    try:
        module, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'cascade' has no attribute {name!r}") from None
    value = importlib.import_module(module)
    if attr is not None:
        value = getattr(value, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
