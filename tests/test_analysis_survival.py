"""Kaplan-Meier, log-rank and Cox on a directive's panel; the estimates agree with lifelines."""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import pytest

from cascade.analysis.survival import kaplan_meier, plot, survival

lifelines = pytest.importorskip("lifelines")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_km_equals_lifelines(seed: int) -> None:
    rng = random.Random(seed)
    n = 80
    durations = [rng.randint(0, 60) for _ in range(n)]  # many ties, and some zeros
    events = [int(rng.random() < 0.6) for _ in range(n)]
    ours = kaplan_meier(durations, events)
    km = lifelines.KaplanMeierFitter().fit(durations, events)
    sf = km.survival_function_["KM_estimate"]
    ci = km.confidence_interval_
    assert [s["time"] for s in ours] == [float(t) for t in sf.index]
    for s in ours:
        assert s["survival"] == pytest.approx(sf.loc[s["time"]], abs=1e-12)
        if 0 < s["survival"] < 1:
            assert s["lower"] == pytest.approx(ci.loc[s["time"]].iloc[0], abs=1e-9)
            assert s["upper"] == pytest.approx(ci.loc[s["time"]].iloc[1], abs=1e-9)


def _graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("d", kind="document", level="central", date="2021-01-01")
    rng = random.Random(5)
    from cascade.vn import places

    for i, u in enumerate(places.provinces("pre2025")):
        if rng.random() < 0.7:
            month = rng.randint(1, 11)
            G.add_node(
                f"p{i}",
                kind="document",
                level="province",
                province=u.name,
                branch=rng.choice(["party", "state"]),
                date=f"2021-{month + 1:02d}-{rng.randint(1, 28):02d}",
            )
            G.add_edge(f"p{i}", "d", "implements", relation="implements")
    return G


def test_survival_by_region(tmp_path: Path) -> None:
    from lifelines.statistics import multivariate_logrank_test

    from cascade.analysis.panel import panel
    from cascade.analysis.survival import durations

    G = _graph()
    r = survival(G, "d", by="region", as_of="2021-12-31")
    assert r["units"] == 63 and sum(r["groups"].values()) == 63 and len(r["curves"]) == 6
    units = durations(panel(G, "d", as_of="2021-12-31"))
    t = multivariate_logrank_test(
        [u["days"] for u in units], [u["region"] for u in units], [u["event"] for u in units]
    )
    assert r["logrank"]["p"] == pytest.approx(t.p_value) and r["logrank"]["df"] == 5
    # one unit's duration by hand: Hà Nội acts on its plan's day, counted from 1 January
    hn = next(u for u in units if u["unit"] == "Hà Nội")
    plan = next((d["date"] for _, d in G.nodes(data=True) if d.get("province") == "Hà Nội"), None)
    import datetime as dt

    assert (
        hn["days"]
        == ((dt.date.fromisoformat(plan) if plan else dt.date(2021, 12, 31)) - dt.date(2021, 1, 1)).days
    )
    assert "exposed_share" in r["cox"]["covariates"]
    assert "past_deadline" in r["cox"]["dropped"]           # no deadline was set: constant, left out
    paths = plot(r, tmp_path / "km")
    assert [p.suffix for p in paths] == [".png", ".svg"] and all(p.stat().st_size > 1000 for p in paths)


def test_survival_by_branch_two_curves() -> None:
    r = survival(_graph(), "d", by="branch", as_of="2021-12-31", cox=False)
    assert set(r["curves"]) == {"party", "state"} and r["groups"] == {"party": 63, "state": 63}
