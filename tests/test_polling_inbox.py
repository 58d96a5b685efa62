"""Polling into the durable inbox, in-process: the real Application, request layer, processor
and SQLite file against the fake Bot API."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fakebotapi import FakeBotApi
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.menu import GROUP_COMMANDS, publish_menus
from bot.polling import poll
from bot.settings import Settings
from bot.storage import Database, Storage
from bot.webhook import parse_update
from bot.wiring import Plumbing


def settings(api: FakeBotApi, tmp_path: Path) -> Settings:
    return Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
            "POLL_TIMEOUT": "1",
        }
    )


def test_polled_updates_are_stored_handled_once_and_confirmed(tmp_path: Path) -> None:
    seen: list[int] = []

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        seen.append(update.update_id)
        await update.message.reply_text("ok")

    with FakeBotApi() as api:
        config = settings(api, tmp_path)
        database = Database(config.database_path)
        plumbing = Plumbing(database, 4)
        builder = ApplicationBuilder().token(api.token).base_url(api.base_url)
        application = plumbing.configure(builder, config).build()
        application.add_handler(MessageHandler(filters.TEXT, echo))
        user = api.user("Poll")
        chat = api.private_chat(user)

        async def main() -> None:
            async with application:
                await application.start()
                task = asyncio.create_task(
                    poll(
                        application,
                        plumbing.inbox,
                        timeout=1,
                        allowed_updates=["message"],
                        first_pause=1.0,
                    )
                )
                first = api.send_message(chat, user, "one")
                await api.wait_for_reply_async(first, timeout=10)
                # Telegram sends an update again (its confirmation was lost): not handled twice.
                api.push_update(dict(first))
                second = api.send_message(chat, user, "two")
                await api.wait_for_messages_async(chat, 2, timeout=10)
                await asyncio.sleep(0.3)
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                await application.stop()
                assert seen == [first["update_id"], second["update_id"]]
                assert await plumbing.inbox.resume_offset() == second["update_id"] + 1
                await publish_menus(application)

        asyncio.run(main())
        database.close()
        menus = api.calls_to("setMyCommands")
        assert menus and [c["command"] for c in menus[1]["commands"]] == list(GROUP_COMMANDS)
    with Storage(config.database_path) as storage:
        assert storage.unfinished_updates() == []
        assert storage.deliveries() == {"sent": 2}


def test_webhook_bodies_that_are_not_updates() -> None:
    application = ApplicationBuilder().token("123456:" + "A" * 35).build()
    assert parse_update(b'{"update_id": 3}', application) is not None
    for body in (b"1", b"null", b"[]", b'"x"', b'{"update_id": "3"}', b"{", b"[" * 10**5):
        assert parse_update(body, application) is None
