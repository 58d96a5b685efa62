"""Scores topics for a question and decides: answer, suggest, or none."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Literal

from faq.index import FaqIndex


@dataclass(frozen=True)
class Scored:
    topic_id: str
    score: float


Status = Literal["answer", "suggest", "none"]
"""What the engine decided: answer one topic, suggest a few, or none (out of scope)."""


@dataclass(frozen=True)
class Decision:
    status: Status
    ranked: tuple[Scored, ...]
    """The answered topic, or the suggestions, best first; empty for "none"."""
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


def decide(
    index: FaqIndex,
    ranked: list[Scored],
    unanswered: frozenset[str] = frozenset(),
    may_answer: bool = True,
) -> Decision:
    """`unanswered`: the question's terms that name intents the FAQ does not answer; the top
    topic is only answered outright if its own phrasings use all of them. `may_answer` False
    (a question of question words only) allows suggestions at most."""
    config = index.config
    if not ranked or ranked[0].score < config.suggest_threshold:
        return Decision("none", (), ranked[0].score if ranked else 0.0)
    top = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    confident = (
        top.score >= config.answer_threshold and top.score - runner_up >= config.answer_margin
    )
    covered = unanswered <= index.asked_terms[index.topic_number[top.topic_id]]
    if confident and covered and may_answer:
        return Decision("answer", (top,), top.score)
    floor = max(config.suggest_threshold, top.score - config.suggest_window)
    suggestions = tuple(s for s in ranked[: config.max_suggestions] if s.score >= floor)
    return Decision("suggest", suggestions, top.score)
