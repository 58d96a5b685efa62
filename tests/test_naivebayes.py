import dataclasses

import pytest

from faq.config import DEFAULT_CONFIG
from faq.engine import Engine
from faq.langmodel import language_texts
from faq.loader import load_faq
from faq.model import LANGS, ExampleQuestion
from faq.naivebayes import NaiveBayes, word_features
from faq.normalize import words
from faq.tagevidence import asking_evidence, scope_evidence

FAQ = load_faq("faq/data/faq.yaml")


def fit(texts, classes=LANGS, max_texts=100):
    return NaiveBayes.fit(texts, classes, (3,), 0.1, max_texts)


def test_features_are_the_word_and_its_padded_character_ngrams():
    assert word_features("bpo", (3,)) == ["w:bpo", " bp", "bpo", "po "]


def test_a_word_scores_highest_in_the_class_whose_texts_use_it():
    model = fit(
        [
            (("id",), ["kenapa", "bisa", "begitu"]),
            (("ms",), ["kenapa", "boleh", "begitu"]),
            (("en",), ["why", "can", "it"]),
        ]
    )
    assert model.word_scores("bisa").argmax() == 0
    assert model.word_scores("boleh").argmax() == 1
    assert model.word_scores("can").argmax() == 2
    assert model.word_scores("😂") is None  # no feature of it was ever seen


def test_the_fit_reads_at_most_the_given_number_of_texts():
    model = fit([(("id",), ["satu"]), (("ms",), ["dua"])], max_texts=1)
    assert model.word_scores("satu") is not None
    assert model.word_scores("dua") is None


def test_the_examples_come_first_then_every_faq_text_in_its_language():
    example = ExampleQuestion("gokil bener training kemaren", "-", ("id",), "chatter")
    texts = list(language_texts(dataclasses.replace(FAQ, examples=(example,))))
    assert texts[0] == (("id",), words(example.question))
    per_language = sum(
        2 + len(text.phrasings) for topic in FAQ.topics.values() for text in topic.texts.values()
    )
    assert len(texts) == 1 + per_language


def test_an_example_teaches_the_detector_a_word_no_list_holds():
    bare = dataclasses.replace(FAQ, examples=())
    taught = dataclasses.replace(
        bare,
        examples=tuple(
            ExampleQuestion(f"{line} zzgokil", "-", ("ms",), "chatter")
            for line in ("penat gila hari ni", "best gila kawan", "jom lepak", "sedap gila")
        ),
    )
    assert Engine(bare).language("zzgokil", hint="id") == "id"
    assert Engine(taught).language("zzgokil zzgokil zzgokil", hint="id") == "ms"


@pytest.mark.parametrize(
    ("make", "yes", "no"),
    [
        (  # questions against group chatter
            asking_evidence,
            ["bedanya front office sama back office apa ya kak", "what does an outbound agent do"],
            ["selamat pagi semua, semangat training hari ini", "happy birthday bro, makan2 jom"],
        ),
        (  # what the FAQ answers against questions near it
            scope_evidence,
            ["apa bedanya offshore dan nearshore", "why do companies outsource to asia"],
            ["berapa gaji agent call center di jakarta", "how do i pass the bpo job interview"],
        ),
    ],
)
def test_tag_evidence_tells_apart_lines_it_never_saw(make, yes, no):
    model = make(FAQ, DEFAULT_CONFIG)
    for text in yes:
        assert model.evidence(words(text)) > 0, text
    for text in no:
        assert model.evidence(words(text)) < 0, text
    assert model.evidence(words("😂")) == 0.0


def test_asking_evidence_is_clipped_and_absent_without_examples():
    model = asking_evidence(FAQ, DEFAULT_CONFIG)
    long_question = " ".join(["apa", "bedanya", "inbound", "dan", "outbound"] * 20)
    assert model.evidence(words(long_question)) == DEFAULT_CONFIG.tag_evidence_clip
    bare = asking_evidence(dataclasses.replace(FAQ, examples=()), DEFAULT_CONFIG)
    assert bare.evidence(words("apa bedanya inbound dan outbound")) == 0.0
