"""The words of Vietnamese administrative documents that the extraction stages look for, as data.

Each table below is plain data: phrases as documents print them and what they mean. The stages
build their regexes from these tables (``extract/clauses.py``, ``extract/mentions.py``,
``extract/layout.py``, ``extract/signature.py``); a new cue word is added here, once, and every
stage sees it. The relation names come from :mod:`cascade.vocab` and the type names are names of
its document types (``tests/test_cues.py`` checks both).

>>> TRIGGER_RELATIONS["căn cứ"], TRIGGER_RELATIONS["tiếp tục thực hiện"]
('based_on', 'continues')
>>> HEADER_TYPE_WORDS["KẾ HOẠCH HÀNH ĐỘNG"], MENTION_TYPE_WORDS["nđ"]
('Kế hoạch', 'Nghị định')
"""
from __future__ import annotations

# the relation names, from the vocabulary (the stages import them from here with their cue tables)
from cascade.vocab import AMENDS, BASED_ON, CITES, CONTINUES, GUIDES, IMPLEMENTS, REPEALS, REPLACES  # noqa: F401

# -- relations --------------------------------------------------------------------------------------------

FRONT = "front"        # a trigger that counts in the title and preamble only
ANYWHERE = "anywhere"  # a trigger that counts in the body too

#: trigger phrase -> (relation it states, where it counts). The longest phrase at a place wins.
#: "cites" triggers state no cascade relation; they end the clause before them.
TRIGGERS: tuple[tuple[str, str, str], ...] = (
    ("tiếp tục triển khai thực hiện", CONTINUES, FRONT),
    ("tiếp tục thực hiện", CONTINUES, FRONT),
    ("triển khai thực hiện", IMPLEMENTS, FRONT),
    ("tổ chức triển khai thực hiện", IMPLEMENTS, FRONT),
    ("thực hiện", IMPLEMENTS, FRONT),
    ("triển khai", IMPLEMENTS, FRONT),
    ("quán triệt", IMPLEMENTS, FRONT),
    ("cụ thể hóa", IMPLEMENTS, FRONT),
    ("cụ thể hoá", IMPLEMENTS, FRONT),
    ("căn cứ", BASED_ON, ANYWHERE),
    ("trên cơ sở", BASED_ON, ANYWHERE),
    ("sửa đổi, bổ sung", AMENDS, ANYWHERE),
    ("sửa đổi bổ sung", AMENDS, ANYWHERE),
    ("thay thế", REPLACES, ANYWHERE),
    ("bãi bỏ", REPEALS, ANYWHERE),
    ("hướng dẫn thi hành", GUIDES, ANYWHERE),
    ("quy định chi tiết thi hành", GUIDES, FRONT),
    ("quy định chi tiết", GUIDES, FRONT),
    ("theo đề nghị", CITES, ANYWHERE),
    ("xét đề nghị", CITES, ANYWHERE),
    ("sau khi xem xét", CITES, ANYWHERE),
    ("xét", CITES, ANYWHERE),
    ("theo", CITES, ANYWHERE),
    ("phúc đáp", CITES, ANYWHERE),
    ("trả lời", CITES, ANYWHERE),
)
#: trigger phrase -> the relation it states
TRIGGER_RELATIONS: dict[str, str] = {phrase: relation for phrase, relation, _ in TRIGGERS}

#: relations a trigger states about one document wherever it stands, not only at a clause start
#: ("Quyết định này ... và thay thế Quyết định số ...", "Nghị định sửa đổi ... Nghị định số ...")
LEGAL = frozenset({AMENDS, REPLACES, REPEALS})

#: words before a trigger that make it a look back, not a claim ("kết quả thực hiện", "Trong những năm
#: qua, ... thực hiện", "Sau 5 năm thực hiện")
RETROSPECTIVE = ("kết quả", "tình hình", "sơ kết", "tổng kết", "đánh giá", "trong những năm qua",
                 "trong thời gian qua", "thời gian qua", "những năm qua", "sau", "qua")

#: verbs of the main clause that closes a preamble sentence ("..., UBND tỉnh ban hành Kế hoạch ...")
MAIN_VERBS = ("ban hành", "xây dựng", "thống nhất", "có ý kiến", "yêu cầu", "chỉ đạo", "thông báo")

#: the relation the end of the text between two mentions states (named groups of the chain-tail regex
#: in ``extract/relations.py``: "... sửa đổi, bổ sung một số điều của Nghị định số ..."); none of them:
#: implements
CHAIN_RELATIONS: tuple[tuple[str, str], ...] = (
    ("cont", CONTINUES), ("amend", AMENDS), ("replace", REPLACES), ("repeal", REPEALS), ("guide", GUIDES))

# -- the header ----------------------------------------------------------------------------------------------

#: the national motto over a state document, word by word, each word with the forms copies print
#: (without tone marks, "HÓA" for "HÒA"); the last four words may be cut off by a wrapped cell
STATE_MOTTO_WORDS: tuple[tuple[str, ...], ...] = (
    ("CỘNG", "CONG"), ("HÒA", "HOA", "HÓA"), ("XÃ", "XA"), ("HỘI", "HOI"),
    ("CHỦ", "CHU"), ("NGHĨA", "NGHIA"), ("VIỆT", "VIET"), ("NAM",))
#: the heading over a Party document, word by word, as :data:`STATE_MOTTO_WORDS`
PARTY_MOTTO_WORDS: tuple[tuple[str, ...], ...] = (
    ("ĐẢNG", "ĐANG"), ("CỘNG", "CONG"), ("SẢN", "SAN"), ("VIỆT", "VIET"), ("NAM",))


def word_forms(forms: tuple[str, ...]) -> str:
    """A regex for the printed forms of one word, letter by letter ("CỘNG", "CONG" -> "C[ỘO]NG").

    >>> word_forms(("HÒA", "HOA", "HÓA")), word_forms(("NAM",))
    ('H[ÒOÓ]A', 'NAM')
    """
    out = []
    for letters in zip(*forms, strict=True):
        kinds = list(dict.fromkeys(letters))
        out.append(kinds[0] if len(kinds) == 1 else "[" + "".join(kinds) + "]")
    return "".join(out)


# -- document types -----------------------------------------------------------------------------------------

#: type names as a header prints them, upper case, and the type they give
HEADER_TYPE_WORDS: dict[str, str] = {
    "KẾ HOẠCH HÀNH ĐỘNG": "Kế hoạch", "KẾ HOẠCH": "Kế hoạch", "QUYẾT ĐỊNH": "Quyết định",
    "CHỈ THỊ": "Chỉ thị",
    "KẾT LUẬN": "Kết luận", "NGHỊ QUYẾT": "Nghị quyết", "CHƯƠNG TRÌNH HÀNH ĐỘNG": "Chương trình",
    "CHƯƠNG TRÌNH CÔNG TÁC": "Chương trình", "CHƯƠNG TRÌNH": "Chương trình",
    "THÔNG BÁO KẾT LUẬN": "Thông báo",
    "THÔNG BÁO": "Thông báo", "HƯỚNG DẪN": "Hướng dẫn", "BÁO CÁO": "Báo cáo", "TỜ TRÌNH": "Tờ trình",
    "QUY ĐỊNH": "Quy định", "QUY CHẾ": "Quy chế", "ĐỀ ÁN": "Đề án", "CÔNG VĂN": "Công văn",
    "NGHỊ ĐỊNH": "Nghị định", "THÔNG TƯ LIÊN TỊCH": "Thông tư liên tịch", "THÔNG TƯ": "Thông tư",
    "THÔNG TRI": "Thông tri", "CÔNG ĐIỆN": "Công điện", "PHƯƠNG ÁN": "Phương án", "LUẬT": "Luật",
    "PHÁP LỆNH": "Pháp lệnh", "QUY TRÌNH": "Quy trình", "CHIẾN LƯỢC": "Chiến lược", "DỰ ÁN": "Dự án",
    "THÔNG CÁO": "Thông cáo", "BIÊN BẢN": "Biên bản", "VĂN BẢN HỢP NHẤT": "Văn bản hợp nhất",
}

#: type words as a sentence cites another document, lower case, and the type they give; short codes
#: ("nq", "qđ") as texts abbreviate them
MENTION_TYPE_WORDS: dict[str, str] = {
    "nghị quyết": "Nghị quyết", "quyết định": "Quyết định", "chỉ thị": "Chỉ thị", "kết luận": "Kết luận",
    "kế hoạch": "Kế hoạch", "chương trình": "Chương trình", "thông báo": "Thông báo",
    "hướng dẫn": "Hướng dẫn", "công văn": "Công văn", "văn bản": "Công văn", "nghị định": "Nghị định",
    "thông tư liên tịch": "Thông tư liên tịch", "thông tư": "Thông tư", "thông tri": "Thông tri",
    "quy định": "Quy định", "quy chế": "Quy chế", "đề án": "Đề án", "tờ trình": "Tờ trình",
    "báo cáo": "Báo cáo", "công điện": "Công điện", "luật": "Luật", "pháp lệnh": "Pháp lệnh",
    "phương án": "Phương án", "nq": "Nghị quyết", "qđ": "Quyết định", "ct": "Chỉ thị", "kl": "Kết luận",
    "kh": "Kế hoạch", "nđ": "Nghị định",
}

#: the types a text cites by name, without a number ("Luật Đất đai", "Bộ luật Dân sự", "Hiến pháp")
LAW_WORDS = ("Luật", "Bộ luật", "Hiến pháp")

#: how a text writes the ordinal of a Party Central Committee plenum ("Hội nghị lần thứ tư")
ORDINALS: dict[str, int] = {
    "nhất": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "bẩy": 7,
    "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12, "mười ba": 13, "mười bốn": 14,
    "mười lăm": 15, "mười sáu": 16}

# -- the signature block ------------------------------------------------------------------------------------

#: the position lines of a signature block, upper case as printed, and the position they name
POSITIONS: dict[str, str] = {
    "CHỦ TỊCH": "Chủ tịch", "PHÓ CHỦ TỊCH": "Phó Chủ tịch", "BÍ THƯ": "Bí thư", "PHÓ BÍ THƯ": "Phó Bí thư",
    "GIÁM ĐỐC": "Giám đốc", "PHÓ GIÁM ĐỐC": "Phó Giám đốc", "TRƯỞNG BAN": "Trưởng ban",
    "PHÓ TRƯỞNG BAN": "Phó Trưởng ban", "CHÁNH VĂN PHÒNG": "Chánh Văn phòng",
    "PHÓ CHÁNH VĂN PHÒNG": "Phó Chánh Văn phòng", "THỦ TƯỚNG": "Thủ tướng", "PHÓ THỦ TƯỚNG": "Phó Thủ tướng",
    "BỘ TRƯỞNG": "Bộ trưởng", "THỨ TRƯỞNG": "Thứ trưởng", "TRƯỞNG PHÒNG": "Trưởng phòng",
    "PHÓ TRƯỞNG PHÒNG": "Phó Trưởng phòng", "TỔNG BÍ THƯ": "Tổng Bí thư", "THƯỜNG TRỰC": "Thường trực",
}

#: the capacity a signer signs in, printed before the position: TM. (on behalf of a collective body),
#: KT. (standing in for its head), TL. and TUQ. (by order, by delegation), Q. (acting)
CAPACITIES = ("TM.", "T/M", "KT.", "K/T", "TL.", "T/L", "TUQ.", "Q.")

#: the heading of the recipients list after the signature ("Nơi nhận:")
RECIPIENTS_MARKER = "Nơi nhận"

# -- units and committees ------------------------------------------------------------------------------

#: the type words of administrative units in an issuer's name, and the level they give
UNIT_LEVELS: dict[str, str] = {
    "tỉnh": "province", "huyện": "district", "quận": "district", "thị xã": "district", "thị": "district",
    "xã": "commune", "phường": "commune", "thị trấn": "commune", "đặc khu": "commune"}

#: the Party committee named after its unit ("Tỉnh ủy", "Thành ủy"), by the unit's first type word
PARTY_COMMITTEES: dict[str, str] = {
    "tỉnh": "Tỉnh ủy", "thành": "Thành ủy", "huyện": "Huyện ủy", "quận": "Quận ủy", "thị": "Thị ủy"}

# -- hosting sites and programmes ----------------------------------------------------------------------

#: the keys of a hosting site's metadata table ("Số hiệu: | 41/2006/NQ-HĐND"), lower case, and the record
#: field each fills
SITE_FIELDS: dict[str, str] = {
    "số hiệu": "number", "loại văn bản": "type", "ngày ban hành": "date", "cơ quan ban hành": "issuer",
    "nơi ban hành": "issuer", "người ký": "signer"}
#: every key such a table prints, as printed (the ones that fill no field end a value too)
SITE_KEY_NAMES = ("Số hiệu", "Loại văn bản", "Ngày ban hành", "Cơ quan ban hành", "Nơi ban hành", "Người ký",
                  "Ngày hiệu lực", "Ngày có hiệu lực", "Ngày công báo", "Ngày đăng công báo", "Số công báo",
                  "Lĩnh vực", "Tình trạng", "Ngày hết hiệu lực")

#: the kinds of programme a decision approves and a plan carries out by name ("Chiến lược phát triển ...")
PROGRAMME_WORDS = ("chiến lược", "đề án", "chương trình", "quy hoạch", "dự án")
