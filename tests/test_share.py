"""Sharing: the share button opens inline mode on the topic; /topics lists deep links."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from inprocess import BOT_USERNAME, OfflineBot, Person, buttons

from faq.model import LANGS


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[OfflineBot]:
    offline = OfflineBot(tmp_path)
    yield offline
    offline.close()


@pytest.mark.parametrize("lang", LANGS)
def test_share_button_opens_inline_mode_where_that_topic_comes_first(bot, lang) -> None:
    faq = bot.engine.faq
    person = Person(10, "Ani", lang)
    chat = bot.private_chat(person)
    assert bot.run(bot.services.storage.write("lang", lambda s: s.set_user_lang(person.id, lang)))
    topic_id = "offshore-nearshore"
    (reply,) = bot.message(chat, person, f"/start {topic_id}")
    share = [b for b in buttons(reply) if "switch_inline_query_chosen_chat" in b]
    assert len(share) == 1
    chosen = share[0]["switch_inline_query_chosen_chat"]
    assert chosen["allow_group_chats"] is True

    # The trainee picks a group: Telegram opens inline mode there with that query.
    (answered,) = bot.inline(Person(10, "Ani", None), chosen["query"])
    first = answered.params["results"][0]
    assert first["id"] == f"{topic_id}:{lang}"
    assert first["title"] == faq.topics[topic_id].texts[lang].title


def test_inline_query_by_topic_id_puts_that_topic_first(bot) -> None:
    (answered,) = bot.inline(Person(11, "Eka", "en"), "callcenter-workplace")
    assert answered.params["results"][0]["id"] == "callcenter-workplace:en"


def test_topics_offers_a_deep_link_per_topic(bot) -> None:
    person = Person(12, "Trainer", "ms")
    chat = bot.private_chat(person)
    (listing,) = bot.message(chat, person, "/topics")
    calls = bot.tap(person, listing, "links:ms")
    (links,) = [call for call in calls if call.method == "sendMessage"]
    text = links.params["text"]
    for topic_id, topic in bot.engine.faq.topics.items():
        assert f"https://t.me/{BOT_USERNAME}?start={topic_id}" in text
        assert topic.texts["ms"].title.split("?")[0] in text

    # Such a link opens the answer.
    topic_id = next(iter(bot.engine.faq.topics))
    (reply,) = bot.message(chat, person, f"/start {topic_id}")
    assert bot.engine.faq.topics[topic_id].texts["ms"].title in reply.params["text"]
