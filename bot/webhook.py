"""Webhook mode: one tornado server for Telegram's updates and /healthz.

python-telegram-bot's own `run_webhook` cannot serve a health endpoint, so this runs the
same pieces by hand: an HTTP handler that refuses (403) any request without the secret token,
stores each update in the inbox before answering 200, and queues it for the Application.
Bodies are size-limited, and idle or slow connections are closed.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any
from urllib.parse import urlsplit

import tornado.httpserver
import tornado.web
from telegram import Update

from bot.health import AnyApplication, health_route
from bot.inbox import Inbox
from bot.settings import Settings
from bot.wiring import Plumbing

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1_000_000
IDLE_SECONDS = 30.0
"""A kept-alive connection with no request for this long is closed."""
BODY_SECONDS = 10.0
"""A request body (and headers) must arrive within this long."""


class UpdateHandler(tornado.web.RequestHandler):
    # Not `application`: tornado passes its own Application under that name.
    def initialize(
        self,
        bot_application: AnyApplication,
        inbox: Inbox,
        secret: str,
    ) -> None:
        self.bot_application = bot_application
        self.inbox = inbox
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not self.secret or not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning(
                "webhook request without the right secret token from %s", self.request.remote_ip
            )
            self.send_error(403)
            return
        parsed = parse_update(self.request.body, self.bot_application)
        if parsed is None:
            self.send_error(400)
            return
        data, update = parsed
        # Stored before the 200: once Telegram hears it arrived, a crash cannot lose it.
        if await self.inbox.admit_json(data, update):
            await self.bot_application.update_queue.put(update)
        self.set_status(200)
        self.finish()


def parse_update(body: bytes, application: AnyApplication) -> tuple[dict[str, Any], Update] | None:
    """The JSON object and the Update in a request body; None (logged) if it is not one."""
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            raise ValueError("not an object with an integer update_id")
        update = Update.de_json(data, application.bot)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
        log.warning("webhook request that is not an update: %s", type(error).__name__)
        return None
    if update is None:
        return None
    return data, update


def webhook_path(settings: Settings) -> str:
    return urlsplit(settings.webhook_url or "").path or "/"


def make_server(
    application: AnyApplication,
    settings: Settings,
    plumbing: Plumbing,
) -> tornado.httpserver.HTTPServer:
    app = tornado.web.Application(
        [
            (
                webhook_path(settings),
                UpdateHandler,
                {
                    "bot_application": application,
                    "inbox": plumbing.inbox,
                    "secret": settings.webhook_secret_text,
                },
            ),
            health_route(application, None),
        ]
    )
    return tornado.httpserver.HTTPServer(
        app,
        max_body_size=MAX_BODY_BYTES,
        idle_connection_timeout=IDLE_SECONDS,
        body_timeout=BODY_SECONDS,
    )
