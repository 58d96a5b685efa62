"""Telegram messages and keyboards built from FAQ topics (HTML parse mode).

FAQ text is plain text, so it is escaped here; the only markup is what these functions add.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot import callbacks
from bot.share import LINKS_PREFIX, share_button
from bot.strings import t
from faq.model import LANGS, Faq

MAX_MESSAGE_CHARS = MessageLimit.MAX_TEXT_LENGTH
TOPICS_PER_PAGE = 8
MAX_RELATED_BUTTONS = 3
SNIPPET_CHARS = 100


def fit(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """`text` cut to Telegram's message limit, at a line break where possible.

    Only used on text whose markup cannot be split mid-tag (the bot adds tags around
    whole lines), or on plain text.
    """
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit - 1)
    cut = cut if cut > limit // 2 else limit - 1
    return text[:cut].rstrip() + "…"


def answer_text(faq: Faq, topic_id: str, lang: str) -> str:
    text = faq.topics[topic_id].texts[lang]
    title = html.escape(text.title, quote=False)
    body = html.escape(text.answer, quote=False)
    return fit(f"<b>{title}</b>\n\n{body}")


def snippet(faq: Faq, topic_id: str, lang: str) -> str:
    """The answer's first sentence, for inline results."""
    answer = " ".join(faq.topics[topic_id].texts[lang].answer.split())
    first = answer.split(". ", 1)[0]
    if len(first) > SNIPPET_CHARS:
        first = first[: SNIPPET_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return first


def _topic_button(faq: Faq, topic_id: str, lang: str) -> InlineKeyboardButton:
    title = faq.topics[topic_id].texts[lang].title
    return InlineKeyboardButton(title, callback_data=callbacks.answer(lang, topic_id))


def answer_keyboard(faq: Faq, topic_id: str, lang: str) -> InlineKeyboardMarkup:
    """Related topics, one per row, then 👍/👎, then the share button."""
    related = [r for r in faq.topics[topic_id].related if r in faq.topics][:MAX_RELATED_BUTTONS]
    rows = [[_topic_button(faq, r, lang)] for r in related]
    rows.append(feedback_row(topic_id, lang))
    rows.append([share_button(faq, topic_id, lang)])
    return InlineKeyboardMarkup(rows)


def feedback_row(topic_id: str, lang: str) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            t(lang, "button_helpful"), callback_data=callbacks.vote(lang, topic_id, up=True)
        ),
        InlineKeyboardButton(
            t(lang, "button_not_helpful"), callback_data=callbacks.vote(lang, topic_id, up=False)
        ),
    ]


def without_feedback(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup:
    """The keyboard with its vote buttons removed (after the user has voted)."""
    rows = [
        [
            button
            for button in row
            if not (
                isinstance(button.callback_data, str)
                and button.callback_data.startswith(callbacks.VOTE_PREFIX)
            )
        ]
        for row in (markup.inline_keyboard if markup else ())
    ]
    return InlineKeyboardMarkup([row for row in rows if row])


def topics_keyboard(faq: Faq, topic_ids: Iterable[str], lang: str) -> InlineKeyboardMarkup:
    """One button per topic, titled in `lang` (suggestions, common topics)."""
    return InlineKeyboardMarkup([[_topic_button(faq, topic_id, lang)] for topic_id in topic_ids])


def page_count(faq: Faq) -> int:
    return max(1, math.ceil(len(faq.topics) / TOPICS_PER_PAGE))


def topics_page(faq: Faq, lang: str, number: int) -> tuple[str, InlineKeyboardMarkup]:
    """Page `number` (0-based, clamped) of the topic list: header text and keyboard."""
    pages = page_count(faq)
    number = min(max(number, 0), pages - 1)
    ids = list(faq.topics)[number * TOPICS_PER_PAGE : (number + 1) * TOPICS_PER_PAGE]
    rows = [[_topic_button(faq, topic_id, lang)] for topic_id in ids]
    nav = []
    if number > 0:
        nav.append(
            InlineKeyboardButton(
                t(lang, "button_back"), callback_data=callbacks.page(lang, number - 1)
            )
        )
    if number < pages - 1:
        nav.append(
            InlineKeyboardButton(
                t(lang, "button_more"), callback_data=callbacks.page(lang, number + 1)
            )
        )
    if nav:
        rows.append(nav)
    rows.append(
        [InlineKeyboardButton(t(lang, "button_links"), callback_data=f"{LINKS_PREFIX}{lang}")]
    )
    header = t(lang, "topics_header", page=number + 1, pages=pages)
    return header, InlineKeyboardMarkup(rows)


def language_keyboard(ui_lang: str) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(t(lang, "language_name"), callback_data=callbacks.language(lang))]
        for lang in LANGS
    ]
    rows.append(
        [
            InlineKeyboardButton(
                t(ui_lang, "lang_auto"), callback_data=callbacks.language(callbacks.AUTO)
            )
        ]
    )
    return InlineKeyboardMarkup(rows)
