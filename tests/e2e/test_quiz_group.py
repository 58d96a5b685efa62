"""A quiz asked, answered and scored in a group, through the real bot process and the fake
Bot API, in each of the three languages."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakebotapi import FakeBotApi

from bot.quizbank import LIMITS
from bot.strings import t
from e2e.harness import RunningBot
from faq.loader import load_faq
from faq.model import DEFAULT_FAQ_PATH, LANGS
from faq.quiz import load_quiz

TIMEOUT = 20.0
QUIZ = Path(__file__).parent.parent / "data" / "quiz.yaml"
TOPICS = set(load_faq().topics)


@pytest.fixture(scope="module")
def bot(api: FakeBotApi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    folder = tmp_path_factory.mktemp("quiz") / "data"
    folder.mkdir()
    shutil.copy(DEFAULT_FAQ_PATH, folder / "faq.yaml")
    shutil.copy(QUIZ, folder / "quiz.yaml")
    env = {"FAQ_PATH": str(folder / "faq.yaml")}
    with RunningBot(api, tmp_path_factory.mktemp("bot"), env) as running:
        yield running


def answers(bot: RunningBot) -> int:
    with sqlite3.connect(bot.database) as db:
        return int(db.execute("SELECT COUNT(*) FROM quiz_answers").fetchone()[0])


@pytest.mark.parametrize("lang", LANGS)
def test_quiz_in_a_group_is_asked_answered_and_scored(api, bot, lang) -> None:
    group = api.supergroup(f"Trainees {lang}")
    asker = api.user(f"Asker-{lang}", language_code=lang)
    right = api.user(f"Right-{lang}", language_code=lang)
    wrong = api.user(f"Wrong-{lang}", language_code=lang)
    update = api.send_message(group, asker, "/quiz")
    (poll,) = [m for m in api.wait_for_messages(group, after=update, timeout=TIMEOUT) if m.message]
    sent = poll.params
    assert sent["type"] == "quiz" and sent["is_anonymous"] is False
    assert "?start=" in sent["explanation"]
    body = poll.message["poll"]
    questions = {item.text[lang].question: item for item in load_quiz(QUIZ, LIMITS, TOPICS).items}
    assert [o["text"] for o in body["options"]] == list(
        questions[body["question"]].text[lang].options
    )
    correct = sent["correct_option_ids"][0]

    before = answers(bot)
    for person, option in ((right, correct), (wrong, (correct + 1) % len(body["options"]))):
        api.push_update(
            {
                "poll_answer": {
                    "poll_id": body["id"],
                    "user": person,
                    "option_ids": [option],
                    "option_persistent_ids": [str(option)],
                }
            }
        )
    api.wait_for(lambda: answers(bot) == before + 2, timeout=TIMEOUT)

    top = api.wait_for_reply(api.send_message(group, asker, "/quiz top"), timeout=TIMEOUT)
    assert top.text.splitlines()[1:] == [
        f"1. {right['first_name']}: {t(lang, 'quiz_top_line', score=1, answered=1)}",
        f"2. {wrong['first_name']}: {t(lang, 'quiz_top_line', score=0, answered=1)}",
    ]
    assert api.rejections == []
