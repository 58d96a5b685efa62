"""The array index and the array ranking against a plain computation of the same definitions,
on the shipped FAQ and on a small synthetic one."""

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from faq.analyzer import Analyzer
from faq.benchmark import synthetic_faq
from faq.config import DEFAULT_CONFIG, MatchConfig
from faq.engine import Engine
from faq.index import FaqIndex, faq_words
from faq.lexicon import Lexicon
from faq.loader import load_faq
from faq.matcher import Scored, rank
from faq.model import Faq
from faq.normalize import words
from faq.rows import read_eval_file

DEV_SET = Path(__file__).parent / "data" / "dev.tsv"


class PlainIndex:
    """The index's definitions computed with sets and dicts, topic by topic."""

    def __init__(self, faq: Faq, analyzer: Analyzer, config: MatchConfig) -> None:
        self.topic_ids = list(faq.topics)
        self.phrasings: list[list[frozenset[str]]] = []
        self.asked: list[frozenset[str]] = []
        self.answer_only: list[frozenset[str]] = []
        for topic in faq.topics.values():
            texts = topic.texts.values()
            sets = [frozenset(analyzer.terms(p)) for t in texts for p in (t.title, *t.phrasings)]
            sets = [terms for terms in dict.fromkeys(sets) if terms]
            asked = frozenset().union(*sets)
            answered = {term for t in texts for term in analyzer.terms(t.answer)}
            self.phrasings.append(sets)
            self.asked.append(asked)
            self.answer_only.append(frozenset(answered - asked))
        count = len(self.topic_ids)
        frequency: dict[str, int] = {}
        for asked in self.asked:
            for term in asked:
                frequency[term] = frequency.get(term, 0) + 1
        self.weight = {
            term: max(config.min_term_weight, math.log((count + 1) / (df + 0.5)))
            for term, df in frequency.items()
        }
        self.postings: dict[str, list[tuple[int, bool]]] = {}
        pairs = zip(self.asked, self.answer_only, strict=True)
        for number, (asked, answer_only) in enumerate(pairs):
            for term in asked | answer_only:
                self.postings.setdefault(term, []).append((number, term in asked))
                self.weight.setdefault(term, max(config.min_term_weight, math.log(count + 1)))
        self.config = config

    def rank(self, terms: list[str]) -> list[Scored]:
        config = self.config
        weights = {t: self.weight.get(t, config.unknown_term_weight) for t in terms}
        total = sum(weights.values())
        coverage: dict[int, float] = {}  # insertion order: the order topics are met
        for term, weight in weights.items():
            for topic, asked in self.postings.get(term, ()):
                share = weight if asked else weight * config.answer_text_weight
                coverage[topic] = coverage.get(topic, 0.0) + share
        ordered = sorted(coverage.items(), key=lambda item: item[1], reverse=True)  # stable
        beta2 = config.precision_beta**2
        scored = []
        for topic, covered in ordered[: config.candidate_topics]:
            best = 0.0
            for phrasing in self.phrasings[topic]:
                matched = sum(weights[t] for t in sorted(phrasing & weights.keys()))
                if matched:
                    recall = matched / total
                    precision = matched / sum(self.weight[t] for t in sorted(phrasing))
                    best = max(
                        best, (1 + beta2) * precision * recall / (beta2 * precision + recall)
                    )
            blend = config.phrasing_weight
            score = blend * best + (1 - blend) * covered / total
            scored.append(Scored(self.topic_ids[topic], round(score, 4)))
        scored.sort(key=lambda s: s.score, reverse=True)
        return scored


@pytest.fixture(scope="module")
def shipped() -> Engine:
    return Engine.from_path()


@pytest.fixture(scope="module", params=["shipped", "synthetic"])
def built(request, shipped) -> tuple[FaqIndex, PlainIndex, Analyzer]:
    if request.param == "shipped":
        faq, config = shipped.faq, DEFAULT_CONFIG
    else:  # many more topics than candidates, with ties among them
        faq, config = synthetic_faq(load_faq(), 120), replace(DEFAULT_CONFIG, candidate_topics=5)
    engine = Engine(faq, config=config)
    return engine.index, PlainIndex(faq, engine.analyzer, config), engine.analyzer


def test_terms_weights_and_postings_match_the_plain_computation(built):
    index, plain, _ = built
    assert set(index.term_number) == set(plain.weight)
    for term, weight in plain.weight.items():
        assert index.weight(term) == weight  # same formula, same math.log: same bits
        topics, asked = index.postings(index.term_number[term])
        assert list(zip(topics.tolist(), asked.tolist(), strict=True)) == plain.postings[term]


def test_phrasings_and_asked_terms_match_the_plain_computation(built):
    index, plain, _ = built
    assert list(index.asked_terms) == plain.asked
    for number, expected in enumerate(plain.phrasings):
        phrasings, _ = index.phrasings_of(np.array([number]))
        term_numbers, starts = index.terms_of(phrasings)
        ends = [*starts[1:], len(term_numbers)]
        runs = [term_numbers[a:b] for a, b in zip(starts, ends, strict=True)]
        found = [frozenset(index.term_names[n] for n in run.tolist()) for run in runs]
        assert found == expected
        for phrasing, terms in zip(phrasings.tolist(), expected, strict=True):
            total = sum(plain.weight[t] for t in terms)
            assert index.phrasing_weight[phrasing] == pytest.approx(total, rel=1e-12)


def test_unknown_terms_weigh_the_configured_weight(shipped):
    assert shipped.index.weight("zzyzx") == shipped.config.unknown_term_weight


def test_ranking_matches_the_plain_computation_on_the_dev_questions(built):
    index, plain, analyzer = built
    for row in read_eval_file(DEV_SET):
        terms = analyzer.terms(row.question)
        got, expected = rank(index, terms), plain.rank(terms)
        assert [s.topic_id for s in got] == [s.topic_id for s in expected], row.question
        assert [s.score for s in got] == pytest.approx([s.score for s in expected], abs=1e-4)


def test_a_question_of_unknown_words_ranks_nothing(shipped):
    assert rank(shipped.index, ["zzyzx", "qwxv"]) == []
    assert rank(shipped.index, []) == []


def test_an_faq_whose_phrasings_are_all_filler_still_indexes_its_answer(shipped):
    lexicon: Lexicon = shipped.lexicon
    filler = sorted(lexicon.stopwords)[:3]
    faq = synthetic_faq(load_faq(), 3)
    topic = next(iter(faq.topics.values()))
    texts = {
        lang: replace(text, title=" ".join(filler), phrasings=(filler[0],))
        for lang, text in topic.texts.items()
    }
    faq.topics[topic.id] = replace(topic, texts=texts)
    engine = Engine(faq)
    assert engine.index.asked_terms[0] == frozenset()
    answer_term = engine.analyzer.terms(texts["en"].answer)[0]
    assert topic.id in [s.topic_id for s in rank(engine.index, [answer_term])]


def test_faq_words_are_the_words_of_every_title_answer_and_phrasing(shipped):
    expected = {
        word
        for topic in shipped.faq.topics.values()
        for text in topic.texts.values()
        for piece in (text.title, text.answer, *text.phrasings)
        for word in words(piece)
    }
    assert faq_words(shipped.faq) == expected


def test_asked_terms_is_a_sequence_of_term_sets(shipped):
    asked = shipped.index.asked_terms
    assert len(asked) == len(shipped.faq.topics)
    assert asked[-1] == asked[len(asked) - 1] == list(asked)[-1]
    assert asked[1:3] == [asked[1], asked[2]]
    with pytest.raises(IndexError):
        asked[len(asked)]
