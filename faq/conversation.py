"""What the engine remembers of one user's chat: the last turn (for follow-ups such as
"lalu yang outbound?") and the last language the user's words showed."""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class Turn:
    terms: tuple[str, ...]
    """The matching terms the turn was answered on."""
    read: tuple[str, ...]
    """The words the turn was read with: its own, after the previous turn's when it asked that
    again ("contohnya?")."""
    topic_id: str | None
    """The topic answered, or the first suggested; None if neither."""
    at: float
    """time.monotonic() when it was asked."""


class Conversation:
    """One per (chat, user). A follow-up is read against the last turn for `follow_up_seconds`;
    the language lasts as long as the object (the caller drops idle ones)."""

    def __init__(self, follow_up_seconds: float = 300.0) -> None:
        self.follow_up_seconds = follow_up_seconds
        self.lang: str | None = None
        """The language of the last message that showed its language."""
        self.last: Turn | None = None

    def recent(self, now: float | None = None) -> Turn | None:
        """The last turn, if it was recent enough to be followed up."""
        now = time.monotonic() if now is None else now
        if self.last and now - self.last.at <= self.follow_up_seconds:
            return self.last
        return None

    def remember(
        self,
        terms: tuple[str, ...],
        read: tuple[str, ...],
        topic_id: str | None,
        now: float | None = None,
    ) -> None:
        self.last = Turn(terms, read, topic_id, time.monotonic() if now is None else now)


class Conversations:
    """Conversations by caller key (the bot's: (chat id, user id)); one idle for
    `idle_seconds` is forgotten, and at most `limit` are kept (the longest idle go first)."""

    def __init__(
        self, follow_up_seconds: float = 300.0, idle_seconds: float = 3600.0, limit: int = 10_000
    ) -> None:
        self.follow_up_seconds = follow_up_seconds
        self.idle_seconds = idle_seconds
        self.limit = limit
        self._by_key: dict[Hashable, tuple[float, Conversation]] = {}

    def get(self, key: Hashable, now: float | None = None) -> Conversation:
        now = time.monotonic() if now is None else now
        seen = self._by_key.pop(key, None)
        conversation = (
            seen[1]
            if seen and now - seen[0] <= self.idle_seconds
            else Conversation(self.follow_up_seconds)
        )
        self._by_key[key] = (now, conversation)  # re-inserted: the dict stays in idle order
        while len(self._by_key) > self.limit:
            del self._by_key[next(iter(self._by_key))]
        return conversation

    def __len__(self) -> int:
        return len(self._by_key)
