"""The disk cache of the fitted ranking classifier (faq/fitcache.py): same input, same model,
fitted once; a broken or unusable cache is no cache."""

import numpy as np
import pytest
from test_classifier import _faq

import faq.classifier
from faq.engine import Engine
from faq.fitcache import CACHE_ENV
from faq.model import ExampleQuestion


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def _refuse_to_fit(*args, **kwargs):
    raise AssertionError("fitted again instead of reading the cache")


def test_the_second_engine_reads_the_model_the_first_one_fitted(cache, monkeypatch):
    first = Engine(_faq())
    assert [p.name.startswith("classifier-") for p in cache.iterdir()] == [True]
    monkeypatch.setattr(faq.classifier, "fit_classifier", _refuse_to_fit)
    second = Engine(_faq())
    assert first.classifier is not None and second.classifier is not None
    assert second.classifier.feature_number == first.classifier.feature_number
    assert np.array_equal(second.classifier.weights, first.classifier.weights)
    question = "my parcel never came, can i get my money back"
    assert np.array_equal(
        first.classifier.scores(question.split(), first.analyzer.terms(question)),
        second.classifier.scores(question.split(), second.analyzer.terms(question)),
    )


def test_other_training_texts_are_another_entry(cache):
    Engine(_faq())
    faq = _faq()
    Engine(
        type(faq)(
            faq.topics, examples=(ExampleQuestion("the courier lost my box", "delivery", ("en",)),)
        )
    )
    assert len(list(cache.glob("classifier-*.npz"))) == 2


def test_a_broken_entry_is_fitted_again_and_replaced(cache):
    reference = Engine(_faq()).classifier
    (entry,) = cache.iterdir()
    entry.write_bytes(b"not a zip file")
    again = Engine(_faq()).classifier
    assert reference is not None and again is not None
    assert np.array_equal(again.weights, reference.weights)
    assert entry.read_bytes()[:2] == b"PK"  # written anew


def test_off_or_unwritable_means_no_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, "off")
    assert Engine(_faq()).classifier is not None
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv(CACHE_ENV, str(blocked / "cache"))
    assert Engine(_faq()).classifier is not None
    assert blocked.read_text() == "a file where the folder should be"


def test_another_lexicon_is_another_entry_and_one_of_unknown_origin_none(cache):
    import dataclasses

    import yaml

    from faq.lexicon import LEXICON_PATH, build_lexicon, default_lexicon

    data = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    data["reference_words"] = [*data["reference_words"], "yonder"]
    edited = build_lexicon(data)
    assert edited.digest and edited.digest != default_lexicon().digest
    Engine(_faq())
    Engine(_faq(), lexicon=edited)
    assert len(list(cache.glob("classifier-*.npz"))) == 2
    Engine(_faq(), lexicon=dataclasses.replace(edited, digest=""))
    assert len(list(cache.glob("classifier-*.npz"))) == 2
