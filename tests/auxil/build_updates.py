"""Builders for the updates Telegram sends: messages, button taps and inline queries.

They return the JSON Telegram would send (so `Update.de_json` checks their shape), with
commands and mentions marked as Telegram's clients mark them.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

from fakebotapi import auto_entities

from auxil.networking import BOT_USER

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)
_user_ids = itertools.count(100_001)
_group_ids = itertools.count(1)
_query_ids = itertools.count(4_000_000_000_000_000_001)


def user(name: str, *, user_id: int | None = None, language_code: str | None = "en") -> dict:
    found: dict[str, Any] = {
        "id": user_id or next(_user_ids),
        "is_bot": False,
        "first_name": name,
    }
    if language_code:
        found["language_code"] = language_code
    return found


def private_chat(person: dict) -> dict:
    return {"id": person["id"], "type": "private", "first_name": person["first_name"]}


def group(title: str = "Test group", *, supergroup: bool = False, forum: bool = False) -> dict:
    number = next(_group_ids)
    if supergroup or forum:
        chat = {"id": -1_000_000_000_000 - number, "type": "supergroup", "title": title}
        if forum:
            chat["is_forum"] = True
        return chat
    return {"id": -number, "type": "group", "title": title}


def message(
    chat: dict,
    sender: dict,
    text: str | None = None,
    *,
    reply_to: dict | None = None,
    thread_id: int | None = None,
    **content: Any,
) -> dict:
    """A message dict; `content` adds fields such as `sticker` or `caption`."""
    found: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat,
        "from": sender,
        **content,
    }
    if text is not None:
        found["text"] = text
        entities = auto_entities(text)
        if entities:
            found["entities"] = entities
    if reply_to is not None:
        found["reply_to_message"] = reply_to
    if thread_id is not None:
        found["message_thread_id"] = thread_id
        found["is_topic_message"] = True
    return found


def message_update(chat: dict, sender: dict, text: str | None = None, **options: Any) -> dict:
    return {"update_id": next(_update_ids), "message": message(chat, sender, text, **options)}


def sticker_update(chat: dict, sender: dict) -> dict:
    sticker = {
        "file_id": "CAACAgIAAxk",
        "file_unique_id": "AgAD",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    return message_update(chat, sender, sticker=sticker)


def photo_update(chat: dict, sender: dict, caption: str | None = None) -> dict:
    photo = [{"file_id": "AgACAgIAAxk", "file_unique_id": "AQAD", "width": 90, "height": 90}]
    extra = {"caption": caption} if caption else {}
    return message_update(chat, sender, photo=photo, **extra)


def voice_update(chat: dict, sender: dict) -> dict:
    voice = {"file_id": "AwACAgIAAxk", "file_unique_id": "AgADv", "duration": 3}
    return message_update(chat, sender, voice=voice)


def bot_message(chat: dict, sent: dict) -> dict:
    """A message the bot sent, rebuilt from the sendMessage result."""
    return {**sent, "chat": chat, "from": BOT_USER}


def callback_update(chat: dict, sender: dict, pressed_on: dict | None, data: str) -> dict:
    """A tap on a button with `data` under the bot's message `pressed_on` (None: a message
    too old for Telegram to include)."""
    query: dict[str, Any] = {
        "id": str(next(_query_ids)),
        "from": sender,
        "chat_instance": str(chat["id"]),
        "data": data,
    }
    if pressed_on is None:
        query["message"] = {"message_id": 1, "date": 0, "chat": chat}  # inaccessible
    else:
        query["message"] = bot_message(chat, pressed_on)
    return {"update_id": next(_update_ids), "callback_query": query}


def inline_update(sender: dict, text: str) -> dict:
    query = {"id": str(next(_query_ids)), "from": sender, "query": text, "offset": ""}
    return {"update_id": next(_update_ids), "inline_query": query}
