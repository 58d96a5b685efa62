import pytest

from faq.analyzer import Analyzer
from faq.langdetect import detect_language
from faq.lexicon import default_lexicon

LEXICON = default_lexicon()
ANALYZER = Analyzer(LEXICON)


def lang(text: str, hint: str | None = None) -> str:
    return detect_language(ANALYZER.corrected_words(text), LEXICON, hint)


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
