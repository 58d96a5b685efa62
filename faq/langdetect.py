"""Reply-language detection for Indonesian, Malay and English chat questions.

The fitted language model (faq/langmodel.py) scores the text's words and their letter
trigrams; the lexicon's marker words (perbedaan/karena/bisa are Indonesian, perbezaan/kerana/
nak Malay) add what they surely tell. What is known of the user (the language of their last
message, the Telegram hint) decides unless the text's own evidence against it is clear ("ok",
"apa itu BPO?" leave it standing).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import numpy as np

from faq.config import MatchConfig
from faq.lexicon import LANGUAGE_KEYS, Lexicon
from faq.model import LANGS
from faq.naivebayes import NaiveBayes


def marker_counts(words: Iterable[str], lexicon: Lexicon) -> dict[str, float]:
    """How much the words of the text mark each of "id", "ms", "idms" and "en"."""
    counts = dict.fromkeys(LANGUAGE_KEYS, 0.0)
    word_list = list(words)
    tokens = word_list + [f"{a} {b}" for a, b in itertools.pairwise(word_list)]
    weights = lexicon.marker_weights
    for token in tokens:
        for lang, markers in lexicon.markers.items():
            if token in markers:
                counts[lang] += weights.get(token, 1.0)
    for lang, patterns in lexicon.marker_patterns.items():
        for word in word_list:
            if any(pattern.fullmatch(word) for pattern in patterns):
                counts[lang] += 1.0  # "wkwkwk": a shape no list could hold
    if word_list:
        for lang, particles in lexicon.final_particles.items():
            if word_list[-1] in particles:
                counts[lang] += 1.0  # "... pekerja ke?": a particle only Malay puts last
    return counts


class LanguageDetector:
    def __init__(self, lexicon: Lexicon, model: NaiveBayes, config: MatchConfig) -> None:
        self.lexicon = lexicon
        self.model = model
        self.marker_weight = config.language_marker_weight
        self.min_margin = config.language_min_margin

    def scores(self, words: Sequence[str]) -> np.ndarray | None:
        """Evidence for each language (`LANGS` order, log-likelihood scale), or None when the
        text shows none at all (emoji, numbers, words no fitting text had). A weak marker
        ("ok", "thanks", "boleh": chat words every language here borrows) tells only what the
        lexicon gives it, however often the model saw it in one language."""
        weights = self.lexicon.marker_weights
        total = np.zeros(len(LANGS))
        seen = False
        for word in words:
            scored = None if weights.get(word, 1.0) < 1.0 else self.model.word_scores(word)
            if scored is not None:
                seen = True
                total += scored
        counts = marker_counts(words, self.lexicon)
        if not seen and not any(counts.values()):
            return None
        shared = counts["idms"] / 2  # a word both Indonesian and Malay use: not English
        marked = np.array([counts["id"] + shared, counts["ms"] + shared, counts["en"]])
        return total + self.marker_weight * marked

    def read(
        self, words: Sequence[str], hint: str | None = None, fallback: str = "en"
    ) -> tuple[str, bool]:
        """The language to reply in (the hint unless the text's evidence against it is clear,
        else the language the text shows most, else `fallback`), and whether the text showed
        that language clearly: clearly beyond every other, or enough to overrule the hint."""
        scores = self.scores(words)
        hint = hint if hint in LANGS else None
        if scores is None:
            return hint or fallback, False
        ordered = np.sort(scores)
        shows = bool(ordered[-1] - ordered[-2] >= self.min_margin)
        best = int(np.argmax(scores))
        if hint and scores[best] - scores[LANGS.index(hint)] < self.min_margin:
            return hint, shows
        return LANGS[best], shows or hint is not None

    def detect(self, words: Sequence[str], hint: str | None = None, fallback: str = "en") -> str:
        """The language to reply in (see `read`)."""
        return self.read(words, hint, fallback)[0]
