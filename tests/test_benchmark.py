"""`faqbot bench` at a tiny size, its synthetic FAQ and its BM25 baseline."""

import pytest

from bot.cli import main
from faq.benchmark import SYNTHETIC_PHRASINGS, synthetic_faq
from faq.bm25 import Bm25
from faq.loader import load_faq
from faq.model import LANGS, Faq, Topic, TopicText


@pytest.fixture(scope="module")
def shipped() -> Faq:
    return load_faq()


def test_synthetic_faq_has_the_asked_size_and_is_the_same_for_a_seed(shipped):
    big = synthetic_faq(shipped, 25)
    assert len(big.topics) == 25
    for topic in big.topics.values():
        assert set(topic.texts) == set(LANGS)
        assert all(len(text.phrasings) == SYNTHETIC_PHRASINGS for text in topic.texts.values())
    assert synthetic_faq(shipped, 25) == big
    assert synthetic_faq(shipped, 25, seed=8) != big


def test_synthetic_faq_recombines_the_real_phrasings_words_and_rare_ones(shipped):
    real = {
        word
        for topic in shipped.topics.values()
        for text in topic.texts.values()
        for phrasing in text.phrasings
        for word in phrasing.split()
    }
    rare = {f"term{n}" for n in range(25)}
    used = {
        word
        for topic in synthetic_faq(shipped, 25).topics.values()
        for text in topic.texts.values()
        for piece in (text.title, text.answer, *text.phrasings)
        for word in piece.split()
    }
    assert used <= real | rare
    assert used & rare and used & real


def _faq(*phrasings_per_topic: tuple[str, str, tuple[str, ...]]) -> Faq:
    topics = {}
    for topic_id, lang, phrasings in phrasings_per_topic:
        text = TopicText(title=phrasings[0], answer="-", phrasings=phrasings[1:])
        topics[topic_id] = Topic(topic_id, {lang: text})
    return Faq(topics=topics)


def test_bm25_answers_with_the_topic_and_language_of_the_best_document():
    faq = _faq(
        ("hours", "en", ("what are the working hours", "when does the shift start")),
        ("pay", "ms", ("berapa gaji agent", "gaji bulanan agent")),
    )
    baseline = Bm25(faq)
    reply = baseline.ask("Gaji agent berapa?")
    assert (reply.status, reply.topic_id, reply.lang) == ("answer", "pay", "ms")
    assert baseline.ask("when does my SHIFT start").topic_id == "hours"


def test_bm25_weighs_a_rare_word_above_a_common_one():
    faq = _faq(
        ("a", "en", ("the call centre", "the call centre agent")),
        ("b", "en", ("the outsourcing", "the call outsourcing")),
    )
    assert Bm25(faq).ask("the outsourcing call").topic_id == "b"


def test_bm25_does_not_answer_without_a_shared_word():
    faq = _faq(("hours", "en", ("working hours", "shift start")))
    reply = Bm25(faq).ask("zzz qqq")
    assert (reply.status, reply.topic_id, reply.lang) == ("none", None, "en")


def test_bench_prints_every_figure_for_both_matchers_at_a_tiny_size(capsys, tmp_path):
    questions = tmp_path / "q.tsv"
    questions.write_text(
        "en\tbpo-definition\twhat is bpo\nen\t-\tis it raining today\n", encoding="utf-8"
    )
    assert main(["bench", "--topics", "12", "--quick", "--questions", str(questions)]) == 0
    out = capsys.readouterr().out
    assert "Shipped FAQ" in out and "Synthetic FAQ: 12 topics" in out
    assert out.count("faqbot ") >= 3 and out.count("BM25 baseline") >= 3
    assert "Accuracy on q.tsv (2 rows)" in out
    assert out.count(" MiB ") == 4  # a memory figure per matcher and size


def test_bench_refuses_an_unreadable_questions_file(capsys, tmp_path):
    assert main(["bench", "--quick", "--questions", str(tmp_path / "missing.tsv")]) == 2
    assert "missing.tsv" in capsys.readouterr().err
