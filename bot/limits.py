"""Telegram's limits, as the FAQ loader needs them: faq/ knows nothing of Telegram, so the
bot passes them in whenever it loads an FAQ."""

from __future__ import annotations

from pathlib import Path

from telegram.constants import MessageLimit

from bot.callbacks import MAX_TOPIC_ID_BYTES
from faq.engine import Engine
from faq.loader import Limits, load_faq


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji may count twice)."""
    return len(text.encode("utf-16-le")) // 2


FAQ_LIMITS = Limits(
    max_answer_chars=MessageLimit.MAX_TEXT_LENGTH,
    max_id_bytes=MAX_TOPIC_ID_BYTES,
    length=telegram_length,
    why_id="so that callback data fits in 64 bytes",
    where="a Telegram message",
)


def load_engine(path: Path | str, fallback_lang: str = "en") -> Engine:
    """The engine for the FAQ at `path`, checked against Telegram's limits; raises
    faq.loader.FaqError listing every problem."""
    return Engine(load_faq(path, FAQ_LIMITS), fallback_lang=fallback_lang)
