"""Tables of the learning loop and the quizzes, in the bot's SQLite file, on their own
connection.

`bot/storage.py` owns its tables and their migrations; these tables are created with
`CREATE TABLE IF NOT EXISTS` and never touch its schema version, so either side can change
without the other. Calls block: the bot makes them through `off_loop`, in a worker thread,
so a slow or locked database never holds up the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

BUSY_TIMEOUT = 0.25
"""Seconds a write waits for another writer before it fails (and is logged, not retried).
Short, as bot.storage's: a handler awaits it, and its chat's next update waits for that."""


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SideDatabase:
    """One connection to `path`, shared by threads under a lock, opened on first use."""

    def __init__(self, path: Path | str, schema: Sequence[str]) -> None:
        self.path = Path(path)
        self._schema = tuple(schema)
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            for statement in self._schema:
                conn.execute(statement)
        except BaseException:
            conn.close()
            raise
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The connection under the lock; a write transaction that commits on success."""
        with self._lock:
            if self._conn is None:
                self._conn = self._connect()
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.transaction() as conn:
            return conn.execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


BUSY_BACKOFF = 1.0
"""After a call found the database locked, calls give up at once for this long: queued one
behind another on the shared connection, each would otherwise wait BUSY_TIMEOUT in turn."""
_busy_until = 0.0


async def off_loop(what: str, default: T, call: Callable[[], T]) -> T:
    """`call()` in a worker thread; on a database failure, log it and return `default`."""
    global _busy_until
    if time.monotonic() < _busy_until:
        log.warning("%s: the database is locked, carrying on without it", what)
        return default
    try:
        return await asyncio.to_thread(call)
    except (sqlite3.Error, OSError) as error:
        if "locked" in str(error) or "busy" in str(error):
            _busy_until = time.monotonic() + BUSY_BACKOFF
        log.warning("%s: the database failed, carrying on without it: %s", what, error)
        return default
