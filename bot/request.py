"""Sending to Telegram through faults, by phase, in one place: the bot's HTTP request layer.

What surely was not sent is sent again after a pause: the connection could not be made
(refused, connect timeout) or no connection was free (pool timeout), and a 429 whose
retry_after is short enough to wait for. What may have arrived is never sent twice: a read
timeout, a reset or a 5xx once the request was written leave the reply possibly delivered;
it is logged and recorded so (`PossiblyDelivered`). Calls that do no harm when repeated (reads,
settings, answering a button) are retried through those faults too; only calls that post a
message (send*, forward*, copy*) are not.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import httpx
from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import HTTPXRequest, RequestData

from bot.handling import CURRENT, FAILED, MAYBE, SENT
from bot.inbox import Inbox

log = logging.getLogger(__name__)

ATTEMPTS = 5
FIRST_PAUSE = 0.5
MAX_PAUSE = 8.0
RETRY_AFTER_CAP = 30.0
"""Longest retry_after (seconds) honoured; beyond it the call fails (Telegram gives hours for
some settings calls, and a reply that late is no use)."""
TOO_MANY_REQUESTS = 429

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""httpx errors raised before any byte of the request left: it surely did not arrive."""
_POSTS = ("send", "forward", "copy")


class PossiblyDelivered(NetworkError):
    """The request was written but its answer was lost: Telegram may have taken it."""


def posts_a_message(api_method: str) -> bool:
    """Whether repeating the call could show users the same message twice."""
    return api_method.lower().startswith(_POSTS)


def _retry_after(payload: bytes) -> float | None:
    try:
        data = json.loads(payload)
        return float(data["parameters"]["retry_after"])
    except (ValueError, KeyError, TypeError):
        return None


class PhasedRequest(HTTPXRequest):
    """`HTTPXRequest` with the retry policy above; outcomes of replies go to the update being
    handled (see `bot.inbox.Handling`), which is claimed in the inbox before a reply goes out."""

    def __init__(
        self,
        inbox: Inbox | None,
        *,
        pool_size: int,
        read_timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(
            connection_pool_size=pool_size,
            read_timeout=read_timeout,
            httpx_kwargs={"transport": transport} if transport else None,
        )
        self.inbox = inbox

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        posts = posts_a_message(api_method)
        handling = CURRENT.get() if posts else None
        if handling is not None and self.inbox is not None:
            await self.inbox.claim(handling)
        pause = FIRST_PAUSE
        for attempt in range(1, ATTEMPTS + 1):
            last = attempt == ATTEMPTS
            try:
                status, payload = await super().do_request(
                    url, method, request_data, *args, **kwargs
                )
            except NetworkError as error:  # TimedOut included
                not_sent = isinstance(error.__cause__, _NOT_SENT)
                if posts and not not_sent:
                    if handling is not None:
                        handling.note(MAYBE)
                    log.warning(
                        "%s: possibly delivered, not sent again (%s)", api_method, _why(error)
                    )
                    raise PossiblyDelivered(f"{api_method}: {_why(error)}") from error
                if last:
                    if handling is not None:
                        handling.note(FAILED)
                    raise
                log.warning(
                    "%s: %s (%s); trying again in %.1f s",
                    api_method,
                    "cannot reach the Bot API" if not_sent else "failed",
                    _why(error),
                    pause,
                )
            else:
                if status == TOO_MANY_REQUESTS:
                    wait = _retry_after(payload)
                    if last or wait is None or wait > RETRY_AFTER_CAP:
                        if handling is not None:
                            handling.note(FAILED)
                        return status, payload  # python-telegram-bot raises RetryAfter
                    log.warning("%s: flood limit, waiting %.0f s", api_method, wait)
                    await asyncio.sleep(wait)
                    continue
                if status >= 500 and posts:
                    if handling is not None:
                        handling.note(MAYBE)
                    log.warning(
                        "%s: possibly delivered, not sent again (HTTP %d)", api_method, status
                    )
                    raise PossiblyDelivered(f"{api_method}: HTTP {status} after it was sent")
                if status < 500 or last:
                    if handling is not None:
                        handling.note(SENT if status < 300 else FAILED)
                    return status, payload
                log.warning("%s: HTTP %d; trying again in %.1f s", api_method, status, pause)
            await asyncio.sleep(pause)
            pause = min(pause * 2, MAX_PAUSE)
        raise AssertionError("unreachable")  # pragma: no cover


def _why(error: TelegramError) -> str:
    cause = error.__cause__
    return f"{type(cause).__name__}: {cause}" if cause is not None else error.message


def describe_failure(error: BaseException | None) -> tuple[int, str] | None:
    """(log level, one line) for a failure that needs no traceback; None for a bug."""
    if isinstance(error, PossiblyDelivered):
        return logging.WARNING, f"a reply was possibly delivered: {error.message}"
    if isinstance(error, Forbidden):
        return logging.INFO, f"not allowed to reply: {error.message}"
    if isinstance(error, RetryAfter):
        return logging.WARNING, f"flood limit too long to wait for: {error.message}"
    if isinstance(error, TimedOut | NetworkError):
        return logging.WARNING, f"a reply could not be sent: {error.message}"
    if isinstance(error, TelegramError):
        return logging.ERROR, f"Telegram refused a reply: {error.message}"
    return None
