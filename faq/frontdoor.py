"""The front door: what kind of message this is, before the FAQ is asked.

Small talk (greeting, thanks, acknowledgement, laughter, goodbye) and help requests are told
apart from questions and chatter by the phrases in faq/data/phrases.yaml, so the bot, `faqbot
chat` and `faqbot eval` treat every message the same way.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from faq.normalize import fold

PHRASES_PATH = Path(__file__).parent / "data" / "phrases.yaml"
QUESTION = "question"
"""A message that asks something: the FAQ is asked."""
STATEMENT = "statement"
"""A message that asks nothing (no "?", no question word): the FAQ is asked, warily."""
REACTION = "reaction"
"""Small talk without a word: emoji, stickers' emoji, punctuation ("😂", "👍👍", "...")."""

_DOUBLED = re.compile(r"(\w)\1+")
_QUESTION_MARKS = ("?", "？", "¿")


def _squeeze(text: str) -> str:
    """Doubled letters made single, so "makasihh" and "thankss" match."""
    return _DOUBLED.sub(r"\1", text)


@dataclass(frozen=True)
class FrontDoor:
    phrases: dict[str, frozenset[str]]
    """Small-talk kind ("help", "thanks"...) -> its phrases, squeezed; in order of precedence."""
    fillers: frozenset[str]
    question_words: frozenset[str]
    max_words: int = 8
    """Longer messages are never small talk, even if they open with a greeting."""

    def kind(self, text: str) -> str | None:
        """The small-talk kind of `text` ("help", "thanks", "greeting", "goodbye", "ack",
        "laughter", REACTION), or None when it is something else."""
        words = [_squeeze(w) for w in fold(text).split()]
        if not words:
            return REACTION if text.strip() else None
        if len(words) > self.max_words:
            return None
        kinds = self._cover(words)
        return next((kind for kind in self.phrases if kind in kinds), None) if kinds else None

    def _cover(self, words: list[str]) -> set[str] | None:
        """The kinds of the phrases that, with filler words, make up all of `words`; None when
        no such reading exists."""
        longest = 6
        reachable: list[set[str] | None] = [set()] + [None] * len(words)
        for end in range(1, len(words) + 1):
            for start in range(max(0, end - longest), end):
                before = reachable[start]
                if before is None:
                    continue
                piece = " ".join(words[start:end])
                found = {kind for kind, phrases in self.phrases.items() if piece in phrases}
                if found or (end - start == 1 and piece in self.fillers):
                    reachable[end] = (reachable[end] or set()) | before | found
        return reachable[-1]

    def looks_like_question(self, text: str) -> bool:
        """A "?" or a question word first: what group auto-answer listens to."""
        if any(mark in text for mark in _QUESTION_MARKS):
            return True
        words = fold(text).split()
        return bool(words) and (
            words[0] in self.question_words or " ".join(words[:2]) in self.question_words
        )

    def question_words_in(self, text: str) -> int:
        """How many question words `text` uses anywhere."""
        words = fold(text).split()
        pairs = [" ".join(p) for p in itertools.pairwise(words)]
        return sum(token in self.question_words for token in words + pairs)

    def classify(self, text: str) -> str:
        """The small-talk kind, else QUESTION (a "?" or a question word) or STATEMENT."""
        if kind := self.kind(text):
            return kind
        asks = self.looks_like_question(text) or self.question_words_in(text) > 0
        return QUESTION if asks else STATEMENT


@cache
def default_front_door() -> FrontDoor:
    with PHRASES_PATH.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=yaml.CSafeLoader)  # libyaml: far faster
    return FrontDoor(
        phrases={
            kind: frozenset(_squeeze(fold(p)) for p in phrases)
            for kind, phrases in data["kinds"].items()
        },
        fillers=frozenset(_squeeze(fold(p)) for p in data["fillers"]),
        question_words=frozenset(fold(p) for p in data["question_words"]),
    )
