"""The public Python API (``import cascade``): small, explicit, lazy, and the same answers as the CLI."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

import cascade
from cascade import cli

ROOT = Path(__file__).resolve().parents[1]


def test_every_public_name_resolves():
    assert cascade.__version__
    for name in cascade.__all__:
        assert getattr(cascade, name) is not None, name
    assert set(cascade.__all__) - {"__version__"} == set(cascade._EXPORTS)
    assert set(cascade.__all__) <= set(dir(cascade))
    with pytest.raises(AttributeError):
        cascade.no_such_thing  # noqa: B018


def test_names_point_at_the_library():
    from cascade import errors, graph, models, query
    from cascade.corpus import build as corpus
    from cascade.extract import pipeline as extract
    from cascade.identity import documents

    assert cascade.build is corpus.build and cascade.load is corpus.load
    assert cascade.extract_text is extract.extract_text and cascade.build_graph is graph.build_graph
    assert cascade.query is query and cascade.Record is models.Record
    assert cascade.ResolutionError is errors.ResolutionError
    assert issubclass(cascade.ResolutionError, cascade.CascadeError)
    assert cascade.resolve is documents.resolve and callable(cascade.resolve)


def test_resolve_is_the_function_after_the_identity_module_is_imported():
    import cascade.identity.documents  # noqa: F401

    assert callable(cascade.resolve)
    assert cascade.resolve is sys.modules["cascade.identity.documents"].resolve


def test_import_is_lazy():
    heavy = ("networkx", "rich", "rapidfuzz", "cascade.corpus.build")
    code = f"import sys, cascade; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert r.stdout.strip() == "[]"


def test_from_text_to_answers_without_files():
    rec = cascade.extract_text("KẾ HOẠCH\n\nThực hiện Kết luận số 93-KL/TW ngày 20/11/2020 của Ban Bí thư, "
                               "UBND tỉnh Gia Lai ban hành kế hoạch:\n", "a.txt")
    assert isinstance(rec, cascade.Record)
    G = cascade.build_graph(cascade.resolve([rec]))
    assert isinstance(G, nx.MultiDiGraph)
    assert [n["id"] for n in cascade.query.tree(G, "Kết luận 93")["nodes"]] == ["93-KL/TW", "file:a.txt"]
    assert cascade.query.coverage(G, "93-KL/TW")["with_state"] == 1


def test_the_api_gives_what_the_cli_prints(tmp_path):
    b = cascade.build([ROOT / "data"], tmp_path, workers=1)
    assert isinstance(b, cascade.Build) and not b.errors
    G = cascade.load(tmp_path).graph
    for command, answer in (("tree", cascade.query.tree(G, "42-CT/TW")),
                            ("coverage", cascade.query.coverage(G, "93-KL/TW")),
                            ("lag", cascade.query.lag(G, "93-KL/TW"))):
        r = CliRunner().invoke(cli.app, [command, "42-CT/TW" if command == "tree" else "93-KL/TW",
                                         "--build-dir", str(tmp_path), "--format", "json"])
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout) == json.loads(json.dumps(answer, ensure_ascii=False))
    assert cascade.query.conflicts(b)[0]["node"] == "52-KL/TW"
    assert [r.source for r in cascade.load_records(tmp_path)] == [r.source for r in b.corpus.records]
    with pytest.raises(cascade.ResolutionError):
        cascade.query.tree(G, "52")
