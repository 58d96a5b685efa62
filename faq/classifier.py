"""A learned ranking signal: a linear topic classifier fitted on the FAQ's own titles and
phrasings, and on example questions people wrote (faq/data/examples/), each time an engine is
built, so a phrasing added to the FAQ counts at once. The examples are long, code-mixed and
indirect as the phrasings are not; they are what makes a rambling question rank right.

Lexical best-phrasing scoring is thrown off by the context of a long question ("aku baru
keterima kerja di perusahaan BPO, jujur gak ngerti BPO itu apa"); a classifier learns which
words and word pieces tell the topics apart and which carry nothing.

Features of a text: its analyzer terms (concepts already merge id/ms/en synonyms) and pairs of
neighbouring terms, and the character n-grams of its folded words as typed (robust to typos,
affixes and spelling variants); sublinear tf-idf, each text's vector of unit length. A feature
the FAQ never uses is ignored, so a word unseen in the FAQ (all of its n-grams unseen) changes
no score.

The model is regularised least squares, one topic against the rest (targets +1/-1), solved in
closed form in its dual: (G + l2 I) A = Y with G the Gram matrix of the n training texts, then
weights = X^T A. Chosen by measurement over multinomial logistic regression (scikit-learn): the
same ranking accuracy on the dev sets, but no iterative optimiser (deterministic, tens of ms
for the shipped FAQ instead of seconds) and no second of import time. The solve grows with the
cube of the number of texts, so past `classifier_max_texts` no classifier is built and topics
are ranked by the lexical score alone (the 10,000-topic synthetic FAQ of `faqbot bench`).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np
import numpy.typing as npt

from faq import fitcache
from faq.analyzer import Analyzer
from faq.config import MatchConfig
from faq.model import Faq
from faq.normalize import words
from faq.rows import OUT_OF_SCOPE

Vector = npt.NDArray[np.float64]
_FORMAT = "topic-classifier 2"
"""Part of every cache digest: change it when the fit itself changes."""
_PAIR_BUDGET = 500_000
"""Gram matrix entries accumulated per step, to bound the memory of building it."""


def text_features(typed: Sequence[str], terms: Sequence[str], config: MatchConfig) -> list[str]:
    """The features of a text: terms ("w"), neighbouring term pairs ("b") and the character
    n-grams of the typed words padded with spaces ("c"), each as often as it occurs."""
    found = [f"w {term}" for term in terms]
    found += [f"b {a} {b}" for a, b in pairwise(terms)]
    low, high = config.classifier_char_min, config.classifier_char_max
    for word in typed:
        padded = f" {word} "
        for n in range(low, high + 1):
            found += [f"c{padded[i : i + n]}" for i in range(max(1, len(padded) - n + 1))]
    return found


@dataclass(frozen=True, eq=False)
class TopicClassifier:
    feature_number: dict[str, int]
    idf: Vector
    """Feature number -> inverse document frequency over the training texts."""
    weights: npt.NDArray[np.float64]
    """Feature number x topic number -> weight."""
    bias: Vector
    """Topic number -> score of a text with no known feature."""
    config: MatchConfig

    def arrays(self) -> dict[str, npt.NDArray[np.generic]]:
        names = sorted(self.feature_number, key=self.feature_number.__getitem__)
        blob = "\n".join(names).encode()
        return {
            "names": np.frombuffer(blob, dtype=np.uint8),
            "idf": self.idf,
            "weights": self.weights,
            "bias": self.bias,
        }

    @classmethod
    def from_arrays(
        cls, arrays: dict[str, npt.NDArray[np.generic]], config: MatchConfig
    ) -> TopicClassifier:
        names = arrays["names"].tobytes().decode().split("\n")
        return cls(
            {name: number for number, name in enumerate(names)},
            arrays["idf"].astype(np.float64),
            arrays["weights"].astype(np.float64),
            arrays["bias"].astype(np.float64),
            config,
        )

    def scores(self, typed: Sequence[str], terms: Sequence[str]) -> Vector:
        """Per topic number, how strongly the text's features point to it (about +1 for the
        topic of a training phrasing, about -1 for the others)."""
        found = map(self.feature_number.get, text_features(typed, terms, self.config))
        known = [number for number in found if number is not None]
        if not known:
            return self.bias.copy()
        numbers, counts = np.unique(np.array(known, dtype=np.int64), return_counts=True)
        values = (1.0 + np.log(counts)) * self.idf[numbers]
        values /= math.sqrt(float(values @ values))
        result: Vector = values @ self.weights[numbers] + self.bias
        return result


def training_texts(
    faq: Faq, examples: Sequence[tuple[str, str]] = ()
) -> tuple[list[str], list[int]]:
    """Every title and phrasing of every language, then every example (question, topic id) of
    a topic the FAQ has or of none ("-"), and the number of its topic (-1 for none: a text
    that should score low for every topic, such as "berapa gaji agent call center")."""
    texts: list[str] = []
    labels: list[int] = []
    for number, topic in enumerate(faq.topics.values()):
        for text in topic.texts.values():
            asked = (text.title, *text.phrasings)
            texts.extend(asked)
            labels.extend([number] * len(asked))
    number_of = {topic_id: number for number, topic_id in enumerate(faq.topics)}
    for question, topic_id in examples:
        if topic_id in number_of or topic_id == OUT_OF_SCOPE:
            texts.append(question)
            labels.append(number_of.get(topic_id, -1))
    return texts, labels


def build_classifier(
    faq: Faq,
    analyzer: Analyzer,
    config: MatchConfig,
    examples: Sequence[tuple[str, str]] = (),
) -> TopicClassifier | None:
    """The classifier fitted on `faq` and `examples`, or None when there are too many texts
    (or too few topics) for it."""
    texts, labels = training_texts(faq, examples)
    if len(faq.topics) < 2 or len(texts) > config.classifier_max_texts:
        return None
    digest = _digest(faq, examples, analyzer.lexicon.digest, config)
    stored = fitcache.load("classifier", digest) if digest else None
    if stored is not None:
        return TopicClassifier.from_arrays(stored, config)
    documents = [text_features(words(t), analyzer.terms(t), config) for t in texts]
    classifier = fit_classifier(documents, labels, len(faq.topics), config)
    if digest:
        fitcache.store("classifier", digest, classifier.arrays())
    return classifier


_FEATURE_CODE = ("analyzer", "classifier", "index", "lexicon", "normalize")
"""The modules that turn a text into the classifier's features (faq/<name>.py)."""


@cache
def _code_digest() -> str:
    digest = hashlib.sha256(_FORMAT.encode())
    for name in _FEATURE_CODE:
        digest.update((Path(__file__).parent / f"{name}.py").read_bytes())
    return digest.hexdigest()


def _digest(
    faq: Faq, examples: Sequence[tuple[str, str]], lexicon_digest: str, config: MatchConfig
) -> str:
    """Everything the fit reads, without reading the texts' features (most of a build's time):
    the code and settings that make them, the lexicon, every FAQ text (the analyzer corrects
    typos towards their words) and the examples. Empty for a lexicon of unknown origin."""
    if not lexicon_digest:
        return ""
    digest = hashlib.sha256(f"{_code_digest()} {lexicon_digest} {config!r}".encode())
    for topic in faq.topics.values():
        digest.update(f"\x1d{topic.id}".encode())
        for lang, text in topic.texts.items():
            for part in (lang, text.title, text.answer, *text.phrasings):
                digest.update(f"\x1f{part}".encode())
    for question, topic_id in examples:
        digest.update(f"\x1e{topic_id}\x1f{question}".encode())
    return digest.hexdigest()


def fit_classifier(
    documents: Sequence[Sequence[str]], labels: Sequence[int], topics: int, config: MatchConfig
) -> TopicClassifier:
    """Fit on the feature lists of the training texts and their topic numbers."""
    feature_number: dict[str, int] = {}
    rows = [
        Counter(feature_number.setdefault(f, len(feature_number)) for f in d) for d in documents
    ]
    n, features = len(rows), len(feature_number)
    document_frequency = np.zeros(features)
    for row in rows:
        document_frequency[list(row)] += 1
    idf = np.log((1.0 + n) / (1.0 + document_frequency)) + 1.0
    # The texts' vectors, feature by feature (CSC): row numbers and values.
    row_of, column_of, value_of = [], [], []
    for r, row in enumerate(rows):
        numbers = np.fromiter(row, dtype=np.int64, count=len(row))
        values = (1.0 + np.log(np.fromiter(row.values(), dtype=np.float64))) * idf[numbers]
        norm = math.sqrt(float(values @ values)) or 1.0
        row_of.append(np.full(len(row), r, dtype=np.int64))
        column_of.append(numbers)
        value_of.append(values / norm)
    order = np.argsort(np.concatenate(column_of) if column_of else np.zeros(0), kind="stable")
    by_feature_row = np.concatenate(row_of)[order] if row_of else np.zeros(0, dtype=np.int64)
    by_feature_value = np.concatenate(value_of)[order] if value_of else np.zeros(0)
    start = np.zeros(features + 1, dtype=np.int64)
    np.cumsum(np.bincount(np.concatenate(column_of), minlength=features), out=start[1:])

    gram = _gram(n, start, by_feature_row, by_feature_value)
    gram += 1.0  # a constant feature
    gram[np.diag_indices(n)] += config.classifier_l2
    targets = np.full((n, topics), -1.0)
    known = np.asarray(labels, dtype=np.int64)
    targets[np.flatnonzero(known >= 0), known[known >= 0]] = 1.0
    dual = np.linalg.solve(gram, targets)
    del gram
    weights = np.add.reduceat(dual[by_feature_row] * by_feature_value[:, None], start[:-1], axis=0)
    weights[start[:-1] == start[1:]] = 0.0  # reduceat gives a neighbour's value for an empty run
    return TopicClassifier(feature_number, idf, weights, dual.sum(axis=0), config)


def _gram(
    n: int, start: npt.NDArray[np.int64], rows: npt.NDArray[np.int64], values: Vector
) -> Vector:
    """Dot products of every pair of texts. Features many texts use go through one dense
    matrix product; for the others, every pair of texts sharing one is accumulated, a bounded
    number of pairs at a time."""
    frequency = np.diff(start)
    common = frequency >= max(8, n // 16)
    dense = np.zeros((n, int(common.sum())))
    entries = np.repeat(common, frequency)
    dense[rows[entries], np.repeat(np.arange(dense.shape[1]), frequency[common])] = values[entries]
    gram = (dense @ dense.T).ravel()
    frequency = np.where(common, 0, frequency)
    pairs_of_entry = np.where(entries, 0, np.repeat(frequency, np.diff(start)))
    first_of_entry = np.repeat(start[:-1], np.diff(start))
    cumulative = np.cumsum(pairs_of_entry)
    entry = 0
    while entry < len(rows):
        done = cumulative[entry - 1] if entry else 0
        stop = int(np.searchsorted(cumulative, done + _PAIR_BUDGET, side="right"))
        stop = min(len(rows), max(stop, entry + 1))
        counts = pairs_of_entry[entry:stop]
        left = np.repeat(np.arange(entry, stop), counts)
        offsets = np.arange(len(left)) - np.repeat(np.cumsum(counts) - counts, counts)
        right = np.repeat(first_of_entry[entry:stop], counts) + offsets
        np.add.at(gram, rows[left] * n + rows[right], values[left] * values[right])
        entry = stop
    result: Vector = gram.reshape(n, n)
    return result


def blend(
    lexical: Iterable[tuple[int, float]], learned: Vector, learned_weight: float
) -> list[tuple[int, float]]:
    """(topic number, score) for every topic, best first: the learned score, moved from about
    [-1, 1] to [0, 1], weighs `learned_weight`; the lexical one (0 where absent) the rest."""
    combined = np.clip((learned + 1.0) / 2.0, 0.0, 1.0) * learned_weight
    for topic, score in lexical:
        combined[topic] += (1.0 - learned_weight) * score
    scores = combined.tolist()
    return [(t, scores[t]) for t in np.argsort(-combined, kind="stable").tolist()]
