"""The error handler: every unexpected error is logged and told to the admins, at most once
an interval, without secrets."""

from __future__ import annotations

import pytest
from auxil import build_updates as tg
from auxil.offline_bot import ADMIN_ID, TOKEN, OfflineBot
from telegram import Update
from telegram.error import TimedOut
from telegram.ext import CommandHandler

from bot.context import BotContext


def failing_bot(bot: OfflineBot, error: Exception) -> OfflineBot:
    async def boom(update: Update, context: BotContext) -> None:
        raise error

    bot.app.add_handler(CommandHandler("boom", boom), group=-1)
    return bot


def boom(bot: OfflineBot) -> list:
    """/boom from someone; what the bot told the admin (the error reaches the test too)."""
    user = tg.user("Boomer")
    mark = len(bot.request.calls)
    with pytest.raises(Exception):  # noqa: B017  (the recording handler re-raises it)
        bot.send(tg.message_update(tg.private_chat(user), user, "/boom"))
    bot.errors.clear()
    return [
        call.params
        for call in bot.request.calls[mark:]
        if call.method == "sendMessage" and call.params["chat_id"] == ADMIN_ID
    ]


def test_an_error_is_told_to_the_admins_once_an_interval(bot: OfflineBot, caplog) -> None:
    failing_bot(bot, RuntimeError(f"database on fire, token {TOKEN}"))
    (told,) = boom(bot)
    assert "RuntimeError" in told["text"] and "database on fire" in told["text"]
    assert TOKEN not in told["text"]
    assert "error while handling an update" in caplog.text

    assert boom(bot) == []  # within the interval: only logged
    bot.app.bot_data["services"].alerts.last -= 3600
    (again,) = boom(bot)
    assert "+1 more" in again["text"]
    assert bot.request.rejections == []


def test_network_errors_are_only_logged(bot: OfflineBot) -> None:
    failing_bot(bot, TimedOut())
    assert boom(bot) == []


def test_without_admins_nobody_is_told(make_bot) -> None:
    bot = failing_bot(make_bot(ADMIN_IDS=""), RuntimeError("nobody to tell"))
    assert boom(bot) == []
