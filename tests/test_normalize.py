from hypothesis import given, settings
from hypothesis import strategies as st

from faq.normalize import fold, pieces, words


def test_fold_lowercases_and_drops_punctuation_emoji_and_accents():
    assert fold("  Apa ITU BPO??? 🤔 Perbézaan!! ") == "apa itu bpo perbezaan"


def test_fold_collapses_letter_runs_and_reduplication_marks():
    assert fold("apaaa jenis2 sooo") == "apa jenis so"


def test_fold_removes_invisible_and_control_characters():
    assert fold("b\u200bp\u200do\x00 call\tcentre") == "bpo call centre"


def test_words_of_symbols_only_is_empty():
    assert words("🤔🤔 ?!") == []
    assert words("") == []


@settings(max_examples=400)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_words_of_a_text_are_the_words_of_its_pieces_in_turn(text):
    # The analyzer remembers the analysis of each piece; this is what makes that sound.
    assert words(text) == [word for piece in pieces(text) for word in words(piece)]


def test_words_of_pieces_handle_marks_and_odd_spaces():
    for text in ("a\u00a8b c", "jenis2 x", "don't stop", "a \u0301b", "x\u16802 y", "  a  "):
        assert words(text) == [word for piece in pieces(text) for word in words(piece)]
