"""cascade.outputs.plots: each figure as PNG and SVG, on the sample corpus and on small graphs by hand."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from typer.testing import CliRunner

from cascade import cli, query
from cascade.errors import CascadeError
from cascade.graph import DOCUMENT
from cascade.outputs import plots

PNG = b"\x89PNG\r\n\x1a\n"
runner = CliRunner()


def small(dated: bool = True) -> nx.MultiDiGraph:
    """A directive, two provincial plans (Party and state) and a district plan."""
    G = nx.MultiDiGraph()

    def doc(n: str, **attrs: object) -> None:
        G.add_node(n, kind=DOCUMENT, number=n.split("@")[0], **attrs)

    doc("1-CT/TW", level="central", branch="party", date="2020-01-10" if dated else None,
        title="Về $x$ và 100% <b>chất lượng</b>")
    doc("2-KH/TU@Gia Lai", level="province", branch="party", province="Gia Lai", date="2020-02-20")
    doc("30/KH-UBND@Gia Lai", level="province", branch="state", province="Gia Lai", date="2020-04")
    doc("4-KH/HU@Gia Lai/Phú Thiện", level="district", branch="party", province="Gia Lai",
        district="Phú Thiện", date="2020-05-02")
    G.add_edge("2-KH/TU@Gia Lai", "1-CT/TW", key="implements", relation="implements")
    G.add_edge("30/KH-UBND@Gia Lai", "2-KH/TU@Gia Lai", key="implements", relation="implements")
    G.add_edge("4-KH/HU@Gia Lai/Phú Thiện", "2-KH/TU@Gia Lai", key="implements", relation="implements")
    return G


@pytest.mark.parametrize("kind", sorted(plots.PLOTS))
def test_each_plot_of_the_sample_corpus_as_png_and_svg(sample_graph, kind, tmp_path):
    fig = plots.plot(kind, sample_graph, "93-KL/TW")
    png = plots.save(fig, tmp_path / f"{kind}.png")
    svg = plots.save(fig, tmp_path / f"{kind}.svg")
    assert png.read_bytes().startswith(PNG)
    root = ET.fromstring(svg.read_bytes())
    assert root.tag.endswith("svg")
    assert not list(root.iter("{http://www.w3.org/2000/svg}script"))


def test_svg_is_reproducible(sample_graph):
    a = plots.svg(plots.timeline(sample_graph, "93-KL/TW"))
    b = plots.svg(plots.timeline(sample_graph, "93-KL/TW"))
    assert a == b and b"<dc:date>" not in a


def test_titles_say_what_the_figure_counts(sample_graph):
    t = plots.timeline(sample_graph, "93-KL/TW").axes[0].get_title(loc="left")
    assert t.startswith("93-KL/TW: 6 documents carry it out") and "with date unknown (grey band)" in t
    c = plots.coverage(sample_graph, "93-KL/TW").axes[0].get_title(loc="left")
    assert "3 of 63 provinces acted" in c
    ax = plots.coverage(sample_graph, "93-KL/TW").axes[0]
    assert len(ax.get_yticklabels()) == 63                           # who has not acted is listed too
    lag_axes = plots.lag(sample_graph, "93-KL/TW").axes
    assert len(lag_axes) == 2                                         # boxes by transition, share acted
    assert any("central->province" in t.get_text() for t in lag_axes[0].get_yticklabels())


def test_dollars_and_markup_in_texts_are_printed_as_they_are():
    G = small()
    for kind in plots.PLOTS:
        assert plots.png(plots.plot(kind, G, "1-CT/TW")).startswith(PNG)


def test_an_undated_directive_still_gets_its_figures():
    G = small(dated=False)
    for kind in plots.PLOTS:
        assert plots.svg(plots.plot(kind, G, "1-CT/TW")).startswith(b"<?xml")


def test_coverage_past_max_rows_draws_only_those_that_acted():
    G = small()
    fig = plots.coverage(G, "1-CT/TW", max_rows=10)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Gia Lai"]
    assert "62 more without a plan not drawn" in ax.get_title(loc="left")


def test_coverage_of_the_districts_of_one_province():
    fig = plots.coverage(small(), "1-CT/TW", level="district", province="Gia Lai")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0] == "Gia Lai/Phú Thiện" and len(labels) > 10


def test_unknown_kind_and_suffix_are_errors(tmp_path):
    with pytest.raises(CascadeError, match="unknown plot"):
        plots.plot("pie", small(), "1-CT/TW")
    with pytest.raises(CascadeError, match=r"\.png or an \.svg"):
        plots.save(plots.timeline(small(), "1-CT/TW"), tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_cli_plot_writes_png_and_svg(sample_build, tmp_path):
    for kind, name in (("coverage", "c.svg"), ("lag", "l.png"), ("timeline", "t.png")):
        target = tmp_path / name
        argv = ["plot", kind, "Kết luận 93", "-o", str(target), "--build-dir", str(sample_build)]
        r = runner.invoke(cli.app, argv)
        assert r.exit_code == 0, r.output
        assert target.stat().st_size > 1000
    r = runner.invoke(cli.app, ["plot", "coverage", "93-KL/TW", "--as-of", "2021-01-31", "-o",
                                str(tmp_path / "early.png"), "--build-dir", str(sample_build)])
    assert r.exit_code == 0, r.output


def test_undated_documents_are_drawn_and_counted(sample_graph):
    from matplotlib.collections import PathCollection

    tree = query.tree(sample_graph, "93-KL/TW")
    ax = plots.timeline(sample_graph, "93-KL/TW").axes[0]
    drawn = sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))
    assert drawn == len(tree["nodes"])                               # every document, dated or not
    assert any(t.get_text() == "date unknown" for t in ax.texts)
    c = query.coverage(sample_graph, "93-KL/TW")
    title = plots.coverage(sample_graph, "93-KL/TW").axes[0].get_title(loc="left")
    assert c["denominator"]["text"] in title
    if c["date_unknown"]:
        assert f"{c['date_unknown']} of them on a date unknown" in title


def test_the_report_states_one_denominator_and_counts_undated_plans():
    from cascade.outputs.report import report_html

    G = small()
    G.add_node("9-KH/TU@Kon Tum", kind=DOCUMENT, number="9-KH/TU", level="province", branch="party",
               province="Kon Tum")                                     # undated
    G.add_edge("9-KH/TU@Kon Tum", "1-CT/TW", key="implements", relation="implements")
    page = report_html(G, "1-CT/TW")
    cov = query.coverage(G, "1-CT/TW")
    dcov = query.coverage(G, "1-CT/TW", level="district")
    assert cov["with_any"] == 2 and cov["date_unknown"] == 1
    assert f"{cov['with_any']} / {cov['total']}" in page and cov["denominator"]["text"] in page
    assert f"{dcov['with_any']} / {dcov['total']}" in page and dcov["denominator"]["text"] in page
    assert "1 on a date unknown" in page and "date unknown" in page
    # the lag table counts the same units as the coverage of the same level
    lag = query.lag(G, "1-CT/TW")
    assert [c["units"] for c in lag["curves"]] == [cov["total"], dcov["total"]]
