"""Groups: the bot speaks only when addressed, or with auto-answer on; inline mode."""

from __future__ import annotations

import pytest
from fakebotapi import WaitTimeout

from bot.strings import t
from faq.engine import Engine

QUESTION = "apa itu call center"
BOT = "faq_test_bot"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_path()


def title(engine: Engine, topic_id: str, lang: str) -> str:
    return engine.faq.topics[topic_id].texts[lang].title


def assert_silent(api, chat, after, seconds: float = 2.0) -> None:
    with pytest.raises(WaitTimeout):
        api.wait_for_messages(chat, after=after, timeout=seconds)


def test_unaddressed_messages_get_no_reply_even_when_the_bot_sees_them(api, bot) -> None:
    chat = api.group("Trainees A")
    api.make_admin(chat)  # an admin bot receives every message despite privacy mode
    user = api.user("Budi", language_code="id")
    update = api.send_message(chat, user, QUESTION)
    api.wait_for_confirmed(update, timeout=15)
    assert_silent(api, chat, update)


@pytest.mark.parametrize("command", ["/ask", f"/ask@{BOT}"])
def test_ask_is_answered_as_a_reply(api, bot, engine, command) -> None:
    chat = api.group("Trainees B")
    user = api.user("Citra", language_code="en")
    update = api.send_message(chat, user, f"{command} {QUESTION}")
    reply = api.wait_for_reply(update, timeout=15)
    assert reply.text.startswith(title(engine, "callcenter-definition", "id"))
    assert reply.message["reply_to_message"]["message_id"] == update["message"]["message_id"]


def test_ask_for_another_bot_is_ignored(api, bot) -> None:
    chat = api.group("Trainees C")
    api.make_admin(chat)
    user = api.user("Dewi")
    update = api.send_message(chat, user, f"/ask@other_bot {QUESTION}")
    api.wait_for_confirmed(update, timeout=15)
    assert_silent(api, chat, update)


def test_mention_and_reply_to_the_bot_are_answered(api, bot, engine) -> None:
    chat = api.group("Trainees D")
    user = api.user("Eka", language_code="ms")
    first = api.wait_for_reply(
        api.send_message(chat, user, f"@{BOT} apa maksud pusat panggilan"), timeout=15
    )
    assert first.text.startswith(title(engine, "callcenter-definition", "ms"))
    follow_up = api.send_message(chat, user, "what is BPO", reply_to=first)
    second = api.wait_for_reply(follow_up, timeout=15)
    assert second.text.startswith(title(engine, "bpo-definition", "en"))


def test_forum_topic_replies_stay_in_the_thread(api, bot) -> None:
    chat = api.supergroup("Forum", is_forum=True)
    user = api.user("Fajar")
    update = api.send_message(chat, user, f"/ask {QUESTION}", thread_id=77)
    reply = api.wait_for_reply(update, timeout=15)
    assert reply.params.get("message_thread_id") == 77


def test_autoanswer_only_for_admins_and_only_confident_answers(api, bot, engine) -> None:
    chat = api.supergroup("Trainees E")
    api.make_admin(chat)  # the bot sees all messages
    member, admin = api.user("Gita", language_code="en"), api.user("Hadi", language_code="en")
    api.make_admin(chat, admin)

    refused = api.wait_for_reply(api.send_message(chat, member, "/autoanswer on"), timeout=15)
    assert refused.text == t("en", "admins_only")
    update = api.send_message(chat, member, "what is a call centre?")
    api.wait_for_confirmed(update, timeout=15)
    assert_silent(api, chat, update)

    switched = api.wait_for_reply(api.send_message(chat, admin, "/autoanswer on"), timeout=15)
    assert switched.text == t("en", "autoanswer_on")
    answered = api.wait_for_reply(
        api.send_message(chat, member, "what is a call centre?"), timeout=15
    )
    assert answered.text.startswith(title(engine, "callcenter-definition", "en"))

    out_of_scope = api.send_message(chat, member, "who won the football match yesterday?")
    api.wait_for_confirmed(out_of_scope, timeout=15)
    assert_silent(api, chat, out_of_scope)

    api.wait_for_reply(api.send_message(chat, admin, "/autoanswer off"), timeout=15)
    quiet = api.send_message(chat, member, "what is a call centre?")
    api.wait_for_confirmed(quiet, timeout=15)
    assert_silent(api, chat, quiet)


def test_anyone_in_the_group_can_tap_buttons(api, bot, engine) -> None:
    chat = api.group("Trainees F")
    asker, other = api.user("Indah", language_code="id"), api.user("Joko", language_code="id")
    reply = api.wait_for_reply(api.send_message(chat, asker, f"/ask {QUESTION}"), timeout=15)
    related = next(d for d in reply.callback_data if d.startswith("a:"))
    update = api.press_button(chat, other, reply, related)
    shown = api.wait_for_messages(chat, after=update, timeout=15)[0]
    assert shown.text.startswith(title(engine, related.split(":")[2], "id"))


def test_inline_query_lists_matching_answers(api, bot, engine) -> None:
    user = api.user("Kiki", language_code="en")
    api.inline_query(user, "offshore nearshore outsourcing")
    answer = api.wait_for(lambda: api.inline_answers, timeout=15)[-1]
    results = answer["results"]
    assert 1 <= len(results) <= 10
    best = engine.rank("offshore nearshore outsourcing")[0].topic_id
    assert results[0]["id"] == f"{best}:en"
    assert results[0]["title"] == title(engine, best, "en")
    assert results[0]["description"]

    api.inline_query(user, "")
    empty = api.wait_for(lambda: len(api.inline_answers) >= 2 and api.inline_answers, timeout=15)
    assert [r["id"].split(":")[0] for r in empty[-1]["results"]] == list(engine.faq.common)
    assert api.rejections == []
