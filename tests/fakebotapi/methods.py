"""Bot API methods of the fake server: ``fn(state, params, request) -> result``.

Each runs with ``state.cond`` held and raises :class:`ApiError` for an error response.
"""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Callable
from typing import Any, Protocol

from .state import State
from .validation import (
    ApiError,
    bad_request,
    format_text,
    validate_reply_markup,
)

SCOPE_TYPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_LANGUAGE_RE = re.compile(r"^(?:[a-z]{2})?$")
DESCRIPTION_LIMITS = {"name": 64, "description": 512, "short_description": 120}
CONFLICT_OTHER_POLL = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)


class Request(Protocol):
    """What a method may ask about the HTTP request it serves."""

    def alive(self) -> bool: ...


class ClientGone(Exception):
    """The client went away (or the server stopped) while a long poll was waiting."""


Method = Callable[[State, dict[str, Any], Request], Any]


# -- updates and webhooks ----------------------------------------------------------------------


def get_updates(state: State, p: dict, request: Request) -> list[dict]:
    if state.webhook_url:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook "
            "to delete the webhook first",
        )
    offset = p.get("offset")
    if offset:
        state.confirm(offset)
        state.cond.notify_all()
    limit = min(max(p.get("limit") or 100, 1), 100)
    deadline = time.monotonic() + max(p.get("timeout") or 0, 0)
    state.poll_generation += 1
    generation = state.poll_generation
    state.cond.notify_all()  # wakes an older poll so that it can end with a conflict
    while True:
        if state.updates:
            return copy.deepcopy(state.updates[:limit])
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return []
        if not request.alive():
            raise ClientGone
        if state.poll_generation != generation:
            raise ApiError(409, CONFLICT_OTHER_POLL)
        state.cond.wait(min(remaining, 0.05))


def set_webhook(state: State, p: dict, request: Request) -> bool:
    if not isinstance(p.get("url"), str):
        raise bad_request("bad webhook: url is empty")
    state.webhook_url = p["url"]
    if p.get("drop_pending_updates"):
        _drop_pending(state)
    return True


def delete_webhook(state: State, p: dict, request: Request) -> bool:
    state.webhook_url = ""
    if p.get("drop_pending_updates"):
        _drop_pending(state)
    return True


def _drop_pending(state: State) -> None:
    state.updates.clear()
    state.confirmed_below = state.next_update_id + 1


def get_webhook_info(state: State, p: dict, request: Request) -> dict:
    return {
        "url": state.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates),
    }


# -- the bot itself ------------------------------------------------------------------------------


def get_me(state: State, p: dict, request: Request) -> dict:
    return dict(state.bot_user)


def log_out(state: State, p: dict, request: Request) -> bool:
    return True


def _language(p: dict) -> str:
    code = p.get("language_code") or ""
    if not isinstance(code, str) or not _LANGUAGE_RE.match(code):
        raise bad_request("invalid language code specified")
    return code


def scope_key(state: State, scope: Any) -> str:
    """A readable key for a BotCommandScope: ``default``, ``chat:-100123``, ..."""
    scope = scope or {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in SCOPE_TYPES:
        raise bad_request("can't parse BotCommandScope")
    kind = scope["type"]
    if kind in ("chat", "chat_administrators", "chat_member"):
        chat = state.chat(scope.get("chat_id"))
        if kind == "chat_member":
            if not isinstance(scope.get("user_id"), int):
                raise bad_request("user not found")
            return f"{kind}:{chat['id']}:{scope['user_id']}"
        return f"{kind}:{chat['id']}"
    return kind


def set_my_commands(state: State, p: dict, request: Request) -> bool:
    commands = p.get("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("too many commands specified")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND_RE.match(str(command.get("command"))):
            raise bad_request("BOT_COMMAND_INVALID")
        description = command.get("description")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    key = (scope_key(state, p.get("scope")), _language(p))
    if commands:
        state.commands[key] = copy.deepcopy(commands)
    else:
        state.commands.pop(key, None)
    return True


def _setter(kind: str) -> Method:
    def set_text(state: State, p: dict, request: Request) -> bool:
        value = p.get(kind) or ""
        if not isinstance(value, str) or len(value) > DESCRIPTION_LIMITS[kind]:
            raise bad_request(f"{kind} is too long")
        language = _language(p)
        if value:
            state.descriptions[kind][language] = value
        else:
            state.descriptions[kind].pop(language, None)
        return True

    return set_text


# -- messages ----------------------------------------------------------------------------------


def _text(state: State, p: dict) -> tuple[str, list[dict]]:
    return format_text(
        p.get("text"),
        p.get("parse_mode"),
        p.get("entities"),
        strict_ampersand=state.strict_ampersand,
    )


def _reply_target(state: State, chat: dict, p: dict) -> dict | None:
    reply = p.get("reply_parameters")
    if reply is None and p.get("reply_to_message_id"):
        reply = {
            "message_id": p["reply_to_message_id"],
            "allow_sending_without_reply": p.get("allow_sending_without_reply", False),
        }
    if reply is None:
        return None
    if not isinstance(reply, dict) or not isinstance(reply.get("message_id"), int):
        raise bad_request("can't parse reply parameters JSON object")
    target_chat = state.chat(reply["chat_id"]) if reply.get("chat_id") else chat
    target = state.stored(target_chat["id"], reply["message_id"])
    if target is None:
        if reply.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return state.as_reply_target(target)


def send_message(state: State, p: dict, request: Request) -> dict:
    chat = state.chat(p.get("chat_id"))
    text, entities = _text(state, p)
    markup = validate_reply_markup(p.get("reply_markup"))
    reply_to = _reply_target(state, chat, p)
    message = state.new_message(
        chat,
        **{"from": state.bot_sender()},
        reply_to_message=reply_to,
        text=text,
        entities=entities or None,
        # Only inline keyboards are part of a Message; reply keyboards are not echoed back.
        reply_markup=markup if markup and "inline_keyboard" in markup else None,
    )
    state.record_event("sendMessage", p, message)
    return copy.deepcopy(message)


METHODS: dict[str, Method] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "logOut": log_out,
    "close": log_out,
    "sendMessage": send_message,
    "setMyCommands": set_my_commands,
    "setMyName": _setter("name"),
    "setMyDescription": _setter("description"),
    "setMyShortDescription": _setter("short_description"),
}
# Telegram matches method names case-insensitively.
CANONICAL = {name.lower(): name for name in METHODS}
