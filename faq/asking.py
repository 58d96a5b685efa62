"""Whether a text asks something or is group chatter: naive Bayes (faq/naivebayes.py) fitted on
the example questions, the in-scope and near-domain ones against the chatter.

Chatter that names a topic ("aku kena letak kat front office, doakan aku", "missing my old
outbound team") looks like a question on every lexical feature; what tells it apart is how it
is said, which the examples show. Its evidence is one of the decision's features (faq/fit.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from faq.config import MatchConfig
from faq.model import Faq
from faq.naivebayes import NaiveBayes
from faq.normalize import words
from faq.rows import CHATTER

ASKING = "asking"
CLASSES = (ASKING, CHATTER)


def asking_texts(faq: Faq) -> Iterator[tuple[tuple[str, ...], list[str]]]:
    for example in faq.examples:
        yield (CHATTER if example.tag == CHATTER else ASKING,), words(example.question)


class AskingModel:
    def __init__(self, faq: Faq, config: MatchConfig) -> None:
        self.model = NaiveBayes.fit(
            asking_texts(faq),
            CLASSES,
            config.bayes_char_ngrams,
            config.bayes_smoothing,
            config.bayes_max_texts,
        )
        self.clip = config.asking_clip

    def evidence(self, text_words: Sequence[str]) -> float:
        """Log-odds, summed over the words, that the text asks rather than chats; 0 for words
        the examples never had (or an FAQ without examples)."""
        total = 0.0
        for word in text_words:
            scores = self.model.word_scores(word)
            if scores is not None:
                total += float(scores[0] - scores[1])
        return max(-self.clip, min(self.clip, total))
