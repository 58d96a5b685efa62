"""A plain BM25 index over the FAQ's titles and phrasings: the baseline `faqbot bench`
measures the engine against, on the same data and in the same run.

Each title and phrasing in each language is a document of folded words; a question is
answered with the topic and language of the best-scoring document, or not at all when no
word is shared. No typo correction, synonyms, threshold or language detection: what a
search library gives out of the box.
"""

from __future__ import annotations

import math
from collections import Counter

from faq.engine import Reply
from faq.model import Faq
from faq.normalize import words

K1 = 1.2
"""Term-frequency saturation (the usual default)."""
B = 0.75
"""Document-length normalisation (the usual default)."""


class Bm25:
    def __init__(self, faq: Faq, fallback_lang: str = "en") -> None:
        self.fallback_lang = fallback_lang
        self.owners: list[tuple[str, str]] = []
        """Document number -> (topic id, language)."""
        lengths: list[int] = []
        postings: dict[str, list[tuple[int, int]]] = {}
        for topic in faq.topics.values():
            for lang, text in topic.texts.items():
                for question in (text.title, *text.phrasings):
                    document = len(self.owners)
                    folded = words(question)
                    for word, count in Counter(folded).items():
                        postings.setdefault(word, []).append((document, count))
                    self.owners.append((topic.id, lang))
                    lengths.append(len(folded))
        count = len(lengths)
        average = sum(lengths) / max(1, count)
        self.norms = [K1 * (1 - B + B * length / average) for length in lengths]
        self.postings = postings
        self.idf = {
            word: math.log(1 + (count - len(found) + 0.5) / (len(found) + 0.5))
            for word, found in postings.items()
        }

    def scores(self, question: str) -> dict[int, float]:
        """Document number -> BM25 score, for the documents sharing a word with `question`."""
        scores: dict[int, float] = {}
        for word in set(words(question)):
            idf = self.idf.get(word)
            if idf is None:
                continue
            for document, count in self.postings[word]:
                gain = idf * count * (K1 + 1) / (count + self.norms[document])
                scores[document] = scores.get(document, 0.0) + gain
        return scores

    def ask(self, text: str) -> Reply:
        """The best document's topic and language; "none" when no word is shared."""
        scores = self.scores(text)
        if not scores:
            return Reply("none", None, (), self.fallback_lang, 0.0)
        best = max(scores, key=scores.__getitem__)
        topic_id, lang = self.owners[best]
        return Reply("answer", topic_id, (), lang, round(scores[best], 4))
