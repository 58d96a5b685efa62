"""The typo corrector and stemmer, with the shipped lexicon and FAQ vocabulary."""

from pathlib import Path

import pytest

from faq.analyzer import Analyzer
from faq.config import DEFAULT_CONFIG
from faq.engine import Engine
from faq.lexicon import default_lexicon
from faq.normalize import pieces
from faq.rows import read_eval_file

DEV_SET = Path(__file__).parent / "data" / "dev.tsv"


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Engine.from_path().analyzer


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("perbedan", "perbedaan"),  # a letter missing
        ("custmer", "customer"),
        ("diffrence", "difference"),
        ("perbandigan", "perbandingan"),
        ("supervisr", "supervisor"),
        ("compnay", "company"),  # two letters swapped
        ("sevrice", "service"),
        ("oustource", "outsource"),
        ("telemarketnig", "telemarketing"),
        ("bpoo", "bpo"),  # a doubled letter
    ],
)
def test_near_misses_are_corrected(analyzer, typed, meant):
    assert typed not in analyzer.vocabulary
    assert analyzer.correct(typed) == (meant,)


@pytest.mark.parametrize(
    "word", ["pizza", "bola", "hujan", "train", "hola", "raining", "birthday", "football"]
)
def test_unrelated_words_stay_unknown(analyzer, word):
    assert analyzer.correct(word) == (word,)


def test_short_words_are_corrected_for_a_swap_only_to_a_word_with_the_same_letters():
    analyzer = Analyzer(default_lexicon(), extra_words={"train", "tabir", "tarik"})
    assert analyzer.correct("trian") == ("train",)
    assert analyzer.correct("tbair") == ("tabir",)
    assert analyzer.correct("trxin") == ("trxin",)  # one letter replaced: left alone


def test_stemming_removes_listed_affixes_to_reach_a_known_word(analyzer):
    assert analyzer.correct("dikerjain") == ("kerja",)
    assert "nya" in default_lexicon().suffixes and "meng" in default_lexicon().prefixes


def test_stem_lengths_come_from_the_config():
    lexicon = default_lexicon()
    strict = type(DEFAULT_CONFIG)(prefix_stem_min_length=6)
    assert Analyzer(lexicon, {"kerja"}).correct("dikerja") == ("kerja",)
    assert Analyzer(lexicon, {"kerja"}, strict).correct("dikerja") != ("kerja",)


def test_every_multi_word_expression_is_joined_alone_and_amid_other_words():
    lexicon = default_lexicon()
    for expression, term in lexicon.phrase_term.items():
        words = expression.split()
        assert lexicon.join_phrases(words) == term.split(), expression
        around = ["qzx", *words, "qzx", *words]
        assert lexicon.join_phrases(around) == ["qzx", *term.split(), "qzx", *term.split()]


def test_the_longest_expression_starting_at_a_word_wins():
    lexicon = default_lexicon()
    expressions = lexicon.phrase_term
    pairs = [
        (longer, shorter)
        for longer in expressions
        for shorter in expressions
        if longer.startswith(shorter + " ")
        and longer.split()[len(shorter.split())] not in lexicon.phrases_by_first_word
    ]
    assert pairs, "the lexicon has an expression that extends another"
    for longer, shorter in pairs:
        tail = longer.split()[len(shorter.split()) :]
        assert lexicon.join_phrases(longer.split()) == expressions[longer].split()
        assert lexicon.join_phrases([*shorter.split(), "qzx", *tail]) == [
            *expressions[shorter].split(),
            "qzx",
            *tail,
        ]


def test_a_text_without_a_joining_piece_has_its_pieces_terms_in_turn(analyzer):
    texts = [row.question for row in read_eval_file(DEV_SET)]
    checked = 0
    for text in texts:
        per_piece = [analyzer.piece_terms(piece) for piece in pieces(text)]
        if None in per_piece:
            continue
        expected = list(dict.fromkeys(term for terms in per_piece for term in terms or ()))
        assert analyzer.terms(text) == expected, text
        checked += 1
    assert checked > 50
