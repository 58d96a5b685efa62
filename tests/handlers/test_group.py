"""Groups, handled in-process: the bot speaks only when addressed, or with auto-answer on;
inline mode."""

from __future__ import annotations

import pytest
from auxil import build_updates as tg
from auxil.offline_bot import buttons_of, text_of

from bot.strings import t
from faq.engine import Engine

QUESTION = "apa itu call center"
BOT = "faq_test_bot"


def title(engine: Engine, topic_id: str, lang: str) -> str:
    return engine.faq.topics[topic_id].texts[lang].title


def test_unaddressed_messages_get_no_reply_even_when_the_bot_sees_them(bot) -> None:
    chat = tg.group("Trainees A")
    user = tg.user("Budi", language_code="id")
    assert bot.send(tg.message_update(chat, user, QUESTION)) == []


@pytest.mark.parametrize("command", ["/ask", f"/ask@{BOT}"])
def test_ask_is_answered_as_a_reply(bot, engine, command) -> None:
    chat = tg.group("Trainees B")
    user = tg.user("Citra", language_code="en")
    update = tg.message_update(chat, user, f"{command} {QUESTION}")
    reply = bot.reply(update)
    assert text_of(reply).startswith(title(engine, "callcenter-definition", "id"))
    assert reply["reply_parameters"]["message_id"] == update["message"]["message_id"]


def test_ask_without_a_question_explains_itself(bot) -> None:
    chat = tg.group("Trainees B2")
    user = tg.user("Cici", language_code="en")
    assert bot.reply(tg.message_update(chat, user, "/ask"))["text"] == t("en", "ask_usage")


def test_ask_for_another_bot_is_ignored(bot) -> None:
    chat = tg.group("Trainees C")
    user = tg.user("Dewi")
    assert bot.send(tg.message_update(chat, user, f"/ask@other_bot {QUESTION}")) == []


def test_mention_and_reply_to_the_bot_are_answered(bot, engine) -> None:
    chat = tg.group("Trainees D")
    user = tg.user("Eka", language_code="ms")
    first = bot.reply(tg.message_update(chat, user, f"@{BOT} apa maksud pusat panggilan"))
    assert text_of(first).startswith(title(engine, "callcenter-definition", "ms"))
    follow_up = tg.message_update(chat, user, "what is BPO", reply_to=tg.bot_message(chat, first))
    second = bot.reply(follow_up)
    assert text_of(second).startswith(title(engine, "bpo-definition", "en"))


def test_a_text_mention_of_the_bot_is_answered(bot, engine) -> None:
    chat = tg.group("Trainees D2")
    user = tg.user("Eko", language_code="en")
    update = tg.message_update(chat, user, "Bot what is BPO")
    bot_user = {"id": bot.app.bot.id, "is_bot": True, "first_name": "Bot"}
    update["message"]["entities"] = [
        {"type": "text_mention", "offset": 0, "length": 3, "user": bot_user}
    ]
    assert bot.reply(update)["reply_parameters"]["message_id"] == update["message"]["message_id"]


def test_forum_topic_replies_stay_in_the_thread(bot) -> None:
    chat = tg.group("Forum", forum=True)
    user = tg.user("Fajar")
    reply = bot.reply(tg.message_update(chat, user, f"/ask {QUESTION}", thread_id=77))
    assert reply.get("message_thread_id") == 77


def test_autoanswer_only_for_admins_and_only_confident_answers(bot, engine) -> None:
    chat = tg.group("Trainees E", supergroup=True)
    member, admin = tg.user("Gita", language_code="en"), tg.user("Hadi", language_code="en")
    bot.request.members[(chat["id"], admin["id"])] = "administrator"

    refused = bot.reply(tg.message_update(chat, member, "/autoanswer on"))
    assert text_of(refused) == t("en", "admins_only")
    assert bot.send(tg.message_update(chat, member, "what is a call centre?")) == []

    switched = bot.reply(tg.message_update(chat, admin, "/autoanswer on"))
    assert text_of(switched) == t("en", "autoanswer_on")
    state = bot.reply(tg.message_update(chat, member, "/autoanswer"))
    assert t("en", "autoanswer_state_on") in text_of(state)
    answered = bot.reply(tg.message_update(chat, member, "what is a call centre?"))
    assert text_of(answered).startswith(title(engine, "callcenter-definition", "en"))

    out_of_scope = tg.message_update(chat, member, "who won the football match yesterday?")
    assert bot.send(out_of_scope) == []

    bot.reply(tg.message_update(chat, admin, "/autoanswer off"))
    assert bot.send(tg.message_update(chat, member, "what is a call centre?")) == []


def test_an_anonymous_admin_may_switch_autoanswer(bot) -> None:
    chat = tg.group("Anonymous", supergroup=True)
    anonymous = {
        "id": 1087968824,
        "is_bot": True,
        "first_name": "Group",
        "username": "GroupAnonymousBot",
    }
    update = tg.message_update(chat, anonymous, "/autoanswer on", sender_chat=chat)
    assert text_of(bot.reply(update)) == t("en", "autoanswer_on")


def test_autoanswer_is_for_groups(bot) -> None:
    user = tg.user("Solo", language_code="en")
    reply = bot.reply(tg.message_update(tg.private_chat(user), user, "/autoanswer on"))
    assert text_of(reply) == t("en", "group_only")


def test_anyone_in_the_group_can_tap_buttons(bot, engine) -> None:
    chat = tg.group("Trainees F")
    asker, other = tg.user("Indah", language_code="id"), tg.user("Joko", language_code="id")
    reply = bot.reply(tg.message_update(chat, asker, f"/ask {QUESTION}"))
    related = next(d for d in buttons_of(reply) if d.startswith("a:"))
    shown = bot.reply(tg.callback_update(chat, other, reply, related))
    assert text_of(shown).startswith(title(engine, related.split(":")[2], "id"))


def test_a_vote_in_a_group_keeps_the_buttons_for_the_others(bot, engine) -> None:
    chat = tg.group("Trainees G")
    user = tg.user("Lia", language_code="en")
    reply = bot.reply(tg.message_update(chat, user, "/ask what is a call centre"))
    vote = next(d for d in buttons_of(reply) if d.startswith("v:"))
    calls = bot.send(tg.callback_update(chat, user, reply, vote))
    assert [call.method for call in calls] == ["answerCallbackQuery"]


def test_inline_query_lists_matching_answers(bot, engine) -> None:
    user = tg.user("Kiki", language_code="en")
    (answer,) = bot.request_to(tg.inline_update(user, "offshore nearshore outsourcing"))
    results = answer["results"]
    assert 1 <= len(results) <= 10
    best = engine.rank("offshore nearshore outsourcing")[0].topic_id
    assert results[0]["id"] == f"{best}:en"
    assert results[0]["title"] == title(engine, best, "en")
    assert results[0]["description"]

    (empty,) = bot.request_to(tg.inline_update(user, ""))
    assert [r["id"].split(":")[0] for r in empty["results"]] == list(engine.faq.common)
    assert bot.request.rejections == []
