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


def detect_language(
    words: Iterable[str], lexicon: Lexicon, hint: str | None = None, fallback: str = "en"
) -> str:
    """The language to reply in: the text's evidence first, then the hint, then `fallback`."""
    word_list = list(words)
    counts = marker_counts(word_list, lexicon)
    hint = hint if hint in LANGS else None
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
