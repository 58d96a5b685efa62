"""A private conversation, handled in-process: the real Application, FAQ and SQLite file."""

from __future__ import annotations

import sqlite3

import pytest
from auxil import build_updates as tg
from auxil.offline_bot import OfflineBot, buttons_of, text_of

from bot.strings import t
from faq.engine import Engine


def rows(bot: OfflineBot, query: str) -> list:
    with sqlite3.connect(bot.database) as db:
        found = db.execute(query).fetchall()
    return [row[0] if len(row) == 1 else row for row in found]


def ask(bot: OfflineBot, chat: dict, user: dict, text: str) -> dict:
    return bot.reply(tg.message_update(chat, user, text))


def test_start_greets_in_the_users_language_with_common_topics(bot, engine) -> None:
    for lang in ("id", "ms", "en"):
        user = tg.user(f"User-{lang}", language_code=lang)
        reply = ask(bot, tg.private_chat(user), user, "/start")
        assert text_of(reply).startswith(t(lang, "start", name=user["first_name"])[:12])
        assert buttons_of(reply)[:2] == [f"a:{lang}:{tid}" for tid in engine.faq.common[:2]]
    assert bot.request.rejections == []


def test_deep_link_opens_the_answer(bot, engine) -> None:
    user = tg.user("Deep", language_code="ms")
    reply = ask(bot, tg.private_chat(user), user, "/start offshore-nearshore")
    assert text_of(reply).startswith(engine.faq.topics["offshore-nearshore"].texts["ms"].title)


def test_question_gets_answer_with_related_topics_and_feedback(bot, engine) -> None:
    user = tg.user("Ani", language_code="id")
    chat = tg.private_chat(user)
    question = "apa bedanya bpo sama call center"
    decision = engine.ask(question, lang_hint="id")
    assert decision.status == "answer"
    reply = ask(bot, chat, user, question)
    title = engine.faq.topics[decision.topic_id].texts["id"].title
    assert reply["text"].startswith(f"<b>{title}</b>")
    related = engine.faq.topics[decision.topic_id].related[:3]
    assert buttons_of(reply)[: len(related)] == [f"a:id:{r}" for r in related]
    assert buttons_of(reply)[-2:] == [
        f"v:id:{decision.topic_id}:up",
        f"v:id:{decision.topic_id}:down",
    ]

    calls = bot.send(tg.callback_update(chat, user, reply, f"v:id:{decision.topic_id}:down"))
    # (the learning loop may then offer other topics: handler group 1)
    assert [call.method for call in calls][:2] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    assert calls[0].params["text"] == t("id", "feedback_thanks")
    assert not [d for d in buttons_of(calls[1].params) if d.startswith("v:")]
    assert (user["id"], decision.topic_id, -1) in rows(
        bot, "SELECT user_id, topic_id, vote FROM feedback"
    )


def test_suggestion_tap_shows_that_answer(bot, engine) -> None:
    user = tg.user("Sue", language_code="en")
    chat = tg.private_chat(user)
    vague = ("outsourcing", "types", "call centre", "bpo", "work")
    suggested = [q for q in vague if engine.ask(q, lang_hint="en").status == "suggest"]
    assert suggested, "none of the vague questions gets suggestions any more"
    question = suggested[0]
    decision = engine.ask(question, lang_hint="en")
    reply = ask(bot, chat, user, question)
    assert text_of(reply) == t("en", "did_you_mean")
    assert buttons_of(reply) == [f"a:en:{tid}" for tid in decision.suggestions]
    chosen = decision.suggestions[-1]
    answer = bot.reply(tg.callback_update(chat, user, reply, f"a:en:{chosen}"))
    assert text_of(answer).startswith(engine.faq.topics[chosen].texts["en"].title)


def test_out_of_scope_question_is_logged_for_maintainers(bot) -> None:
    user = tg.user("Oos", language_code="en")
    reply = ask(bot, tg.private_chat(user), user, "what is the weather in Jakarta tomorrow")
    assert text_of(reply) == t("en", "dont_know")
    assert "what is the weather in Jakarta tomorrow" in rows(
        bot, "SELECT text FROM questions WHERE outcome='none'"
    )


def test_topics_pages_through_every_topic(bot, engine) -> None:
    user = tg.user("Pager", language_code="en")
    chat = tg.private_chat(user)
    message = ask(bot, chat, user, "/topics")
    seen: list[str] = []
    while True:
        seen += [d.split(":", 2)[2] for d in buttons_of(message) if d.startswith("a:")]
        more = [d for d in buttons_of(message) if d.startswith("p:")]
        forward = [d for d in more if int(d.rsplit(":", 1)[1]) * 8 >= len(seen)]
        if not forward:
            break
        calls = bot.send(tg.callback_update(chat, user, message, forward[0]))
        (edit,) = [call.params for call in calls if call.method == "editMessageText"]
        message = {**message, **edit}
    assert seen == list(engine.faq.topics)


def choose_language(bot: OfflineBot, chat: dict, user: dict, choice: str, confirmation: str):
    """/lang, tap `choice`: the menu then says `confirmation`."""
    menu = ask(bot, chat, user, "/lang")
    calls = bot.send(tg.callback_update(chat, user, menu, f"l:{choice}"))
    edits = [call.params for call in calls if call.method == "editMessageText"]
    assert [text_of(edit) for edit in edits] == [confirmation]


def test_language_choice_is_remembered(bot, engine) -> None:
    user = tg.user("Lang", language_code="en")
    chat = tg.private_chat(user)
    definition = engine.faq.topics["callcenter-definition"].texts

    choose_language(bot, chat, user, "ms", t("ms", "lang_set"))
    reply = ask(bot, chat, user, "what is a call centre")
    assert text_of(reply).startswith(definition["ms"].title)

    choose_language(bot, chat, user, "auto", t("en", "lang_set_auto"))
    reply = ask(bot, chat, user, "what is a call centre")
    assert text_of(reply).startswith(definition["en"].title)


@pytest.mark.parametrize(
    ("text", "lang", "key"),
    [
        ("halo kak", "id", "greeting"),
        ("makasih ya", "id", "thanks"),
        ("thanks!", "en", "thanks"),
        ("😂😂", "ms", "ack"),  # a reaction without words
        ("👍", "id", "ack"),
    ],
)
def test_small_talk_gets_a_friendly_reply(bot, text, lang, key) -> None:
    user = tg.user("Chatty", language_code=lang)
    assert text_of(ask(bot, tg.private_chat(user), user, text)) == t(lang, key)
    assert rows(bot, "SELECT text FROM questions WHERE outcome='none'") == []


def test_non_text_messages_get_a_note_in_the_users_language(bot) -> None:
    user = tg.user("Stickers", language_code="ms")
    chat = tg.private_chat(user)
    for update in (
        tg.sticker_update(chat, user),
        tg.photo_update(chat, user),
        tg.voice_update(chat, user),
    ):
        assert text_of(bot.reply(update)) == t("ms", "non_text")


def test_a_photo_caption_is_a_question(bot, engine) -> None:
    user = tg.user("Caption", language_code="en")
    chat = tg.private_chat(user)
    reply = bot.reply(tg.photo_update(chat, user, caption="what is a call centre"))
    title = engine.faq.topics["callcenter-definition"].texts["en"].title
    assert text_of(reply).startswith(title)


def test_help_unknown_commands_and_markup_in_questions(bot) -> None:
    user = tg.user("Helpme", language_code="en")
    chat = tg.private_chat(user)
    assert "/topics" in text_of(ask(bot, chat, user, "/help"))
    assert text_of(ask(bot, chat, user, "/frobnicate")) == t("en", "unknown_command")
    reply = ask(bot, chat, user, "<b>what</b> is <i>BPO</i> & <a href='x'>call</a>?")
    assert "<a href" not in reply["text"]
    assert bot.request.rejections == []


def test_command_menus_and_descriptions_are_published_per_language(bot) -> None:
    from bot.menu import publish_menus

    bot.run(publish_menus(bot.app))
    menus = bot.request.to("setMyCommands")
    for lang in (None, "id", "ms"):
        for scope, expected in (
            ("all_private_chats", ["start", "topics", "quiz", "lang", "help"]),
            ("all_group_chats", ["ask", "quiz", "topics", "help"]),
        ):
            (menu,) = [
                m for m in menus if m["scope"]["type"] == scope and m.get("language_code") == lang
            ]
            assert [c["command"] for c in menu["commands"]] == expected
    assert bot.request.to("setMyDescription") and bot.request.to("setMyShortDescription")
    assert bot.request.rejections == []


def test_the_engine_is_the_one_the_bot_serves(bot, engine: Engine) -> None:
    assert bot.app.bot_data["services"].engine is engine
