"""The language model: naive Bayes (faq/naivebayes.py) fitted on texts whose language is known,
the FAQ's titles, answers and phrasings and the example questions people wrote.

Marker words (faq/lexicon.yaml) tell a language surely but only when the text has one; chat is
full of words no list holds ("mantap", "met malem", "tq bro", "bagitau"). The model scores every
word and its letter trigrams by how often each language's texts use them, so what the examples
teach carries over to words no one listed. General identifiers do worse on this chat (lingua:
72% of the writers' rows, against 98% here): trained on formal text, they tell Indonesian from
Malay poorly.
"""

from __future__ import annotations

from collections.abc import Iterator

from faq.config import MatchConfig
from faq.model import LANGS, Faq
from faq.naivebayes import NaiveBayes
from faq.normalize import words


def language_texts(faq: Faq) -> Iterator[tuple[tuple[str, ...], list[str]]]:
    """(languages, words) of every text whose language is known: the example questions first,
    then each topic's titles, phrasings and answers."""
    for example in faq.examples:
        yield example.langs, words(example.question)
    for topic in faq.topics.values():
        for lang, text in topic.texts.items():
            for part in (text.title, *text.phrasings, text.answer):
                yield (lang,), words(part)


def fit_language_model(faq: Faq, config: MatchConfig) -> NaiveBayes:
    """Classes in `LANGS` order."""
    return NaiveBayes.fit(
        language_texts(faq),
        LANGS,
        config.bayes_char_ngrams,
        config.bayes_smoothing,
        config.bayes_max_texts,
    )
