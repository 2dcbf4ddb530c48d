"""Fixtures shared by several test modules."""
from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]

#: a document whose every text field tries to run script when put in a page unescaped
HOSTILE_ID = "99-KH/TU@Gia Lai"
HOSTILE_TITLE = "<script>window.__pwned=1</script> Kế hoạch </script><!-- thử"
HOSTILE_ISSUER = '<img src=x onerror="window.__pwned=2">Ban Thường vụ'
HOSTILE_NUMBER = "99-KH/TU <b>đậm</b>"
HOSTILE_EVIDENCE = "Thực hiện </script><script>window.__pwned=3</script> Kết luận 93"


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of data/ (the five sample plans), made once per test session; returns its folder."""
    from cascade.corpus.build import build

    out = tmp_path_factory.mktemp("sample-build")
    build([ROOT / "data"], out, workers=1)
    return out


@pytest.fixture(scope="session")
def _sample_graph(sample_build: Path) -> nx.MultiDiGraph:
    from cascade.corpus.build import load

    return load(sample_build).graph


@pytest.fixture
def sample_graph(_sample_graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph of the sample build (a copy: change it freely)."""
    return copy.deepcopy(_sample_graph)


@pytest.fixture
def hostile_graph(sample_graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The sample graph plus a provincial plan implementing 93-KL/TW whose texts are HTML and script."""
    G = sample_graph
    G.add_node(HOSTILE_ID, kind="document", type="Kế hoạch", number=HOSTILE_NUMBER, label=HOSTILE_NUMBER,
               date="2021-05-03", issuer=HOSTILE_ISSUER, branch="party", level="province", province="Gia Lai",
               title=HOSTILE_TITLE, source="data/<i>evil</i>.txt", in_corpus=True, cited=0)
    G.add_edge(HOSTILE_ID, "93-KL/TW", key="implements", relation="implements", evidence=HOSTILE_EVIDENCE,
               evidence_source="data/<i>evil</i>.txt", evidence_span="10-60",
               asserted_by="data/<i>evil</i>.txt")
    return G


def _national(provinces: int = 63, per_province: int = 80) -> nx.MultiDiGraph:
    """A cascade-shaped graph of ``1 + provinces * per_province`` documents, built by hand."""
    from cascade.vn import places

    G = nx.MultiDiGraph()
    G.add_node("1-CT/TW", kind="document", level="central", branch="party", number="1-CT/TW",
               date="2020-01-01")
    for u in places.provinces()[:provinces]:
        party = f"1-KH/TU@{u.name}"
        G.add_node(party, kind="document", level="province", branch="party", province=u.name,
                   number="1-KH/TU", date="2020-02-01")
        G.add_edge(party, "1-CT/TW", key="implements", relation="implements", evidence="Thực hiện Chỉ thị 1")
        for i in range(per_province - 1):
            n = f"{i}/KH-UBND@{u.name}/{i % 9}"
            G.add_node(n, kind="document", level="district", branch="state", province=u.name,
                       district=str(i % 9), number=f"{i}/KH-UBND", date="2020-03-01")
            G.add_edge(n, party, key="implements", relation="implements")
            G.add_edge(n, "1-CT/TW", key="cites", relation="cites")
    return G


@pytest.fixture(scope="session")
def national() -> Callable[..., nx.MultiDiGraph]:
    """Builds a synthetic national cascade: ``national(provinces=63, per_province=80)`` (5,041 documents)."""
    return _national
