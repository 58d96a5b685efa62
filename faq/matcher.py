"""Scores topics for a question; picks the suggestions to offer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from faq.index import FaqIndex


@dataclass(frozen=True)
class Scored:
    topic_id: str
    score: float


def rank(index: FaqIndex, terms: list[str]) -> list[Scored]:
    """Topics sharing a term with the question, best first (at most `candidate_topics`).

    Every topic that shares a term is scored by how much of the question its vocabulary
    covers; the best `candidate_topics` of those are then scored phrasing by phrasing."""
    weights = {term: index.weight(term) for term in terms}
    total = sum(weights.values())
    known = {index.term_number[t]: w for t, w in weights.items() if t in index.term_number}
    if not known:
        return []
    candidates, coverage = _candidates(index, known)
    best_f = _best_phrasing_scores(index, candidates, known, total)
    blend = index.config.phrasing_weight
    scored = [
        Scored(index.topic_ids[topic], round(blend * f + (1 - blend) * covered / total, 4))
        for topic, f, covered in zip(
            candidates.tolist(), best_f.tolist(), coverage.tolist(), strict=True
        )
    ]
    scored.sort(key=lambda s: s.score, reverse=True)
    return scored


def _candidates(
    index: FaqIndex, known: dict[int, float]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """The `candidate_topics` topics covering the most question weight, and that weight; a
    term only a topic's answer uses counts `answer_text_weight` as much. Ties go to the topic
    met first, reading the question's terms in order and each term's topics in order."""
    config = index.config
    topic_count = len(index.topic_ids)
    coverage = np.zeros(topic_count)
    first_met = np.full(topic_count, len(known))
    for order, (term, weight) in enumerate(known.items()):
        topics, asked = index.postings(term)
        coverage[topics] += np.where(asked, weight, weight * config.answer_text_weight)
        first_met[topics] = np.minimum(first_met[topics], order)
    met = np.flatnonzero(first_met < len(known))
    wanted = config.candidate_topics
    if len(met) > wanted:
        covered = coverage[met]
        cut = np.partition(covered, len(met) - wanted)[len(met) - wanted]
        met = met[covered >= cut]
    best = met[np.lexsort((met, first_met[met], -coverage[met]))[:wanted]]
    return best, coverage[best]


def _best_phrasing_scores(
    index: FaqIndex, topics: npt.NDArray[np.int64], known: dict[int, float], total: float
) -> npt.NDArray[np.float64]:
    """Per topic: the best F-measure of the question against one of its phrasings, over the
    weights of the terms they share (0 when none shares a term)."""
    best = np.zeros(len(topics))
    phrasings, owner = index.phrasings_of(topics)
    if not len(phrasings):
        return best
    term_numbers, starts = index.terms_of(phrasings)
    question_weight = np.zeros(len(index.term_names))
    question_weight[list(known)] = list(known.values())
    matched = np.add.reduceat(question_weight[term_numbers], starts)
    shares = matched > 0
    recall = matched[shares] / total
    precision = matched[shares] / index.phrasing_weight[phrasings[shares]]
    beta2 = index.config.precision_beta**2
    f = (1 + beta2) * precision * recall / (beta2 * precision + recall)
    np.maximum.at(best, owner[shares], f)
    return best


def suggestions(index: FaqIndex, ranked: list[Scored]) -> tuple[str, ...]:
    """The topics offered as "did you mean": the best few, close enough to the best."""
    config = index.config
    if not ranked:
        return ()
    floor = ranked[0].score - config.suggest_window
    return tuple(s.topic_id for s in ranked[: config.max_suggestions] if s.score >= floor)
