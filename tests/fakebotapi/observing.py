"""The observing half of ``FakeBotApi``: records of what the bot did, and waits for it.

The ``wait_*`` methods block the calling thread; from a coroutine running on the bot's own
event loop use the ``*_async`` variants, which poll without blocking the loop.
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Callable
from typing import Any, TypeVar

from .methods import CANONICAL
from .records import BotMessage, Call, Rejection
from .state import State

T = TypeVar("T")
ChatRef = dict | int


class WaitTimeout(AssertionError):
    """A ``wait_*`` helper gave up; the message says what the bot did meanwhile."""


class Observing:
    """Read-only views on the fake server's records, and waits on them."""

    _state: State

    def _chat_id(self, chat: ChatRef) -> int:
        return chat if isinstance(chat, int) else chat["id"]

    # -- reading what the bot did ------------------------------------------------------------

    def _snapshot(self, items: list[T]) -> list[T]:
        with self._state.cond:
            return copy.deepcopy(items)

    @property
    def calls(self) -> list[Call]:
        """Every request to a known method, in order: (method, decoded params)."""
        return self._snapshot(self._state.calls)

    @property
    def rejections(self) -> list[Rejection]:
        """Requests Telegram would have refused: (method, description). Should stay empty."""
        return self._snapshot(self._state.rejections)

    @property
    def conflicts(self) -> list[Rejection]:
        """getUpdates requests ended by a newer getUpdates (409), kept apart from rejections."""
        return self._snapshot(self._state.conflicts)

    @property
    def filtered_updates(self) -> list[dict]:
        """Updates that privacy mode kept from the bot."""
        return self._snapshot(self._state.filtered_updates)

    @property
    def pending_updates(self) -> list[dict]:
        """Queued updates not yet confirmed by the bot (delivered or not)."""
        return self._snapshot(self._state.updates)

    @property
    def webhook_url(self) -> str:
        return self._state.webhook_url

    def calls_to(self, method: str) -> list[dict]:
        """The params of every call to ``method``."""
        name = CANONICAL.get(method.lower(), method)
        return [c.params for c in self.calls if c.method == name]

    def sent_messages(
        self,
        chat_id: ChatRef | None = None,
        *,
        after: Any = None,
    ) -> list[BotMessage]:
        """Messages the bot sent, oldest first.

        ``after`` keeps only those recorded after an Update returned by a send/press helper,
        a BotMessage, or a ``seq`` number.
        """
        with self._state.cond:
            mark = self._mark(after)
            wanted = None if chat_id is None else self._chat_id(chat_id)
            return [
                m
                for m in self._state.events
                if m.seq > mark and (wanted is None or m.chat_id == wanted)
            ]

    def clear_records(self) -> None:
        """Forget calls, rejections and sent-message records (not chats or messages)."""
        state = self._state
        with state.cond:
            for records in (
                state.events,
                state.calls,
                state.rejections,
                state.conflicts,
                state.filtered_updates,
            ):
                records.clear()

    def _mark(self, after: Any) -> int:
        if after is None:
            return 0
        if isinstance(after, BotMessage):
            return after.seq
        if isinstance(after, dict):
            return self._state.update_seq[after["update_id"]]
        return int(after)

    # -- waiting -----------------------------------------------------------------------------

    def _wait(self, predicate: Callable[[], T], timeout: float, what: str) -> T:
        deadline = time.monotonic() + timeout
        with self._state.cond:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise WaitTimeout(self._timeout_message(timeout, what))
                self._state.cond.wait(min(remaining, 0.1))

    async def _await(self, predicate: Callable[[], T], timeout: float, what: str) -> T:
        deadline = time.monotonic() + timeout
        while True:
            with self._state.cond:
                value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise WaitTimeout(self._timeout_message(timeout, what))
            await asyncio.sleep(0.01)

    def _timeout_message(self, timeout: float, what: str) -> str:
        with self._state.cond:
            calls = [c.method for c in self._state.calls[-10:]]
            sent = [(m.method, m.chat_id, (m.text or "")[:60]) for m in self._state.events[-5:]]
            return (
                f"timed out after {timeout}s waiting for {what}; last calls: {calls}; "
                f"last messages: {sent}; rejections: {self._state.rejections}; "
                f"pending updates: {len(self._state.updates)}"
            )

    def _count_predicate(self, predicate_or_count: Callable[[], T] | int) -> Callable[[], Any]:
        if not isinstance(predicate_or_count, int):
            return predicate_or_count
        count = predicate_or_count
        return lambda: (sent := self.sent_messages()) and len(sent) >= count and sent

    def wait_for(self, predicate_or_count: Callable[[], T] | int, timeout: float = 10.0) -> Any:
        """Wait until ``predicate()`` is truthy (returns it), or until the bot has sent at
        least ``n`` messages in all (returns them)."""
        what = f"predicate {predicate_or_count!r}"
        return self._wait(self._count_predicate(predicate_or_count), timeout, what)

    async def wait_for_async(
        self, predicate_or_count: Callable[[], T] | int, timeout: float = 10.0
    ) -> Any:
        what = f"predicate {predicate_or_count!r}"
        return await self._await(self._count_predicate(predicate_or_count), timeout, what)

    def _messages_predicate(
        self, chat_id: ChatRef, n: int, after: Any
    ) -> Callable[[], list[BotMessage] | None]:
        def found() -> list[BotMessage] | None:
            sent = self.sent_messages(chat_id, after=after)
            return sent if len(sent) >= n else None

        return found

    def wait_for_messages(
        self,
        chat_id: ChatRef,
        n: int = 1,
        *,
        timeout: float = 10.0,
        after: Any = None,
    ) -> list[BotMessage]:
        """Wait until the bot has sent ``n`` messages to the chat (``after`` a mark); return
        all of them."""
        what = f"{n} message(s) to chat {self._chat_id(chat_id)}"
        predicate = self._messages_predicate(chat_id, n, after)
        return self._wait(predicate, timeout, what)  # type: ignore[return-value]

    async def wait_for_messages_async(
        self,
        chat_id: ChatRef,
        n: int = 1,
        *,
        timeout: float = 10.0,
        after: Any = None,
    ) -> list[BotMessage]:
        what = f"{n} message(s) to chat {self._chat_id(chat_id)}"
        predicate = self._messages_predicate(chat_id, n, after)
        return await self._await(predicate, timeout, what)  # type: ignore[return-value]

    def wait_for_reply(self, update: dict, *, timeout: float = 10.0) -> BotMessage:
        """The first message the bot sent to the update's chat after the update was queued."""
        chat = update["message"]["chat"]["id"]
        return self.wait_for_messages(chat, timeout=timeout, after=update)[0]

    async def wait_for_reply_async(self, update: dict, *, timeout: float = 10.0) -> BotMessage:
        chat = update["message"]["chat"]["id"]
        return (await self.wait_for_messages_async(chat, timeout=timeout, after=update))[0]

    def _call_predicate(
        self, method: str, predicate: Callable[[dict], bool] | None, since: int
    ) -> Callable[[], Call | None]:
        name = CANONICAL.get(method.lower(), method)

        def found() -> Call | None:
            for call in self._state.calls[since:]:
                if call.method == name and (predicate is None or predicate(call.params)):
                    return copy.deepcopy(call)
            return None

        return found

    def wait_for_call(
        self,
        method: str,
        predicate: Callable[[dict], bool] | None = None,
        *,
        timeout: float = 10.0,
        since: int = 0,
    ) -> Call:
        """The first call to ``method`` (from index ``since`` of ``calls``) whose params
        satisfy ``predicate``."""
        return self._wait(self._call_predicate(method, predicate, since), timeout, method)  # type: ignore[return-value]

    async def wait_for_call_async(
        self,
        method: str,
        predicate: Callable[[dict], bool] | None = None,
        *,
        timeout: float = 10.0,
        since: int = 0,
    ) -> Call:
        predicate_fn = self._call_predicate(method, predicate, since)
        return await self._await(predicate_fn, timeout, method)  # type: ignore[return-value]
