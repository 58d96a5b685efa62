"""How much a text reads like one kind of example question rather than another: naive Bayes
(faq/naivebayes.py) fitted on the example questions' own tags. Two such signals are decision
features (faq/fit.py):

- asking: in-scope and near-domain questions against group chatter. Chatter that names a topic
  ("aku kena letak kat front office, doakan aku", "missing my old outbound team") looks like a
  question on every lexical feature; how it is said tells it apart.
- scope: in-scope questions against near-domain ones (pay, hiring, KPIs...), which share the
  FAQ's words but ask something it does not answer.

Fold engines refit both without their fold, so the decision is fitted on evidence out of fold.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from faq.config import MatchConfig
from faq.model import Faq
from faq.naivebayes import NaiveBayes
from faq.normalize import words
from faq.rows import CHATTER, INSCOPE, NEAR_OOS

YES, NO = "yes", "no"


class TagEvidence:
    def __init__(
        self, faq: Faq, config: MatchConfig, yes: Collection[str], no: Collection[str]
    ) -> None:
        """Fitted on the examples tagged one of `yes` against those tagged one of `no`."""
        labelled = (
            ((YES if example.tag in yes else NO,), words(example.question))
            for example in faq.examples
            if example.tag in yes or example.tag in no
        )
        self.model = NaiveBayes.fit(
            labelled,
            (YES, NO),
            config.bayes_char_ngrams,
            config.bayes_smoothing,
            config.bayes_max_texts,
        )
        self.clip = config.tag_evidence_clip

    def evidence(self, text_words: Sequence[str]) -> float:
        """Log-odds, summed over the words and clipped, that the text is of the `yes` tags; 0
        for words the examples never had (or an FAQ without examples)."""
        total = 0.0
        for word in text_words:
            scores = self.model.word_scores(word)
            if scores is not None:
                total += float(scores[0] - scores[1])
        return max(-self.clip, min(self.clip, total))


def asking_evidence(faq: Faq, config: MatchConfig) -> TagEvidence:
    return TagEvidence(faq, config, yes=(INSCOPE, NEAR_OOS), no=(CHATTER,))


def scope_evidence(faq: Faq, config: MatchConfig) -> TagEvidence:
    return TagEvidence(faq, config, yes=(INSCOPE,), no=(NEAR_OOS,))
