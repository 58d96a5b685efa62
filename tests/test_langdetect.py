import pytest

from faq.engine import Engine
from faq.normalize import words

ENGINE = Engine.from_path()
"""The real detector: the language model fitted on the shipped FAQ and examples, and the
shipped lexicon's markers."""


def lang(text: str, hint: str | None = None) -> str:
    return ENGINE.language(text, hint)


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


def test_terms_only_follow_the_hint():
    for hint in ("id", "ms", "en"):
        assert lang("BPO?", hint=hint) == hint


def test_the_hint_decides_a_close_call_between_indonesian_and_malay():
    engine = ENGINE
    assert engine.language("berapa jenis call center yg ada") == "id"
    assert engine.language("berapa jenis call centre yg ada", hint="ms") == "ms"
    assert engine.language("berapa jenis call centre yg ada", hint="id") == "id"
    assert engine.language("what is a call centre", hint="ms") == "en"
    assert engine.language("berapa jenis call centre sih", hint="ms") == "id"  # a marker


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
        ("maaf ya telat dikit", "id"),
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
        "the AHT target this month is crazy la",  # Manglish: English grammar, a Malay particle
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
        ("boleh tak kita buat outbound calls dari rumah", "ms"),
        ("training hari ini seru banget, trainernya juga bagus", "id"),
    ],
)
def test_code_mixed_lines_follow_their_grammar_words(text, expected):
    assert lang(text, hint="en") == expected


def test_a_line_with_no_language_takes_the_hint_then_the_fallback():
    for text in ("hahaha", "😂😂", "?????"):
        assert lang(text, hint="ms") == "ms"
        assert lang(text, hint="id") == "id"
    for text in ("😂😂", "?????"):
        assert lang(text) == "en"
        assert ENGINE.languages.detect(words(text), None, "ms") == "ms"


def test_a_shared_word_only_says_indonesian_or_malay():
    # greetings and religious phrases both languages use: not English, and no side taken
    for text in ("waalaikumsalam", "selamat pagi semua"):
        assert lang(text, hint="ms") == "ms"
        assert lang(text, hint="id") == "id"
        assert lang(text, hint="en") in ("id", "ms")
    for hint in ("id", "ms"):
        assert lang("insyaallah", hint=hint) == hint


def test_slight_evidence_yields_to_what_is_known_of_the_user():
    # "ok", "thanks": words every trainee's chat uses, whatever the language
    for text in ("ok thanks", "noted", "hi"):
        assert lang(text, hint="ms") == "ms"
        assert lang(text, hint="id") == "id"
        assert lang(text) == "en"  # still better than a blind default
    assert lang("thank you so much", hint="ms") == "en"  # a sentence of English is English


def test_a_conversation_keeps_its_language_through_acknowledgements():
    from faq.conversation import Conversation

    engine = ENGINE
    chat = Conversation()
    assert engine.ask("korang dah siap ke belum", conversation=chat, now=0.0).lang == "ms"
    assert engine.ask("ok thanks", lang_hint="en", conversation=chat, now=1.0).lang == "ms"
    assert engine.ask("hahaha", lang_hint="en", conversation=chat, now=2.0).lang == "ms"
    assert chat.lang == "ms"
    assert engine.ask("gimana caranya, bisa dijelasin?", conversation=chat, now=3.0).lang == "id"
    assert engine.ask("wkwkwk", conversation=chat, now=4.0).lang == "id"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kualiti servis dia bagus", "ms"),  # -iti: the Malay spelling of -ity nouns
        ("kualitas layanannya bagus", "id"),
        ("gaskeun bro", "id"),
        ("presentation tadi nervous gila", "ms"),  # "gila" closing a line: a Malay intensifier
        ("betul ke dia cakap macam tu", "ms"),
    ],
)
def test_word_shapes_and_particles_tell_the_language(text, expected):
    assert lang(text) == expected


def test_a_line_that_overrules_the_remembered_language_is_remembered():
    from faq.conversation import Conversation

    chat = Conversation()
    assert (
        ENGINE.ask("why are so many BPO companies in Asia?", conversation=chat, now=0.0).lang
        == "en"
    )
    # Clearly not English, though Indonesian and Malay both say it: the memory follows.
    line = "selamat pagi semua, jangan lupa sarapan"
    assert ENGINE.ask(line, conversation=chat, now=1.0).lang in ("id", "ms")
    assert chat.lang in ("id", "ms")
    assert ENGINE.ask("👍", conversation=chat, now=2.0).lang == chat.lang
