"""Hostile and odd input (tests/data/hostile.json) through the engine and through the bot's
handlers (in-process).

No crash, one sensible reply or silence, nothing Telegram would refuse, nothing the user typed
turned into markup, and `faqbot report` still reads what was stored.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from auxil import build_updates as tg
from auxil.offline_bot import OfflineBot, text_of

from bot.cli import main as faqbot
from bot.strings import t
from faq.engine import Engine
from faq.model import LANGS

CORPUS = Path(__file__).resolve().parents[1] / "data" / "hostile.json"
INPUTS: list[dict] = json.loads(CORPUS.read_text(encoding="utf-8"))["inputs"]
TEXTS = [item["text"] for item in INPUTS]
STATUSES = {"answer", "suggest", "none", "smalltalk"}
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


@pytest.fixture
def hostile_bot(make_bot) -> OfflineBot:
    return make_bot(unlimited=True)


def assert_no_markup_from(text: str, raw_reply: str | None) -> None:
    """The user's text, if it is in the reply at all, is there escaped, not as markup."""
    stripped = text.strip()
    if raw_reply and stripped and MARKUP_CHARS & set(stripped):
        assert stripped not in raw_reply, (text, raw_reply)


def test_every_corpus_message_gets_one_reply_or_silence(hostile_bot: OfflineBot, capsys) -> None:
    bot = hostile_bot
    user = tg.user("Hostile", language_code="en")
    chat = tg.private_chat(user)
    silent = []
    for text in TEXTS:
        replies = bot.messages(tg.message_update(chat, user, text))  # raises on a crash
        assert len(replies) <= 1, (text, replies)
        if not replies:
            silent.append(text)
            continue
        reply = replies[0]
        assert text_of(reply) and text_of(reply).strip(), (text, reply)
        assert_no_markup_from(text, reply["text"])
    assert bot.request.rejections == []
    # Silence is for what is not for the bot (admin commands from a non-admin), not questions.
    assert set(silent) <= {"/stats", "/STATS", "/reload"}, silent

    # `faqbot report` still reads what was stored.
    assert faqbot(["report", "--database", str(bot.database)]) == 0
    assert capsys.readouterr().out.strip()


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


def test_forged_and_stale_callback_data_is_answered(bot: OfflineBot) -> None:
    user = tg.user("Forger")
    chat = tg.private_chat(user)
    menu = bot.reply(tg.message_update(chat, user, "/topics"))
    for data in FORGED:
        methods = [call.method for call in bot.send(tg.callback_update(chat, user, menu, data))]
        assert methods[0] == "answerCallbackQuery", data
        assert "sendMessage" not in methods, data
    assert bot.request.rejections == []


def test_a_button_on_a_message_too_old_to_reach_is_stale(bot: OfflineBot, engine) -> None:
    user = tg.user("Late")
    chat = tg.private_chat(user)
    topic = next(iter(engine.faq.topics))
    for data in (f"a:en:{topic}", f"v:en:{topic}:up", "p:en:1", "l:ms"):
        calls = bot.send(tg.callback_update(chat, user, None, data))
        assert [call.method for call in calls] == ["answerCallbackQuery"], data
        assert calls[0].params["text"] == t("en", "stale_button")


def test_other_update_kinds_do_not_crash(bot: OfflineBot) -> None:
    user = tg.user("Editor")
    chat = tg.private_chat(user)

    # An edited question is not answered again.
    first = tg.message_update(chat, user, "apa itu bpo")
    bot.reply(first)
    edited = {**first["message"], "text": "<b>what</b> is a call centre", "edit_date": 1}
    assert bot.send({"update_id": 900_001, "edited_message": edited}) == []

    # Channel posts are left alone.
    channel = {"id": -1_000_000_009_999, "type": "channel", "title": "News"}
    post = tg.message(channel, user, "/help apa itu bpo")
    del post["from"]
    assert bot.send({"update_id": 900_002, "channel_post": post}) == []

    # Another bot asking in a group gets nothing; a person asking the same does.
    group = tg.group("Bots")
    other_bot = {**tg.user("OtherBot"), "is_bot": True, "username": "other_bot"}
    assert bot.send(tg.message_update(group, other_bot, "/ask apa itu bpo")) == []
    bot.reply(tg.message_update(group, tg.user("Person"), "/ask apa itu bpo"))

    # Inline results sent via a bot are not questions to it.
    via = tg.message_update(group, user, "what is bpo", via_bot=other_bot)
    assert bot.send(via) == []

    # Forwarded messages: at most one reply, no crash.
    origins = (
        {"type": "hidden_user", "sender_user_name": "Someone", "date": 1},
        {"type": "user", "sender_user": tg.user("Origin"), "date": 1},
    )
    for origin in origins:
        update = tg.message_update(chat, user, "<i>what is bpo</i>", forward_origin=origin)
        replies = bot.messages(update)
        assert len(replies) <= 1
        for reply in replies:
            assert_no_markup_from("<i>what is bpo</i>", reply["text"])

    # Unknown commands get a short note, once.
    assert len(bot.messages(tg.message_update(chat, user, "/definitely_not_a_command"))) == 1
    assert bot.request.rejections == []
