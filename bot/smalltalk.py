"""Greetings, thanks and "does this look like a question?", read from bot/phrases.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from faq.normalize import fold

PHRASES_PATH = Path(__file__).with_name("phrases.yaml")

_DOUBLED = re.compile(r"(\w)\1+")
MAX_SMALLTALK_WORDS = 8
"""Longer messages are questions even if they open with a greeting."""


@dataclass(frozen=True)
class Phrases:
    greetings: frozenset[str]
    thanks: frozenset[str]
    fillers: frozenset[str]
    question_words: frozenset[str]

    def kind(self, text: str) -> str | None:
        """ "greeting", "thanks" or None (not small talk)."""
        words = fold(text).split()
        if not words or len(words) > MAX_SMALLTALK_WORDS:
            return None
        core = _squeeze(" ".join(w for w in words if w not in self.fillers))
        if core in self.thanks:
            return "thanks"
        if core in self.greetings:
            return "greeting"
        return None

    def looks_like_question(self, text: str) -> bool:
        if "?" in text or "？" in text:
            return True
        words = fold(text).split()
        return bool(words) and (
            words[0] in self.question_words or " ".join(words[:2]) in self.question_words
        )


def _squeeze(text: str) -> str:
    """Doubled letters made single, so "makasihh" and "thankss" match."""
    return _DOUBLED.sub(r"\1", text)


@cache
def default_phrases() -> Phrases:
    with PHRASES_PATH.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return Phrases(
        greetings=frozenset(_squeeze(fold(p)) for p in data["greetings"]),
        thanks=frozenset(_squeeze(fold(p)) for p in data["thanks"]),
        fillers=frozenset(fold(p) for p in data["fillers"]),
        question_words=frozenset(fold(p) for p in data["question_words"]),
    )
