"""The bot's handlers run in this process, with the object-style helpers some tests prefer
(`Person`, `OfflineBot.message/tap/inline`): a thin layer over tests/auxil/, which holds the
one offline request object and the update builders."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auxil import build_updates as tg
from auxil.networking import BOT_USER, Call, OfflineRequest
from auxil.offline_bot import ADMIN_ID, TOKEN
from auxil.offline_bot import OfflineBot as _OfflineBot

from bot.services import Services
from faq.engine import Engine
from faq.model import DEFAULT_FAQ_PATH

__all__ = ["ADMIN_ID", "BOT_ID", "BOT_USERNAME", "TOKEN", "Call", "OfflineBot", "OfflineRequest"]

BOT_ID = BOT_USER["id"]
BOT_USERNAME = BOT_USER["username"]


@dataclass
class Person:
    id: int
    first_name: str
    language_code: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return tg.user(self.first_name, user_id=self.id, language_code=self.language_code)


_engines: dict[bytes, Engine] = {}


def engine_for(path: Path) -> Engine:
    """The engine of the FAQ file at `path`, built once per content in this process: engines
    are immutable (a /reload builds a new one from the file), so tests may share them."""
    content = path.read_bytes()
    if content not in _engines:
        _engines[content] = Engine.from_path(path)
    return _engines[content]


class OfflineBot(_OfflineBot):
    """The bot's Application over an `OfflineRequest`, with a real SQLite file in `tmp_path`."""

    def __init__(self, tmp_path: Path, faq_path: Path | None = None) -> None:
        environ = {"FAQ_PATH": str(faq_path)} if faq_path is not None else {}
        engine = engine_for(faq_path or DEFAULT_FAQ_PATH)
        super().__init__(engine, tmp_path / "faqbot.sqlite3", **environ)
        self.engine = engine
        self.application = self.app
        self._update_ids = itertools.count(1)

    @property
    def services(self) -> Services:
        return self.app.bot_data["services"]  # type: ignore[no-any-return]

    def process(self, payload: dict[str, Any]) -> list[Call]:
        """Handle one update; the Bot API calls it caused."""
        return self.send({"update_id": next(self._update_ids), **payload})

    @staticmethod
    def private_chat(person: Person) -> dict[str, Any]:
        return tg.private_chat(person.as_dict())

    @staticmethod
    def group(chat_id: int, title: str = "Trainees") -> dict[str, Any]:
        return {"id": chat_id, "type": "supergroup", "title": title}

    def message(self, chat: dict[str, Any], person: Person, text: str) -> list[Call]:
        return self.send(tg.message_update(chat, person.as_dict(), text))

    def tap(self, person: Person, sent: Call, data: str) -> list[Call]:
        """`person` presses the button with callback data `data` on the message `sent`."""
        assert data in callback_data(sent), data
        chat = sent.result["chat"]
        return self.send(tg.callback_update(chat, person.as_dict(), sent.result, data))

    def inline(self, person: Person, query: str) -> list[Call]:
        return self.send(tg.inline_update(person.as_dict(), query))

    def poll_answer(self, person: Person, poll_id: str, options: list[int]) -> list[Call]:
        answer = {
            "poll_id": poll_id,
            "user": person.as_dict(),
            "option_ids": options,
            "option_persistent_ids": [str(option) for option in options],
        }
        return self.process({"poll_answer": answer})


def buttons(call: Call) -> list[dict[str, Any]]:
    markup = call.params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def callback_data(call: Call) -> list[str]:
    return [b["callback_data"] for b in buttons(call) if "callback_data" in b]
