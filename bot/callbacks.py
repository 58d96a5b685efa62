"""Inline-button callback data: short, typed, and checked on the way back in.

Telegram caps callback_data at 64 bytes, and anyone can forge it, so buttons carry only a
kind, a language and a topic id or page number. `PATTERNS` route each kind to its own
`CallbackQueryHandler` and match nothing else; `parse` reads data with the same patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from telegram.constants import InlineKeyboardButtonLimit

from faq.model import LANGS

MAX_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
AUTO = "auto"
VOTE_PREFIX = "v:"

Kind = Literal["answer", "vote", "page", "lang"]

_LANG = "|".join(LANGS)
_VOTE_SUFFIX = ":down"
MAX_TOPIC_ID_BYTES = 40
"""The longest topic id a button carries. The vote button needs 10 bytes around it, so 40
leaves room in the 64 bytes for new kinds of button."""
assert MAX_TOPIC_ID_BYTES + len(VOTE_PREFIX + "xx:" + _VOTE_SUFFIX) <= MAX_BYTES
_ID = rf"[a-z0-9][a-z0-9-]{{0,{MAX_TOPIC_ID_BYTES - 1}}}"

PATTERNS: dict[Kind, re.Pattern[str]] = {
    # \Z: PTB matches from the start (re.match); the end is anchored here.
    "answer": re.compile(rf"a:({_LANG}):({_ID})\Z"),
    "vote": re.compile(rf"v:({_LANG}):({_ID}):(up|down)\Z"),
    "page": re.compile(rf"p:({_LANG}):(\d{{1,4}})\Z"),
    "lang": re.compile(rf"l:({_LANG}|{AUTO})\Z"),
}


@dataclass(frozen=True)
class Callback:
    kind: Kind
    lang: str
    topic_id: str | None = None
    page: int = 0
    vote: int = 0


def _checked(data: str) -> str:
    if len(data.encode("utf-8")) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def answer(lang: str, topic_id: str) -> str:
    return _checked(f"a:{lang}:{topic_id}")


def vote(lang: str, topic_id: str, up: bool) -> str:
    return _checked(f"{VOTE_PREFIX}{lang}:{topic_id}:{'up' if up else 'down'}")


def page(lang: str, number: int) -> str:
    return _checked(f"p:{lang}:{number}")


def language(choice: str) -> str:
    return _checked(f"l:{choice}")


def from_match(kind: Kind, match: re.Match[str]) -> Callback:
    """The button of `kind` whose data `match` (from `PATTERNS[kind]`) matched."""
    groups = match.groups()
    if kind == "answer":
        return Callback(kind, groups[0], topic_id=groups[1])
    if kind == "vote":
        return Callback(kind, groups[0], topic_id=groups[1], vote=1 if groups[2] == "up" else -1)
    if kind == "page":
        return Callback(kind, groups[0], page=int(groups[1]))
    return Callback(kind, groups[0])


def parse(data: str | None) -> Callback | None:
    """The button pressed, or None for data this bot never sends."""
    for kind, pattern in PATTERNS.items():
        match = pattern.match(data or "")
        if match is not None:
            return from_match(kind, match)
    return None
