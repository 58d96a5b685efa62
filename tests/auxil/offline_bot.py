"""The real Application (bot.app.build_application) run in-process over `OfflineRequest`.

`send(update)` feeds one update through every handler, as polling would, and returns the
Bot API calls it made. A handler that raises fails the test instead of being only logged.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fakebotapi.htmlcheck import parse_html
from telegram import Update
from telegram.ext import AIORateLimiter

from auxil.networking import Call, OfflineRequest
from bot.app import Builder, OfflinePlumbing, build_application
from bot.context import BotApplication, BotContext
from bot.settings import Settings
from bot.storage import Database
from faq.engine import Engine

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijkl"
ADMIN_ID = 999_001


def settings_for(database: Path, **environ: str) -> Settings:
    return Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "DATABASE_PATH": str(database),
            "ADMIN_IDS": str(ADMIN_ID),
            "HEALTH_PORT": "0",
            **environ,
        }
    )


NO_THROTTLE = {"THROTTLE_USER_PER_MINUTE": "100000", "THROTTLE_CHAT_PER_MINUTE": "100000"}
"""Settings that lift the bot's own per-user and per-chat throttle."""


@dataclass
class UnlimitedPlumbing(OfflinePlumbing):
    """Offline, and without Telegram's flood limits (PTB's AIORateLimiter keeps the bot to 30
    messages a second, 20 a minute per group): for tests that send hundreds of messages, where
    the limiter would only make them wait."""

    def configure(self, builder: Builder, settings: Settings) -> Builder:
        unlimited = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=0)
        return super().configure(builder, settings).rate_limiter(unlimited)


class OfflineBot:
    """`unlimited`: neither the bot's throttle nor Telegram's flood limits."""

    def __init__(
        self, engine: Engine, database: Path, *, unlimited: bool = False, **environ: str
    ) -> None:
        self.settings = settings_for(
            database, **({**NO_THROTTLE, **environ} if unlimited else environ)
        )
        self.database = database
        self.request = OfflineRequest()
        self.storage = Database(database)
        plumbing = (UnlimitedPlumbing if unlimited else OfflinePlumbing)(self.request)
        self.app: BotApplication = build_application(self.settings, engine, self.storage, plumbing)
        self.errors: list[BaseException] = []
        self.app.add_error_handler(self._record_error)
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self.app.initialize())

    async def _record_error(self, update: object, context: BotContext) -> None:
        if context.error is not None:
            self.errors.append(context.error)

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    def send(self, update: dict) -> list[Call]:
        """Handle `update`; the calls it made, in order."""
        mark = len(self.request.calls)
        self.run(self.app.process_update(Update.de_json(update, self.app.bot)))
        if self.errors:
            raise self.errors[0]
        return self.request.calls[mark:]

    def messages(self, update: dict) -> list[dict]:
        """What the bot said to `update`: each sendMessage's parameters and resulting message."""
        return [
            {**call.params, **call.result}
            for call in self.send(update)
            if call.method == "sendMessage"
        ]

    def request_to(self, update: dict, method: str = "answerInlineQuery") -> list[dict]:
        """The parameters of each call to `method` made for `update`."""
        return [call.params for call in self.send(update) if call.method == method]

    def reply(self, update: dict) -> dict:
        """The one message the bot sent for `update`."""
        sent = self.messages(update)
        assert len(sent) == 1, sent
        return sent[0]

    def close(self) -> None:
        if self.loop.is_closed():
            return
        self.run(self.app.shutdown())
        self.storage.close()
        self.loop.close()


def text_of(params: dict) -> str:
    """The text as the user sees it (HTML markup parsed away)."""
    return parse_html(params["text"])[0]


def buttons_of(params: dict) -> list[str]:
    """Callback data of every inline button, row by row."""
    markup = params.get("reply_markup") or {}
    return [
        button["callback_data"]
        for row in markup.get("inline_keyboard", [])
        for button in row
        if "callback_data" in button
    ]
