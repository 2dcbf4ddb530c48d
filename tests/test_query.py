"""cascade.query on small graphs built by hand, and on a synthetic national corpus against its answers."""
from __future__ import annotations

import copy
import datetime as dt
import json
import statistics
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from cascade import query
from cascade.errors import BuildError, CascadeError, ResolutionError
from cascade.graph import (
    ASSERTED_BY,
    DOCUMENT,
    EVIDENCE,
    EVIDENCE_SOURCE,
    EVIDENCE_SPAN,
    KIND,
    LABEL,
    RELATION,
)
from cascade.query import uptake
from cascade.vn import places

ROOT = Path(__file__).resolve().parents[1]
SYNTH = ROOT.parent / "shared" / "synth" / "make_corpus.py"

D, CT = "93-KL/TW", "42-CT/TW"
P_DL, P_GL, P_BT = "07-KH/TU@Đắk Lắk", "25-KH/TU@Gia Lai", "15-KH/TU@Bình Thuận"
S_DL = "file:plans/dak-lak-ubnd.txt"
H_PT, U_PT = "12-KH/HU@Gia Lai/Phú Thiện", "30/KH-UBND@Gia Lai/Phú Thiện"
OTHER_07 = "07-KH/TU@Gia Lai"


def _doc(G: nx.MultiDiGraph, key: str, **attrs: object) -> None:
    attrs.setdefault(LABEL, attrs.get("number") or key)
    G.add_node(key, **{KIND: DOCUMENT, **attrs})


def _link(G: nx.MultiDiGraph, a: str, b: str, relation: str = "implements",
          source: str = "plans/x.txt") -> None:
    G.add_edge(a, b, key=relation, **{RELATION: relation, ASSERTED_BY: source, EVIDENCE: f"{a} thực hiện {b}",
                                      EVIDENCE_SOURCE: source, EVIDENCE_SPAN: "10-42"})


@pytest.fixture
def G() -> nx.MultiDiGraph:
    """A directive continuing an older one, three provinces, one province's state plan, one district."""
    G = nx.MultiDiGraph()
    _doc(G, CT, number=CT, type="Chỉ thị", level="central", branch="party", date="2010-04-16", cited=3)
    _doc(G, D, number=D, type="Kết luận", level="central", branch="party", date="2020-11-20", cited=9)
    _doc(G, P_DL, number="07-KH/TU", type="Kế hoạch", level="province", branch="party", province="Đắk Lắk",
         date="2020-12-23", cited=2)
    _doc(G, P_GL, number="25-KH/TU", type="Kế hoạch", level="province", branch="party", province="Gia Lai",
         date="2021-01-19", cited=2)
    _doc(G, P_BT, number="15-KH/TU", type="Kế hoạch", level="province", branch="party", province="Bình Thuận",
         cited=1)
    _doc(G, S_DL, type="Kế hoạch", level="province", branch="state", province="Đắk Lắk", date="2021-02-01",
         source="plans/dak-lak-ubnd.txt", in_corpus=True)
    _doc(G, H_PT, number="12-KH/HU", type="Kế hoạch", level="district", branch="party", province="Gia Lai",
         district="Phú Thiện", date="2021-03-01", source="plans/phu-thien-hu.txt", in_corpus=True)
    _doc(G, U_PT, number="30/KH-UBND", type="Kế hoạch", level="district", branch="state", province="Gia Lai",
         district="Phú Thiện", date="2021-03-20", source="plans/phu-thien-ubnd.txt", in_corpus=True)
    _doc(G, OTHER_07, number="07-KH/TU", type="Kế hoạch", level="province", branch="party",
         province="Gia Lai", date="2019-03-01", cited=1)
    _doc(G, "569/QĐ-TTg", number="569/QĐ-TTg", type="Quyết định", level="central", branch="state", cited=2)
    _doc(G, "NQTW7@X", type="Nghị quyết", level="central", plenum=7, term="X", cited=1,
         label="Nghị quyết Trung ương 7 (khóa X)")
    _link(G, D, CT, "continues", "plans/dak-lak-ubnd.txt")
    _link(G, P_DL, D, source="plans/dak-lak-ubnd.txt")
    _link(G, P_GL, D, source="plans/phu-thien-hu.txt")
    _link(G, P_BT, D, source="plans/phu-thien-hu.txt")
    _link(G, S_DL, P_DL, source="plans/dak-lak-ubnd.txt")
    _link(G, H_PT, P_GL, source="plans/phu-thien-hu.txt")
    _link(G, H_PT, D, source="plans/phu-thien-hu.txt")
    _link(G, U_PT, H_PT, source="plans/phu-thien-ubnd.txt")
    _link(G, S_DL, "569/QĐ-TTg", "cites", "plans/dak-lak-ubnd.txt")
    _link(G, H_PT, "569/QĐ-TTg", "based_on", "plans/phu-thien-hu.txt")
    _link(G, S_DL, "NQTW7@X", "cites", "plans/dak-lak-ubnd.txt")
    # nodes of other kinds must never show up as documents
    G.add_node("task:x#1", **{KIND: "task", LABEL: "1"})
    G.add_edge(S_DL, "task:x#1", key="has_task", **{RELATION: "has_task"})
    G.add_node("org:UBND", **{KIND: "organization", LABEL: "UBND"})
    G.add_edge(S_DL, "org:UBND", key="issued_by", **{RELATION: "issued_by"})
    return G


# -- find ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("phrase, expected", [
    ("93-KL/TW", D), ("93-kl/tw", D), (" 93 - KL / TW ", D), ("Kết luận 93", D), ("kết luận số 93", D),
    ("KET LUAN SO 93", D), ("07-KH/TU@Đắk Lắk", P_DL), ("07-KH/TU@Dak Lak", P_DL),
    ("07-kh/tu @ đắk lắk", P_DL),
    ("07-KH/TU Đắk Lắk", P_DL), ("07-KH/TU, tỉnh Gia Lai", OTHER_07), ("Kế hoạch 12 Phú Thiện", H_PT),
    ("Nghị quyết Trung ương 7 khóa X", "NQTW7@X"), ("NQ TW7 (khóa X)", "NQTW7@X"),
    ("plans/dak-lak-ubnd.txt", S_DL), ("dak-lak-ubnd.txt", S_DL), ("dak-lak-ubnd", S_DL),
    ("file:plans/dak-lak-ubnd.txt", S_DL), ("569/QĐ-TTg", "569/QĐ-TTg"), ("569/qd-ttg", "569/QĐ-TTg"),
])
def test_find_resolves_phrases_to_one_document(G, phrase, expected):
    assert query.find(G, phrase) == [expected]
    assert query.find_one(G, phrase) == expected


def test_find_returns_every_candidate_of_an_ambiguous_number(G):
    assert sorted(query.find(G, "07-KH/TU")) == sorted([P_DL, OTHER_07])
    with pytest.raises(query.AmbiguousDocument) as e:
        query.find_one(G, "07-KH/TU")
    assert sorted(e.value.candidates) == sorted([P_DL, OTHER_07])
    message = str(e.value)
    assert "\n" not in message and P_DL in message and OTHER_07 in message
    assert isinstance(e.value, ResolutionError) and isinstance(e.value, CascadeError)


def test_an_unknown_phrase_raises_with_near_matches_on_one_line(G):
    with pytest.raises(query.UnknownDocument) as e:
        query.find_one(G, "99-KL/TW")
    assert D in e.value.candidates and D in str(e.value) and "\n" not in str(e.value)
    with pytest.raises(ResolutionError):
        query.find(G, "")
    with pytest.raises(ResolutionError):
        query.find(G, "hoàn toàn không có")


def test_a_single_typo_in_a_long_id_is_forgiven(G):
    assert query.find(G, "12-KH/HU@Gia Lai/Phú Thiệnn") == [H_PT]


def test_the_find_index_follows_a_graph_that_grows(G):
    assert len(query.find(G, "07-KH/TU")) == 2
    _doc(G, "07-KH/TU@Kon Tum", number="07-KH/TU", level="province", province="Kon Tum")
    assert len(query.find(G, "07-KH/TU")) == 3


def test_query_functions_accept_a_phrase_for_the_document(G):
    assert query.tree(G, "Kết luận 93")["root"] == D
    with pytest.raises(query.AmbiguousDocument):
        query.tree(G, "07-KH/TU")


# -- show ---------------------------------------------------------------------------------------------

def test_show_gives_both_directions_with_evidence(G):
    s = query.show(G, P_DL)
    assert s["attributes"]["number"] == "07-KH/TU" and s["jurisdiction"] == "Đắk Lắk"
    assert [x["id"] for x in s["implements"]] == [D]
    link = s["implemented_by"][0]
    assert link["id"] == S_DL and link["relation"] == "implements"
    assert link["quote"] and link["file"] == "plans/dak-lak-ubnd.txt" and link["span"] == [10, 42]
    assert link["asserted_by"] == ["plans/dak-lak-ubnd.txt"]
    s = query.show(G, S_DL)
    assert {x["id"] for x in s["cites"]} == {"569/QĐ-TTg", "NQTW7@X"} and s["tasks"] == 1


# -- tree ---------------------------------------------------------------------------------------------

def test_tree_lists_every_implementer_once_under_its_deepest_parent(G):
    t = query.tree(G, D)
    ids = [n["id"] for n in t["nodes"]]
    assert ids[0] == D and len(ids) == len(set(ids)) == 7 and t["count"] == 6
    by_id = {n["id"]: n for n in t["nodes"]}
    assert by_id[H_PT]["parent"] == P_GL and by_id[H_PT]["depth"] == 2 and by_id[H_PT]["also"] == [D]
    assert by_id[U_PT]["parent"] == H_PT and by_id[U_PT]["depth"] == 3
    assert by_id[S_DL]["parent"] == P_DL and by_id[P_BT]["parent"] == D
    assert by_id[H_PT]["jurisdiction"] == "Gia Lai/Phú Thiện" and by_id[D]["jurisdiction"] is None
    assert t["levels"] == {"district": 2, "province": 4}
    # depth-first: each child right after its parent's subtree starts
    assert ids.index(S_DL) == ids.index(P_DL) + 1
    assert OTHER_07 not in ids and "task:x#1" not in ids


def test_tree_follows_continues_and_marks_the_relation(G):
    t = query.tree(G, CT)
    by_id = {n["id"]: n for n in t["nodes"]}
    assert by_id[D]["relation"] == "continues" and by_id[D]["depth"] == 1
    assert by_id[U_PT]["depth"] == 4 and t["count"] == 7


def test_tree_of_a_leaf_is_the_leaf_alone(G):
    assert [n["id"] for n in query.tree(G, U_PT)["nodes"]] == [U_PT]


def test_tree_and_chain_survive_a_cycle():
    G = nx.MultiDiGraph()
    for k in "abc":
        _doc(G, k)
    _link(G, "a", "b")
    _link(G, "b", "a")
    _link(G, "c", "a")
    t = query.tree(G, "a")
    assert sorted(n["id"] for n in t["nodes"]) == ["a", "b", "c"]
    c = query.chain(G, "c")
    assert [[s["id"] for s in p] for p in c["paths"]] == [["c", "a", "b"]]


# -- chain --------------------------------------------------------------------------------------------

def test_chain_gives_every_path_to_the_root_directives(G):
    c = query.chain(G, H_PT)
    assert c["roots"] == [CT] and not c["truncated"]
    assert [[s["id"] for s in p] for p in c["paths"]] == [[H_PT, P_GL, D, CT], [H_PT, D, CT]]
    assert [s["relation"] for s in c["paths"][0]] == ["implements", "implements", "continues", None]


def test_chain_of_a_root_is_itself(G):
    assert [[s["id"] for s in p] for p in query.chain(G, CT)["paths"]] == [[CT]]


def test_chain_stops_after_the_limit():
    G = nx.MultiDiGraph()
    _doc(G, "leaf")
    for i in range(5):
        _doc(G, f"up{i}")
        _link(G, "leaf", f"up{i}")
    c = query.chain(G, "leaf", limit=3)
    assert len(c["paths"]) == 3 and c["truncated"]


# -- coverage -----------------------------------------------------------------------------------------

def test_province_coverage_counts_the_gazetteer(G):
    c = query.coverage(G, D)
    assert c["total"] == 63 and c["era"] == "pre2025" and c["level"] == "province"
    assert (c["with_party"], c["with_state"], c["with_both"], c["with_any"]) == (3, 1, 1, 3)
    rows = {r["province"]: r for r in c["rows"]}
    assert rows["Đắk Lắk"]["party"] == [P_DL] and rows["Đắk Lắk"]["state"] == [S_DL]
    assert rows["Gia Lai"]["has_party"] and not rows["Gia Lai"]["has_state"]
    assert rows["Đắk Lắk"]["first"] == "2020-12-23"
    assert "Hà Nội" in c["none"] and "Gia Lai" not in c["none"] and len(c["none"]) == 60
    assert "Gia Lai" in c["missing_state"] and "Đắk Lắk" not in c["missing_state"]
    assert OTHER_07 not in rows["Gia Lai"]["party"]          # implements something else


def test_coverage_as_of_counts_only_plans_issued_by_then(G):
    # Gia Lai's plan (2021-01-19) and Đắk Lắk's state plan come later; Bình Thuận's undated plan counts
    c = query.coverage(G, D, as_of="2021-01-01")
    assert c["with_party"] == 2 and c["with_state"] == 0 and c["as_of"] == "2021-01-01"
    assert c["undated"] == [P_BT] and c["date_unknown"] == 1
    assert c["after_as_of"] == sorted([P_GL, S_DL])
    rows = {r["province"]: r for r in c["rows"]}
    assert rows["Bình Thuận"]["date_unknown"] and rows["Bình Thuận"]["undated"] == [P_BT]
    assert not rows["Đắk Lắk"]["date_unknown"]
    assert query.coverage(G, D, as_of=dt.date(2021, 2, 1))["with_state"] == 1
    assert query.coverage(G, D, as_of="2021")["as_of"] == "2021-12-31"


def test_a_partial_date_counts_once_its_whole_period_has_passed(G):
    G.nodes[S_DL]["date"] = "2021-02"
    assert query.coverage(G, D, as_of="2021-02-15")["with_state"] == 0
    assert query.coverage(G, D, as_of="2021-02-28")["with_state"] == 1


def test_district_coverage_of_one_province(G):
    c = query.coverage(G, D, level="district", province="Gia Lai")
    assert c["total"] == len(places.districts("Gia Lai")) and c["era"] == "pre2025"
    rows = {r["district"]: r for r in c["rows"]}
    assert rows["Phú Thiện"]["party"] == [H_PT] and rows["Phú Thiện"]["state"] == [U_PT]
    assert c["with_both"] == 1 and "Gia Lai/Pleiku" in c["none"]


def test_district_coverage_of_every_province_uses_every_district(G):
    c = query.coverage(G, D, level="district")
    assert c["total"] == sum(len(places.districts(p.name)) for p in places.provinces())
    assert c["with_any"] == 1


def test_after_the_2025_reform_there_are_34_provinces(G):
    c = query.coverage(G, D, as_of="2025-08-01")
    assert c["era"] == "2025" and c["total"] == 34
    rows = {r["province"]: r for r in c["rows"]}
    assert P_GL in rows[places.successor("Gia Lai").name]["party"]
    assert query.coverage(G, D, era="2025")["total"] == 34


def test_coverage_rejects_bad_arguments(G):
    for kwargs in ({"level": "commune"}, {"as_of": "30/06/2021"}, {"as_of": "2021-02-30"},
                   {"as_of": "2021-13"},
                   {"province": "Atlantis"}, {"era": "1990"}):
        with pytest.raises(CascadeError):
            query.coverage(G, D, **kwargs)


# -- lag ----------------------------------------------------------------------------------------------

def test_lag_summarises_days_by_transition(G):
    r = query.lag(G, D)
    t = r["transitions"]
    assert t["central->province"] == {"n": 2, "median": 46.5, "q1": 39.75, "q3": 53.25, "min": 33, "max": 60,
                                      "undated": 1}
    assert t["party->state (province)"]["median"] == 40       # 23/12/2020 -> 01/02/2021
    assert t["province->district"]["median"] == 41             # 19/01/2021 -> 01/03/2021
    assert t["central->district"]["median"] == 101
    assert t["party->state (district)"]["median"] == 19
    assert list(t)[:2] == ["central->district", "central->province"]
    assert {(p["parent"], p["child"]) for p in r["pairs"]} >= {(D, P_DL), (P_DL, S_DL), (H_PT, U_PT)}


def test_lag_counts_jurisdictions_that_never_acted_as_censored(G):
    r = query.lag(G, D, as_of="2021-12-31")
    prov, dist = r["curves"]
    # Bình Thuận acted on a day unknown: counted, never placed on the curve
    assert prov["level"] == "province" and prov["units"] == 63 and prov["timed"] == 62
    assert (prov["acted"], prov["acted_dated"], prov["acted_date_unknown"], prov["censored"]) == (3, 2, 1, 60)
    assert prov["share_after"]["30"] == 0.0 and prov["share_after"]["60"] == round(2 / 62, 4)
    assert prov["median_days"] is None                          # most provinces never acted
    times = {x["unit"]: x for x in prov["times"]}
    assert times["Đắk Lắk"] == {"unit": "Đắk Lắk", "days": 33, "acted": True}
    assert times["Hà Nội"]["acted"] is False and times["Hà Nội"]["days"] == 406
    # districts start from their province's first plan; those of provinces that never acted are not at risk
    assert dist["units"] == sum(len(places.districts(p.name)) for p in places.provinces())
    assert dist["timed"] == len(places.districts("Gia Lai")) + len(places.districts("Đắk Lắk"))
    assert dist["acted"] == 1 and dist["not_at_risk"] > 0
    assert {x["unit"]: x["days"] for x in dist["times"]}["Gia Lai/Phú Thiện"] == 41


def test_lag_as_of_censors_later_plans(G):
    r = query.lag(G, D, as_of="2021-01-01")
    assert r["observed_until"] == "2021-01-01" and r["curves"][0]["acted_dated"] == 1
    assert r["curves"][0]["acted"] == 2                         # and Bình Thuận, undated
    assert "party->state (province)" not in r["transitions"]


def test_kaplan_meier_with_censoring():
    assert uptake._kaplan_meier([]) == []
    # 4 units: events at 10 and 20, one censored at 15 (leaves the risk set), one at 30
    steps = uptake._kaplan_meier([(10, True), (15, False), (20, True), (30, False)])
    assert steps == [(10, 0.25), (20, 0.625)]


def test_lag_of_a_provincial_plan_measures_its_districts(G):
    r = query.lag(G, P_GL, as_of="2021-12-31")
    assert [c["level"] for c in r["curves"]] == ["district"]
    assert r["curves"][0]["units"] == len(places.districts("Gia Lai")) and r["curves"][0]["acted"] == 1


# -- orphans and conflicts ----------------------------------------------------------------------------

def test_orphans_rank_cited_documents_not_in_the_corpus(G):
    rows = query.orphans(G)
    ids = [r["id"] for r in rows]
    assert S_DL not in ids and H_PT not in ids and "task:x#1" not in ids
    assert ids[0] == D and rows[0]["files"] == 2 and rows[0]["implemented_by"] == 4
    q = rows[ids.index("569/QĐ-TTg")]
    assert q["files"] == 2 and q["relations"] == {"based_on": 1, "cites": 1} and q["implemented_by"] == 0
    assert q["cited_by"] == ["plans/dak-lak-ubnd.txt", "plans/phu-thien-hu.txt"]
    files = [r["files"] for r in rows]
    assert files == sorted(files, reverse=True)


def test_orphans_from_link_rows_equal_the_answer_on_the_graph(G):
    """What cascade missing reads from a build: the uncollected documents alone and every edge as a row
    (relations of every kind, into collected documents too: those are not counted)."""
    H = G.copy()
    H.add_edge(S_DL, D, key="cites", relation="cites", asserted_by="plans/a.txt; plans/b.txt; ")
    H.add_edge(S_DL, D, key="has_task", relation="has_task")
    uncollected = H.subgraph(n for n, d in H.nodes(data=True) if d.get("kind") == "document"
                             and not d.get("in_corpus")).copy()
    links = [(u, d.get("relation"), d.get("asserted_by"), v) for u, v, d in H.edges(data=True)]
    rows = query.orphans(uncollected, links)
    assert rows == query.orphans(H) and rows != query.orphans(G)
    assert rows[0]["id"] == D and {"plans/a.txt", "plans/b.txt"} <= set(rows[0]["cited_by"])


CONFLICTS = [{"node": "93-KL/TW", "field": "date",
              "values": [{"value": "2020-11-20", "sources": ["a.txt"]},
                         {"value": "2019-11-20", "sources": ["b.txt"]}]}]


def test_conflicts_from_a_folder_a_file_a_list_or_a_build(G, tmp_path):
    (tmp_path / "conflicts.json").write_text(json.dumps(CONFLICTS), encoding="utf-8")
    for source in (tmp_path, str(tmp_path), tmp_path / "conflicts.json", CONFLICTS):
        rows = query.conflicts(source)
        assert rows[0]["node"] == D and rows[0]["field"] == "date" and len(rows[0]["values"]) == 2

    class Loaded:                                   # what corpus.load returns: no corpus, a folder
        out, graph, corpus = tmp_path, G, None

    rows = query.conflicts(Loaded())
    assert rows[0]["kept"] == "2020-11-20" and rows[0]["label"] == D
    G2 = G.copy()
    G2.graph["conflicts"] = CONFLICTS
    assert query.conflicts(G2)[0]["values"][1]["sources"] == ["b.txt"]
    with pytest.raises(BuildError):
        query.conflicts(G)
    with pytest.raises(BuildError):
        query.conflicts(tmp_path / "nowhere")


# -- purity and plain values --------------------------------------------------------------------------

def test_queries_leave_the_graph_alone_and_return_json(G):
    before = copy.deepcopy(G)
    answers = [query.find(G, "07-KH/TU"), query.show(G, D), query.tree(G, CT), query.chain(G, U_PT),
               query.coverage(G, D), query.coverage(G, D, level="district", province="Gia Lai"),
               query.lag(G, D), query.orphans(G)]
    for a in answers:
        json.dumps(a)
    assert nx.utils.graphs_equal(G, before)
    assert dict(G.nodes(data=True)) == dict(before.nodes(data=True))


def test_a_simple_digraph_works_too(G):
    H = nx.DiGraph(G)
    assert {n["id"] for n in query.tree(H, D)["nodes"]} == {n["id"] for n in query.tree(G, D)["nodes"]}


# -- a synthetic national corpus against the answers it was generated with ----------------------------

@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    if not SYNTH.exists():
        pytest.skip("../shared is not beside the repository")
    from cascade.corpus.build import build

    here = tmp_path_factory.mktemp("synth")
    subprocess.run([sys.executable, str(SYNTH), str(here), "--directives", "2", "--seed", "7"], check=True,
                   capture_output=True)
    b = build([here / "docs"], here / "out", workers=1)
    gold = json.loads((here / "gold.json").read_text(encoding="utf-8"))
    # gold ids are file ids ("000123") for the plans and numbers for the directives
    ours: dict[str, str] = {}
    for n, d in b.graph.nodes(data=True):
        for src in (d.get("source"), *str(d.get("sources") or "").split("; ")):
            if src:
                ours[n] = Path(src).stem
    return b.graph, gold, ours


def _gold_doc(gold: dict, key: str) -> dict:
    return gold["documents"].get(key) or gold["nodes"][key]


@pytest.mark.slow
def test_province_coverage_equals_the_plans_the_generator_wrote(synthetic):
    G, gold, _ = synthetic
    for root, ids in gold["queries"]["descendants"].items():
        want: dict[str, set[str]] = {"party": set(), "state": set()}
        for k in ids:
            d = _gold_doc(gold, k)
            if d["level"] == "province":
                want[d["branch"]].add(places.find_province(d["province"]).name)
        c = query.coverage(G, root)
        assert c["total"] == 63
        assert {r["province"] for r in c["rows"] if r["has_party"]} == want["party"], root
        assert {r["province"] for r in c["rows"] if r["has_state"]} == want["state"], root
        assert set(c["none"]) == {p.name for p in places.provinces()} - want["party"] - want["state"]


@pytest.mark.slow
def test_district_coverage_matches_the_plans_the_generator_wrote(synthetic):
    """Exact but for the few district plans the extractor places wrongly (see the message)."""
    G, gold, _ = synthetic
    for root, ids in gold["queries"]["descendants"].items():
        want: set[tuple[str, str, str]] = set()
        for k in ids:
            d = _gold_doc(gold, k)
            if d["level"] == "district":
                prov = places.find_province(d["province"]).name
                want.add((d["branch"], prov, places.find_district(d["district"], prov)[0].name))
        c = query.coverage(G, root, level="district")
        got = {(b, r["province"], r["district"]) for r in c["rows"] for b in ("party", "state") if r[b]}
        wrong = sorted(want ^ got)
        assert len(wrong) <= 0.03 * len(want), f"{root}: {len(wrong)} of {len(want)} differ: {wrong[:10]}"


@pytest.mark.slow
def test_lag_equals_the_days_between_the_generator_dates(synthetic):
    G, gold, ours = synthetic
    edges = gold["edges"]
    for root, ids in gold["queries"]["descendants"].items():
        inside = set(ids) | {root}
        want = {}
        for a, _, b, _ in edges:
            if a in ids and b in inside:
                child, parent = _gold_doc(gold, a), _gold_doc(gold, b)
                if child.get("date") and parent.get("date"):
                    days = (dt.date.fromisoformat(child["date"]) - dt.date.fromisoformat(parent["date"])).days
                    want[(b, a)] = (uptake._transition(parent, child), days)
        r = query.lag(G, root)
        got = {(ours.get(p["parent"], p["parent"]), ours.get(p["child"], p["child"])):
               (p["transition"], p["days"]) for p in r["pairs"]}
        common = want.keys() & got.keys()
        assert len(common) >= 0.97 * len(want), f"{root}: only {len(common)} of {len(want)} edges measured"
        assert {k: got[k] for k in common} == {k: want[k] for k in common}
        # the figures over those edges are the gold ones
        for kind in {v[0] for v in want.values()}:
            days = [want[k][1] for k in common if want[k][0] == kind]
            if days:
                assert statistics.median(days) == uptake._summary(
                    [got[k][1] for k in common if got[k][0] == kind])["median"]
        # provinces whose plans are all dated in gold: the day they first acted is the gold one
        start = dt.date.fromisoformat(_gold_doc(gold, root)["date"])
        first: dict[str, int] = {}
        complete: dict[str, bool] = {}
        for k in ids:
            d = _gold_doc(gold, k)
            if d["level"] != "province":
                continue
            p = places.find_province(d["province"]).name
            complete[p] = complete.get(p, True) and bool(d.get("date"))
            if d.get("date"):
                first[p] = min(first.get(p, 10**6), (dt.date.fromisoformat(d["date"]) - start).days)
        times = {t["unit"]: t for t in r["curves"][0]["times"]}
        for p, ok in complete.items():
            if ok:
                assert times[p] == {"unit": p, "days": first[p], "acted": True}, p
        never = {u.name for u in places.provinces()} - set(complete)
        assert all(not times[p]["acted"] for p in never)
        acted = [t["days"] for t in times.values() if t["acted"]]
        for n in (30, 60, 90):
            assert r["curves"][0]["share_after"][str(n)] == round(sum(d <= n for d in acted) / len(times), 4)



# -- one denominator, undated plans counted ------------------------------------------------------------

def _counts(c: dict) -> tuple:
    return (c["total"], c["with_party"], c["with_state"], c["with_both"], c["with_any"], c["date_unknown"])


def test_as_of_after_every_document_changes_no_count(G):
    for level in ("province", "district"):
        assert _counts(query.coverage(G, D, level=level, as_of="2024-01-01")) == _counts(
            query.coverage(G, D, level=level))
    late, plain = query.lag(G, D, as_of="2024-01-01"), query.lag(G, D)
    for a, b in zip(late["curves"], plain["curves"], strict=True):
        assert [a[k] for k in ("units", "acted", "acted_date_unknown")] == [
            b[k] for k in ("units", "acted", "acted_date_unknown")]
    assert late["transitions"] == plain["transitions"]


def test_an_undated_plan_is_counted_and_flagged_at_every_date(G):
    for as_of in (None, "2020-12-01", "2030-01-01"):
        c = query.coverage(G, D, as_of=as_of)
        [bt] = [r for r in c["rows"] if P_BT in r["party"]]      # Bình Thuận, or its successor from 2025
        assert bt["undated"] == [P_BT] and bt["date_unknown"], as_of


def test_a_provincial_plan_counts_the_districts_of_its_own_province(G):
    c = query.coverage(G, P_GL, level="district")
    assert c["total"] == len(places.districts("Gia Lai")) and c["with_any"] == 1
    assert c["denominator"]["within"] == "Gia Lai" and "of Gia Lai" in c["denominator"]["text"]
    r = query.lag(G, P_GL)
    assert [cv["units"] for cv in r["curves"]] == [c["total"]]
    assert r["curves"][0]["denominator"]["text"] == c["denominator"]["text"]
    # its own province, once; another province is outside its jurisdiction
    assert query.coverage(G, P_GL)["total"] == 1
    with pytest.raises(CascadeError, match="Gia Lai"):
        query.coverage(G, P_GL, level="district", province="Đắk Lắk")


def test_the_denominator_is_stated_with_its_day(G):
    c = query.coverage(G, D, as_of="2021-06-30")
    want = "63 provinces of Việt Nam (the map before 1 July 2025), as of 2021-06-30"
    assert c["denominator"]["text"] == want
    plain = query.coverage(G, D)["denominator"]
    assert plain["day"] == "2021-03-20" and not plain["day_is_as_of"] and "latest document" in plain["text"]
    after = query.coverage(G, D, as_of="2025-08-01")["denominator"]
    assert after["total"] == 34 and "from 1 July 2025" in after["text"]


def test_an_unknown_province_is_the_same_error_everywhere(G):
    for call in (lambda: query.coverage(G, D, province="Atlantis"),
                 lambda: query.tasks(G, province="Atlantis"),
                 lambda: query.agencies(G, province="Atlantis")):
        with pytest.raises(query.UnknownPlace, match="unknown province 'Atlantis'"):
            call()
