"""Per-user and per-chat answer throttling, so one user cannot make the bot flood a chat.

Each key gets an aiolimiter leaky bucket (the library python-telegram-bot's own rate
limiter uses). A throttled key is told once, then stays silent until it has capacity again.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiolimiter import AsyncLimiter

_MAX_KEYS = 10_000


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    notify: bool
    """Throttled for the first time since it last had capacity: send one short notice."""


class Throttle:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._buckets: dict[object, AsyncLimiter] = {}
        self._noticed: set[object] = set()

    async def check(self, key: object) -> Verdict:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= _MAX_KEYS:
                self._forget_idle()
            bucket = self._buckets[key] = AsyncLimiter(self.per_minute, 60)
        if bucket.has_capacity():
            await bucket.acquire()
            self._noticed.discard(key)
            return Verdict(allowed=True, notify=False)
        first = key not in self._noticed
        self._noticed.add(key)
        return Verdict(allowed=False, notify=first)

    def _forget_idle(self) -> None:
        """Drop buckets that are full again: they hold no state worth keeping."""
        idle = [
            key for key, bucket in self._buckets.items() if bucket.has_capacity(bucket.max_rate)
        ]
        for key in idle:
            del self._buckets[key]
            self._noticed.discard(key)
