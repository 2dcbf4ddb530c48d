"""cascade diff: a build against the same build with a tenth of its files removed."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from analysis_corpus import MAKE_CORPUS, synthetic

import cascade
from cascade.analysis.diff import diff, diff_builds, table
from cascade.vocab import DOCUMENT_RELATIONS

pytestmark = pytest.mark.skipif(not MAKE_CORPUS.exists(), reason="../shared is not beside the repo")


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[str]]:
    root = tmp_path_factory.mktemp("diff")
    files = sorted(synthetic(root / "s", seed=5).glob("*.txt"))
    gone = set(random.Random(1).sample(files, len(files) // 10))
    cascade.build(files, root / "full", use_cache=False)
    cascade.build([f for f in files if f not in gone], root / "less", use_cache=False)
    return root / "full", root / "less", {str(f) for f in gone}


def _triples(G) -> set[tuple[str, str, str]]:
    return {
        (a, b, d["relation"])
        for a, b, d in G.edges(data=True)
        if d.get("relation") in DOCUMENT_RELATIONS
        and G.nodes[a].get("kind") == "document"
        and G.nodes[b].get("kind") == "document"
    }


def test_removed_files_are_exactly_the_removed_documents_and_links(builds) -> None:
    full, less, gone = builds
    A, B = cascade.load(full).graph, cascade.load(less).graph
    r = diff(A, B)
    expected_docs = {
        n
        for n, d in A.nodes(data=True)
        if d.get("kind") == "document" and d.get("in_corpus") and d.get("source") in gone
    }
    assert len(expected_docs) == len(gone)
    assert {x["id"] for x in r["documents"]["removed"]} == expected_docs
    assert r["documents"]["added"] == [] and r["documents"]["changed"] == []
    # a kept file whose number was known only from a removed one is the same document under another id
    ren = {x["old"]: x["new"] for x in r["documents"]["renamed"]}
    assert all(x["source"] not in gone and x["new"] in B for x in r["documents"]["renamed"])

    def m(t: tuple[str, str, str]) -> tuple[str, str, str]:
        return ren.get(t[0], t[0]), ren.get(t[1], t[1]), t[2]

    # links: exactly the statements made only by the removed files
    expected = {
        m((a, b, d["relation"]))
        for a, b, d in A.edges(data=True)
        if d.get("relation") in DOCUMENT_RELATIONS and set(str(d.get("asserted_by", "")).split("; ")) <= gone
    }
    lost = {(x["from"], x["to"], rel) for x in r["links"]["removed"] for rel in x["relations"]}
    lost |= {
        (x["from"], x["to"], rel) for x in r["links"]["retyped"] for rel in set(x["old"]) - set(x["new"])
    }
    assert lost == expected == {m(t) for t in _triples(A)} - _triples(B)
    assert r["links"]["added"] == []
    assert all(set(x["new"]) <= set(x["old"]) for x in r["links"]["retyped"])
    # directives lose provinces whose only plans were removed
    assert r["directives"] and all(x["new"]["with_any"] <= x["old"]["with_any"] for x in r["directives"])


def test_the_other_way_round_and_the_table(builds) -> None:
    full, less, gone = builds
    r = diff_builds(less, full)
    assert len(r["documents"]["added"]) == len(gone) and r["documents"]["removed"] == []
    assert len(r["documents"]["renamed"]) == len(
        diff(cascade.load(full).graph, cascade.load(less).graph)["documents"]["renamed"]
    )
    assert {x["source"] for x in r["documents"]["added"]} == gone
    json.dumps(r)
    text = table(r)
    assert text.splitlines()[0].endswith(
        f"(+{len(gone)} -0, 0 changed, {len(r['documents']['renamed'])} renamed)"
    )
    assert all(f"+ {x['id']}" in text for x in r["documents"]["added"])


def test_same_build_no_change(builds) -> None:
    full, _, _ = builds
    G = cascade.load(full).graph
    r = diff(G, G)
    assert not any(r["documents"][k] for k in ("added", "removed", "changed"))
    assert not any(r["links"][k] for k in ("added", "removed", "retyped")) and r["directives"] == []
