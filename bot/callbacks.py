"""Inline-button callback data: short, typed, and checked on the way back in.

Telegram caps callback_data at 64 bytes, and anyone can forge it, so buttons carry only a
kind, a language and a topic id or page number, and `parse` rejects everything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from faq.model import LANGS

MAX_BYTES = 64
AUTO = "auto"
VOTE_PREFIX = "v:"

_LANG = "|".join(LANGS)
_PATTERNS = {
    "answer": re.compile(rf"a:({_LANG}):([a-z0-9][a-z0-9-]{{0,58}})"),
    "vote": re.compile(rf"v:({_LANG}):([a-z0-9][a-z0-9-]{{0,55}}):(up|down)"),
    "page": re.compile(rf"p:({_LANG}):(\d{{1,4}})"),
    "lang": re.compile(rf"l:({_LANG}|{AUTO})"),
}


@dataclass(frozen=True)
class Callback:
    kind: str
    """"answer", "vote", "page" or "lang"."""
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


def parse(data: str | None) -> Callback | None:
    """The button pressed, or None for data this bot never sends."""
    if not data or len(data.encode("utf-8", "replace")) > MAX_BYTES:
        return None
    for kind, pattern in _PATTERNS.items():
        match = pattern.fullmatch(data)
        if match is None:
            continue
        groups = match.groups()
        if kind == "answer":
            return Callback(kind, groups[0], topic_id=groups[1])
        if kind == "vote":
            return Callback(
                kind, groups[0], topic_id=groups[1], vote=1 if groups[2] == "up" else -1
            )
        if kind == "page":
            return Callback(kind, groups[0], page=int(groups[1]))
        return Callback(kind, groups[0])
    return None
