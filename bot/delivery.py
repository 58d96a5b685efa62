"""Sending to Telegram through faults: retry what surely did not arrive, never send twice.

429s are retried by python-telegram-bot's AIORateLimiter. Here: a connection refused or reset,
or a 5xx, means Telegram did not take the message, so it is sent again after a pause. A timeout
is different: Telegram may have sent the message and only the response was lost, so retrying
could post the answer twice; it is logged and dropped instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

log = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS = 6
FIRST_PAUSE = 0.5
MAX_PAUSE = 8.0


async def deliver(what: str, send: Callable[[], Awaitable[T]]) -> T | None:
    """Run `send` (one Bot API call) until it succeeds or surely cannot; None if it failed."""
    pause = FIRST_PAUSE
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await send()
        except TimedOut:
            log.warning(
                "%s: Telegram did not answer in time; not retrying, it may have arrived", what
            )
            return None
        except BadRequest as error:
            log.error("%s: Telegram refused it: %s", what, error.message)
            return None
        except Forbidden as error:
            log.info("%s: not allowed: %s", what, error.message)
            return None
        except RetryAfter as error:
            delay = error.retry_after
            wait = delay.total_seconds() if hasattr(delay, "total_seconds") else float(delay)
            log.warning("%s: flood limit, waiting %.0f s", what, wait)
            await asyncio.sleep(wait)
        except NetworkError as error:
            if attempt == ATTEMPTS:
                log.error("%s: giving up after %d attempts: %s", what, attempt, error.message)
                return None
            log.warning("%s: %s; retrying in %.1f s", what, error.message, pause)
            await asyncio.sleep(pause)
            pause = min(pause * 2, MAX_PAUSE)
    return None
