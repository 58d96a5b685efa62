"""Reply-language detection for Indonesian, Malay and English chat questions.

General language identifiers confuse Indonesian and Malay on short text. Here
the text's own marker words decide (e.g. perbedaan/karena/bisa are Indonesian,
perbezaan/kerana/nak are Malay, shared words only say "not English"), each
weighted by how surely it tells its language, and the user's language hint
decides when the text cannot ("apa itu BPO?").
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from faq.lexicon import LANGUAGE_KEYS, Lexicon

LANGS = ("id", "ms", "en")


def marker_counts(
    words: Iterable[str], lexicon: Lexicon, min_weight: float = 0.0
) -> dict[str, float]:
    """How much the words of the text mark each of "id", "ms", "idms" and "en", leaving out
    markers that weigh less than `min_weight`."""
    counts = dict.fromkeys(LANGUAGE_KEYS, 0.0)
    word_list = list(words)
    tokens = word_list + [f"{a} {b}" for a, b in itertools.pairwise(word_list)]
    weights = lexicon.marker_weights
    for token in tokens:
        for lang, markers in lexicon.markers.items():
            if token in markers and weights.get(token, 1.0) >= min_weight:
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


def shows_language(words: Iterable[str], lexicon: Lexicon) -> bool:
    """Whether the text's own words say enough of its language to outweigh what is known of
    the user (a conversation's last language, the Telegram hint)."""
    return any(marker_counts(words, lexicon, lexicon.min_evidence).values())


def detect_language(
    words: Iterable[str], lexicon: Lexicon, hint: str | None = None, fallback: str = "en"
) -> str:
    """The language to reply in: the text's evidence first, then the hint, then `fallback`;
    evidence too slight to show the language ("ok", "thanks") comes after the hint."""
    word_list = list(words)
    counts = marker_counts(word_list, lexicon)
    hint = hint if hint in LANGS else None
    if hint and not shows_language(word_list, lexicon):
        return hint
    malay_family = counts["id"] + counts["ms"] + counts["idms"]
    if counts["en"] > malay_family:
        return "en"
    # A tie goes to Indonesian/Malay: their chat borrows English words ("handle call"),
    # English chat hardly borrows theirs.
    if malay_family and malay_family >= counts["en"]:
        if counts["id"] != counts["ms"]:
            return "id" if counts["id"] > counts["ms"] else "ms"
        if hint in ("id", "ms"):
            return hint
        for lang in ("id", "ms"):  # spelling habits: Malaysia writes "centre", Indonesia "center"
            if any(word in lexicon.spelling_cues[lang] for word in word_list):
                return lang
        return fallback if fallback in ("id", "ms") else "id"
    return hint or fallback
