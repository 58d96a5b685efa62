from faq.normalize import fold, words


def test_fold_lowercases_and_drops_punctuation_emoji_and_accents():
    assert fold("  Apa ITU BPO??? 🤔 Perbézaan!! ") == "apa itu bpo perbezaan"


def test_fold_collapses_letter_runs_and_reduplication_marks():
    assert fold("apaaa jenis2 sooo") == "apa jenis so"


def test_fold_removes_invisible_and_control_characters():
    assert fold("b\u200bp\u200do\x00 call\tcentre") == "bpo call centre"


def test_words_of_symbols_only_is_empty():
    assert words("🤔🤔 ?!") == []
    assert words("") == []
