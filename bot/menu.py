"""The command menus and bot descriptions Telegram shows, in each of the bot's languages."""

from __future__ import annotations

from functools import partial

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats

from bot.context import BotApplication
from bot.delivery import deliver
from bot.strings import t
from faq.model import LANGS

PRIVATE_COMMANDS = ("start", "topics", "quiz", "lang", "help")
GROUP_COMMANDS = ("ask", "quiz", "topics", "help")
MENU_DEFAULT_LANG = "en"
"""Shown to users whose app language is none of the bot's."""


def commands(lang: str, names: tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(name, t(lang, f"command_{name}")) for name in names]


async def publish_menus(application: BotApplication) -> None:
    """setMyCommands per scope and language, and the descriptions; failures are only logged,
    the bot answers without them."""
    bot = application.bot
    for lang in (None, *LANGS):
        text_lang, code = lang or MENU_DEFAULT_LANG, lang
        for scope, names in (
            (BotCommandScopeAllPrivateChats(), PRIVATE_COMMANDS),
            (BotCommandScopeAllGroupChats(), GROUP_COMMANDS),
        ):
            menu = commands(text_lang, names)
            await deliver(
                "command menu", partial(bot.set_my_commands, menu, scope=scope, language_code=code)
            )
        description = t(text_lang, "description")
        await deliver("description", partial(bot.set_my_description, description, code))
        short = t(text_lang, "short_description")
        await deliver("short description", partial(bot.set_my_short_description, short, code))
