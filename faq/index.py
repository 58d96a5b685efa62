"""The search index over an FAQ: weighted terms per topic and per phrasing."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from faq.analyzer import Analyzer
from faq.config import MatchConfig
from faq.model import Faq


@dataclass(frozen=True)
class Phrasing:
    topic: int
    terms: frozenset[str]
    weight: float
    """Sum of the weights of its terms."""


@dataclass
class FaqIndex:
    topic_ids: list[str]
    phrasings_of: list[list[Phrasing]]
    asked_terms: list[frozenset[str]]
    """Per topic: the terms of its titles and phrasings in every language."""
    answer_terms: list[frozenset[str]]
    """Per topic: terms only its answers use."""
    postings: dict[str, list[int]]
    """Term -> topics that use it in a phrasing, title or answer."""
    term_weight: dict[str, float]
    config: MatchConfig
    topic_number: dict[str, int]
    """Topic id -> its position in `topic_ids`."""

    def weight(self, term: str) -> float:
        return self.term_weight.get(term, self.config.unknown_term_weight)


def faq_words(faq: Faq) -> set[str]:
    """Every word the FAQ's texts use, so the analyzer can correct typos towards them."""
    from faq.normalize import words

    found: set[str] = set()
    for topic in faq.topics.values():
        for text in topic.texts.values():
            for piece in (text.title, text.answer, *text.phrasings):
                found.update(words(piece))
    return found


def build_index(faq: Faq, analyzer: Analyzer, config: MatchConfig) -> FaqIndex:
    topic_ids = list(faq.topics)
    asked_terms: list[frozenset[str]] = []
    answer_terms: list[frozenset[str]] = []
    phrasing_terms: list[list[frozenset[str]]] = []
    for topic in faq.topics.values():
        per_phrasing = [
            frozenset(analyzer.terms(piece))
            for text in topic.texts.values()
            for piece in (text.title, *text.phrasings)
        ]
        per_phrasing = [terms for terms in dict.fromkeys(per_phrasing) if terms]
        asked = frozenset().union(*per_phrasing)
        answered = frozenset(
            term for text in topic.texts.values() for term in analyzer.terms(text.answer)
        )
        phrasing_terms.append(per_phrasing)
        asked_terms.append(asked)
        answer_terms.append(answered - asked)

    document_frequency: dict[str, int] = defaultdict(int)
    postings: dict[str, list[int]] = defaultdict(list)
    for number, (asked, answered) in enumerate(zip(asked_terms, answer_terms, strict=True)):
        for term in asked:
            document_frequency[term] += 1
        for term in asked | answered:
            postings[term].append(number)
    topic_count = len(topic_ids)
    term_weight = {
        term: max(config.min_term_weight, math.log((topic_count + 1) / (count + 0.5)))
        for term, count in document_frequency.items()
    }
    for term in postings:  # answer-only terms: known, but rare
        term_weight.setdefault(term, max(config.min_term_weight, math.log(topic_count + 1)))

    phrasings_of = [
        [Phrasing(number, terms, sum(term_weight[t] for t in terms)) for terms in per_phrasing]
        for number, per_phrasing in enumerate(phrasing_terms)
    ]
    return FaqIndex(
        topic_ids=topic_ids,
        phrasings_of=phrasings_of,
        asked_terms=asked_terms,
        answer_terms=answer_terms,
        postings=dict(postings),
        term_weight=term_weight,
        config=config,
        topic_number={topic_id: number for number, topic_id in enumerate(topic_ids)},
    )
