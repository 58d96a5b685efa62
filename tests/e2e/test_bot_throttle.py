"""Flood control: one user, or one busy group, cannot make the bot flood a chat."""

from __future__ import annotations

import pytest
from fakebotapi import FakeBotApi

from bot.strings import t
from e2e.harness import RunningBot, Settled

QUESTION = "/ask what is a call centre"


def wait_for_answer_to(api, chat, update) -> None:
    asked = update["message"]["message_id"]
    api.wait_for(
        lambda: any(
            m.message["reply_to_message"]["message_id"] == asked
            for m in api.sent_messages(chat["id"])
        ),
        timeout=15,
    )


@pytest.fixture
def throttled_bot(tmp_path):
    env = {"THROTTLE_USER_PER_MINUTE": "3", "THROTTLE_CHAT_PER_MINUTE": "5"}
    with FakeBotApi() as api, RunningBot(api, tmp_path, env=env):
        yield api


def test_a_flooding_user_gets_their_quota_and_one_notice(throttled_bot) -> None:
    api = throttled_bot
    chat = api.group("Flood")
    spammer, other = api.user("Spam"), api.user("Calm")
    updates = [api.send_message(chat, spammer, QUESTION) for _ in range(8)]
    api.wait_for_confirmed(updates[-1], timeout=15)
    calm = api.send_message(chat, other, QUESTION)
    wait_for_answer_to(api, chat, calm)  # a chat's updates are handled in order
    Settled(api, 15)()
    to_spammer = [
        m
        for m in api.sent_messages(chat["id"])
        if m.message["reply_to_message"]["from"]["id"] == spammer["id"]
    ]
    notices = [m for m in to_spammer if m.text == t("en", "throttled")]
    assert len(to_spammer) - len(notices) == 3
    assert len(notices) == 1


def test_a_busy_group_is_capped_as_a_whole(throttled_bot) -> None:
    api = throttled_bot
    chat = api.group("Busy")
    users = [api.user(f"User{n}") for n in range(4)]
    updates = [api.send_message(chat, user, QUESTION) for user in users for _ in range(2)]
    api.wait_for_confirmed(updates[-1], timeout=15)
    private_user = api.user("Elsewhere")
    private = api.private_chat(private_user)
    # not capped by the group's limit
    api.wait_for_reply(api.send_message(private, private_user, "what is bpo"), timeout=15)
    Settled(api, 15)()
    sent = api.sent_messages(chat["id"])
    answers = [m for m in sent if m.text != t("en", "throttled")]
    assert len(answers) == 5
    assert len(sent) - len(answers) <= 2  # at most one notice per throttled sender
