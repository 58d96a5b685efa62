import asyncio
import logging

from bot.redact import REDACTED, RedactingFilter
from bot.throttle import Throttle

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"


def test_throttle_allows_the_rate_then_notifies_once():
    async def scenario():
        throttle = Throttle(per_minute=3)
        verdicts = [await throttle.check("user-1") for _ in range(6)]
        other = await throttle.check("user-2")
        return verdicts, other

    verdicts, other = asyncio.run(scenario())
    assert [v.allowed for v in verdicts] == [True, True, True, False, False, False]
    assert [v.notify for v in verdicts] == [False, False, False, True, False, False]
    assert other.allowed, "keys are independent"


def test_throttle_counts_when_sent_and_tells_once_a_minute():
    """A backlog handled late is still a flood: what counts is when each was sent."""
    from datetime import UTC, datetime, timedelta

    sent = datetime(2026, 1, 1, tzinfo=UTC)

    async def scenario():
        throttle = Throttle(per_minute=3)
        flood = [await throttle.check("u", sent + timedelta(seconds=n)) for n in range(10)]
        later = await throttle.check("u", sent + timedelta(seconds=61))
        again = [await throttle.check("u", sent + timedelta(seconds=62 + n)) for n in range(3)]
        return flood, later, again

    flood, later, again = asyncio.run(scenario())
    assert [v.allowed for v in flood] == [True] * 3 + [False] * 7
    assert [v.notify for v in flood].count(True) == 1
    assert later.allowed  # the first of the flood left the window
    assert [v.allowed for v in again] == [True, True, False]
    assert again[2].notify  # a minute after the last notice


def test_redaction_hides_the_token_in_messages_args_and_tracebacks():
    record = logging.LogRecord(
        "httpx",
        logging.INFO,
        __file__,
        1,
        "HTTP Request: POST %s",
        (f"https://x/bot{TOKEN}/getMe",),
        None,
    )
    try:
        raise RuntimeError(f"failed for {TOKEN}")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    RedactingFilter([TOKEN]).filter(record)
    formatted = logging.Formatter().format(record)
    assert TOKEN not in formatted
    assert REDACTED in formatted
