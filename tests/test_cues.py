"""The cue words of vn/cues.py name the vocabulary's relations and document types."""
from __future__ import annotations

from cascade import vocab
from cascade.extract import clauses, issuers, layout, mentions, relations
from cascade.vn import cues


def test_relation_names_are_the_vocabulary_s():
    named = (cues.IMPLEMENTS, cues.CONTINUES, cues.BASED_ON, cues.CITES, cues.AMENDS, cues.REPLACES,
             cues.REPEALS, cues.GUIDES)
    assert named == ("implements", "continues", "based_on", "cites", "amends", "replaces", "repeals",
                     "guides")
    stated = {r for _, r, _ in cues.TRIGGERS} | {r for _, r in cues.CHAIN_RELATIONS} | set(cues.LEGAL)
    assert stated <= set(vocab.DOCUMENT_RELATIONS)
    assert {w for _, _, w in cues.TRIGGERS} == {cues.FRONT, cues.ANYWHERE}


def test_type_words_name_vocabulary_types():
    names = {t.name for t in vocab.all_doc_types()}
    assert set(cues.MENTION_TYPE_WORDS.values()) <= names
    assert set(cues.HEADER_TYPE_WORDS.values()) - names <= {"Quy trình", "Thông cáo"}
    assert set(cues.LAW_WORDS) <= names


def test_stages_read_the_one_table():
    assert clauses.TRIGGERS is cues.TRIGGERS
    assert layout.TYPE_WORDS is cues.HEADER_TYPE_WORDS
    assert mentions.TYPE_WORDS is cues.MENTION_TYPE_WORDS
    assert layout.SITE_KEYS is cues.SITE_FIELDS and issuers.UNIT_LEVEL is cues.UNIT_LEVELS
    assert relations.PROGRAMME_WORDS is cues.PROGRAMME_WORDS
    assert set(cues.SITE_FIELDS) <= {k.lower() for k in cues.SITE_KEY_NAMES}
    assert all(k == k.upper() for k in cues.HEADER_TYPE_WORDS)
    assert all(k == k.lower() for k in cues.MENTION_TYPE_WORDS)


def test_a_new_trigger_phrase_is_read_by_the_clause_stage():
    text = "Quán triệt Kết luận số 5-KL/TW; Chỉ thị số 6-CT/TW."
    found = clauses.find_clauses(text, [], len(text))
    assert [c.relation for c in found] == [cues.TRIGGER_RELATIONS["quán triệt"]]


def test_a_hosting_site_table_is_read_with_the_keys_of_the_table():
    text = "Số hiệu: | 41/2006/NQ-HĐND | Loại văn bản: | Nghị quyết | Tình trạng: | Còn hiệu lực\n\nNội dung"
    site = layout.read_layout(text).site
    assert site["number"][0] == "41/2006/NQ-HĐND" and site["type"][0] == "Nghị quyết"
