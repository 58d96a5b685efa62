"""Scores topics for a question; picks the suggestions to offer."""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from faq.index import FaqIndex


@dataclass(frozen=True)
class Scored:
    topic_id: str
    score: float


def rank(index: FaqIndex, terms: list[str]) -> list[Scored]:
    """Topics sharing a term with the question, best first (at most `candidate_topics`)."""
    if not terms:
        return []
    config = index.config
    weights = {term: index.weight(term) for term in terms}
    total = sum(weights.values())

    coverage: dict[int, float] = {}
    for term, weight in weights.items():
        for topic in index.postings.get(term, ()):
            share = (
                weight if term in index.asked_terms[topic] else weight * config.answer_text_weight
            )
            coverage[topic] = coverage.get(topic, 0.0) + share
    best = heapq.nlargest(config.candidate_topics, coverage.items(), key=lambda item: item[1])

    beta2 = config.precision_beta**2
    query = set(terms)
    scored: list[Scored] = []
    for topic, covered in best:
        best_f = 0.0
        for phrasing in index.phrasings_of[topic]:
            matched = sum(weights[t] for t in phrasing.terms & query)
            if matched:
                recall, precision = matched / total, matched / phrasing.weight
                f = (1 + beta2) * precision * recall / (beta2 * precision + recall)
                best_f = max(best_f, f)
        score = config.phrasing_weight * best_f + (1 - config.phrasing_weight) * covered / total
        scored.append(Scored(index.topic_ids[topic], round(score, 4)))
    scored.sort(key=lambda s: s.score, reverse=True)
    return scored


def suggestions(index: FaqIndex, ranked: list[Scored]) -> tuple[str, ...]:
    """The topics offered as "did you mean": the best few, close enough to the best."""
    config = index.config
    if not ranked:
        return ()
    floor = ranked[0].score - config.suggest_window
    return tuple(s.topic_id for s in ranked[: config.max_suggestions] if s.score >= floor)
