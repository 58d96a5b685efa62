"""Storage against real SQLite files, and SafeStorage when the database fails."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.report import render_report
from bot.storage import (
    SCHEMA_VERSION,
    TEXT_LIMIT,
    SafeStorage,
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


def test_safe_storage_serves_defaults_on_a_read_only_database(path, caplog):
    with Storage(path) as storage:
        storage.set_user_lang(1, "ms")
    safe = SafeStorage(path, read_only=True)
    with caplog.at_level(logging.WARNING, logger="bot.storage"):
        assert safe.get_user_lang(1) == "ms"
        assert safe.set_user_lang(1, "id") is False
        assert safe.set_autoanswer(-1, True) is False
        assert safe.log_question(chat_type="private", lang="en", outcome="none", text="q") is False
        assert safe.record_feedback(1, "kpi", 1) is False
    dropped = [r.getMessage() for r in caplog.records if "not saved" in r.getMessage()]
    assert len(dropped) == 4  # each write that was lost is reported, saying what it was
    assert any("question (en, none" in message for message in dropped)
    assert sum("readonly" in record.getMessage() for record in caplog.records) == 4
    assert safe.get_user_lang(1) == "ms"  # reopened after the failures
    safe.close()


def test_safe_storage_on_an_unopenable_path(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="bot.storage"):
        safe = SafeStorage(tmp_path)  # a directory, not a database file
    assert not safe.available
    assert "cannot open" in caplog.text
    assert safe.get_user_lang(1) is None
    assert safe.get_autoanswer(1, default=True) is True
    assert safe.set_user_lang(1, "id") is False
    assert safe.log_question(chat_type="private", lang="en", outcome="none") is False
    assert safe.record_feedback(1, "kpi", -1) is False
    assert safe.unanswered_questions(5) == []
    assert safe.stats() is None
    opening = [r for r in caplog.records if "cannot open" in r.getMessage()]
    assert len(opening) == 1  # no new attempt before retry_seconds
    assert sum("not saved" in r.getMessage() for r in caplog.records) == 3
    with pytest.raises(ValueError):
        safe.record_feedback(1, "kpi", 2)
    safe.close()


def test_safe_storage_recovers_when_the_file_is_deleted(path, caplog):
    safe = SafeStorage(path, retry_seconds=0)
    assert safe.set_user_lang(1, "id")
    path.unlink()
    with caplog.at_level(logging.WARNING, logger="bot.storage"):
        assert safe.set_user_lang(2, "ms") is False
    assert "deleted or replaced" in caplog.text
    assert safe.set_user_lang(2, "ms") is True  # a fresh database at the same path
    assert safe.get_user_lang(2) == "ms"
    safe.close()


def test_safe_storage_round_trip(path):
    safe = SafeStorage(path)
    assert safe.available
    assert safe.set_autoanswer(-3, True) and safe.get_autoanswer(-3)
    assert safe.log_question(chat_type="group", lang="ms", outcome="none", text="Gaji?")
    assert safe.record_feedback(4, "kpi", 1)
    stats = safe.stats()
    assert stats is not None and stats.unanswered == 1
    assert [(q.text, q.count) for q in safe.unanswered_questions()] == [("gaji?", 1)]
    safe.close()
