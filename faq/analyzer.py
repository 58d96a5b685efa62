"""Turns text into matching terms: folded words, typo-corrected against the known
vocabulary, chat slang expanded, multi-word expressions joined, words of one
meaning in id/ms/en mapped to one concept term, and filler words dropped."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from itertools import chain
from operator import attrgetter
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

from faq.config import DEFAULT_CONFIG, MatchConfig
from faq.lexicon import CONCEPT_PREFIX, Lexicon
from faq.normalize import pieces, words

_DOUBLED = re.compile(r"(\w)\1")


def _swaps(word: str) -> list[str]:
    """`word` with two neighbouring letters swapped, at every place but the first letter."""
    return [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)]


class _Piece(NamedTuple):
    words: tuple[str, ...]
    """Folded, corrected, with chat slang expanded."""
    terms: tuple[str, ...]
    """The terms of these words when no multi-word expression joins them."""
    may_join: bool
    """One of the words starts a multi-word expression."""


_WORDS, _TERMS, _MAY_JOIN = (attrgetter(field) for field in _Piece._fields)


class Analyzer:
    def __init__(
        self,
        lexicon: Lexicon,
        extra_words: Iterable[str] = (),
        config: MatchConfig = DEFAULT_CONFIG,
    ) -> None:
        self.lexicon = lexicon
        self.config = config
        self.lexicon_words = lexicon.known_words(with_markers=False)
        """Words the lexicon gives a meaning (concept, slang, stopword): preferred stems."""
        self.vocabulary: set[str] = lexicon.known_words() | set(extra_words)
        buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for word in sorted(self.vocabulary):  # sorted: equally near words tie the same way
            if len(word) >= config.typo_target_min_length:
                buckets[word[0], len(word)].append(word)
        self._by_initial_and_length = dict(buckets)
        """A large FAQ has thousands of words per initial: only near lengths can be near."""
        self._corrections: dict[str, tuple[str, ...]] = {}
        self._pieces: dict[str, _Piece] = {}
        self._term_of: dict[str, str | None] = {}

    def corrected_words(self, text: str) -> list[str]:
        """Folded words of `text`, each unknown one replaced by its likely intended word(s)."""
        result: list[str] = []
        for word in words(text):
            result.extend(self.correct(word))
        return result

    def terms(self, text: str) -> list[str]:
        """The distinct matching terms of `text`, in order of appearance."""
        split = pieces(text)
        analysed = list(map(self._pieces.get, split))
        if None in analysed:
            analysed = [have or self._piece(p) for have, p in zip(analysed, split, strict=True)]
        if any(map(_MAY_JOIN, analysed)):
            words = list(chain.from_iterable(map(_WORDS, analysed)))
            joined = self.lexicon.join_phrases(words)
            if joined is not words:  # an expression was joined: the pieces' terms won't do
                try:
                    found = dict.fromkeys(map(self._term_of.__getitem__, joined))
                except KeyError:
                    found = dict.fromkeys(map(self._remembered_term, joined))
                found.pop(None, None)
                return list(found)  # type: ignore[arg-type]
        return list(dict.fromkeys(chain.from_iterable(map(_TERMS, analysed))))

    def piece_terms(self, piece: str) -> tuple[str, ...] | None:
        """The terms of one space-free piece of text; None when one of its words may start a
        multi-word expression, so that its terms depend on the pieces after it. When no piece
        of a text gives None, the text's terms are its pieces' terms in turn."""
        analysed = self._pieces.get(piece) or self._piece(piece)
        return None if analysed.may_join else analysed.terms

    def _piece(self, piece: str) -> _Piece:
        """The analysis of one space-free piece of text, remembered: indexing a large FAQ
        meets the same pieces over and over."""
        cached = self._pieces.get(piece)
        if cached is None:
            slang = self.lexicon.slang
            expanded = tuple(
                word
                for folded in words(piece)
                for corrected in self.correct(folded)
                for word in slang.get(corrected, (corrected,))
            )
            cached = _Piece(
                words=expanded,
                terms=tuple(term for term in map(self._term, expanded) if term),
                may_join=any(w in self.lexicon.phrases_by_first_word for w in expanded),
            )
            if len(self._pieces) >= self.config.correction_cache_size:
                self._pieces.clear()
            self._pieces[piece] = cached
        return cached

    def _remembered_term(self, token: str) -> str | None:
        if len(self._term_of) >= self.config.correction_cache_size:
            self._term_of.clear()
        term = self._term_of[token] = self._term(token)
        return term

    def _term(self, token: str) -> str | None:
        if token.startswith(CONCEPT_PREFIX):
            return token
        concept = self.lexicon.concept_of.get(token)
        if concept:
            return concept
        if token in self.lexicon.stopwords:
            return None
        return token

    def correct(self, word: str) -> tuple[str, ...]:
        """`word` itself when the lexicon knows it or it is too short; a word only the FAQ uses
        ("kerjanya") becomes its stem when the lexicon knows that ("kerja"); an unknown word
        becomes a known stem, split or near spelling."""
        if word in self.lexicon_words or word.isdigit():
            return (word,)
        if len(word) < self.config.typo_min_length:
            single = _DOUBLED.sub(r"\1", word)  # chat stretching: "yaa" -> "ya", "kakk" -> "kak"
            return (single,) if single in self.vocabulary else (word,)
        cached = self._corrections.get(word)
        if cached is None:
            if word in self.vocabulary:
                cached = self._stem(word, within=self.lexicon_words) or (word,)
            else:
                cached = self._stem(word) or self._split(word) or self._nearest(word) or (word,)
            if len(self._corrections) >= self.config.correction_cache_size:
                self._corrections.clear()
            self._corrections[word] = cached
        return cached

    def _stem(
        self, word: str, depth: int | None = None, within: set[str] | None = None
    ) -> tuple[str, ...] | None:
        """A word of `within` (default: all known words) left after removing up to `depth`
        (default: config) suffixes ("kerjaannya") or a prefix ("dikerjain")."""
        known = self.vocabulary if within is None else within
        depth = self.config.stem_max_suffixes if depth is None else depth
        for suffix in self.lexicon.suffixes:
            stem = word.removesuffix(suffix)
            if stem == word or len(stem) < self.config.stem_min_length:
                continue
            if stem in known:
                return (stem,)
            if depth > 1 and (deeper := self._stem(stem, depth - 1, within)):
                return deeper
        for prefix in self.lexicon.prefixes:
            stem = word.removeprefix(prefix)
            if stem != word and len(stem) >= self.config.prefix_stem_min_length and stem in known:
                return (stem,)
        return None

    def _split(self, word: str) -> tuple[str, ...] | None:
        shortest = self.config.split_min_part
        for cut in range(shortest, len(word) - shortest + 1):
            head, tail = word[:cut], word[cut:]
            if head in self.vocabulary and tail in self.vocabulary:
                return (head, tail)
        return None

    def _nearest(self, word: str) -> tuple[str, ...] | None:
        """The known word within the allowed edits (OSA: a transposition is one edit).

        A short word is only corrected for a letter missing, added or swapped: one letter
        replaced turns too many real words into others ("short" -> "shore", "skor" -> "skop").
        Every rapidfuzz scorer here is a distance, so `extractOne` returns the nearest word
        within `score_cutoff` edits, or None.
        """
        squeezed = _DOUBLED.sub(r"\1", word)  # "bpoo" -> "bpo", "outsourcce" -> "outsource"
        if squeezed != word and squeezed in self.vocabulary:
            return (squeezed,)
        short = len(word) < self.config.typo_substitution_length
        edits = 1 if short or len(word) < self.config.typo_two_edits_length else 2
        candidates = self._candidates(word, edits)
        if short:
            found = process.extractOne(word, candidates, scorer=Indel.distance, score_cutoff=1)
            if found is not None:
                return (found[0],)
            swapped = next((s for s in _swaps(word) if s in self.vocabulary), None)
            return (swapped,) if swapped else None
        found = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=edits)
        return (found[0],) if found else None

    def _candidates(self, word: str, edits: int) -> list[str]:
        """The known words with `word`'s initial within `edits` letters of its length (no
        other word is within `edits` edits), in sorted order so that ties break as ever."""
        lengths = range(len(word) - edits, len(word) + edits + 1)
        by_key = self._by_initial_and_length
        return sorted(chain.from_iterable(by_key.get((word[0], n), ()) for n in lengths))
