"""Starting, stopping, faults and secrets: the bot process as operations sees it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time

import pytest
from fakebotapi import FakeBotApi

from e2e.harness import RunningBot, faqbot_command
from faq.evaluation import read_eval_file

QUESTION = "what is a call centre"


def run_once(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "FAQ_"))}
    return subprocess.run(
        [*faqbot_command(), "run"],
        env={**base, "DATABASE_PATH": str(tmp_path / "db.sqlite3"), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN"),
    ],
)
def test_bad_settings_are_one_line_and_exit_code_2(tmp_path, env, needle) -> None:
    result = run_once(env, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_an_invalid_faq_is_one_line_naming_the_file(tmp_path) -> None:
    broken = tmp_path / "faq.yaml"
    broken.write_text("topics:\n  - id: x\n    text: [\n", encoding="utf-8")
    result = run_once(
        {"TELEGRAM_BOT_TOKEN": "123456:" + "A" * 35, "FAQ_PATH": str(broken)}, tmp_path
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(broken) in result.stderr and "Traceback" not in result.stderr


def test_sigterm_exits_cleanly_and_closes_the_database(tmp_path) -> None:
    with FakeBotApi() as api, RunningBot(api, tmp_path) as bot:
        user = api.user("Term")
        api.wait_for_reply(api.send_message(api.private_chat(user), user, QUESTION), timeout=15)
        started = time.monotonic()
        assert bot.stop(signal.SIGTERM, timeout=15) == 0
        assert time.monotonic() - started < 10
        assert "database closed" in bot.log


def test_the_token_never_appears_in_debug_logs(tmp_path) -> None:
    with FakeBotApi() as api, RunningBot(api, tmp_path, env={"LOG_LEVEL": "DEBUG"}) as bot:
        user = api.user("Logs")
        chat = api.private_chat(user)
        for text in (QUESTION, "/start", "xyzzy"):
            api.wait_for_reply(api.send_message(chat, user, text), timeout=15)
        bot.stop()
        log = bot.log
    assert "getUpdates" in log  # DEBUG really logged the requests...
    assert api.token not in log  # ...without the token
    assert api.token.split(":", 1)[1] not in log


@pytest.mark.parametrize(
    ("method", "fault"),
    [
        ("sendMessage", {"status": 500, "times": 2}),
        ("sendMessage", {"status": 502, "times": 1}),
        ("sendMessage", {"status": 429, "times": 1, "retry_after": 1}),
        ("getUpdates", {"status": 502, "times": 2}),
        ("getUpdates", {"status": 429, "times": 1, "retry_after": 1}),
        ("sendMessage", "reset"),
        ("getUpdates", "reset"),
    ],
)
def test_telegram_faults_are_survived_and_every_question_answered_once(
    tmp_path, method, fault
) -> None:
    with FakeBotApi() as api, RunningBot(api, tmp_path) as bot:
        user = api.user("Faulty")
        chat = api.private_chat(user)
        if fault == "reset":
            api.reset(method, times=1)
        else:
            api.fail(method, **fault)
        updates = [api.send_message(chat, user, f"{QUESTION} {n}") for n in range(3)]
        api.wait_for_messages(chat, 3, after=updates[0], timeout=60)
        time.sleep(1.5)  # a duplicate would arrive now
        replies = api.sent_messages(chat["id"], include_edits=False)
        replied_to = [
            m.message["reply_to_message"]["message_id"]
            for m in replies
            if m.message and "reply_to_message" in m.message
        ]
        assert len(replies) == 3, [m.text for m in replies]
        assert replied_to == [] or len(set(replied_to)) == 3
        assert bot.alive()


def test_api_unreachable_for_a_while_then_back(tmp_path) -> None:
    with FakeBotApi() as api, RunningBot(api, tmp_path) as bot:
        user = api.user("Patient")
        chat = api.private_chat(user)
        api.stop_listening()
        time.sleep(3)
        update = api.send_message(chat, user, QUESTION)
        api.start_listening()
        api.wait_for_reply(update, timeout=60)
        assert bot.alive()


def test_sigkill_loses_no_logged_answer(tmp_path) -> None:
    with FakeBotApi() as api:
        env = {"THROTTLE_USER_PER_MINUTE": "100000", "THROTTLE_CHAT_PER_MINUTE": "100000"}
        bot = RunningBot(api, tmp_path, env=env).start()
        user = api.user("Killed")
        chat = api.private_chat(user)
        for n in range(60):
            api.send_message(chat, user, f"xyzzy unanswered question {n}")
        api.wait_for_messages(chat, 20, timeout=60)
        bot.stop(signal.SIGKILL)
        answered = len(api.sent_messages(chat["id"]))
        with sqlite3.connect(bot.database) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            logged = db.execute("SELECT count(*) FROM questions").fetchone()[0]
        # every answer sent but one (killed between sending and logging) is in the log
        assert logged >= answered - 1
        restarted = RunningBot(api, tmp_path, env=env).start()
        try:
            update = api.send_message(chat, user, QUESTION)
            api.wait_for_reply(update, timeout=30)
        finally:
            restarted.stop()


def test_the_whole_dev_set_through_the_bot_matches_faqbot_eval(tmp_path) -> None:
    from pathlib import Path

    from bot.smalltalk import default_phrases
    from bot.strings import t
    from faq.engine import Engine

    engine = Engine.from_path()
    dev = Path(__file__).resolve().parents[1] / "data" / "dev.tsv"
    rows = read_eval_file(dev, set(engine.faq.topics))
    env = {"THROTTLE_USER_PER_MINUTE": "100000", "THROTTLE_CHAT_PER_MINUTE": "100000"}
    with FakeBotApi() as api, RunningBot(api, tmp_path, env=env):
        user = api.user("Eval", language_code=None)
        chat = api.private_chat(user)
        for row in rows:
            reply = api.wait_for_reply(api.send_message(chat, user, row.question), timeout=15)
            if default_phrases().kind(row.question):
                continue
            expected = engine.ask(row.question)
            if expected.status == "answer":
                topic = engine.faq.topics[expected.topic_id].texts[expected.lang]
                assert reply.text.startswith(topic.title), row
            elif expected.status == "suggest":
                assert reply.text == t(expected.lang, "did_you_mean"), row
                assert reply.callback_data == [
                    f"a:{expected.lang}:{s}" for s in expected.suggestions
                ]
            else:
                assert reply.text == t(expected.lang, "dont_know"), row
        assert api.rejections == []
