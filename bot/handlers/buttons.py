"""Inline-button taps: open a topic, vote, page the topic list, choose a language.

Each kind of button has its own handler, routed by `callbacks.PATTERNS` (bot/app.py);
`refuse` takes every other tap. Anyone in a group may tap, and data can be forged or stale
(a topic removed by a reload), so each handler checks its topic against the FAQ served.
"""

from __future__ import annotations

import re

from telegram import CallbackQuery, Message, Update

from bot import callbacks, render
from bot.context import BotContext
from bot.strings import t


def _pressed(
    update: Update, context: BotContext, kind: callbacks.Kind
) -> tuple[CallbackQuery, Message | None, callbacks.Callback] | None:
    """The query, its message (None if too old to reach) and the button pressed; None if
    nothing matched (PTB passes a tap with empty data to every handler)."""
    query = update.callback_query
    if query is None or not isinstance(context.match, re.Match):
        return None
    message = query.message if isinstance(query.message, Message) else None
    if message is not None and not message.is_accessible:  # date 0: too old to reach
        message = None
    return query, message, callbacks.from_match(kind, context.match)


async def _stale(query: CallbackQuery, lang: str) -> None:
    await query.answer(t(lang, "stale_button"))


async def open_topic(update: Update, context: BotContext) -> None:
    pressed = _pressed(update, context, "answer")
    if pressed is None:
        await refuse(update, context)
        return
    query, message, button = pressed
    faq, lang, topic_id = context.services.engine.faq, button.lang, button.topic_id
    if message is None or topic_id is None or topic_id not in faq.topics:
        await _stale(query, lang)
        return
    await query.answer()
    await message.reply_text(
        render.answer_text(faq, topic_id, lang),
        reply_markup=render.answer_keyboard(faq, topic_id, lang),
        do_quote=False,
    )


async def vote(update: Update, context: BotContext) -> None:
    pressed = _pressed(update, context, "vote")
    if pressed is None:
        await refuse(update, context)
        return
    query, message, button = pressed
    svc, lang, topic_id = context.services, button.lang, button.topic_id
    if message is None or topic_id is None or topic_id not in svc.engine.faq.topics:
        await _stale(query, lang)
        return
    user_id, vote = query.from_user.id, button.vote
    saved = await svc.storage.write(
        f"vote {vote:+d} on {topic_id} by user {user_id}",
        lambda storage: storage.record_feedback(user_id, topic_id, vote),
    )
    await query.answer(t(lang, "feedback_thanks" if saved else "saved_nowhere"))
    if saved and message.chat.type == message.chat.PRIVATE:
        await query.edit_message_reply_markup(render.without_feedback(message.reply_markup))


async def page(update: Update, context: BotContext) -> None:
    pressed = _pressed(update, context, "page")
    if pressed is None:
        await refuse(update, context)
        return
    query, message, button = pressed
    if message is None:
        await _stale(query, button.lang)
        return
    header, markup = render.topics_page(context.services.engine.faq, button.lang, button.page)
    await query.answer()
    await query.edit_message_text(header, reply_markup=markup)


async def choose_language(update: Update, context: BotContext) -> None:
    pressed = _pressed(update, context, "lang")
    if pressed is None:
        await refuse(update, context)
        return
    query, message, button = pressed
    svc = context.services
    if message is None:
        await _stale(query, await svc.ui_lang(query.from_user))
        return
    choice = None if button.lang == callbacks.AUTO else button.lang
    user_id = query.from_user.id
    saved = await svc.storage.write(
        f"language {choice} of user {user_id}",
        lambda storage: storage.set_user_lang(user_id, choice),
    )
    shown = choice or svc.telegram_lang(query.from_user) or svc.settings.default_language
    key = ("lang_set" if choice else "lang_set_auto") if saved else "saved_nowhere"
    await query.answer()
    await query.edit_message_text(t(shown, key))


async def refuse(update: Update, context: BotContext) -> None:
    """Data no pattern matches: forged, or from a keyboard this bot no longer sends."""
    query = update.callback_query
    if query is not None:
        await _stale(query, await context.services.ui_lang(query.from_user))
