"""The machinery under the handlers: the inbox, the update processor and the request layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram.ext import ApplicationBuilder

from bot.health import TrackedRequest
from bot.inbox import Inbox
from bot.processor import MAX_RUNNING, ChatOrderedProcessor
from bot.request import PhasedRequest
from bot.settings import Settings
from bot.storage import Database


@dataclass
class Plumbing:
    database: Database
    running: int = MAX_RUNNING
    """Handlers running at once (CONCURRENT_UPDATES)."""
    inbox: Inbox = field(init=False)
    processor: ChatOrderedProcessor = field(init=False)
    polling: TrackedRequest | None = None
    """The getUpdates connection (polling mode), watched by /healthz."""

    def __post_init__(self) -> None:
        self.inbox = Inbox(self.database)
        self.processor = ChatOrderedProcessor(self.inbox, self.running)

    def configure(
        self, builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any], settings: Settings
    ) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
        """No Updater (bot.polling fetches updates); concurrency by chat; phased delivery."""
        request = PhasedRequest(
            self.inbox, pool_size=self.running + 8, read_timeout=settings.read_timeout
        )
        builder = builder.updater(None).concurrent_updates(self.processor).request(request)
        if not settings.webhook_mode:
            self.polling = TrackedRequest(settings.read_timeout)
            builder = builder.get_updates_request(self.polling)
        return builder
