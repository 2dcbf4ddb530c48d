"""normalize: NFC, invisible characters, tone marks, page-break repairs, offsets back to the raw text."""
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from cascade.text import normalize
from cascade.text.normalize import OffsetMap, _nfc_clusters, ascii_fold, canon_tone, clean, fold_letters, key


def test_nfd_text_becomes_nfc_and_offsets_point_into_the_raw_text():
    raw = unicodedata.normalize("NFD", "Kế hoạch số 07-KH/TU của Tỉnh ủy Đắk Lắk")
    c = clean(raw)
    assert c.text == "Kế hoạch số 07-KH/TU của Tỉnh ủy Đắk Lắk"
    i = c.text.index("07-KH/TU")
    a, b = c.original(i, i + len("07-KH/TU"))
    assert raw[a:b] == "07-KH/TU"
    j = c.text.index("Đắk Lắk")
    assert unicodedata.normalize("NFC", c.raw_slice(j, j + 7)) == "Đắk Lắk"


def test_eth_spaces_dashes_and_invisible_characters():
    raw = "Quyết định số 28/2016/QÐ\u2011UBND\u00a0ngày\u200b 01/7/2016"
    c = clean(raw)
    assert c.text == "Quyết định số 28/2016/QĐ-UBND ngày 01/7/2016"
    i = c.text.index("ngày")
    assert c.raw_slice(i, i + 4) == "ngày"


def test_tone_marks_take_one_canonical_place_without_moving_offsets():
    raw = "Tỉnh uỷ Hoà Bình khoá X, quý I"
    c = clean(raw)
    assert c.text == "Tỉnh ủy Hòa Bình khóa X, quý I"
    assert len(c.text) == len(raw)
    assert canon_tone("THUỶ") == "THỦY"


def test_reference_broken_by_a_page_break_is_joined():
    raw = "thực hiện Kế hoạch số 07-\n\nKH/TU và Kế hoạch số 21/KH-\n\nUBND ngày 23/12/\n2020 của UBND"
    c = clean(raw)
    assert "Kế hoạch số 07-KH/TU" in c.text
    assert "Kế hoạch số 21/KH-UBND" in c.text
    assert "ngày 23/12/2020" in c.text
    i = c.text.index("KH/TU")
    assert c.raw_slice(i, i + 5) == "KH/TU"


def test_sentence_broken_mid_way_is_joined_but_list_items_are_not():
    raw = ("phối hợp chặt chẽ với tổ chức đảng và cấp ủy cùng cấp tổ chức triển khai các nội dung của Chỉ\n\n"
           "thị số 42-CT/TW\n\na) Nội dung\n\nb) Trách nhiệm")
    c = clean(raw)
    assert "nội dung của Chỉ thị số 42-CT/TW" in c.text
    assert "\n\na) Nội dung\n\nb) Trách nhiệm" in c.text


def test_line_repeated_by_a_page_break_is_dropped():
    raw = ("- Tiếp tục tuyên truyền, quán triệt, nâng cao nhận thức của cấp ủy, chính\n\n"
           "- Tiếp tục tuyên truyền, quán triệt, nâng cao nhận thức của cấp ủy, chính quyền các cấp.\n")
    c = clean(raw)
    assert c.text.count("Tiếp tục tuyên truyền") == 1
    i = c.text.index("chính quyền")
    assert c.raw_slice(i, i + 11) == "chính quyền"


def test_keys_fold_case_tones_and_punctuation():
    assert key("TỈNH UỶ  Đắk Lắk.") == key("tỉnh ủy đắk lắk")
    assert ascii_fold("Đăk Hà") == ascii_fold("Dak Ha") == "dak ha"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_every_clean_span_maps_inside_the_raw_text(raw):
    c = clean(raw)
    prev = 0
    for i in range(0, len(c.text) + 1, max(1, len(c.text) // 17 or 1)):
        o = c.omap.to_original(i)
        assert 0 <= o <= len(raw)
        assert o >= prev
        prev = o


@given(st.text(alphabet="ábcđe -/\n0123456789KHTUỦủy", max_size=200))
def test_clean_is_idempotent_on_its_own_output(raw):
    once = clean(raw).text
    assert clean(once).text == clean(once).text


# letters, Vietnamese marks, marks outside U+0300-U+036F (Hebrew, for symbols, kana), Hangul
# jamo, letters that compose as second characters, singletons
_TRICKY = "aeêqệưÅ \n\u0301\u0300\u0302\u0323\u031b\u0328\u0345\u0344\u1dc4\u0591\u05b0\u20d0\u3099\u304b" \
          "\u1100\u1161\u11a8\u0f71\u0f72\u0b47\u0b3e\u2126\u0338"


@given(st.text(alphabet=_TRICKY, max_size=12))
def test_composing_the_clusters_of_nfc_text_changes_nothing(raw):
    """clean() composes text with Vietnamese marks without checking it is not NFC already."""
    text = unicodedata.normalize("NFC", raw)
    omap = OffsetMap()
    assert _nfc_clusters(text, omap) == text
    assert not omap.stages


def test_class8_a_few_nul_characters_are_text():
    from cascade.text.normalize import text_with_nuls

    data = "☐ Đồng ý \x00 ☐ Không đồng ý \x00\nKẾ HOẠCH số 5".encode()
    assert text_with_nuls(data) == data.decode()
    assert text_with_nuls(b"\x00" * 400 + b"abc") is None           # mostly NULs: binary
    c = clean("Có\x00không")
    assert c.text == "Có không" and c.original(3, 8) == (3, 8)       # a space, no offset moves


def test_fold_letters_folds_every_character_one_for_one():
    chars = [chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF]
    for c in chars:
        base = unicodedata.normalize("NFD", c)[:1].lower()
        assert fold_letters(c) == ("d" if base == "đ" else base if len(base) == 1 else c), hex(ord(c))
    everything = "".join(chars)
    assert fold_letters(everything) == "".join(map(fold_letters, chars))
    assert fold_letters("Ủy ban nhân dân TỈNH ĐẮK LẮK, İ") == "uy ban nhan dan tinh dak lak, i"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="-/ \na\u00a0", max_size=20))
def test_the_line_break_checks_find_what_the_substrings_find(text):
    # clean() asks one search whether a symbol or a date may be broken at a line end
    assert (normalize._HYPHEN_AT_LINE_END.search(text) is not None) == ("-\n" in text or "- \n" in text)
    assert (normalize._SLASH_AT_LINE_END.search(text) is not None) == ("/\n" in text or "/ \n" in text)


_TONE_TEXT = st.text(alphabet="qQuUoOyaeýỷỳÝỶàạÀẠèẻ 1_-", max_size=30)


@settings(max_examples=500, deadline=None)
@given(_TONE_TEXT)
def test_canonical_tones_move_every_old_style_pair_at_a_syllable_end_but_after_q(text):
    # each pair of normalize._TONES ending a syllable (no letter after it) takes the canonical form, unless a
    # q or Q comes before it ("quý" keeps its mark on y)
    want = list(text)
    i = 0
    while i < len(text) - 1:
        pair = text[i:i + 2]
        if pair in normalize._TONES and not (i + 2 < len(text) and text[i + 2].isalpha()):
            if not (i and text[i - 1] in "qQ"):
                want[i:i + 2] = normalize._TONES[pair]
            i += 2
        else:
            i += 1
    assert canon_tone(text) == "".join(want)


def test_decomposed_text_with_only_acute_and_tilde_marks_is_composed():
    # these two marks are not looked for before the NFC check: such text is composed all the same
    raw = unicodedata.normalize("NFD", "Các bé ngã, Tú Lý")
    assert "\u0301" in raw and "\u0303" in raw and not any(m in raw for m in normalize._VIETNAMESE_MARKS)
    c = clean(raw)
    assert c.text == "Các bé ngã, Tú Lý"
    i = c.text.index("Lý")
    assert c.raw_slice(i, i + 2) == raw[raw.index("Ly"):]


_EDITED = "aếê\u0301\u0323 -/\n\u200bKH1\u00a0\r"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_EDITED, max_size=60), st.data())
def test_a_span_maps_back_as_its_start_and_its_ends_map_through_each_stage(raw, data):
    # CleanText.original takes start, end - 1 and end back through the stages at once: the same as one
    # position at a time (OffsetMap.to_original), then trimmed of removed characters just after the span
    c = clean(raw)
    start = data.draw(st.integers(min_value=0, max_value=len(c.text)))
    end = data.draw(st.integers(min_value=0, max_value=len(c.text)))
    a = c.omap.to_original(start)
    if end <= start:
        want = (a, a) if c.omap.stages else (start, start)
    else:
        low = c.omap.to_original(end - 1) + 1
        b = max(low, c.omap.to_original(end))
        while b > low and raw[b - 1] in normalize._DELETED:
            b -= 1
        want = (a, b)
    assert c.original(start, end) == want
