"""Start-up errors, graceful SIGTERM, SIGKILL durability and the token kept out of the log."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from fakebotapi import FakeBotApi

from e2e.harness import RunningBot, faqbot_command

ANSWER_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
""""Within a few seconds" of SIGTERM, with room for a slow 2-core machine."""
HIGH_THROTTLE = {"THROTTLE_USER_PER_MINUTE": "100000", "THROTTLE_CHAT_PER_MINUTE": "100000"}


def question_rows(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT count(*) FROM questions").fetchone()[0]


# -- SIGTERM -----------------------------------------------------------------------------------


def test_sigterm_while_idle_exits_0_and_closes_the_database(api: FakeBotApi, tmp_path: Path):
    running = RunningBot(api, tmp_path).start()
    try:
        user = api.user("Idle")
        api.wait_for_reply(api.send_message(api.private_chat(user), user, "/help"))
        assert running.stop(signal.SIGTERM, timeout=STOP_TIMEOUT) == 0
    finally:
        running.__exit__()
    assert "database closed" in running.log
    assert "Traceback" not in running.log


def test_sigterm_while_handling_finishes_the_update_first(api: FakeBotApi, tmp_path: Path):
    running = RunningBot(api, tmp_path).start()
    try:
        user = api.user("Busy")
        sends = len(api.calls_to("sendMessage"))
        api.delay("sendMessage", 2.0, times=1)  # the answer is on its way when SIGTERM comes
        api.send_message(api.private_chat(user), user, "How do I reset my password?")
        api.wait_for(lambda: len(api.calls_to("sendMessage")) > sends, timeout=ANSWER_TIMEOUT)
        assert running.stop(signal.SIGTERM, timeout=STOP_TIMEOUT) == 0
    finally:
        api.clear_faults()
        running.__exit__()
    assert "database closed" in running.log
    assert "Traceback" not in running.log
    # The handler ran to its end: the question is logged once the answer was sent.
    assert question_rows(running.database) == 1


# -- SIGKILL -----------------------------------------------------------------------------------


# -- start-up errors ---------------------------------------------------------------------------


def run_once(api: FakeBotApi, tmp_path: Path, **env: str | None) -> subprocess.CompletedProcess:
    """`faqbot run` with the harness's environment changed by `env` (None: unset)."""
    full = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "DATABASE_PATH": str(tmp_path / "faqbot.sqlite3"),
        "HEALTH_PORT": "0",
    }
    for name, value in env.items():
        if value is None:
            full.pop(name, None)
        else:
            full[name] = value
    return subprocess.run(
        [*faqbot_command(), "run"],
        env=full,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_one_line_exit_2(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    return lines[0]


def test_missing_token(api: FakeBotApi, tmp_path: Path) -> None:
    line = assert_one_line_exit_2(run_once(api, tmp_path, TELEGRAM_BOT_TOKEN=None))
    assert "TELEGRAM_BOT_TOKEN" in line


def test_malformed_token_is_not_echoed(api: FakeBotApi, tmp_path: Path) -> None:
    bad = "12345:short-and-secret"
    line = assert_one_line_exit_2(run_once(api, tmp_path, TELEGRAM_BOT_TOKEN=bad))
    assert "TELEGRAM_BOT_TOKEN" in line
    assert bad not in line


def test_token_rejected_by_telegram(api: FakeBotApi, tmp_path: Path) -> None:
    wrong = "987654321:AAWrongTokenWrongTokenWrongToken_xyz"
    assert wrong != api.token
    line = assert_one_line_exit_2(run_once(api, tmp_path, TELEGRAM_BOT_TOKEN=wrong))
    assert "rejected" in line
    assert wrong not in line
    assert ("getMe", "Unauthorized") in api.rejections
    api.clear_records()


def test_invalid_faq_file_names_the_file(api: FakeBotApi, tmp_path: Path) -> None:
    broken = tmp_path / "broken-faq.yaml"
    broken.write_text("topics: [\n  - {id: x\n", encoding="utf-8")
    line = assert_one_line_exit_2(run_once(api, tmp_path, FAQ_PATH=str(broken)))
    assert "broken-faq.yaml" in line


# -- secrets -----------------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["DEBUG", "INFO"])
def test_token_never_logged(api: FakeBotApi, tmp_path: Path, level: str) -> None:
    env = {"LOG_LEVEL": level, **HIGH_THROTTLE}
    running = RunningBot(api, tmp_path, env).start()
    try:
        user = api.user("Logged")
        chat = api.private_chat(user)
        for text in ("/start", "How do I reset my password?", "zzqx nothing", "/topics"):
            api.wait_for_reply(api.send_message(chat, user, text), timeout=ANSWER_TIMEOUT)
        api.fail("sendMessage", 429, retry_after=1, times=1)  # error paths log too
        api.wait_for_reply(api.send_message(chat, user, "dress code"), timeout=ANSWER_TIMEOUT)
        assert running.stop(signal.SIGTERM, timeout=STOP_TIMEOUT) == 0
    finally:
        api.clear_faults()
        running.__exit__()
    log = running.log
    if level == "DEBUG":
        assert "DEBUG" in log and "getUpdates" in log, "DEBUG logging should be verbose"
    secret_part = api.token.split(":", 1)[1]
    assert api.token not in log
    assert secret_part not in log


def test_startup_waits_for_an_unreachable_api(api: FakeBotApi, tmp_path: Path) -> None:
    """An API that is down at start-up is waited for, not a crash."""
    api.stop_listening()
    running = RunningBot(api, tmp_path, {"RETRY_PAUSE": "0.2"})
    try:
        running.start(wait=False)
        deadline = time.monotonic() + 30
        while "cannot reach the Bot API" not in running.log:
            assert running.alive(), running.log
            assert time.monotonic() < deadline, running.log
            time.sleep(0.1)
        api.start_listening()
        user = api.user("Late")
        reply = api.wait_for_reply(
            api.send_message(api.private_chat(user), user, "/help"), timeout=ANSWER_TIMEOUT
        )
        assert reply.text
        assert running.stop(signal.SIGTERM, timeout=STOP_TIMEOUT) == 0
    finally:
        api.start_listening()
        running.__exit__()
