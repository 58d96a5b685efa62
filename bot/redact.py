"""Keeps the bot token out of every log line.

httpx logs each request URL at INFO, and the Bot API puts the token in the URL path.
"""

from __future__ import annotations

import logging

REDACTED = "<bot-token>"


class RedactingFilter(logging.Filter):
    """Replaces each secret in the formatted message (and exception text) by a placeholder."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for secret in self.secrets:
            message = message.replace(secret, REDACTED)
            if record.exc_text:
                record.exc_text = record.exc_text.replace(secret, REDACTED)
        record.msg, record.args = message, None
        return True


def install_redaction(secrets: list[str]) -> None:
    """Attach the filter to every handler of the root logger."""
    redactor = RedactingFilter(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
