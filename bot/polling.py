"""Long polling that confirms an update to Telegram only once it is in the inbox.

python-telegram-bot's Updater asks for the next batch (which confirms the last one) as soon
as it has queued a batch in memory, so a crash loses every update queued. Here each batch is
stored first (`Inbox.admit`), then queued, and only then is the next getUpdates sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from telegram.error import InvalidToken, RetryAfter, TelegramError

from bot.health import AnyApplication
from bot.inbox import Inbox

log = logging.getLogger(__name__)

MAX_PAUSE = 30.0
CLEAN_UP_EVERY = 1000
"""Updates between two clean-ups of handled updates in the inbox."""


async def poll(
    application: AnyApplication,
    inbox: Inbox,
    *,
    timeout: int,
    allowed_updates: Sequence[str],
    first_pause: float,
) -> None:
    """Fetch, store and queue updates until cancelled; after a failed getUpdates, wait
    `first_pause` seconds, twice as long after each further failure."""
    bot = application.bot
    offset = await inbox.resume_offset()
    pause = first_pause
    since_clean_up = 0
    while True:
        try:
            updates = await bot.get_updates(
                offset=offset, timeout=timeout, allowed_updates=list(allowed_updates)
            )
        except InvalidToken:
            raise
        except RetryAfter as error:
            wait = error.retry_after
            seconds = wait if isinstance(wait, int | float) else wait.total_seconds()
            log.warning("getUpdates: flood limit, waiting %.0f s", seconds)
            await asyncio.sleep(seconds)
            continue
        except TelegramError as error:
            log.warning("getUpdates failed (%s); trying again in %.0f s", error.message, pause)
            await asyncio.sleep(pause)
            pause = min(pause * 2, MAX_PAUSE)
            continue
        pause = first_pause
        if not updates:
            continue
        for update in await inbox.admit(updates):
            await application.update_queue.put(update)
        offset = updates[-1].update_id + 1
        since_clean_up += len(updates)
        if since_clean_up >= CLEAN_UP_EVERY:
            since_clean_up = 0
            await inbox.forget_old()
