"""A naive Bayes model of Indonesian, Malay and English text, fitted on texts whose language is
known: the FAQ's titles, answers and phrasings, and the example questions people wrote.

Marker words (faq/lexicon.yaml) tell a language surely but only when the text has one; chat is
full of words no list holds ("mantap", "met malem", "tq bro", "bagitau"). The model scores every
word and its character n-grams by how often each language's texts use them, so what the examples
teach carries over to words no one listed. General identifiers do worse on this chat (lingua:
72% of the writers' rows, against 97% here): they are trained on formal text and tell
Indonesian from Malay poorly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from faq.config import MatchConfig
from faq.model import LANGS, Faq
from faq.normalize import words


def features(words: Sequence[str], char_ngrams: Sequence[int]) -> list[str]:
    """Each word, and the character n-grams of each word padded with a space on each side."""
    found: list[str] = []
    for word in words:
        found.append(f"w:{word}")
        padded = f" {word} "
        for n in char_ngrams:
            found.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return found


@dataclass(frozen=True)
class LanguageModel:
    feature_rows: dict[str, int]
    """Feature -> its row of `log_probs`; features no fitting text had are left out."""
    log_probs: np.ndarray
    """(features, languages): log P(feature | language), smoothed; columns in `LANGS` order."""
    char_ngrams: tuple[int, ...]

    @classmethod
    def fit(
        cls, texts: Iterable[tuple[Sequence[str], Sequence[str]]], config: MatchConfig
    ) -> LanguageModel:
        """Fit on (languages the text is right in, its words) pairs; at most
        `config.language_max_texts` of them are read, so a huge FAQ stays quick to load."""
        ngrams = config.language_char_ngrams
        rows: dict[str, int] = {}
        hits: list[list[int]] = [[] for _ in LANGS]
        for number, (langs, text_words) in enumerate(texts):
            if number >= config.language_max_texts:
                break
            found = [rows.setdefault(f, len(rows)) for f in features(text_words, ngrams)]
            for lang in langs:
                hits[LANGS.index(lang)].extend(found)
        counts = np.stack([np.bincount(h, minlength=len(rows)) for h in hits], axis=1)
        smoothing = config.language_smoothing
        totals = counts.sum(axis=0) + smoothing * len(rows)
        log_probs = np.log((counts + smoothing) / np.maximum(totals, 1e-9)).astype(np.float32)
        return cls(rows, log_probs, tuple(ngrams))

    def word_scores(self, word: str) -> np.ndarray | None:
        """Mean log-probability of the word's features in each language (`LANGS` order), or
        None when the model knows none of them. A mean, not a naive Bayes sum: a word's
        n-grams are far from independent, and summed they would let one long English word
        outweigh a whole line of Malay."""
        rows = self.feature_rows
        known = [rows[f] for f in features((word,), self.char_ngrams) if f in rows]
        if not known:
            return None
        result: np.ndarray = self.log_probs[known].mean(axis=0, dtype=np.float64)
        return result


def language_texts(faq: Faq) -> Iterator[tuple[tuple[str, ...], list[str]]]:
    """(languages, words) of every text whose language is known: the example questions first,
    then each topic's titles, phrasings and answers."""
    for example in faq.examples:
        yield example.langs, words(example.question)
    for topic in faq.topics.values():
        for lang, text in topic.texts.items():
            for part in (text.title, *text.phrasings, text.answer):
                yield (lang,), words(part)
