"""Quizzes: asked as native quiz polls, answered through poll_answer updates, scored per
person per chat, a leaderboard, and a daily quiz that survives a restart."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from inprocess import BOT_USERNAME, OfflineBot, Person

from bot.handlers.quiz import JOB_PREFIX, bank, restore_schedules
from bot.strings import t
from faq.model import DEFAULT_FAQ_PATH, LANGS

QUIZ = Path(__file__).parent / "data" / "quiz.yaml"
GROUP = -100777


@pytest.fixture
def faq_dir(tmp_path: Path) -> Path:
    """The real FAQ with the test quiz beside it."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(DEFAULT_FAQ_PATH, folder / "faq.yaml")
    shutil.copy(QUIZ, folder / "quiz.yaml")
    return folder


def start(tmp_path: Path, faq_dir: Path) -> OfflineBot:
    """The bot as `faqbot run` starts it: the saved daily quizzes are scheduled again."""
    offline = OfflineBot(tmp_path, faq_path=faq_dir / "faq.yaml")
    offline.run(restore_schedules(offline.application))
    return offline


@pytest.fixture
def bot(tmp_path: Path, faq_dir: Path) -> Iterator[OfflineBot]:
    offline = start(tmp_path, faq_dir)
    yield offline
    offline.close()


def polls(calls):
    return [call for call in calls if call.method == "sendPoll"]


def said(calls):
    return [call for call in calls if call.method == "sendMessage"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_quiz_is_asked_answered_and_scored_in_a_group(bot, lang) -> None:
    group = bot.group(GROUP)
    asker = Person(31, "Asker", lang)
    right_person, wrong_person = Person(32, "Right", None), Person(33, "Wrong", None)
    (poll,) = polls(bot.message(group, asker, "/quiz"))
    params = poll.params
    item = next(
        i for i in bank(bot.application).items if i.text[lang].question == params["question"]
    )
    assert params["type"] == "quiz" and params["is_anonymous"] is False
    assert [o["text"] for o in params["options"]] == list(item.text[lang].options)
    assert params["correct_option_ids"] == [item.correct]
    assert params["explanation"].startswith(item.text[lang].explanation)
    assert f"https://t.me/{BOT_USERNAME}?start={item.topic}" in params["explanation"]
    assert t(lang, "quiz_full_answer") in params["explanation"]

    poll_id = poll.result["poll"]["id"]
    wrong = (item.correct + 1) % len(item.text[lang].options)
    assert bot.poll_answer(wrong_person, poll_id, [wrong]) == []  # answers get no reply
    assert bot.poll_answer(right_person, poll_id, [item.correct]) == []
    bot.poll_answer(right_person, poll_id, [item.correct])  # a repeat counts once

    (board,) = bot.message(group, asker, "/quiz top")
    lines = board.params["text"].splitlines()
    assert lines == [
        t(lang, "quiz_top_header"),
        f"1. Right: {t(lang, 'quiz_top_line', score=1, answered=1)}",
        f"2. Wrong: {t(lang, 'quiz_top_line', score=0, answered=1)}",
    ]
    assert bot.request.rejections == []


def test_scores_are_per_chat(bot) -> None:
    person = Person(34, "Dewi", "id")
    (poll,) = polls(bot.message(bot.group(GROUP), person, "/quiz"))
    bot.poll_answer(person, poll.result["poll"]["id"], [poll.params["correct_option_ids"][0]])
    bot.poll_answer(person, "not-the-bots-poll", [0])
    (here,) = bot.message(bot.group(GROUP), person, "/quiz top")
    assert here.params["text"].endswith(t("id", "quiz_top_line", score=1, answered=1))
    (other,) = bot.message(bot.group(GROUP - 1), person, "/quiz top")
    assert other.params["text"] == t("id", "quiz_top_empty")


def test_quiz_topic_narrows_by_id_or_words(bot) -> None:
    person = Person(35, "Eka", "en")
    chat = bot.private_chat(person)
    quiz = bank(bot.application)
    for args in ("callcenter-definition", "what is a call centre"):
        (poll,) = polls(bot.message(chat, person, f"/quiz {args}"))
        topics = {i.topic for i in quiz.items if i.text["en"].question == poll.params["question"]}
        assert topics == {"callcenter-definition"}
    (reply,) = bot.message(chat, person, "/quiz offshore-nearshore")
    assert reply.params["text"] == t("en", "quiz_no_topic")


def test_only_group_admins_schedule_a_daily_quiz_and_it_survives_a_restart(
    bot, tmp_path, faq_dir
) -> None:
    group = bot.group(GROUP)
    member, admin = Person(36, "Member", "ms"), Person(37, "Admin", "ms")
    bot.request.members[(GROUP, admin.id)] = "administrator"
    (refused,) = said(bot.message(group, member, "/quiz daily 08:30"))
    assert refused.params["text"] == t("ms", "admins_only")
    (usage,) = said(bot.message(group, admin, "/quiz daily 25:00"))
    assert usage.params["text"] == t("ms", "quiz_daily_usage")
    (done,) = said(bot.message(group, admin, "/quiz daily 08:30 +8"))
    assert done.params["text"] == t("ms", "quiz_daily_on", time="08:30", zone="UTC+08:00")
    bot.close()

    restarted = start(tmp_path, faq_dir)
    try:
        queue = restarted.application.job_queue
        (job,) = queue.get_jobs_by_name(f"{JOB_PREFIX}{GROUP}")
        trigger = job.job.trigger
        fields = {field.name: str(field) for field in trigger.fields}
        assert (fields["hour"], fields["minute"]) == ("8", "30")
        assert fields["day_of_week"].count(",") == 6  # every day
        assert trigger.timezone.utcoffset(None) == dt.timedelta(hours=8)
        before = len(restarted.request.calls)
        restarted.run(job.run(restarted.application))
        (poll,) = polls(restarted.request.calls[before:])
        assert poll.params["chat_id"] == GROUP
        questions = {i.text["ms"].question for i in bank(restarted.application).items}
        assert poll.params["question"] in questions  # the admin's language

        restarted.request.members[(GROUP, admin.id)] = "administrator"
        (off,) = said(restarted.message(group, admin, "/quiz daily off"))
        assert off.params["text"] == t("ms", "quiz_daily_off")
        restarted.run(asyncio_sleep())
        assert queue.get_jobs_by_name(f"{JOB_PREFIX}{GROUP}") == ()
    finally:
        restarted.close()
    again = start(tmp_path, faq_dir)
    try:
        assert again.application.job_queue.get_jobs_by_name(f"{JOB_PREFIX}{GROUP}") == ()
    finally:
        again.close()


async def asyncio_sleep() -> None:
    """Let the job queue drop a removed job."""
    import asyncio

    await asyncio.sleep(0)


def test_no_quiz_file_means_a_clear_notice(tmp_path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(DEFAULT_FAQ_PATH, folder / "faq.yaml")
    offline = OfflineBot(tmp_path, faq_path=folder / "faq.yaml")
    try:
        person = Person(38, "Ani", "id")
        (reply,) = offline.message(offline.private_chat(person), person, "/quiz")
        assert reply.params["text"] == t("id", "quiz_none")
    finally:
        offline.close()
