"""outputs.maps and outputs.report without a browser: what the pages hold, the layout, the CLI.

What happens in a real browser (search, tooltips, no request) is in test_browser.py.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from conftest import HOSTILE_EVIDENCE, HOSTILE_ID, HOSTILE_ISSUER, HOSTILE_TITLE
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cascade import cli
from cascade.errors import CascadeError, ResolutionError
from cascade.graph import DOCUMENT, KIND
from cascade.outputs import maps as viz
from cascade.outputs.report import report_html, write_report

runner = CliRunner()


def page_data(page: str) -> list[dict]:
    """The JSON payload of every map in a page."""
    found = re.findall(r'<script type="application/json" class="cm-data">(.*?)</script>', page, flags=re.S)
    return [json.loads(m) for m in found]


def inline_scripts(page: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", page, flags=re.S)


def seed(G: nx.MultiDiGraph, prefix: str) -> str:
    """The node of the sample plan whose file name starts with ``prefix`` ("002")."""
    return next(n for n, d in G.nodes(data=True) if Path(str(d.get("source") or "")).name.startswith(prefix))


# -- the one-document map -------------------------------------------------------------------------------

def test_the_map_of_93_kl_tw_holds_its_cascade_the_chain_above_and_what_it_cites(sample_graph):
    sel = viz.cascade_members(sample_graph, "Kết luận 93")
    assert sel.root == "93-KL/TW"
    ids = set(sel.nodes)
    assert {"07-KH/TU@Đắk Lắk", "15-KH/TU@Bình Thuận", "25-KH/TU@Gia Lai"} <= ids      # carry it out
    assert "42-CT/TW" in ids and "42-CT/TW" not in sel.context                          # the chain above
    assert "327/BNV-TCPCP" in sel.context                                               # cited by a plan
    assert "2629/KH-UBND@Kon Tum" not in ids                                            # another cascade
    without = viz.cascade_members(sample_graph, "93-KL/TW", cited=False)
    assert not without.context and set(without.nodes) < ids
    data = page_data(viz.map_html(sample_graph, "93-KL/TW"))[0]
    assert [n["id"] for n in data["nodes"]] == sel.nodes
    assert data["root"] == "93-KL/TW"


def test_nodes_carry_colour_by_level_shape_by_branch_size_by_implementers(sample_graph):
    data = page_data(viz.map_html(sample_graph, "93-KL/TW"))[0]
    nodes = {n["id"]: n for n in data["nodes"]}
    root, party, district = nodes["93-KL/TW"], nodes["07-KH/TU@Đắk Lắk"], nodes[seed(sample_graph, "002")]
    assert root["color"] == viz.LEVEL_COLORS["central"] and party["color"] == viz.LEVEL_COLORS["province"]
    assert district["color"] == viz.LEVEL_COLORS["district"]
    assert party["shape"] == viz.BRANCH_SHAPES["party"]
    assert nodes[seed(sample_graph, "000")]["shape"] == viz.BRANCH_SHAPES["state"]
    assert root["info"]["implementers"] == 4 and root["size"] > party["size"]
    assert party["info"]["issuer"] == "Ban Thường vụ Tỉnh ủy Đắk Lắk"
    assert party["info"]["date"] == "2020-12-23"
    assert district["label"] == "Kế hoạch Phú Thiện"                 # no number: type and place


def test_edges_carry_relation_and_evidence(sample_graph):
    data = page_data(viz.map_html(sample_graph, "93-KL/TW"))[0]
    rels = {e["rel"] for e in data["edges"]}
    assert {"implements", "continues", "based_on", "cites"} <= rels
    e = next(e for e in data["edges"] if e["from"] == "07-KH/TU@Đắk Lắk" and e["to"] == "93-KL/TW")
    assert e["rel"] == "implements" and e["es"].endswith("000_319b8b36a4c16e47.txt")
    assert e["ev"].startswith("Thực hiện Kế hoạch số 07-KH/TU") and re.fullmatch(r"\d+-\d+", e["sp"])
    styles = data["styles"]["relations"]
    assert styles["cites"]["dashes"] and not styles["implements"]["dashes"]


def test_tasks_and_agencies_join_the_map_when_asked(sample_graph):
    plain = viz.cascade_members(sample_graph, "93-KL/TW")
    with_tasks = viz.cascade_members(sample_graph, "93-KL/TW", tasks=True)
    kinds = {sample_graph.nodes[n][KIND] for n in with_tasks.nodes}
    assert kinds == {"document", "task", "agency"} and len(with_tasks.nodes) > len(plain.nodes)
    data = page_data(viz.map_html(sample_graph, "93-KL/TW", tasks=True))[0]
    assert {"has_task", "lead"} <= {e["rel"] for e in data["edges"]}
    assert {"task", "agency"} <= {n["lv"] for n in data["nodes"]}


def test_an_unknown_or_ambiguous_document_is_a_resolution_error(sample_graph):
    with pytest.raises(ResolutionError):
        viz.map_html(sample_graph, "999-XX/TW")


# -- layout -------------------------------------------------------------------------------------------------

def test_layout_groups_by_province_rows_by_level_and_never_stacks_two_nodes(sample_graph):
    nodes = viz.corpus_members(sample_graph).nodes
    where = viz.layout(sample_graph, nodes)
    assert set(where.pos) == set(nodes)
    assert len(set(where.pos.values())) == len(nodes)
    frames = {f.key: f for f in where.frames}
    assert {"Đắk Lắk", "Bình Thuận", "Gia Lai", "Kon Tum"} <= set(frames)
    for n in nodes:
        d = sample_graph.nodes[n]
        key = d.get("province") if d.get("level") != "central" else viz._CENTRAL
        f = frames[key]
        x, y = where.pos[n]
        assert f.x <= x <= f.x + f.w and f.y <= y <= f.y + f.h, n
    # the central block is on top; a plan sits below the plan of the same level it carries out
    assert frames[viz._CENTRAL].y < min(f.y for k, f in frames.items() if k != viz._CENTRAL)
    assert where.pos[seed(sample_graph, "000")][1] > where.pos["07-KH/TU@Đắk Lắk"][1]
    assert where.pos[seed(sample_graph, "002")][1] > where.pos["25-KH/TU@Gia Lai"][1]


def test_province_blocks_follow_the_gazetteer_north_to_south(national):
    G = national(provinces=63, per_province=3)
    where = viz.layout(G, list(G))
    frames = [f for f in where.frames if f.key != viz._CENTRAL]
    assert frames[0].label == "Hà Nội" and frames[-1].label == "Cà Mau"
    assert [(f.y, f.x) for f in frames] == sorted((f.y, f.x) for f in frames)


def test_a_national_corpus_map_is_flat_and_drawn_without_physics(national):
    G = national()                                   # 5,041 documents
    page = viz.map_html(G)
    data = page_data(page)[0]
    assert len(data["nodes"]) == G.number_of_nodes() > 5000
    assert data["big"] and data["options"]["physics"]["enabled"] is False
    assert data["options"]["edges"]["smooth"] is False and data["hidden"] == ["cites"]
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert not any(s["dashes"] for s in data["styles"]["relations"].values())


# -- offline and safe ----------------------------------------------------------------------------------------

def test_the_page_loads_nothing_from_anywhere(sample_graph):
    page = viz.map_html(sample_graph)
    assert not re.search(r"""<(script|link|img|iframe)[^>]*\s(src|href)\s*=""", page, flags=re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", page, flags=re.I)
    assert "cdnjs" not in page and "unpkg" not in page and "jsdelivr" not in page
    assert "sourceMappingURL" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp
    for script in inline_scripts(page):
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1]


def test_the_page_inlines_its_asset_files_as_they_are(sample_graph):
    page = viz.map_html(sample_graph, "93-KL/TW")
    for name in ("map.js", "map.css", "map-controls.html"):
        text = (viz.ASSETS / name).read_text(encoding="utf-8")
        assert len(text) > 100 and text in page, name
    script = (viz.ASSETS / "map.js").read_text(encoding="utf-8")
    assert f"<script>{script}</script>" in page
    assert not hasattr(viz, "_MAP_JS") and not hasattr(viz, "_CSS")      # the code carries no copy


def test_hostile_text_is_escaped_everywhere(hostile_graph):
    report = report_html(hostile_graph, "93-KL/TW")
    for page in (viz.map_html(hostile_graph, "93-KL/TW"), viz.map_html(hostile_graph), report):
        for needle in ("<script>window.__pwned", "</script><script>", "<img src=x", "<b>đậm</b>", "<!-- thử",
                       "<i>evil</i>"):
            assert needle not in page, needle
        data = page_data(page)[0]                 # and the JSON still gives the text back exactly
        node = next(n for n in data["nodes"] if n["id"] == HOSTILE_ID)
        assert node["info"]["title"] == HOSTILE_TITLE and node["info"]["issuer"] == HOSTILE_ISSUER
        edge = next(e for e in data["edges"] if e["from"] == HOSTILE_ID)
        assert edge["ev"] == HOSTILE_EVIDENCE
    assert html.escape("99-KH/TU <b>đậm</b>") in report


def test_script_json_escapes_what_could_end_a_script():
    text = viz._script_json({"a": "</script><!--<script>&\u2028\u2029"})
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"a": "</script><!--<script>&\u2028\u2029"}


def test_the_vendored_vis_network_is_there_with_its_licences():
    vendor = viz.VENDOR / "vis-network"
    assert (vendor / "LICENSE-MIT").exists() and (vendor / "LICENSE-APACHE-2.0").exists()
    head = viz.VIS_JS.read_text(encoding="utf-8")[:600]
    assert "vis-network" in head and "@version 10.1.5" in head
    sources = (viz.VENDOR.parent / "SOURCES.md").read_text(encoding="utf-8")
    assert "## Vendored assets" in sources and hashlib.sha256(viz.VIS_JS.read_bytes()).hexdigest() in sources


# -- files and the build -------------------------------------------------------------------------------------

def test_write_map_and_build_extra_write_through_a_temporary_file(sample_graph, tmp_path):
    from cascade.corpus.build import Build

    p = viz.write_map(sample_graph, tmp_path / "sub" / "m.html", "93-KL/TW")
    assert p.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [x.name for x in tmp_path.joinpath("sub").iterdir()] == ["m.html"]
    written = viz.build_extra(Build(out=tmp_path, graph=sample_graph))
    assert written == [tmp_path / "map.html"]
    docs = sum(1 for _, k in sample_graph.nodes(data=KIND) if k == DOCUMENT)
    assert len(page_data(written[0].read_text(encoding="utf-8"))[0]["nodes"]) == docs


@pytest.mark.parametrize("doc, tasks", [("93-KL/TW", False), ("93-KL/TW", True), (None, False), (None, True)])
def test_the_written_map_is_the_page_string_and_holds_the_network_data(hostile_graph, tmp_path, doc, tasks):
    # write_map writes the page a node at a time; map_html joins the same pieces: the two must agree
    # byte for byte, and the streamed JSON must hold exactly what network() builds in memory
    G = hostile_graph
    G.add_node("line\u2028sep", kind="document", level="province", province="Gia Lai", title="a & <c>",
               issuer="x\u2029y")
    G.add_edge("line\u2028sep", "93-KL/TW", key="implements", relation="implements", evidence="</script>")
    text = viz.map_html(G, doc, tasks=tasks)
    p = viz.write_map(G, tmp_path / "m.html", doc, tasks=tasks)
    assert p.read_bytes() == text.encode("utf-8")
    data = page_data(text)[0]
    sel = viz.corpus_members(G, tasks=tasks) if doc is None else viz.cascade_members(G, doc, tasks=tasks)
    net = viz.network(G, sel.nodes, viz.layout(G, sel.nodes, sel.root, context=sel.context))
    assert data["nodes"] == net.nodes and data["edges"] == net.edges and data["options"] == net.options
    assert data["root"] == sel.root and any(e.get("ev") == "</script>" for e in data["edges"])
    assert next(n for n in data["nodes"] if n["id"] == "line\u2028sep")["info"]["issuer"] == "x\u2029y"
    assert not re.search(r"[\u2028\u2029]", text) and text.count("</script>") == 3


def test_the_big_map_streamed_has_the_big_options(national, tmp_path):
    G = national(provinces=20, per_province=80)
    p = viz.write_map(G, tmp_path / "n.html")
    data = page_data(p.read_text(encoding="utf-8"))[0]
    assert len(data["nodes"]) > viz.BIG and data["big"] and data["hidden"] == ["cites"]
    assert data["options"] == viz._options(True) and data["options"]["edges"]["smooth"] is False


def test_an_unknown_document_writes_nothing(sample_graph, tmp_path):
    with pytest.raises(ResolutionError):
        viz.write_map(sample_graph, tmp_path / "sub" / "m.html", "999-XX/TW")
    assert list(tmp_path.iterdir()) == []


# -- the report ---------------------------------------------------------------------------------------------

def test_the_report_has_every_section_and_embeds_figures_and_map(sample_graph, tmp_path):
    p = write_report(sample_graph, tmp_path / "r.html", "93-KL/TW")
    page = p.read_text(encoding="utf-8")
    headings = ("Summary", "Chain above", "Tree", "Coverage by province", "Lag by level", "Figures", "Map")
    for heading in headings:
        assert f"<h2>{heading}" in page, heading
    assert page.count('src="data:image/svg+xml;base64,') == 3
    assert "3 / 63" in page and "provinces acted" in page
    assert "07-KH/TU" in page and "Kế hoạch Phú Thiện" in page
    assert len(page_data(page)) == 1
    assert "Nghệ An" in page                                         # among the provinces with no plan


# -- the command line ---------------------------------------------------------------------------------------

def test_cli_map_report_and_their_errors(sample_build, tmp_path):
    out = str(sample_build)
    r = runner.invoke(cli.app, ["map", "93-KL/TW", "-o", str(tmp_path / "m.html"), "--build-dir", out])
    assert r.exit_code == 0, r.output
    from cascade.corpus.build import load

    expected = len(viz.cascade_members(load(sample_build).graph, "93-KL/TW").nodes)
    assert len(page_data((tmp_path / "m.html").read_text(encoding="utf-8"))[0]["nodes"]) == expected
    r = runner.invoke(cli.app, ["map", "--all", "--tasks", "-o", str(tmp_path / "all.html"),
                                "--build-dir", out])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli.app, ["report", "Kết luận 93", "-o", str(tmp_path / "r.html"), "--build-dir", out])
    assert r.exit_code == 0 and (tmp_path / "r.html").exists()
    for argv in (["map", "--build-dir", out], ["map", "93-KL/TW", "--all", "--build-dir", out]):
        r = runner.invoke(cli.app, argv)
        assert isinstance(r.exception, CascadeError) and "--all" in str(r.exception)
    r = runner.invoke(cli.app, ["map", "no-such-doc", "--build-dir", out])
    assert isinstance(r.exception, ResolutionError)


def test_build_extra_is_picked_up_by_cascade_build():
    assert any(getattr(x, "__module__", "") == "cascade.outputs.maps" for x in cli._extras(False, True, None))


def test_map_is_not_written_when_the_document_is_unknown(sample_build, tmp_path: Path):
    target = tmp_path / "m.html"
    runner.invoke(cli.app, ["map", "no-such-doc", "-o", str(target), "--build-dir", str(sample_build)])
    assert not target.exists()


def test_the_json_list_pieces_are_each_item_escaped_and_joined():
    """More items than one piece holds: the pieces join to the items' script JSON, comma-separated."""
    items = [{"id": f"n{i}", "t": "</script>&<!--\u2028" * (i % 3), "x": i / 10} for i in range(700)]
    pieces = list(viz._script_json_list(items))
    assert 1 < len(pieces) < len(items)
    assert "".join(pieces) == ",".join(viz._script_json(i) for i in items)
    assert json.loads("[" + "".join(pieces) + "]") == items
    assert list(viz._script_json_list([])) == []


@pytest.mark.parametrize("text", ["  a\u00a0\u00a0b\t\nc  ", "\u2028x\x1cy\x85z\u3000", "one", "",
                                  " \u200b "])
def test_short_texts_have_each_run_of_white_space_as_one_space(text):
    """Runs of any white space (no-break, ideographic, line separators) become one space, ends trimmed."""
    assert viz._short(text, 400) == re.sub(r"\s+", " ", text).strip()
    assert viz._short("word " * 100, 20) == ("word " * 4).rstrip() + "…"


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats()
    | st.sampled_from([1e-5, 2.5e-7, 1e-4, 1e16, 1.5e300, -0.0, 0.0, float("nan"), float("-inf")])
    | st.text(alphabet=st.sampled_from(list('aĐ"\\/<>&\n\x00\x1f\x7f\u2028\ud800é𝄞')), max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=24)


@settings(max_examples=400, deadline=None)
@given(_JSON_VALUES)
def test_the_map_data_is_written_as_json_dumps_writes_it(value):
    """The map's JSON, made by orjson where it writes the same text: always what json.dumps writes
    (small floats, nan, huge integers and lone surrogates included)."""
    assert viz._compact_json(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
