"""Health: is the bot serving? Answers /healthz for Docker's HEALTHCHECK and load balancers.

Polling mode counts as healthy while Telegram has answered a getUpdates call recently;
webhook mode while the application runs. The FAQ and database state are reported alongside.
"""

from __future__ import annotations

import json
import time
from typing import Any

import tornado.web
from telegram.ext import Application
from telegram.request import HTTPXRequest, RequestData

from bot.ports import HEALTH_PATH
from bot.services import KEY
from bot.storage import Database

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

POLL_STALE_SECONDS = 120.0
"""Longer than the longest getUpdates round trip plus the polling loop's back-off."""


class TrackedRequest(HTTPXRequest):
    """The getUpdates connection, remembering when Telegram last answered it."""

    def __init__(self, read_timeout: float | None = 5.0) -> None:
        super().__init__(connection_pool_size=1, read_timeout=read_timeout)
        self.last_answer: float | None = None
        self.in_flight_since: float | None = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        self.in_flight_since = time.monotonic()
        try:
            status, payload = await super().do_request(url, method, request_data, *args, **kwargs)
        finally:
            self.in_flight_since = None
        if status < 500:
            self.last_answer = time.monotonic()
        return status, payload

    def seconds_since_progress(self) -> float | None:
        """Since Telegram last answered, or since the long poll now waiting began (it is
        bounded by the read timeout, so a poll in flight is progress); None: neither yet."""
        moments = [m for m in (self.last_answer, self.in_flight_since) if m is not None]
        return time.monotonic() - max(moments) if moments else None


def health(
    application: AnyApplication, polling: TrackedRequest | None
) -> tuple[bool, dict[str, object]]:
    """(healthy, details) for the running bot. A database that cannot be used makes it
    "degraded" (and unhealthy: answers go on, but nothing is recorded or crash-safe)."""
    services = application.bot_data[KEY]
    database: Database = services.storage
    usable = database.available
    details: dict[str, object] = {
        "mode": "polling" if polling else "webhook",
        "running": application.running,
        "faq_topics": len(services.engine.faq.topics),
        "database": usable,
        "records_not_saved": database.unsaved,
    }
    healthy = application.running
    if polling is not None:
        ago = polling.seconds_since_progress()
        details["telegram_seconds_ago"] = None if ago is None else round(ago, 1)
        healthy = healthy and ago is not None and ago < POLL_STALE_SECONDS
    details["status"] = ("ok" if usable else "degraded") if healthy else "unhealthy"
    return healthy and usable, details


class HealthHandler(tornado.web.RequestHandler):
    # Not `application`: tornado passes its own Application under that name.
    def initialize(
        self,
        bot_application: AnyApplication,
        polling: TrackedRequest | None,
    ) -> None:
        self.application_ = bot_application
        self.polling = polling

    def get(self) -> None:
        healthy, details = health(self.application_, self.polling)
        self.set_status(200 if healthy else 503)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(details))


def health_route(
    application: AnyApplication, polling: TrackedRequest | None
) -> tuple[str, type[HealthHandler], dict[str, object]]:
    return HEALTH_PATH, HealthHandler, {"bot_application": application, "polling": polling}
