"""The command menus and bot descriptions Telegram shows, in each of the bot's languages."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import partial

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats
from telegram.error import TelegramError

from bot.health import AnyApplication
from bot.strings import t
from faq.model import LANGS

log = logging.getLogger(__name__)

PRIVATE_COMMANDS = ("start", "topics", "quiz", "lang", "help")
GROUP_COMMANDS = ("ask", "quiz", "topics", "help")
MENU_DEFAULT_LANG = "en"
"""Shown to users whose app language is none of the bot's."""


def commands(lang: str, names: tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(name, t(lang, f"command_{name}")) for name in names]


async def publish_menus(application: AnyApplication) -> None:
    """setMyCommands per scope and language, and the descriptions. Run in the background once
    the bot answers; a failure is only logged (the request layer already retried it)."""
    bot = application.bot
    calls: list[tuple[str, Callable[[], Awaitable[bool]]]] = []
    for lang in (None, *LANGS):
        text_lang, code = lang or MENU_DEFAULT_LANG, lang
        for scope, names in (
            (BotCommandScopeAllPrivateChats(), PRIVATE_COMMANDS),
            (BotCommandScopeAllGroupChats(), GROUP_COMMANDS),
        ):
            menu = commands(text_lang, names)
            calls.append(("command menu", partial(bot.set_my_commands, menu, scope, code)))
        description, short = t(text_lang, "description"), t(text_lang, "short_description")
        calls.append(("description", partial(bot.set_my_description, description, code)))
        calls.append(("short description", partial(bot.set_my_short_description, short, code)))
    failed = 0
    for what, call in calls:
        try:
            await call()
        except TelegramError as error:
            failed += 1
            log.warning("%s not published: %s", what, error.message)
    if failed:
        log.warning("%d of %d menu calls failed; the bot answers without them", failed, len(calls))
