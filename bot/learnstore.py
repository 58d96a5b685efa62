"""What the learning loop keeps: recent questions behind the bot's replies, and candidate
phrasings that users confirmed by choosing a topic.

A question's text is kept with its reply for `PENDING_HOURS` only, so that a later tap on
that reply can say which topic the question meant; after that only the questions users
tied to a topic remain, as candidates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal, NamedTuple

from bot.sidedb import SideDatabase, utc_now
from bot.storage import normalise_text

PENDING_HOURS = 48
TEXT_LIMIT = 300
"""Characters kept of a question: a phrasing longer than that is no phrasing."""

Kind = Literal["suggest", "answer"]
Status = Literal["new", "accepted", "rejected"]

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS learn_pending (
        chat_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,  -- the bot's reply
        user_id INTEGER NOT NULL,  -- who asked
        kind TEXT NOT NULL,  -- 'suggest': topics offered; 'answer': one topic answered
        topic_id TEXT,  -- the topic answered
        lang TEXT NOT NULL,
        question TEXT NOT NULL,
        ts TEXT NOT NULL,
        PRIMARY KEY (chat_id, message_id)
    )""",
    """CREATE TABLE IF NOT EXISTS learn_candidates (
        id INTEGER PRIMARY KEY,
        topic_id TEXT NOT NULL,
        lang TEXT NOT NULL,
        question TEXT NOT NULL,
        folded TEXT NOT NULL,
        count INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'accepted', 'rejected')),
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        UNIQUE (topic_id, lang, folded)
    )""",
)


class Pending(NamedTuple):
    user_id: int
    kind: Kind
    topic_id: str | None
    lang: str
    question: str


class Candidate(NamedTuple):
    id: int
    topic_id: str
    lang: str
    question: str
    times: int
    """How many times users tied the question to the topic."""
    status: Status
    last_seen: str


class LearnStore:
    def __init__(self, path: Path | str) -> None:
        self.db = SideDatabase(path, SCHEMA)

    def remember(
        self,
        chat_id: int,
        message_id: int,
        user_id: int,
        kind: Kind,
        topic_id: str | None,
        lang: str,
        question: str,
    ) -> None:
        """Keep the question behind a reply; forget those older than PENDING_HOURS."""
        cutoff = datetime.now(UTC) - timedelta(hours=PENDING_HOURS)
        with self.db.transaction() as db:
            db.execute(
                "DELETE FROM learn_pending WHERE ts < ?", (cutoff.isoformat(timespec="seconds"),)
            )
            db.execute(
                "INSERT OR REPLACE INTO learn_pending "
                "(chat_id, message_id, user_id, kind, topic_id, lang, question, ts) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (chat_id, message_id, user_id, kind, topic_id, lang, question, utc_now()),
            )

    def pending(self, chat_id: int, message_id: int) -> Pending | None:
        rows = self.db.query(
            "SELECT user_id, kind, topic_id, lang, question FROM learn_pending "
            "WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return Pending(*rows[0]) if rows else None

    def add_candidate(self, question: str, topic_id: str, lang: str) -> None:
        """Count one more user who meant `topic_id` by `question`."""
        text = " ".join(question.split())[:TEXT_LIMIT]
        now = utc_now()
        with self.db.transaction() as db:
            db.execute(
                "INSERT INTO learn_candidates "
                "(topic_id, lang, question, folded, count, first_seen, last_seen) "
                "VALUES (?, ?, ?, ?, 1, ?, ?) "
                "ON CONFLICT (topic_id, lang, folded) DO UPDATE SET "
                "count = count + 1, last_seen = excluded.last_seen",
                (topic_id, lang, text, normalise_text(text), now, now),
            )

    def candidates(self, status: Status = "new", ids: Iterable[int] = ()) -> list[Candidate]:
        """Candidates in `status` (or those with `ids`, whatever their status), by topic, most
        frequent first."""
        wanted = list(ids)
        if wanted:
            where = f"id IN ({', '.join('?' * len(wanted))})"
            params: list[object] = [*wanted]
        else:
            where, params = "status = ?", [status]
        rows = self.db.query(
            "SELECT id, topic_id, lang, question, count, status, last_seen FROM learn_candidates "
            f"WHERE {where} ORDER BY topic_id, count DESC, last_seen DESC, id",
            params,
        )
        return [Candidate(*row) for row in rows]

    def set_status(self, ids: Iterable[int], status: Status) -> None:
        with self.db.transaction() as db:
            db.executemany(
                "UPDATE learn_candidates SET status = ? WHERE id = ?", [(status, i) for i in ids]
            )

    def close(self) -> None:
        self.db.close()
