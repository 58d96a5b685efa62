"""Handling updates concurrently across chats, one after another within a chat.

python-telegram-bot's `BaseUpdateProcessor` is the documented place for this. Its semaphore
(`max_concurrent_updates`) is taken before `do_process_update` is called, so it only bounds the
backlog; the bound on handlers running at once is taken *after* an update's turn in its chat
has come. That way a chat with a long queue (a flooding group, a slow chat) holds one running
slot at most and never delays the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Hashable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.handling import CURRENT, Handling
from bot.inbox import Inbox

log = logging.getLogger(__name__)

MAX_RUNNING = 64
"""Handlers running at once; Telegram takes about 30 messages a second, so this is plenty."""
MAX_BACKLOG = 100_000
"""Updates accepted for handling at once (queued behind their chat included)."""


def chat_key(update: object) -> Hashable:
    """What orders updates: their chat, else their user (inline mode), else nothing."""
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
        return ("update", update.update_id)
    return ("object", id(update))


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Different chats concurrently (at most `running` handlers at once), each chat's updates
    in the order they arrived. Every handled update is marked done in `inbox`."""

    def __init__(self, inbox: Inbox | None, running: int = MAX_RUNNING) -> None:
        super().__init__(MAX_BACKLOG)
        self.inbox = inbox
        self._limit = running
        self._running: asyncio.Semaphore | None = None
        self._tails: dict[Hashable, asyncio.Future[None]] = {}
        self.stopping = False
        """Set at shutdown: updates whose turn has not come stay in the inbox for next time."""

    async def initialize(self) -> None:
        self._running = asyncio.Semaphore(self._limit)
        self.stopping = False

    async def shutdown(self) -> None:
        self._tails.clear()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        previous = self._tails.get(key)
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[key] = turn
        try:
            if previous is not None:
                await asyncio.shield(previous)
            if self.stopping:
                _discard(coroutine)
                return
            await self._handle(update, coroutine)
        finally:
            turn.set_result(None)
            if self._tails.get(key) is turn:
                del self._tails[key]

    async def _handle(self, update: object, coroutine: Awaitable[Any]) -> None:
        assert self._running is not None, "initialize() first"
        handling = Handling(update.update_id) if isinstance(update, Update) else None
        async with self._running:
            token = CURRENT.set(handling)
            try:
                await coroutine
            finally:
                CURRENT.reset(token)
        if handling is not None and self.inbox is not None:
            await self.inbox.finish(handling)


def _discard(coroutine: Awaitable[Any]) -> None:
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()
