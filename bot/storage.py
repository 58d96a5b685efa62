"""SQLite storage: users' language choices, group settings, the question log and feedback.

`Storage` raises `StorageError` whenever the database fails. The bot reaches it only through
`Database`, which runs each call off the event loop, logs a failure and serves a default
instead, so answering never depends on the database.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple, TypeVar

from faq.model import LANGS

log = logging.getLogger(__name__)

TEXT_LIMIT = 1000
"""Characters kept of an unanswered question; other questions keep no text at all."""

UNANSWERED = "none"
"""The outcome of a question the FAQ has no answer for."""

_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE users (
            user_id INTEGER PRIMARY KEY,
            lang TEXT,  -- NULL: reply in the language of each message
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE chats (
            chat_id INTEGER PRIMARY KEY,
            autoanswer INTEGER NOT NULL CHECK (autoanswer IN (0, 1)),
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            ts TEXT NOT NULL,
            chat_type TEXT NOT NULL,
            lang TEXT NOT NULL,
            outcome TEXT NOT NULL,  -- 'answer', 'suggest', 'none', 'smalltalk', ...
            topic_id TEXT,
            score REAL NOT NULL,
            text TEXT  -- kept only for outcome 'none'
        )""",
        "CREATE INDEX questions_outcome ON questions (outcome)",
        """CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            ts TEXT NOT NULL,
            user_id INTEGER NOT NULL,
            topic_id TEXT NOT NULL,
            vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
            UNIQUE (user_id, topic_id)
        )""",
    ),
    (
        # The durable inbox: an update is stored before Telegram is told it arrived, and is
        # done once handled. `delivery` says what became of its reply: 'pending' while it
        # is being sent (a crash there leaves it so: possibly delivered, never sent again),
        # 'sent', 'maybe' (sent, but the response was lost) or 'failed' (surely not sent).
        """CREATE TABLE inbox (
            update_id INTEGER PRIMARY KEY,
            payload TEXT NOT NULL,
            received_at TEXT NOT NULL,
            done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
            delivery TEXT
        )""",
        "CREATE INDEX inbox_unfinished ON inbox (done, update_id)",
        "ALTER TABLE questions ADD COLUMN update_id INTEGER",
    ),
)
SCHEMA_VERSION = len(_MIGRATIONS)

T = TypeVar("T")

BUSY_TIMEOUT = 0.25
"""Seconds the bot waits for a database another process has locked: a write that cannot
be made by then is logged as not saved, and the bot answers on."""
BUSY_BACKOFF = 1.0
"""Seconds writes are given up at once after one found the database locked, so that a long
lock costs each write nothing rather than BUSY_TIMEOUT one after another."""


INBOX_KEEP = 10_000
"""Handled updates kept in the inbox, to recognise an update Telegram sends again."""


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


class StorageError(Exception):
    """The database could not be opened, read or written."""


def normalise_text(text: str) -> str:
    """The form unanswered questions are grouped by: case-folded, single spaces."""
    return " ".join(text.casefold().split())


def _check_lang(lang: str | None) -> None:
    if lang is not None and lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")


def _check_vote(vote: int) -> None:
    if vote not in (1, -1):
        raise ValueError(f"a vote is +1 or -1, not {vote!r}")


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Question:
    """One question for the log; `text` is kept only when unanswered (`UNANSWERED`)."""

    chat_type: str
    lang: str
    outcome: str
    topic_id: str | None = None
    score: float = 0.0
    text: str | None = None


class UnansweredQuestion(NamedTuple):
    text: str
    """Case- and space-normalised (`normalise_text`)."""
    count: int  # type: ignore[assignment]  # shadows tuple.count, on purpose
    last_seen: datetime


class TopicFeedback(NamedTuple):
    topic_id: str
    up: int
    down: int


@dataclass(frozen=True)
class Stats:
    """What the question log and the feedback say, for `faqbot report` and /stats."""

    outcomes: Mapping[str, int]
    """Logged questions per outcome, small talk and the like included."""
    top_unanswered: tuple[UnansweredQuestion, ...]
    """Most frequent first."""
    feedback: tuple[TopicFeedback, ...]
    """Most downvoted first, then most upvoted, then by topic id."""

    @property
    def total(self) -> int:
        return sum(self.outcomes.values())

    @property
    def answered(self) -> int:
        return self.outcomes.get("answer", 0)

    @property
    def suggested(self) -> int:
        return self.outcomes.get("suggest", 0)

    @property
    def unanswered(self) -> int:
        return self.outcomes.get(UNANSWERED, 0)

    @property
    def faq_questions(self) -> int:
        """Questions answered, suggested or unanswered: small talk and the like left out."""
        return self.answered + self.suggested + self.unanswered

    @property
    def answer_rate(self) -> float | None:
        """Share of FAQ questions given an answer, None before the first one."""
        return self.answered / self.faq_questions if self.faq_questions else None


class Storage:
    """One SQLite connection, shared by threads under a lock; every write commits at once.

    `read_only` opens an existing database without changing it (for `faqbot report`).
    """

    def __init__(
        self,
        path: Path | str,
        *,
        read_only: bool = False,
        timeout: float = 5.0,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.path = Path(path)
        self._clock = clock
        self._lock = threading.Lock()
        try:
            self._conn = self._connect(read_only, timeout)
            self._identity = self._file_identity()
        except (sqlite3.Error, OSError) as error:
            raise StorageError(f"cannot open the database {self.path}: {error}") from error

    def _connect(self, read_only: bool, timeout: float) -> sqlite3.Connection:
        if read_only:
            if not self.path.is_file():
                raise StorageError(f"no database at {self.path}")
            target, uri = f"{self.path.resolve().as_uri()}?mode=ro", True
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            target, uri = str(self.path), False
        conn = sqlite3.connect(
            target, uri=uri, timeout=timeout, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {round(timeout * 1000)}")
            conn.create_function("normalise_text", 1, normalise_text, deterministic=True)
            if read_only:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version != SCHEMA_VERSION:
                    raise StorageError(
                        f"{self.path} has schema version {version}, not {SCHEMA_VERSION}: "
                        "run the bot on it once to create or upgrade it"
                    )
            else:
                journal = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if journal != "wal":
                    log.warning("%s: WAL mode unavailable, journal mode is %s", self.path, journal)
                conn.execute("PRAGMA synchronous = NORMAL")
                self._migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StorageError(
                f"{self.path} has schema version {version}, newer than this faqbot's "
                f"{SCHEMA_VERSION}"
            )
        if version == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated between the check and the lock.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for statements in _MIGRATIONS[version:]:
                for statement in statements:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _file_identity(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return None
        return stat.st_dev, stat.st_ino

    @contextmanager
    def _db(self, action: str, write: bool = False) -> Iterator[sqlite3.Connection]:
        """The connection, under the lock, with failures turned into `StorageError`."""
        with self._lock:
            try:
                # Writes to a deleted or replaced file would succeed into the void.
                if write and self._file_identity() != self._identity:
                    raise StorageError(
                        f"cannot {action}: {self.path} was deleted or replaced while open"
                    )
                yield self._conn
            except (sqlite3.Error, OSError) as error:
                raise StorageError(f"cannot {action} in {self.path}: {error}") from error

    def _now(self) -> str:
        return self._clock().isoformat(timespec="seconds")

    def get_user_lang(self, user_id: int) -> str | None:
        """The user's chosen reply language, or None for automatic."""
        with self._db("read a user's language") as db:
            row = db.execute("SELECT lang FROM users WHERE user_id = ?", (user_id,)).fetchone()
        return row[0] if row else None

    def set_user_lang(self, user_id: int, lang: str | None) -> None:
        """Choose the user's reply language; None goes back to automatic."""
        _check_lang(lang)
        with self._db("save a user's language", write=True) as db:
            db.execute(
                "INSERT INTO users (user_id, lang, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET "
                "lang = excluded.lang, updated_at = excluded.updated_at",
                (user_id, lang, self._now()),
            )

    def get_autoanswer(self, chat_id: int, default: bool = False) -> bool:
        """Whether the bot answers every question in the group, `default` if never set."""
        with self._db("read a chat's setting") as db:
            row = db.execute(
                "SELECT autoanswer FROM chats WHERE chat_id = ?", (chat_id,)
            ).fetchone()
        return bool(row[0]) if row else default

    def set_autoanswer(self, chat_id: int, on: bool) -> None:
        with self._db("save a chat's setting", write=True) as db:
            db.execute(
                "INSERT INTO chats (chat_id, autoanswer, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (chat_id) DO UPDATE SET "
                "autoanswer = excluded.autoanswer, updated_at = excluded.updated_at",
                (chat_id, int(on), self._now()),
            )

    def log_question(
        self,
        *,
        chat_type: str,
        lang: str,
        outcome: str,
        topic_id: str | None = None,
        score: float = 0.0,
        text: str | None = None,
    ) -> None:
        """Log one question; its text is kept only when unanswered, to improve the FAQ."""
        with self._db("log a question", write=True) as db:
            self._insert_question(db, Question(chat_type, lang, outcome, topic_id, score, text))

    def _insert_question(
        self, db: sqlite3.Connection, question: Question, update_id: int | None = None
    ) -> None:
        kept = None
        if question.outcome == UNANSWERED and question.text:
            kept = " ".join(question.text.split())[:TEXT_LIMIT] or None
        db.execute(
            "INSERT INTO questions "
            "(ts, chat_type, lang, outcome, topic_id, score, text, update_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self._now(),
                question.chat_type,
                question.lang,
                question.outcome,
                question.topic_id,
                question.score,
                kept,
                update_id,
            ),
        )

    def store_updates(self, updates: Sequence[tuple[int, str]]) -> list[int]:
        """Store (update_id, JSON) pairs in the inbox; the ids that were not there before."""
        now = self._now()
        fresh = []
        with self._db("store updates", write=True) as db, _transaction(db):
            for update_id, payload in updates:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO inbox (update_id, payload, received_at) "
                    "VALUES (?, ?, ?)",
                    (update_id, payload, now),
                )
                if cursor.rowcount:
                    fresh.append(update_id)
        return fresh

    def unfinished_updates(self) -> list[tuple[int, str]]:
        """(update_id, JSON) of stored updates not handled yet, oldest first."""
        with self._db("read unfinished updates") as db:
            rows = db.execute(
                "SELECT update_id, payload FROM inbox WHERE done = 0 ORDER BY update_id"
            ).fetchall()
        return [(int(update_id), str(payload)) for update_id, payload in rows]

    def last_update_id(self) -> int | None:
        """The highest update_id ever stored: polling resumes after it."""
        with self._db("read the last update id") as db:
            row = db.execute("SELECT MAX(update_id) FROM inbox").fetchone()
        return None if row[0] is None else int(row[0])

    def finish_update(
        self, update_id: int, delivery: str | None = None, questions: Sequence[Question] = ()
    ) -> None:
        """Mark an update done, and log its `questions`, in one transaction: a restart will
        neither answer it again nor log it twice. `delivery` (when given) replaces what became
        of its reply."""
        with self._db("mark an update done", write=True) as db, _transaction(db):
            for question in questions:
                self._insert_question(db, question, update_id)
            db.execute(
                "UPDATE inbox SET done = 1, delivery = COALESCE(?, delivery) WHERE update_id = ?",
                (delivery, update_id),
            )

    def forget_updates(self, keep: int = INBOX_KEEP) -> None:
        """Delete handled updates but the last `keep` (enough to recognise redeliveries)."""
        with self._db("forget old updates", write=True) as db:
            db.execute(
                "DELETE FROM inbox WHERE done = 1 AND update_id < "
                "(SELECT MAX(update_id) FROM inbox) - ?",
                (keep,),
            )

    def deliveries(self) -> dict[str, int]:
        """How many handled updates' replies were sent, possibly sent, failed or pending."""
        with self._db("read deliveries") as db:
            rows = db.execute(
                "SELECT delivery, COUNT(*) FROM inbox WHERE delivery IS NOT NULL GROUP BY delivery"
            ).fetchall()
        return {str(delivery): int(count) for delivery, count in rows}

    def record_feedback(self, user_id: int, topic_id: str, vote: int) -> None:
        """Record a 👍 (+1) or 👎 (-1) on a topic; it replaces the user's earlier vote on it."""
        _check_vote(vote)
        with self._db("record feedback", write=True) as db:
            db.execute(
                "INSERT INTO feedback (ts, user_id, topic_id, vote) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (user_id, topic_id) DO UPDATE SET "
                "vote = excluded.vote, ts = excluded.ts",
                (self._now(), user_id, topic_id, vote),
            )

    def unanswered_questions(self, limit: int = 50) -> list[UnansweredQuestion]:
        """Unanswered questions grouped by normalised text, most frequent first."""
        with self._db("read unanswered questions") as db:
            rows = db.execute(
                "SELECT normalise_text(text) AS question, COUNT(*) AS n, MAX(ts) AS last "
                "FROM questions WHERE outcome = ? AND text IS NOT NULL "
                "GROUP BY question ORDER BY n DESC, last DESC, question LIMIT ?",
                (UNANSWERED, limit),
            ).fetchall()
        return [UnansweredQuestion(text, n, datetime.fromisoformat(last)) for text, n, last in rows]

    def unanswered_by_language(self, limit: int = 1000) -> list[tuple[str, str, int]]:
        """(normalised question, language, count) of unanswered questions, most frequent first
        (for grouping them into candidate new topics)."""
        with self._db("read unanswered questions") as db:
            rows = db.execute(
                "SELECT normalise_text(text) AS question, lang, COUNT(*) AS n FROM questions "
                "WHERE outcome = ? AND text IS NOT NULL "
                "GROUP BY question, lang ORDER BY n DESC, question LIMIT ?",
                (UNANSWERED, limit),
            ).fetchall()
        return [(text, lang, n) for text, lang, n in rows]

    def stats(self, top: int = 10) -> Stats:
        """Totals, the `top` most frequent unanswered questions and the feedback per topic."""
        with self._db("read statistics") as db:
            outcomes = dict(
                db.execute("SELECT outcome, COUNT(*) FROM questions GROUP BY outcome").fetchall()
            )
            feedback = db.execute(
                "SELECT topic_id, SUM(vote > 0) AS up, SUM(vote < 0) AS down FROM feedback "
                "GROUP BY topic_id ORDER BY down DESC, up DESC, topic_id"
            ).fetchall()
        return Stats(
            outcomes=outcomes,
            top_unanswered=tuple(self.unanswered_questions(top)),
            feedback=tuple(TopicFeedback(*row) for row in feedback),
        )

    def close(self) -> None:
        with self._db("close the database"):
            self._conn.close()

    def __enter__(self) -> Storage:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class Database:
    """`Storage` for the bot, off the event loop: every call, the handlers' and the inbox's,
    goes through `read` or `write` and runs on one worker thread, so a locked or slow database
    never holds up answers. A failure is logged and a default served; each write that could
    not be saved is logged saying what it was, and counted (`unsaved`).

        lang = await database.read(lambda storage: storage.get_user_lang(user_id), None)

    After a failure the next call opens the database again (no more often than every
    `retry_seconds` while opening fails), so the bot recovers when the database comes back.
    """

    def __init__(
        self, path: Path | str, *, timeout: float = BUSY_TIMEOUT, retry_seconds: float = 60.0
    ) -> None:
        self.path = Path(path)
        self._timeout = timeout
        self._retry_seconds = retry_seconds
        self._storage: Storage | None = None
        self._next_open = 0.0
        self._closed = False
        self._busy_until = 0.0
        self.unsaved = 0
        """Writes that could not be saved since start-up."""
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="database")
        self._worker.submit(self._open).result()  # now: a broken database shows at start-up

    @property
    def available(self) -> bool:
        """Whether the database is open (the last attempt to use it succeeded)."""
        return self._storage is not None

    def _open(self) -> Storage | None:
        if self._storage is None and not self._closed and time.monotonic() >= self._next_open:
            try:
                self._storage = Storage(self.path, timeout=self._timeout)
            except StorageError as error:
                self._next_open = time.monotonic() + self._retry_seconds
                log.warning("carrying on without the database: %s", error)
        return self._storage

    def _run(self, operation: Callable[[Storage], T], write: bool) -> tuple[bool, T | None]:
        if write and time.monotonic() < self._busy_until:
            return False, None  # locked a moment ago: do not queue every write behind it
        storage = self._open()
        if storage is None:
            return False, None
        try:
            return True, operation(storage)
        except StorageError as error:
            log.warning("carrying on without the database: %s", error)
            if "locked" in str(error) or "busy" in str(error):
                self._busy_until = time.monotonic() + BUSY_BACKOFF
            else:
                self._storage = None  # broken, not just busy: open it afresh next time
                with suppress(StorageError):
                    storage.close()
            return False, None

    async def read(self, operation: Callable[[Storage], T], default: T) -> T:
        """`operation(storage)` on the worker thread, or `default` if the database failed."""
        done, result = await asyncio.wrap_future(self._worker.submit(self._run, operation, False))
        return result if done else default  # type: ignore[return-value]

    async def write(self, what: str, operation: Callable[[Storage], object]) -> bool:
        """Run a write on the worker thread; whether it was saved (if not, it is logged)."""
        done, _ = await asyncio.wrap_future(self._worker.submit(self._run, operation, True))
        if not done:
            self.unsaved += 1
            log.warning("not saved (%d so far): %s", self.unsaved, what)
        return done

    def close(self) -> None:
        """Finish the writes in hand, then close the database."""

        def close() -> None:
            self._closed = True
            if self._storage is not None:
                with suppress(StorageError):
                    self._storage.close()
                self._storage = None

        with suppress(RuntimeError):  # closed twice
            self._worker.submit(close).result()
        self._worker.shutdown()
