import dataclasses

from faq.config import DEFAULT_CONFIG
from faq.engine import Engine
from faq.langmodel import LanguageModel, features, language_texts
from faq.loader import load_faq
from faq.model import ExampleQuestion
from faq.normalize import words

FAQ = load_faq("faq/data/faq.yaml")


def test_features_are_the_word_and_its_padded_character_ngrams():
    assert features(["bpo"], (3,)) == ["w:bpo", " bp", "bpo", "po "]


def test_a_word_scores_highest_in_the_language_whose_texts_use_it():
    texts = [(("id",), ["kenapa", "bisa", "begitu"]), (("ms",), ["kenapa", "boleh", "begitu"])]
    texts += [(("en",), ["why", "can", "it"])]
    model = LanguageModel.fit(texts, DEFAULT_CONFIG)
    assert model.word_scores("bisa").argmax() == 0
    assert model.word_scores("boleh").argmax() == 1
    assert model.word_scores("can").argmax() == 2
    assert model.word_scores("😂") is None  # no feature of it was ever seen


def test_the_fit_reads_at_most_the_configured_number_of_texts():
    texts = [(("id",), ["satu"]), (("ms",), ["dua"])]
    config = dataclasses.replace(DEFAULT_CONFIG, language_max_texts=1)
    model = LanguageModel.fit(texts, config)
    assert model.word_scores("satu") is not None
    assert model.word_scores("dua") is None


def test_the_examples_come_first_then_every_faq_text_in_its_language():
    example = ExampleQuestion("gokil bener training kemaren", "-", ("id",))
    texts = list(language_texts(dataclasses.replace(FAQ, examples=(example,))))
    assert texts[0] == (("id",), words(example.question))
    per_language = sum(
        2 + len(t.phrasings) for topic in FAQ.topics.values() for t in topic.texts.values()
    )
    assert len(texts) == 1 + per_language


def test_an_example_teaches_the_detector_a_word_no_list_holds():
    bare = dataclasses.replace(FAQ, examples=())
    taught = dataclasses.replace(
        bare,
        examples=tuple(
            ExampleQuestion(f"{line} zzgokil", "-", ("ms",))
            for line in ("penat gila hari ni", "best gila kawan", "jom lepak", "sedap gila")
        ),
    )
    assert Engine(bare).language("zzgokil", hint="id") == "id"
    assert Engine(taught).language("zzgokil zzgokil zzgokil", hint="id") == "ms"
