"""What the fake server records about the bot's requests, for tests to read."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Call(NamedTuple):
    """One request that reached a known method (faulted ones included)."""

    method: str
    params: dict[str, Any]


class Rejection(NamedTuple):
    """A request Telegram would have refused (400 and other non-injected errors)."""

    method: str
    description: str


@dataclass(frozen=True)
class BotMessage:
    """A message the bot sent, as Telegram stored it after the call.

    ``text`` is what the user sees (HTML parsed away); ``raw_text`` is what the bot sent.
    """

    seq: int
    method: str
    chat_id: int | None
    message_id: int | None
    text: str | None
    raw_text: str | None
    parse_mode: str | None
    entities: list[dict]
    reply_markup: dict | None
    message: dict[str, Any] | None
    params: dict[str, Any] = field(repr=False)
    at: float = field(default_factory=time.monotonic, repr=False, compare=False)
    """time.monotonic() when the fake took it."""

    @property
    def buttons(self) -> list[dict]:
        """Inline keyboard buttons, row by row, flattened."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    @property
    def callback_data(self) -> list[str]:
        return [b["callback_data"] for b in self.buttons if "callback_data" in b]
