"""`deliver`: one Bot API call whose failure is logged instead of ending the handler.

Retrying is not done here: the request layer (bot.request) already retried what surely was
not sent and never resends what may have arrived. This only turns the final failure into
None, for handlers that carry on after a reply that could not be sent.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import TelegramError

from bot.request import describe_failure

log = logging.getLogger(__name__)
T = TypeVar("T")


async def deliver(what: str, send: Callable[[], Awaitable[T]]) -> T | None:
    """`send()`, or None (logged) if Telegram did not take it."""
    try:
        return await send()
    except TelegramError as error:
        level, line = describe_failure(error) or (logging.ERROR, str(error))
        log.log(level, "%s: %s", what, line)
        return None
