"""Naive Bayes over words and their character n-grams, fitted on labelled texts: which language
a text is in (faq/langmodel.py), whether it asks something or is group chatter,
and whether in scope (faq/tagevidence.py).

Each word is scored by the mean log-probability of its features, not their sum: a word's
n-grams are far from independent, and summed they would let one long word outweigh a line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np


def word_features(word: str, char_ngrams: Sequence[int]) -> list[str]:
    """The word, and its character n-grams padded with a space on each side."""
    found = [f"w:{word}"]
    padded = f" {word} "
    for n in char_ngrams:
        found.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return found


@dataclass(frozen=True)
class NaiveBayes:
    classes: tuple[str, ...]
    feature_rows: dict[str, int]
    """Feature -> its row of `log_probs`; features no fitting text had are left out."""
    log_probs: np.ndarray
    """(features, classes): log P(feature | class), smoothed."""
    char_ngrams: tuple[int, ...]

    @classmethod
    def fit(
        cls,
        texts: Iterable[tuple[Sequence[str], Sequence[str]]],
        classes: Sequence[str],
        char_ngrams: Sequence[int],
        smoothing: float,
        max_texts: int,
    ) -> NaiveBayes:
        """Fit on (classes the text belongs to, its words) pairs, at most `max_texts` of them."""
        rows: dict[str, int] = {}
        rows_of_word: dict[str, list[int]] = {}  # once per word: most recur in many texts
        hits: list[list[int]] = [[] for _ in classes]
        for number, (labels, text_words) in enumerate(texts):
            if number >= max_texts:
                break
            found: list[int] = []
            for word in text_words:
                word_rows = rows_of_word.get(word)
                if word_rows is None:
                    word_rows = rows_of_word[word] = [
                        rows.setdefault(f, len(rows)) for f in word_features(word, char_ngrams)
                    ]
                found.extend(word_rows)
            for label in labels:
                hits[classes.index(label)].extend(found)
        counts = np.stack([np.bincount(h, minlength=len(rows)) for h in hits], axis=1)
        totals = counts.sum(axis=0) + smoothing * len(rows)
        log_probs = np.log((counts + smoothing) / np.maximum(totals, 1e-9)).astype(np.float32)
        return cls(tuple(classes), rows, log_probs, tuple(char_ngrams))

    def word_scores(self, word: str) -> np.ndarray | None:
        """Mean log-probability of the word's features in each class, or None when the model
        knows none of them."""
        rows = self.feature_rows
        known = [rows[f] for f in word_features(word, self.char_ngrams) if f in rows]
        if not known:
            return None
        result: np.ndarray = self.log_probs[known].mean(axis=0, dtype=np.float64)
        return result
