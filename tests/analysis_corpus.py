# ruff: noqa: E501  (the document texts keep their paragraphs on one line)
"""A small hand-written cascade for the analysis tests: directive 88-CT/TW, which gives the
provinces a deadline; the Bắc Kạn Party plan carrying it out, which gives its districts one;
and district plans before, on, after and without a day."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

DIRECTIVE = """BAN CHẤP HÀNH TRUNG ƯƠNG
*
Số 88-CT/TW

ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nội, ngày 10 tháng 01 năm 2021

CHỈ THỊ
CỦA BAN BÍ THƯ
về tăng cường công tác bảo vệ rừng

I. NHIỆM VỤ

1. Các tỉnh ủy, thành ủy trực thuộc Trung ương xây dựng kế hoạch thực hiện, hoàn thành trước ngày 31/3/2021.

T/M BAN BÍ THƯ

Trần Văn B
"""

PROVINCE = """ĐẢNG BỘ TỈNH BẮC KẠN
TỈNH ỦY BẮC KẠN
*
Số 15-KH/TU

ĐẢNG CỘNG SẢN VIỆT NAM
Bắc Kạn, ngày {date} năm 2021

KẾ HOẠCH

Thực hiện Chỉ thị số 88-CT/TW ngày 10/01/2021 của Ban Bí thư

Thực hiện Chỉ thị số 88-CT/TW ngày 10/01/2021 của Ban Bí thư về tăng cường công tác bảo vệ rừng, Ban Thường vụ Tỉnh ủy ban hành Kế hoạch thực hiện như sau:

I. MỤC ĐÍCH, YÊU CẦU

1. Quán triệt nội dung Chỉ thị.

II. NHIỆM VỤ, GIẢI PHÁP

1. Tăng cường tuyên truyền về bảo vệ rừng.

Giao Ban Tuyên giáo Tỉnh ủy chủ trì thực hiện.

III. TỔ CHỨC THỰC HIỆN

1. Các huyện ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy xây dựng kế hoạch thực hiện, hoàn thành trước ngày 30/6/2021.

2. Các huyện ủy, thành ủy, đảng ủy trực thuộc báo cáo kết quả về Ban Thường vụ Tỉnh ủy trước ngày 15/12 hằng năm.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ

Nguyễn Văn A
"""

DISTRICT = """ĐẢNG BỘ HUYỆN {upper}
HUYỆN ỦY {upper}
*
Số {number}-KH/HU

ĐẢNG CỘNG SẢN VIỆT NAM
{name}, {date}

KẾ HOẠCH

Thực hiện Kế hoạch số 15-KH/TU ngày 20/02/2021 của Ban Thường vụ Tỉnh ủy Bắc Kạn

Thực hiện Kế hoạch số 15-KH/TU ngày 20/02/2021 của Ban Thường vụ Tỉnh ủy Bắc Kạn thực hiện Chỉ thị số 88-CT/TW ngày 10/01/2021 của Ban Bí thư, Ban Thường vụ Huyện ủy ban hành Kế hoạch triển khai thực hiện trên địa bàn huyện {name} như sau:

I. NHIỆM VỤ

1. Tuyên truyền sâu rộng về bảo vệ rừng.

Giao Ban Tuyên giáo Huyện ủy chủ trì thực hiện.

T/M BAN THƯỜNG VỤ
BÍ THƯ

Lê Văn C
"""

#: district -> its plan's date line ("" = undated); the deadline is 30/6/2021
DISTRICTS = {
    "Ba Bể": "ngày 15 tháng 6 năm 2021",  # 15 days early
    "Ngân Sơn": "ngày 30 tháng 6 năm 2021",  # on the day: on time
    "Na Rì": "ngày 10 tháng 7 năm 2021",  # 10 days late
    "Pác Nặm": "ngày 02 tháng 9 năm 2021",  # 64 days late
    "Chợ Đồn": "ngày    tháng 8 năm 2021",  # day left blank: date unknown (August)
}


def write(folder: Path, province_date: str = "20 tháng 02") -> Path:
    """Write the corpus into ``folder``/docs and return that folder."""
    docs = folder / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "ct88.txt").write_text(DIRECTIVE, encoding="utf-8")
    (docs / "kh15.txt").write_text(PROVINCE.format(date=f"ngày {province_date}"), encoding="utf-8")
    for i, (name, date) in enumerate(DISTRICTS.items(), start=1):
        (docs / f"hu{i}.txt").write_text(
            DISTRICT.format(upper=name.upper(), name=name, number=10 + i, date=date), encoding="utf-8"
        )
    return docs


SHARED = Path(__file__).resolve().parents[2] / "shared"
MAKE_CORPUS = SHARED / "synth" / "make_corpus.py"


def synthetic(folder: Path, seed: int = 7) -> Path:
    """Generate a one-directive synthetic corpus into ``folder`` (shared/synth) and return its docs folder."""
    import subprocess
    import sys

    r = subprocess.run(
        [
            sys.executable,
            str(MAKE_CORPUS),
            str(folder),
            "--directives",
            "1",
            "--seed",
            str(seed),
            "--district-share",
            "0.2",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    return folder / "docs"


def directive_with_plans(date: str, plans: list[tuple[str, str, str]]) -> nx.MultiDiGraph:
    """A graph of central directive ``d`` (dated ``date``) and one province plan ``p<i>`` per
    ``(province, date, branch)`` of ``plans``, each implementing it."""
    G = nx.MultiDiGraph()
    G.add_node("d", kind="document", level="central", date=date)
    for i, (prov, day, branch) in enumerate(plans):
        G.add_node(f"p{i}", kind="document", level="province", province=prov, branch=branch, date=day)
        G.add_edge(f"p{i}", "d", "implements", relation="implements")
    return G
