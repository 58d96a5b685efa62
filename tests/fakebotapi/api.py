"""``FakeBotApi``: the test-facing side of the fake Telegram.

Tests act as Telegram users (queue updates), inject faults, and, through the
:class:`Observing` base, read what the bot did. All methods are thread-safe and return copies.
"""

from __future__ import annotations

import copy
import itertools
import random
import re
from typing import Any

from .htmlcheck import utf16_len
from .methods import CANONICAL
from .observing import ChatRef, Observing
from .server import CHAOS_KINDS, Chaos, Dispatcher, Fault, Listener
from .state import State

DEFAULT_TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijkl"

_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w@/])")
_MENTION_RE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}(?!\w)")


def auto_entities(text: str) -> list[dict]:
    """bot_command and mention entities, as Telegram's clients attach them to a text."""
    found = [("bot_command", m) for m in _COMMAND_RE.finditer(text)]
    found += [("mention", m) for m in _MENTION_RE.finditer(text)]
    entities = [
        {"type": kind, "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group())}
        for kind, m in found
    ]
    return sorted(entities, key=lambda e: e["offset"])


def _utf16_slice(text: str, offset: int, length: int) -> str:
    return text.encode("utf-16-le")[2 * offset : 2 * (offset + length)].decode("utf-16-le")


class FakeBotApi(Observing):
    """A fake Telegram Bot API server for end-to-end tests (see the package docstring)."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "faq_test_bot",
        *,
        bot_name: str = "FAQ Test Bot",
        privacy_mode: bool = True,
        inline_mode: bool = True,
        strict_ampersand: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        prefix = token.split(":", 1)[0]
        bot_user = {
            "id": int(prefix) if prefix.isdigit() else 1_000_001,
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": not privacy_mode,
            "supports_inline_queries": inline_mode,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self._state = State(
            token,
            bot_user,
            privacy_mode=privacy_mode,
            inline_mode=inline_mode,
            strict_ampersand=strict_ampersand,
        )
        self._dispatcher = Dispatcher(self._state)
        self._listener = Listener(self._dispatcher, host, port)
        self._user_ids = itertools.count(100_001)
        self._group_ids = itertools.count(1)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeBotApi:
        self._dispatcher.stopping.clear()
        self._listener.open()
        return self

    def stop(self) -> None:
        self._dispatcher.stopping.set()
        self._listener.close()

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop_listening(self) -> None:
        """Close the port and every open connection: clients get "connection refused"."""
        self._listener.close()

    def start_listening(self) -> None:
        """Listen again, on the same port."""
        self._listener.open()

    @property
    def url(self) -> str:
        if not self._listener.port:
            raise RuntimeError("FakeBotApi is not started")
        return f"http://{self._listener.host}:{self._listener.port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``."""
        return f"{self.url}/bot"

    @property
    def token(self) -> str:
        return self._state.token

    @property
    def bot_user(self) -> dict:
        """The bot's User object, as getMe returns it."""
        return copy.deepcopy(self._state.bot_user)

    # -- users and chats ---------------------------------------------------------------------

    def user(
        self,
        first_name: str = "Test",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        is_premium: bool | None = None,
        user_id: int | None = None,
    ) -> dict:
        user = {
            "id": user_id or next(self._user_ids),
            "is_bot": False,
            "first_name": first_name,
            "last_name": last_name,
            "username": username,
            "language_code": language_code,
            "is_premium": is_premium,
        }
        user = {k: v for k, v in user.items() if v is not None}
        with self._state.cond:
            self._state.users[user["id"]] = user
        return copy.deepcopy(user)

    def private_chat(self, user: dict) -> dict:
        keys = ("first_name", "last_name", "username")
        chat = {"id": user["id"], "type": "private", **{k: user[k] for k in keys if k in user}}
        return self._register_chat(chat)

    def group(self, title: str = "Test group") -> dict:
        chat = {"id": -(400_000_000 + next(self._group_ids)), "type": "group", "title": title}
        return self._register_chat(chat)

    def _register_chat(self, chat: dict) -> dict:
        with self._state.cond:
            self._state.chats[chat["id"]] = chat
        return copy.deepcopy(chat)

    # -- updates: acting as users ------------------------------------------------------------

    def send_message(
        self,
        chat: ChatRef,
        user: dict,
        text: str,
    ) -> dict:
        """The user writes ``text`` in ``chat``; returns the Update (queued unless filtered)."""
        with self._state.cond:
            target = self._state.chat(self._chat_id(chat))
            fields: dict[str, Any] = {"from": copy.deepcopy(user), "text": text}
            entities = auto_entities(text)
            if entities:
                fields["entities"] = entities
            message = self._state.new_message(target, **fields)
            return self._state.queue_update(
                {"message": copy.deepcopy(message)}, deliver=self._visible(target, message)
            )

    def push_update(self, update: dict) -> dict:
        """Queue any Update dict as is (update_id is added when missing)."""
        with self._state.cond:
            return self._state.queue_update(copy.deepcopy(update))

    def _visible(self, chat: dict, message: dict) -> bool:
        """Would Telegram deliver this group message to a bot in privacy mode?"""
        state = self._state
        if chat["type"] not in ("group", "supergroup") or not state.privacy_mode:
            return True
        bot_name = state.bot_user["username"].lower()
        text = message.get("text") or ""
        for entity in message.get("entities") or []:
            piece = _utf16_slice(text, entity["offset"], entity["length"])
            if entity["type"] == "bot_command" and entity["offset"] == 0:
                _, _, addressee = piece.partition("@")
                if not addressee or addressee.lower() == bot_name:
                    return True
            if entity["type"] == "mention" and piece[1:].lower() == bot_name:
                return True
        return False

    # -- faults ------------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int,
        *,
        times: int | None = 1,
        retry_after: int | None = None,
        description: str | None = None,
        after: bool = False,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` ("*" = any) with an HTTP error.

        429 gets ``parameters.retry_after`` (default 1); ``times=None`` means until cleared.
        ``after``: carry the call out first (a proxy's 5xx after Telegram took the message).
        """
        fault = Fault(
            "fail",
            times,
            status=status,
            retry_after=retry_after,
            description=description,
            after=after,
        )
        self._dispatcher.add_fault(method, fault)

    def delay(self, method: str, seconds: float, *, times: int | None = 1) -> None:
        """Hold the next ``times`` calls of ``method`` for ``seconds`` before handling them
        normally (the work is done even if the client gave up meanwhile, as on Telegram)."""
        self._dispatcher.add_fault(method, Fault("delay", times, seconds=seconds))

    def reset(self, method: str, *, times: int | None = 1, after: bool = False) -> None:
        """Drop the connection (TCP RST, no response) on the next ``times`` calls; ``after``:
        once the call has been carried out."""
        self._dispatcher.add_fault(method, Fault("reset", times, after=after))

    def clear_faults(self) -> None:
        self._dispatcher.clear_faults()
        self._dispatcher.chaos.clear()
        self._dispatcher.chat_delays.clear()

    def set_round_trip(self, seconds: float) -> None:
        """Every call takes `seconds` before it is carried out, as over a real network."""
        self._dispatcher.round_trip = seconds

    def chaos(
        self, method: str, mix: dict[str, float], *, seed: int = 1, hang_seconds: float = 3.0
    ) -> dict[str, int]:
        """Random faults on every call of `method` until cleared; `mix` maps each kind of
        fault (`CHAOS_KINDS`) to its probability. Returns the live count of faults drawn."""
        unknown = set(mix) - set(CHAOS_KINDS)
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}; known: {CHAOS_KINDS}")
        chaos = Chaos(dict(mix), random.Random(seed), hang_seconds)
        self._dispatcher.chaos[CANONICAL.get(method.lower(), method)] = chaos
        return chaos.drawn

    def slow_chat(self, chat: ChatRef, seconds: float) -> None:
        """Calls about `chat` take `seconds` longer (until cleared)."""
        self._dispatcher.chat_delays[self._chat_id(chat)] = seconds  # type: ignore[index]
