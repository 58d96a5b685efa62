"""The fake Telegram's world: users, chats, messages, the update queue and the records.

Everything is guarded by one condition variable; whoever changes something calls
``notify_all`` so that long polls and test-side waits wake up.
"""

from __future__ import annotations

import copy
import threading
import time
from typing import Any

from .records import BotMessage, Call, Rejection
from .validation import bad_request


def now() -> int:
    return int(time.time())


class State:
    def __init__(
        self,
        token: str,
        bot_user: dict[str, Any],
        *,
        privacy_mode: bool,
        inline_mode: bool,
        strict_ampersand: bool,
    ) -> None:
        self.cond = threading.Condition(threading.RLock())
        self.token = token
        self.bot_user = bot_user
        self.privacy_mode = privacy_mode
        self.inline_mode = inline_mode
        self.strict_ampersand = strict_ampersand

        self.users: dict[int, dict] = {bot_user["id"]: self.bot_sender()}
        self.chats: dict[int, dict] = {}
        self.messages: dict[tuple[int, int], dict] = {}
        self.next_message_id: dict[int, int] = {}
        self.webhook_url = ""

        self.updates: list[dict] = []  # delivered or not, but not yet confirmed by an offset
        self.next_update_id = 100_000
        self.confirmed_below = 0  # every update_id below this has been confirmed
        self.update_seq: dict[int, int] = {}  # update_id -> events seq when it was queued
        self.poll_generation = 0

        self.seq = 0
        self.events: list[BotMessage] = []
        self.calls: list[Call] = []
        self.rejections: list[Rejection] = []
        self.conflicts: list[Rejection] = []
        self.filtered_updates: list[dict] = []
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.descriptions: dict[str, dict[str, str]] = {
            "name": {},
            "description": {},
            "short_description": {},
        }

    # -- lookups -----------------------------------------------------------------------------

    def bot_sender(self) -> dict[str, Any]:
        """The bot as it appears in ``from`` of its messages."""
        keys = ("id", "is_bot", "first_name", "username")
        return {k: self.bot_user[k] for k in keys}

    def chat(self, chat_id: Any) -> dict:
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        if isinstance(chat_id, str):
            for chat in self.chats.values():
                if chat.get("username") and "@" + chat["username"].lower() == chat_id.lower():
                    return chat
            raise bad_request("chat not found")
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    # -- messages ----------------------------------------------------------------------------

    def new_message(self, chat: dict, **fields: Any) -> dict:
        """Store a new message in ``chat`` with the next message_id; return it."""
        chat_id = chat["id"]
        message_id = self.next_message_id.get(chat_id, 1)
        self.next_message_id[chat_id] = message_id + 1
        message = {"message_id": message_id, **fields, "chat": chat, "date": now()}
        message = {k: v for k, v in message.items() if v is not None}
        self.messages[(chat_id, message_id)] = message
        return message

    def stored(self, chat_id: int, message_id: int) -> dict | None:
        return self.messages.get((chat_id, message_id))

    @staticmethod
    def as_reply_target(message: dict) -> dict:
        """A message as it is embedded in ``reply_to_message`` (no further nesting)."""
        return {k: v for k, v in copy.deepcopy(message).items() if k != "reply_to_message"}

    def record_event(self, method: str, params: dict, message: dict | None, **kw: Any) -> None:
        self.seq += 1
        self.events.append(
            BotMessage(
                seq=self.seq,
                method=method,
                chat_id=message["chat"]["id"] if message else None,
                message_id=message["message_id"] if message else None,
                text=message.get("text") if message else kw.get("text"),
                raw_text=params.get("text"),
                parse_mode=params.get("parse_mode"),
                entities=copy.deepcopy(message.get("entities", [])) if message else [],
                reply_markup=copy.deepcopy(message.get("reply_markup") if message else None),
                message=copy.deepcopy(message),
                params=copy.deepcopy(params),
            )
        )

    # -- updates -----------------------------------------------------------------------------

    def queue_update(self, payload: dict, *, deliver: bool = True) -> dict:
        """Give ``payload`` the next update_id and queue it (or file it as filtered)."""
        update = dict(payload)
        if "update_id" not in update:
            self.next_update_id += 1
            update["update_id"] = self.next_update_id
        else:
            self.next_update_id = max(self.next_update_id, update["update_id"])
        self.update_seq[update["update_id"]] = self.seq
        if deliver:
            self.updates.append(update)
        else:
            self.filtered_updates.append(update)
        self.cond.notify_all()
        return copy.deepcopy(update)

    def confirm(self, offset: int) -> None:
        """Forget updates the bot confirmed, as Telegram does on getUpdates with an offset."""
        if offset < 0:
            self.updates = self.updates[offset:]
            if self.updates:
                self.confirmed_below = self.updates[0]["update_id"]
            return
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        self.confirmed_below = max(self.confirmed_below, offset)
