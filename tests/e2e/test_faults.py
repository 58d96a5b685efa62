"""The bot keeps answering through Bot API faults, during getUpdates and during sendMessage.

Each case makes the fake misbehave, then sends questions from fresh private chats (the bot
does not quote in private chats, so one chat per question is how answers are counted) and
checks: the process is alive, every question got exactly one answer, nothing was rejected.

Timeouts and the retry pause are shortened through the bot's own settings
(TELEGRAM_READ_TIMEOUT, POLL_TIMEOUT, RETRY_PAUSE) so that "slower than the client waits" costs
seconds, not tens of seconds, and a failed poll is tried again within a second.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakebotapi import FakeBotApi

from e2e.harness import RunningBot, Settled

READ_TIMEOUT = 2
POLL_TIMEOUT = 1
RETRY_PAUSE = 0.2
"""First pause after a failed getUpdates (then 0.4, 0.8...): backoff in tenths of seconds."""
SLOW = READ_TIMEOUT + POLL_TIMEOUT + 2
"""Seconds a delayed call takes: past what the bot waits, for getUpdates and sendMessage."""
ANSWER_TIMEOUT = 45.0
QUESTIONS = (
    "How do I reset my password?",
    "what is the dress code",
    "berapa lama masa percubaan",
    "kapan gajian?",
)
_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def bot(api: FakeBotApi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    env = {
        "TELEGRAM_READ_TIMEOUT": str(READ_TIMEOUT),
        "POLL_TIMEOUT": str(POLL_TIMEOUT),
        "RETRY_PAUSE": str(RETRY_PAUSE),
        "THROTTLE_USER_PER_MINUTE": "100000",
        "THROTTLE_CHAT_PER_MINUTE": "100000",
    }
    with RunningBot(api, tmp_path_factory.mktemp("faults"), env) as running:
        yield running


@pytest.fixture(autouse=True)
def healthy_afterwards(api: FakeBotApi) -> Iterator[None]:
    yield
    api.clear_faults()
    api.start_listening()


def ask(api: FakeBotApi, count: int = 2) -> list[dict]:
    """`count` questions, each from a new user in their own private chat; the updates."""
    updates = []
    for _ in range(count):
        n = next(_numbers)
        user = api.user(f"Fault{n}")
        chat = api.private_chat(user)
        updates.append(api.send_message(chat, user, QUESTIONS[n % len(QUESTIONS)]))
    return updates


def chat_of(update: dict) -> int:
    return update["message"]["chat"]["id"]


def assert_one_answer_each(api: FakeBotApi, bot: RunningBot, updates: list[dict]) -> None:
    """Every update answered, then (once everything has been handled) exactly once."""
    for update in updates:
        api.wait_for_reply(update, timeout=ANSWER_TIMEOUT)
    Settled(api, ANSWER_TIMEOUT)()
    for update in updates:
        sent = api.sent_messages(chat_of(update))
        assert len(sent) == 1, f"chat {chat_of(update)} got {len(sent)} answers: {sent}"
    assert bot.alive(), bot.log
    assert api.rejections == []


def assert_at_most_one_answer_each(api: FakeBotApi, bot: RunningBot, updates: list[dict]) -> None:
    Settled(api, ANSWER_TIMEOUT)()
    for update in updates:
        assert len(api.sent_messages(chat_of(update))) <= 1
    assert bot.alive(), bot.log


def getupdates_calls(api: FakeBotApi) -> int:
    return len(api.calls_to("getUpdates"))


def wait_for_getupdates(api: FakeBotApi, after: int, count: int = 1) -> None:
    """Until the bot has called getUpdates `count` more times than `after` calls."""
    api.wait_for(lambda: getupdates_calls(api) >= after + count, timeout=ANSWER_TIMEOUT)


# -- getUpdates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, retry_after", [(429, 1), (500, None), (502, None)], ids=["429", "500", "502"]
)
def test_get_updates_error_status(
    api: FakeBotApi, bot: RunningBot, status: int, retry_after: int | None
) -> None:
    before = getupdates_calls(api)
    api.fail("getUpdates", status, times=2, retry_after=retry_after)
    updates = ask(api)
    wait_for_getupdates(api, before, 3)  # both faults served, then a healthy poll
    updates += ask(api)
    assert_one_answer_each(api, bot, updates)


def test_get_updates_slower_than_the_client_waits(api: FakeBotApi, bot: RunningBot) -> None:
    before = getupdates_calls(api)
    api.delay("getUpdates", SLOW, times=1)
    wait_for_getupdates(api, before)  # the slow poll is in progress
    updates = ask(api)
    assert_one_answer_each(api, bot, updates)


def test_get_updates_connection_reset(api: FakeBotApi, bot: RunningBot) -> None:
    before = getupdates_calls(api)
    api.reset("getUpdates", times=2)
    updates = ask(api)
    wait_for_getupdates(api, before, 3)
    updates += ask(api)
    assert_one_answer_each(api, bot, updates)


def test_get_updates_connection_refused(api: FakeBotApi, bot: RunningBot) -> None:
    api.stop_listening()
    try:
        updates = ask(api)
        time.sleep(3)  # the outage: every request meanwhile is refused
    finally:
        api.start_listening()
    assert_one_answer_each(api, bot, updates)


# -- sendMessage -------------------------------------------------------------------------------


def test_send_message_flood_limit_is_waited_out(api: FakeBotApi, bot: RunningBot) -> None:
    api.fail("sendMessage", 429, times=2, retry_after=1)
    assert_one_answer_each(api, bot, ask(api, 3))


@pytest.mark.parametrize("fault", ["500", "502", "reset"])
def test_send_message_fault_after_telegram_took_it_is_not_sent_twice(
    api: FakeBotApi, bot: RunningBot, fault: str
) -> None:
    """A 5xx or a reset once the request was written may come after Telegram took the
    message (a proxy's 502): the reply is recorded as possibly delivered, never sent again."""
    if fault == "reset":
        api.reset("sendMessage", times=2, after=True)
    else:
        api.fail("sendMessage", int(fault), times=2, after=True)
    assert_one_answer_each(api, bot, ask(api, 3))
    assert "possibly delivered" in bot.log


def test_send_message_fault_before_telegram_took_it_is_not_resent(
    api: FakeBotApi, bot: RunningBot
) -> None:
    """The bot cannot tell a 500 before Telegram took the message from one after: it never
    sends twice, so that answer is lost, and logged as possibly delivered."""
    api.fail("sendMessage", 500, times=1)
    lost, *answered = ask(api, 3)
    assert_at_most_one_answer_each(api, bot, [lost, *answered])
    assert [len(api.sent_messages(chat_of(u))) for u in answered] == [1, 1]
    assert "possibly delivered" in bot.log


def test_send_message_slower_than_the_client_waits(api: FakeBotApi, bot: RunningBot) -> None:
    """The bot gives up waiting but Telegram did send it: the answer arrives once, not twice."""
    api.delay("sendMessage", SLOW, times=1)
    assert_one_answer_each(api, bot, ask(api, 2))
    assert "possibly delivered, not sent again (ReadTimeout" in bot.log


def test_send_message_connection_refused(api: FakeBotApi, bot: RunningBot) -> None:
    """The API goes away between receiving the update and sending the answer."""
    sends = len(api.calls_to("sendMessage"))
    api.fail("sendMessage", 429, times=1, retry_after=2)  # holds the answer back for 2 s
    updates = ask(api, 1)
    api.wait_for(lambda: len(api.calls_to("sendMessage")) > sends, timeout=ANSWER_TIMEOUT)
    api.stop_listening()
    try:
        time.sleep(3)  # the outage: the retried sendMessage is refused
    finally:
        api.start_listening()
    assert_one_answer_each(api, bot, updates)


# -- the database ------------------------------------------------------------------------------


def unusable_database_paths(tmp: Path) -> dict[str, Path]:
    a_directory = tmp / "is-a-directory"
    a_directory.mkdir()
    a_file = tmp / "a-file"
    a_file.write_text("not a directory\n")
    return {"directory": a_directory, "under a file": a_file / "faqbot.sqlite3"}


@pytest.mark.parametrize("case", ["directory", "under a file"])
def test_database_unavailable_still_answers(tmp_path: Path, case: str) -> None:
    path = unusable_database_paths(tmp_path)[case]
    with (
        FakeBotApi() as api,  # not the module's: its bot is polling that one
        RunningBot(api, tmp_path, {"DATABASE_PATH": str(path)}) as running,
    ):
        user = api.user("NoDb")
        update = api.send_message(api.private_chat(user), user, QUESTIONS[0])
        reply = api.wait_for_reply(update, timeout=ANSWER_TIMEOUT)
        assert reply.text
        assert running.alive()
        assert running.stop() == 0
    assert "WARNING" in running.log
    assert "without the database" in running.log
    assert "Traceback" not in running.log
