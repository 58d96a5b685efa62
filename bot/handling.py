"""The update a task is handling, and what became of its replies (set by bot.processor)."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

SENT, MAYBE, FAILED, PENDING = "sent", "maybe", "failed", "pending"
_WORST_FIRST = (MAYBE, FAILED, SENT)


@dataclass
class Handling:
    """The update being handled by the current task, and what became of its replies."""

    update_id: int
    claimed: bool = False
    """Marked done in the inbox: a restart will not handle it again."""
    delivery: str | None = None
    questions: list[Any] = field(default_factory=list)
    """Questions to log (bot.storage.Question) when the update is marked done."""

    def note(self, outcome: str) -> None:
        """Remember a reply's outcome; the update keeps the worst (maybe, failed, sent)."""
        ranks = [_WORST_FIRST.index(o) for o in (outcome, self.delivery) if o in _WORST_FIRST]
        self.delivery = _WORST_FIRST[min(ranks)]


CURRENT: ContextVar[Handling | None] = ContextVar("faqbot_current_update", default=None)
"""Set by the update processor while a handler runs; read by the request layer and storage."""
