"""The durable inbox: no question is lost, none is answered twice.

An update is stored in SQLite before Telegram is told it arrived (in polling, before the next
getUpdates moves the offset past it; in webhook mode, before the 200). It is marked done once
handled, or as soon as its reply is about to go out (`claim`): after a crash, the updates not
done are handled again at start-up, and a reply that was on its way is never sent twice (it is
recorded as 'pending', i.e. possibly delivered). Telegram sending an update again is recognised
by its update_id.

If the database cannot take an update (locked, full, gone), the update is handled anyway,
without that guarantee, and the failure is logged and counted: answering comes first.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence

from telegram import Bot, Update

from bot.handling import PENDING, Handling
from bot.storage import Database

log = logging.getLogger(__name__)


class Inbox:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def admit(self, updates: Sequence[Update]) -> list[Update]:
        """Store `updates`; those to handle: the ones not seen before (all of them if the
        database could not take them)."""
        if not updates:
            return []
        pairs = [(u.update_id, json.dumps(u.to_dict(), ensure_ascii=False)) for u in updates]
        return await self._admit(updates, pairs)

    async def admit_json(self, data: dict[str, object], update: Update) -> bool:
        """Store one update as Telegram sent it (webhook); whether to handle it."""
        return bool(await self._admit([update], [(update.update_id, json.dumps(data))]))

    async def _admit(self, updates: Sequence[Update], pairs: list[tuple[int, str]]) -> list[Update]:
        fresh: list[int] = []
        ids = f"{pairs[0][0]}..{pairs[-1][0]}"
        saved = await self.database.write(
            f"updates {ids} in the inbox (handled without a crash guarantee)",
            lambda storage: fresh.extend(storage.store_updates(pairs)),
        )
        if not saved:
            return list(updates)
        new = set(fresh)
        repeated = len(updates) - len(new)
        if repeated:
            log.info("%d update(s) Telegram sent again were already in the inbox", repeated)
        return [update for update in updates if update.update_id in new]

    async def unfinished(self, bot: Bot) -> list[Update]:
        """Updates stored but not handled (the process stopped first), oldest first."""
        none: list[tuple[int, str]] = []
        rows = await self.database.read(lambda storage: storage.unfinished_updates(), none)
        updates = []
        for update_id, payload in rows:
            update = Update.de_json(json.loads(payload), bot)
            if update is not None:
                updates.append(update)
            else:
                await self.finish(Handling(update_id))
        return updates

    async def resume_offset(self) -> int | None:
        """The getUpdates offset that confirms every stored update."""
        last = await self.database.read(lambda storage: storage.last_update_id(), None)
        return None if last is None else last + 1

    async def claim(self, handling: Handling) -> None:
        """Just before the update's first reply is written: mark it done (its delivery
        'pending') with its questions logged, so that a restart never sends it twice."""
        if not handling.claimed:
            handling.claimed = True
            await self._done(handling, PENDING)

    async def finish(self, handling: Handling) -> None:
        """Once handled: done, with what became of its replies (and its questions, if no
        reply claimed it first)."""
        await self._done(handling, handling.delivery)

    async def _done(self, handling: Handling, delivery: str | None) -> None:
        update_id, questions = handling.update_id, tuple(handling.questions)
        handling.questions.clear()
        await self.database.write(
            f"update {update_id} as done"
            + (f" with {len(questions)} question record(s)" if questions else ""),
            lambda storage: storage.finish_update(update_id, delivery, questions),
        )

    async def forget_old(self) -> None:
        await self.database.write("clean-up of old updates", lambda s: s.forget_updates())
