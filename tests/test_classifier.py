"""The learned ranking signal (faq/classifier.py) on a small synthetic FAQ, and in the engine."""

import dataclasses

import numpy as np
import pytest

import faq.classifier
from faq.classifier import build_classifier, fit_classifier, text_features
from faq.classifier_cv import cross_validate, ranking_figures, without
from faq.config import DEFAULT_CONFIG
from faq.engine import Engine
from faq.matcher import rank
from faq.model import ExampleQuestion, Faq, Topic, TopicText
from faq.normalize import words
from faq.rows import INSCOPE, EvalRow

PHRASINGS = {
    "refund": [
        "how do i get a refund",
        "can i get my money back",
        "refund for a broken order",
        "i want a refund please",
        "money back for a damaged parcel",
    ],
    "delivery": [
        "when will my parcel arrive",
        "how long does delivery take",
        "track my delivery",
        "my parcel is late",
        "delivery time to jakarta",
    ],
    "password": [
        "i forgot my password",
        "how do i reset my password",
        "cannot log in to my account",
        "change the password of my account",
        "password reset link not working",
    ],
}


def _faq() -> Faq:
    return Faq(
        {
            topic_id: Topic(
                topic_id,
                {"en": TopicText(f"About {topic_id}", f"All about {topic_id}.", tuple(asked))},
            )
            for topic_id, asked in PHRASINGS.items()
        }
    )


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(_faq())


def _best(engine: Engine, text: str) -> str:
    assert engine.classifier is not None
    scores = engine.classifier.scores(words(text), engine.analyzer.terms(text))
    return engine.index.topic_ids[int(np.argmax(scores))]


def test_it_learns_the_words_that_tell_topics_apart(engine: Engine) -> None:
    assert _best(engine, "is a refund possible") == "refund"
    assert _best(engine, "where is the parcel now") == "delivery"
    assert _best(engine, "locked out of the account") == "password"


def test_a_typo_still_maps_through_its_word_pieces(engine: Engine) -> None:
    """Through the character n-grams alone: no terms, so no typo correction helps."""
    assert engine.classifier is not None
    topic_ids = engine.index.topic_ids
    for typo, topic in [("pasword", "password"), ("delivry", "delivery"), ("refnd", "refund")]:
        assert typo not in engine.analyzer.vocabulary
        scores = engine.classifier.scores([typo], [])
        assert topic_ids[int(np.argmax(scores))] == topic


def test_a_word_the_faq_never_uses_changes_no_score(engine: Engine) -> None:
    assert engine.classifier is not None
    question = "how do i get a refund"
    plain = engine.classifier.scores(words(question), engine.analyzer.terms(question))
    padded = f"{question} xyzzy"
    assert "xyzzy" in engine.analyzer.terms(padded)
    with_unknown = engine.classifier.scores(words(padded), engine.analyzer.terms(padded))
    assert np.array_equal(plain, with_unknown)


def test_the_same_faq_gives_the_same_scores() -> None:
    first, second = Engine(_faq()), Engine(_faq())
    assert first.classifier is not None and second.classifier is not None
    assert np.array_equal(first.classifier.weights, second.classifier.weights)
    question = "my parcel never came, can i get my money back"
    terms = first.analyzer.terms(question)
    assert np.array_equal(
        first.classifier.scores(words(question), terms),
        second.classifier.scores(words(question), terms),
    )


def test_the_fit_is_ridge_regression_solved_exactly(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Against a dense reference; a tiny pair budget makes the Gram matrix build in steps."""
    monkeypatch.setattr(faq.classifier, "_PAIR_BUDGET", 7)
    texts = [p for asked in PHRASINGS.values() for p in asked]
    labels = [n for n, asked in enumerate(PHRASINGS.values()) for _ in asked]
    documents = [text_features(words(t), engine.analyzer.terms(t), DEFAULT_CONFIG) for t in texts]
    model = fit_classifier(documents, labels, len(PHRASINGS), DEFAULT_CONFIG)

    x = np.zeros((len(texts), len(model.feature_number)))
    for row, document in enumerate(documents):
        for feature in document:
            x[row, model.feature_number[feature]] += 1
    x = np.where(x > 0, 1 + np.log(np.maximum(x, 1)), 0) * model.idf
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    x = np.hstack([x, np.ones((len(texts), 1))])  # the bias, a constant feature
    y = np.where(np.arange(len(PHRASINGS)) == np.array(labels)[:, None], 1.0, -1.0)
    gram = x @ x.T + DEFAULT_CONFIG.classifier_l2 * np.eye(len(texts))
    expected = x.T @ np.linalg.solve(gram, y)
    assert np.allclose(model.weights, expected[:-1])
    assert np.allclose(model.bias, expected[-1])


def test_no_classifier_past_the_size_limit_and_then_the_lexical_ranking() -> None:
    config = dataclasses.replace(DEFAULT_CONFIG, classifier_max_texts=5)
    small = Engine(_faq(), config)
    assert small.classifier is None
    assert build_classifier(_faq(), small.analyzer, DEFAULT_CONFIG) is not None
    terms = small.analyzer.terms("reset my password")
    assert small.rank("reset my password") == rank(small.index, terms)


def test_the_shipped_faq_engine_ranks_a_long_question_by_its_subject() -> None:
    engine = Engine.from_path()
    assert engine.classifier is not None
    question = (
        "kak aku baru keterima kerja di perusahaan yg katanya BPO gitu, jujur aku gak ngerti "
        "sebenernya BPO itu apa"
    )
    ranked = engine.rank(question)
    assert ranked[0].topic_id == "bpo-definition"
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)
    assert engine.rank("xyzzy qwxzv") == []  # nothing the FAQ knows: no topic at all


def test_cross_validation_holds_out_phrasings_and_ranks_them() -> None:
    figures = cross_validate(_faq(), folds=2, penalties=(0.1, 1.0), learned_weights=(0.0, 0.5))
    assert set(figures) == {(0.1, 0.0), (0.1, 0.5), (1.0, 0.0), (1.0, 0.5)}
    assert all(0.0 <= first <= top3 == 1.0 for first, top3 in figures.values())  # 3 topics
    held_out = without(_faq(), 2, 0)
    kept = sum(len(t.texts["en"].phrasings) for t in held_out.topics.values())
    assert 0 < kept < sum(map(len, PHRASINGS.values()))


def test_ranking_figures_per_signal(engine: Engine) -> None:
    rows = [
        EvalRow(1, ("en",), "refund", "my parcel broke, can i have a refund", INSCOPE),
        EvalRow(2, ("en",), "password", "forgot password for the account", INSCOPE),
        EvalRow(3, ("en",), "-", "nice weather today", "chatter"),
    ]
    figures = ranking_figures(engine, rows)
    assert set(figures) == {"lexical", "learned", "blended"}
    assert figures["blended"] == (1.0, 1.0)


def test_example_questions_teach_the_classifier_words_the_phrasings_lack() -> None:
    question = "the courier still has not come"
    plain = Engine(_faq())
    taught = Engine(
        dataclasses.replace(
            _faq(),
            examples=(
                ExampleQuestion("the courier is late again", "delivery", ("en",)),
                ExampleQuestion("courier lost it", "delivery", ("en",)),
            ),
        )
    )
    assert plain.classifier is not None and taught.classifier is not None
    assert "w courier" not in plain.classifier.feature_number
    assert _best(taught, question) == "delivery"
    assert _best(taught, "can i get a refund") == "refund"  # the phrasings still count


def test_unranked_examples_teach_the_classifier_nothing() -> None:
    unranked = Engine(
        dataclasses.replace(
            _faq(),
            examples=(
                ExampleQuestion("the courier is late again", "delivery", ("en",), ranks=False),
            ),
        )
    )
    assert unranked.classifier is not None
    assert "w courier" not in unranked.classifier.feature_number
    assert "w:courier" in unranked.languages.model.feature_rows  # the language model learns it


def test_out_of_scope_examples_pull_every_topic_score_down() -> None:
    """'-' examples belong to no topic: their words come to count against all of them."""
    question = "how much salary for a parcel courier"
    faq = _faq()
    lead = dataclasses.replace(
        faq, examples=(ExampleQuestion("courier salary per month", "delivery", ("en",)),)
    )
    negative = dataclasses.replace(
        faq,
        examples=(
            ExampleQuestion("courier salary per month", "delivery", ("en",)),
            ExampleQuestion("what salary do agents get", "-", ("en",)),
            ExampleQuestion("is the salary paid monthly", "-", ("en",)),
        ),
    )
    scores = []
    for taught in (lead, negative):
        engine = Engine(taught)
        assert engine.classifier is not None
        scores.append(engine.classifier.scores(words(question), engine.analyzer.terms(question)))
    assert scores[1].max() < scores[0].max()
    assert len(scores[1]) == len(PHRASINGS)  # no column for "none"
