"""The typed context every handler receives, as in PTB's contexttypesbot.py example.

Handlers reach the bot's services through `context.services` instead of digging in
`bot_data`, so the type checker follows every access.
"""

from __future__ import annotations

from typing import Any, TypeAlias, cast

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from bot.services import KEY, Services

AnyDict: TypeAlias = dict[Any, Any]


class BotContext(CallbackContext[ExtBot[Any], AnyDict, AnyDict, AnyDict]):
    """`ExtBot[Any]`: the rate limiter's per-call arguments are not used."""

    @property
    def application(self) -> BotApplication:  # type: ignore[override]  # narrower: ours
        """The Application, typed as bot.app builds it (PTB leaves it generic here)."""
        return cast("BotApplication", super().application)

    @property
    def services(self) -> Services:
        services = self.bot_data[KEY]
        assert isinstance(services, Services), "build the Application with bot.app"
        return services


CONTEXT_TYPES = ContextTypes(context=BotContext)

BotApplication: TypeAlias = Application[
    ExtBot[Any], BotContext, AnyDict, AnyDict, AnyDict, JobQueue[BotContext]
]
"""The Application `bot.app.build_application` returns."""
