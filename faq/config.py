"""Every threshold and weight of the matcher, in one place.

Scores are in [0, 1]. A topic's score blends how well the question matches its
best single phrasing (an F-measure over weighted terms) with how much of the
question the topic's vocabulary explains as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MatchConfig:
    answer_threshold: float = 0.58
    """A topic scoring at least this may be answered outright..."""
    answer_margin: float = 0.06
    """...when it leads the runner-up by at least this much; otherwise we suggest."""
    suggest_threshold: float = 0.38
    """Topics scoring at least this are offered as "did you mean"."""
    suggest_window: float = 0.25
    """Suggestions score within this distance of the best topic."""
    max_suggestions: int = 3

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
