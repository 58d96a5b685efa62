"""Webhook mode: one tornado server for Telegram's updates and /healthz.

python-telegram-bot's own `run_webhook` cannot serve a health endpoint, so this runs the
same pieces by hand: setWebhook with a secret token, an HTTP handler that refuses (403) any
request without that token, and the Application processing the update queue.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from urllib.parse import urlsplit

import tornado.httpserver
import tornado.web
from telegram import Update

from bot.context import BotApplication
from bot.health import health_route
from bot.settings import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1_000_000


class UpdateHandler(tornado.web.RequestHandler):
    # Not `application`: tornado passes its own Application under that name.
    def initialize(self, bot_application: BotApplication, secret: str) -> None:
        self.bot_application = bot_application
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning(
                "webhook request without the right secret token from %s", self.request.remote_ip
            )
            self.send_error(403)
            return
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.bot_application.bot)
        except (ValueError, TypeError, KeyError) as error:
            log.warning("webhook request that is not an update: %s", error)
            self.send_error(400)
            return
        if update is not None:
            await self.bot_application.update_queue.put(update)
        self.set_status(200)
        self.finish()


def webhook_path(settings: Settings) -> str:
    return urlsplit(settings.webhook_url or "").path or "/"


def webhook_secret(settings: Settings) -> str:
    """The secret token; Settings insists on one in webhook mode, and an empty one would
    let every request through."""
    assert settings.webhook_secret is not None, "WEBHOOK_SECRET is required in webhook mode"
    return settings.webhook_secret.get_secret_value()


def make_server(application: BotApplication, settings: Settings) -> tornado.web.Application:
    return tornado.web.Application(
        [
            (
                webhook_path(settings),
                UpdateHandler,
                {"bot_application": application, "secret": webhook_secret(settings)},
            ),
            health_route(application, None),
        ]
    )


async def serve(
    application: BotApplication, settings: Settings, allowed_updates: list[str]
) -> None:
    """Run until SIGTERM or SIGINT, then finish the updates in hand and shut down."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    server = tornado.httpserver.HTTPServer(
        make_server(application, settings), max_body_size=MAX_BODY_BYTES
    )
    server.listen(settings.webhook_port, settings.webhook_listen)
    assert settings.webhook_url is not None, "serve() runs in webhook mode only"
    await application.bot.set_webhook(
        settings.webhook_url, secret_token=webhook_secret(settings), allowed_updates=allowed_updates
    )
    await application.start()
    if application.post_init:
        await application.post_init(application)
    log.info(
        "webhook listening on %s:%d%s",
        settings.webhook_listen,
        settings.webhook_port,
        webhook_path(settings),
    )
    try:
        await stop.wait()
    finally:
        server.stop()
        await application.stop()
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
