"""Hostile and odd input (tests/data/hostile.json) through the engine and through the bot.

No crash, one sensible reply or silence, nothing Telegram would refuse, nothing the user typed
turned into markup, and `faqbot report` still reads what was stored.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from fakebotapi import FakeBotApi

from e2e.harness import RunningBot, Settled, faqbot_command
from faq.engine import Engine
from faq.model import LANGS

CORPUS = Path(__file__).resolve().parents[1] / "data" / "hostile.json"
INPUTS: list[dict] = json.loads(CORPUS.read_text(encoding="utf-8"))["inputs"]
TEXTS = [item["text"] for item in INPUTS]
STATUSES = {"answer", "suggest", "none", "smalltalk"}
TIMEOUT = 30.0
MARKUP_CHARS = set("<>&")


def test_the_corpus_is_big_and_varied() -> None:
    assert len(TEXTS) >= 200
    assert len(set(TEXTS)) == len(TEXTS)
    kinds = {item["kind"] for item in INPUTS}
    assert {"empty-or-blank", "long", "zero-width-control", "rtl", "emoji", "html-injection"} <= (
        kinds
    )
    assert {"markdown-injection", "sql", "long-word", "mixed-scripts", "commands"} <= kinds
    assert any(len(text) == 4096 for text in TEXTS)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_path()


def test_engine_gives_a_valid_result_for_every_input(engine: Engine) -> None:
    for text in TEXTS:
        for hint in (None, "id", "ms", "en"):
            reply = engine.ask(text, lang_hint=hint)
            assert reply.status in STATUSES, (text, reply)
            assert reply.lang in LANGS, (text, reply)
            if reply.status == "answer":
                assert reply.topic_id in engine.faq.topics
            if reply.status == "suggest":
                assert reply.suggestions
                assert set(reply.suggestions) <= set(engine.faq.topics)


@pytest.fixture(scope="module")
def bot(api: FakeBotApi, tmp_path_factory: pytest.TempPathFactory):
    env = {"THROTTLE_USER_PER_MINUTE": "100000", "THROTTLE_CHAT_PER_MINUTE": "100000"}
    with RunningBot(api, tmp_path_factory.mktemp("hostile"), env) as running:
        yield running


def assert_no_markup_from(text: str, raw_reply: str | None) -> None:
    """The user's text, if it is in the reply at all, is there escaped, not as markup."""
    stripped = text.strip()
    if raw_reply and stripped and MARKUP_CHARS & set(stripped):
        assert stripped not in raw_reply, (text, raw_reply)


def test_every_corpus_message_gets_one_reply_or_silence(api: FakeBotApi, bot: RunningBot):
    user = api.user("Hostile", language_code="en")
    chat = api.private_chat(user)
    silent = []
    for text in TEXTS:
        update = api.send_message(chat, user, text)
        bot.wait_handled(update, TIMEOUT)
        replies = api.sent_messages(chat, include_edits=False, after=update)
        assert len(replies) <= 1, (text, replies)
        if not replies:
            silent.append(text)
            continue
        reply = replies[0]
        assert reply.text and reply.text.strip(), (text, reply)
        assert_no_markup_from(text, reply.raw_text)
        assert bot.alive(), bot.log
    assert api.rejections == []
    # Silence is for what is not for the bot (admin commands from a non-admin), not questions.
    assert set(silent) <= {"/stats", "/STATS", "/reload"}, silent
    assert "error while handling an update" not in bot.log
    assert "Traceback" not in bot.log


def test_report_reads_what_was_stored(bot: RunningBot) -> None:
    result = subprocess.run(
        [*faqbot_command(), "report", "--database", str(bot.database)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def callback_query(api: FakeBotApi, user: dict, message: dict, data: str) -> dict:
    """A callback query with any data at all (press_button only takes real buttons)."""
    update = api.push_update(
        {
            "callback_query": {
                "id": str(abs(hash((data, message["message_id"])))),
                "from": user,
                "message": message,
                "chat_instance": "42",
                "data": data,
            }
        }
    )
    # Register the query like Telegram would, so that answering it is legitimate.
    with api._state.cond:
        api._state.callback_queries[update["callback_query"]["id"]] = False
    return update


FORGED = [
    "a:en:nope",
    "a:xx:bpo",
    "a:en:",
    "v:en:nope:up",
    "v:en:bpo:sideways",
    "p:en:9999",
    "p:en:-1",
    "l:zz",
    "garbage",
    "",
    ":::",
    "a:en:" + "x" * 80,
    "é" * 40,
    "<b>x</b>",
    "a:en:bpo;DROP TABLE feedback",
]


def test_forged_and_stale_callback_data_is_answered(api: FakeBotApi, bot: RunningBot) -> None:
    user = api.user("Forger")
    chat = api.private_chat(user)
    menu = api.wait_for_reply(api.send_message(chat, user, "/topics"), timeout=TIMEOUT)
    message = api.message(chat, menu.message_id)
    assert message is not None
    answered_before = len(api.callback_answers)
    for data in FORGED:
        update = callback_query(api, user, message, data)
        query_id = update["callback_query"]["id"]
        api.wait_for(
            lambda q=query_id: any(
                a["callback_query_id"] == q for a in api.callback_answers[answered_before:]
            ),
            timeout=TIMEOUT,
        )
    assert api.sent_messages(chat, include_edits=False, after=menu) == []
    assert api.rejections == []
    assert bot.alive()
    assert "Traceback" not in bot.log


def test_other_update_kinds_do_not_crash(api: FakeBotApi, bot: RunningBot) -> None:
    settled = Settled(api, TIMEOUT)
    user = api.user("Editor")
    chat = api.private_chat(user)

    # An edited question is not answered again.
    first = api.send_message(chat, user, "apa itu bpo")
    api.wait_for_reply(first, timeout=TIMEOUT)
    edit = api.edit_message(chat, user, first["message"], "<b>what</b> is a call centre")
    settled()
    assert api.sent_messages(chat, after=edit) == []

    # Channel posts are left alone.
    channel = api.channel("News")
    api.make_admin(channel)
    post = api.channel_post(channel, "/help apa itu bpo")
    settled()
    assert api.sent_messages(channel, after=post) == []

    # Another bot asking in a group gets nothing; a person asking the same does.
    group = api.group("Bots")
    api.make_admin(group)
    other_bot = {**api.user("OtherBot", username="other_bot"), "is_bot": True}
    from_bot = api.send_message(group, other_bot, "/ask apa itu bpo")
    settled()
    assert api.sent_messages(group, after=from_bot) == []
    person = api.user("Person")
    api.wait_for_reply(api.send_message(group, person, "/ask apa itu bpo"), timeout=TIMEOUT)

    # Forwarded messages: at most one reply, no crash.
    for forward in (True, api.user("Origin")):
        update = api.send_message(chat, user, "<i>what is bpo</i>", forward=forward)
        settled()
        replies = api.sent_messages(chat, include_edits=False, after=update)
        assert len(replies) <= 1
        for reply in replies:
            assert_no_markup_from("<i>what is bpo</i>", reply.raw_text)

    # Unknown commands get a short note, once.
    update = api.send_message(chat, user, "/definitely_not_a_command")
    settled()
    assert len(api.sent_messages(chat, include_edits=False, after=update)) == 1

    assert api.rejections == []
    assert bot.alive()
    assert "Traceback" not in bot.log
