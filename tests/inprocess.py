"""The bot's handlers run in this process: PTB's Application with an offline request object.

`OfflineRequest` answers Bot API calls from memory and records them, as PTB's own tests do,
so a test feeds updates to the real Application and reads what the bot sent.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, Defaults
from telegram.request import BaseRequest, RequestData

from bot.app import add_handlers
from bot.services import KEY, Services
from bot.settings import Settings
from bot.storage import SafeStorage
from faq.engine import Engine

TOKEN = "123456:offline-test-token-for-in-process-tests"
BOT_ID = 123456
BOT_USERNAME = "faq_test_bot"
ADMIN_ID = 999_001


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    result: Any


class OfflineRequest(BaseRequest):
    """Answers every Bot API call at once, from memory; records the calls."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.chat_admins: set[tuple[int, int]] = set()
        self._ids = itertools.count(5000)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        result = self._respond(name, params)
        self.calls.append(Call(name, params, result))
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _message(self, params: dict[str, Any], **fields: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        if chat_id < 0:
            chat["title"] = "Group"
        message = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "FAQ"},
            **fields,
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    def _respond(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "FAQ",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "supports_inline_queries": True,
            }
        if name == "sendMessage":
            return self._message(params, text=params["text"])
        if name == "sendPoll":
            options = [
                {
                    "text": o if isinstance(o, str) else o["text"],
                    "voter_count": 0,
                    "persistent_id": str(index),
                }
                for index, o in enumerate(params["options"])
            ]
            poll = {
                "id": str(next(self._ids)),
                "question": params["question"],
                "options": options,
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": params.get("is_anonymous", True),
                "type": params.get("type", "regular"),
                "allows_multiple_answers": False,
                "allows_revoting": False,
                "members_only": False,
                "correct_option_ids": params.get("correct_option_ids"),
            }
            return self._message(params, poll=poll)
        if name == "getChatMember":
            admin = (int(params["chat_id"]), int(params["user_id"])) in self.chat_admins
            user = {"id": int(params["user_id"]), "is_bot": False, "first_name": "Member"}
            if admin:
                return {"status": "administrator", "user": user, **_ADMIN_RIGHTS}
            return {"status": "member", "user": user}
        return True

    def sent(self, method: str | Iterable[str] = "sendMessage") -> list[Call]:
        names = {method} if isinstance(method, str) else set(method)
        return [call for call in self.calls if call.method in names]


_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
}


@dataclass
class Person:
    id: int
    first_name: str
    language_code: str | None = None

    def as_dict(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            user["language_code"] = self.language_code
        return user


@dataclass
class OfflineBot:
    """The bot's Application wired to an `OfflineRequest`, with a real SQLite file."""

    tmp_path: Path
    faq_path: Path | None = None
    request: OfflineRequest = field(default_factory=OfflineRequest)

    def __post_init__(self) -> None:
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self.loop = asyncio.new_event_loop()
        environ = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "DATABASE_PATH": str(self.tmp_path / "faqbot.sqlite3"),
            "ADMIN_IDS": str(ADMIN_ID),
            "HEALTH_PORT": "0",
        }
        if self.faq_path is not None:
            environ["FAQ_PATH"] = str(self.faq_path)
        self.settings = Settings.from_env(environ)
        self.storage = SafeStorage(self.settings.database_path)
        self.engine = Engine.from_path(self.settings.faq_path)
        self.application: Application = (  # type: ignore[type-arg]
            ApplicationBuilder()
            .token(TOKEN)
            .request(self.request)
            .get_updates_request(OfflineRequest())
            .defaults(Defaults(parse_mode="HTML"))
            .build()
        )
        self.application.bot_data[KEY] = Services.create(self.engine, self.storage, self.settings)
        add_handlers(self.application)
        self.loop.run_until_complete(self.application.initialize())

    @property
    def services(self) -> Services:
        services: Services = self.application.bot_data[KEY]
        return services

    def close(self) -> None:
        if self.loop.is_closed():
            return
        self.loop.run_until_complete(self.application.shutdown())
        self.storage.close()
        self.loop.close()

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    def process(self, payload: dict[str, Any]) -> list[Call]:
        """Handle one update; the Bot API calls it caused."""
        before = len(self.request.calls)
        payload = {"update_id": next(self._update_ids), **payload}
        update = Update.de_json(payload, self.application.bot)
        self.run(self.application.process_update(update))
        return self.request.calls[before:]

    # Update builders ----------------------------------------------------------------------

    @staticmethod
    def private_chat(person: Person) -> dict[str, Any]:
        return {"id": person.id, "type": "private", "first_name": person.first_name}

    @staticmethod
    def group(chat_id: int, title: str = "Trainees") -> dict[str, Any]:
        return {"id": chat_id, "type": "supergroup", "title": title}

    def message(self, chat: dict[str, Any], person: Person, text: str) -> list[Call]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": person.as_dict(),
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self.process({"message": message})

    def tap(self, person: Person, sent: Call, data: str) -> list[Call]:
        """`person` presses the button with callback data `data` on the message `sent`."""
        buttons = [b for row in sent.result["reply_markup"]["inline_keyboard"] for b in row]
        assert data in [b.get("callback_data") for b in buttons], data
        query = {
            "id": str(next(self._update_ids)),
            "from": person.as_dict(),
            "chat_instance": "1",
            "message": sent.result,
            "data": data,
        }
        return self.process({"callback_query": query})

    def inline(self, person: Person, query: str) -> list[Call]:
        inline_query = {
            "id": str(next(self._update_ids)),
            "from": person.as_dict(),
            "query": query,
            "offset": "",
        }
        return self.process({"inline_query": inline_query})

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
