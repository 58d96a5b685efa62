"""The shared vocabulary (faq/data/lexicon.yaml) in the shapes the engine uses."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from faq.normalize import fold

LEXICON_PATH = Path(__file__).parent / "data" / "lexicon.yaml"
LANGUAGE_KEYS = ("en", "id", "ms", "idms")
"""The marker lists: "idms" words tell Indonesian or Malay, not which."""
CONCEPT_PREFIX = "@"
"""Terms that stand for a concept group start with this, so they never clash with a word."""


@dataclass(frozen=True)
class Lexicon:
    slang: dict[str, tuple[str, ...]]
    stopwords: frozenset[str]
    concept_of: dict[str, str]
    """Single word -> concept term ("@difference")."""
    phrase_term: dict[str, str]
    """Multi-word expression -> the term it becomes ("" drops it)."""
    phrases_by_first_word: dict[str, tuple[tuple[list[str], list[str]], ...]]
    """First word -> (expression's words, the words it becomes) for every multi-word
    expression starting with it, longest first."""
    markers: dict[str, frozenset[str]]
    """Language ("id", "ms", "en", "idms") -> words (and word pairs) that tell it."""
    marker_weights: dict[str, float]
    """Marker -> how much it tells, for the markers not of the usual weight 1."""
    marker_patterns: dict[str, tuple[re.Pattern[str], ...]]
    """Language -> shapes of whole words that tell it ("wkwkwk")."""
    unanswered: frozenset[str]
    """Concept terms of intents the FAQ does not answer ("@salary")."""
    interrogatives: frozenset[str]
    """Concept terms that only ask ("@what", "@why")."""
    modifiers: frozenset[str]
    """Concept terms that only qualify ("@not", "@have")."""
    asking: frozenset[str]
    """Interrogatives, modifiers and aspects ("@type", "@function"): terms that ask about a
    subject without naming it."""
    suffixes: tuple[str, ...]
    """Endings the stemmer may remove, tried in this order."""
    prefixes: tuple[str, ...]
    """Beginnings the stemmer may remove, tried in this order (longest first)."""
    references: frozenset[str]
    """Words that point back to something said before ("them", "itu", "dia")."""
    again_words: frozenset[str]
    """Words that ask the last question again, for an example or more ("contohnya", "else")."""
    final_particles: dict[str, frozenset[str]]
    """Language -> question particles that mark it when they end a text ("... ke?" is Malay)."""
    digest: str = ""
    """A digest of the data the lexicon was built from, so that caches can tell lexicons apart."""

    def join_phrases(self, words: list[str]) -> list[str]:
        """`words` with every known multi-word expression replaced by its term's words, left to
        right, the longest expression first where several start at the same word; `words`
        itself when none occurs."""
        by_first_word = self.phrases_by_first_word
        joined: list[str] = []
        done = 0
        for start in [at for at, word in enumerate(words) if word in by_first_word]:
            if start < done:
                continue  # inside an expression already joined
            for expression, term in by_first_word[words[start]]:
                end = start + len(expression)
                if words[start:end] == expression:
                    joined += words[done:start]
                    joined += term
                    done = end
                    break
        if not done:
            return words
        joined += words[done:]
        return joined

    def known_words(self, with_markers: bool = True) -> set[str]:
        """Every single word this lexicon knows, for typo correction; without the words that
        only tell a language, the words it gives a meaning (concept, slang, stopword)."""
        known = set(self.slang) | set(self.stopwords) | set(self.concept_of)
        for expression in self.phrase_term:
            known.update(expression.split())
        known.update(term for term in self.phrase_term.values() if term and " " not in term)
        if with_markers:
            for words in self.markers.values():
                known.update(words)
        return {word for word in known if not word.startswith(CONCEPT_PREFIX)}


def _as_words(raw: str) -> str:
    return fold(raw)


def build_lexicon(data: dict[str, Any]) -> Lexicon:
    """Build the lookup tables from the parsed YAML mapping."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    phrase_term: dict[str, str] = {}
    for term, expressions in data["phrases"].items():
        for expression in [term, *expressions]:
            phrase_term[_as_words(expression)] = _as_words(term)

    concept_of: dict[str, str] = {}
    for concept, members in data["concepts"].items():
        for member in members:
            folded = _as_words(member)
            term = CONCEPT_PREFIX + concept
            if " " in folded:
                phrase_term.setdefault(folded, term)
            else:
                concept_of.setdefault(folded, term)
    for term in set(phrase_term.values()):
        if term in concept_of:  # a joined phrase may itself belong to a concept group
            for expression, value in phrase_term.items():
                if value == term:
                    phrase_term[expression] = concept_of[term]

    stopwords: set[str] = set()
    for word in data["stopwords"]:
        folded = _as_words(word)
        if " " in folded:
            phrase_term.setdefault(folded, "")
        else:
            stopwords.add(folded)

    slang = {_as_words(k): tuple(_as_words(v).split()) for k, v in data["slang"].items()}
    by_first_word: dict[str, list[tuple[list[str], list[str]]]] = {}
    for expression in sorted((e for e in phrase_term if " " in e), key=len, reverse=True):
        expression_words = expression.split()
        by_first_word.setdefault(expression_words[0], []).append(
            (expression_words, phrase_term[expression].split())
        )
    # single-word phrase entries (e.g. "callcentre") behave like slang
    for expression, term in phrase_term.items():
        if " " not in expression and expression != term:
            slang.setdefault(expression, (term,))
    markers, weights = _markers(data["language_markers"])
    interrogatives, modifiers, aspects = (
        frozenset(CONCEPT_PREFIX + name for name in data[key])
        for key in ("question_concepts", "modifier_concepts", "aspect_concepts")
    )
    return Lexicon(
        slang=slang,
        stopwords=frozenset(stopwords),
        concept_of=concept_of,
        phrase_term={e: t for e, t in phrase_term.items() if " " in e},
        phrases_by_first_word={word: tuple(found) for word, found in by_first_word.items()},
        markers=markers,
        marker_weights=weights,
        marker_patterns={
            lang: tuple(re.compile(pattern) for pattern in patterns)
            for lang, patterns in data["language_markers"]["patterns"].items()
        },
        unanswered=frozenset(CONCEPT_PREFIX + name for name in data["unanswered_intents"]),
        interrogatives=interrogatives,
        modifiers=modifiers,
        asking=interrogatives | aspects | modifiers,
        suffixes=tuple(_as_words(s) for s in data["stemming"]["suffixes"]),
        prefixes=tuple(_as_words(p) for p in data["stemming"]["prefixes"]),
        references=frozenset(_as_words(w) for w in data["reference_words"]),
        again_words=frozenset(_as_words(w) for w in data["again_words"]),
        final_particles={
            lang: frozenset(_as_words(w) for w in ws)
            for lang, ws in data["final_particles"].items()
        },
        digest=digest,
    )


def _markers(raw: dict[str, Any]) -> tuple[dict[str, frozenset[str]], dict[str, float]]:
    """Marker words per language, and the weight of those not of weight 1. The plain lists
    weigh 1, the `strong` and `weak` ones what `weights` says. A word listed for both id and
    ms, in any tier, only tells id/ms (at weight 1)."""
    tiers: dict[str, dict[str, Any]] = {"": {lang: raw[lang] for lang in LANGUAGE_KEYS}}
    tiers.update({tier: raw.get(tier, {}) for tier in raw["weights"]})
    words: dict[str, set[str]] = {lang: set() for lang in LANGUAGE_KEYS}
    weight: dict[str, float] = {}
    for tier, by_lang in tiers.items():
        for lang, listed in by_lang.items():
            for word in map(_as_words, listed):
                words[lang].add(word)
                if tier:
                    weight[word] = float(raw["weights"][tier])
    both = words["id"] & words["ms"]
    words["id"] -= both
    words["ms"] -= both
    words["idms"] |= both
    words["idms"] -= words["id"] | words["ms"]
    for word in both:
        weight.pop(word, None)
    markers = {lang: frozenset(ws) for lang, ws in words.items()}
    return markers, weight


@cache
def default_lexicon() -> Lexicon:
    with LEXICON_PATH.open(encoding="utf-8") as handle:
        return build_lexicon(yaml.load(handle, Loader=yaml.CSafeLoader))  # libyaml: far faster
