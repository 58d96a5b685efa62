"""Per-user and per-chat answer throttling, so one user cannot make the bot flood a chat.

Counted at arrival: each question is placed at the moment it was sent (the message's date),
not when the bot gets round to it, so a flood is cut however long its backlog takes to work
through. A key may have `per_minute` questions answered in any 60 seconds; a throttled key is
told once per 60 seconds, not once each time it regains capacity.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime

WINDOW_SECONDS = 60.0
_MAX_KEYS = 10_000


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    notify: bool
    """Throttled, and not told so in the last minute: send one short notice."""


class Throttle:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._accepted: dict[object, deque[float]] = {}
        self._noticed: dict[object, float] = {}

    async def check(self, key: object, at: datetime | None = None) -> Verdict:
        """Count a question from `key` sent at `at` (now if unknown)."""
        moment = at.timestamp() if at is not None else time.time()
        accepted = self._accepted.get(key)
        if accepted is None:
            if len(self._accepted) >= _MAX_KEYS:
                self._forget_idle(moment)
            accepted = self._accepted[key] = deque()
        while accepted and accepted[0] <= moment - WINDOW_SECONDS:
            accepted.popleft()
        if len(accepted) < self.per_minute:
            accepted.append(moment)
            return Verdict(allowed=True, notify=False)
        last_notice = self._noticed.get(key)
        notify = last_notice is None or moment - last_notice >= WINDOW_SECONDS
        if notify:
            self._noticed[key] = moment
        return Verdict(allowed=False, notify=notify)

    def _forget_idle(self, moment: float) -> None:
        """Drop keys with nothing in the window: they hold no state worth keeping."""
        idle = [
            key
            for key, accepted in self._accepted.items()
            if not accepted or accepted[-1] <= moment - WINDOW_SECONDS
        ]
        for key in idle:
            del self._accepted[key]
            self._noticed.pop(key, None)
