import pytest

from faq.langdetect import detect_language
from faq.lexicon import default_lexicon
from faq.normalize import words

LEXICON = default_lexicon()


def lang(text: str, hint: str | None = None) -> str:
    return detect_language(words(text), LEXICON, hint)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("apa perbedaan bpo dan call center?", "id"),
        ("apa perbezaan bpo dengan pusat panggilan?", "ms"),
        ("what is the difference between a BPO and a call centre", "en"),
        ("bpo tu apa sebenarnya, boleh terangkan?", "ms"),
        ("gimana sih cara kerja call center", "id"),
        ("mcm mana pusat panggilan berfungsi", "ms"),
        ("kenapa perusahaan pakai outsourcing", "id"),
        ("kenapa syarikat guna penyumberan luar", "ms"),
        ("perbedan bpo sm callcenter apaan", "id"),
    ],
)
def test_marker_words_decide(text, expected):
    assert lang(text) == expected
    other = "ms" if expected == "id" else "id"
    assert lang(text, hint=other) == expected, "the text's evidence outweighs the hint"


def test_hint_decides_when_text_cannot():
    assert lang("apa itu bpo?", hint="ms") == "ms"
    assert lang("apa itu bpo?", hint="id") == "id"


def test_terms_only_follow_the_hint_or_english():
    assert lang("BPO?", hint="id") == "id"
    assert lang("BPO?") == "en"


def test_spelling_breaks_an_id_ms_tie_only_without_a_hint():
    from faq.engine import Engine

    engine = Engine.from_path()
    assert engine.language("berapa jenis call centre yg ada") == "ms"
    assert engine.language("berapa jenis call center yg ada") == "id"
    assert engine.language("berapa jenis call centre yg ada", hint="id") == "id"
    assert engine.language("what is a call centre") == "en"
    assert engine.language("berapa jenis call centre sih") == "id"  # a marker beats spelling


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("udah pada makan siang belum?", "id"),
        ("dah makan tengahari ke belum", "ms"),
        ("capek banget hari ini", "id"),
        ("penat gila hari ni", "ms"),
        ("kalian mau nongkrong di mana nanti", "id"),
        ("korang nak lepak mana lepas kerja", "ms"),
        ("wkwkwk", "id"),
        ("kwkwkwk lucu", "id"),
        ("boleh nanya gak kak", "id"),  # Indonesian says "boleh" too: a weak marker yields
        ("boleh tanya sikit tak", "ms"),
        ("macet parah, telat dikit", "id"),
        ("bas lambat, sampai pejabat lambat sikit", "ms"),
    ],
)
def test_everyday_chat_words_tell_indonesian_from_malay(text, expected):
    assert lang(text) == expected
    assert lang(text, hint="ms" if expected == "id" else "id") == expected


@pytest.mark.parametrize(
    "text",
    [
        "where can I get good nasi lemak near the office?",
        "is the kantor open today",
        "what does kerja mean in this context",
        "so what is the difference la",
        "thanks, the makan was great",
    ],
)
def test_english_with_a_borrowed_word_stays_english(text):
    assert lang(text, hint="id") == "en"
    assert lang(text, hint="ms") == "en"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("aku nak tanya pasal BPO and call centre", "ms"),
        ("gue mau nanya soal BPO sama call center dong", "id"),
        ("can tak kita buat outbound calls from home", "ms"),
        ("training hari ini seru banget, the trainer was good", "id"),
    ],
)
def test_code_mixed_lines_follow_their_grammar_words(text, expected):
    assert lang(text, hint="en") == expected


def test_a_line_with_no_language_takes_the_hint_then_the_fallback():
    for text in ("hahaha", "😂😂", "?????"):
        assert lang(text, hint="ms") == "ms"
        assert lang(text, hint="id") == "id"
        assert lang(text) == "en"
        assert detect_language(words(text), LEXICON, None, "ms") == "ms"


def test_a_shared_word_only_says_indonesian_or_malay():
    # greetings and religious phrases both languages use: not English, and no side taken
    for text in ("waalaikumsalam", "insyaallah", "selamat pagi semua"):
        assert lang(text, hint="ms") == "ms"
        assert lang(text, hint="id") == "id"
        assert lang(text, hint="en") in ("id", "ms")
