"""The error handler: log every unexpected error, and tell the admins, at most once a minute.

As in PTB's errorhandlerbot.py, the admins (ADMIN_IDS) get a short message; a burst of
failures gives them one message, not hundreds. Failures to reach Telegram (told by
bot.request.describe_failure) are only logged: they are retried where they happen, and
there is nothing for an admin to fix.
"""

from __future__ import annotations

import html
import logging
import time
import traceback
from typing import TYPE_CHECKING

from telegram.constants import MessageLimit
from telegram.error import TelegramError

from bot.request import describe_failure

if TYPE_CHECKING:  # bot.context imports bot.services, which holds the AdminAlerts
    from bot.context import BotContext

log = logging.getLogger(__name__)

REPORT_INTERVAL_SECONDS = 60.0
TRACEBACK_LINES = 12
"""The end of the traceback: where the error was raised."""


class AdminAlerts:
    """Remembers when the admins were last told, to tell them at most once an interval."""

    def __init__(self, interval: float = REPORT_INTERVAL_SECONDS) -> None:
        self.interval = interval
        self.last: float | None = None
        self.suppressed = 0

    def due(self, now: float) -> bool:
        if self.last is not None and now - self.last < self.interval:
            self.suppressed += 1
            return False
        self.last = now
        return True


def describe(error: BaseException, secrets: list[str], suppressed: int) -> str:
    """The admins' message: the error and the end of its traceback, secrets replaced."""
    lines = traceback.format_exception(error)
    text = "".join(lines).splitlines()[-TRACEBACK_LINES:]
    body = "\n".join(text)
    for secret in secrets:
        body = body.replace(secret, "<secret>")
    body = html.escape(body, quote=False)
    more = f" (+{suppressed} more since the last report)" if suppressed else ""
    head = f"⚠️ {html.escape(type(error).__name__)}{more}"
    room = MessageLimit.MAX_TEXT_LENGTH - len(head) - len("\n<pre></pre>")
    return f"{head}\n<pre>{body[-room:]}</pre>"


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    known = describe_failure(error)
    if known is not None:  # a reply Telegram did not take: told in one line, nothing to fix
        log.log(*known)
        return
    log.error("error while handling an update", exc_info=error)
    if error is None:
        return
    svc = context.services
    alerts = svc.alerts
    if not svc.settings.admin_ids or not alerts.due(time.monotonic()):
        return
    settings = svc.settings
    text = describe(error, settings.secret_texts, alerts.suppressed)
    alerts.suppressed = 0
    for admin_id in sorted(settings.admin_ids):
        try:
            await context.bot.send_message(admin_id, text)
        except TelegramError as failure:
            log.warning("could not tell admin %s about the error: %s", admin_id, failure)
