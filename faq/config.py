"""Every threshold and weight of the matcher, in one place.

Scores are in [0, 1]; whether to answer is fitted (faq/decision.py), not set here.
A topic's score blends how well the question matches its
best single phrasing (an F-measure over weighted terms) with how much of the
question the topic's vocabulary explains as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MatchConfig:
    suggest_window: float = 0.25
    """Suggestions score within this distance of the best topic."""
    max_suggestions: int = 3
    inline_min_score: float = 0.38
    """Inline mode lists topics scoring at least this."""
    follow_up_seconds: float = 300.0
    """A short question this soon after the user's last one may be a follow-up to it."""
    follow_up_max_terms: int = 3
    """A follow-up ("lalu yang outbound?") has at most this many terms and no question word."""

    phrasing_weight: float = 0.7
    """Share of the score from the best single phrasing; the rest from the whole topic."""
    precision_beta: float = 1.0
    """F-measure beta: above 1 favours covering the question over covering the phrasing."""
    answer_text_weight: float = 0.5
    """A question term found only in a topic's answer counts this much towards the topic."""
    unknown_term_weight: float = 1.8
    """Weight of a word the FAQ never uses: such words are what out-of-scope questions add."""
    min_term_weight: float = 0.35
    """Floor for very common terms, so they still count a little."""
    candidate_topics: int = 30
    """Topics scored phrasing by phrasing after the cheap whole-topic pass."""

    learned_weight: float = 0.65
    """Share of a topic's ranking score from the learned classifier (faq/classifier.py); the
    rest from the lexical score above. Chosen by `faqbot fit`'s cross-validated figures over the
    fitting rows once the classifier learned from the examples: 0.5 / 0.65 / 0.8 answered 94.1 /
    94.6 / 94.8% of in-scope rows right (longer ones 91.9 / 93.0 / 93.3%) and 1.6 / 1.9 / 2.0%
    wrong; the middle one takes most of the gain for little more wrong answers. (Before the
    examples, `python -m faq.classifier_cv` on the FAQ's own phrasings chose 0.5.)"""
    classifier_l2: float = 0.1
    """Ridge penalty of the classifier."""
    classifier_char_min: int = 3
    classifier_char_max: int = 4
    """Lengths of the character n-grams of the classifier's features (the word padded with a
    space each side)."""
    classifier_max_texts: int = 5000
    """Past this many training texts (titles, phrasings, examples), no classifier: its fit
    grows with the cube of their number and its memory with the square (the shipped FAQ's
    4,600 texts: about 5 s and 450 MB at the peak, once per content, as the fit is cached)."""

    bayes_char_ngrams: tuple[int, ...] = (3,)
    """Lengths of the character n-grams the naive Bayes models (faq/naivebayes.py: language,
    asking) read, besides whole words. For the language, trigrams alone came within 0.3 points
    of 2-4-grams on the writers' rows and fit twice as fast."""
    bayes_smoothing: float = 0.1
    """Added to every feature count of each class (Lidstone smoothing)."""
    bayes_max_texts: int = 8000
    """Texts a naive Bayes model is fitted on at most (the examples first, then the FAQ's): the
    shipped data has about 4,800 (0.1 s); a huge FAQ would add load time and little else."""
    tag_evidence_clip: float = 10.0
    """The asking and scope evidence (faq/tagevidence.py) is clipped to this much either way:
    past it, a longer text is no surer a question."""
    language_marker_weight: float = 1.0
    """What a lexicon marker word of weight 1 adds to its language's log-likelihood."""
    language_min_margin: float = 2.5
    """The text's evidence for a language must beat the user's known language (or the other
    languages, for it to be remembered) by this much. On 2,000 rows of blind writers the model
    did not learn, its choice was right every time past this margin, and 60-90% of the time
    under 1.5: less often than a user's own last language."""
    typo_min_length: int = 4
    """Words shorter than this are never corrected."""
    typo_substitution_length: int = 6
    """Words shorter than this are corrected for a missing, extra or swapped letter only, never
    for one letter replaced by another."""
    typo_two_edits_length: int = 8
    """Words this long may be two edits away from the known word they are corrected to; shorter
    ones one edit (rapidfuzz OSA distance, where swapping two letters is one edit)."""
    typo_target_min_length: int = 3
    """Known words shorter than this are never the result of a correction."""
    correction_cache_size: int = 50_000
    """Corrections remembered per analyzer before the memory is cleared."""
    stem_min_length: int = 3
    """A suffix is only removed when at least this much of the word is left."""
    prefix_stem_min_length: int = 4
    """A prefix is only removed when at least this much of the word is left."""
    stem_max_suffixes: int = 2
    """Suffixes removed one after another at most ("kerja-an-nya")."""
    split_min_part: int = 3
    """A glued word ("apaitu") is split only into known words at least this long."""


DEFAULT_CONFIG = MatchConfig()


@dataclass(frozen=True)
class FitConfig:
    """How `faqbot fit` fits the decision: folds, regularisation, and what each mistake costs
    when the probability thresholds are chosen."""

    folds: int = 5
    seed: int = 20261123
    l2: float = 1.0
    """Ridge penalty on the standardised weights."""
    cost_missed_answer: float = 1.0
    """An in-scope question whose top topic was right gets suggestions instead of the answer."""
    cost_wrong_answer: float = 2.0
    """An in-scope question answered with the wrong topic. Twice a missed answer: the reply still
    carries related topics and 👎, so it costs the user about one tap more than suggestions do."""
    max_near_oos_answered: float = 0.02
    """The answer threshold keeps the out-of-fold share of near-domain out-of-scope questions
    (pay, hiring, KPIs...) given an FAQ answer at or under this: half the product's bar (4%),
    as a margin for people who write unlike the fitting rows."""
    max_chatter_answered: float = 0.005
    """The same for group chatter: half the bar (1%)."""
    cost_missed_suggestion: float = 1.0
    """The right topic was among the suggestions, but none were offered."""
    cost_needless_suggestion: float = 0.3
    """Suggestions offered when the right topic (if any) was not among them."""
    probe_every: int = 25
    """Every so many fitting rows, the features the engine read are recorded with the fit, so a
    test can tell the recorded fit from one of other code (faq.fit.probe)."""
    threshold_min: float = 0.05
    threshold_max: float = 0.99
    threshold_step: float = 0.01


DEFAULT_FIT = FitConfig()
