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
