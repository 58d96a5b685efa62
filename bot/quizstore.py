"""What quizzes keep: which poll asked which item in which chat, who answered it right, and
each chat's daily quiz time."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from bot.sidedb import SideDatabase, utc_now

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS quiz_polls (
        poll_id TEXT PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        item_key TEXT NOT NULL,
        correct INTEGER NOT NULL,
        lang TEXT NOT NULL,
        ts TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS quiz_answers (
        poll_id TEXT NOT NULL,
        user_id INTEGER NOT NULL,
        chat_id INTEGER NOT NULL,
        correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
        ts TEXT NOT NULL,
        PRIMARY KEY (poll_id, user_id)
    )""",
    "CREATE INDEX IF NOT EXISTS quiz_answers_chat ON quiz_answers (chat_id)",
    """CREATE TABLE IF NOT EXISTS quiz_players (
        chat_id INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        PRIMARY KEY (chat_id, user_id)
    )""",
    """CREATE TABLE IF NOT EXISTS quiz_schedules (
        chat_id INTEGER PRIMARY KEY,
        hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
        minute INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 59),
        utc_offset_minutes INTEGER NOT NULL,
        lang TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
)


class Score(NamedTuple):
    user_id: int
    name: str
    right: int
    answered: int


class Schedule(NamedTuple):
    chat_id: int
    hour: int
    minute: int
    utc_offset_minutes: int
    lang: str


class QuizStore:
    def __init__(self, path: Path | str) -> None:
        self.db = SideDatabase(path, SCHEMA)

    def record_poll(
        self, poll_id: str, chat_id: int, item_key: str, correct: int, lang: str
    ) -> None:
        with self.db.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO quiz_polls (poll_id, chat_id, item_key, correct, lang, ts) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (poll_id, chat_id, item_key, correct, lang, utc_now()),
            )

    def record_answer(
        self, poll_id: str, user_id: int, name: str, option_ids: Sequence[int]
    ) -> bool | None:
        """Score an answer to one of the bot's quizzes: whether it was right, None if the poll
        is not the bot's quiz. A quiz takes one answer per person; a repeat changes nothing."""
        with self.db.transaction() as db:
            row = db.execute(
                "SELECT chat_id, correct FROM quiz_polls WHERE poll_id = ?", (poll_id,)
            ).fetchone()
            if row is None:
                return None
            chat_id, correct = row
            right = list(option_ids) == [correct]
            db.execute(
                "INSERT OR IGNORE INTO quiz_answers (poll_id, user_id, chat_id, correct, ts) "
                "VALUES (?, ?, ?, ?, ?)",
                (poll_id, user_id, chat_id, int(right), utc_now()),
            )
            db.execute(
                "INSERT INTO quiz_players (chat_id, user_id, name) VALUES (?, ?, ?) "
                "ON CONFLICT (chat_id, user_id) DO UPDATE SET name = excluded.name",
                (chat_id, user_id, name),
            )
        return right

    def leaderboard(self, chat_id: int, top: int = 10) -> list[Score]:
        """Most right answers first, then fewest answers, then who got there first."""
        rows = self.db.query(
            "SELECT a.user_id, COALESCE(p.name, '?'), SUM(a.correct), COUNT(*), MAX(a.ts) "
            "FROM quiz_answers a LEFT JOIN quiz_players p "
            "ON p.chat_id = a.chat_id AND p.user_id = a.user_id "
            "WHERE a.chat_id = ? GROUP BY a.user_id "
            "ORDER BY SUM(a.correct) DESC, COUNT(*), MAX(a.ts) LIMIT ?",
            (chat_id, top),
        )
        return [Score(user_id, name, right, answered) for user_id, name, right, answered, _ in rows]

    def set_schedule(self, schedule: Schedule) -> None:
        with self.db.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO quiz_schedules "
                "(chat_id, hour, minute, utc_offset_minutes, lang, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (*schedule, utc_now()),
            )

    def clear_schedule(self, chat_id: int) -> None:
        with self.db.transaction() as db:
            db.execute("DELETE FROM quiz_schedules WHERE chat_id = ?", (chat_id,))

    def schedules(self) -> list[Schedule]:
        rows = self.db.query(
            "SELECT chat_id, hour, minute, utc_offset_minutes, lang FROM quiz_schedules"
        )
        return [Schedule(*row) for row in rows]

    def close(self) -> None:
        self.db.close()
