"""The search index over an FAQ: weighted terms per topic and per phrasing, in flat arrays.

Terms are numbered. A phrasing is a run of term numbers in one array, a topic a run of
phrasings, a term's postings a run of topic numbers: a 10,000-topic FAQ takes a few MiB
instead of millions of Python objects, and `faq.matcher.rank` scores thousands of topics
with a handful of array operations.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from faq.analyzer import Analyzer
from faq.config import MatchConfig
from faq.model import Faq, TopicText
from faq.normalize import pieces, words

_UNSEEN = ("",)
"""Stands for a piece of text not analysed yet."""
Numbers = npt.NDArray[np.int32]
Offsets = npt.NDArray[np.int64]
Weights = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class FaqIndex:
    topic_ids: list[str]
    topic_number: dict[str, int]
    """Topic id -> its position in `topic_ids`."""
    term_number: dict[str, int]
    """Every term of the FAQ's titles, phrasings and answers -> its number."""
    term_names: list[str]
    """Term number -> term."""
    term_weight: Weights
    """Term number -> weight: rarer across topics' titles and phrasings weighs more."""
    posting_start: Offsets
    """Term number n -> its postings are `posting_start[n]:posting_start[n + 1]`."""
    posting_topic: Numbers
    """Topics using the term in a title, phrasing or answer, in topic order."""
    posting_asked: npt.NDArray[np.bool_]
    """True where the topic uses the term in a title or phrasing, not only in an answer."""
    topic_phrasings: Offsets
    """Topic n -> its phrasings are `topic_phrasings[n]:topic_phrasings[n + 1]`."""
    phrasing_start: Offsets
    """Phrasing n -> its term numbers are `phrasing_terms[phrasing_start[n]:...[n + 1]]`."""
    phrasing_terms: Numbers
    phrasing_weight: Weights
    """Sum of the weights of the phrasing's terms."""
    config: MatchConfig

    def weight(self, term: str) -> float:
        number = self.term_number.get(term)
        if number is None:
            return self.config.unknown_term_weight
        return float(self.term_weight[number])

    def postings(self, term: int) -> tuple[Numbers, npt.NDArray[np.bool_]]:
        """The topics using term number `term`, in order, and whether each asks with it."""
        start, end = self.posting_start[term], self.posting_start[term + 1]
        return self.posting_topic[start:end], self.posting_asked[start:end]

    def phrasings_of(self, topics: Offsets) -> tuple[Offsets, Offsets]:
        """The phrasings of `topics`, laid end to end, and for each the position in `topics`
        of the topic it belongs to."""
        first, end = self.topic_phrasings[topics], self.topic_phrasings[topics + 1]
        return _runs(first, end), np.repeat(np.arange(len(topics)), end - first)

    def terms_of(self, phrasings: Offsets) -> tuple[Numbers, Offsets]:
        """The term numbers of `phrasings`, laid end to end, and where each phrasing's run
        starts."""
        first, end = self.phrasing_start[phrasings], self.phrasing_start[phrasings + 1]
        return self.phrasing_terms[_runs(first, end)], _offsets(end - first)[:-1]

    @property
    def asked_terms(self) -> AskedTerms:
        """Per topic: the terms of its titles and phrasings in every language."""
        return AskedTerms(self)


class AskedTerms(Sequence[frozenset[str]]):
    """The terms each topic's titles and phrasings use, read from the index when asked."""

    def __init__(self, index: FaqIndex) -> None:
        self._index = index

    def __len__(self) -> int:
        return len(self._index.topic_ids)

    @overload
    def __getitem__(self, topic: int) -> frozenset[str]: ...
    @overload
    def __getitem__(self, topic: slice) -> list[frozenset[str]]: ...
    def __getitem__(self, topic: int | slice) -> frozenset[str] | list[frozenset[str]]:
        if isinstance(topic, slice):
            return [self[n] for n in range(len(self))[topic]]
        topic = range(len(self))[topic]  # negative positions count from the end; IndexError
        index = self._index
        first, end = index.topic_phrasings[topic], index.topic_phrasings[topic + 1]
        numbers = index.phrasing_terms[index.phrasing_start[first] : index.phrasing_start[end]]
        return frozenset(index.term_names[n] for n in np.unique(numbers).tolist())

    def __iter__(self) -> Iterator[frozenset[str]]:
        return (self[n] for n in range(len(self)))


class _Numbering(dict[str, int]):
    """Numbers keys in the order they are first looked up."""

    def __missing__(self, key: str) -> int:
        number = self[key] = len(self)
        return number


def faq_words(faq: Faq) -> set[str]:
    """Every word the FAQ's texts use, so the analyzer can correct typos towards them."""
    found: set[str] = set()
    for topic in faq.topics.values():
        texts = topic.texts.values()
        found.update(pieces(" ".join(chain.from_iterable(_texts_of(text) for text in texts))))
    return {word for piece in found for word in words(piece)}


def _texts_of(text: TopicText) -> tuple[str, ...]:
    return (text.title, text.answer, *text.phrasings)


_BLOCK = 1 << 16
"""Pairs or phrasings handled at a time where a whole-index temporary array would be large."""


def build_index(faq: Faq, analyzer: Analyzer, config: MatchConfig) -> FaqIndex:
    term_number = _Numbering()
    number = term_number.__getitem__
    piece_terms: dict[str, tuple[str, ...] | None] = {}
    """Piece of text -> its terms; None where they depend on the next pieces."""

    piece_numbers: dict[str, tuple[int, ...]] = {}
    """Piece of text -> its terms' numbers, once every one of them is numbered."""

    def numbers(text: str) -> list[int]:
        """The numbers of the terms of `text` in order, repeats kept; numbers new terms in
        the order they first appear."""
        split = pieces(text)
        try:
            return list(chain.from_iterable(map(piece_numbers.__getitem__, split)))
        except KeyError:
            pass
        known = list(map(piece_terms.get, split, repeat(_UNSEEN)))
        if _UNSEEN in known:
            for piece in split:
                if piece not in piece_terms:
                    piece_terms[piece] = analyzer.piece_terms(piece)
            known = list(map(piece_terms.__getitem__, split))
        if None in known:  # a word may start a multi-word expression
            return list(map(number, analyzer.terms(text)))
        found = list(map(number, chain.from_iterable(known)))  # type: ignore[arg-type]
        for piece, terms in zip(split, known, strict=True):
            piece_numbers[piece] = tuple(map(number, terms))  # type: ignore[arg-type]
        return found

    def numbered(text: str) -> frozenset[int]:
        return frozenset(numbers(text))

    phrasing_terms, phrasing_lengths, phrasing_counts = array("i"), array("q"), array("q")
    topic_terms, asked_counts, answer_only_counts = array("i"), array("q"), array("q")
    for topic in faq.topics.values():
        texts = topic.texts.values()
        asked_texts = chain.from_iterable((text.title, *text.phrasings) for text in texts)
        phrasings = dict.fromkeys(map(numbered, asked_texts))  # drops repeated phrasings
        phrasings.pop(frozenset(), None)
        asked = frozenset().union(*phrasings)
        answered = map(numbers, (text.answer for text in texts))
        answer_only = frozenset(chain.from_iterable(answered)) - asked
        phrasing_terms.extend(chain.from_iterable(phrasings))
        phrasing_lengths.extend(map(len, phrasings))
        phrasing_counts.append(len(phrasings))
        topic_terms.extend(asked)
        topic_terms.extend(answer_only)
        asked_counts.append(len(asked))
        answer_only_counts.append(len(answer_only))

    # Every (topic, term) pair in topic order, the terms a topic asks with first.
    term_count, topic_count = len(term_number), len(faq.topics)
    terms = np.frombuffer(topic_terms, dtype=np.int32)
    runs = np.column_stack((_numbers(asked_counts), _numbers(answer_only_counts))).ravel()
    answer_only_flags = np.repeat(np.tile(np.array([False, True]), topic_count), runs)
    # A block at a time: bincount copies its input to 64-bit numbers.
    asked_frequency, frequency = np.zeros(term_count, np.int64), np.zeros(term_count, np.int64)
    for block in range(0, len(terms), _BLOCK):
        chunk = terms[block : block + _BLOCK]
        frequency += np.bincount(chunk, minlength=term_count)
        asked = chunk[~answer_only_flags[block : block + _BLOCK]]
        asked_frequency += np.bincount(asked, minlength=term_count)
    term_weight = _term_weights(asked_frequency, topic_count, config)
    posting_start = _offsets(frequency)
    phrasing_start = _offsets(_numbers(phrasing_lengths))
    flat_terms = np.frombuffer(phrasing_terms, dtype=np.int32)
    phrasing_weight = _phrasing_weights(term_weight, flat_terms, phrasing_start)
    posting_topic, posting_asked = _postings(
        terms, answer_only_flags, runs.reshape(-1, 2).sum(1), topic_count, term_count
    )
    return FaqIndex(
        topic_ids=list(faq.topics),
        topic_number={topic_id: number for number, topic_id in enumerate(faq.topics)},
        term_number=term_number,
        term_names=list(term_number),
        term_weight=term_weight,
        posting_start=posting_start,
        posting_topic=posting_topic,
        posting_asked=posting_asked,
        topic_phrasings=_offsets(_numbers(phrasing_counts)),
        phrasing_start=phrasing_start,
        phrasing_terms=flat_terms,
        phrasing_weight=phrasing_weight,
        config=config,
    )


def _postings(
    terms: Numbers,
    answer_only: npt.NDArray[np.bool_],
    pairs_per_topic: npt.NDArray[np.int64],
    topic_count: int,
    term_count: int,
) -> tuple[Numbers, npt.NDArray[np.bool_]]:
    """Each term's topics in topic order, term after term, and whether the topic asks with
    the term, from the (topic, term) pairs in topic order. Sorts one number per pair in
    place (term, then topic, then the answer-only flag) instead of a permutation: a large
    index is built in a fraction of the memory. Overwrites `terms` when they fit."""
    span = 2 * topic_count
    fits = term_count * span < 2**31
    keys: npt.NDArray[np.signedinteger[Any]] = terms.astype(
        np.int32 if fits else np.int64, copy=False
    )
    keys *= span
    ends = np.cumsum(pairs_per_topic)
    for first in range(0, topic_count, _BLOCK):  # a block of topics at a time, as below
        last = min(first + _BLOCK, topic_count)
        begin, end = (ends[first - 1] if first else 0), ends[last - 1]
        keys[begin:end] += np.repeat(
            np.arange(2 * first, 2 * last, 2, dtype=keys.dtype), pairs_per_topic[first:last]
        )
    keys += answer_only
    keys.sort()
    asked = np.empty(len(keys), dtype=np.bool_)
    for block in range(0, len(keys), _BLOCK):
        asked[block : block + _BLOCK] = (keys[block : block + _BLOCK] & 1) == 0
    keys >>= 1
    np.remainder(keys, topic_count, out=keys)
    return keys.astype(np.int32, copy=False), asked


def _phrasing_weights(term_weight: Weights, flat_terms: Numbers, start: Offsets) -> Weights:
    """Each phrasing's total term weight, a block of phrasings at a time."""
    weights = np.zeros(len(start) - 1)
    count = len(weights)
    for first in range(0, count, _BLOCK):
        last = min(first + _BLOCK, count)
        begin, end = start[first], start[last]
        if end > begin:
            weights[first:last] = np.add.reduceat(
                term_weight[flat_terms[begin:end]], start[first:last] - begin
            )
    return weights


def _term_weights(
    document_frequency: npt.NDArray[np.int64], topic_count: int, config: MatchConfig
) -> Weights:
    """Inverse document frequency over the topics whose titles or phrasings use the term; a
    term only answers use is known but rare. Computed with `math.log`, as before numbers
    became arrays, so every weight is the same to the last bit."""
    answer_only = max(config.min_term_weight, math.log(topic_count + 1))
    return np.array(
        [
            max(config.min_term_weight, math.log((topic_count + 1) / (count + 0.5)))
            if count
            else answer_only
            for count in document_frequency.tolist()
        ],
        dtype=np.float64,
    )


def _numbers(values: array[int]) -> npt.NDArray[np.int64]:
    return np.frombuffer(values, dtype=np.int64)


def _offsets(lengths: npt.NDArray[np.int64]) -> Offsets:
    """Where each run starts when runs of these lengths are laid end to end, and the end."""
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets


def _runs(first: Offsets, end: Offsets) -> Offsets:
    """Every number in `first[i]:end[i]`, for each i in turn."""
    lengths = end - first
    return np.repeat(first - _offsets(lengths)[:-1], lengths) + np.arange(lengths.sum())
