"""Sharing answers: a button that opens inline mode on a topic, and deep links per topic.

The share button puts the topic's title into inline mode, in the language of the answer;
inline mode recognises a title typed exactly and offers that topic first, in that language,
so a trainee posts the answer into a group in two taps.
"""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, SwitchInlineQueryChosenChat

from bot.strings import t
from faq.model import LANGS, Faq

LINKS_PREFIX = "links:"
LINKS_PATTERN = rf"^{LINKS_PREFIX}({'|'.join(LANGS)})$"
"""Callback data of the /topics button that lists the deep links, in a language."""


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def share_query(faq: Faq, topic_id: str, lang: str) -> str:
    """What the share button types after the bot's username."""
    return faq.topics[topic_id].texts[lang].title


def shared_topic(faq: Faq, query: str) -> tuple[str, tuple[str, ...]] | None:
    """(topic id, languages whose title it is) when `query` is a topic's title or id (then
    no language), else None. Two languages may share a title ("Apa itu BPO?")."""
    folded = _folded(query)
    if folded in faq.topics:
        return folded, ()
    for topic_id, topic in faq.topics.items():
        langs = tuple(
            lang
            for lang in LANGS
            if lang in topic.texts and _folded(topic.texts[lang].title) == folded
        )
        if langs:
            return topic_id, langs
    return None


def share_button(faq: Faq, topic_id: str, lang: str) -> InlineKeyboardButton:
    """Opens the chat chooser (groups and people), then inline mode with the topic's title."""
    return InlineKeyboardButton(
        t(lang, "button_share"),
        switch_inline_query_chosen_chat=SwitchInlineQueryChosenChat(
            query=share_query(faq, topic_id, lang),
            allow_user_chats=True,
            allow_group_chats=True,
        ),
    )


def deep_link(bot_username: str, topic_id: str) -> str:
    """A link that opens a private chat with the bot on the topic's answer (/start <id>)."""
    return f"https://t.me/{bot_username}?start={topic_id}"


def links_text(faq: Faq, lang: str, bot_username: str) -> str:
    """Every topic's title with its deep link, for trainers to paste into course material."""
    lines = [t(lang, "links_header")]
    for topic_id, topic in faq.topics.items():
        title = html.escape(topic.texts[lang].title, quote=False)
        lines.append(f"\n{title}\n{deep_link(bot_username, topic_id)}")
    return "\n".join(lines)
