"""A private conversation with the real bot process over HTTP to the fake Bot API."""

from __future__ import annotations

import sqlite3

import pytest

from bot.strings import t
from faq.engine import Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_path()


def rows(bot, query: str) -> list:
    """Rows from the bot's database (the bot writes just after it replies)."""
    with sqlite3.connect(bot.database) as db:
        found = db.execute(query).fetchall()
    return [row[0] if len(row) == 1 else row for row in found]


def ask(api, chat, user, text):
    return api.wait_for_reply(api.send_message(chat, user, text), timeout=15)


def test_start_greets_in_the_users_language_with_common_topics(api, bot, engine) -> None:
    for lang in ("id", "ms", "en"):
        user = api.user(f"User-{lang}", language_code=lang)
        reply = ask(api, api.private_chat(user), user, "/start")
        assert reply.text.startswith(t(lang, "start", name=user["first_name"])[:12])
        assert reply.callback_data[:2] == [f"a:{lang}:{tid}" for tid in engine.faq.common[:2]]
    assert api.rejections == []


def test_deep_link_opens_the_answer(api, bot, engine) -> None:
    user = api.user("Deep", language_code="ms")
    reply = ask(api, api.private_chat(user), user, "/start offshore-nearshore")
    assert reply.text.startswith(engine.faq.topics["offshore-nearshore"].texts["ms"].title)


def test_question_gets_answer_with_related_topics_and_feedback(api, bot, engine) -> None:
    user = api.user("Ani", language_code="id")
    chat = api.private_chat(user)
    question = "apa bedanya bpo sama call center"
    decision = engine.ask(question, lang_hint="id")
    assert decision.status == "answer"
    reply = ask(api, chat, user, question)
    title = engine.faq.topics[decision.topic_id].texts["id"].title
    assert reply.raw_text.startswith(f"<b>{title}</b>")
    related = engine.faq.topics[decision.topic_id].related[:3]
    assert reply.callback_data[: len(related)] == [f"a:id:{r}" for r in related]
    assert reply.callback_data[-2:] == [
        f"v:id:{decision.topic_id}:up",
        f"v:id:{decision.topic_id}:down",
    ]

    api.press_button(chat, user, reply, f"v:id:{decision.topic_id}:down")
    api.wait_for(lambda: api.callback_answers, timeout=15)
    api.wait_for(lambda: any(m.edited for m in api.sent_messages(chat["id"], include_edits=True)))
    api.wait_for(
        lambda: (
            (user["id"], decision.topic_id, -1)
            in rows(bot, "SELECT user_id, topic_id, vote FROM feedback")
        ),
        timeout=10,
    )


def test_suggestion_tap_shows_that_answer(api, bot, engine) -> None:
    user = api.user("Sue", language_code="en")
    chat = api.private_chat(user)
    vague = ("outsourcing", "types", "call centre", "bpo", "work")
    question = next(q for q in vague if engine.ask(q, lang_hint="en").status == "suggest")
    decision = engine.ask(question, lang_hint="en")
    reply = ask(api, chat, user, question)
    assert reply.text == t("en", "did_you_mean")
    assert reply.callback_data == [f"a:en:{tid}" for tid in decision.suggestions]
    chosen = decision.suggestions[-1]
    update = api.press_button(chat, user, reply, f"a:en:{chosen}")
    answer = api.wait_for_messages(chat, after=update, timeout=15)[0]
    assert answer.text.startswith(engine.faq.topics[chosen].texts["en"].title)


def test_out_of_scope_question_is_logged_for_maintainers(api, bot) -> None:
    user = api.user("Oos", language_code="en")
    reply = ask(api, api.private_chat(user), user, "what is the weather in Jakarta tomorrow")
    assert reply.text == t("en", "dont_know")
    api.wait_for(
        lambda: (
            "what is the weather in Jakarta tomorrow"
            in rows(bot, "SELECT text FROM questions WHERE outcome='none'")
        ),
        timeout=10,
    )


def test_topics_pages_through_every_topic(api, bot, engine) -> None:
    user = api.user("Pager", language_code="en")
    chat = api.private_chat(user)
    message = ask(api, chat, user, "/topics")
    seen: list[str] = []
    while True:
        seen += [d.split(":", 2)[2] for d in message.callback_data if d.startswith("a:")]
        more = [d for d in message.callback_data if d.startswith("p:")]
        forward = [d for d in more if int(d.rsplit(":", 1)[1]) * 8 >= len(seen)]
        if not forward:
            break
        api.press_button(chat, user, message, forward[0])
        message = api.wait_for(
            lambda m=message: next(
                (e for e in api.sent_messages(chat["id"], include_edits=True, after=m) if e.edited),
                None,
            ),
            timeout=15,
        )
    assert seen == list(engine.faq.topics)


def choose_language(api, chat, user, choice: str, confirmation: str) -> None:
    """/lang, tap `choice`, wait until the menu says `confirmation`."""
    menu = ask(api, chat, user, "/lang")
    api.press_button(chat, user, menu, f"l:{choice}")
    api.wait_for(
        lambda: any(
            m.edited and m.text == confirmation
            for m in api.sent_messages(chat["id"], include_edits=True)
        ),
        timeout=15,
    )


def test_language_choice_is_remembered(api, bot, engine) -> None:
    user = api.user("Lang", language_code="en")
    chat = api.private_chat(user)
    definition = engine.faq.topics["callcenter-definition"].texts

    choose_language(api, chat, user, "ms", t("ms", "lang_set"))
    assert ask(api, chat, user, "what is a call centre").text.startswith(definition["ms"].title)

    choose_language(api, chat, user, "auto", t("en", "lang_set_auto"))
    assert ask(api, chat, user, "what is a call centre").text.startswith(definition["en"].title)


@pytest.mark.parametrize(
    ("text", "lang", "key"),
    [("halo kak", "id", "greeting"), ("makasih ya", "id", "thanks"), ("thanks!", "en", "thanks")],
)
def test_small_talk_gets_a_friendly_reply(api, bot, text, lang, key) -> None:
    user = api.user("Chatty", language_code=lang)
    assert ask(api, api.private_chat(user), user, text).text == t(lang, key)


def test_non_text_messages_get_a_note_in_the_users_language(api, bot) -> None:
    user = api.user("Stickers", language_code="ms")
    chat = api.private_chat(user)
    for update in (
        api.send_sticker(chat, user),
        api.send_photo(chat, user),
        api.send_voice(chat, user),
    ):
        assert api.wait_for_reply(update, timeout=15).text == t("ms", "non_text")


def test_help_unknown_commands_and_markup_in_questions(api, bot) -> None:
    user = api.user("Helpme", language_code="en")
    chat = api.private_chat(user)
    assert "/topics" in ask(api, chat, user, "/help").text
    assert ask(api, chat, user, "/frobnicate").text == t("en", "unknown_command")
    reply = ask(api, chat, user, "<b>what</b> is <i>BPO</i> & <a href='x'>call</a>?")
    assert "<a href" not in (reply.raw_text or "")
    assert api.rejections == []


def test_command_menus_and_descriptions_are_published_per_language(api, bot) -> None:
    for lang in ("", "id", "ms"):
        private = api.get_commands("all_private_chats", lang)
        groups = api.get_commands("all_group_chats", lang)
        assert [c["command"] for c in private] == ["start", "topics", "quiz", "lang", "help"]
        assert [c["command"] for c in groups] == ["ask", "quiz", "topics", "help"]
    assert set(api.descriptions) >= {"description", "short_description"} or api.descriptions
