"""Flood control, in-process: one user, or one busy group, cannot make the bot flood a chat."""

from __future__ import annotations

import pytest
from auxil import build_updates as tg
from auxil.offline_bot import OfflineBot, text_of

from bot.strings import t

QUESTION = "/ask what is a call centre"


@pytest.fixture
def throttled_bot(make_bot) -> OfflineBot:
    return make_bot(THROTTLE_USER_PER_MINUTE="3", THROTTLE_CHAT_PER_MINUTE="5")


def test_a_flooding_user_gets_their_quota_and_one_notice(throttled_bot: OfflineBot) -> None:
    bot = throttled_bot
    chat = tg.group("Flood")
    spammer, other = tg.user("Spam"), tg.user("Calm")
    to_spammer = [
        reply
        for _ in range(8)
        for reply in bot.messages(tg.message_update(chat, spammer, QUESTION))
    ]
    notices = [m for m in to_spammer if text_of(m) == t("en", "throttled")]
    assert len(to_spammer) - len(notices) == 3
    assert len(notices) == 1
    # The spammer's refused messages did not use up the group's quota.
    assert len(bot.messages(tg.message_update(chat, other, QUESTION))) == 1


def test_a_busy_group_is_capped_as_a_whole(throttled_bot: OfflineBot) -> None:
    bot = throttled_bot
    chat = tg.group("Busy")
    users = [tg.user(f"User{n}") for n in range(4)]
    sent = [
        reply
        for user in users
        for _ in range(2)
        for reply in bot.messages(tg.message_update(chat, user, QUESTION))
    ]
    private_user = tg.user("Elsewhere")
    private = tg.private_chat(private_user)
    # not capped by the group's limit
    bot.reply(tg.message_update(private, private_user, "what is bpo"))
    answers = [m for m in sent if text_of(m) != t("en", "throttled")]
    assert len(answers) == 5
    assert len(sent) - len(answers) <= 2  # at most one notice per throttled sender
