"""The update processor in-process: chats concurrently, each chat in order, the inbox kept."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from telegram import Update

from bot.inbox import Inbox
from bot.processor import ChatOrderedProcessor
from bot.storage import Database, Storage


def update(update_id: int, chat_id: int) -> Update:
    data = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "U"},
            "text": "hi",
        },
    }
    parsed = Update.de_json(data, None)
    assert parsed is not None
    return parsed


async def run_all(processor: ChatOrderedProcessor, jobs: list[tuple[Update, object]]) -> None:
    """As python-telegram-bot does: one task per update, created in arrival order."""
    tasks = [
        asyncio.create_task(processor.process_update(u, job))  # type: ignore[arg-type]
        for u, job in jobs
    ]
    await asyncio.gather(*tasks)


def test_each_chat_in_order_and_chats_concurrently() -> None:
    async def scenario() -> tuple[list[tuple[int, int]], float]:
        processor = ChatOrderedProcessor(None, running=8)
        await processor.initialize()
        done: list[tuple[int, int]] = []

        async def handle(chat: int, n: int, seconds: float) -> None:
            await asyncio.sleep(seconds)
            done.append((chat, n))

        jobs = []
        for n in range(5):
            for chat in (1, 2, 3):
                # Later updates are quicker: a processor without per-chat order reorders them.
                jobs.append((update(len(jobs) + 1, chat), handle(chat, n, 0.05 * (5 - n))))
        loop = asyncio.get_running_loop()
        start = loop.time()
        await run_all(processor, jobs)
        return done, loop.time() - start

    done, elapsed = asyncio.run(scenario())
    for chat in (1, 2, 3):
        assert [n for c, n in done if c == chat] == [0, 1, 2, 3, 4]
    # One chat's five updates take 0.75 s one after another; three chats one after another
    # would take 2.25 s.
    assert elapsed < 2.0


def test_a_long_queue_in_one_chat_holds_one_running_slot() -> None:
    async def scenario() -> list[int]:
        processor = ChatOrderedProcessor(None, running=2)
        await processor.initialize()
        release = asyncio.Event()
        finished: list[int] = []

        async def blocked(n: int) -> None:
            await release.wait()
            finished.append(n)

        async def quick(n: int) -> None:
            finished.append(n)

        jobs: list[tuple[Update, object]] = [(update(n, 1), blocked(n)) for n in range(1, 11)]
        jobs.append((update(11, 2), quick(11)))
        jobs.append((update(12, 3), quick(12)))
        tasks = [asyncio.create_task(processor.process_update(u, j)) for u, j in jobs]  # type: ignore[arg-type]
        await asyncio.wait_for(asyncio.gather(*tasks[-2:]), timeout=2)
        seen = list(finished)
        release.set()
        await asyncio.gather(*tasks)
        return seen

    assert asyncio.run(scenario()) == [11, 12]


def test_handled_updates_are_done_and_queued_ones_wait_for_the_next_start(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"

    async def scenario() -> None:
        database = Database(path)
        inbox = Inbox(database)
        processor = ChatOrderedProcessor(inbox, running=4)
        await processor.initialize()
        updates = [update(n, 7) for n in range(1, 5)]
        assert await inbox.admit(updates) == updates
        assert await inbox.admit(updates[:2]) == []  # sent again by Telegram: recognised
        gate = asyncio.Event()

        async def first() -> None:
            await gate.wait()

        async def never() -> None:
            raise AssertionError("handled after shutdown began")

        tasks = [asyncio.create_task(processor.process_update(updates[0], first()))]
        tasks += [asyncio.create_task(processor.process_update(u, never())) for u in updates[1:]]
        await asyncio.sleep(0.05)
        processor.stopping = True  # SIGTERM: the update in hand finishes, the rest wait
        gate.set()
        await asyncio.gather(*tasks)
        assert await inbox.resume_offset() == 5
        database.close()

    asyncio.run(scenario())
    with Storage(path) as storage:
        assert [u for u, _ in storage.unfinished_updates()] == [2, 3, 4]
        assert json.loads(storage.unfinished_updates()[0][1])["update_id"] == 2
