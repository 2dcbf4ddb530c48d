"""SHACL: every export validates; broken data gets one readable line per violation and a non-zero exit."""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cascade import rdf
from cascade.cli import app
from cascade.corpus.build import load
from cascade.errors import ExportError

BROKEN = """\
@prefix cas: <https://example.org/cascade/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix p-plan: <http://purl.org/net/p-plan#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://example.org/cascade/eli/vn/tw/1-CT/TW> a eli:Work ;
    dcterms:identifier "1-CT/TW" ;
    rdfs:label "1-CT/TW" ;
    cas:inCorpus true ;
    eli:date_document "2021"^^xsd:gYear ;
    eli:implements <https://example.org/cascade/eli/vn/tw/2-CT/TW> .

<https://example.org/cascade/eli/vn/tw/1-CT/TW/task/I.1> a p-plan:Step ;
    rdfs:label "I.1" ;
    cas:recurrence "sometimes" .
"""


@pytest.fixture(scope="module")
def seeds(sample_build: Path) -> Path:
    rdf.build_extra(load(sample_build))
    return sample_build


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig", "nq"])
def test_every_export_of_the_sample_conforms(seeds: Path, tmp_path: Path, fmt: str):
    path = tmp_path / f"cascade.{fmt}"
    path.write_text(rdf.export_text(fmt, seeds), encoding="utf-8")
    result = rdf.validate(path)
    assert result.conforms, "\n".join(map(str, result.violations[:20]))
    assert result.triples > 3000


@pytest.mark.slow
def test_the_export_of_a_synthetic_corpus_conforms():
    from test_rdf import synthetic_build

    out = synthetic_build()
    result = rdf.validate(out / rdf.TURTLE_FILE)
    assert result.conforms, "\n".join(map(str, result.violations[:20]))
    assert result.triples > 50_000


def test_a_graph_made_in_python_conforms(seeds: Path):
    assert rdf.validate(rdf.to_graph(load(seeds))).conforms


def test_broken_data_gets_one_line_per_violation(tmp_path: Path):
    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN, encoding="utf-8")
    result = rdf.validate(path)
    assert not result.conforms
    lines = [str(v) for v in result.violations]
    by_path = {v.path: v for v in result.violations}
    assert "eli:date_document" in by_path and "xsd:date" in by_path["eli:date_document"].message
    assert "eli:implements" in by_path and "deprecated" in by_path["eli:implements"].message
    assert "p-plan:isStepOfPlan" in by_path
    assert "cas:recurrence" in by_path
    assert all("\n" not in line for line in lines)
    assert by_path["eli:date_document"].focus == "<https://example.org/cascade/eli/vn/tw/1-CT/TW>"


def test_cli_validate_passes_the_build_and_fails_a_broken_file(seeds: Path, tmp_path: Path):
    runner = CliRunner()
    ok = runner.invoke(app, ["validate", "--build-dir", str(seeds)])
    assert ok.exit_code == 0, ok.output
    assert "conforms" in ok.output
    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN, encoding="utf-8")
    bad = runner.invoke(app, ["validate", str(path)])
    assert bad.exit_code != 0
    assert "eli:implements" in bad.output and "deprecated" in bad.output


def test_cli_validate_exits_1_with_a_one_line_message(seeds: Path, tmp_path: Path):
    import subprocess
    import sys

    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "cascade", "validate", str(path)], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 1
    assert len(r.stdout.strip().splitlines()) >= 4               # one line per violation, on stdout
    assert r.stderr.strip().startswith("cascade: error:") and "violations" in r.stderr


def test_unreadable_file_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "bad.ttl"
    path.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(ExportError, match="cannot read as Turtle"):
        rdf.validate(path)
