"""Storage against real SQLite files, and Database (the bot's way to it) when it fails."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.report import render_report
from bot.storage import (
    SCHEMA_VERSION,
    TEXT_LIMIT,
    Database,
    Stats,
    Storage,
    StorageError,
    TopicFeedback,
)


class Clock:
    """A clock that moves one minute per reading."""

    def __init__(self) -> None:
        self.now = datetime(2025, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def path(tmp_path):
    return tmp_path / "nested" / "faqbot.sqlite3"


@pytest.fixture
def storage(path):
    with Storage(path, clock=Clock()) as storage:
        yield storage


def raw(path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_creates_parent_directory_with_wal_and_schema_version(path, storage):
    assert path.is_file()
    with raw(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert storage._conn.execute("PRAGMA busy_timeout").fetchone() == (5000,)
    assert storage._conn.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL


def test_user_language_round_trip(storage):
    assert storage.get_user_lang(7) is None
    storage.set_user_lang(7, "ms")
    assert storage.get_user_lang(7) == "ms"
    storage.set_user_lang(7, None)
    assert storage.get_user_lang(7) is None
    with pytest.raises(ValueError):
        storage.set_user_lang(7, "fr")


def test_autoanswer_round_trip(storage):
    assert storage.get_autoanswer(-100) is False
    assert storage.get_autoanswer(-100, default=True) is True
    storage.set_autoanswer(-100, True)
    assert storage.get_autoanswer(-100) is True
    storage.set_autoanswer(-100, False)
    assert storage.get_autoanswer(-100, default=True) is False


def test_later_vote_replaces_earlier(storage):
    storage.record_feedback(1, "bpo-definition", 1)
    storage.record_feedback(1, "bpo-definition", -1)
    storage.record_feedback(2, "bpo-definition", -1)
    storage.record_feedback(2, "kpi", 1)
    assert storage.stats().feedback == (
        TopicFeedback("bpo-definition", 0, 2),
        TopicFeedback("kpi", 1, 0),
    )
    with pytest.raises(ValueError):
        storage.record_feedback(1, "kpi", 0)


def test_text_kept_only_for_unanswered_and_truncated(path, storage):
    storage.log_question(
        chat_type="private", lang="id", outcome="answer", topic_id="kpi", score=0.9, text="kpi?"
    )
    storage.log_question(chat_type="group", lang="en", outcome="suggest", score=0.5, text="hm")
    storage.log_question(chat_type="private", lang="en", outcome="smalltalk", text="hello")
    storage.log_question(chat_type="private", lang="en", outcome="none", text="x" * 5000)
    with raw(path) as conn:
        texts = conn.execute("SELECT outcome, text FROM questions ORDER BY id").fetchall()
    assert texts[:3] == [("answer", None), ("suggest", None), ("smalltalk", None)]
    assert texts[3] == ("none", "x" * TEXT_LIMIT)


def test_unanswered_grouped_by_normalised_text(storage):
    for text in ["Apa itu KPI?", "apa  itu\nkpi?", "gaji berapa", "APA ITU KPI?", "gaji berapa"]:
        storage.log_question(chat_type="private", lang="id", outcome="none", text=text)
    storage.log_question(chat_type="private", lang="en", outcome="smalltalk", text="hi")
    storage.log_question(chat_type="private", lang="id", outcome="answer", topic_id="kpi")

    groups = storage.unanswered_questions(limit=10)
    assert [(q.text, q.count) for q in groups] == [("apa itu kpi?", 3), ("gaji berapa", 2)]
    assert groups[0].last_seen < groups[1].last_seen
    assert [q.text for q in storage.unanswered_questions(limit=1)] == ["apa itu kpi?"]

    stats = storage.stats(top=10)
    assert (stats.total, stats.answered, stats.suggested, stats.unanswered) == (7, 1, 0, 5)
    assert stats.answer_rate == pytest.approx(1 / 6)
    assert stats.top_unanswered == tuple(groups)


def test_report_lists_groups_and_feedback(storage):
    for text in ["gaji berapa", "Apa itu KPI?", "apa itu kpi?"]:
        storage.log_question(chat_type="private", lang="id", outcome="none", text=text)
    storage.log_question(chat_type="private", lang="id", outcome="answer", topic_id="kpi")
    storage.record_feedback(1, "kpi", 1)
    storage.record_feedback(1, "bpo-types", -1)

    report = render_report(storage.stats())
    assert "Answer rate: 25.0% of 4 FAQ questions" in report
    lines = report.splitlines()
    kpi = next(i for i, line in enumerate(lines) if "2×  apa itu kpi?" in line)
    assert "1×  gaji berapa" in lines[kpi + 1]
    down = next(i for i, line in enumerate(lines) if line.endswith("bpo-types"))
    assert "👎 1" in lines[down] and lines[down + 1].endswith("kpi")


def test_report_without_data():
    report = render_report(Stats(outcomes={}, top_unanswered=(), feedback=()))
    assert "Answer rate: n/a" in report
    assert report.count("  none") == 2


def test_reopening_keeps_data(path):
    with Storage(path) as storage:
        storage.set_user_lang(1, "id")
        storage.set_autoanswer(-5, True)
        storage.log_question(chat_type="private", lang="id", outcome="none", text="gaji")
        storage.record_feedback(1, "kpi", -1)
    with Storage(path) as storage:
        assert storage.get_user_lang(1) == "id"
        assert storage.get_autoanswer(-5) is True
        stats = storage.stats()
        assert stats.unanswered == 1 and stats.feedback == (TopicFeedback("kpi", 0, 1),)


def test_newer_schema_is_refused(path):
    Storage(path).close()
    with raw(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StorageError, match="newer"):
        Storage(path)


def test_read_only_storage_reads_but_refuses_writes(path):
    with Storage(path) as storage:
        storage.set_user_lang(1, "en")
    with Storage(path, read_only=True) as storage:
        assert storage.get_user_lang(1) == "en"
        with pytest.raises(StorageError, match="readonly"):
            storage.set_user_lang(1, "id")


def test_read_only_needs_an_existing_database(tmp_path):
    with pytest.raises(StorageError, match="no database"):
        Storage(tmp_path / "missing.sqlite3", read_only=True)


def test_locked_database_raises(path):
    with Storage(path, timeout=0.05) as storage, raw(path) as other:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StorageError, match="locked"):
            storage.set_autoanswer(1, True)
        other.execute("ROLLBACK")
        storage.set_autoanswer(1, True)


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_deleted_or_replaced_file_makes_writes_fail(path, storage, how):
    if how == "deleted":
        path.unlink()
    else:
        other = path.with_name("other.sqlite3")
        Storage(other).close()
        other.replace(path)
    with pytest.raises(StorageError, match="deleted or replaced"):
        storage.log_question(chat_type="private", lang="en", outcome="answer")


def test_closed_storage_raises_storage_error(storage):
    storage.close()
    with pytest.raises(StorageError):
        storage.get_user_lang(1)


def lang_of(user_id: int):
    return lambda storage: storage.get_user_lang(user_id)


def set_lang(user_id: int, lang: str | None):
    return lambda storage: storage.set_user_lang(user_id, lang)


def test_database_reads_on_and_reports_each_lost_write_while_another_process_locks_it(path, caplog):
    async def scenario() -> None:
        database = Database(path)
        assert await database.write("language ms of user 1", set_lang(1, "ms"))
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process's long write transaction
        with caplog.at_level(logging.WARNING, logger="bot.storage"):
            assert await database.read(lang_of(1), None) == "ms"  # WAL: reads go on
            assert await database.write("language id of user 1", set_lang(1, "id")) is False
            on = await database.write(
                "auto-answer on in chat -1", lambda s: s.set_autoanswer(-1, True)
            )
            assert on is False
        other.execute("COMMIT")
        other.close()
        assert database.unsaved == 2
        assert database.available  # locked is not broken: the connection is kept
        database.close()

    asyncio.run(scenario())
    dropped = [r.getMessage() for r in caplog.records if "not saved" in r.getMessage()]
    assert len(dropped) == 2  # each write that was lost is reported, saying what it was
    assert "not saved (1 so far): language id of user 1" in dropped[0]
    assert "not saved (2 so far): auto-answer on in chat -1" in dropped[1]
    # The first write waited out the busy timeout and failed; the next, a moment later, did
    # not queue behind the lock again.
    assert sum("locked" in r.getMessage() for r in caplog.records) == 1


def test_database_on_an_unopenable_path(tmp_path, caplog):
    async def scenario() -> None:
        with caplog.at_level(logging.WARNING, logger="bot.storage"):
            database = Database(tmp_path)  # a directory, not a database file
        assert not database.available
        assert "cannot open" in caplog.text
        assert await database.read(lang_of(1), None) is None
        assert await database.read(lambda s: s.get_autoanswer(1), True) is True
        assert await database.write("language id of user 1", set_lang(1, "id")) is False
        assert await database.write("a vote", lambda s: s.record_feedback(1, "kpi", -1)) is False
        assert await database.read(lambda s: s.stats(), None) is None
        opening = [r for r in caplog.records if "cannot open" in r.getMessage()]
        assert len(opening) == 1  # no new attempt before retry_seconds
        assert sum("not saved" in r.getMessage() for r in caplog.records) == 2
        database.close()

    asyncio.run(scenario())


def test_database_raises_what_the_caller_got_wrong(path):
    async def scenario() -> None:
        database = Database(path)
        with pytest.raises(ValueError):
            await database.write("a vote", lambda s: s.record_feedback(1, "kpi", 2))
        assert database.unsaved == 0 and database.available
        database.close()

    asyncio.run(scenario())


def test_database_recovers_when_the_file_is_deleted(path, caplog):
    async def scenario() -> None:
        database = Database(path, retry_seconds=0)
        assert await database.write("language id of user 1", set_lang(1, "id"))
        path.unlink()
        with caplog.at_level(logging.WARNING, logger="bot.storage"):
            assert await database.write("language ms of user 2", set_lang(2, "ms")) is False
        assert "deleted or replaced" in caplog.text
        assert await database.write("language ms of user 2", set_lang(2, "ms")) is True
        assert await database.read(lang_of(2), None) == "ms"  # a fresh database, same path
        database.close()

    asyncio.run(scenario())


def test_database_round_trip(path):
    async def scenario() -> None:
        database = Database(path)
        assert database.available
        assert await database.write("on", lambda s: s.set_autoanswer(-3, True))
        assert await database.read(lambda s: s.get_autoanswer(-3), False)
        question = {"chat_type": "group", "lang": "ms", "outcome": "none", "text": "Gaji?"}
        assert await database.write("question", lambda s: s.log_question(**question))
        assert await database.write("vote", lambda s: s.record_feedback(4, "kpi", 1))
        stats = await database.read(lambda s: s.stats(), None)
        assert stats is not None and stats.unanswered == 1
        unanswered = await database.read(lambda s: s.unanswered_questions(), [])
        assert [(q.text, q.count) for q in unanswered] == [("gaji?", 1)]
        database.close()

    asyncio.run(scenario())
